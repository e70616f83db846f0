"""The delivery step: the one place a packet is handed to a pod.

Every way a request reaches a pod ends here: a Service's cluster IP, a
NodePort or a LoadBalancer (after kube-proxy's choice, DNAT and any SNAT), an
ingress-nginx upstream, a pod IP (directly or through a headless Service's
DNS answer), a pod's own loopback, and a ping's ICMP echo. The paths decide
*which* pod and port and *which source address* the pod sees; this step
decides whether the packet gets there and what it meets: a listening port,
or nothing (the pod refuses the connection). The cached route plans replay
the paths' decisions but always ask this step (or reuse its answer for the
same packet while nothing it read has changed, `Router` holds the stamps).

NetworkPolicy is enforced here, in `Deliverer.deliver` (policing.py): it
knows the sending pod (for its egress rules; the ingress-nginx or Gateway
data-plane pod for proxied traffic, None for the host and nodes), the source
address the destination sees after SNAT (for its ingress rules and
`ipBlock`; `seen_ip` when the policy saw another one, before an SNAT on the
pod's own node), the destination pod, address and port after DNAT (named
ports resolve on that pod) and the protocol. A packet a policy drops gets the
verdict `DROPPED` with its `drop`, and every path ends it as a silent
timeout. (Egress to addresses that are no pod, an `ipBlock` outside the
cluster or the API server, is decided where those paths end:
`DirectRoutes._external` and `_apiserver`, `ServiceRoutes._manual_endpoint`.)
Kubelet probes never come through here: they start on the pod's own node,
which policies always allow. DNS queries reach CoreDNS through `query_dns`,
which a policy can drop too. A proxy's connections (ingress-nginx's, a
Gateway's data plane's) are policed through proxy_drops.py: the client's
connection to the proxy pod (`entry_dropped`), and each upstream connection
handed here with the proxy pod as `sender` and its address as `src_ip`,
a `DROPPED` try waited out and a 504 when every try was dropped
(`upstream_timeout`). A hostNetwork pod, reached at its node's address
(`NodeRoutes._node`), will come here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.trace import Hop

from .cluster_view import ClusterView
from .dns import Answer, ClusterDns, NotFound
from .policing import Policing, PolicyDrop
from .request import Client

TCP = "TCP"
UDP = "UDP"
ICMP = "ICMP"

#: The pod received the packet: a port that listens, or an ICMP echo.
DELIVERED = "delivered"
#: Nothing listens on the port: the pod's kernel answers with a reset (the client sees a refusal).
NOT_LISTENING = "not listening"
#: A NetworkPolicy dropped the packet: nothing answers, the client waits (`Delivery.drop`).
DROPPED = "dropped"


@dataclass(slots=True)  # never changed once built; not frozen, which makes building slower
class Delivery:
    """One packet handed to a pod, as the pod sees it, and what it met there.

    The addresses live on the pod's hop (shared with every Trace that shows it), so
    a delivery kept per endpoint stays small.

    Attributes:
        verdict: `DELIVERED`, `NOT_LISTENING` or `DROPPED`.
        name: the pod's name (the Trace's `served_by` when it answers).
        hop: the pod's hop, which ends the packet's way: the destination address and
            port after DNAT, the source address the pod sees after SNAT or
            masquerade, the pod's node and namespace. (The hops before it are the
            request's, in its `Exchange`: one delivery serves every way to the pod.)
        pod: the destination pod.
        sender: the pod the packet left (its egress side): the client pod, or the
            proxy's pod for proxied traffic; None for the host and nodes.
        protocol: `TCP`, `UDP` or `ICMP`.
        drop: for `DROPPED`, the policy drop (direction, policies, reason).
    """

    verdict: str
    name: str
    hop: Hop
    pod: dict
    sender: dict | None
    protocol: str
    drop: PolicyDrop | None = None

    @property
    def ip(self) -> str | None:
        """The destination address after DNAT."""
        return self.hop.ip

    @property
    def port(self) -> int | None:
        """The destination port after DNAT (None for ICMP)."""
        return self.hop.port

    @property
    def src_ip(self) -> str | None:
        """The source address the pod sees."""
        return self.hop.src_ip

    @property
    def node(self) -> str | None:
        """The pod's node."""
        return self.hop.node


@dataclass(frozen=True, slots=True)
class DnsDropped:
    """A DNS query a NetworkPolicy dropped: no answer comes, the resolver times out.

    Attributes:
        name: the name as typed.
        drop: which policies dropped the query, and why.
    """

    name: str
    drop: PolicyDrop


class Deliverer:
    """Hands packets to pods (see the module docstring)."""

    def __init__(self, state: ClusterView, hop: Callable[..., Hop], dns: ClusterDns) -> None:
        """Attach to a ClusterState's pods (`pod_listens`), the router's shared hops
        (`HopCache.get`) and the cluster DNS."""
        self._listens = state.pod_listens
        self._hop = hop
        self._dns = dns
        self._store = state.store
        self._backends = state.backends
        self.policing = Policing(state)

    def deliver(
        self,
        pod: dict,
        ip: str,
        port: int | None,
        *,
        src_ip: str,
        sender: dict | None,
        protocol: str = TCP,
        seen_ip: str | None = None,
    ) -> Delivery:
        """Hand one packet to `pod` at `ip:port` and say what it met.

        Args:
            pod: the destination pod.
            ip: the destination address (the pod's IP, or 127.0.0.1 on its loopback).
            port: the destination port (None for ICMP).
            src_ip: the source address the pod sees.
            sender: the pod the packet left, None for the host or a node.
            protocol: `TCP`, `UDP` or `ICMP`.
            seen_ip: the source the destination's NetworkPolicies see, when it is not
                `src_ip` (an SNAT on the pod's own node comes after them).
        """
        meta = pod["metadata"]
        name, namespace = meta["name"], meta.get("namespace")
        node = pod["spec"].get("nodeName")
        hop = self._hop("pod", name, ip, port, node, src_ip, namespace)
        drop = None
        if self._store.count("NetworkPolicy"):
            drop = self.policing.packet(
                pod, ip, port, protocol, sender=sender, src_ip=src_ip, seen_ip=seen_ip
            )
        if drop is not None:
            verdict = DROPPED
        elif protocol != ICMP and (port is None or not self._listens(pod, port)):
            verdict = NOT_LISTENING
        else:
            verdict = DELIVERED
        return Delivery(verdict, name, hop, pod, sender, protocol, drop)

    def query_dns(
        self, client: Client, name: str, server: dict | None = None
    ) -> Answer | NotFound | DnsDropped:
        """A pod's DNS query for `name`: UDP to kube-dns's cluster IP, which CoreDNS answers
        (or to one CoreDNS pod, `server`, asked by its address).

        The answer is the same whichever CoreDNS replica kube-proxy picks, so no
        endpoint is drawn (a draw would move the cluster's random sequence and
        with it every later choice). NetworkPolicy decides here whether `client`
        may send UDP 53 to a CoreDNS pod and it may receive it; when no CoreDNS pod
        gets the query, the lookup fails after resolv.conf's timeouts (`DnsDropped`).
        """
        drop = self.dns_drop(client, server)
        if drop is not None:
            return DnsDropped(name, drop)
        return self._dns.resolve(name, client.namespace or "default")

    def dns_drop(self, client: Client, server: dict | None = None) -> PolicyDrop | None:
        """The NetworkPolicy drop that keeps a pod's DNS query from every CoreDNS pod (or
        from `server`), or None when one gets it."""
        if client.pod is None or not self._store.count("NetworkPolicy"):
            return None
        servers = [server] if server is not None else self.dns_servers()
        return self.policing.dns(client.pod, servers)

    def dns_servers(self) -> list[dict]:
        """The ready CoreDNS pods behind kube-dns."""
        servers = []
        for backend in self._backends("kube-system", "kube-dns", "dns"):
            pod = self._store.get("Pod", "kube-system", backend.pod) if backend.pod else None
            if pod is not None and backend.ready:
                servers.append(pod)
        return servers

    def dns_server_at(self, ip: str) -> dict | None:
        """The ready CoreDNS pod whose address is `ip`, or None."""
        for pod in self.dns_servers():
            if (pod.get("status") or {}).get("podIP") == ip:
                return pod
        return None
