"""The Endpoints controller, incremental, with Endpoints and EndpointSlices derived on read.

For every Service with a selector it keeps the member pods (those the
selector matches that have an IP) with their readiness and resolved target
ports. Pod and Service changes touch only the Services concerned (found
through the store's selector index). The Endpoints and EndpointSlice objects
are built from the members only when someone reads them (kubectl, export)
and cached until the next change, so a burst of pod changes costs a few dict
operations each. Endpoints written by users (for Services without a
selector) are kept as given.
"""

from __future__ import annotations

import random
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from simulator.clock import timestamp
from simulator.endpoints import Backend
from simulator.events import ENDPOINTS
from simulator.labels import from_match_labels
from simulator.names import generate_suffix
from simulator.store import Key, key_of

if TYPE_CHECKING:
    from simulator.state import ClusterState, PodRuntime

SLICE_CAPACITY = 100  # endpoints per EndpointSlice, the controller's default

Ports = tuple[tuple[str, int, str], ...]  # (service port name, resolved port, protocol)


# The Services listing a pod (`PodRuntime.services`): a dict used as a set, about a
# third of a set's size. Pods started together share one, so it is replaced, never edited.
NOT_LISTED: dict[Key, None] = {}  # every record no Service lists


def _listed(record: PodRuntime, skey: Key) -> None:
    if skey not in record.services:
        record.services = {**record.services, skey: None}


def _unlisted(record: PodRuntime, skey: Key) -> None:
    if skey in record.services:
        record.services = {k: None for k in record.services if k != skey}


class Member(NamedTuple):
    """A pod as one Service's Endpoints list it (readiness and ports resolved)."""

    ip: str
    node: str
    pod: str
    uid: str
    ready: bool
    ports: Ports


def resolve_ports(service: dict, pod: dict) -> Ports:
    """Each Service port's target port in `pod`; ports that do not resolve are left out.

    A numeric targetPort is used as it is. A named one is looked up among the
    pod's container ports with the same protocol (podutil.FindPort); a pod
    without it is silently left out of that port's endpoints.
    """
    out = []
    for sp in service["spec"].get("ports") or ():
        target = sp.get("targetPort", sp["port"])
        protocol = sp.get("protocol", "TCP")
        if isinstance(target, str) and not target.isdigit():
            found = find_named_port(pod, target, protocol)
            if found is None:
                continue
            target = found
        out.append((sp.get("name", ""), int(target), protocol))
    return tuple(out)


def find_named_port(pod: dict, name: str, protocol: str) -> int | None:
    """The first container port called `name` with `protocol`, or None."""
    for container in pod["spec"].get("containers") or ():
        for cp in container.get("ports") or ():
            if cp.get("name") == name and cp.get("protocol", "TCP") == protocol:
                return int(cp["containerPort"])
    return None


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

    def __init__(self, state: ClusterState) -> None:
        self._state = weakref.proxy(state)  # no reference cycle: a dropped cluster frees at once
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
        state.store.provide("Endpoints", _EndpointsView(self))
        state.store.provide("EndpointSlice", _SliceView(self))

    def is_managed(self, service_key: Key) -> bool:
        """Whether the controller owns this Service's Endpoints (it has a selector)."""
        return service_key in self._managed

    # -- inputs ------------------------------------------------------------------

    def service_changed(self, service: dict) -> None:
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
                self._state.new_uid(),
                timestamp(self._state.clock.now),
                self._state.store.next_resource_version(),
            )
        managed.service = service
        old = managed.members
        members: dict[Key, PodRuntime] = {}
        for pod in self._state.store.pods_selected(key[0], from_match_labels(spec["selector"])):
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

    def pods_added(self, pods: Iterable[dict]) -> None:
        """Freshly started pods (running, with an IP): add each to the Services that select it.

        Pods made from one template come in runs that share their labels and
        containers (the same objects), so the matching Services and their ports are
        worked out once per run, each Service takes the whole run at once, and the
        run's records share one set of Services.
        """
        store, runtime = self._state.store, self._state.runtime
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
            joined: dict[Key, None] = {}
            for service in store.services_for_labels(ns, labels):
                skey = key_of(service)
                managed = self._managed.get(skey)
                # One template per run: the ports resolve the same way for every pod.
                if managed is None or not self._eligible(service, batch[0]):
                    continue
                managed.members.update(zip(keys, batch, strict=True))
                self._changes.setdefault(skey, []).extend(notes)
                self._bump(skey)
                joined[skey] = None
            if joined:
                for record in batch:
                    record.services = joined

    def pod_ready_changed(self, pod_key: Key, ready: bool) -> None:
        """A pod's readiness flipped: every Service listing it sees the change."""
        record = self._state.runtime.get(pod_key)  # its `ready` is already `ready`
        if record is None:
            return
        for skey in sorted(record.services):
            self._note(skey, record, ready)
            self._bump(skey)

    def pod_changed(self, pod: dict) -> None:
        """A pod was relabelled: it may join or leave Services."""
        pod_key = key_of(pod)
        record = self._record(pod)
        now_in: set[Key] = set()
        if record is not None:
            for service in self._state.store.services_for_labels(
                pod_key[0], pod["metadata"].get("labels")
            ):
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
        record = self._state.runtime.get(pod_key)
        if record is not None:
            for skey in sorted(record.services):
                self._remove_member(skey, pod_key)

    # -- outputs -----------------------------------------------------------------

    def flush(self) -> None:
        """Emit one `endpoints` event per Service whose endpoints changed since the last flush."""
        if not self._changes:
            return
        changes, self._changes = self._changes, {}
        state = self._state
        for skey in sorted(changes):
            managed = self._managed.get(skey)
            if managed is None:
                continue
            managed.resource_version = state.store.next_resource_version()
            managed.changed_at = timestamp(state.clock.now)
            if managed.service["spec"].get("publishNotReadyAddresses"):
                ready = len(managed.members)
            else:
                ready = sum(1 for r in managed.members.values() if r.ready)
            state.log.emit(
                state.clock.now,
                ENDPOINTS,
                "Endpoints",
                skey[0],
                skey[1],
                {
                    "changes": changes[skey],  # [pod, ip, ready or None when gone]
                    "ready": ready,
                    "not_ready": len(managed.members) - ready,
                },
            )

    def resolved(self, managed: _Managed) -> list[Member]:
        """Members with readiness (publishNotReadyAddresses counted) and ports."""
        service = managed.service
        publish = bool(service["spec"].get("publishNotReadyAddresses"))
        return [
            Member(r.ip, r.node, r.name, r.uid, r.ready or publish, self.ports(service, r))
            for r in managed.members.values()
        ]

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
        """A Service port's endpoints, ready and not, sorted by IP string (cached)."""
        skey = (namespace, service)
        managed = self._managed.get(skey)
        stamp: object = managed.version if managed else id(self._manual.get(skey))
        cached = self._backends.get((skey, port_name))
        if cached is not None and cached[0] == stamp:
            return cached[1]
        if managed is not None:
            out = []
            for m in sorted(self.resolved(managed), key=lambda m: m.ip):
                for name, port, _ in m.ports:
                    if name == port_name:
                        out.append(Backend(m.ip, port, m.ready, m.pod, m.node))
                        break
        else:
            out = _manual_backends(self._manual.get(skey), port_name)
        self._backends[(skey, port_name)] = (stamp, out)
        return out

    def endpoints_object(self, namespace: str, name: str) -> dict | None:
        """The Endpoints object as the API would return it, or None."""
        key = (namespace, name)
        managed = self._managed.get(key)
        if managed is None:
            return self._manual.get(key)
        stamp = (managed.version, managed.resource_version)
        if managed.endpoints is None or managed.endpoints[0] != stamp:
            service = self._state.store.get("Service", namespace, name)
            if service is None:
                return None
            managed.endpoints = (stamp, self._build_endpoints(service, managed))
        return managed.endpoints[1]

    def endpoint_slices(self, key: Key) -> list[dict]:
        """A Service's EndpointSlices (built on demand, names kept stable).

        Managed Services get the EndpointSlice controller's slices; user-written
        Endpoints of a selector-less Service are mirrored, as the
        EndpointSliceMirroring controller does.
        """
        managed = self._managed.get(key)
        if managed is None:
            return self._mirrored(key)
        if managed.slices is None or managed.slices[0] != managed.version:
            service = self._state.store.get("Service", *key)
            if service is None:
                return []
            managed.slices = (managed.version, self._build_slices(service, managed))
        return managed.slices[1]

    # -- internals ---------------------------------------------------------------

    def _mirrored(self, key: Key) -> list[dict]:
        endpoints = self._manual.get(key)
        service = self._state.store.get("Service", *key)
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
        slices = []
        for i, subset in enumerate(endpoints.get("subsets") or ()):
            if len(names) <= i:
                names.append(_slice_name(key[1], endpoints["metadata"].get("uid", ""), i))
            members = [
                Member(a["ip"], a.get("nodeName", ""), "", "", ready, ())
                for ready, field in ((True, "addresses"), (False, "notReadyAddresses"))
                for a in subset.get(field) or ()
            ]
            ports = tuple(
                (p.get("name", ""), int(p["port"]), p.get("protocol", "TCP"))
                for p in subset.get("ports") or ()
            )
            obj = _slice_object(service, names[i], ports, members, self._state)
            obj["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] = (
                "endpointslicemirroring-controller.k8s.io"
            )
            for endpoint in obj["endpoints"] or ():
                endpoint.pop("targetRef", None)
                if not endpoint.get("nodeName"):
                    endpoint.pop("nodeName", None)
            slices.append(obj)
        self._mirror_cache[key] = (endpoints, slices)
        return slices

    def _record(self, pod: dict) -> PodRuntime | None:
        """The pod's runtime record while it runs with an IP, else None."""
        status = pod.get("status") or {}
        if not status.get("podIP") or status.get("phase") in ("Succeeded", "Failed"):
            return None
        meta = pod["metadata"]
        return self._state.runtime.get((meta["namespace"], meta["name"]))

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

    def _build_endpoints(self, service: dict, managed: _Managed) -> dict:
        meta = service["metadata"]
        labels = dict(meta.get("labels") or {})
        if service["spec"].get("clusterIP") == "None":
            labels["service.kubernetes.io/headless"] = ""
        obj_meta: dict = {
            "name": meta["name"],
            "namespace": meta["namespace"],
            "uid": managed.uid,
            "resourceVersion": managed.resource_version,
            "creationTimestamp": managed.created,
            "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": managed.changed_at},
        }
        if labels:
            obj_meta["labels"] = labels
        obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": obj_meta}
        subsets = _subsets(meta["namespace"], self.resolved(managed))
        if subsets:
            obj["subsets"] = subsets
        return obj

    def _build_slices(self, service: dict, managed: _Managed) -> list[dict]:
        groups: dict[Ports, list[Member]] = {}
        for member in self.resolved(managed):
            groups.setdefault(member.ports, []).append(member)
        chunks: list[tuple[Ports, list[Member]]] = []
        for ports in sorted(groups):
            group = sorted(groups[ports], key=lambda m: m.ip)
            for i in range(0, len(group), SLICE_CAPACITY):
                chunks.append((ports, group[i : i + SLICE_CAPACITY]))
        if not chunks:
            chunks.append(((), []))
        names = managed.slice_names
        while len(names) < len(chunks):
            names.append(_slice_name(service["metadata"]["name"], managed.uid, len(names)))
        del names[len(chunks) :]
        return [
            _slice_object(service, name, ports, chunk, self._state)
            for name, (ports, chunk) in zip(names, chunks, strict=True)
        ]


class _EndpointsView:
    """The store's window onto Endpoints: managed ones derived, manual ones as written."""

    def __init__(self, controller: EndpointsController) -> None:
        self._c = controller

    def get(self, namespace: str, name: str) -> dict | None:
        return self._c.endpoints_object(namespace, name)

    def names(self) -> Iterable[Key]:
        return self._c._managed.keys() | self._c._manual.keys()


class _SliceView:
    """The store's window onto EndpointSlices (derived from managed Services)."""

    def __init__(self, controller: EndpointsController) -> None:
        self._c = controller

    def _index(self) -> dict[Key, dict]:
        out = {}
        for skey in list(self._c._managed) + list(self._c._manual):
            for obj in self._c.endpoint_slices(skey):
                out[(skey[0], obj["metadata"]["name"])] = obj
        return out

    def get(self, namespace: str, name: str) -> dict | None:
        base = name.rsplit("-", 1)[0]
        for obj in self._c.endpoint_slices((namespace, base)):
            if obj["metadata"]["name"] == name:
                return obj
        return None

    def names(self) -> Iterable[Key]:
        return list(self._index())


def _slice_name(service: str, uid: str, index: int) -> str:
    """`<service>-<5 chars>`: the suffix comes from the owner's UID, not the cluster's rng,
    because slices are built when first read and reading must not change later names."""
    return f"{service}-{generate_suffix(random.Random(f'{uid}/{index}'))}"


def _manual_backends(endpoints: dict | None, port_name: str) -> list[Backend]:
    out: list[Backend] = []
    for subset in (endpoints or {}).get("subsets") or ():
        ports = subset.get("ports") or []
        port = next((p for p in ports if p.get("name", "") == port_name), None)
        if port is None and len(ports) == 1 and not port_name:
            port = ports[0]
        if port is None:
            continue
        for ready, field_name in ((True, "addresses"), (False, "notReadyAddresses")):
            for address in subset.get(field_name) or ():
                ref = address.get("targetRef") or {}
                pod = ref.get("name") if ref.get("kind") == "Pod" else None
                out.append(
                    Backend(address["ip"], int(port["port"]), ready, pod, address.get("nodeName"))
                )
    return out


def _subsets(namespace: str, members: Iterable[Member]) -> list[dict]:
    """RepackSubsets: one subset per distinct port set, addresses sorted by IP string."""
    groups: dict[Ports, list[Member]] = {}
    for member in members:
        groups.setdefault(member.ports, []).append(member)
    subsets = []
    for ports in sorted(groups):
        ready, not_ready = [], []
        for m in sorted(groups[ports], key=lambda m: m.ip):
            address = {
                "ip": m.ip,
                "nodeName": m.node,
                "targetRef": {"kind": "Pod", "namespace": namespace, "name": m.pod, "uid": m.uid},
            }
            (ready if m.ready else not_ready).append(address)
        subset: dict = {}
        if ready:
            subset["addresses"] = ready
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        if ports:
            subset["ports"] = [_port(n, p, proto) for n, p, proto in ports]
        subsets.append(subset)
    return subsets


def _port(name: str, port: int, protocol: str) -> dict:
    out: dict = {"port": port, "protocol": protocol}
    if name:
        out["name"] = name
    return out


def _slice_object(service: dict, name: str, ports: Ports, chunk: list[Member], state) -> dict:
    meta = service["metadata"]
    namespace = meta["namespace"]
    labels = dict(meta.get("labels") or {})
    labels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io"
    labels["kubernetes.io/service-name"] = meta["name"]
    endpoints = [
        {
            "addresses": [m.ip],
            "conditions": {"ready": m.ready, "serving": m.ready, "terminating": False},
            "nodeName": m.node,
            "targetRef": {"kind": "Pod", "namespace": namespace, "name": m.pod, "uid": m.uid},
        }
        for m in chunk
    ]
    obj = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "generateName": meta["name"] + "-",
            "labels": labels,
            "ownerReferences": [
                {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "name": meta["name"],
                    "uid": meta["uid"],
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
            "creationTimestamp": meta["creationTimestamp"],
        },
        "addressType": "IPv4",
        "endpoints": endpoints or None,
        "ports": [_port(n, p, proto) for n, p, proto in ports] or None,
    }
    return obj
