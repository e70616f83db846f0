"""Readiness probes on the simulated clock: the kubelet's prober.

Probes that fire at the same moment with the same period share one heap
entry (a bucket), so a deployment of 10,000 pods costs one heap operation per
period and one cheap check per pod, rather than 10,000 heap operations.
A readiness worker starts in Failure: a probed container is not ready until
its first success, then needs `failureThreshold` failures in a row to turn
not ready again (k8s-semantics.md section 6).

The prober keeps its own counts (`ProbeState`) and returns what the rest of
the cluster must act on as `ProbeOutcome`s: a container's readiness flipped,
or a failure that needs a new Unhealthy event. It holds the clock and the
runtime records, never the cluster.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from .store import Key

if TYPE_CHECKING:
    from .k8s_events import K8sEvent

#: Where probes wait on the clock: `(first run, period)` in seconds, shared by every
#: probe with the same timing.
ProbeSlot = tuple[float, float]


class SlotClock(Protocol):
    """The clock as the prober uses it: the time, and slots scheduled on it (the cluster's
    clock holds other items too)."""

    @property
    def now(self) -> float: ...

    def schedule(self, at: float, item: ProbeSlot, priority: int = 0) -> None: ...


#: Paths every container image has, so probes such as `cat /etc/hosts` pass.
SYSTEM_PATHS = frozenset(
    ["/", "/etc", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/tmp", "/var", "/usr",
     "/bin", "/root", "/proc", "/dev", "/dev/null", "/var/run", "/run"]
)  # fmt: skip


class ProbeCheck:
    """One container's readiness probe, parsed: shared by every pod of a template.

    An exec probe that tests a file (`ls`, `cat`, `test -e`, `stat`) is parsed
    once into `path` and the error text it prints, so running it is a set lookup.
    """

    __slots__ = ("busybox", "container", "failure_output", "failure_threshold", "path", "port",
                 "probe", "program", "success_threshold")  # fmt: skip

    def __init__(self, container: dict, probe: dict) -> None:
        self.container = container["name"]
        image = container.get("image", "")
        self.busybox = "busybox" in image or "alpine" in image
        self.probe = probe
        self.success_threshold = int(probe.get("successThreshold", 1))
        self.failure_threshold = int(probe.get("failureThreshold", 3))
        self.program, self.path = _file_check((probe.get("exec") or {}).get("command"))
        self.failure_output = (
            missing_file_message(self.program, self.path, busybox=self.busybox)
            if self.path is not None
            else ""
        )
        # An httpGet or tcpSocket probe's port as a number, when the container names it:
        # the prober then tests it inline (a listening port is one set lookup).
        handler = probe.get("httpGet") or probe.get("tcpSocket")
        self.port = (
            probe_port(container, handler.get("port"))
            if isinstance(handler, dict) and "exec" not in probe
            else None
        )


class ProbeState:
    """One pod's run of a probe: consecutive results, readiness, its Unhealthy event."""

    __slots__ = ("check", "event", "failures", "ready", "successes")

    def __init__(self, check: ProbeCheck) -> None:
        self.check = check
        self.successes = 0
        self.failures = 0
        self.ready = False
        self.event: K8sEvent | None = None  # the pod's aggregated Unhealthy event for this probe


class ProbedPod(Protocol):
    """What the prober reads and writes of a pod's runtime record (`runtime.PodRuntime`)."""

    ip: str
    containers: list[dict] | None
    files: dict[str, set[str]]
    probes: list[ProbeState]
    last_probe_output: str

    def listens(self, port: int) -> bool: ...


# What the kubelet must act on after a probe ran, beyond the prober's own counts:
# `(pod, probe, flipped, unhealthy)`: the pod's key; the probe's state, its counts
# already updated; whether the container's readiness turned to `probe.ready`; the
# message of a new Unhealthy event, or None when the probe passed or its failure was
# counted again on the event it already has. A plain tuple: a probe round over
# thousands of pods can make one per pod, and a NamedTuple costs several times as
# much to build and take apart (docs/performance.md).
ProbeOutcome = tuple[Key, ProbeState, bool, "str | None"]


def count_result(pod: Key, record: ProbedPod, probe: ProbeState, ok: bool, output: str,
                 now: float) -> ProbeOutcome | None:  # fmt: skip
    """Count one result into the probe's consecutive successes or failures.

    Readiness flips at `successThreshold` successes (when not ready) or
    `failureThreshold` failures (when ready). A failure that prints what the
    pod's last failure printed counts again on the probe's Unhealthy event
    (kubectl shows "(x4 over 33s)"); any other failure needs a new event.

    Returns:
        What the kubelet must do, or None when the counts are all that changed.
    """
    check = probe.check
    unhealthy = None
    if ok:
        probe.failures = 0
        probe.successes += 1
        flipped = not probe.ready and probe.successes >= check.success_threshold
    else:
        probe.successes = 0
        probe.failures += 1
        flipped = probe.ready and probe.failures >= check.failure_threshold
        event = probe.event
        if event is not None and output == record.last_probe_output:
            event.count += 1
            event.last = now
        else:
            unhealthy = f"Readiness probe failed: {output}".rstrip()
        record.last_probe_output = output
    if flipped:
        probe.ready = not probe.ready
    elif unhealthy is None:
        return None
    return (pod, probe, flipped, unhealthy)


def _file_check(command) -> tuple[str, str | None]:
    """`(program, path)` for an exec probe that tests a file, else `("", None)`."""
    if not command:
        return "", None
    argv = [str(a) for a in command]
    if len(argv) >= 3 and argv[0] in ("sh", "/bin/sh", "bash", "/bin/bash") and argv[1] == "-c":
        try:
            argv = shlex.split(argv[2])
        except ValueError:
            return "", None
    if not argv:
        return "", None
    prog = argv[0].rsplit("/", 1)[-1]
    paths = [a for a in argv[1:] if not a.startswith("-") and a not in ("[", "]")]
    if prog in ("ls", "cat", "test", "stat", "[") and paths:
        return prog, "/" + "/".join(p for p in paths[-1].split("/") if p and p != ".")
    return "", None


class ProbeScheduler:
    """Runs every container's readiness probe at its delay, then every period."""

    def __init__(self, clock: SlotClock, runtime: Mapping[Key, ProbedPod]) -> None:
        self._clock = clock  # holds only (time, period) slots: nothing points back here
        self._runtime = runtime
        self._buckets: dict[ProbeSlot, list[tuple[Key, ProbeState]]] = {}

    def add_all(self, first_at: float, period: float, entries: list[tuple[Key, ProbeState]]):
        """Schedule probes that share their first time and period (pods of one template):
        first at `first_at`, then every `period` seconds."""
        slot = (first_at, period)
        bucket = self._buckets.get(slot)
        if bucket is None:
            bucket = self._buckets[slot] = []
            self._clock.schedule(first_at, slot, priority=1)
        bucket.extend(entries)

    def next_at(self) -> float | None:
        """When the next probe runs (simulated seconds), or None when none is scheduled."""
        return min((at for at, _ in self._buckets), default=None)

    def fire(self, slot: ProbeSlot) -> list[ProbeOutcome]:
        """Run every probe of a bucket that fell due, then put the live ones back one
        period later. Returns what the kubelet must act on, in the order probes ran.

        File-test probes, and httpGet or tcpSocket probes of a listening port, are run
        inline (this loop is the clock's hot path): the unchanged outcome of a steady
        pod costs a few attribute updates.
        """
        bucket = self._buckets.pop(slot)
        runtime = self._runtime
        now = self._clock.now
        outcomes: list[ProbeOutcome] = []
        alive: list[tuple[Key, ProbeState]] = []
        keep = alive.append
        for entry in bucket:
            pod_key, ps = entry
            rt = runtime.get(pod_key)
            if rt is None or ps not in rt.probes:
                continue  # the pod is gone, or restarted with new probe states
            keep(entry)
            check = ps.check
            path = check.path
            if path is None:
                port = check.port
                if port is not None and rt.listens(port):
                    ps.failures = 0
                    ps.successes += 1
                    if not ps.ready and ps.successes >= check.success_threshold:
                        ps.ready = True
                        outcomes.append((pod_key, ps, True, None))
                    continue
                ok, output = run_probe(rt, ps)
                outcome = count_result(pod_key, rt, ps, ok, output, now)
                if outcome is not None:
                    outcomes.append(outcome)
                continue
            files = rt.files.get(check.container)
            if path in SYSTEM_PATHS or (files and _has_path(files, path)):
                ps.failures = 0
                ps.successes += 1
                if not ps.ready and ps.successes >= check.success_threshold:
                    ps.ready = True
                    outcomes.append((pod_key, ps, True, None))
            elif (
                ps.event is not None
                and rt.last_probe_output is check.failure_output
                and not (ps.ready and ps.failures + 1 >= check.failure_threshold)
            ):
                ps.successes = 0
                ps.failures += 1
                ps.event.count += 1  # the same Unhealthy event again: "(x4 over 33s)"
                ps.event.last = now
            else:
                outcome = count_result(pod_key, rt, ps, False, check.failure_output, now)
                if outcome is not None:
                    outcomes.append(outcome)
        if alive:
            at, period = slot
            nxt = (at + period, period)
            if nxt in self._buckets:
                self._buckets[nxt].extend(alive)
            else:
                self._buckets[nxt] = alive
                self._clock.schedule(nxt[0], nxt, priority=1)
        return outcomes


def run_probe(record: ProbedPod, probe_state: ProbeState) -> tuple[bool, str]:
    """Run one probe now against a pod's runtime record.

    Returns:
        `(success, output)`: output is what the failure printed, for the Unhealthy event.
    """
    check = probe_state.check
    path = check.path
    if path is not None:  # the fast path: a file test
        files = record.files.get(check.container)
        if path in SYSTEM_PATHS or (files and _has_path(files, path)):
            return True, ""
        return False, check.failure_output
    probe = check.probe
    exec_ = probe.get("exec")
    if exec_ is not None:
        return _exec_probe(exec_.get("command") or [])
    http = probe.get("httpGet")
    sock = probe.get("tcpSocket")
    handler = http if http is not None else sock
    if handler is None:
        return True, ""
    container = next((c for c in record.containers or () if c.get("name") == check.container), {})
    port = probe_port(container, handler.get("port"))
    ip = record.ip
    if port is not None and record.listens(port):
        return True, ""
    shown = handler.get("port")
    if http is not None:
        path = http.get("path", "/")
        return False, (
            f'Get "http://{ip}:{shown}{path}": dial tcp {ip}:{shown}: connect: connection refused'
        )
    return False, f"dial tcp {ip}:{shown}: connect: connection refused"


def probe_port(container: dict, port) -> int | None:
    """A probe's port as a number. A named port is looked up in the probe's own container,
    as the kubelet does; None when the container declares no such port."""
    if isinstance(port, int) or (isinstance(port, str) and port.isdigit()):
        return int(port)
    if not isinstance(port, str):
        return None
    for declared in container.get("ports") or ():
        if declared.get("name") == port:
            return int(declared["containerPort"])
    return None


def _has_path(files: set[str], path: str) -> bool:
    if path in files:
        return True
    prefix = path.rstrip("/") + "/"
    return any(f.startswith(prefix) for f in files)


def _exec_probe(command: list) -> tuple[bool, str]:
    """Exec probes other than file tests: `true` passes, `false` fails, others are unknown."""
    argv = [str(a) for a in command]
    if len(argv) >= 3 and argv[0] in ("sh", "/bin/sh", "bash", "/bin/bash") and argv[1] == "-c":
        argv = argv[2].split()
    if not argv:
        return False, "no command"
    prog = argv[0].rsplit("/", 1)[-1]
    if prog in ("true", "exit") and argv[1:] in ([], ["0"]):
        return True, ""
    if prog in ("false", "exit"):
        return False, ""
    return False, (
        "OCI runtime exec failed: exec failed: unable to start container process: exec: "
        f'"{argv[0]}": executable file not found in $PATH: unknown'
    )


def missing_file_message(prog: str, path: str, *, busybox: bool) -> str:
    """What `ls`/`cat`/`stat` print for a missing file (BusyBox or GNU coreutils)."""
    if prog in ("test", "["):
        return ""
    if busybox:
        if prog == "cat":
            return f"cat: can't open '{path}': No such file or directory"
        return f"{prog}: {path}: No such file or directory"
    if prog == "ls":
        return f"ls: cannot access '{path}': No such file or directory"
    if prog == "stat":
        return f"stat: cannot statx '{path}': No such file or directory"
    return f"{prog}: {path}: No such file or directory"
