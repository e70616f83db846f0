"""Placeholders in a lesson's commands: names and addresses known only once the room runs.

Lesson authors cannot know a pod's generated name or an allocated address, so
check commands, request URLs and solutions may say `{pod:app=kubia}` (the first
running pod, by name, that the selector picks; `{pod:app=kubia#2}` the second,
`{pod:app=kubia@shop}` one in namespace shop), `{node_ip:worker-1}`,
`{cluster_ip:kubia}`, `{lb_ip:kubia-lb}` (a LoadBalancer's EXTERNAL-IP) or
`{node_port:kubia-nodeport}` (its first port's nodePort). The cluster answers
each question through the simulator's read-only observations.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator import Cluster

PLACEHOLDER = re.compile(r"\{(pod|node_ip|cluster_ip|lb_ip|node_port):([^{}\s]+)\}")
#: What each placeholder stands for, as kubectl reads it.
_JSONPATH = {
    "node_ip": ("node", '{.status.addresses[?(@.type=="InternalIP")].address}'),
    "cluster_ip": ("service", "{.spec.clusterIP}"),
    "lb_ip": ("service", "{.status.loadBalancer.ingress[0].ip}"),
    "node_port": ("service", "{.spec.ports[0].nodePort}"),
}


class Unresolved(LookupError):
    """A placeholder the room cannot fill in yet (no such pod running, no address yet)."""


def names(text: str) -> list[tuple[str, str]]:
    """The placeholders in `text`, as `(kind, argument)`."""
    return PLACEHOLDER.findall(text)


def fill(text: str, cluster: Cluster, cache: dict | None = None) -> str:
    """`text` with each placeholder replaced by its value in `cluster` now.

    Raises:
        Unresolved: a placeholder has no value (the message names it).
    """
    cache = {} if cache is None else cache

    def value(match: re.Match) -> str:
        key = match.group(0)
        if key not in cache:
            cache[key] = _lookup(cluster, match.group(1), match.group(2))
        return cache[key]

    return PLACEHOLDER.sub(value, text)


def _lookup(cluster: Cluster, kind: str, argument: str) -> str:
    if kind == "pod":
        selector, _, namespace = argument.partition("@")
        selector, _, nth = selector.partition("#")
        index = int(nth) - 1 if nth.isdigit() and int(nth) > 0 else 0
        pods = cluster.running_pods(selector, namespace or "default")
        if len(pods) <= index:
            raise Unresolved(f"no running pod matches {argument}")
        return pods[index]
    resource, path = _JSONPATH[kind]
    result = cluster.observe(
        f"kubectl get {resource} {shlex.quote(argument)} -o jsonpath={shlex.quote(path)}"
    )
    found = result.stdout.split()
    if result.exit_code != 0 or not found:
        raise Unresolved(f"{kind} of {argument} is not known yet")
    return found[0]
