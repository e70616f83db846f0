"""A room engine's followers (a lesson's tracker): told about each command, tick and
rewind as the engine does it, and asked about the lesson.

A mixin of `RoomEngine` (engine.py), in the room's worker. A follower's notes
(`mark`) go in the log with the work's entries, and what it says
(`broadcast`) goes to every viewer with the work's frame: both travel back in
the work's `Outcome`. The room's owner answers the lesson's client messages
with the `lesson_*` methods (lesson_requests.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import translation

if TYPE_CHECKING:
    from playground.rooms.followers import Follower
    from playground.rooms.outcome import Outcome
    from simulator import Cluster


class EngineFollowers:
    """The followers of a `RoomEngine` (whose attributes these methods use)."""

    cluster: Cluster
    followers: dict[str, Follower]

    def _followed(self, outcome: Outcome, command: Any, traces: list | None) -> Outcome:
        """Tell the followers about a command, a tick or a rewind (neither); what they note
        goes in the work's log entries, what they say to every viewer."""
        for follower in self.followers.values():
            _done(follower.changed(_FollowedHere(self.cluster, outcome), command, traces))
        return outcome

    def follower_greetings(self) -> list[str]:
        return [text for f in self.followers.values() for text in f.greeting()]

    def lesson_state(self) -> dict[str, Any]:
        """The `lesson` message (LookupError: the room runs no lesson)."""
        return self._tracker().message()

    def lesson_step(self, step: Any) -> int:
        """How many commands the solution of step `step` has, if it is the current one
        (ValueError otherwise)."""
        run = self._tracker().run
        if step != run.step or run.finished or run.current is None:
            raise ValueError(translation.gettext("That step is not the current one any more."))
        return len(run.current.solution)

    def lesson_solution(self, step: int, index: int) -> tuple[str, str] | None:
        """The solution's command `index` of step `step`, its placeholders filled from the
        cluster now; None once the step is done. ValueError: it cannot run yet."""
        from playground.lessons import placeholders

        run = self._tracker().run
        if run.step != step or run.current is None:
            return None
        command = run.current.solution[index]
        try:
            return placeholders.fill(command.line, self.cluster), command.stdin
        except placeholders.Unresolved as err:
            raise ValueError(
                translation.gettext("The solution cannot run yet: %(why)s.") % {"why": err}
            ) from None

    def lesson_seen(self) -> list[Any]:
        """The commands the current step has seen (its checks' evidence)."""
        return list(self._tracker().run.evidence.commands)

    def lesson_start(self, ops: list[dict[str, Any]]) -> int:
        """Where the current step began in the log `ops` (a reset rewinds there)."""
        from playground.lessons.tracker import progress_in

        return progress_in(ops, self._tracker().lesson.slug)[1]

    def _tracker(self) -> Any:
        tracker = self.followers.get("lesson")
        if tracker is None:
            raise LookupError("no lesson")
        return tracker


class _FollowedHere:
    """The room as a follower sees it inside the engine: the cluster, a note for the log
    (appended to the work's entries) and words for every viewer (sent with its frame)."""

    def __init__(self, cluster: Cluster, outcome: Outcome) -> None:
        self.cluster = cluster
        self._outcome = outcome

    async def mark(self, op: dict[str, Any]) -> int:
        self._outcome.ops.append(op)
        return -1  # its index is the log's to give; a reload finds the note by reading it

    async def broadcast(self, texts: list[str]) -> None:
        self._outcome.broadcast.extend(texts)


def _done(step: Any) -> Any:
    """Run a follower's coroutine that never waits (its room is `_FollowedHere`, which
    answers at once) to its end, here in the engine, which has no event loop."""
    try:
        step.send(None)
    except StopIteration as finished:
        return finished.value
    step.close()
    raise RuntimeError("a room follower waited for something inside the engine")
