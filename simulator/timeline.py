"""When the cluster next changes on its own, as plain data (`Cluster.next_change`).

A learner who removes a pod's readiness file sees nothing for up to
`failureThreshold × periodSeconds`: the probe must fail that many times in a
row. The playground's "next change" control asks this module when that
happens and moves the clock there with `sleep N`, a command the learner could
type. It reads the clock's schedule and each probe's current outcome; it
changes nothing (no event, no time, no draw from the random generator).
"""

from __future__ import annotations

from dataclasses import dataclass

from .probes import run_probe
from .readiness import next_run
from .state import ClusterState
from .timers import CreateContainers, RemovePod, Requeue, RunContainers
from .words import Words, say

#: The clock's priority for probe rounds (`probes.ProbeScheduler`): predicted here per pod.
PROBE_PRIORITY = 1


@dataclass(frozen=True, slots=True)
class NextChange:
    """The next moment the cluster changes by itself.

    Attributes:
        at: simulated seconds.
        words: one sentence: which object changes and why (`what` in English, e.g.
            "pod kubia-x7d2k turns not ready: its readiness probe fails 3 times in a row
            (failureThreshold 3)").
    """

    at: float
    words: Words

    @property
    def what(self) -> str:
        return str(self.words)

    def to_dict(self) -> dict:
        return {"at": self.at, "what": self.what, "words": self.words.to_dict()}


def next_change(state: ClusterState) -> NextChange | None:
    """The next readiness flip a probe will cause (if nothing else changes meanwhile) or
    the next other scheduled event of the clock, whichever comes first; None when the
    cluster would stay as it is forever."""
    best: NextChange | None = None
    now = state.now
    for key, rt in state.runtime.items():
        for probe_state in rt.probes:
            check = probe_state.check
            probe = check.probe
            passing, _ = run_probe(rt, probe_state)
            if passing == probe_state.ready:
                continue  # steady: the next rounds change nothing
            period = float(probe.get("periodSeconds", 10))
            delay = float(probe.get("initialDelaySeconds", 0))
            first = next_run(rt.started_at, delay, period, now)
            if passing:
                left = check.success_threshold - probe_state.successes
                count, turns = check.success_threshold, "probe-ready"
            else:
                left = check.failure_threshold - probe_state.failures
                count, turns = check.failure_threshold, "probe-not-ready"
            at = first + (max(1, left) - 1) * period
            if best is None or at < best.at:
                what = (
                    say(f"{turns}-after", pod=key[1], count=count)
                    if count > 1
                    else say(f"{turns}-next", pod=key[1])
                )
                best = NextChange(at, what)
    # A controller's requeue (minReadySeconds, a progress deadline) often changes nothing.
    other = state.clock.next_item(skip_priority=PROBE_PRIORITY, skip_types=(Requeue,))
    if other is not None:
        at = max(other[0], now)  # an item already due runs at the next step
        if best is None or at < best.at:
            best = NextChange(at, _scheduled(other[1]))
    return best


def _scheduled(item: object) -> Words:
    """One sentence for a clock item of the pods' lifecycle (`timers`)."""
    if isinstance(item, CreateContainers | RunContainers):
        names = [key[1] for key, _ in item.pods]
        what = "creating" if isinstance(item, CreateContainers) else "running"
        if len(names) > 1:
            return say(f"pods-{what}", pod=names[0], more=len(names) - 1)
        return say(f"pod-{what}", pod=names[0])
    if isinstance(item, RemovePod):
        return say("pod-gone", pod=item.key[1])
    return say("scheduled-step")
