"""Who can reach whom on which port: the reachability matrix of a cluster's pods.

Rows are sources and columns destinations: workloads (the pods of one workload that
policies cannot tell apart: same namespace, same answer from every selector of every
policy, same named and listening ports, same `ipBlock`s covering their addresses), or
single pods for small rooms. Each column has one slot per port its pods listen on; a
cell says, per slot, whether the source's egress and the destination's ingress let a
new connection through.

It answers with bit masks rather than one `PolicySet.check` per cell: each rule's peers
become a mask of matching groups once, each destination slot a mask of the sources its
ingress rules allow, each source a mask of the slots its egress rules allow, and a row's
letters come out of two integers in C. The cost is rules x groups selector matches plus
a few big-integer operations per row (`python -m benchmarks.bench_netpol`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.labels import Selector, matches

from .engine import Party, PodInfo, PolicySet, port_allowed
from .model import EGRESS, INGRESS, IPBlock, Policy, Rule

#: Namespaces listed after the learner's own, in this order.
SYSTEM_NAMESPACES = ("ingress-nginx", "kube-system")
#: A cell's slot states: allowed, or dropped by the source's egress, the destination's
#: ingress, or both.
OK, EGRESS_DROP, INGRESS_DROP, BOTH_DROP = "ok", "egress", "ingress", "both"


@dataclass(frozen=True, slots=True)
class MatrixPod:
    """A running pod as the matrix takes it.

    Attributes:
        info: the pod as policies see it.
        workload: the name of its Deployment, ReplicaSet, DaemonSet... or its own name.
        ports: `(protocol, containerPort)` it listens on.
        dns: whether it serves the cluster's DNS (a kube-dns endpoint): its UDP 53 can
            be tried with `nslookup NAME POD_IP`.
    """

    info: PodInfo
    workload: str
    ports: tuple[tuple[str, int], ...]
    dns: bool = False


@dataclass(frozen=True, slots=True)
class Group:
    """One row and column of the matrix: pods the policies treat alike.

    Attributes:
        key: `namespace/name`, unique in the matrix.
        namespace: the pods' namespace.
        name: the workload's name (or the pod's, per pod); a workload whose pods the
            policies tell apart (relabelled, or split by an `ipBlock`) adds its first
            pod's name in parentheses.
        pods: the pods, by name.
        ports: `(protocol, port)` they listen on: the column's slots, in order.
        first: the index of the first of those slots in a row.
        isolated_ingress: the policies isolating these pods for ingress.
        isolated_egress: the same for egress.
        dns: whether its pods serve the cluster's DNS.
    """

    key: str
    namespace: str
    name: str
    pods: tuple[PodInfo, ...]
    ports: tuple[tuple[str, int], ...]
    first: int
    isolated_ingress: tuple[str, ...]
    isolated_egress: tuple[str, ...]
    dns: bool = False


#: One letter per slot in `Matrix.rows`.
LETTERS = {OK: "o", EGRESS_DROP: "e", INGRESS_DROP: "i", BOTH_DROP: "b"}
_STATES = {letter: state for state, letter in LETTERS.items()}
# A slot's value is (egress allowed) + 2 * (ingress allowed), written as a hex digit.
_DIGIT_TO_LETTER = str.maketrans("0123", "bieo")


@dataclass(frozen=True, slots=True)
class Matrix:
    """The answer: groups, and per source one letter per destination slot.

    Attributes:
        groups: the rows, and the same groups as columns.
        rows: per source group, a string with one letter per slot of every column
            (`o` ok, `e` dropped by the source's egress, `i` by the destination's
            ingress, `b` both); column `j` is `row[g.first : g.first + len(g.ports)]`.
        by_pod: whether each group is one pod.
    """

    groups: tuple[Group, ...]
    rows: tuple[str, ...]
    by_pod: bool

    def state(self, src: str, dst: str, protocol: str, port: int) -> str:
        """The state of one slot, by group keys (`OK`, `EGRESS_DROP`...)."""
        keys = [g.key for g in self.groups]
        column = self.groups[keys.index(dst)]
        letter = self.rows[keys.index(src)][column.first + column.ports.index((protocol, port))]
        return _STATES[letter]

    def to_dict(self) -> dict:
        """JSON-ready: `groups` (each with `first`, its pods, its ports with a `request` to
        run from a pod, or None, and `exec`, the command prefix that runs in its first
        pod) and `rows` as above."""
        groups = []
        for group in self.groups:
            first = group.pods[0]
            ns = "" if first.namespace == "default" else f"-n {first.namespace} "
            groups.append(
                {
                    "key": group.key,
                    "namespace": group.namespace,
                    "name": group.name,
                    "pods": [p.name for p in group.pods],
                    "first": group.first,
                    "ports": [
                        {
                            "port": f"{port}/{protocol}",
                            "request": request(first, protocol, port, group.dns),
                        }
                        for protocol, port in group.ports
                    ],
                    "isolated": {
                        "ingress": list(group.isolated_ingress),
                        "egress": list(group.isolated_egress),
                    },
                    "exec": f"kubectl exec {ns}{first.name} --",
                }
            )
        return {"byPod": self.by_pod, "groups": groups, "rows": list(self.rows)}


def request(dst: PodInfo, protocol: str, port: int, dns: bool = False) -> str | None:
    """A command that sends `dst` a packet on that port from a pod, if one can: curl for
    TCP, nslookup for a DNS server's UDP 53, none for other UDP or SCTP ports."""
    if protocol == "TCP":
        return f"curl -sS --connect-timeout 2 http://{dst.ip}:{port}/"
    if protocol == "UDP" and port == 53 and dns:
        return f"nslookup kubernetes.default {dst.ip}"
    return None


def build_matrix(policies: PolicySet, pods: Sequence[MatrixPod], *, by_pod: bool = False) -> Matrix:
    """The matrix of `pods` under `policies`.

    Args:
        policies: the cluster's policies.
        pods: running pods with an address.
        by_pod: one row and column per pod instead of per workload.
    """
    groups = _groups(policies, pods, by_pod)
    parties = [Party(g.pods[0].ip, g.pods[0]) for g in groups]
    everyone = (1 << len(groups)) - 1
    slots = [(j, protocol, port) for j, g in enumerate(groups) for protocol, port in g.ports]
    all_slots = (1 << len(slots)) - 1
    peer_masks: dict[int, int] = {}

    def rule_mask(policy: Policy, rule: Rule) -> int:
        """Groups one of `rule`'s peers matches (all without peers)."""
        if not rule.peers:
            return everyone
        mask = 0
        for peer in rule.peers:
            found = peer_masks.get(id(peer))
            if found is None:
                found = 0
                for index, party in enumerate(parties):
                    if policies.peer_matches(policy, peer, party):
                        found |= 1 << index
                peer_masks[id(peer)] = found
            mask |= found
        return mask

    # Per slot, the sources its ingress allows; grouped by mask, the slots of each mask.
    slots_by_sources: dict[int, int] = {}
    for bit, (j, protocol, port) in enumerate(slots):
        mask = everyone
        isolating = policies.selecting(groups[j].pods[0], INGRESS)
        if isolating:
            mask = 0
            for policy in isolating:
                for rule in policy.rules(INGRESS) or ():
                    if port_allowed(rule, parties[j], protocol, port):
                        mask |= rule_mask(policy, rule)
        slots_by_sources[mask] = slots_by_sources.get(mask, 0) | 1 << bit

    # Per source, the slots its egress allows.
    slot_masks: dict[int, int] = {}
    width = len(slots)
    rows = []
    for i, group in enumerate(groups):
        out_mask = all_slots
        isolating = policies.selecting(group.pods[0], EGRESS)
        if isolating:
            out_mask = 0
            for policy in isolating:
                for rule in policy.rules(EGRESS) or ():
                    found = slot_masks.get(id(rule))
                    if found is None:
                        targets, found = rule_mask(policy, rule), 0
                        for bit, (j, protocol, port) in enumerate(slots):
                            if targets >> j & 1 and port_allowed(rule, parties[j], protocol, port):
                                found |= 1 << bit
                        slot_masks[id(rule)] = found
                    out_mask |= found
        in_mask = 0
        for sources, slot_set in slots_by_sources.items():
            if sources >> i & 1:
                in_mask |= slot_set
        rows.append(_letters(out_mask, in_mask, width))
    for i, group in enumerate(groups):
        if len(group.pods) == 1 and group.ports:  # a pod reaching itself never leaves it
            row, end = rows[i], group.first + len(group.ports)
            rows[i] = row[: group.first] + "o" * len(group.ports) + row[end:]
    return Matrix(tuple(groups), tuple(rows), by_pod)


def _letters(egress: int, ingress: int, width: int) -> str:
    """One letter per slot from the two masks, in C: each bit becomes a hex digit."""
    if not width:
        return ""
    value = int(format(egress, f"0{width}b"), 16) + 2 * int(format(ingress, f"0{width}b"), 16)
    return format(value, f"0{width}x").translate(_DIGIT_TO_LETTER)[::-1]


def _groups(policies: PolicySet, pods: Sequence[MatrixPod], by_pod: bool) -> list[Group]:
    blocks = _ip_blocks(policies)
    selectors = _selectors(policies)
    selected: dict[tuple, int] = {}
    buckets: dict[tuple, list[MatrixPod]] = {}
    for pod in pods:
        info = pod.info
        if by_pod:
            key: tuple = (info.namespace, info.name)
        else:
            # Pods alike for every selector, ipBlock and port are alike for the policies.
            labels = tuple(sorted(info.labels.items()))
            mask = selected.get(labels)
            if mask is None:
                mask = selected[labels] = sum(
                    1 << index
                    for index, selector in enumerate(selectors)
                    if matches(selector, info.labels)
                )
            covering = tuple(i for i, block in enumerate(blocks) if block.contains(info.ip))
            key = (
                info.namespace,
                pod.workload,
                mask,
                tuple(sorted(info.named_ports.items())),
                pod.ports,
                covering,
                info.host_network,
                pod.dns,
            )
        buckets.setdefault(key, []).append(pod)
    named: dict[tuple[str, str], int] = {}
    for members in buckets.values():
        first = members[0]
        label = first.info.name if by_pod else first.workload
        named[(first.info.namespace, label)] = named.get((first.info.namespace, label), 0) + 1
    drafts = []
    for members in buckets.values():
        members.sort(key=lambda p: p.info.name)
        first = members[0]
        namespace = first.info.namespace
        label = first.info.name if by_pod else first.workload
        if named[(namespace, label)] > 1:
            label = f"{label} ({first.info.name})"  # one workload, pods the policies tell apart
        ports = tuple(sorted(set(first.ports), key=lambda item: (item[1], item[0])))
        system = namespace in SYSTEM_NAMESPACES
        rank = SYSTEM_NAMESPACES.index(namespace) if system else 0
        order = (system, rank, namespace != "default", namespace, label)
        drafts.append((order, label, members, ports))
    drafts.sort(key=lambda draft: draft[0])
    groups, first_slot = [], 0
    for _order, label, members, ports in drafts:
        info = members[0].info
        groups.append(
            Group(
                f"{info.namespace}/{label}",
                info.namespace,
                label,
                tuple(p.info for p in members),
                ports,
                first_slot,
                tuple(p.ref.name for p in policies.selecting(info, INGRESS)),
                tuple(p.ref.name for p in policies.selecting(info, EGRESS)),
                members[0].dns,
            )
        )
        first_slot += len(ports)
    return groups


def _selectors(policies: PolicySet) -> list[Selector]:
    """Every distinct pod selector of every policy (its own and its peers')."""
    found: dict[Selector, None] = {}
    for namespace in sorted(policies.by_namespace):
        for policy in policies.by_namespace[namespace]:
            found.setdefault(policy.selector, None)
            for direction in (INGRESS, EGRESS):
                for rule in policy.rules(direction) or ():
                    for peer in rule.peers:
                        if peer.pods is not None:
                            found.setdefault(peer.pods, None)
    return list(found)


def _ip_blocks(policies: PolicySet) -> list[IPBlock]:
    found: dict[IPBlock, None] = {}
    for namespace in sorted(policies.by_namespace):
        for policy in policies.by_namespace[namespace]:
            for direction in (INGRESS, EGRESS):
                for rule in policy.rules(direction) or ():
                    for peer in rule.peers:
                        if peer.block is not None:
                            found.setdefault(peer.block, None)
    return list(found)
