"""A command's result as its viewer gets it, and output cut to the limits.

The viewer who ran a command gets its `result` (up to `MAX_OUTPUT_CHARS`);
everyone else sees it echoed in the next frame (up to `MAX_ECHO_CHARS`).
"""

from __future__ import annotations

from typing import Any

from playground import limits
from playground.rooms.creation import problems_of
from simulator import CommandResult


def result_fields(line: str, result: CommandResult, stdin: str) -> dict[str, Any]:
    """The `result` message's fields, for the viewer who ran the command."""
    fields = {
        "line": line,
        "stdout": clip(result.stdout, limits.MAX_OUTPUT_CHARS),
        "stderr": clip(result.stderr, limits.MAX_OUTPUT_CHARS),
        "output": clip_output(result.output(), limits.MAX_OUTPUT_CHARS),
        "exitCode": result.exit_code,
        # Manifests (stdin) that failed without a located problem get their stderr as one.
        "problems": problems_of(result) if result.problems or stdin else [],
        "traces": len(result.traces),
    }
    if result.session:
        fields["session"] = result.session
    if result.edit:
        fields["edit"] = {
            **result.edit,
            "yaml": clip(result.edit["yaml"], limits.MAX_MANIFEST_BYTES),
        }
    return fields


def clip_output(pieces: list[tuple[str, str]], limit: int) -> list[list[str]]:
    """`[[stream, text]]` as a terminal shows them, cut after `limit` characters in all."""
    out, used = [], 0
    for stream, text in pieces:
        if used >= limit:
            break
        out.append([stream, clip(text, limit - used)])
        used += len(text)
    return out


def clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… output cut here: {len(text) - limit} more characters.\n"
