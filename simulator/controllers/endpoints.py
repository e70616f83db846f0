"""The Endpoints controller, incremental, with Endpoints and EndpointSlices derived on read.

For every Service with a selector it keeps the member pods (those the
selector matches that have an IP) with their readiness and resolved target
ports. Pod and Service changes touch only the Services concerned (found
through the store's selector index). The Endpoints and EndpointSlice objects
are built from the members only when someone reads them (kubectl, export)
and cached until the next change, so a burst of pod changes costs a few dict
operations each. Endpoints written by users (for Services without a
selector) are kept as given.

The cluster calls the `inputs` methods as pods and Services change (with the
store to read selectors from) and takes what changed with `flush`, which it
records as events. The controller holds the runtime records it lists, the
clock and the random generator, never the cluster; the store reaches its
derived objects through `endpoint_views`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from simulator.clock import timestamp
from simulator.endpoints import Backend
from simulator.names import new_uid
from simulator.runtime import PodRuntime
from simulator.store import Key, Store, key_of

from .endpoint_objects import (
    Member,
    Ports,
    endpoint_hints,
    endpoint_slices,
    endpoints_object,
    manual_backends,
    mirrored_slices,
    resolve_ports,
)

if TYPE_CHECKING:
    from simulator.clock import Clock


# A Service's endpoints changed since the last flush: `(namespace, name, detail)`, what
# its `endpoints` event says, in the shape `EventLog.emit_all` takes. The detail holds
# `changes`, `[pod, ip, ready]` per member that joined, flipped or left (ready None for
# one that left), in order, and `ready` and `not_ready`, how many addresses each list
# holds now; JSON-ready. A plain tuple: a pod's deletion changes every Service listing
# it, and a NamedTuple costs several times as much to build.
EndpointsChanged = tuple[str, str, dict]


def _listed(record: PodRuntime, skey: Key) -> None:
    if skey not in record.services:
        record.services = {**record.services, skey: None}


def _unlisted(record: PodRuntime, skey: Key) -> None:
    if skey in record.services:
        record.services = {k: None for k in record.services if k != skey}


class _Managed:
    """Bookkeeping for one selector-managed Service."""

    __slots__ = ("changed_at", "created", "endpoints", "members", "resource_version", "service",
                 "slice_names", "slices", "uid", "version")  # fmt: skip

    def __init__(self, service: dict, uid: str, created: str, resource_version: str) -> None:
        self.service = service
        self.uid = uid
        self.created = created
        # Written when the controller writes the object (made, then each flush of a change),
        # never when it is read: a read must not move the store's counter or show its time.
        self.resource_version = resource_version
        self.changed_at = created
        self.members: dict[Key, PodRuntime] = {}
        self.version = 0
        self.endpoints: tuple[tuple, dict] | None = None  # ((version, rv), object) cache
        self.slices: tuple[int, list[dict]] | None = None
        self.slice_names: list[str] = []


class EndpointsController:
    """Keeps every selector-managed Service's endpoints current; serves Endpoints reads."""

    def __init__(self, runtime: Mapping[Key, PodRuntime], rng: random.Random, clock: Clock,
                 zones: Mapping[str, str]) -> None:  # fmt: skip
        self._runtime = runtime
        self._zones = zones  # node -> its topology.kubernetes.io/zone label
        self._rng = rng  # for a managed Endpoints object's UID
        self._clock = clock
        self._managed: dict[Key, _Managed] = {}
        self._manual: dict[Key, dict] = {}
        # Service -> [pod, ip, ready] since the last flush (JSON-ready; ready None: gone).
        self._changes: dict[Key, list[list]] = {}
        # (id(service ports), id(pod containers)) -> (those two objects, resolved ports);
        # the objects are kept so their ids cannot be reused while cached.
        self._ports_cache: dict[tuple[int, int], tuple[object, object, Ports]] = {}
        self._backends: dict[tuple[Key, str], tuple[object, list[Backend]]] = {}
        self._mirror_cache: dict[Key, tuple[dict, list[dict]]] = {}
        self._mirror_names: dict[Key, list[str]] = {}
        #: Bumped whenever any Service's `backends` may change, so readers can keep
        #: what they derived from endpoints until it moves (one int to compare).
        self.version = 0

    def is_managed(self, service_key: Key) -> bool:
        """Whether the controller owns this Service's Endpoints (it has a selector)."""
        return service_key in self._managed

    def keys(self) -> set[Key]:
        """The Services that have Endpoints: managed ones, and those a user wrote them for."""
        return self._managed.keys() | self._manual.keys()

    # -- inputs ------------------------------------------------------------------

    def service_changed(self, service: dict, store: Store) -> None:
        """A Service was created or updated: recompute its members from scratch."""
        key = key_of(service)
        spec = service["spec"]
        if not spec.get("selector") or spec.get("type") == "ExternalName":
            if key in self._managed:
                self._drop(key)
            return
        managed = self._managed.get(key)
        if managed is None:
            managed = self._managed[key] = _Managed(
                service,
                new_uid(self._rng),
                timestamp(self._clock.now),
                store.next_resource_version(),
            )
        managed.service = service
        old = managed.members
        members: dict[Key, PodRuntime] = {}
        for pod in store.pods_labelled(key[0], spec["selector"]):
            record = self._record(pod)
            if record is not None and self._eligible(service, record):
                members[(key[0], record.name)] = record
        for pod_key in sorted(old.keys() - members.keys()):
            _unlisted(old[pod_key], key)
            self._note(key, old[pod_key], None)
        for pod_key, record in members.items():
            _listed(record, key)
            if pod_key not in old:
                self._note(key, record, record.ready)
        managed.members = members
        self._bump(key)

    def service_deleted(self, key: Key) -> None:
        """A Service is gone: so are its managed Endpoints and EndpointSlices."""
        if key in self._managed:
            self._drop(key)
        self._changes.pop(key, None)

    def put_manual(self, endpoints: dict) -> None:
        """Store Endpoints a user wrote (they only count for Services without a selector)."""
        self._manual[key_of(endpoints)] = endpoints
        self._backends = {k: v for k, v in self._backends.items() if k[0] != key_of(endpoints)}
        self.version += 1

    def remove_manual(self, key: Key) -> dict | None:
        """Forget user-written Endpoints; returns them."""
        self._backends = {k: v for k, v in self._backends.items() if k[0] != key}
        self.version += 1
        return self._manual.pop(key, None)

    def pods_added(self, pods: Iterable[dict], store: Store) -> None:
        """Freshly started pods (running, with an IP): add each to the Services that select it.

        Pods made from one template come in runs that share their labels and
        containers (the same objects), so the matching Services and their ports are
        worked out once per run, each Service takes the whole run at once, and the
        run's records share one set of Services.
        """
        runtime = self._runtime
        runs: list[tuple[str, dict, list[Key], list[PodRuntime]]] = []
        labels = containers = namespace = None
        keys: list[Key] = []
        batch: list[PodRuntime] = []
        for pod in pods:
            meta, spec = pod["metadata"], pod["spec"]
            ns = meta["namespace"]
            if (
                meta.get("labels") is not labels
                or spec.get("containers") is not containers
                or ns != namespace
            ):
                labels, containers, namespace = meta.get("labels"), spec.get("containers"), ns
                keys, batch = [], []
                runs.append((ns, labels, keys, batch))
            key = (ns, meta["name"])
            keys.append(key)
            batch.append(runtime[key])
        for ns, labels, keys, batch in runs:
            notes = [[record.name, record.ip, record.ready] for record in batch]
            # Each Service takes the run from a dict: its keys' hashes are computed once.
            run = dict(zip(keys, batch, strict=True))
            joined: dict[Key, None] = {}
            for service in store.services_for_labels(ns, labels):
                skey = key_of(service)
                managed = self._managed.get(skey)
                # One template per run: the ports resolve the same way for every pod.
                if managed is None or not self._eligible(service, batch[0]):
                    continue
                managed.members.update(run)
                self._changes.setdefault(skey, []).extend(notes)
                self._bump(skey)
                joined[skey] = None
            if joined:
                for record in batch:
                    record.services = joined

    def pod_ready_changed(self, pod_key: Key, ready: bool) -> None:
        """A pod's readiness flipped: every Service listing it sees the change."""
        record = self._runtime.get(pod_key)  # its `ready` is already `ready`
        if record is None:
            return
        for skey in sorted(record.services):
            self._note(skey, record, ready)
            self._bump(skey)

    def pod_terminating(self, pod_key: Key) -> None:
        """A pod began terminating (its record says so): Endpoints drop it, EndpointSlices
        keep it as terminating."""
        record = self._runtime.get(pod_key)
        if record is None:
            return
        for skey in sorted(record.services):
            self._note(skey, record, None)
            self._bump(skey)

    def zones_changed(self) -> None:
        """Nodes' zone labels changed: every EndpointSlice's zones and hints may differ."""
        for skey in sorted(self._managed):
            self._bump(skey)

    def pod_changed(self, pod: dict, store: Store) -> None:
        """A pod was relabelled: it may join or leave Services."""
        pod_key = key_of(pod)
        record = self._record(pod)
        now_in: set[Key] = set()
        if record is not None:
            for service in store.services_for_labels(pod_key[0], pod["metadata"].get("labels")):
                skey = key_of(service)
                managed = self._managed.get(skey)
                if managed is None or not self._eligible(service, record):
                    continue
                now_in.add(skey)
                if pod_key not in managed.members:
                    managed.members[pod_key] = record
                    self._note(skey, record, record.ready)
                    self._bump(skey)
        if record is not None:
            for skey in sorted(record.services.keys() - now_in):
                self._remove_member(skey, pod_key)
            record.services = dict.fromkeys(now_in)

    def pod_deleted(self, pod_key: Key) -> None:
        """A pod is going (its runtime record still exists)."""
        record = self._runtime.get(pod_key)
        if record is not None:
            for skey in sorted(record.services):
                self._remove_member(skey, pod_key)

    # -- outputs -----------------------------------------------------------------

    def flush(self, store: Store) -> list[EndpointsChanged]:
        """What changed in each Service's endpoints since the last flush, by Service.

        Each changed Endpoints object takes its resourceVersion and change time here, when
        the controller writes it, never when it is read (a read must move no counter)."""
        if not self._changes:
            return []
        changes, self._changes = self._changes, {}
        out = []
        for skey in sorted(changes):
            managed = self._managed.get(skey)
            if managed is None:
                continue
            managed.resource_version = store.next_resource_version()
            managed.changed_at = timestamp(self._clock.now)
            if managed.service["spec"].get("publishNotReadyAddresses"):
                ready, listed = len(managed.members), len(managed.members)
            else:
                ready = listed = 0
                for r in managed.members.values():
                    if not r.terminating:  # Endpoints leave terminating pods out
                        listed += 1
                        ready += r.ready
            detail = {
                "changes": changes[skey],
                "ready": ready,
                "not_ready": listed - ready,
            }
            out.append((skey[0], skey[1], detail))
        return out

    def resolved(self, managed: _Managed) -> list[Member]:
        """Members with their conditions (publishNotReadyAddresses counted), hostnames, zones
        and ports, as podToEndpoint makes them."""
        service = managed.service
        publish = bool(service["spec"].get("publishNotReadyAddresses"))
        name = service["metadata"]["name"]
        zones = self._zones
        out = []
        for r in managed.members.values():
            ready = publish or (r.ready and not r.terminating)
            hostname = r.hostname[0] if r.hostname and r.hostname[1] == name else None
            out.append(Member(r.ip, r.node, r.name, r.uid, ready, self.ports(service, r),
                              r.ready, r.terminating, hostname, zones.get(r.node)))  # fmt: skip
        return out

    def ports(self, service: dict, record: PodRuntime) -> Ports:
        """The Service's ports resolved in the pod (cached per ports list and template)."""
        service_ports = service["spec"].get("ports")
        containers = record.containers
        cache_key = (id(service_ports), id(containers))
        cached = self._ports_cache.get(cache_key)
        if cached is None:
            resolved = resolve_ports(service, {"spec": {"containers": containers}})
            cached = (service_ports, containers, resolved)
            self._ports_cache[cache_key] = cached
        return cached[2]

    def _eligible(self, service: dict, record: PodRuntime) -> bool:
        """A pod is listed when some Service port resolves in it, or the Service has no ports."""
        return not service["spec"].get("ports") or bool(self.ports(service, record))

    def backends(self, namespace: str, service: str, port_name: str) -> list[Backend]:
        """A Service port's endpoints as its EndpointSlices list them (ready, not ready and
        terminating), sorted by IP string (cached)."""
        skey = (namespace, service)
        managed = self._managed.get(skey)
        stamp: object = managed.version if managed else id(self._manual.get(skey))
        cached = self._backends.get((skey, port_name))
        if cached is not None and cached[0] == stamp:
            return cached[1]
        if managed is not None:
            out = []
            distribution = managed.service["spec"].get("trafficDistribution")
            for m in sorted(self.resolved(managed), key=lambda m: m.ip):
                for name, port, _ in m.ports:
                    if name == port_name:
                        hints = endpoint_hints(distribution, m) or {}
                        zone = (hints.get("forZones") or [{}])[0].get("name")
                        node = (hints.get("forNodes") or [{}])[0].get("name")
                        out.append(Backend(m.ip, port, m.ready, m.pod, m.node, m.serving,
                                           m.terminating, zone, node))  # fmt: skip
                        break
        else:
            out = manual_backends(self._manual.get(skey), port_name)
        self._backends[(skey, port_name)] = (stamp, out)
        return out

    def endpoints_object(self, store: Store, namespace: str, name: str) -> dict | None:
        """The Endpoints object as the API would return it, or None."""
        key = (namespace, name)
        managed = self._managed.get(key)
        if managed is None:
            return self._manual.get(key)
        stamp = (managed.version, managed.resource_version)
        if managed.endpoints is None or managed.endpoints[0] != stamp:
            built = endpoints_object(
                managed.service, managed.uid, managed.created, self.resolved(managed),
                managed.resource_version, managed.changed_at,
            )  # fmt: skip
            managed.endpoints = (stamp, built)
        return managed.endpoints[1]

    def endpoint_slices(self, store: Store, key: Key) -> list[dict]:
        """A Service's EndpointSlices (built on demand, names kept stable).

        Managed Services get the EndpointSlice controller's slices; user-written
        Endpoints of a selector-less Service are mirrored, as the
        EndpointSliceMirroring controller does.
        """
        managed = self._managed.get(key)
        if managed is None:
            return self._mirrored(store.get("Service", *key), key)
        if managed.slices is None or managed.slices[0] != managed.version:
            built = endpoint_slices(
                managed.service, managed.uid, self.resolved(managed), managed.slice_names
            )
            managed.slices = (managed.version, built)
        return managed.slices[1]

    # -- internals ---------------------------------------------------------------

    def _mirrored(self, service: dict | None, key: Key) -> list[dict]:
        endpoints = self._manual.get(key)
        labels = ((endpoints or {}).get("metadata") or {}).get("labels") or {}
        if (
            endpoints is None
            or service is None
            or service["spec"].get("selector")
            or labels.get("endpointslice.kubernetes.io/skip-mirror") == "true"
        ):
            return []
        cached = self._mirror_cache.get(key)
        if cached is not None and cached[0] is endpoints:
            return cached[1]
        names = self._mirror_names.setdefault(key, [])
        slices = mirrored_slices(service, endpoints, names)
        self._mirror_cache[key] = (endpoints, slices)
        return slices

    def _record(self, pod: dict) -> PodRuntime | None:
        """The pod's runtime record while it runs with an IP, else None."""
        status = pod.get("status") or {}
        if not status.get("podIP") or status.get("phase") in ("Succeeded", "Failed"):
            return None
        meta = pod["metadata"]
        return self._runtime.get((meta["namespace"], meta["name"]))

    def _note(self, skey: Key, record: PodRuntime, ready: bool | None) -> None:
        self._changes.setdefault(skey, []).append([record.name, record.ip, ready])

    def _bump(self, skey: Key) -> None:
        managed = self._managed[skey]
        managed.version += 1
        self.version += 1
        self._changes.setdefault(skey, [])

    def _remove_member(self, skey: Key, pod_key: Key) -> None:
        managed = self._managed.get(skey)
        gone = managed.members.pop(pod_key, None) if managed else None
        if gone is not None:
            self._note(skey, gone, None)
            self._bump(skey)

    def _drop(self, skey: Key) -> None:
        managed = self._managed.pop(skey)
        for record in managed.members.values():
            _unlisted(record, skey)
        self._backends = {k: v for k, v in self._backends.items() if k[0] != skey}
        self.version += 1
