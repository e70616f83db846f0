"""A live room's class: who is in it, the floor, hands, names, the presenter's view.

A mixin of `LiveRoom` (live.py). The class (classroom.py) lives with the room's
owner, so viewers on every process meet the same floor: each connection is
admitted here, whichever process it reached, and names itself by its
participant id in every request. The floor goes to the engine, for frames to
carry it; the presenter's view goes with the next tick (one per tick however
often it moves); presenters' class views are nudged when the class changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Any

from django.utils.translation import gettext as _

from playground.rooms.errors import RoomGone
from playground.rooms.parts import RoomParts
from playground.rooms.roles import Participant, check


class ClassLevers(RoomParts):
    """The class's side of a `LiveRoom` (whose attributes these methods use)."""

    async def admit(
        self, participant_id: str | None, presenter: bool, number: int = 0
    ) -> list[Any]:
        """Who a new connection is (`participant_id`: its browser's, or None; `number`: the
        one a previous owner gave it): the participant's `[id, role, number, name]`."""
        participant = self.classroom.admit(participant_id, presenter, number)
        self.expect_viewer()
        await self._push_class()
        return [participant.id, participant.role, participant.number, participant.name]

    async def depart(self, participant_id: str) -> None:
        participant = self.classroom.participants.get(participant_id)
        if participant is not None:
            self.classroom.depart(participant)
            await self._push_class()

    def participant(self, participant_id: str | None) -> Participant | None:
        """The participant of that id (None: the server itself, which may do anything).

        Raises:
            RoomGone: the id is not one this room admitted (its owner changed since).
        """
        if participant_id is None:
            return None
        participant = self.classroom.participants.get(participant_id)
        if participant is None:
            raise RoomGone(_("This room moved to another server; reconnecting."))
        return participant

    def check(self, who: Participant | None = None, action: str = "") -> None:
        """Raise RoomGone if the room closed, Forbidden if `who` may not do `action`."""
        if self.closed:
            raise RoomGone(_("this room was reloaded; reconnecting"))
        if who is not None and action:
            check(action, who, self.classroom.floor)

    async def set_floor(self, mode: str, number: int | None, who_id: str) -> None:
        self.check(self.participant(who_id), "floor")
        await self.classroom.set_floor(mode, number)
        await self._push_class()

    async def set_view(self, view: dict[str, Any] | None, who_id: str) -> None:
        """The presenter's view, for followers: it goes out with the next frame (one per
        tick at most, whatever the rate it arrives at), never into the log."""
        self.check(self.participant(who_id), "view")
        self.classroom.view = view
        self._view_due = True  # for the next tick: a pointer moves many times a tick

    async def raise_hand(self, who_id: str, raised: bool) -> None:
        who = self.participant(who_id)
        if who is not None:
            self.classroom.raise_hand(who, raised)

    async def rename(self, who_id: str, name: str) -> None:
        who = self.participant(who_id)
        if who is not None:
            self.classroom.rename(who, name)

    async def class_summary(self) -> dict[str, Any]:
        """The class as the presenter's class view shows it."""
        return self.classroom.summary()

    def _class_changed(self) -> None:
        """Something the class view shows changed: presenters hear of it."""
        self._class_news = True

    async def _push_class(self) -> None:
        """The floor as frames carry it, to the engine, when it changed (admitting the
        follower who holds it gives it its number)."""
        floor = self.classroom.floor_message()
        if floor != self.spec.floor and not self.closed:
            self.spec = dataclasses.replace(self.spec, floor=floor)
            with contextlib.suppress(RoomGone):
                await self._work(self._engine("set_class", floor))

    async def _tell_presenters(self) -> None:
        """Nudge presenters' class views (at most once a flush interval)."""
        if self._class_news:
            self._class_news = False
            await self._publish(self, {**self._message(self.seq, None), "presenters": True})
