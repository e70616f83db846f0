"""What one piece of a room's work gives back: `Outcome` (the engine makes it, the live room
logs and sends it, the engine's followers add to it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Outcome:
    """What one piece of the room's work asks the live room to log and to send.

    The live room logs `ops` (and the ticks `step`/`counts`) before it sends
    `frame` to every viewer and each `inspectors` pair to its viewer.
    """

    #: The frame's texts (one, or its parts), or None when nothing happened; its `seq`.
    frame: list[str] | None = None
    seq: int = 0
    #: `(viewer, texts)`: inspectors the frame changed.
    inspectors: list[tuple[str, list[str]]] = field(default_factory=list)
    #: Log entries this work adds (a command line).
    ops: list[dict[str, Any]] = field(default_factory=list)
    #: A tick's clock step and each stream's requests, for the log's `ticks` entry.
    step: float = 0.0
    counts: list[int] = field(default_factory=list)
    #: The streams as the log names them, when they changed (`[[url, source], ...]`).
    streams: list[list[str]] | None = None
    #: What the viewer who asked gets back (a command's result fields, a stream...).
    reply: Any = None
    #: Texts for every viewer (a lesson's news).
    broadcast: list[str] = field(default_factory=list)
