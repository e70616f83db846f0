"""What the controllers (workloads, Gateway API) ask of the cluster: values they return,
never calls.

A controller reads the store and the runtime records, works out what must
change for one owner, and returns these values in the order they must happen
(as Kubernetes' EndpointSlice reconciler computes its changes, then
`finalize` applies them). `simulator.settle` applies them: only it writes to
the store, the runtime records and the event logs on a controller's behalf.
Objects are carried as the live API dicts they refer to.

Each is an immutable NamedTuple rather than a frozen dataclass: a deleted pod's
replacement takes several, and these are about twice as cheap to build.
"""

from __future__ import annotations

from typing import NamedTuple

from simulator.store import Key


class CreatePods(NamedTuple):
    """Make `count` pods for `owner` from `template`, then schedule and start them.

    Attributes:
        owner: the ReplicaSet, ReplicationController or DaemonSet.
        template: its pod template (names, labels and annotations come from it).
        number: how many pods.
        node: the node to bind them to (a DaemonSet's), or None for the scheduler.
        spec: the pod spec to use instead of the template's (a DaemonSet adds
            tolerations), or None.
        staged: start them on the clock (Pending, ContainerCreating, Running), as a
            replacement or a rollout's pods; else at once.
        names: the pods' names when the owner gives them (a StatefulSet's ordinals).
        labels: the pods' labels instead of the template's, or None.
    """

    owner: dict
    template: dict
    number: int  # not `count`, which would hide tuple.count
    node: str | None = None
    spec: dict | None = None
    staged: bool = False
    names: tuple[str, ...] = ()
    labels: dict | None = None


class DeletePod(NamedTuple):
    """Delete a pod the owner no longer wants (too many, on a node it must leave, of an old
    revision); gracefully: it may stay Terminating a while."""

    pod: dict


class AdoptPod(NamedTuple):
    """Make `owner` the controller of a bare pod its selector matches."""

    pod: dict
    owner: dict


class CreateObject(NamedTuple):
    """Store a new object the controller made (a Deployment's ReplicaSet); the cluster
    gives it a UID and timestamps."""

    obj: dict


class ScaleReplicaSet(NamedTuple):
    """The Deployment controller's write to one of its ReplicaSets: `spec.replicas` and,
    unless None, the whole of its annotations; a new resourceVersion."""

    replica_set: dict
    replicas: int
    annotations: dict | None = None


class SetRevision(NamedTuple):
    """Record a Deployment's current revision in its annotations."""

    deployment: dict
    revision: str


class Renumber(NamedTuple):
    """Give a ControllerRevision a new revision number (its template came back)."""

    revision: dict
    number: int


class DeleteObject(NamedTuple):
    """Delete an object and what it owns (a ReplicaSet past the revision history)."""

    kind: str
    namespace: str
    name: str


class RecordEvent(NamedTuple):
    """Record a Kubernetes Event about `obj` (what `kubectl describe` lists)."""

    obj: dict
    reason: str
    source: str
    message: str
    type: str = "Normal"


class Reconcile(NamedTuple):
    """Queue an owner for its own controller (a Deployment's ReplicaSet)."""

    kind: str
    key: Key


class RequeueAt(NamedTuple):
    """Look at an owner again at simulated time `at` (minReadySeconds passing, a progress
    deadline): a clock item, as a controller's `AddAfter`."""

    kind: str
    key: Key
    at: float


class SetStatus(NamedTuple):
    """Replace an owner's `status` with the one counted from its pods."""

    obj: dict
    status: dict


class ApplyObject(NamedTuple):
    """Create or update an object through the API server's path, as a controller's client
    does (defaults, a Service's addresses, a workload queued): the Gateway API controller's
    data-plane Deployment and Service."""

    obj: dict


class UpdateStatus(NamedTuple):
    """Write an object's status subresource: the new `status` and a new resourceVersion."""

    obj: dict
    status: dict


Change = (
    CreatePods | DeletePod | AdoptPod | CreateObject | ScaleReplicaSet | SetRevision
    | Renumber | DeleteObject | RecordEvent | Reconcile | RequeueAt | SetStatus | ApplyObject
    | UpdateStatus
)  # fmt: skip
