"""`Cluster`: the simulator's public entry point (CONTRACT.md section 1).

It turns a command line into work on the `ClusterState` (`kubectl ...`,
`curl`, `ping`, `nslookup`, `sleep`), and never raises for anything a user
can type: every failure becomes a non-zero exit code and a message.
"""

from __future__ import annotations

import re

from .bootstrap import bootstrap
from .events import Event
from .export import export_yaml
from .result import CommandResult
from .shell.workstation import Workstation, WorkstationState
from .snapshot import snapshot
from .state import ClusterState

MAX_LINE = 4096  # characters in one command line
MAX_SLEEP = 86400  # seconds one `sleep` may move the clock
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class Cluster:
    """A simulated Kubernetes cluster, deterministic for a given seed and call sequence."""

    def __init__(self, seed: int = 0) -> None:
        from .network import Network

        self.seed = seed
        self.state = ClusterState(seed)
        bootstrap(self.state)
        self.network = Network(self.state)
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

    def export_yaml(self) -> str:
        """The scenario as multi-document YAML that `kubectl apply -f` accepts."""
        return export_yaml(self.state)

    def snapshot(self) -> dict:
        """The JSON-ready topology for the UI, with the current sequence number."""
        return snapshot(self.state)

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
