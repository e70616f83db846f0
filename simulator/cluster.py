"""`Cluster`: the simulator's public entry point (CONTRACT.md section 1).

It turns a command line into work on the `ClusterState` (`kubectl ...`,
`curl`, `ping`, `nslookup`, `sleep`), and never raises for anything a user
can type: every failure becomes a non-zero exit code and a message.
"""

from __future__ import annotations

import re

from .bootstrap import bootstrap
from .capacity import UNLIMITED, Capacity
from .events import Event
from .export import export_yaml
from .first_steps import FirstSteps, RequestTarget, first_steps
from .gateway_conversion import IngressConversion, ingress_conversions
from .inspection import Inspection, inspect
from .observation import observe, observe_requests, running_pods
from .readiness import next_probe_at, probe_counts
from .result import CommandResult
from .shell.workstation import Workstation, WorkstationState
from .snapshot import snapshot
from .snapshot_changes import SnapshotChanges, snapshot_changes
from .state import ClusterState
from .suggestions import Suggestions, suggestions
from .timeline import NextChange, next_change
from .words import Words, say

MAX_LINE = 4096  # characters in one command line
MAX_SLEEP = 86400  # seconds one `sleep` may move the clock
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class Cluster:
    """A simulated Kubernetes cluster, deterministic for a given seed and call sequence."""

    def __init__(self, seed: int = 0, capacity: Capacity | None = None) -> None:
        """A fresh default cluster (CONTRACT.md section 3).

        Args:
            seed: the seed of every generated name, address and choice.
            capacity: limits checked before each change (`simulator.capacity`); None, the
                default, is unlimited.
        """
        from .network import Network

        self.seed = seed
        self.state = ClusterState(seed, capacity or UNLIMITED)
        bootstrap(self.state)
        self.network = Network(self.state, wait=self.state.advance)
        self.workstation = WorkstationState(seed)

    # -- commands ----------------------------------------------------------------

    def run(self, line: str, stdin: str = "") -> CommandResult:
        """Run one command line on the learner's workstation and return what it printed.

        The line is read as bash reads it (quotes, `$VARIABLES`, pipes into grep,
        head, awk..., `;`/`&&`/`||`, redirections into files); see simulator.shell.
        """
        try:
            return self._run(line, stdin)
        except Exception as err:  # noqa: BLE001 - the contract: never raise for user input
            return CommandResult.error(
                f"error: internal simulator error: {type(err).__name__}: {err}"
            )

    def _run(self, line: str, stdin: str) -> CommandResult:
        if len(line) > MAX_LINE:
            return CommandResult.error(f"error: command line too long (over {MAX_LINE} characters)")
        return Workstation(self, self.workstation).run(line, stdin)

    def sleep(self, args: list[str]) -> CommandResult:
        """`sleep N[smhd]...`: move the simulated clock."""
        if not args:
            return CommandResult.error(
                "sleep: missing operand\nTry 'sleep --help' for more information."
            )
        total = 0.0
        for arg in args:
            match = _DURATION.match(arg)
            if not match:
                return CommandResult.error(
                    f"sleep: invalid time interval '{arg}'\n"
                    "Try 'sleep --help' for more information."
                )
            total += float(match.group(1)) * _UNITS[match.group(2)]
        if total > MAX_SLEEP:
            return CommandResult.error(f"sleep: at most {MAX_SLEEP} seconds at a time here")
        self.advance(total)
        return CommandResult()

    # -- the rest of the contract ------------------------------------------------

    def request(self, url: str, source: str = "host", **options):
        """Send one HTTP request and return its `Trace`."""
        trace = self.network.request(url, source, **options)
        self.state.settle()
        return trace

    def advance(self, seconds: float) -> None:
        """Move the simulated clock; probes run and readiness follows."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        self.state.advance(seconds)

    def snapshot(self) -> dict:
        """The JSON-ready topology for the UI, with the current sequence number."""
        return snapshot(self.state)

    def snapshot_changes(self, since: int) -> SnapshotChanges:
        """The snapshot's entries changed by the events after `since`, as they are now.

        A copy of `snapshot()` taken at event `since` and updated with these upserts
        and removals equals a fresh `snapshot()`; the cost follows the change.
        """
        return snapshot_changes(self.state, since)

    def probe_counts(self) -> dict[tuple[str, str], tuple[int, int]]:
        """`{(namespace, pod): (successes, failures)}` of each running pod's first readiness
        probe: its latest results in a row, which move each time it runs."""
        return probe_counts(self.state)

    def next_probe_at(self) -> float | None:
        """When the next readiness probe of any pod runs (simulated seconds; it has not run
        yet when that is now), or None when no probe is scheduled."""
        return next_probe_at(self.state)

    def first_steps(self) -> FirstSteps:
        """Which requests make sense from where, and why (`FirstSteps`, plain data): every
        URL a request can go to with where it works from, the first one to send (the one
        that shows most of the path), and what to add when there is none. A read."""
        return first_steps(self.state, self._policy_drop)

    def _policy_drop(self, target: RequestTarget) -> Words | None:
        """Why NetworkPolicy drops `target`'s request from where the room sends it (the
        host, or the first running pod of its namespace), None when it passes."""
        source = "host"
        if target.origin == "pod":
            pods = running_pods(self.state, "", target.namespace)
            if not pods:
                return None
            source = f"pod/{target.namespace}/{pods[0]}"
        (trace,) = self.observe_requests(target.url, source, insecure=True, key="first-steps")
        if trace.blocked is None:
            return None
        blocked = trace.blocked
        key = "policy-drops-egress" if blocked.direction == "egress" else "policy-drops-ingress"
        return say(key, policies=", ".join(blocked.policies), namespace=blocked.namespace)

    def suggestions(self) -> Suggestions:
        """Commands to try and a title, from the learner's own objects. A read."""
        return suggestions(self.state)

    def next_change(self) -> NextChange | None:
        """When the cluster next changes by itself (a readiness probe crossing its
        threshold, another scheduled step), and what changes; None when nothing would.
        A read: `sleep` to that time to see it happen."""
        return next_change(self.state)

    def inspect(self, kind: str, namespace: str, name: str) -> Inspection:
        """What an inspector shows about one object, read at one moment (`Inspection`):
        YAML, `kubectl describe`, who selects whom and why, how to flip a pod's
        readiness with a command line, when its probes run next. It changes nothing
        (not the events, the clock or the random generator), so replay never needs it.

        Raises:
            ValueError: `kind` is not one of `simulator.INSPECTABLE_KINDS`.
        """
        from .kubectl import run_kubectl

        def kubectl(argv: list[str]) -> CommandResult:
            return run_kubectl(self.state, argv, network=self.network)

        return inspect(self.state, kubectl, kind, namespace, name)

    # -- observations: reads a lesson's checks make, leaving no trace ------------------

    def observe(self, line: str, key: str = "") -> CommandResult:
        """Run a read-only command line and return what it printed, changing nothing.

        `line` is one program and its words: `kubectl get|describe ...`, `kubectl exec
        POD -- curl|nslookup|ping|env|cat|ls|hostname|test ...`, or `curl`, `nslookup`,
        `ping` on the workstation. Its random draws come from a stream seeded by `key`
        (default: the line), so the same cluster gives the same answer every time, and
        the room's own draws are untouched (simulator/observation.py).

        Raises:
            ValueError: `line` is not such an observation; the message says why.
        """
        return observe(self.state, self.network, line, key)

    def observe_requests(
        self,
        url: str,
        source: str = "host",
        *,
        count: int = 1,
        headers: dict[str, str] | None = None,
        insecure: bool = False,
        key: str = "",
    ) -> list:
        """Send `count` requests as `request` does and return their `Trace`s, changing nothing
        (later requests follow the first through session affinity, as a learner's would).

        Raises:
            ValueError: `count` is not between 1 and 100.
        """
        return observe_requests(
            self.state, self.network, url, source,
            count=count, headers=headers, insecure=insecure, key=key,
        )  # fmt: skip

    def running_pods(self, selector: str = "", namespace: str = "default") -> list[str]:
        """Names of the running pods of `namespace` that a kubectl label selector picks,
        sorted (an empty selector: every pod).

        Raises:
            ValueError: the selector is not kubectl's syntax.
        """
        return running_pods(self.state, selector, namespace)

    def policy_matrix(self, by_pod: bool | None = None) -> dict:
        """Who reaches whom on which port under the NetworkPolicies, as plain data.

        Rows and columns are the running pods' workloads (or pods, in a room of a few
        pods, or when `by_pod` says so); each destination port is a slot, each row a
        string of one letter per slot (`o` passes, `e` the source's egress drops it, `i`
        the destination's ingress does, `b` both). Each group carries the command that
        sends its request (`exec` + a port's `request`). It changes nothing.
        """
        from .netpol import policies_of

        return policies_of(self.state.store).matrix(by_pod).to_dict()

    def export_yaml(self) -> str:
        """The scenario as multi-document YAML that `kubectl apply -f` accepts."""
        return export_yaml(self.state)

    def convert_ingresses(self) -> list[IngressConversion]:
        """ "Convert to Gateway API": per IngressClass of the cluster's Ingresses, those
        Ingresses beside the Gateway and HTTPRoutes ingress2gateway writes for them, its
        report, and the command lines that print and apply them. Changes nothing."""
        return ingress_conversions(self.state)

    def events_since(self, seq: int) -> list[Event]:
        """State changes after sequence number `seq`, oldest first."""
        return self.state.log.since(seq)

    @property
    def seq(self) -> int:
        """The newest event's sequence number."""
        return self.state.log.last_seq

    @property
    def now(self) -> float:
        """Simulated seconds since the cluster started."""
        return self.state.now
