"""Pods' runtime records: what the kubelet knows about a running pod beyond its API object.

One record per running pod, kept in `ClusterData.runtime` by `(namespace, name)`.
The Endpoints controller lists the same records in the Services that select the
pod (a second record per pod would cost as much again), and the prober reads and
counts through them. Pieces that pods of one template share (containers, ports,
container readiness, the Services listing a run of pods) are replaced, never
edited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .store import Key

if TYPE_CHECKING:
    from .kubelet import StartTemplate
    from .probes import ProbeState

NO_PORTS: frozenset[int] = frozenset()  # one shared empty set (frozenset() allocates anew)
NO_FILES: dict[str, set[str]] = {}  # shared by pods nothing was written to; never edited
# The Services listing a pod (`PodRuntime.services`): a dict used as a set, about a
# third of a set's size. Pods started together share one, so it is replaced, never edited.
NOT_LISTED: dict[Key, None] = {}  # every record no Service lists


class PodRuntime:
    """What the kubelet knows about a running pod, beyond its API object.

    Attributes:
        name, uid, ip, node: the pod's name, UID, IP and node.
        containers: the pod's `spec.containers` (shared by the pods of a template).
        started_at: simulated time the containers started.
        env_seq: how much of the namespace's Service log the containers saw at start
            (service environment variables are fixed when a container starts).
        ready: the pod's Ready condition.
        files: paths created in each container (`touch`), by container name.
        stopped_ports: container ports made to refuse connections.
        probes: each probed container's readiness probe state.
        container_ready: readiness by container name (containers without a probe are ready).
        last_probe_output: what the last failed probe printed, for explanations.
        ports: the container ports the pod declares (what answers connections).
        services: the Endpoints controller's: the managed Services listing this pod.
        ready_since: when the Ready condition last turned true (for minReadySeconds).
        scheduled_at: when the scheduler bound the pod (its Scheduled event).
        pulled_in: seconds the kubelet spent pulling the image before the start, or
            None when the image was already present on the node.
        terminating: the pod was deleted and its containers are stopping.
        hostname: `spec.hostname` and `spec.subdomain` when the pod sets a hostname (a
            StatefulSet's pods), for the Endpoints of the headless Service named so.
        logs: the requests each container served (simulator.container_logs), or None
            before the first.
    """

    __slots__ = ("container_ready", "containers", "env_seq", "files", "hostname", "ip",
                 "last_probe_output", "logs", "name", "node", "ports", "probes", "pulled_in",
                 "ready", "ready_since",
                 "scheduled_at", "services", "started_at", "stopped_ports", "terminating",
                 "uid")  # fmt: skip

    def __init__(self, pod: dict, ip: str, node: str, started_at: float, env_seq: int,
                 template: StartTemplate) -> None:  # fmt: skip
        meta = pod["metadata"]
        self.name: str = meta["name"]
        self.uid: str = meta["uid"]
        self.ip = ip
        self.node = node
        self.containers: list[dict] | None = pod["spec"].get("containers")
        self.services = NOT_LISTED
        self.started_at = started_at
        self.env_seq = env_seq
        self.probes: list[ProbeState] = template.probes()
        self.ports: frozenset[int] = template.ports
        # Shared with the pods of its template until a probe flips: replaced, never edited.
        self.container_ready: dict[str, bool] = template.container_ready
        self.ready = template.ready
        self.ready_since = started_at
        self.scheduled_at = started_at
        self.pulled_in: float | None = None
        self.terminating = False
        spec = pod["spec"]
        hostname = spec.get("hostname")
        self.hostname: tuple[str, str] | None = (
            (hostname, spec.get("subdomain", "")) if hostname else None
        )
        self.files: dict[str, set[str]] = NO_FILES  # replaced by its own dict on first touch
        self.stopped_ports = NO_PORTS  # replaced, never edited, when a port stops
        self.last_probe_output = ""
        self.logs: dict | None = None

    def listens(self, port: int) -> bool:
        """Whether a container declares `port` and it has not been stopped."""
        return port in self.ports and port not in self.stopped_ports


class StartRecord:
    """The kubelet's record of a pod bound to a node whose containers are not running yet.

    Attributes:
        uid: the pod's UID (a clock item about another pod of that name is stale).
        node: the node it is bound to.
        scheduled_at: when it was bound (its Scheduled event).
        creating_at: when the kubelet began creating its sandbox and containers
            (`ContainerCreating`, its Pulling events), or None before that.
        pulling: whether the kubelet pulls the image (imagePullPolicy Always, or the
            image is not on the node yet) rather than finding it present.
    """

    __slots__ = ("creating_at", "node", "pulling", "scheduled_at", "uid")

    def __init__(self, uid: str, node: str, scheduled_at: float) -> None:
        self.uid = uid
        self.node = node
        self.scheduled_at = scheduled_at
        self.creating_at: float | None = None
        self.pulling = False
