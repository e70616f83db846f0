"""What the network reads from a cluster.

`ClusterData` (the simulator's cluster) offers it, and so does
`testing.FakeState`, which the network's own tests build by hand; the network
never changes the cluster.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from simulator.clock import Clock
    from simulator.endpoints import Backend
    from simulator.store import Store


class ClusterView(Protocol):
    """The reads the network makes (`rng` for its draws, `clock` for elapsed times)."""

    rng: random.Random
    clock: Clock
    store: Store

    @property
    def runtime(self) -> Mapping[Any, Any]:
        """Running pods' kubelet records by `(namespace, name)`; the network writes only
        their `logs` (access_log.py)."""
        ...

    @property
    def zones(self) -> Mapping[str, str]:
        """Each node's `topology.kubernetes.io/zone` label, for trafficDistribution."""
        ...

    def backends(self, namespace: str, service: str, port_name: str) -> list[Backend]:
        """A Service port's endpoints as its Endpoints object lists them, ready and not."""
        ...

    def serving_version(self) -> int:
        """A stamp that moves whenever `backends` or `pod_listens` may answer differently."""
        ...

    def pod_by_ip(self, ip: str) -> dict | None:
        """The pod with this IP, or None."""
        ...

    def node_ip(self, name: str) -> str:
        """A node's InternalIP."""
        ...

    def node_by_ip(self, ip: str) -> dict | None:
        """The node whose InternalIP is `ip`, or None (NetworkPolicy tells nodes apart)."""
        ...

    def host_port_pod(self, node: str, port: int) -> tuple[dict, int] | None:
        """The running pod listening at `node`'s address on `port` (hostNetwork or a
        hostPort) and its port inside; None when no pod does."""
        ...

    def forwarded(self, port: int) -> tuple[dict, int, int] | None:
        """Where a `kubectl port-forward` on the host's `port` leads: the pod, its port and
        the job number; None when nothing forwards it."""
        ...

    def pod_listens(self, pod: dict, port: int) -> bool:
        """Whether a container of the pod listens on `port` now."""
        ...
