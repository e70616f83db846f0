"""Ports on a node's own address: `hostNetwork` pods and containers' `hostPort`s.

A `hostNetwork: true` pod shares its node's network namespace: its IP is the
node's InternalIP and its container ports listen on the node's address (the
API server defaults each `hostPort` to its `containerPort`). A `hostPort`
of an ordinary pod is forwarded from the node's address to the pod's
(the CNI portmap plugin). Either way one node can give a `(port, protocol)`
to one pod only, so the scheduler leaves a pod whose host ports are taken on
every node Pending (`didn't have free ports for the requested pod ports`).

`ClusterData.host_ports` indexes the running pods' host ports by `(node,
port)` for the network (network/node_routes.py); the scheduler's check looks
at every pod bound to a node, running or still starting, which only pods
asking for host ports pay for.
"""

from __future__ import annotations

from collections.abc import Iterable

from .store import Key

#: Images of Ingress controllers: on a node's ports 80 and 443 they route by Ingress rules.
_INGRESS_IMAGES = ("ingress-nginx/controller", "nginx-ingress", "kubernetes-ingress")


def host_network(spec: dict) -> bool:
    """Whether the pod shares its node's network namespace."""
    return spec.get("hostNetwork") is True


def requested(spec: dict) -> list[tuple[int, str, int]]:
    """The pod's host ports: `(hostPort, protocol, containerPort)`."""
    wanted = []
    for container in spec.get("containers") or ():
        for port in container.get("ports") or ():
            host = port.get("hostPort")
            if host:
                wanted.append((int(host), port.get("protocol") or "TCP", port["containerPort"]))
    return wanted


def taken_by_node(pods: Iterable[dict]) -> dict[str, set[tuple[int, str]]]:
    """The host ports each node has given to its pods (bound, running or stopping)."""
    taken: dict[str, set[tuple[int, str]]] = {}
    for pod in pods:
        spec = pod.get("spec") or {}
        node = spec.get("nodeName")
        if node:
            wanted = requested(spec)
            if wanted:
                taken.setdefault(node, set()).update((p, proto) for p, proto, _ in wanted)
    return taken


def fits(spec: dict, taken: set[tuple[int, str]]) -> bool:
    """Whether none of the pod's host ports is taken on a node."""
    return not any((p, proto) in taken for p, proto, _ in requested(spec))


def index(table: dict[tuple[str, int], tuple[Key, int]], key: Key, node: str, spec: dict) -> None:
    """Record a running pod's host ports on its node."""
    for port, protocol, container_port in requested(spec):
        if protocol == "TCP":
            table[(node, port)] = (key, container_port)


def unindex(table: dict[tuple[str, int], tuple[Key, int]], key: Key, node: str | None,
            spec: dict) -> None:  # fmt: skip
    """Forget a pod's host ports (it stopped)."""
    for port, _, _ in requested(spec):
        if table.get((node or "", port), (None,))[0] == key:
            del table[(node or "", port)]


def ingress_controller(pod: dict) -> bool:
    """Whether the pod runs an Ingress controller's image."""
    return any(
        any(name in (c.get("image") or "") for name in _INGRESS_IMAGES)
        for c in (pod.get("spec") or {}).get("containers") or ()
    )
