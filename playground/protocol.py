"""The websocket wire protocol: JSON text frames, each an object with a "type".

docs/architecture.md lists the messages. This module turns frames into
messages, and anything it cannot read into an error a learner can act on.
"""

from __future__ import annotations

import json
from typing import Any

MAX_MESSAGE_BYTES = 64 * 1024


class ProtocolError(ValueError):
    """A frame the server cannot act on; its text is sent back in an error frame."""


def decode(text_data: str | None) -> dict[str, Any]:
    """Return the message in a frame's text (None for a binary frame), or raise ProtocolError."""
    if text_data is None:
        raise ProtocolError("Send messages as JSON text frames, not binary frames.")
    # Characters never outnumber UTF-8 bytes, so the first test spares encoding huge frames.
    if len(text_data) > MAX_MESSAGE_BYTES or len(text_data.encode()) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"Message too large: the limit is {MAX_MESSAGE_BYTES // 1024} KiB.")
    try:
        message = json.loads(text_data)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"Message is not valid JSON: {exc}.") from None
    except RecursionError:
        raise ProtocolError("Message is nested too deeply.") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError(
            'Message must be a JSON object with a string "type", such as {"type": "ping", "id": 1}.'
        )
    return message


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


def error(text: str) -> dict[str, str]:
    return {"type": "error", "message": text}
