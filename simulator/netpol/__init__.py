"""NetworkPolicy: which connections pass, why others are dropped, and who reaches whom.

* `model` compiles stored policies into values (`Policy`, `Rule`, `Peer`, `Port`);
* `engine` decides one connection (`PolicySet.check` gives a `Verdict`);
* `explain` words a rule, a drop's reason, an allowance;
* `view` reads them (and pods) from the cluster's store, compiled once per change;
* `matrix` answers who reaches whom on which port, for every pair at once.

Everything here is pure and deterministic: the network's delivery step asks
`PolicySet.check` for each packet it delivers, and the matrix and the inspector reuse
the same answers.
"""

from __future__ import annotations

from .engine import ALLOWED, Decision, Party, PodInfo, PolicySet, Verdict, port_allowed
from .explain import allow_reason, connection_text, drop_reason, peer_text, rule_text
from .matrix import Matrix, MatrixPod, build_matrix
from .model import EGRESS, INGRESS, IPBlock, Peer, Policy, PolicyRef, Port, Rule, compile_policy
from .view import ClusterPolicies, policies_of

__all__ = [
    "ALLOWED",
    "ClusterPolicies",
    "EGRESS",
    "INGRESS",
    "IPBlock",
    "Matrix",
    "MatrixPod",
    "Decision",
    "Party",
    "Peer",
    "PodInfo",
    "Policy",
    "PolicyRef",
    "PolicySet",
    "Port",
    "Rule",
    "Verdict",
    "allow_reason",
    "build_matrix",
    "compile_policy",
    "connection_text",
    "drop_reason",
    "peer_text",
    "policies_of",
    "port_allowed",
    "rule_text",
]
