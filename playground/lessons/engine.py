"""A lesson running in a room: which step is current, and which of its checks hold.

The engine is told about every change to the room (`command`, `ticks`) and
judges the current step's checks again when what they look at may have moved:
the cluster's change feed (its event sequence), simulated time for `held`
checks, the requests sent for `traffic` checks, and any command for `ran`
checks. When every check of the current step holds at once, the step is done
and the next one begins; done steps stay done. It keeps no reference to the
cluster: each call is handed the one the room runs now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playground.lessons import checks
from playground.lessons.checks import Evidence
from playground.lessons.model import Check, Lesson, Step

if TYPE_CHECKING:
    from simulator import Cluster, CommandResult


@dataclass(frozen=True, slots=True)
class StepState:
    """The current step and its checks, as viewers are told: `passed` by check id."""

    step: int
    passed: tuple[tuple[str, bool], ...]
    finished: bool

    def to_dict(self) -> dict:
        return {"step": self.step, "checks": dict(self.passed), "finished": self.finished}


class LessonRun:
    """One lesson's progress in one room (`step`: the current step's index; equal to the
    number of steps once the lesson is finished)."""

    def __init__(self, lesson: Lesson, step: int = 0) -> None:
        self.lesson = lesson
        self.step = min(step, len(lesson.steps))
        self.evidence = Evidence()
        self._held_since: dict[str, float] = {}
        self._observed: dict[str, bool] = {}
        self._observed_at: int | None = None  # the cluster's event sequence then
        self.passed: dict[str, bool] = {}

    @property
    def finished(self) -> bool:
        return self.step >= len(self.lesson.steps)

    @property
    def current(self) -> Step | None:
        return None if self.finished else self.lesson.steps[self.step]

    def state(self) -> StepState:
        step = self.current
        passed = tuple((c.id, self.passed.get(c.id, False)) for c in step.checks) if step else ()
        return StepState(self.step, passed, self.finished)

    def restart_step(self) -> None:
        """Forget what the current step saw (its commands, requests and timers)."""
        self.evidence = Evidence()
        self._held_since.clear()
        self._observed.clear()
        self._observed_at = None
        self.passed = {}

    # -- what happened -------------------------------------------------------------------

    def ran(self, line: str, result: CommandResult) -> None:
        """A command ran in the room (by anyone, a button or "show me" included)."""
        if self.finished:
            return
        output = "".join(text for _, text in result.output())
        self.evidence.ran(line, result.exit_code, output)
        self.sent(result.traces)

    def sent(self, traces: Iterable) -> None:
        """Requests the room sent (streams, buttons, curl): for `traffic` checks."""
        step = self.current
        if step is None:
            return
        specs = [(c.id, c.spec) for c in step.checks if c.kind == "traffic"]
        if not specs:
            return
        for trace in traces:
            if trace is not None:
                self.evidence.sent(trace.url, trace.outcome == "ok", specs)

    # -- judging -------------------------------------------------------------------------

    def judge(self, cluster: Cluster, fresh: bool = True) -> bool:
        """Judge the current step's checks against `cluster` now; when all hold, move on.

        Observations are read again when the cluster's change feed moved, or always
        when `fresh` (after a command, which may change what no event records: a file
        in a container, a closed port).

        Returns whether the step just finished (the caller records it).
        """
        step = self.current
        if step is None:
            return False
        if fresh or self._observed_at != cluster.seq:
            self._observed.clear()
            self._observed_at = cluster.seq
        self.passed = {check.id: self._holds(check, cluster) for check in step.checks}
        if all(self.passed.values()):
            self.step += 1
            self.restart_step()
            return True
        return False

    def judge_only(self, cluster: Cluster) -> dict[str, bool]:
        """The current step's verdicts, read afresh, without moving on (benchmarks, tools)."""
        step = self.current
        self._observed.clear()
        self._observed_at = cluster.seq
        return {check.id: self._holds(check, cluster) for check in step.checks} if step else {}

    def _holds(self, check: Check, cluster: Cluster) -> bool:
        kind, spec = check.kind, check.spec
        if kind == "ran":
            return checks.ran_holds(spec, self.evidence.commands)
        if kind == "traffic":
            return checks.traffic_holds(spec, self.evidence.traffic.get(check.id))
        if kind == "held":
            inner_kind, inner = next(iter(spec["check"].items()))
            if not self._observe(check.id, inner_kind, inner, cluster):
                self._held_since.pop(check.id, None)
                return False
            since = self._held_since.setdefault(check.id, cluster.now)
            return cluster.now - since >= spec["seconds"]
        return self._observe(check.id, kind, spec, cluster)

    def _observe(self, check_id: str, kind: str, spec: dict, cluster: Cluster) -> bool:
        """An observation's verdict, read again only after the cluster changed."""
        if check_id not in self._observed:
            key = f"{self.lesson.slug}/{self.step}/{check_id}"
            self._observed[check_id] = checks.observed(kind, spec, cluster, key)
        return self._observed[check_id]

    def watches_time(self) -> bool:
        """Whether the current step's verdict may change with time alone (a `held` check)."""
        step = self.current
        return step is not None and any(c.kind == "held" for c in step.checks)
