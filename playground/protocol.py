"""The websocket wire protocol: JSON text frames, each an object with a "type".

docs/architecture.md lists the messages. This module turns frames into
validated messages, and anything it cannot read into an error a learner can
act on. It checks shapes and sizes only; what a command means is the
simulator's business.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from typing import Any

from django.utils.translation import gettext as _

from playground import limits
from playground.limits import MAX_MESSAGE_BYTES

__all__ = ["MAX_MESSAGE_BYTES", "ProtocolError", "decode", "encode", "error"]

CLIENT_TYPES = (
    "ping",
    "command",
    "traffic",
    "clock",
    "resync",
    "inspect",
    "lesson",
    "matrix",
    "view",
    "floor",
    "rewind",
    "hand",
    "name",
)
_BOX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:./_|-]*$")
#: The presenter's view: panels followers follow (the class panel is each one's own).
VIEW_TABS = ("traffic", "inspector", "manifests")
_SOURCE = re.compile(
    r"^(host|pod/[a-z0-9]([-a-z0-9.]*[a-z0-9])?(/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?)$"
)


class ProtocolError(ValueError):
    """A frame the server cannot act on; its text is sent back in an error frame, with the
    message's `id` when it had a readable one."""

    def __init__(self, text: str, request_id: int | str | None = None) -> None:
        super().__init__(text)
        self.request_id = request_id


def decode(text_data: str | None) -> dict[str, Any]:
    """Return the message in a frame's text (None for a binary frame), or raise ProtocolError."""
    if text_data is None:
        raise ProtocolError(_("Send messages as JSON text frames, not binary frames."))
    # Characters never outnumber UTF-8 bytes, so the first test spares encoding huge frames.
    if len(text_data) > MAX_MESSAGE_BYTES or len(text_data.encode()) > MAX_MESSAGE_BYTES:
        raise ProtocolError(
            _("Message too large: the limit is %(kib)s KiB.") % {"kib": MAX_MESSAGE_BYTES // 1024},
            _id_of_large(text_data),
        )
    try:
        message = json.loads(text_data)
    except json.JSONDecodeError as exc:
        raise ProtocolError(_("Message is not valid JSON: %(error)s.") % {"error": exc}) from None
    except RecursionError:
        raise ProtocolError(_("Message is nested too deeply.")) from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError(
            _('Message must be a JSON object with a string "type", such as %(example)s.')
            % {"example": '{"type": "ping", "id": 1}'}
        )
    if message["type"] not in CLIENT_TYPES:
        raise ProtocolError(
            _("Unknown message type %(type)r; expected one of: %(types)s.")
            % {"type": message["type"][:40], "types": ", ".join(CLIENT_TYPES)}
        )
    return message


def _id_of_large(text_data: str) -> int | str | None:
    """The `id` of a message refused for its size, so the reply can name it.

    The text is at most the server's transport limit (daphne refuses larger
    messages before they reach the application), and such messages are rate
    limited like the rest, so reading it costs a bounded amount.
    """
    try:
        message = json.loads(text_data)
        return request_id(message) if isinstance(message, dict) else None
    except (ValueError, RecursionError):
        return None


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


def split(text: str, size: int = limits.MAX_SERVER_MESSAGE_CHARS) -> list[str]:
    """An encoded message as websocket texts: itself, or `part` messages when it is large.

    daphne refuses to send a message over 1 MiB (its limit for messages
    received). A large snapshot (thousands of pods) goes out as parts
    `{"type": "part", "id", "index", "count", "data"}` that the browser joins.
    """
    if len(text) <= size:
        return [text]
    part_id = next(_part_ids)
    chunks = [text[i : i + size] for i in range(0, len(text), size)]
    return [
        encode({"type": "part", "id": part_id, "index": i, "count": len(chunks), "data": c})
        for i, c in enumerate(chunks)
    ]


_part_ids = itertools.count(1)


def error(text: str, request_id: Any = None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "error", "message": text}
    if request_id is not None:
        message["id"] = request_id
    return message


# -- fields of client messages ------------------------------------------------------


def request_id(message: dict) -> int | str | None:
    """The optional `id` a client attaches to match a reply; a short string or an integer."""
    value = message.get("id")
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and len(value) <= 64:
        return value
    raise ProtocolError(_('"id" must be an integer or a string of at most 64 characters.'))


def text_field(message: dict, name: str, limit: int, *, required: bool = True) -> str:
    value = message.get(name, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ProtocolError(_('"%(name)s" must be a non-empty string.') % {"name": name})
    if len(value) > limit:
        raise ProtocolError(
            _('"%(name)s" is too long: the limit is %(limit)s characters.')
            % {"name": name, "limit": limit}
        )
    return value


def command(message: dict) -> tuple[str, str]:
    """`(line, stdin)` of a `command` message."""
    line = text_field(message, "line", limits.MAX_COMMAND_CHARS)
    if "\n" in line or "\r" in line:
        raise ProtocolError(_("A command is one line; put manifests in stdin."))
    stdin = text_field(message, "stdin", limits.MAX_MANIFEST_BYTES, required=False)
    if len(stdin.encode()) > limits.MAX_MANIFEST_BYTES:
        raise ProtocolError(
            _("stdin is too large: the limit is %(limit)s bytes.")
            % {"limit": limits.MAX_MANIFEST_BYTES}
        )
    return line.strip(), stdin


def source(message: dict) -> str:
    value = text_field(message, "source", limits.MAX_SOURCE_CHARS)
    if not _SOURCE.match(value):
        raise ProtocolError(_('"source" must be "host", "pod/NAME" or "pod/NAMESPACE/NAME".'))
    return value


def url(message: dict) -> str:
    value = text_field(message, "url", limits.MAX_URL_CHARS).strip()
    if any(c.isspace() for c in value):
        raise ProtocolError(_('"url" must not contain spaces.'))
    return value


def rate(message: dict) -> float:
    value = message.get("rate")
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 < value <= limits.MAX_STREAM_RATE
    ):
        raise ProtocolError(
            _('"rate" must be a number of requests per second above 0 and at most %(max)s.')
            % {"max": f"{limits.MAX_STREAM_RATE:g}"}
        )
    return float(value)


def choice(message: dict, name: str, options: tuple[str, ...]) -> str:
    value = message.get(name)
    if value not in options:
        raise ProtocolError(
            _('"%(name)s" must be one of: %(options)s.')
            % {"name": name, "options": ", ".join(options)}
        )
    return value


def matrix_view(message: dict) -> str | None:
    """What a `matrix` message asks to see: `workloads`, `pods`, `auto`, or None to close."""
    value = message.get("view")
    if value is None:
        return None
    if value not in ("auto", "workloads", "pods"):
        raise ProtocolError('"view" must be one of: auto, workloads, pods (or absent to close).')
    return value


def speed(message: dict) -> float | None:
    value = message.get("speed")
    if value is None:
        return None
    if isinstance(value, bool) or value not in limits.SPEEDS:
        shown = ", ".join(f"{s:g}" for s in limits.SPEEDS)
        raise ProtocolError(_('"speed" must be one of: %(speeds)s.') % {"speeds": shown})
    return float(value)


def sequence(message: dict, name: str = "seq") -> int:
    value = message.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProtocolError(_('"%(name)s" must be a non-negative integer.') % {"name": name})
    return value


def epoch(message: dict) -> str:
    value = message.get("epoch", "")
    if not isinstance(value, str) or len(value) > 32:
        raise ProtocolError(_('"epoch" must be a short string.'))
    return value


# -- the class --------------------------------------------------------------------------


def view(message: dict) -> dict[str, Any]:
    """The presenter's view from a `view` message, checked and rebuilt from known fields:
    `tab`, `selected` (`{kind, namespace, name}` or null, checked by the room), `pointer`
    (a diagram box's id or null), `zoom`, `scroll` (`[x, y]`, fractions of the way)."""
    shown: dict[str, Any] = {"tab": choice(message, "tab", VIEW_TABS)}
    selected = message.get("selected")
    if selected is not None and not isinstance(selected, dict):
        raise ProtocolError(
            _('"selected" must be an object with kind, namespace and name, or null.')
        )
    shown["selected"] = (
        {k: selected.get(k) for k in ("kind", "namespace", "name")} if selected else None
    )
    pointer = message.get("pointer")
    if pointer is not None and (
        not isinstance(pointer, str)
        or len(pointer) > limits.MAX_BOX_ID_CHARS
        or not _BOX_ID.match(pointer)
    ):
        raise ProtocolError(_('"pointer" must be the id of a box in the diagram, or null.'))
    shown["pointer"] = pointer
    low, high = limits.ZOOMS
    shown["zoom"] = _number(message, "zoom", low, high)
    scroll = message.get("scroll")
    if not isinstance(scroll, list) or len(scroll) != 2:
        raise ProtocolError(_('"scroll" must be [x, y], each from 0 to 1.'))
    shown["scroll"] = [_number({"scroll": v}, "scroll", 0.0, 1.0) for v in scroll]
    return shown


def _number(message: dict, name: str, low: float, high: float) -> float:
    value = message.get(name)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise ProtocolError(
            _('"%(name)s" must be a number from %(low)s to %(high)s.')
            % {"name": name, "low": f"{low:g}", "high": f"{high:g}"}
        )
    return round(float(value), 4)


def floor(message: dict) -> tuple[str, int | None]:
    """`(mode, follower)` of a `floor` message: `presenter`, `open`, or `follower` with a
    follower's number."""
    mode = choice(message, "mode", ("presenter", "open", "follower"))
    if mode != "follower":
        return mode, None
    number = message.get("follower")
    if isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 10**6:
        raise ProtocolError(_('"follower" must be the number of a follower in the room.'))
    return mode, number


def flag(message: dict, name: str) -> bool:
    value = message.get(name)
    if not isinstance(value, bool):
        raise ProtocolError(_('"%(name)s" must be true or false.') % {"name": name})
    return value
