"""Backends: what kube-proxy and ingress-nginx read from a Service's EndpointSlices."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backend:
    """One `ip:port` of a Service port, as listed in its Endpoints object.

    Attributes:
        ip: the endpoint address (a pod IP, or any IP for manual Endpoints).
        port: the resolved target port.
        ready: listed under `addresses` (True) or `notReadyAddresses` (False).
        pod: the pod's name from `targetRef` (None for manual, external endpoints).
        node: the pod's node from `nodeName` (None when unknown).
        serving: the pod is ready, terminating or not (the EndpointSlice's `serving`).
        terminating: the pod is being deleted; never `ready` then (unless the Service
            publishes not-ready addresses).
        zone_hint, node_hint: the EndpointSlice's `hints.forZones` and `forNodes` (the
            Service's `trafficDistribution`), or None.
    """

    ip: str
    port: int
    ready: bool
    pod: str | None = None
    node: str | None = None
    serving: bool = True
    terminating: bool = False
    zone_hint: str | None = None
    node_hint: str | None = None
