"""A live room's class: who is in it, who has the floor, raised hands, the presenter's view.

None of this is cluster state, so none of it is in the room's log: the
floor is kept on the `Room` row (it survives a restart), the rest lives as
long as the room is in memory. Frames carry the floor and the presenter's
view to everyone (`Frames.floor`, `Frames.view`); the class view asks
`summary` (docs/architecture.md, "Classroom").
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from playground.models import Room
from playground.rooms.roles import FOLLOWER, PRESENTER, VIEWER, Floor, Participant, may_act

#: The longest name a follower may give themselves.
MAX_NAME = 40


class Classroom:
    """The participants of one live room, numbered in the order they arrived."""

    def __init__(self, room: Room) -> None:
        self.room_id = room.pk
        self.key = room.presenter_key
        self.floor = Floor.parse(room.floor)
        self.participants: dict[str, Participant] = {}
        self.connections: Counter[str] = Counter()
        self.hands: dict[str, float] = {}
        #: The presenter's view (selection, tab, pointer, zoom, scroll), for followers.
        self.view: dict[str, Any] | None = None
        self._numbers = 0
        #: Called when something the class view shows changed (the live room nudges presenters).
        self.on_change: Callable[[], None] = lambda: None

    @property
    def open(self) -> bool:
        """A room without a presenter (made before roles): everyone may change it."""
        return not self.key

    def admit(self, participant_id: str | None, presenter: bool, number: int = 0) -> Participant:
        """The participant behind a new connection (a browser's id, or None for a bare one).

        `number`: the one a previous owner gave it (a view moving its viewers to the room's
        new owner, never a browser), kept unless someone here has it already."""
        pid = participant_id or secrets.token_hex(12)
        role = VIEWER if self.open else PRESENTER if presenter else FOLLOWER
        known = self.participants.get(pid)
        if known is None or known.role != role:
            if known is not None and known.number:
                number = known.number
            elif number in {p.number for p in self.participants.values()}:
                number = 0
            self._numbers = max(self._numbers, number)
            if role != PRESENTER and not number:
                self._numbers += 1
                number = self._numbers
            known = Participant(pid, role, number, known.name if known else "")
            self.participants[pid] = known
        self.connections[pid] += 1
        self.on_change()
        return known

    def depart(self, participant: Participant) -> None:
        self.connections[participant.id] -= 1
        if self.connections[participant.id] <= 0:
            del self.connections[participant.id]
            self.hands.pop(participant.id, None)
        self.on_change()

    def may_act(self, participant: Participant) -> bool:
        return may_act(participant, self.floor)

    # -- the presenter's levers ------------------------------------------------------------

    async def set_floor(self, mode: str, number: int | None = None) -> None:
        """Open the floor, close it, or hand it to follower `number`; kept on the Room row.

        Raises:
            ValueError: no such follower in the room.
        """
        if mode == "follower":
            holder = self.follower(number)
            if holder is None:
                raise ValueError(
                    _("There is no follower %(number)s in this room.") % {"number": number}
                )
            self.floor = Floor("follower", holder.id)
            self.hands.pop(holder.id, None)
        else:
            self.floor = Floor("open" if mode == "open" else "presenter")
        await Room.objects.filter(pk=self.room_id).aupdate(floor=self.floor.stored())
        self.on_change()

    def follower(self, number: int | None) -> Participant | None:
        for participant in self.participants.values():
            if participant.role == FOLLOWER and participant.number == number:
                return participant
        return None

    def floor_message(self) -> dict[str, Any]:
        """The floor as frames carry it: `{mode}`, and `follower` (a number) when handed."""
        message: dict[str, Any] = {"mode": "open" if self.open else self.floor.mode}
        holder = self.participants.get(self.floor.holder) if self.floor.holder else None
        if self.floor.mode == "follower":
            message["follower"] = holder.number if holder is not None else None
        return message

    # -- what followers do -----------------------------------------------------------------

    def raise_hand(self, participant: Participant, raised: bool) -> None:
        if raised:
            self.hands.setdefault(participant.id, time.time())
        else:
            self.hands.pop(participant.id, None)
        self.on_change()

    def rename(self, participant: Participant, name: str) -> None:
        participant.name = name
        self.on_change()

    # -- the class view --------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """Followers (number, name, online, hand, control) and hands in the order raised."""
        followers = [
            {
                "number": p.number,
                "name": p.name,
                "online": p.id in self.connections,
                "hand": p.id in self.hands,
                "control": self.floor.mode == "follower" and self.floor.holder == p.id,
            }
            for p in sorted(self.participants.values(), key=lambda p: p.number)
            if p.role == FOLLOWER
        ]
        hands = [
            self.participants[pid].who()
            for pid, _ in sorted(self.hands.items(), key=lambda item: item[1])
            if pid in self.participants
        ]
        return {
            "followers": followers,
            "online": sum(1 for f in followers if f["online"]),
            "hands": hands,
            "floor": self.floor_message(),
        }


def clean_name(value: Any) -> str:
    """A follower's name as given: printable, single spaces, at most `MAX_NAME` characters."""
    if not isinstance(value, str):
        raise ValueError(_('"name" must be a string.'))
    name = " ".join("".join(ch for ch in value if ch.isprintable()).split())
    if len(name) > MAX_NAME:
        raise ValueError(_("A name is at most %(count)s characters.") % {"count": MAX_NAME})
    return name
