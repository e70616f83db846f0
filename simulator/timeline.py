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

#: The clock's priority for probe rounds (`probes.ProbeScheduler`): predicted here per pod.
PROBE_PRIORITY = 1


@dataclass(frozen=True, slots=True)
class NextChange:
    """The next moment the cluster changes by itself.

    Attributes:
        at: simulated seconds.
        what: one sentence: which object changes and why, e.g. "pod kubia-x7d2k turns
            not ready: its readiness probe fails for the 3rd time in a row
            (failureThreshold 3)".
    """

    at: float
    what: str

    def to_dict(self) -> dict:
        return {"at": self.at, "what": self.what}


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
                threshold = f"successThreshold {check.success_threshold}"
                turns, result = "ready", "passes"
            else:
                left = check.failure_threshold - probe_state.failures
                threshold = f"failureThreshold {check.failure_threshold}"
                turns, result = "not ready", "fails"
            at = first + (max(1, left) - 1) * period
            if best is None or at < best.at:
                count = check.success_threshold if passing else check.failure_threshold
                what = (
                    f"pod {key[1]} turns {turns}: its readiness probe {result} for the "
                    f"{_ordinal(count)} time in a row ({threshold})"
                    if count > 1
                    else f"pod {key[1]} turns {turns}: its next readiness probe {result}"
                )
                best = NextChange(at, what)
    # A controller's requeue (minReadySeconds, a progress deadline) often changes nothing.
    other = state.clock.next_item(skip_priority=PROBE_PRIORITY, skip_types=(Requeue,))
    if other is not None:
        at = max(other[0], now)  # an item already due runs at the next step
        if best is None or at < best.at:
            best = NextChange(at, _scheduled(other[1]))
    return best


def _scheduled(item: object) -> str:
    """One sentence for a clock item of the pods' lifecycle (`timers`)."""
    if isinstance(item, CreateContainers | RunContainers):
        names = [key[1] for key, _ in item.pods]
        more = f" (and {len(names) - 1} more)" if len(names) > 1 else ""
        if isinstance(item, CreateContainers):
            return f"pod {names[0]}{more} leaves Pending: its kubelet creates its containers"
        return f"pod {names[0]}{more} starts running: its containers are created"
    if isinstance(item, RemovePod):
        return f"pod {item.key[1]} stops Terminating and is gone: its preStop hook ends"
    return "a scheduled step of the cluster runs"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
