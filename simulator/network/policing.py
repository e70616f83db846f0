"""NetworkPolicy where the network hands packets over: to pods, to other addresses, to DNS.

The delivery step (delivery.py) asks `Policing.packet` before a packet reaches a pod;
the paths that end at an address that is no pod (the API server, a manual endpoint, the
Internet) ask `Policing.leave`; DNS queries ask `Policing.dns`. Each answer is None
(the packet passes) or a `PolicyDrop` naming the direction, the policies and the reason.

The ends of a connection are built here from what the paths know: the sending pod
(its egress rules), the source address the destination's policy sees (a node after a
NodePort forwarded by another node, else the client), the destination pod after DNAT.
Policies are enforced as Calico does with kube-proxy in iptables mode: on the
destination node, after kube-proxy's DNAT and before the SNAT of that node's own
POSTROUTING, so a NodePort packet that stays on its node is judged by the client's
address, one forwarded from another node by that node's address. With no
NetworkPolicy in the cluster every question costs one count lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from simulator.hints import Hint, hint
from simulator.ipam import HOST_IP, POD_CIDR
from simulator.netpol import EGRESS, Party, drop_reason, policies_of
from simulator.netpol.model import address

if TYPE_CHECKING:
    from .cluster_view import ClusterView

_POD_NETWORK = (int(POD_CIDR.network_address), int(POD_CIDR.broadcast_address))


@dataclass(frozen=True, slots=True)
class PolicyDrop:
    """A packet a NetworkPolicy dropped.

    Attributes:
        direction: `ingress` (the destination pod's policies) or `egress` (the sender's).
        namespace: the policies' namespace.
        policies: the names of the policies isolating that pod in that direction.
        reason: one sentence naming them and what none of their rules allows.
    """

    direction: str
    namespace: str
    policies: tuple[str, ...]
    reason: Hint


class Policing:
    """Asks the cluster's NetworkPolicies about packets (see the module docstring)."""

    def __init__(self, state: ClusterView) -> None:
        """Attach to a ClusterState (its store, `pod_by_ip`, `node_by_ip`)."""
        self.view = policies_of(state.store)
        self._store = state.store
        self._node_by_ip = state.node_by_ip
        self._bridges: tuple[int, dict[str, str]] = (-1, {})

    def active(self) -> bool:
        """Whether any NetworkPolicy exists (else nothing is ever dropped)."""
        return bool(self._store.count("NetworkPolicy"))

    def packet(
        self,
        pod: dict,
        ip: str,
        port: int | None,
        protocol: str,
        *,
        sender: dict | None,
        src_ip: str,
        seen_ip: str | None = None,
    ) -> PolicyDrop | None:
        """A packet to `pod` at `ip:port`: None when it passes.

        Args:
            pod: the destination pod (after DNAT).
            ip: its address (127.0.0.1 for the pod's own loopback, never policed).
            port: the destination port, None for ICMP.
            protocol: TCP, UDP or ICMP.
            sender: the pod the packet left (its egress rules apply), None for the host
                and nodes.
            src_ip: the source address the pod sees.
            seen_ip: the source address the destination's policy sees, when it differs
                from `src_ip` (SNAT after the policy); default `src_ip`.
        """
        policies = self.view.policy_set()
        if not policies or ip == "127.0.0.1":
            return None
        dst = Party(ip, self.view.pod_info(pod))
        src = self._sender(sender, src_ip)
        seen = self._party(seen_ip or src_ip, sender)
        verdict = policies.check(src, dst, protocol, port, seen=seen)
        if verdict.allowed:
            return None
        return self._drop(policies, verdict.dropped_by, src, dst, protocol, port, seen)

    def leave(
        self, sender: dict | None, ip: str, port: int | None, protocol: str, label: str
    ) -> PolicyDrop | None:
        """A packet from `sender` to an address that is no pod (`label` names it, a hint such
        as `named_address`'s)."""
        if sender is None:
            return None
        policies = self.view.policy_set()
        if not policies:
            return None
        src = self._sender(sender, "")
        dst = Party(ip, label=label)
        verdict = policies.check(src, dst, protocol, port)
        if verdict.allowed:
            return None
        return self._drop(policies, verdict.dropped_by, src, dst, protocol, port, src)

    def dns(self, client_pod: dict | None, servers: list[dict]) -> PolicyDrop | None:
        """A pod's DNS query (UDP 53) to CoreDNS: None when some CoreDNS pod gets it."""
        if client_pod is None or not self.active():
            return None
        first = None
        ip = (client_pod.get("status") or {}).get("podIP") or ""
        for server in servers:
            address_ = (server.get("status") or {}).get("podIP") or ""
            drop = self.packet(server, address_, 53, "UDP", sender=client_pod, src_ip=ip)
            if drop is None:
                return None
            first = first or drop
        return first

    def _drop(self, policies, decision, src, dst, protocol, port, seen) -> PolicyDrop:
        policed = src if decision.direction == EGRESS else dst
        return PolicyDrop(
            decision.direction,
            policed.pod.namespace,
            tuple(p.ref.name for p in decision.isolating),
            drop_reason(policies, decision, src, dst, protocol, port, seen),
        )

    def _sender(self, sender: dict | None, src_ip: str) -> Party:
        """The sending end: its pod when a pod sent it, else the source address."""
        if sender is not None and not (sender.get("spec") or {}).get("hostNetwork"):
            info = self.view.pod_info(sender)
            return Party(info.ip, info)
        return self._party(src_ip, None)

    def _party(self, ip: str, sender: dict | None) -> Party:
        """The source as seen at an address: the sending pod, a node, the host, or a stranger."""
        if sender is not None and not (sender.get("spec") or {}).get("hostNetwork"):
            info = self.view.pod_info(sender)
            if info.ip == ip:
                return Party(ip, info)
        node = self._node_of(ip)
        if node is not None:
            return Party(ip, node=node, label=node_address(node, ip))
        if ip == HOST_IP:
            return Party(ip, label=_the_host(ip))
        return Party(ip, label=_address(ip))

    def _node_of(self, ip: str) -> str | None:
        """The node owning `ip`: its InternalIP, or its pod bridge's first address."""
        node = self._node_by_ip(ip)
        if node is not None:
            return node["metadata"]["name"]
        found = address(ip)
        if found is None or found[0] != 4 or not _POD_NETWORK[0] <= found[1] <= _POD_NETWORK[1]:
            return None
        revision, bridges = self._bridges
        if revision != self._store.revision:
            bridges = {}
            for node_obj in self._store.list("Node"):
                cidr = (node_obj.get("spec") or {}).get("podCIDR") or ""
                start = address(cidr.partition("/")[0])
                if start is not None:
                    bridges[_dotted(start[1] + 1)] = node_obj["metadata"]["name"]
            self._bridges = (self._store.revision, bridges)
        return bridges.get(ip)


def _dotted(value: int) -> str:
    return ".".join(str(value >> shift & 255) for shift in (24, 16, 8, 0))


# How a policy's reason names an end that is no pod, made once per address: a packet's
# source is named so each time a policy is asked.


@lru_cache(maxsize=1024)
def node_address(node: str, ip: str) -> Hint:
    """`node w1 (192.168.49.3)`."""
    return hint("netpol-node", node=node, ip=ip)


@lru_cache(maxsize=1024)
def named_address(name: str, ip: str) -> Hint:
    """`example.com (93.184.215.14)`: an address outside the pods, by name."""
    return hint("netpol-named-address", name=name, ip=ip)


@lru_cache(maxsize=16)
def _the_host(ip: str) -> Hint:
    return hint("netpol-the-host", ip=ip)


@lru_cache(maxsize=1024)
def _address(ip: str) -> Hint:
    return hint("netpol-address", ip=ip)
