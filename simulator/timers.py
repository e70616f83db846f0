"""What falls due on the simulated clock besides readiness probes: values, never callbacks.

The clock holds data (`Clock.schedule`): whoever moves it takes each item as
its time comes and acts on it (`state.ClusterState.advance` hands these to
`pod_startup`, `termination` and the workload controllers). Each item names
the pods it is about by key and UID, so an item about a pod that went away, or
was replaced by one of the same name, is recognised and skipped.

The pace of a pod's life here (docs/architecture.md, "Pods come and go"):

* a pod a controller makes on its own (a replacement, a rollout's new pod) is
  bound at once and stays `Pending` for `PENDING_SECONDS`, then
  `ContainerCreating` for `CREATING_SECONDS` (its image pulled, its containers
  created), then runs;
* a deleted pod stays `Terminating` while its `preStop` hooks run, at most its
  grace period (and the kubelet's one-off 2-second extension), then is gone.
"""

from __future__ import annotations

from typing import NamedTuple

from .store import Key

#: Seconds a replacement or rollout pod waits, bound, before the kubelet starts it.
PENDING_SECONDS = 1.0
#: Seconds from the sandbox to running containers (image pull, create, start).
CREATING_SECONDS = 1.0
#: The kubelet's one-off extension when a preStop hook outlives the grace period.
GRACE_EXTENSION = 2.0


class CreateContainers(NamedTuple):
    """Bound pods' kubelet starts: sandbox, image pulls (`ContainerCreating`)."""

    pods: tuple[tuple[Key, str], ...]  # (key, uid) of each pod, in creation order


class RunContainers(NamedTuple):
    """Bound pods' containers start running: an IP, probes, endpoints."""

    pods: tuple[tuple[Key, str], ...]


class RemovePod(NamedTuple):
    """A terminating pod's containers have stopped: the kubelet removes it."""

    key: Key
    uid: str


class Requeue(NamedTuple):
    """A controller looks at an owner again (minReadySeconds passed, a progress deadline)."""

    kind: str
    key: Key


Timer = CreateContainers | RunContainers | RemovePod | Requeue
