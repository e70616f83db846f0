"""A lesson's client messages, answered by the room that runs it.

The lesson's tracker follows the room inside its engine (engine.py: it judges
the current step on the cluster, notes progress in the log and tells every
viewer); the `lesson` messages a viewer sends come here, to the room's owner,
which asks the engine and runs the solution's commands as the viewer's own:
"state" reads the step, "show me" runs the solution (the right to act), and
"reset this step" takes the room back to where the step began.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from playground import protocol
from playground.rooms.log import read_ops
from playground.rooms.parts import RoomParts
from playground.rooms.roles import check


class LessonRequests(RoomParts):
    """`lesson`, a mixin of `LiveRoom` (playground/rooms/live.py), whose attributes it uses."""

    async def lesson(
        self, viewer: str, who_id: str | None, message: dict[str, Any]
    ) -> dict[str, Any]:
        """Answer a `lesson` message from connection `viewer` (participant `who_id`).

        Raises:
            Forbidden: the participant may not do that action.
            ValueError: not the current step, or the solution cannot run yet.
        """
        who = self.participant(who_id)
        if who is not None:  # first: an action it does not know needs the right to act
            check("lesson", who, self.classroom.floor, message.get("action"))
        action = protocol.choice(message, "action", ("show", "reset", "state"))
        try:
            if action == "state":
                return await self._work(self._engine("lesson_state"))
            step = message.get("step")
            count = await self._work(self._engine("lesson_step", step))
        except LookupError:
            raise protocol.ProtocolError(_("This room runs no lesson.")) from None
        if action == "reset":
            await self.written()
            start = await self._work(self._engine("lesson_start", await read_ops(self.room_id)))
            await self.rewind(start)  # the lesson's own: the server's right, not the viewer's
            return await self._work(self._engine("lesson_state"))
        results = []
        for index in range(count):
            command = await self._work(self._engine("lesson_solution", step, index))
            if command is None:
                break  # done: the rest of the solution is not needed
            line, stdin = command
            fields = await self.run_command(line, stdin, by=viewer, who_id=who_id)
            results.append({**fields, "stdin": stdin} if stdin else fields)
        return {"type": "shown", "results": results}
