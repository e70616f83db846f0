"""Is this connection allowed? NetworkPolicy semantics as a policy-enforcing CNI applies them.

The rules (kubernetes.io/docs/concepts/services-networking/network-policies, and Calico
where CNIs differ):

* Default allow. A pod is isolated for a direction once any policy of its namespace
  selects it and covers that direction; then only what the union of those policies'
  rules allows passes. Both ends are checked: the source pod's egress and the
  destination pod's ingress. Ends that are not pods (the host, nodes, the Internet)
  have no policy of their own.
* A peer element with `podSelector` alone matches pods of the policy's namespace;
  `namespaceSelector` alone, every pod of the matching namespaces; both in one element,
  pods matching both (AND). Elements of one list are alternatives (OR). `ipBlock`
  matches addresses, pod addresses included (as Calico does), minus its `except`s.
* Ports are the destination pod's ports after the Service's DNAT; a named port resolves
  on the destination pod's own containers (an egress rule's named port matches nothing
  that is not a pod). `endPort` makes a range. ICMP (ping) has no port: only a rule
  without `ports` allows it, as Calico and Cilium do.
* Traffic into a pod from its own node (kubelet probes, a hairpin that the node
  masquerades) is always allowed: pods cannot block their node. A pod reaching itself
  is not policed either.
* Pods on the host network are not policed (their traffic is the node's).

Everything here is pure: the caller says what each end of the connection looks like
*as the policy sees it* (after DNAT, before or after SNAT), and gets a `Verdict`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from simulator.labels import matches

from .model import EGRESS, INGRESS, Peer, Policy, PolicyRef, Rule


@dataclass(frozen=True, slots=True)
class PodInfo:
    """What policies need to know about a pod.

    Attributes:
        namespace: its namespace.
        name: its name.
        labels: its labels.
        ip: its address.
        node: the node it runs on.
        named_ports: its containers' named ports, `(name, protocol) -> number`.
        host_network: whether it shares its node's network (then it is not policed).
    """

    namespace: str
    name: str
    labels: Mapping[str, str]
    ip: str
    node: str | None = None
    named_ports: Mapping[tuple[str, str], int] = field(default_factory=dict)
    host_network: bool = False

    def __str__(self) -> str:
        return f"pod {self.name} ({self.namespace})"


@dataclass(frozen=True, slots=True)
class Party:
    """One end of a connection, as the policy sees it.

    Attributes:
        ip: the address the packet carries at the policy (the source after any SNAT that
            happened before the policy; the destination after DNAT).
        pod: the pod behind that address, or None (host, node, outside address).
        node: for a source that is a node itself (a probe, a masqueraded hairpin, a
            NodePort packet another node forwarded), that node's name.
        label: how reasons name a non-pod end, e.g. `the host 192.168.49.1`.
    """

    ip: str
    pod: PodInfo | None = None
    node: str | None = None
    label: str = ""

    def __str__(self) -> str:
        if self.pod is not None:
            return str(self.pod)
        return self.label or f"address {self.ip}"


@dataclass(frozen=True, slots=True)
class Decision:
    """How one direction was decided.

    Attributes:
        direction: `ingress` or `egress`.
        isolating: the policies that select the policed pod for this direction
            (empty: not isolated, so allowed by default).
        allowed_by: `(policy, rule index)` of the first rule that allows it, or None.
        exempt: why the direction is not policed at all, if it is not (e.g. own node).
    """

    direction: str
    isolating: tuple[Policy, ...] = ()
    allowed_by: tuple[Policy, int] | None = None
    exempt: str = ""

    @property
    def allowed(self) -> bool:
        """Whether this direction lets the connection through."""
        return not self.isolating or self.allowed_by is not None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one connection.

    Attributes:
        allowed: whether it passes both the source's egress and the destination's ingress.
        egress: how the source's egress was decided (None: the source is not a pod).
        ingress: how the destination's ingress was decided (None: not a pod).
    """

    allowed: bool
    egress: Decision | None = None
    ingress: Decision | None = None

    @property
    def dropped_by(self) -> Decision | None:
        """The direction that dropped it (egress is checked first, as packets leave first)."""
        for decision in (self.egress, self.ingress):
            if decision is not None and not decision.allowed:
                return decision
        return None

    @property
    def policies(self) -> tuple[PolicyRef, ...]:
        """The policies isolating the end that dropped the connection (none when allowed)."""
        decision = self.dropped_by
        return tuple(p.ref for p in decision.isolating) if decision is not None else ()


ALLOWED = Verdict(True)

#: Bound of `PolicySet`'s memory of which policies select a pod (cleared when full).
_SELECTING_LIMIT = 50_000


class PolicySet:
    """All NetworkPolicies of a cluster, grouped by namespace, ready to answer connections.

    Args:
        policies: compiled policies.
        namespace_labels: a namespace's labels (namespaces carry
            `kubernetes.io/metadata.name`); {} for an unknown namespace.
    """

    def __init__(
        self,
        policies: Iterable[Policy],
        namespace_labels: Callable[[str], Mapping[str, str]],
    ) -> None:
        self.by_namespace: dict[str, list[Policy]] = {}
        for policy in policies:
            self.by_namespace.setdefault(policy.ref.namespace, []).append(policy)
        self.namespace_labels = namespace_labels
        # (id(pod), direction) -> (pod, its isolating policies): a PodInfo is built once per
        # version of its pod (view.py), so each is matched against the selectors once.
        self._selecting: dict[tuple[int, str], tuple[PodInfo, tuple[Policy, ...]]] = {}

    def __bool__(self) -> bool:
        return bool(self.by_namespace)

    def by_ref(self, namespace: str, name: str) -> Policy | None:
        """The policy called `name` in `namespace`, or None."""
        for policy in self.by_namespace.get(namespace, ()):
            if policy.ref.name == name:
                return policy
        return None

    def selecting(self, pod: PodInfo, direction: str) -> tuple[Policy, ...]:
        """The policies that isolate `pod` for `direction`, by name."""
        if pod.host_network:
            return ()
        key = (id(pod), direction)
        cached = self._selecting.get(key)
        if cached is not None and cached[0] is pod:
            return cached[1]
        found = tuple(
            p
            for p in self.by_namespace.get(pod.namespace, ())
            if p.rules(direction) is not None and matches(p.selector, pod.labels)
        )
        if len(self._selecting) >= _SELECTING_LIMIT:
            self._selecting.clear()
        self._selecting[key] = (pod, found)
        return found

    def check(
        self,
        src: Party,
        dst: Party,
        protocol: str,
        port: int | None,
        *,
        seen: Party | None = None,
    ) -> Verdict:
        """Decide one connection from `src` to `dst` (`port` None for ICMP).

        Args:
            src: the sender (its pod's egress rules apply).
            dst: the destination after DNAT (its pod's ingress rules apply).
            protocol: TCP, UDP, SCTP or ICMP.
            port: the destination port after DNAT, None for ICMP.
            seen: the source as the destination's policy sees it, when an SNAT on the
                way changed it (a node that forwarded a NodePort packet); default `src`.
        """
        if not self.by_namespace:
            return ALLOWED
        if src.pod is not None and dst.pod is not None and src.pod.ip == dst.pod.ip:
            return ALLOWED  # a pod reaching itself never leaves it
        seen = src if seen is None else seen
        egress = ingress = None
        if src.pod is not None:
            egress = self._decide(src.pod, EGRESS, dst, dst, protocol, port)
        if dst.pod is not None:
            if seen.node is not None and seen.node == dst.pod.node:
                ingress = Decision(INGRESS, exempt="traffic from the pod's own node")
            else:
                ingress = self._decide(dst.pod, INGRESS, seen, dst, protocol, port)
        allowed = (egress is None or egress.allowed) and (ingress is None or ingress.allowed)
        return Verdict(allowed, egress, ingress)

    def _decide(
        self,
        pod: PodInfo,
        direction: str,
        other: Party,
        dst: Party,
        protocol: str,
        port: int | None,
    ) -> Decision:
        isolating = self.selecting(pod, direction)
        for policy in isolating:
            for index, rule in enumerate(policy.rules(direction) or ()):
                if self.peer_allowed(policy, rule, other) and port_allowed(
                    rule, dst, protocol, port
                ):
                    return Decision(direction, isolating, (policy, index))
        return Decision(direction, isolating)

    def peer_allowed(self, policy: Policy, rule: Rule, other: Party) -> bool:
        """Whether one of `rule`'s peers is `other` (a rule without peers allows any)."""
        if not rule.peers:
            return True
        return any(self.peer_matches(policy, peer, other) for peer in rule.peers)

    def peer_matches(self, policy: Policy, peer: Peer, other: Party) -> bool:
        """Whether the `from`/`to` element `peer` of `policy` matches `other`."""
        if peer.block is not None:
            return peer.block.contains(other.ip)
        pod = other.pod
        if pod is None or pod.host_network:
            return False
        if peer.namespaces is None:
            if pod.namespace != policy.ref.namespace:
                return False
        elif not matches(peer.namespaces, self.namespace_labels(pod.namespace)):
            return False
        return peer.pods is None or matches(peer.pods, pod.labels)


def port_allowed(rule: Rule, dst: Party, protocol: str, port: int | None) -> bool:
    """Whether one of `rule`'s ports is the destination port (no ports: any, ICMP too).

    Named ports resolve on the destination pod's containers; ICMP has no port, so only
    a rule without ports allows it.
    """
    if not rule.ports:
        return True
    if port is None:
        return False
    for item in rule.ports:
        if item.protocol != protocol:
            continue
        wanted = item.port
        if wanted is None:
            return True
        if isinstance(wanted, str):  # a named port: the destination pod's
            if dst.pod is not None and dst.pod.named_ports.get((wanted, protocol)) == port:
                return True
        elif wanted <= port <= (item.end_port or wanted):
            return True
    return False
