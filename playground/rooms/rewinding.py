"""Rewinding a room: its cluster back to how it was at an earlier point of its log.

The log is append-only, so going back is one more entry, `{"op": "rewind",
"to": N}`: from then on the cluster is as it was after the log's first N
entries. Replay (`log.effective_ops`) reads it the same way, so a restart
rebuilds exactly what the viewers saw. The live room starts a new engine that
replays its effective log (with the streams that ran at that point and the
hits counted until then); every viewer gets a snapshot of the new epoch
(their frames of the old engine no longer apply), a frame naming who did it,
and their inspectors again. The presenter's rewind first copies the log as it
was into a branch, a fork the presenter's key opens, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.db import transaction
from django.utils.translation import gettext as _

from playground.models import Room, RoomEvent
from playground.rooms import roles
from playground.rooms.creation import new_code
from playground.rooms.errors import RoomGone
from playground.rooms.log import effective_ops, read_ops
from playground.rooms.parts import RoomParts

#: Where a branch set aside by a rewind says it came from.
REWIND = {"role": "rewind"}


class Rewinding(RoomParts):
    """`rewind` and `rewind_to_command`, a mixin of `LiveRoom` (playground/rooms/live.py),
    whose attributes these methods use."""

    async def rewind_to_command(self, commands: int, who_id: str | None) -> str:
        """Move the room back to just after its `commands`-th command (0: to the start) and
        run from there, for everyone; the log as it was goes into a branch first. Returns
        the branch's code.

        Raises:
            Forbidden: participant `who_id` is not the room's presenter.
            ValueError: no such point, or the room is there already.
        """

        async def rewind() -> str:
            self.check(self.participant(who_id), "rewind")
            await self._logged()
            ops = await read_ops(self.room_id)
            to = rewind_point(ops, commands)
            branch, _secret = await copy_room(self.code, len(ops), REWIND, fresh_key=False)
            await self._rewound(to, who_id, note=str(commands))
            return branch.code

        return await self._work(rewind())

    async def rewind(self, to: int, who_id: str | None = None) -> None:
        """Return the cluster to how it was after the log's first `to` entries, for everyone
        (`who_id`: the participant asking; None: the server, a lesson's reset).

        Raises:
            Forbidden: `who_id` may not rewind the room.
            ValueError: `to` is beyond the log.
        """

        async def rewind() -> None:
            self.check(self.participant(who_id), "rewind")
            await self._logged()
            kept = effective_ops((await read_ops(self.room_id))[:to])
            commands = sum(op["op"] == "run" for _, op in kept)
            await self._rewound(to, who_id, note=str(commands))

        await self._work(rewind())

    async def _rewound(self, to: int, who_id: str | None, note: str = "") -> None:
        """Under the lock: log the rewind, run a new engine from the log, show everyone."""
        await self._logged()
        if not 0 <= to <= self.log.next_index:
            raise ValueError(
                _("This room's log has %(count)s entries, not %(to)s.")
                % {"count": self.log.next_index, "to": to}
            )
        await self._logged([{"op": "rewind", "to": to}])
        watching = await self._engine("watching")
        await self.restart(await read_ops(self.room_id))
        # Everyone starts again from the new engine's snapshot; then its first frame names
        # who went back, and each inspector shows the object as it is now.
        seq, texts = await self._engine("snapshot")
        await self._publish(self, self._message(seq, None, rebase=texts))
        who = self.participant(who_id)
        by = who.who() if who else {"role": "lesson"}  # no participant: a lesson's reset
        await self._send(await self._engine("note", by, "rewind", note))
        for viewer, target, language in watching:
            texts = await self._engine("watch", viewer, target, None, language)
            if texts:
                await self._publish(self, self._message(self.seq, None, [(viewer, texts)]))
        self.classroom.on_change()


def rewind_point(ops: list[dict[str, Any]], commands: int) -> int:
    """The `rewind` entry's `to` that keeps the room's first `commands` commands (as the
    room has them now: a command an earlier rewind went back over is not one), 0 for the
    start.

    Raises:
        ValueError: the room has fewer commands, or is at that point already.
    """
    made = effective_ops(ops)
    runs = [index for index, op in made if op["op"] == "run"]
    if not 0 <= commands <= len(runs):
        raise ValueError(
            _("This room has run %(count)s commands: choose a point from 0 to %(count)s.")
            % {"count": len(runs)}
        )
    to = runs[commands - 1] + 1 if commands else 0
    if all(index < to for index, _op in made):
        raise ValueError(_("The room is at that point already."))
    return to


@sync_to_async
def copy_room(
    code: str, length: int | None, who: dict[str, Any], *, fresh_key: bool
) -> tuple[Room, str]:
    """Copy room `code` with the first `length` entries of its log (all: None); the copy's
    presenter secret (a new one with `fresh_key`, else the copy shares the room's key)."""
    with transaction.atomic():
        source = Room.objects.filter(code=code).first()
        if source is None:
            raise RoomGone(_("There is no room %(code)s.") % {"code": code})
        entries = RoomEvent.objects.filter(room=source)
        if length is not None:
            entries = entries.filter(index__lt=length)
        ops = list(entries.order_by("index").values_list("op", flat=True))
        if length is not None and len(ops) != length:
            raise ValueError(_("The room was rewound just now: try again."))
        secret, key = roles.new_secret() if fresh_key else ("", source.presenter_key)
        room = Room.objects.create(
            code=new_code(),
            seed=source.seed,
            manifests=source.manifests,
            example=source.example,
            lesson=source.lesson,
            playing=source.playing,
            speed=source.speed,
            presenter_key=key,
            parent=source,
            fork_point=len(ops),
            forked_by=who,
        )
        RoomEvent.objects.bulk_create(
            (RoomEvent(room=room, index=i, op=op) for i, op in enumerate(ops)), batch_size=500
        )
    return room, secret
