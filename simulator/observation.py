"""Observations: what a learner could see, read without changing the cluster.

A lesson checks its steps by looking at the cluster as a learner would: a
read-only command (`kubectl get`, `describe`, `exec POD -- curl`, `curl`,
`nslookup`, `ping`), requests and their traces, the pods a selector picks.
Reading must leave no trace, so that a room's log still replays exactly:
`unobserved` runs a read with the cluster's random generator on a stream of
its own (seeded by the observation's key, so one observation gives the same
answer for the same cluster whenever it runs) and restores the generator and
the balancers' memory (session affinity, ingress-nginx's round robin)
afterwards. Commands that would change something are refused before they run
(`observation_problem`).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .labels import SelectorError, parse_selector
from .result import CommandResult

if TYPE_CHECKING:
    from .network import Network
    from .state import ClusterState
    from .trace import Trace

#: kubectl verbs that only read.
READ_VERBS = frozenset({"get", "describe"})
#: Programs `kubectl exec POD -- ...` may run in an observation: none writes.
POD_PROGRAMS = frozenset({"curl", "nslookup", "ping", "env", "cat", "ls", "hostname", "test"})
#: Programs an observation may run on the workstation.
HOST_PROGRAMS = frozenset({"curl", "nslookup", "ping"})
#: Words that would make a read wait, stream or write.
_REFUSED_FLAGS = frozenset(
    {"-w", "--watch", "--watch-only", "-i", "-t", "-it", "-ti", "--stdin", "--tty", "-f"}
)
#: Shell syntax an observation does not take: it is one program and its words.
_SHELL_CHARACTERS = frozenset("|;&<>`$()\n")
#: Most requests one observation sends.
MAX_REQUESTS = 100


def observation_problem(line: str) -> str | None:
    """Why `line` is not a read-only observation, or None when it is one.

    An observation is one program with its words, no shell syntax: `kubectl get|describe
    ...`, `kubectl exec POD [-n NS] [-c C] -- PROGRAM ...` with a program that writes
    nothing (`POD_PROGRAMS`), or `curl`, `nslookup`, `ping` on the workstation.
    """
    try:
        argv = _words(line)
    except ValueError as err:
        return str(err)
    if not argv:
        return "an observation needs a command"
    program = argv[0]
    if program in HOST_PROGRAMS:
        return None
    if program != "kubectl":
        allowed = ", ".join(sorted(HOST_PROGRAMS))
        return f"{program}: an observation runs kubectl or {allowed}"
    words = argv[1:]
    verb = next((word for word in words if not word.startswith("-")), "")
    if verb in READ_VERBS:
        refused = _REFUSED_FLAGS.intersection(words)
        if refused:
            return f"kubectl {verb} {min(refused)}: an observation neither waits nor reads files"
        return None
    if verb == "exec":
        return _exec_problem(words)
    return f"kubectl {verb or '(no verb)'}: an observation only reads (get, describe, exec)"


def _words(line: str) -> list[str]:
    """The line's words, refusing what a shell would read as syntax or expand."""
    for text, quote in _quoted_parts(line):
        syntax = {"'": set(), '"': {"$", "`"}}.get(quote, _SHELL_CHARACTERS)
        if syntax.intersection(text):
            raise ValueError("an observation is one command without shell syntax (| ; & > $ ...)")
    return shlex.split(line)


def _quoted_parts(line: str) -> list[tuple[str, str]]:
    """`line` cut at its quotes: `(text, quote)` with quote `'`, `"` or "" (unquoted)."""
    parts: list[tuple[str, str]] = []
    current: list[str] = []
    quote = ""
    for char in line:
        if (quote and char == quote) or (not quote and char in "'\""):
            parts.append(("".join(current), quote))
            current, quote = [], ("" if quote else char)
        else:
            current.append(char)
    parts.append(("".join(current), quote))
    return parts


def _exec_problem(words: list[str]) -> str | None:
    if "--" not in words:
        return "kubectl exec: write the command after --, e.g. kubectl exec POD -- curl -s URL"
    options, command = words[: words.index("--")], words[words.index("--") + 1 :]
    refused = _REFUSED_FLAGS.intersection(options) | {
        word for word in options if word.startswith("--stdin") or word.startswith("--tty")
    }
    if refused:
        return f"kubectl exec {min(refused)}: an observation opens no interactive shell"
    if not command:
        return "kubectl exec: no command after --"
    program = command[0].rsplit("/", 1)[-1]
    if program not in POD_PROGRAMS:
        allowed = ", ".join(sorted(POD_PROGRAMS))
        return f"kubectl exec -- {program}: an observation runs only {allowed} in a pod"
    return None


@contextmanager
def unobserved(state: ClusterState, network: Network, key: str) -> Iterator[None]:
    """Run a read inside: afterwards the cluster is as it was before.

    The random generator is reseeded from `key` for the read (so the read's answer
    depends on the cluster, not on how many draws came before) and restored after;
    so are the balancers' tables, entry by entry and in place (routes cached
    elsewhere keep pointing at the same entries).

    Raises:
        RuntimeError: the read changed the cluster (an event or simulated time), which
            replay could not reproduce; a bug in what was allowed to run.
    """
    seq, now = state.log.last_seq, state.now
    saved_rng = state.rng.getstate()
    tables = network.balancer_tables()
    saved = [{key_: list(entry) for key_, entry in table.items()} for table in tables]
    state.rng.seed(f"kubeplay-observation/{key}")
    # A dropped packet's wait would move the clock: an observation waits in no time.
    waits, network.waits = network.waits, False
    # Nor does a container log the requests an observation sends.
    logging, network.router.logging = network.router.logging, False
    try:
        yield
    finally:
        network.waits = waits
        network.router.logging = logging
        state.rng.setstate(saved_rng)
        for table, before in zip(tables, saved, strict=True):
            for key_ in [k for k in table if k not in before]:
                del table[key_]
            for key_, entry in before.items():
                current = table.get(key_)
                if current is None:
                    table[key_] = entry
                else:
                    current[:] = entry
    if (state.log.last_seq, state.now) != (seq, now):
        raise RuntimeError("an observation changed the cluster")


def observe(state: ClusterState, network: Network, line: str, key: str = "") -> CommandResult:
    """Run a read-only command line (see `observation_problem`) and return what it printed.

    kubectl runs straight, not through the learner's shell (their aliases and
    variables change nothing here), and curl, nslookup and ping run on the workstation.

    Raises:
        ValueError: `line` is not an observation; the message says why.
    """
    problem = observation_problem(line)
    if problem is not None:
        raise ValueError(problem)
    from .kubectl import run_kubectl

    argv = shlex.split(line)
    with unobserved(state, network, key or line):
        if argv[0] == "kubectl":
            return run_kubectl(state, argv[1:], network=network)
        return network.run(argv, "host", tty=False)


def observe_requests(
    state: ClusterState,
    network: Network,
    url: str,
    source: str = "host",
    *,
    count: int = 1,
    headers: dict[str, str] | None = None,
    insecure: bool = False,
    key: str = "",
) -> list[Trace]:
    """Send `count` requests (as `Cluster.request` does) and return their traces, leaving
    the cluster as it was. Within the observation the balancers remember: with session
    affinity, the later requests follow the first.

    Raises:
        ValueError: `count` is not between 1 and `MAX_REQUESTS`.
    """
    if not 1 <= count <= MAX_REQUESTS:
        raise ValueError(f"an observation sends 1 to {MAX_REQUESTS} requests, not {count}")
    with unobserved(state, network, key or f"{source} {url}"):
        return [
            network.request(url, source, headers=headers, insecure=insecure) for _ in range(count)
        ]


def running_pods(state: ClusterState, selector: str, namespace: str = "default") -> list[str]:
    """Names of the running pods (they have an IP) of `namespace` that `selector` picks,
    sorted; an empty selector picks every pod.

    Raises:
        ValueError: the selector is not kubectl's syntax (the message is kubectl's).
    """
    try:
        parsed = parse_selector(selector) if selector else ()
    except SelectorError as err:
        raise ValueError(str(err)) from None
    store = state.store
    pods = store.pods_selected(namespace, parsed) if parsed else store.list("Pod", namespace)
    return [
        pod["metadata"]["name"]
        for pod in pods
        if (pod.get("status") or {}).get("podIP") and not pod["metadata"].get("deletionTimestamp")
    ]
