"""Readiness probes on the simulated clock.

Probes that fire at the same moment with the same period share one heap
entry (a bucket), so a deployment of 10,000 pods costs one heap operation per
period and one cheap check per pod, rather than 10,000 heap operations.
A readiness worker starts in Failure: a probed container is not ready until
its first success, then needs `failureThreshold` failures in a row to turn
not ready again (k8s-semantics.md section 6).
"""

from __future__ import annotations

import shlex
import weakref
from typing import TYPE_CHECKING

from .store import Key

if TYPE_CHECKING:
    from .state import ClusterState

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

    __slots__ = ("busybox", "container", "failure_output", "failure_threshold", "path", "probe",
                 "program", "success_threshold")  # fmt: skip

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


class ProbeState:
    """One pod's run of a probe: consecutive results, readiness, its Unhealthy event."""

    __slots__ = ("check", "event", "failures", "ready", "successes")

    def __init__(self, check: ProbeCheck) -> None:
        self.check = check
        self.successes = 0
        self.failures = 0
        self.ready = False
        self.event = None  # the pod's aggregated Unhealthy event for this probe


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

    def __init__(self, state: ClusterState) -> None:
        self._state = weakref.proxy(state)  # no reference cycle: a dropped cluster frees at once
        self._buckets: dict[tuple[float, float], list[tuple[Key, ProbeState]]] = {}

    def add_all(self, first_at: float, period: float, entries: list[tuple[Key, ProbeState]]):
        """Schedule probes that share their first time and period (pods of one template):
        first at `first_at`, then every `period` seconds."""
        slot = (first_at, period)
        bucket = self._buckets.get(slot)
        if bucket is None:
            bucket = self._buckets[slot] = []
            self._state.clock.schedule(first_at, lambda: self._fire(slot), priority=1)
        bucket.extend(entries)

    def next_at(self) -> float | None:
        """When the next probe runs (simulated seconds), or None when none is scheduled."""
        return min((at for at, _ in self._buckets), default=None)

    def _fire(self, slot: tuple[float, float]) -> None:
        """Run every probe of a bucket, then put the live ones back one period later.

        File-test probes are run inline (this loop is the clock's hot path):
        the unchanged outcome of a steady pod costs a few attribute updates.
        """
        bucket = self._buckets.pop(slot)
        state = self._state
        runtime = state.runtime
        record = state.record_probe
        now = state.clock.now
        alive = []
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
                ok, output = run_probe(state, pod_key, rt, ps)
                record(pod_key, rt, ps, ok, output)
                continue
            files = rt.files.get(check.container)
            if path in SYSTEM_PATHS or (files and _has_path(files, path)):
                ps.failures = 0
                ps.successes += 1
                if not ps.ready and ps.successes >= check.success_threshold:
                    record(pod_key, rt, ps, True, "")
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
                record(pod_key, rt, ps, False, check.failure_output)
        if alive:
            at, period = slot
            nxt = (at + period, period)
            if nxt in self._buckets:
                self._buckets[nxt].extend(alive)
            else:
                self._buckets[nxt] = alive
                state.clock.schedule(nxt[0], lambda: self._fire(nxt), priority=1)


def run_probe(state: ClusterState, pod_key: Key, rt, probe_state: ProbeState) -> tuple[bool, str]:
    """Run one probe now. Returns (success, output for the Unhealthy event)."""
    check = probe_state.check
    path = check.path
    if path is not None:  # the fast path: a file test
        files = rt.files.get(check.container)
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
    pod = state.store.get("Pod", *pod_key)
    containers = pod["spec"].get("containers") or () if pod else ()
    container = next((c for c in containers if c.get("name") == check.container), {})
    port = probe_port(container, handler.get("port"))
    ip = pod["status"].get("podIP", "") if pod else ""
    if port is not None and state.pod_listens(pod, port):
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
