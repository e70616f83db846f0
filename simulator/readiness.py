"""A pod's readiness probes as a learner meets them: how to flip one, when each runs next.

Plain data for the inspector (`Cluster.inspect`) and the room's frames
(`Cluster.probe_counts`, `Cluster.next_probe_at`). Nothing here changes the cluster.
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass

from .probes import ProbeCheck, probe_port
from .snapshot import PROBE_HANDLERS
from .state import ClusterState


@dataclass(frozen=True, slots=True)
class ReadinessSwitch:
    """How a learner flips the outcome of a pod's readiness probe with a command line.

    Attributes:
        command: the command line (`kubectl exec ... -- touch /var/ready`); "" when the
            simulator has no switch for this probe, and `note` says why.
        passing: whether the probe's check passes now (its file exists, its port listens).
        action: what the command does, e.g. "rm /var/ready" or "open port 8080".
        note: why there is no command.
    """

    command: str = ""
    passing: bool = False
    action: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProbeTiming:
    """One container's readiness probe on the simulated clock.

    `next_at` is when it runs next (simulated seconds); `successes` and `failures`
    count its latest results in a row; `ready` is the container's readiness.
    """

    container: str
    kind: str
    period_seconds: float
    initial_delay_seconds: float
    started_at: float
    next_at: float
    successes: int
    failures: int
    success_threshold: int
    failure_threshold: int
    ready: bool


def readiness_switch(state: ClusterState, pod: dict) -> ReadinessSwitch:
    """How the pod's first readiness probe is made to pass or fail, as a learner would.

    An exec probe that tests a file (`ls /var/ready`) is switched with
    `kubectl exec POD -c C -- touch PATH` (or `rm PATH`); an httpGet or tcpSocket
    probe with `kubectl exec POD -c C -- kubeplay-port close PORT` (or `open`),
    the simulator's switch for a container port (docs/architecture.md).
    """
    meta = pod["metadata"]
    namespace, name = meta["namespace"], meta["name"]
    for container in pod["spec"].get("containers") or ():
        probe = container.get("readinessProbe")
        if not probe:
            continue
        exec_ = f"kubectl exec {shlex.quote(name)} -n {shlex.quote(namespace)} " + (
            f"-c {shlex.quote(container['name'])} --"
        )
        if "exec" in probe:
            path = ProbeCheck(container, probe).path
            if path is None:
                return ReadinessSwitch(
                    note="The exec probe runs a command the simulator cannot switch; "
                    "edit the manifest to change it."
                )
            exists = state.file_exists(namespace, name, container["name"], path)
            tool = "rm" if exists else "touch"
            return ReadinessSwitch(f"{exec_} {tool} {shlex.quote(path)}", exists, f"{tool} {path}")
        handler = probe.get("httpGet") or probe.get("tcpSocket")
        if handler is None:
            return ReadinessSwitch(note="The simulator always passes gRPC probes.")
        port = probe_port(container, handler.get("port"))
        if port is None:
            return ReadinessSwitch(note="This probe checks a port the container does not declare.")
        listening = state.pod_listens(pod, port)
        switch = "close" if listening else "open"
        return ReadinessSwitch(
            f"{exec_} kubeplay-port {switch} {port}", listening, f"{switch} port {port}"
        )
    return ReadinessSwitch(note="No readiness probe: the pod is Ready while it runs.")


def probe_timings(state: ClusterState, namespace: str, name: str) -> tuple[ProbeTiming, ...]:
    """Each readiness probe of a running pod, with when it runs next."""
    rt = state.runtime.get((namespace, name))
    if rt is None:
        return ()
    now = state.now
    timings = []
    for probe_state in rt.probes:
        check = probe_state.check
        probe = check.probe
        period = float(probe.get("periodSeconds", 10))
        delay = float(probe.get("initialDelaySeconds", 0))
        timings.append(
            ProbeTiming(
                container=check.container,
                kind=next((k for k in PROBE_HANDLERS if k in probe), ""),
                period_seconds=period,
                initial_delay_seconds=delay,
                started_at=rt.started_at,
                next_at=next_run(rt.started_at, delay, period, now),
                successes=probe_state.successes,
                failures=probe_state.failures,
                success_threshold=check.success_threshold,
                failure_threshold=check.failure_threshold,
                ready=probe_state.ready,
            )
        )
    return tuple(timings)


def next_run(started_at: float, delay: float, period: float, now: float) -> float:
    """When a probe that first runs `delay` seconds after its pod started, then every
    `period` seconds, runs next.

    The clock runs what is due when it reaches its time, so a probe due exactly now
    has run; except at the very moment its pod started, when it runs at the clock's
    next step (docs/architecture.md).
    """
    first = started_at + delay
    if now < first or now == first == started_at:
        return first
    return first + math.floor((now - first) / period + 1) * period


def next_probe_at(state: ClusterState) -> float | None:
    """When the next readiness probe of any pod runs, or None when none is scheduled."""
    return state.probes.next_at()


def probe_counts(state: ClusterState) -> dict[tuple[str, str], tuple[int, int]]:
    """`(successes, failures)` in a row of each running pod's first readiness probe."""
    return {
        key: (rt.probes[0].successes, rt.probes[0].failures)
        for key, rt in state.runtime.items()
        if rt.probes
    }
