"""Which of a Service port's endpoints kube-proxy on one node sends a connection to.

A port of kube-proxy's `pkg/proxy/topology.go` (CategorizeEndpoints,
topologyModeFromHints, availableForTopology), for one traffic policy at a time:

* **Cluster** policy: the ready endpoints, narrowed by the EndpointSlice hints
  of the Service's `trafficDistribution` when every ready endpoint has one and
  some hint names this node (`PreferSameNode`) or its zone (`PreferSameZone`);
  otherwise every ready endpoint. With no ready endpoint anywhere, the ones
  that are serving while terminating (ProxyTerminatingEndpoints, GA in v1.28).
* **Local** policy (`internalTrafficPolicy` or `externalTrafficPolicy: Local`):
  the ready endpoints on this node, else this node's serving terminating ones,
  else none (the packet is dropped).
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.endpoints import Backend

PREFER_SAME_NODE, PREFER_SAME_ZONE = "PreferSameNode", "PreferSameZone"


def categorize_endpoints(endpoints: Sequence[Backend], node: str | None, zone: str | None,
                         local: bool) -> tuple[tuple[Backend, ...], str]:  # fmt: skip
    """The endpoints a connection from `node` may use, and the topology that chose them.

    Args:
        endpoints: the Service port's endpoints, as its EndpointSlices list them.
        node: the node whose kube-proxy handles the packet (None: not a node's).
        zone: that node's `topology.kubernetes.io/zone` label, or None.
        local: the traffic policy is Local.

    Returns:
        The usable endpoints (empty: none, the caller refuses or drops), and why: ""
        for every ready endpoint, `PreferSameNode` or `PreferSameZone` when hints
        narrowed them, "local" for a Local policy's, "terminating" when only serving
        terminating endpoints were left.
    """
    if local:
        ready = tuple(b for b in endpoints if b.node == node and b.ready)
        if ready:
            return ready, "local"
        serving = tuple(b for b in endpoints if b.node == node and b.serving and b.terminating)
        return serving, "terminating" if serving else "local"
    mode = topology_mode(endpoints, node, zone)
    if mode == PREFER_SAME_NODE:
        chosen = tuple(b for b in endpoints if b.ready and b.node_hint == node)
    elif mode == PREFER_SAME_ZONE:
        chosen = tuple(b for b in endpoints if b.ready and b.zone_hint == zone)
    else:
        chosen = tuple(b for b in endpoints if b.ready)
    if chosen:
        return chosen, mode
    serving = tuple(b for b in endpoints if b.serving and b.terminating)
    return serving, "terminating" if serving else ""


def topology_mode(endpoints: Sequence[Backend], node: str | None, zone: str | None) -> str:
    """topologyModeFromHints: `PreferSameNode` when every ready endpoint has a node hint and
    one names `node`; else `PreferSameZone` likewise for zones; else ""."""
    ready = [b for b in endpoints if b.ready]
    if not ready:
        return ""
    if all(b.node_hint for b in ready) and any(b.node_hint == node for b in ready):
        return PREFER_SAME_NODE
    if all(b.zone_hint for b in ready) and zone and any(b.zone_hint == zone for b in ready):
        return PREFER_SAME_ZONE
    return ""


def hinted(endpoints: Sequence[Backend]) -> bool:
    """Whether any endpoint carries a hint (then the choice depends on the node)."""
    return any(b.zone_hint or b.node_hint for b in endpoints)
