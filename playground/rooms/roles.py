"""Roles: who may do what in a room, checked on the server for every message.

A room made since roles exist has a presenter: whoever holds its secret (a
capability of 192 random bits). The room stores only the secret's SHA-256;
the secret travels in the presenter link (`/rooms/<code>/present/<secret>/`)
once, and then in an HttpOnly cookie named after the digest, so a room and
the branches a rewind sets aside (same digest) share it. Everyone else who
opens the room is a follower: they see everything live and may inspect, but
they change nothing unless the presenter opens the floor to everyone or hands
it to them. A room stored without a digest (made before roles) is an open
room: everyone is a viewer who may change it, as before.

Nothing here trusts the page: the consumer asks `check_role` before it
handles a message (what the sender's role alone forbids), and the room's
owner asks `check` under its lock before it changes anything (the floor, kept
by the owner, so viewers on every process meet the same one), so a forged
message gets an error and changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

PRESENTER = "presenter"
FOLLOWER = "follower"
#: Everyone in an open room (one made before roles).
VIEWER = "viewer"

#: What each client message needs (every type of `protocol.CLIENT_TYPES`, once); for a
#: `lesson` message, what each of its actions needs (reading its state changes nothing,
#: "show me" runs commands, "reset" rewinds the room).
ANYONE, ACT, PRESENT = "anyone", "act", "present"
NEEDS: dict[str, str | dict[str, str]] = {
    "ping": ANYONE,
    "resync": ANYONE,
    "inspect": ANYONE,
    "matrix": ANYONE,  # reading the reachability matrix changes nothing
    "hand": ANYONE,
    "name": ANYONE,
    "command": ACT,
    "traffic": ACT,
    "clock": ACT,
    "lesson": {"state": ANYONE, "show": ACT, "reset": ACT},
    "view": PRESENT,
    "floor": PRESENT,
    "rewind": PRESENT,
}

#: The cookie that makes a browser the same participant across reloads and tabs.
PARTICIPANT_COOKIE = "kubeplay_participant"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_FLOOR = re.compile(r"^follower:[0-9a-f]{24}$")


class Forbidden(ValueError):
    """A message this participant has no right to send; its text goes back in an error."""


# -- the presenter's capability ----------------------------------------------------------


def new_secret() -> tuple[str, str]:
    """A presenter secret and the digest the room stores."""
    secret = secrets.token_urlsafe(24)
    return secret, digest(secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def cookie_name(key: str) -> str:
    """The presenter cookie of rooms whose stored digest is `key`."""
    return f"kubeplay_presenter_{key[:16]}"


def holds_key(key: str, secret: str | None) -> bool:
    """Whether `secret` is the presenter secret of a room that stores `key` (constant time)."""
    if not key or not _DIGEST.match(key) or not isinstance(secret, str) or len(secret) > 100:
        return False
    return hmac.compare_digest(digest(secret), key)


def is_presenter(key: str, cookies: Mapping[str, str]) -> bool:
    """Whether a request's cookies carry the presenter secret of a room that stores `key`."""
    return bool(key) and holds_key(key, cookies.get(cookie_name(key)))


def participant_id(cookies: Mapping[str, str]) -> str | None:
    """The stable id of the browser behind a request (a digest of its cookie), if it has one.

    The cookie itself never leaves the server's hands: frames name participants by number.
    """
    token = cookies.get(PARTICIPANT_COOKIE)
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    return digest(token)[:24]


def new_participant_token() -> str:
    return secrets.token_urlsafe(18)


# -- participants and the floor ----------------------------------------------------------


@dataclass(slots=True)
class Participant:
    """Someone in a room: a browser (all its tabs), or one bare connection without a cookie.

    `number` is the follower's (or open-room viewer's) number in the room, 0 for a presenter.
    """

    id: str
    role: str
    number: int = 0
    name: str = ""

    def who(self) -> dict[str, Any]:
        """How frames, the log and the class view name this participant (never by id)."""
        who: dict[str, Any] = {"role": self.role, "number": self.number}
        if self.name:
            who["name"] = self.name
        return who


def label(who: Mapping[str, Any] | None) -> str:
    """`who` in words: "presenter", "follower 3 (Li)", "viewer 2"."""
    if not who:
        return _("someone")
    role, number = who.get("role"), who.get("number")
    if role == PRESENTER:
        text = _("presenter")
    elif role == "rewind":
        text = _("rewind")
    elif not number:  # made where the room was not running: who it was is not known
        text = _("a follower") if role == FOLLOWER else _("someone")
    elif role == FOLLOWER:
        text = _("follower %(number)s") % {"number": number}
    else:
        text = _("viewer %(number)s") % {"number": number}
    name = who.get("name")
    return f"{text} ({name})" if name else text


@dataclass(frozen=True, slots=True)
class Floor:
    """Who may change the room besides its presenter: nobody, everyone, or one follower."""

    mode: str = "presenter"  # "presenter" | "open" | "follower"
    holder: str = ""  # the participant id of the follower who has control

    @classmethod
    def parse(cls, stored: str) -> Floor:
        if stored == "open":
            return cls("open")
        if _FLOOR.match(stored or ""):
            return cls("follower", stored.split(":", 1)[1])
        return cls()

    def stored(self) -> str:
        if self.mode == "open":
            return "open"
        if self.mode == "follower":
            return f"follower:{self.holder}"
        return ""


def may_act(who: Participant, floor: Floor) -> bool:
    """Whether `who` may change the cluster (commands, clock, traffic) now."""
    if who.role in (PRESENTER, VIEWER):
        return True
    return floor.mode == "open" or (floor.mode == "follower" and floor.holder == who.id)


def _need(message_type: str, action: Any) -> str | None:
    need = NEEDS.get(message_type)
    if isinstance(need, dict):
        return need.get(action, ACT)  # an action it does not know: refused unless allowed
    return need


def check_role(message_type: str, who: Participant, action: Any = None) -> None:
    """Raise Forbidden if `who`'s role alone forbids the message (the presenter's levers
    from anyone else). Where the message arrives, any process: whether the floor lets `who`
    change the room is the room's owner's to check, under its lock (`check`)."""
    if _need(message_type, action) == PRESENT:
        check(message_type, who, Floor(), action)


def check(message_type: str, who: Participant, floor: Floor, action: Any = None) -> None:
    """Raise Forbidden unless `who` may send a message of this type (and `action`) now."""
    need = _need(message_type, action)
    if need == ANYONE:
        return
    if need == ACT:
        if may_act(who, floor):
            return
        raise Forbidden(
            _(
                "Only the presenter changes this room. Press “Try it yourself” for a copy of "
                "your own, or raise your hand."
            )
        )
    if need == PRESENT and who.role == PRESENTER:
        return
    if need == PRESENT and who.role == VIEWER:
        raise Forbidden(_("This room has no presenter: it was made before rooms had roles."))
    raise Forbidden(_("Only the presenter can do that."))
