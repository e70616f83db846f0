"""ClusterState: the live cluster and the commands that change it.

This is the one object every layer works on. `kubectl` and `network` read the
store and call the methods here; each command makes its change through the
modules that know how (`apply`, `deletion`, `node_changes`, `containers`,
`pod_lifecycle`), then settles (`settle`), so that when a method returns the
cluster has converged: pods created, scheduled and listed in their Services'
Endpoints. The reads and the parts are `ClusterData`'s.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from . import apply as applying
from . import containers, deletion, kinds, node_changes, pod_lifecycle, pod_startup, termination
from . import settle as settling
from .apply import Outcome
from .capacity import Tally, forbidden
from .cluster_data import ClusterData
from .controllers.ownership import controller_ref
from .errors import Conflict
from .events import MODIFIED
from .store import Key
from .timers import CreateContainers, RemovePod, Requeue, RunContainers

SCALABLE = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk change.

    A cluster is a large graph of small, long-lived, acyclic dicts: while
    thousands of pods are created, the collector would rescan them again and
    again for cycles that are not there. Reference counting still frees them
    (the simulator keeps no reference cycles). Moving long-lived objects out of
    the collector's sight (`gc.freeze`) is the server's business, not the
    simulator's.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class ClusterState(ClusterData):
    """The cluster: its parts and reads (`ClusterData`) and the commands kubectl runs.

    Methods raise `errors.NotFound`, `errors.Conflict` or `apply.ApplyError` for
    requests the cluster refuses.
    """

    # == changing objects ============================================================

    def apply(self, documents: list, *, mode: str = "apply", namespace: str = "default",
              locate: applying.Locate | None = None) -> list[Outcome]:  # fmt: skip
        """Apply validated, defaulted documents (`Document` objects) all or nothing.

        Args:
            documents: the documents, in input order.
            mode: "apply" (create or update), "create" (AlreadyExists when present)
                or "replace".
            namespace: the namespace for objects that name none.
            locate: optional `(document_index, field) -> (line, column)` for problems.

        Raises:
            ApplyError: with every conflict found (AlreadyExists, missing namespace,
                allocated ports or IPs, immutable fields); nothing is applied, except that
                `create` applies the other objects when the only conflicts are objects that
                already exist (kubectl creates objects one by one).
        """
        plans, existing = applying.plan(self, documents, mode=mode, namespace=namespace,
                                        locate=locate)  # fmt: skip
        with gc_paused():
            outcomes = [applying.apply_one(self, p.obj, p.old, p.resource, mode) for p in plans]
            self.settle()
        if existing:
            raise applying.ApplyError(existing, applied=outcomes)
        return outcomes

    def delete(self, kind: str, namespace: str, name: str, grace: int | None = None) -> dict:
        """Delete an object and what it owns; controllers replace deleted pods at once, while
        a deleted pod may stay Terminating (`grace`: `kubectl delete --grace-period`)."""
        obj = deletion.delete_object(self, kind, namespace, name, grace)
        self.settle()
        return obj

    def gone_at(self, kind: str, namespace: str, name: str) -> float | None:
        """When an object being deleted will be gone (a terminating pod), or None when it is
        gone or not being deleted."""
        return termination.gone_at(self, namespace, name) if kind == "Pod" else None

    def scale(self, kind: str, namespace: str, name: str, replicas: int) -> None:
        """Set `spec.replicas` of a Deployment, ReplicaSet or ReplicationController."""
        obj = self.require(kind, namespace, name)
        if kind not in SCALABLE:
            raise Conflict(f"error: cannot scale {kinds.of_kind(kind).plural}")
        if replicas < 0:
            raise Conflict("error: The --replicas=COUNT flag is required, and COUNT must be >= 0")
        if not self.capacity.unlimited:
            tally = Tally(self.capacity, self.store)
            reason = tally.add({**obj, "spec": {**obj["spec"], "replicas": replicas}}, obj)
            if reason:
                raise Conflict(forbidden(kinds.of_kind(kind).resource_qualified, name, reason,
                                         creating=False))  # fmt: skip
        obj["spec"]["replicas"] = replicas
        self.touch_object(obj, generation=True)
        self.workloads.mark(kind, (namespace, name))
        self.settle()

    def set_labels(self, kind: str, namespace: str, name: str, labels: dict[str, str]) -> None:
        """Replace an object's labels; pods leave or join Services and controllers."""
        obj = self.require(kind, namespace, name)
        if kind == "Pod" and not self.capacity.unlimited and controller_ref(obj) is not None:
            tally = Tally(self.capacity, self.store)
            tally.pods += 1  # relabelled out of its owner's selector, it is replaced
            reason = tally.check()
            if reason:
                raise Conflict(forbidden("pods", name, reason, creating=False))
        if kind == "Pod":
            self.store.remove("Pod", namespace, name)
            obj["metadata"]["labels"] = dict(labels)
            self.store.put(obj)
            dropped = self.workloads.release(obj)
            if dropped is not None:
                _drop_owner_reference(obj, dropped)
            self.workloads.adopt_candidates(obj)
            self.endpoints.pod_changed(obj, self.store)
        else:
            obj["metadata"]["labels"] = dict(labels)
            if kind == "Service":
                self.store.put(obj)
                self.endpoints.service_changed(obj, self.store)
            else:
                self.touch_object(obj)
            if kind == "Node":
                node_changes.nodes_changed(self)
        self.log.emit(self.now, MODIFIED, kind, namespace, name, {"labels": dict(labels)})
        self.settle()

    # == nodes =======================================================================

    def taint(self, node: str, key: str, value: str, effect: str, remove: bool = False) -> None:
        """Add (or remove) a taint; NoExecute evicts pods that do not tolerate it."""
        node_changes.taint(self, node, key, value, effect, remove)
        self.settle()

    def set_unschedulable(self, node: str, flag: bool) -> None:
        """Cordon (True) or uncordon (False) a node."""
        node_changes.set_unschedulable(self, node, flag)
        self.settle()

    # == inside containers ===========================================================

    def pod_env(
        self, namespace: str, name: str, container: str | None = None
    ) -> list[tuple[str, str]]:
        """A container's environment as `env` prints it: service links as of its start."""
        return containers.pod_env(self, namespace, name, container)

    def file_exists(self, namespace: str, pod: str, container: str | None, path: str) -> bool:
        """Whether `path` exists in the container (touched files and the image's basics)."""
        return containers.file_exists(self, namespace, pod, container, path)

    def list_dir(self, namespace: str, pod: str, container: str | None, path: str) -> list[str]:
        """Entries directly under `path` that were created in the container."""
        return containers.list_dir(self, namespace, pod, container, path)

    def is_busybox(self, pod_key: Key, container: str | None) -> bool:
        """Whether the container image is BusyBox-based (its tools word errors differently)."""
        return containers.is_busybox(self, pod_key, container)

    def touch(self, namespace: str, pod: str, container: str | None, path: str) -> None:
        """Create an empty file in a container (`kubectl exec POD -- touch PATH`)."""
        containers.touch(self, namespace, pod, container, path)

    def remove_file(self, namespace: str, pod: str, container: str | None, path: str) -> bool:
        """Delete a file; returns whether it existed."""
        return containers.remove_file(self, namespace, pod, container, path)

    def stop_port(self, namespace: str, pod: str, port: int, stopped: bool = True) -> None:
        """Make a container port refuse connections (or listen again)."""
        containers.stop_port(self, namespace, pod, port, stopped)

    # == time and convergence ========================================================

    def advance(self, seconds: float) -> None:
        """Let simulated time pass: pods start and go, probes run, readiness changes,
        controllers take their next steps, Endpoints follow.

        Each item on the clock is handled as its time comes (a bucket of readiness
        probes, a pod's next stage, an owner to look at again: `timers`), and the
        controllers settle once the items of that moment are handled, so a rollout
        moves step by step (and a moment with many items settles once).
        """
        clock = self.clock
        with gc_paused():
            for item in clock.due(seconds):
                # The timers are named tuples: they are told apart before the probe slots.
                if isinstance(item, CreateContainers):
                    pod_startup.create_containers(self, item)
                elif isinstance(item, RunContainers):
                    pod_startup.run_containers(self, item)
                elif isinstance(item, RemovePod):
                    termination.finish(self, item)
                elif isinstance(item, Requeue):
                    self.requeues.discard((item, self.clock.now))
                    self.workloads.mark(item.kind, item.key)
                else:
                    pod_lifecycle.act_on_probes(self, self.probes.fire(item))
                following = clock.next_at()
                if following is None or following > clock.now:
                    self.settle()
            self.settle()

    def settle(self) -> None:
        """Run controllers to a fixed point and publish Endpoints changes."""
        settling.settle(self)


def _drop_owner_reference(pod: dict, ref: dict) -> None:
    """An orphaned pod loses its controller's ownerReference (the rest stay)."""
    meta = pod["metadata"]
    kept = [r for r in meta["ownerReferences"] if r is not ref]
    if kept:
        meta["ownerReferences"] = kept
    else:
        del meta["ownerReferences"]
