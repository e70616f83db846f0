"""Endpoints and EndpointSlice objects as the API serves them, built from a Service's
members; and what kube-proxy reads from user-written Endpoints.

Pure functions: the Endpoints controller keeps the members and calls these
when someone reads the objects, caching the result until the members change.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import NamedTuple

from simulator.endpoints import Backend
from simulator.names import generate_suffix

SLICE_CAPACITY = 100  # endpoints per EndpointSlice, the controller's default

Ports = tuple[tuple[str, int, str], ...]  # (service port name, resolved port, protocol)


class Member(NamedTuple):
    """A pod as one Service's endpoints list it (conditions and ports resolved).

    `ready` is the EndpointSlice's condition (serving and not terminating, or the
    Service publishes not-ready addresses); Endpoints objects leave terminating pods
    out unless the Service publishes them.
    """

    ip: str
    node: str
    pod: str
    uid: str
    ready: bool
    ports: Ports
    serving: bool = True
    terminating: bool = False
    hostname: str | None = None
    zone: str | None = None


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


def endpoints_object(service: dict, uid: str, created: str, members: Iterable[Member],
                     resource_version: str, at: str) -> dict:  # fmt: skip
    """A managed Service's Endpoints object.

    Args:
        service: the Service.
        uid, created, resource_version: the object's metadata.
        members: the pods listed, with readiness and ports resolved.
        at: the last change's time (the last-change-trigger-time annotation).
    """
    meta = service["metadata"]
    labels = dict(meta.get("labels") or {})
    if service["spec"].get("clusterIP") == "None":
        labels["service.kubernetes.io/headless"] = ""
    obj_meta: dict = {
        "name": meta["name"],
        "namespace": meta["namespace"],
        "uid": uid,
        "resourceVersion": resource_version,
        "creationTimestamp": created,
        "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": at},
    }
    if labels:
        obj_meta["labels"] = labels
    obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": obj_meta}
    subsets = _subsets(meta["namespace"], members)
    if subsets:
        obj["subsets"] = subsets
    return obj


def endpoint_slices(service: dict, uid: str, members: Iterable[Member],
                    names: list[str]) -> list[dict]:  # fmt: skip
    """A managed Service's EndpointSlices: one per set of ports, at most SLICE_CAPACITY
    endpoints each, sorted by IP; one empty slice when nothing is listed. Terminating pods
    are kept with their conditions; ready endpoints carry the hints of the Service's
    `trafficDistribution` (trafficdist.go).

    `names` are the slices' names so far, kept in place so a slice keeps its name while
    it exists (new ones are added, surplus ones dropped).
    """
    groups: dict[Ports, list[Member]] = {}
    for member in members:
        groups.setdefault(member.ports, []).append(member)
    chunks: list[tuple[Ports, list[Member]]] = []
    for ports in sorted(groups):
        group = sorted(groups[ports], key=lambda m: m.ip)
        for i in range(0, len(group), SLICE_CAPACITY):
            chunks.append((ports, group[i : i + SLICE_CAPACITY]))
    if not chunks:
        chunks.append(((), []))
    while len(names) < len(chunks):
        names.append(_slice_name(service["metadata"]["name"], uid, len(names)))
    del names[len(chunks) :]
    return [
        _slice_object(service, name, ports, chunk)
        for name, (ports, chunk) in zip(names, chunks, strict=True)
    ]


def mirrored_slices(service: dict, endpoints: dict, names: list[str]) -> list[dict]:
    """User-written Endpoints of a selector-less Service as EndpointSlices, one per subset,
    as the EndpointSliceMirroring controller makes them (`names` kept as in
    `endpoint_slices`)."""
    slices = []
    for i, subset in enumerate(endpoints.get("subsets") or ()):
        if len(names) <= i:
            uid = endpoints["metadata"].get("uid", "")
            names.append(_slice_name(service["metadata"]["name"], uid, i))
        members = [
            Member(a["ip"], a.get("nodeName", ""), "", "", ready, ())
            for ready, field in ((True, "addresses"), (False, "notReadyAddresses"))
            for a in subset.get(field) or ()
        ]
        ports = tuple(
            (p.get("name", ""), int(p["port"]), p.get("protocol", "TCP"))
            for p in subset.get("ports") or ()
        )
        obj = _slice_object(service, names[i], ports, members)
        obj["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] = (
            "endpointslicemirroring-controller.k8s.io"
        )
        for endpoint in obj["endpoints"] or ():
            endpoint.pop("targetRef", None)
            if not endpoint.get("nodeName"):
                endpoint.pop("nodeName", None)
        slices.append(obj)
    return slices


def _slice_name(service: str, uid: str, index: int) -> str:
    """`<service>-<5 chars>`: the suffix comes from the owner's UID, not the cluster's rng,
    because slices are built when first read and reading must not change later names."""
    return f"{service}-{generate_suffix(random.Random(f'{uid}/{index}'))}"


def manual_backends(endpoints: dict | None, port_name: str) -> list[Backend]:
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
    """RepackSubsets: one subset per distinct port set, addresses sorted by IP string;
    terminating pods left out (the caller marks them ready when the Service publishes
    them)."""
    groups: dict[Ports, list[Member]] = {}
    for member in members:
        if member.terminating and not member.ready:
            continue
        groups.setdefault(member.ports, []).append(member)
    subsets = []
    for ports in sorted(groups):
        ready: list[dict] = []
        not_ready: list[dict] = []
        for m in sorted(groups[ports], key=lambda m: m.ip):
            address: dict = {"ip": m.ip}
            if m.hostname:
                address["hostname"] = m.hostname
            address["nodeName"] = m.node
            address["targetRef"] = {"kind": "Pod", "namespace": namespace, "name": m.pod,
                                    "uid": m.uid}  # fmt: skip
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


def _slice_object(service: dict, name: str, ports: Ports, chunk: list[Member]) -> dict:
    meta = service["metadata"]
    namespace = meta["namespace"]
    labels = dict(meta.get("labels") or {})
    labels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io"
    labels["kubernetes.io/service-name"] = meta["name"]
    distribution = service["spec"].get("trafficDistribution")
    endpoints = []
    for m in chunk:
        endpoint: dict = {
            "addresses": [m.ip],
            "conditions": {"ready": m.ready, "serving": m.serving, "terminating": m.terminating},
        }
        if m.hostname:
            endpoint["hostname"] = m.hostname
        endpoint["nodeName"] = m.node
        endpoint["targetRef"] = {"kind": "Pod", "namespace": namespace, "name": m.pod,
                                 "uid": m.uid}  # fmt: skip
        if m.zone:
            endpoint["zone"] = m.zone
        hints = endpoint_hints(distribution, m)
        if hints:
            endpoint["hints"] = hints
        endpoints.append(endpoint)
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


#: trafficDistribution values whose EndpointSlices carry hints (PreferClose is the old name).
HINTED = ("PreferClose", "PreferSameZone", "PreferSameNode")


def endpoint_hints(distribution: str | None, member: Member) -> dict | None:
    """An endpoint's `hints`, as the EndpointSlice controller writes them for the Service's
    `trafficDistribution` (trafficdist.go preferCloseHeuristic): ready endpoints get their
    zone in `forZones`, and with `PreferSameNode` their node in `forNodes` too."""
    if distribution not in HINTED or not member.ready:
        return None
    hints: dict = {}
    if member.zone:
        hints["forZones"] = [{"name": member.zone}]
    if distribution == "PreferSameNode" and member.node:
        hints["forNodes"] = [{"name": member.node}]
    return hints or None
