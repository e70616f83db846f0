"""NetworkPolicy as the API server and kubectl handle it: validation, defaults, get, describe,
export. Messages and tables are compared whole."""

from __future__ import annotations

import pytest
import yaml

from simulator import Cluster

from .conftest import apply, run_ok
from .test_validation import DELETE, causes, patched

POLICY = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "NetworkPolicy",
    "metadata": {"name": "db"},
    "spec": {
        "podSelector": {"matchLabels": {"role": "db"}},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": [
            {
                "from": [
                    {"ipBlock": {"cidr": "172.17.0.0/16", "except": ["172.17.1.0/24"]}},
                    {"namespaceSelector": {"matchLabels": {"project": "myproject"}}},
                    {"podSelector": {"matchLabels": {"role": "frontend"}}},
                ],
                "ports": [{"protocol": "TCP", "port": 6379}],
            }
        ],
        "egress": [
            {"to": [{"ipBlock": {"cidr": "10.0.0.0/24"}}], "ports": [{"port": 5978}]},
        ],
    },
}

PEER = "spec.ingress[0].from"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({}, [], id="the docs' example is valid"),
        pytest.param(
            {"spec.policyTypes": ["ingress"]},
            [
                'spec.policyTypes[0]: Unsupported value: "ingress": supported values: '
                '"Ingress", "Egress"'
            ],
            id="policy type in lower case",
        ),
        pytest.param(
            {"spec.policyTypes": ["Ingress", "Egress", "Ingress"]},
            [
                'spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not '
                "specify more than two policyTypes"
            ],
            id="three policy types",
        ),
        pytest.param(
            {f"{PEER}[0].ipBlock.cidr": "172.17.0.0/33"},
            [
                f'{PEER}[0].ipBlock.cidr: Invalid value: "172.17.0.0/33": must be a valid '
                "CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
            ],
            id="bad cidr",
        ),
        pytest.param(
            {f"{PEER}[0].ipBlock.cidr": ""},
            [f"{PEER}[0].ipBlock.cidr: Required value"],
            id="empty cidr",
        ),
        pytest.param(
            {f"{PEER}[0].ipBlock.except": ["172.18.0.0/24", "172.17.0.0/16", "nope"]},
            [
                f'{PEER}[0].ipBlock.except[0]: Invalid value: "172.18.0.0/24": must be a '
                "strict subset of `cidr`",
                f'{PEER}[0].ipBlock.except[1]: Invalid value: "172.17.0.0/16": must be a '
                "strict subset of `cidr`",
                f'{PEER}[0].ipBlock.except[2]: Invalid value: "nope": must be a valid CIDR '
                "value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            ],
            id="except outside or equal to the cidr",
        ),
        pytest.param(
            {f"{PEER}[0].podSelector": {}},
            [f"{PEER}[0]: Forbidden: may not specify both ipBlock and another peer"],
            id="ipBlock with a selector",
        ),
        pytest.param(
            {f"{PEER}[1]": {}},
            [f"{PEER}[1]: Required value: must specify a peer"],
            id="empty peer",
        ),
        pytest.param(
            {f"{PEER}[2].podSelector.matchExpressions": [{"key": "role", "operator": "in"}]},
            [
                f'{PEER}[2].podSelector.matchExpressions[0].operator: Invalid value: "in": '
                "not a valid selector operator"
            ],
            id="selector operator",
        ),
        pytest.param(
            {"spec.ingress[0].ports": [{"port": 70000, "endPort": 10, "protocol": "ICMP"}]},
            [
                'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported '
                'values: "TCP", "UDP", "SCTP"',
                "spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and "
                "65535, inclusive",
                "spec.ingress[0].ports[0].endPort: Invalid value: 10: must be greater than or "
                "equal to `port`",
            ],
            id="bad port, range and protocol",
        ),
        pytest.param(
            {"spec.egress[0].ports": [{"port": "metrics", "endPort": 9100}, {"endPort": 80}]},
            [
                "spec.egress[0].ports[0].endPort: Invalid value: 9100: may not be specified "
                "when `port` is non-numeric",
                "spec.egress[0].ports[1].endPort: Invalid value: 80: may not be specified "
                "when `port` is not specified",
            ],
            id="endPort after a name or nothing",
        ),
        pytest.param(
            {"spec.egress[0].ports": [{"port": "Not_A_Name"}]},
            [
                'spec.egress[0].ports[0].port: Invalid value: "Not_A_Name": must contain only '
                "alpha-numeric characters (a-z, 0-9), and hyphens (-)"
            ],
            id="port name",
        ),
        pytest.param(
            {"spec.ingress": "everything"},
            [
                'Error from server (BadRequest): error when creating "STDIN": NetworkPolicy '
                'in version "v1" cannot be handled as a NetworkPolicy: json: cannot unmarshal '
                "string into Go struct field NetworkPolicySpec.spec.ingress of type "
                "[]v1.NetworkPolicyIngressRule"
            ],
            id="rules of the wrong type",
        ),
        pytest.param(
            {"spec.ingress[0].form": [], "spec.podSelector": DELETE},
            [
                'Error from server (BadRequest): error when creating "STDIN": NetworkPolicy '
                'in version "v1" cannot be handled as a NetworkPolicy: strict decoding error: '
                'unknown field "spec.ingress[0].form"'
            ],
            id="misspelt field",
        ),
    ],
)
def test_validation_words_problems_as_the_api_server(changes, expected):
    assert causes(patched(POLICY, changes)) == expected


def test_an_invalid_policy_is_refused_whole_and_nothing_is_applied(cluster: Cluster):
    good = yaml.safe_dump(patched(POLICY, {"metadata.name": "good"}))
    bad = yaml.safe_dump(patched(POLICY, {"spec.policyTypes": ["Ingres"]}))
    result = cluster.run("kubectl apply -f -", stdin=good + "---\n" + bad)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert 'The NetworkPolicy "db" is invalid: spec.policyTypes[0]: Unsupported value' in (
        result.stderr
    )
    assert cluster.run("kubectl get netpol").stderr == "No resources found in default namespace.\n"


def test_defaults_fill_policy_types_and_protocols_as_the_api_server(cluster: Cluster):
    apply(
        cluster,
        """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: []
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out}
spec:
  egress: [{ports: [{port: 53}]}]
""",
    )
    web = yaml.safe_load(run_ok(cluster, "kubectl get netpol web -o yaml"))["spec"]
    assert web == {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"]}
    out = yaml.safe_load(run_ok(cluster, "kubectl get netpol out -o yaml"))["spec"]
    assert out == {
        "podSelector": {},
        "policyTypes": ["Ingress", "Egress"],
        "egress": [{"ports": [{"port": 53, "protocol": "TCP"}]}],
    }
    assert run_ok(cluster, "kubectl apply -f -", stdin=_policy_text("web")).endswith("unchanged\n")


def _policy_text(name: str) -> str:
    return f"""
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: {name}}}
spec:
  podSelector: {{matchLabels: {{app: web}}}}
  ingress: []
"""


def test_get_prints_name_pod_selector_and_age(cluster: Cluster):
    apply(cluster, yaml.safe_dump(POLICY) + "---\n" + _policy_text("web"))
    apply(
        cluster,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: all}\n"
        "spec: {podSelector: {}, policyTypes: [Ingress]}",
    )
    cluster.advance(125)
    assert run_ok(cluster, "kubectl get netpol") == (
        "NAME   POD-SELECTOR   AGE\n"
        "all    <none>         2m5s\n"
        "db     role=db        2m5s\n"
        "web    app=web        2m5s\n"
    )
    assert run_ok(cluster, "kubectl get networkpolicies.networking.k8s.io -A -l x!=y").startswith(
        "NAMESPACE   NAME   POD-SELECTOR   AGE\ndefault     all    <none>"
    )
    assert run_ok(cluster, "kubectl get netpol -o name").splitlines()[0] == (
        "networkpolicy.networking.k8s.io/all"
    )
    assert run_ok(cluster, "kubectl delete netpol all") == (
        'networkpolicy.networking.k8s.io "all" deleted from default namespace\n'
    )


def test_describe_uses_kubectls_words_and_indentation(cluster: Cluster):
    apply(cluster, yaml.safe_dump(POLICY))
    assert run_ok(cluster, "kubectl describe networkpolicy db") == (
        "Name:         db\n"
        "Namespace:    default\n"
        "Created on:   2026-11-22 09:00:00 +0000 UTC\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Spec:\n"
        "  PodSelector:     role=db\n"
        "  Allowing ingress traffic:\n"
        "    To Port: 6379/TCP\n"
        "    From:\n"
        "      IPBlock:\n"
        "        CIDR: 172.17.0.0/16\n"
        "        Except: 172.17.1.0/24\n"
        "    From:\n"
        "      NamespaceSelector: project=myproject\n"
        "    From:\n"
        "      PodSelector: role=frontend\n"
        "  Allowing egress traffic:\n"
        "    To Port: 5978/TCP\n"
        "    To:\n"
        "      IPBlock:\n"
        "        CIDR: 10.0.0.0/24\n"
        "        Except: \n"
        "  Policy Types: Ingress, Egress\n"
    )


def test_describe_deny_all_and_rules_without_peers_or_ports(cluster: Cluster):
    apply(
        cluster,
        """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: mixed, labels: {team: a}}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
  - {}
  - from:
    - namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [b, a]}]}
      podSelector: {matchLabels: {app: x}}
    ports:
    - {port: 32000, endPort: 32768}
    - {protocol: UDP}
""",
    )
    text = run_ok(cluster, "kubectl describe netpol mixed")
    assert text.split("Spec:\n")[1] == (
        "  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n"
        "  Allowing ingress traffic:\n"
        "    To Port: <any> (traffic allowed to all ports)\n"
        "    From: <any> (traffic not restricted by source)\n"
        "    ----------\n"
        "    To Port Range: 32000-32768/TCP\n"
        "    To Port: <nil>/UDP\n"
        "    From:\n"
        "      NamespaceSelector: team in (a,b)\n"
        "      PodSelector: app=x\n"
        "  Allowing egress traffic:\n"
        "    <none> (Selected pods are isolated for egress connectivity)\n"
        "  Policy Types: Ingress, Egress\n"
    )
    assert "Labels:       team=a\n" in text


def test_not_affecting_a_direction_the_policy_does_not_cover(cluster: Cluster):
    apply(cluster, _policy_text("web"))
    text = run_ok(cluster, "kubectl describe netpol web")
    assert text.endswith(
        "  Allowing ingress traffic:\n"
        "    <none> (Selected pods are isolated for ingress connectivity)\n"
        "  Not affecting egress traffic\n"
        "  Policy Types: Ingress\n"
    )


def test_a_policy_that_selects_nothing_is_accepted(cluster: Cluster):
    out = run_ok(
        cluster,
        "kubectl apply -f -",
        stdin=_policy_text("nobody").replace("app: web", "app: nothing-has-this"),
    )
    assert out == "networkpolicy.networking.k8s.io/nobody created\n"


def test_export_keeps_policies_and_a_fresh_cluster_accepts_them(cluster: Cluster):
    apply(cluster, yaml.safe_dump(POLICY) + "---\n" + _policy_text("web"))
    exported = list(yaml.safe_load_all(cluster.export_yaml()))
    assert [d["metadata"]["name"] for d in exported] == ["db", "web"]
    assert exported[1] == {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"]},
    }
    fresh = Cluster(seed=0)
    assert run_ok(fresh, "kubectl apply -f -", stdin=cluster.export_yaml()).count("created") == 2


def test_deleting_a_namespace_deletes_its_policies(cluster: Cluster):
    apply(
        cluster,
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
        + _policy_text("web").replace("{name: web}", "{name: web, namespace: shop}"),
    )
    run_ok(cluster, "kubectl delete namespace shop")
    assert cluster.run("kubectl get netpol -A").stderr == "No resources found\n"
