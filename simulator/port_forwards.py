"""`kubectl port-forward` as background jobs of the learner's shell.

A real `kubectl port-forward` blocks its terminal (or runs as a job with
`&`) and carries each connection to `localhost:LOCAL` into the pod's own
network namespace, to `127.0.0.1:REMOTE`. The browser terminal cannot block,
so every forward here is a job of the workstation's shell: `jobs` lists it,
`kill %N` (or its PID) ends it, and it ends by itself, with kubectl's `error:
lost connection to pod`, when its pod goes away (deleted, or replaced by a
rollout: a forward sticks to the one pod it picked, as kubectl's does).

The jobs live with the cluster (`ClusterData.port_forwards`) because the
network reads them: `curl localhost:LOCAL` on the host reaches the pod
(network/direct_routes.py). Only command lines change them, so a room's
log replays them exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .store import Key

#: The PID bash prints for the first job (then one more per job).
FIRST_PID = 4242
_STATUS_WIDTH = 24  # bash pads a job's status to this width


@dataclass(slots=True)
class PortForward:
    """One running `kubectl port-forward`.

    Attributes:
        job: its job number in the workstation's shell.
        pid: its process ID.
        command: the command line as typed (without a trailing `&`).
        pod: the pod's `(namespace, name)`; uid: that pod's UID (a new pod of the same
            name is another pod).
        ports: local port -> the pod's port.
    """

    job: int
    pid: int
    command: str
    pod: Key
    uid: str
    ports: dict[int, int]


class PortForwards:
    """The workstation's running forwards, by job number."""

    def __init__(self) -> None:
        self.jobs: dict[int, PortForward] = {}
        self.started = 0  # forwards ever started (each takes the next PID)

    def local_ports(self) -> dict[int, PortForward]:
        """Every local port listening, and its forward."""
        return {port: f for f in self.jobs.values() for port in f.ports}

    def start(self, command: str, pod: Key, uid: str, ports: dict[int, int]) -> PortForward:
        """Register a forward as the next job (bash numbers it after the highest one)."""
        job = max(self.jobs, default=0) + 1
        forward = PortForward(job, FIRST_PID + self.started, command, pod, uid, ports)
        self.started += 1
        self.jobs[job] = forward
        return forward

    def current(self) -> tuple[int | None, int | None]:
        """bash's current (`+`) and previous (`-`) jobs: the newest two."""
        numbers = sorted(self.jobs)
        return (numbers[-1] if numbers else None, numbers[-2] if len(numbers) > 1 else None)

    def line(self, forward: PortForward, status: str, background: bool = True) -> str:
        """A job as bash shows it: `[1]+  Running                 kubectl ... &`."""
        plus, minus = self.current()
        mark = "+" if forward.job == plus else "-" if forward.job == minus else " "
        tail = " &" if background else ""
        return f"[{forward.job}]{mark}  {status.ljust(_STATUS_WIDTH)}{forward.command}{tail}\n"

    def listing(self) -> str:
        """What `jobs` prints."""
        return "".join(self.line(self.jobs[n], "Running") for n in sorted(self.jobs))

    def find(self, spec: str) -> PortForward | None:
        """The job `%N`, `%%`, `%+`, `%-`, `%kubectl` (a command prefix) or PID names."""
        if spec.startswith("%"):
            word = spec[1:]
            plus, minus = self.current()
            if word in ("", "%", "+"):
                return self.jobs.get(plus) if plus is not None else None
            if word == "-":
                return self.jobs.get(minus) if minus is not None else None
            if word.isdigit():
                return self.jobs.get(int(word))
            matching = [f for f in self.jobs.values() if f.command.startswith(word)]
            return matching[-1] if matching else None
        if spec.isdigit():
            return next((f for f in self.jobs.values() if f.pid == int(spec)), None)
        return None

    def end(self, forward: PortForward, status: str) -> str:
        """Stop a job; returns bash's notice of it (`[1]+  Terminated  ...`)."""
        text = self.line(forward, status, background=False)
        del self.jobs[forward.job]
        return text

    def end_lost(self, runtime: Mapping[Key, Any]) -> str:
        """End the forwards whose pod no longer runs (`runtime`: the running pods' records);
        returns what the terminal shows: kubectl's error, then bash's notice of the exit."""
        shown = []
        for number in sorted(self.jobs):
            forward = self.jobs[number]
            if not alive(runtime, forward):
                shown.append("error: lost connection to pod\n" + self.end(forward, "Exit 1"))
        return "".join(shown)


def alive(runtime: Mapping[Key, Any], forward: PortForward) -> bool:
    """Whether the forward's pod still runs (the same pod, not a new one of its name)."""
    rt = runtime.get(forward.pod)
    return rt is not None and rt.uid == forward.uid
