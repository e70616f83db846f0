"""A lesson as a follower of its room (playground/rooms/followers.py).

The tracker hears every command and tick of a lesson room, lets the engine
judge the current step, and tells the room's viewers (`lesson` messages)
whenever a check flips or a step is done. Progress lives in the room's log:
when a step is done the tracker appends a note, `{"op": "lesson", "lesson":
slug, "step": n}` (step n begins here), so progress survives a reload and a
restart, and a fork of the room's log carries it along. The current step's
start is the entry after that note, and "reset this step" rewinds the room
to it. The tracker runs in the room's engine (playground/rooms/engine.py);
the room's owner answers the `lesson` messages with it
(playground/rooms/lesson_requests.py). A restart rebuilds what the step saw
(commands, requests) from the replayed log; only `held` timers start again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from playground import protocol
from playground.lessons.engine import LessonRun
from playground.lessons.loader import lessons
from playground.lessons.model import Lesson

if TYPE_CHECKING:
    from playground.models import Room
    from playground.rooms.followers import FollowedRoom


def progress_in(ops: list[dict[str, Any]], slug: str) -> tuple[int, int]:
    """`(step, start)` of a lesson in a log: the current step's index and the index of the
    log entry where it began (0 before any note: the room's creation)."""
    for index in range(len(ops) - 1, -1, -1):
        op = ops[index]
        if op.get("op") == "lesson" and op.get("lesson") == slug:
            return int(op["step"]), index + 1
    return 0, 0


def follower_for(room: Room, ops: list[dict[str, Any]]) -> LessonTracker | None:
    """The tracker of a room that runs a lesson (a factory for `rooms.register_follower`)."""
    lesson = lessons().get(room.lesson) if room.lesson else None
    if lesson is None:
        return None
    step, start = progress_in(ops, lesson.slug)
    return LessonTracker(lesson, step, start)


class LessonTracker:
    """One room's lesson: the engine, where the current step began, what viewers were told."""

    message_type = "lesson"

    def __init__(self, lesson: Lesson, step: int, start: int) -> None:
        self.run = LessonRun(lesson, step)
        self.start = start
        self._told: dict[str, Any] | None = None
        self._seen: tuple[int, float] | None = None  # the cluster's (seq, now) last judged

    @property
    def lesson(self) -> Lesson:
        return self.run.lesson

    # -- follower --------------------------------------------------------------------

    def replayed(self, index: int, op: dict[str, Any], result: Any) -> None:
        if index < self.start:
            return
        if op["op"] == "run":
            self.run.ran(op["line"], result)
        elif op["op"] == "ticks":
            self.run.sent(result)

    async def changed(self, room: FollowedRoom, command, traces: list | None) -> None:
        cluster = room.cluster
        if command is not None:
            self.run.ran(*command)
        elif traces is None:  # a rewind: the step starts over
            self.run.restart_step()
        else:
            self.run.sent(traces)
            seen = (cluster.seq, cluster.now if self.run.watches_time() else 0.0)
            if seen == self._seen and not (traces and self._counts_traffic()):
                return  # a tick that changed nothing this step looks at
        while self.run.judge(cluster, fresh=command is not None or traces is None):
            index = await room.mark(
                {"op": "lesson", "lesson": self.lesson.slug, "step": self.run.step}
            )
            self.start = index + 1
        self._seen = (cluster.seq, cluster.now if self.run.watches_time() else 0.0)
        message = self.message()
        if message != self._told:
            self._told = message
            await room.broadcast([protocol.encode(message)])

    def greeting(self) -> list[str]:
        self._told = self.message()
        return [protocol.encode(self._told)]

    # -- messages --------------------------------------------------------------------

    def message(self) -> dict[str, Any]:
        """The `lesson` message: the current step and its checks, for every viewer."""
        return {
            "type": "lesson",
            "lesson": self.lesson.slug,
            "steps": len(self.lesson.steps),
            **self.run.state().to_dict(),
        }

    def _counts_traffic(self) -> bool:
        step = self.run.current
        return step is not None and any(c.kind == "traffic" for c in step.checks)
