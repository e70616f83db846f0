"""How big one cluster may grow: limits checked before a change is applied, not after.

A `Cluster` is unlimited unless it is given a `Capacity` (the playground gives
every room one, from `playground/limits.py`). The checks are cheap: they count
what a change would add from the objects it names (replicas asked for, pods a
DaemonSet runs per node) and the store's running totals, so they never walk the
pods. A change over a limit is refused whole, with a message in the API
server's shape that names the limit:

    Error from server (Forbidden): error when creating "STDIN": deployments.apps "web"
    is forbidden: 1,000,000 replicas exceed this playground's limit of 10,000 replicas
    per object
"""

from __future__ import annotations

from dataclasses import dataclass

from . import kinds

# The objects a room counts: what can be created, but pods (counted apart) and Endpoints
# (one per Service, mostly the controller's).
COUNTED = tuple(
    rt.kind for rt in kinds.RESOURCE_TYPES if rt.creatable and rt.kind not in ("Pod", "Endpoints")
)


@dataclass(frozen=True, slots=True)
class Capacity:
    """Limits of one cluster; None means no limit.

    Attributes:
        replicas: `spec.replicas` of one object that keeps copies of a pod template
            (Deployment, ReplicaSet, ReplicationController, StatefulSet).
        pods: pods in the cluster, counting those a change would make (controllers' replicas,
            a DaemonSet's pod per node, bare pods).
        objects: API objects other than pods and Endpoints (Services, workloads, the
            ReplicaSets of Deployments, ConfigMaps, Secrets, Ingresses, nodes...).
        nodes: nodes in the cluster.
    """

    replicas: int | None = None
    pods: int | None = None
    objects: int | None = None
    nodes: int | None = None

    @property
    def unlimited(self) -> bool:
        """Whether no limit is set (library use): the checks are skipped."""
        return (
            self.replicas is None
            and self.pods is None
            and self.objects is None
            and (self.nodes is None)
        )


UNLIMITED = Capacity()


def over_replicas(capacity: Capacity, replicas: object) -> str:
    """The reason `replicas` is too many for one object, or ""."""
    limit = capacity.replicas
    if limit is None or not isinstance(replicas, int) or replicas <= limit:
        return ""
    return f"{replicas:,} replicas exceed this playground's limit of {limit:,} replicas per object"


def _over(limit: int | None, total: int, what: str) -> str:
    if limit is None or total <= limit:
        return ""
    return (
        f"this room would have {total:,} {what}, over this playground's limit of "
        f"{limit:,} {what} per room"
    )


class Tally:
    """What one change adds to the cluster, checked as each object of it is counted."""

    __slots__ = ("capacity", "daemonsets", "nodes", "objects", "pods", "store")

    def __init__(self, capacity: Capacity, store) -> None:
        self.capacity = capacity
        self.store = store
        self.pods = store.count("Pod")
        self.nodes = store.count("Node")
        self.daemonsets = store.count("DaemonSet")
        self.objects = sum(store.count(kind) for kind in COUNTED)

    def add(self, obj: dict, old: dict | None) -> str:
        """Count `obj` (replacing `old`, None when new); the first limit it crosses, or ""."""
        kind = obj.get("kind")
        spec = obj.get("spec") or {}
        if old is None and kind in COUNTED:
            self.objects += 2 if kind == "Deployment" else 1  # and its first ReplicaSet
        if kind != "DaemonSet" and isinstance(spec.get("template"), dict):
            # Any controller of a pod template keeps `replicas` pods (StatefulSets too).
            replicas = spec.get("replicas", 1)
            reason = over_replicas(self.capacity, replicas)
            if reason:
                return reason
            before = ((old or {}).get("spec") or {}).get("replicas", 1) if old else 0
            self.pods += max(0, (replicas if isinstance(replicas, int) else 0) - before)
        elif kind == "DaemonSet" and old is None:
            self.daemonsets += 1
            self.pods += self.nodes
        elif kind == "Pod" and old is None:
            self.pods += 1
        elif kind == "Node" and old is None:
            self.nodes += 1
            self.pods += self.daemonsets
        return self.check()

    def check(self) -> str:
        """The first limit the totals cross, or ""."""
        c = self.capacity
        return (
            _over(c.pods, self.pods, "pods")
            or _over(c.objects, self.objects, "objects")
            or _over(c.nodes, self.nodes, "nodes")
        )


def forbidden(resource: str, name: str, reason: str, creating: bool = True) -> str:
    """The API server's refusal line for `resource` `name`, as kubectl prints it."""
    where = 'error when creating "STDIN": ' if creating else ""
    return f'Error from server (Forbidden): {where}{resource} "{name}" is forbidden: {reason}'
