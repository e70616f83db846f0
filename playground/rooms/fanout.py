"""A room's viewers in this process: frames fanned out to each, and the frames kept for resync.

Frames are encoded once, by the room's engine, and written straight to the
consumers of this process (`Viewer.forward`), never through the channel
layer per viewer: measured, its queue, dispatch task and per-message database
clean-up cost more than the send itself (docs/performance.md). One viewer's
closed socket loses that viewer only, never the room for everyone else.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable
from typing import Protocol

logger = logging.getLogger(__name__)

#: Frames kept for browsers that resync after a short drop.
FRAME_BUFFER = 256


class Viewer(Protocol):
    """What a room needs from a connection: an id and a way to send it a text."""

    viewer: str

    async def forward(self, text: str) -> None: ...


class FrameRing:
    """The last frames of a room's epoch, as sent, for viewers that missed a few."""

    def __init__(self, epoch: str = "", seq: int = 0) -> None:
        self.epoch = epoch
        self.seq = seq
        self.recent: deque[tuple[int, list[str]]] = deque(maxlen=FRAME_BUFFER)

    def add(self, seq: int, texts: list[str]) -> None:
        self.seq = seq
        self.recent.append((seq, texts))

    def restart(self, epoch: str, seq: int) -> None:
        """The room was rebuilt (another epoch): frames of the old one are no use."""
        self.epoch, self.seq = epoch, seq
        self.recent.clear()

    def missed(self, seq: int | None, epoch: str) -> list[str] | None:
        """The frames after `seq` for a browser of this epoch; None when it needs a snapshot."""
        if seq is not None and epoch == self.epoch and seq <= self.seq:
            missed = [texts for s, texts in self.recent if s > seq]
            if len(missed) == self.seq - seq:
                return [text for texts in missed for text in texts]
        return None


class LocalViewers:
    """The viewers of one room connected to this process."""

    def __init__(self, room: str, on_lost: Callable[[Viewer], None]) -> None:
        self.room = room
        self.by_id: dict[str, Viewer] = {}
        self._on_lost = on_lost

    def __len__(self) -> int:
        return len(self.by_id)

    def __contains__(self, viewer_id: str) -> bool:
        return viewer_id in self.by_id

    def add(self, viewer: Viewer) -> None:
        self.by_id[viewer.viewer] = viewer

    def remove(self, viewer_id: str) -> Viewer | None:
        return self.by_id.pop(viewer_id, None)

    async def broadcast(self, texts: list[str]) -> None:
        """Send texts to every viewer (a frame, encoded once)."""
        for viewer in list(self.by_id.values()):
            await self.deliver(viewer, texts)

    async def send_each(self, messages: Iterable[tuple[str, list[str]]]) -> None:
        """Send each `(viewer id, texts)` to its viewer, if it is still here."""
        for viewer_id, texts in messages:
            viewer = self.by_id.get(viewer_id)
            if viewer is not None:
                await self.deliver(viewer, texts)

    async def deliver(self, viewer: Viewer, texts: list[str]) -> bool:
        """Send texts to one viewer; False when it is gone. A socket that closed since (its
        disconnect is on the way) loses the viewer, never the room for everyone else."""
        try:
            for text in texts:
                await viewer.forward(text)
        except Exception:  # noqa: BLE001 - whatever one connection raises
            logger.info("room %s: viewer %s is gone", self.room, viewer.viewer, exc_info=True)
            if self.by_id.get(viewer.viewer) is viewer:
                self._on_lost(viewer)
            return False
        return True
