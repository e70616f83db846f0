"""Each kind of check, judged from what a learner could observe (docs/lessons.md, "Checks").

`object`, `command` and `request` checks ask the room's cluster through the
simulator's observations, which change nothing; `ran` looks at the commands
run in the room during the step, `traffic` at the requests it sent. `held`
is the engine's (it needs time). Placeholders are filled in first; one that
has no value yet makes the check fail, never raise.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from playground.lessons import placeholders

if TYPE_CHECKING:
    from simulator import Cluster

#: Commands a step remembers for its `ran` checks (the latest ones).
MAX_COMMANDS = 200
#: Characters of a command's output a step keeps.
MAX_OUTPUT = 20_000


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.MULTILINE)


@dataclass(slots=True)
class Ran:
    """A command run in the room: its line, exit code and printed text."""

    line: str
    exit_code: int
    output: str


@dataclass(slots=True)
class Evidence:
    """What happened in the room since the step began: commands run, requests sent."""

    commands: list[Ran] = field(default_factory=list)
    #: Per traffic check id: [requests, failed].
    traffic: dict[str, list[int]] = field(default_factory=dict)

    def ran(self, line: str, exit_code: int, output: str) -> None:
        self.commands.append(Ran(line, exit_code, output[:MAX_OUTPUT]))
        del self.commands[:-MAX_COMMANDS]

    def sent(self, url: str, ok: bool, specs: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """One request of the room; `specs` are the step's traffic checks `(id, spec)`."""
        for check_id, spec in specs:
            if "url" in spec and not _regex(spec["url"]).search(url):
                continue
            counts = self.traffic.setdefault(check_id, [0, 0])
            counts[0] += 1
            counts[1] += not ok


def observed(kind: str, spec: dict[str, Any], cluster: Cluster, key: str) -> bool:
    """Whether an `object`, `command` or `request` check holds in `cluster` now."""
    try:
        if kind == "object":
            return _object(spec, cluster, key)
        if kind == "command":
            return _command(spec, cluster, key)
        return _request(spec, cluster, key)
    except placeholders.Unresolved:
        return False


def _output_holds(text: str, expected: Any) -> bool:
    if isinstance(expected, dict):
        return len(_regex(expected["matches"]).findall(text)) == expected["count"]
    return bool(_regex(expected).search(text))


def _command(spec: dict[str, Any], cluster: Cluster, key: str) -> bool:
    result = cluster.observe(placeholders.fill(spec["run"], cluster), key=key)
    if result.exit_code != spec.get("exit_code", 0):
        return False
    if "output" in spec and not _output_holds(result.stdout, spec["output"]):
        return False
    if "output_lacks" in spec and _regex(spec["output_lacks"]).search(result.stdout):
        return False
    return "stderr" not in spec or bool(_regex(spec["stderr"]).search(result.stderr))


def _object(spec: dict[str, Any], cluster: Cluster, key: str) -> bool:
    words = ["kubectl", "get", spec["kind"].lower(), spec["name"]]
    words += ["-n", spec.get("namespace", "default")]
    if "jsonpath" in spec:
        words += ["-o", "jsonpath=" + spec["jsonpath"]]
    line = " ".join(shlex.quote(placeholders.fill(word, cluster)) for word in words)
    result = cluster.observe(line, key=key)
    if spec.get("absent"):
        return result.exit_code != 0 and "NotFound" in result.stderr
    if result.exit_code != 0:
        return False
    value = result.stdout
    if "equals" in spec:
        return value.strip() == spec["equals"]
    if "matches" in spec:
        return bool(_regex(spec["matches"]).search(value))
    return len(value.split()) == spec["count"]


def _request(spec: dict[str, Any], cluster: Cluster, key: str) -> bool:
    source = spec.get("from", "host")
    if source != "host":
        namespace = source.get("namespace", "default")
        pod = placeholders.fill(f"{{pod:{source['pod']}@{namespace}}}", cluster)
        source = f"pod/{namespace}/{pod}"
    headers = {"Host": spec["host"]} if "host" in spec else None
    traces = cluster.observe_requests(
        placeholders.fill(spec["url"], cluster),
        source,
        count=spec.get("count", 1),
        headers=headers,
        insecure=spec.get("insecure", False),
        key=key,
    )
    return _traces_hold(spec["expect"], traces, cluster)


def _traces_hold(expect: dict[str, Any], traces: list, cluster: Cluster) -> bool:
    served = [trace.served_by for trace in traces]
    for trace in traces:
        if "outcome" in expect and trace.outcome != expect["outcome"]:
            return False
        if "status" in expect and trace.status != expect["status"]:
            return False
        hops = trace.hops
        if "stops_at" in expect and (not hops or hops[-1].kind != expect["stops_at"]):
            return False
        for wanted in expect.get("via", ()):
            if not any(
                hop.kind == wanted["kind"] and wanted.get("name", hop.name) == hop.name
                for hop in hops
            ):
                return False
        if "client_ip_seen" in expect:
            pod = hops[-1] if hops and hops[-1].kind == "pod" else None
            if pod is None or (pod.src_ip == hops[0].ip) != expect["client_ip_seen"]:
                return False
    if "served_by" in expect:
        namespace = traces[0].hops[-1].namespace if traces and traces[0].hops else None
        allowed = set(cluster.running_pods(expect["served_by"], namespace or "default"))
        if not all(name in allowed for name in served):
            return False
    if expect.get("same_pod") and len(set(served)) != 1:
        return False
    return len({s for s in served if s}) >= expect.get("distinct_pods", 0)


def ran_holds(spec: dict[str, Any], commands: Sequence[Ran]) -> bool:
    """Whether the commands run during the step satisfy a `ran` check."""
    matching = []
    for ran in commands:
        if "line" in spec and not _regex(spec["line"]).search(ran.line):
            continue
        if "exit_code" in spec and ran.exit_code != spec["exit_code"]:
            continue
        if "output_lacks" in spec and _regex(spec["output_lacks"]).search(ran.output):
            continue
        if "output" in spec:
            found = _regex(spec["output"]).search(ran.output)
            if found is None:
                continue
            matching.append(found.group(1) if found.re.groups else found.group(0))
        else:
            matching.append(ran.line)
    if "distinct" in spec:
        return len(set(matching)) >= spec["distinct"]
    if "same" in spec:
        last = matching[-spec["same"] :]
        return len(last) == spec["same"] and len(set(last)) == 1
    return bool(matching)


def traffic_holds(spec: dict[str, Any], counts: list[int] | None) -> bool:
    requests, failed = counts or (0, 0)
    return requests >= spec["min_requests"] and failed <= spec.get("max_failed", 0)
