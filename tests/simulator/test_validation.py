"""Static validation: every rule, worded as the API server words it, with locations."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from simulator import Cluster, kinds
from simulator.legacy import convert_legacy_ingress
from simulator.manifests import parse_manifests
from simulator.problems import ManifestError, format_problems, warning_lines
from simulator.validation import load_manifests, validate_documents
from simulator.validation import names as n

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "manifests"
DELETE = object()


def patched(obj: dict, changes: dict) -> dict:
    """A deep copy of `obj` with `changes` applied: {"spec.ports[0].name": "http", ...}."""
    obj = copy.deepcopy(obj)
    for path, value in changes.items():
        parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
        target = obj
        for part in parts[:-1]:
            target = target[part]
        if value is DELETE:
            del target[parts[-1]]
        else:
            target[parts[-1]] = value
    return obj


def causes(*objects: dict | str) -> list[str]:
    """``field: message`` (or the whole message) of every problem, in order."""
    text = "---\n".join(
        o if isinstance(o, str) else yaml.safe_dump(o, sort_keys=False) for o in objects
    )
    _, _, problems = validate_documents(parse_manifests(text))
    return [p.cause() for p in problems]


SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "kubia"},
    "spec": {"selector": {"app": "kubia"}, "ports": [{"port": 80, "targetPort": 8080}]},
}
TEMPLATE = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {
        "containers": [
            {
                "name": "web",
                "image": "luksa/kubia",
                "ports": [{"name": "http", "containerPort": 8080}],
            }
        ]
    },
}
DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web"},
    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": TEMPLATE},
}
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": TEMPLATE["spec"]}
RC = {
    "apiVersion": "v1",
    "kind": "ReplicationController",
    "metadata": {"name": "kubia"},
    "spec": {"replicas": 3, "selector": {"app": "web"}, "template": TEMPLATE},
}
INGRESS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "Ingress",
    "metadata": {"name": "kubia"},
    "spec": {
        "rules": [
            {
                "host": "kubia.example.com",
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {"service": {"name": "kubia", "port": {"number": 80}}},
                        }
                    ]
                },
            }
        ]
    },
}
PATH0 = "spec.rules[0].http.paths[0]"
BACKEND0 = f"{PATH0}.backend"
CONTAINER0 = "spec.template.spec.containers[0]"

LABEL_ERROR = n.DNS1123_LABEL_ERROR
SUBDOMAIN_ERROR = n.DNS1123_SUBDOMAIN_ERROR
PORT_RANGE = "must be between 1 and 65535, inclusive"
NODE_PORT_RANGE = "provided port is not in the valid range. The range of valid ports is 30000-32767"


def test_kubia_fixtures_are_valid() -> None:
    for path in sorted(FIXTURES.glob("valid-*.yaml")):
        documents, warnings, problems = validate_documents(parse_manifests(path.read_text()))
        assert problems == [], f"{path.name}: {format_problems(problems)}"
        assert documents


@pytest.mark.parametrize(
    "obj", [SERVICE, DEPLOYMENT, POD, RC, INGRESS], ids=lambda obj: obj["kind"]
)
def test_base_objects_are_valid(obj: dict) -> None:
    assert causes(obj) == []


# --- documents: kinds, versions, names ---------------------------------------------------

CASES_DOCUMENT = [
    pytest.param(
        {"apiVersion": "v1", "kind": "Foo", "metadata": {"name": "x"}},
        [
            'error: resource mapping not found for name: "x" namespace: "" from "STDIN": no '
            'matches for kind "Foo" in version "v1"\nensure CRDs are installed first'
        ],
        id="unknown kind",
    ),
    pytest.param(
        patched(DEPLOYMENT, {"apiVersion": "apps/v1beta1", "metadata.namespace": "shop"}),
        [
            'error: resource mapping not found for name: "web" namespace: "shop" from "STDIN": no '
            'matches for kind "Deployment" in version "apps/v1beta1"\nensure CRDs are installed '
            "first"
        ],
        id="removed apiVersion",
    ),
    pytest.param(
        patched(SERVICE, {"kind": "service"}),
        [
            'error: resource mapping not found for name: "kubia" namespace: "" from "STDIN": no '
            'matches for kind "service" in version "v1"\nensure CRDs are installed first'
        ],
        id="kinds are case-sensitive",
    ),
    pytest.param(
        {"apiVersion": "v1", "metadata": {"name": "x"}},
        [
            "error: unable to decode \"STDIN\": Object 'Kind' is missing in "
            '\'{"apiVersion":"v1","metadata":{"name":"x"}}\''
        ],
        id="missing kind",
    ),
    pytest.param(
        {"kind": "Pod", "metadata": {"name": "x"}},
        [
            "error: unable to decode \"STDIN\": Object 'apiVersion' is missing in "
            '\'{"kind":"Pod","metadata":{"name":"x"}}\''
        ],
        id="missing apiVersion",
    ),
    pytest.param(
        {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": {"name": "x"}},
        [
            "error: Kubeplay does not accept EndpointSlice manifests: EndpointSlices are written "
            "by the simulated endpoint-slice controller. For hand-made endpoints, create a Service "
            "without a selector and an Endpoints object with the same name"
        ],
        id="endpointslices are refused",
    ),
    pytest.param(
        patched(SERVICE, {"metadata": {}}),
        ["metadata.name: Required value: name or generateName is required"],
        id="name required",
    ),
    pytest.param(
        patched(POD, {"metadata": {"generateName": "web-"}}),
        [],
        id="generateName instead of name",
    ),
    pytest.param(
        patched(SERVICE, {"metadata.name": "Kubia.svc"}),
        [f'metadata.name: Invalid value: "Kubia.svc": {n.DNS1035_LABEL_ERROR}'],
        id="service name is a DNS-1035 label",
    ),
    pytest.param(
        patched(SERVICE, {"metadata.name": "1kubia"}),
        [f'metadata.name: Invalid value: "1kubia": {n.DNS1035_LABEL_ERROR}'],
        id="service name starts with a letter",
    ),
    pytest.param(
        patched(POD, {"metadata.name": "web_1"}),
        [f'metadata.name: Invalid value: "web_1": {SUBDOMAIN_ERROR}'],
        id="pod name is a DNS-1123 subdomain",
    ),
    pytest.param(
        patched(POD, {"metadata.name": "a" * 254}),
        [f'metadata.name: Invalid value: "{"a" * 254}": must be no more than 253 characters'],
        id="name too long",
    ),
    pytest.param(
        patched(POD, {"metadata.namespace": "Shop"}),
        [f'metadata.namespace: Invalid value: "Shop": {LABEL_ERROR}'],
        id="namespace syntax",
    ),
    pytest.param(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "my.ns"}},
        ['metadata.name: Invalid value: "my.ns": must not contain dots'],
        id="namespace name is a label",
    ),
    pytest.param(
        patched(POD, {"metadata.labels": {"app": "web", "bad key": "x", "tier": "-db"}}),
        [
            f'metadata.labels: Invalid value: "bad key": name part {n.QUALIFIED_NAME_ERROR}',
            f'metadata.labels: Invalid value: "-db": {n.LABEL_VALUE_ERROR}',
        ],
        id="label syntax",
    ),
    pytest.param(
        patched(POD, {"metadata.labels": {"a/b/c": "x", "/x": "y", "Ex.com/y": "z"}}),
        [
            'metadata.labels: Invalid value: "a/b/c": a qualified name '
            + n.QUALIFIED_NAME_ERROR
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
            'metadata.labels: Invalid value: "/x": prefix part must be non-empty',
            f'metadata.labels: Invalid value: "Ex.com/y": prefix part {SUBDOMAIN_ERROR}',
        ],
        id="label key prefixes",
    ),
    pytest.param(
        patched(POD, {"metadata.labels": {"v": "x" * 64}}),
        [f'metadata.labels: Invalid value: "{"x" * 64}": must be no more than 63 characters'],
        id="label value length",
    ),
    pytest.param(
        patched(POD, {"metadata.annotations": {"Bad Key": "x"}}),
        [f'metadata.annotations: Invalid value: "Bad Key": name part {n.QUALIFIED_NAME_ERROR}'],
        id="annotation key syntax",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), CASES_DOCUMENT)
def test_documents(obj: dict, expected: list[str]) -> None:
    assert causes(obj) == expected


# --- type errors and unknown fields ------------------------------------------------------

BAD_REQUEST = 'Error from server (BadRequest): error when creating "STDIN": '

CASES_DECODING = [
    pytest.param(
        patched(
            INGRESS, {"metadata.annotations": {"nginx.ingress.kubernetes.io/ssl-redirect": False}}
        ),
        [
            BAD_REQUEST + 'Ingress in version "v1" cannot be handled as a Ingress: json: cannot '
            "unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string"
        ],
        id="annotation value must be a string",
    ),
    pytest.param(
        patched(SERVICE, {"spec.ports[0].port": "80"}),
        [
            BAD_REQUEST + 'Service in version "v1" cannot be handled as a Service: json: cannot '
            "unmarshal string into Go struct field ServicePort.spec.ports.port of type int32"
        ],
        id="port must be a number",
    ),
    pytest.param(
        patched(DEPLOYMENT, {"spec.replicas": 1.5}),
        [
            BAD_REQUEST + 'Deployment in version "v1" cannot be handled as a Deployment: json: '
            "cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of "
            "type int32"
        ],
        id="replicas must be an integer",
    ),
    pytest.param(
        patched(SERVICE, {"spec.ports[0].port": 2**40}),
        [
            BAD_REQUEST + 'Service in version "v1" cannot be handled as a Service: json: cannot '
            f"unmarshal number {2**40} into Go struct field ServicePort.spec.ports.port of type "
            "int32"
        ],
        id="int32 overflow",
    ),
    pytest.param(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c"},
            "data": {"PORT": 8080},
        },
        [
            BAD_REQUEST + 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: '
            "cannot unmarshal number into Go struct field ConfigMap.data of type string"
        ],
        id="configmap values are strings",
    ),
    pytest.param(
        patched(SERVICE, {"spec": "oops"}),
        [
            BAD_REQUEST + 'Service in version "v1" cannot be handled as a Service: json: cannot '
            "unmarshal string into Go struct field Service.spec of type v1.ServiceSpec",
            "spec.ports: Required value",
        ],
        id="spec must be an object",
    ),
    pytest.param(
        patched(
            DEPLOYMENT,
            {
                "spec.replicass": 3,
                "spec.template.spec.containers[0].imagee": "x",
                "metadata.lables": {},
            },
        ),
        [
            BAD_REQUEST + 'Deployment in version "v1" cannot be handled as a Deployment: strict '
            'decoding error: unknown field "metadata.lables", unknown field "spec.replicass", '
            'unknown field "spec.template.spec.containers[0].imagee"'
        ],
        id="unknown fields",
    ),
    pytest.param(
        patched(SERVICE, {"spec.ports[0].containerPort": 80}),
        [
            BAD_REQUEST + 'Service in version "v1" cannot be handled as a Service: strict '
            'decoding error: unknown field "spec.ports[0].containerPort"'
        ],
        id="container field in a service port",
    ),
    pytest.param(
        patched(SERVICE, {"status": {"loadBalancer": {}}, "spec.ports[0].appProtocol": "http"}),
        [],
        id="known fields are accepted",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), CASES_DECODING)
def test_decoding(obj: dict, expected: list[str]) -> None:
    assert causes(obj) == expected


# --- services ----------------------------------------------------------------------------

TWO_PORTS = [{"port": 80}, {"port": 443}]

CASES_SERVICE = [
    pytest.param({"spec.ports": DELETE}, ["spec.ports: Required value"], id="ports required"),
    pytest.param({"spec.ports": DELETE, "spec.clusterIP": "None"}, [], id="headless no ports"),
    pytest.param(
        {"spec.ports": TWO_PORTS},
        ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"],
        id="names required with two ports",
    ),
    pytest.param(
        {"spec.ports": [{"name": "http", "port": 80}, {"name": "http", "port": 81}]},
        ['spec.ports[1].name: Duplicate value: "http"'],
        id="unique port names",
    ),
    pytest.param(
        {"spec.ports": [{"name": "Http_1", "port": 80}]},
        [f'spec.ports[0].name: Invalid value: "Http_1": {LABEL_ERROR}'],
        id="port name is a DNS-1123 label",
    ),
    pytest.param(
        {"spec.ports[0].port": 70000},
        [f"spec.ports[0].port: Invalid value: 70000: {PORT_RANGE}"],
        id="port range",
    ),
    pytest.param(
        {"spec.ports[0].port": DELETE, "spec.ports[0].targetPort": 8080},
        [f"spec.ports[0].port: Invalid value: 0: {PORT_RANGE}"],
        id="port missing",
    ),
    pytest.param(
        {"spec.ports[0].protocol": "HTTP"},
        [
            'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", '
            '"TCP", "UDP"'
        ],
        id="protocol",
    ),
    pytest.param({"spec.ports[0].targetPort": 0}, [], id="targetPort 0 defaults to port"),
    pytest.param(
        {"spec.ports[0].targetPort": 99999},
        [f"spec.ports[0].targetPort: Invalid value: 99999: {PORT_RANGE}"],
        id="targetPort range",
    ),
    pytest.param({"spec.ports[0].targetPort": "http"}, [], id="named targetPort"),
    pytest.param(
        {"spec.ports[0].targetPort": "8080"},
        ['spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)'],
        id="numeric string targetPort",
    ),
    pytest.param(
        {"spec.ports[0].targetPort": "my--long-port-name"},
        [
            'spec.ports[0].targetPort: Invalid value: "my--long-port-name": must be no '
            "more than 15 characters",
            'spec.ports[0].targetPort: Invalid value: "my--long-port-name": must not '
            "contain consecutive hyphens",
        ],
        id="targetPort IANA name rules",
    ),
    pytest.param(
        {"spec.ports[0].targetPort": "-web"},
        ['spec.ports[0].targetPort: Invalid value: "-web": must not begin or end with a hyphen'],
        id="targetPort hyphen",
    ),
    pytest.param(
        {"spec.type": "Nodeport"},
        [
            'spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", '
            '"ExternalName", "LoadBalancer", "NodePort"'
        ],
        id="type",
    ),
    pytest.param(
        {"spec.type": "NodePort", "spec.ports[0].nodePort": 80},
        [f"spec.ports[0].nodePort: Invalid value: 80: {NODE_PORT_RANGE}"],
        id="nodePort range",
    ),
    pytest.param(
        {"spec.type": "LoadBalancer", "spec.ports[0].nodePort": 32768},
        [f"spec.ports[0].nodePort: Invalid value: 32768: {NODE_PORT_RANGE}"],
        id="nodePort range for load balancers",
    ),
    pytest.param(
        {"spec.type": "NodePort", "spec.ports[0].nodePort": 30080}, [], id="nodePort in range"
    ),
    pytest.param(
        {"spec.ports[0].nodePort": 30080},
        ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
        id="nodePort only for NodePort and LoadBalancer",
    ),
    pytest.param(
        {
            "spec.type": "NodePort",
            "spec.ports": [
                {"name": "a", "port": 80, "nodePort": 30080},
                {"name": "b", "port": 81, "nodePort": 30080},
            ],
        },
        ["spec.ports[1].nodePort: Duplicate value: 30080"],
        id="duplicate nodePort",
    ),
    pytest.param(
        {
            "spec.type": "NodePort",
            "spec.ports": [
                {"name": "a", "port": 53, "nodePort": 30053},
                {"name": "b", "port": 53, "protocol": "UDP", "nodePort": 30053},
            ],
        },
        [],
        id="same nodePort for TCP and UDP",
    ),
    pytest.param(
        {"spec.ports": [{"name": "a", "port": 80}, {"name": "b", "port": 80}]},
        ['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}'],
        id="duplicate port",
    ),
    pytest.param(
        {"spec.type": "ExternalName", "spec.ports": DELETE, "spec.selector": DELETE},
        ["spec.externalName: Required value"],
        id="externalName required",
    ),
    pytest.param(
        {"spec.type": "ExternalName", "spec.externalName": "My_DB"},
        [f'spec.externalName: Invalid value: "My_DB": {SUBDOMAIN_ERROR}'],
        id="externalName syntax",
    ),
    pytest.param(
        {"spec.type": "ExternalName", "spec.externalName": "db.example.com."},
        [],
        id="externalName trailing dot",
    ),
    pytest.param(
        {
            "spec.type": "ExternalName",
            "spec.externalName": "db.example.com",
            "spec.clusterIP": "10.96.0.50",
        },
        ["spec.clusterIPs: Forbidden: may not be set for ExternalName services"],
        id="externalName with clusterIP",
    ),
    pytest.param(
        {"spec.type": "NodePort", "spec.clusterIP": "None"},
        [
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for "
            "NodePort services"
        ],
        id="headless NodePort",
    ),
    pytest.param(
        {"spec.type": "LoadBalancer", "spec.clusterIP": "None"},
        [
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for "
            "LoadBalancer services"
        ],
        id="headless LoadBalancer",
    ),
    pytest.param(
        {"spec.clusterIP": "10.96.0.300"},
        [
            'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP '
            "address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
        ],
        id="clusterIP syntax",
    ),
    pytest.param(
        {"spec.clusterIP": "10.96.0.30", "spec.clusterIPs": ["10.96.0.31"]},
        ['spec.clusterIPs: Invalid value: ["10.96.0.31"]: first value must match `clusterIP`'],
        id="clusterIPs must match clusterIP",
    ),
    pytest.param(
        {"spec.sessionAffinity": "Sticky"},
        ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
        id="sessionAffinity values",
    ),
    pytest.param({"spec.sessionAffinity": "ClientIP"}, [], id="ClientIP without config"),
    pytest.param(
        {
            "spec.sessionAffinity": "ClientIP",
            "spec.sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86401}},
        },
        [
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: "
            "must be greater than 0 and less than 86400"
        ],
        id="affinity timeout",
    ),
    pytest.param(
        {"spec.sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10}}},
        ["spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None"],
        id="affinity config without ClientIP",
    ),
    pytest.param(
        {"spec.externalTrafficPolicy": "Local"},
        [
            'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for '
            "externally-accessible services"
        ],
        id="externalTrafficPolicy on ClusterIP",
    ),
    pytest.param(
        {"spec.type": "NodePort", "spec.externalTrafficPolicy": "Locale"},
        [
            'spec.externalTrafficPolicy: Unsupported value: "Locale": supported values: '
            '"Cluster", "Local"'
        ],
        id="externalTrafficPolicy values",
    ),
    pytest.param(
        {"spec.type": "LoadBalancer", "spec.externalTrafficPolicy": "Local"},
        [],
        id="Local on a load balancer",
    ),
    pytest.param(
        {"spec.internalTrafficPolicy": "Nearby"},
        [
            'spec.internalTrafficPolicy: Unsupported value: "Nearby": supported values: '
            '"Cluster", "Local"'
        ],
        id="internalTrafficPolicy values",
    ),
    pytest.param(
        {"spec.selector": {"app": "kubia web"}},
        [f'spec.selector: Invalid value: "kubia web": {n.LABEL_VALUE_ERROR}'],
        id="selector labels",
    ),
    pytest.param(
        {"spec.externalIPs": ["127.0.0.1"]},
        [
            'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback '
            "range (127.0.0.0/8, ::1/128)"
        ],
        id="externalIPs",
    ),
    pytest.param(
        {"spec.type": "LoadBalancer", "spec.ports[0].port": 10250},
        [
            "spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally "
            "since it is used by kubelet"
        ],
        id="kubelet port",
    ),
    pytest.param(
        {"spec.allocateLoadBalancerNodePorts": False},
        [
            "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` "
            "is 'LoadBalancer'"
        ],
        id="load balancer fields",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), CASES_SERVICE)
def test_service(changes: dict, expected: list[str]) -> None:
    assert causes(patched(SERVICE, changes)) == expected


def test_two_unnamed_ports_are_located() -> None:
    text = """\
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  type: NodePort
  ports:
  - port: 80
    targetPort: 8080
  - port: 443
    targetPort: 8443
    nodePort: 80
"""
    documents, warnings, problems = validate_documents(parse_manifests(text))
    assert [(p.field, p.message, p.line, p.column) for p in problems] == [
        ("spec.ports[0].name", "Required value", 8, 5),
        ("spec.ports[1].name", "Required value", 10, 5),
        ("spec.ports[1].nodePort", f"Invalid value: 80: {NODE_PORT_RANGE}", 12, 5),
    ]
    assert {(p.kind, p.name, p.document) for p in problems} == {("Service", "kubia", 0)}
    assert format_problems(problems, locations=False) == (
        'The Service "kubia" is invalid: \n'
        "* spec.ports[0].name: Required value\n"
        "* spec.ports[1].name: Required value\n"
        f"* spec.ports[1].nodePort: Invalid value: 80: {NODE_PORT_RANGE}"
    )


def test_cluster_ips_problem_points_at_cluster_ip_line() -> None:
    text = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  type: NodePort\n"
        "  clusterIP: None\n  ports: [{port: 80}]\n"
    )
    (problem,) = validate_documents(parse_manifests(text))[2]
    assert (problem.field, problem.line, problem.column) == ("spec.clusterIPs[0]", 6, 3)


# --- pods, containers, probes ------------------------------------------------------------

CASES_POD = [
    pytest.param(
        {"spec.containers": []}, ["spec.containers: Required value"], id="containers required"
    ),
    pytest.param(
        {"spec.containers[0].name": DELETE},
        ["spec.containers[0].name: Required value"],
        id="container name required",
    ),
    pytest.param(
        {"spec.containers[0].name": "Web"},
        [f'spec.containers[0].name: Invalid value: "Web": {LABEL_ERROR}'],
        id="container name is a label",
    ),
    pytest.param(
        {"spec.containers[0].image": DELETE},
        ["spec.containers[0].image: Required value"],
        id="image required",
    ),
    pytest.param(
        {"spec.containers": [{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]},
        ['spec.containers[1].name: Duplicate value: "a"'],
        id="unique container names",
    ),
    pytest.param(
        {"spec.containers[0].imagePullPolicy": "Sometimes"},
        [
            'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported '
            'values: "Always", "IfNotPresent", "Never"'
        ],
        id="imagePullPolicy",
    ),
    pytest.param(
        {"spec.containers[0].ports[0].containerPort": 0},
        ["spec.containers[0].ports[0].containerPort: Required value"],
        id="containerPort required",
    ),
    pytest.param(
        {"spec.containers[0].ports[0].containerPort": 65536},
        [f"spec.containers[0].ports[0].containerPort: Invalid value: 65536: {PORT_RANGE}"],
        id="containerPort range",
    ),
    pytest.param(
        {"spec.containers[0].ports[0].name": "web-interface-http"},
        [
            'spec.containers[0].ports[0].name: Invalid value: "web-interface-http": must '
            "be no more than 15 characters"
        ],
        id="port name length",
    ),
    pytest.param(
        {"spec.containers[0].ports[0].name": "8080"},
        [
            'spec.containers[0].ports[0].name: Invalid value: "8080": must contain at '
            "least one letter (a-z)"
        ],
        id="port name needs a letter",
    ),
    pytest.param(
        {"spec.containers[0].ports[0].name": "HTTP"},
        [
            'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only '
            "alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at '
            "least one letter (a-z)",
        ],
        id="port name is lowercase",
    ),
    pytest.param(
        {
            "spec.containers[0].ports": [
                {"name": "http", "containerPort": 80},
                {"name": "http", "containerPort": 81},
            ]
        },
        ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
        id="unique container port names",
    ),
    pytest.param(
        {"spec.containers[0].ports[0].protocol": "tcp"},
        [
            'spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported '
            'values: "SCTP", "TCP", "UDP"'
        ],
        id="container port protocol",
    ),
    pytest.param(
        {"spec.restartPolicy": "Sometimes"},
        [
            'spec.restartPolicy: Unsupported value: "Sometimes": supported values: '
            '"Always", "OnFailure", "Never"'
        ],
        id="restartPolicy",
    ),
    pytest.param(
        {"spec.dnsPolicy": "ClusterFirstt"},
        [
            'spec.dnsPolicy: Unsupported value: "ClusterFirstt": supported values: '
            '"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'
        ],
        id="dnsPolicy",
    ),
    pytest.param(
        {"spec.nodeSelector": {"disk": "fast ssd"}},
        [f'spec.nodeSelector: Invalid value: "fast ssd": {n.LABEL_VALUE_ERROR}'],
        id="nodeSelector labels",
    ),
    pytest.param(
        {
            "spec.tolerations": [
                {
                    "key": "node-role.kubernetes.io/control-plane",
                    "operator": "Exists",
                    "effect": "NoSchedule",
                }
            ]
        },
        [],
        id="toleration",
    ),
    pytest.param(
        {
            "spec.tolerations": [
                {"key": "a", "operator": "Exists", "value": "b"},
                {"key": "c", "operator": "Equals"},
                {"key": "d", "effect": "NoRun"},
            ]
        },
        [
            'spec.tolerations[0].operator: Invalid value: {"key":"a","operator":"Exists",'
            '"value":"b"}: value must be empty when `operator` is \'Exists\'',
            'spec.tolerations[1].operator: Unsupported value: "Equals": supported values: '
            '"Equal", "Exists"',
            'spec.tolerations[2].effect: Unsupported value: "NoRun": supported values: '
            '"NoSchedule", "PreferNoSchedule", "NoExecute"',
        ],
        id="toleration rules",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), CASES_POD)
def test_pod(changes: dict, expected: list[str]) -> None:
    assert causes(patched(POD, changes)) == expected


PROBE = "spec.containers[0].readinessProbe"

CASES_PROBE = [
    pytest.param({"exec": {"command": ["ls", "/var/ready"]}}, [], id="exec"),
    pytest.param(
        {"httpGet": {"port": 8080, "path": "/healthz"}, "periodSeconds": 1}, [], id="httpGet"
    ),
    pytest.param({"httpGet": {"port": "http"}}, [], id="httpGet named port"),
    pytest.param({"tcpSocket": {"port": 8080}}, [], id="tcpSocket"),
    pytest.param(
        {"periodSeconds": 5},
        [f"{PROBE}: Required value: must specify a handler type"],
        id="no handler",
    ),
    pytest.param(
        {"exec": {"command": ["ls"]}, "tcpSocket": {"port": 80}},
        [f"{PROBE}.tcpSocket: Forbidden: may not specify more than 1 handler type"],
        id="two handlers",
    ),
    pytest.param({"exec": {}}, [f"{PROBE}.exec.command: Required value"], id="exec command"),
    pytest.param(
        {"httpGet": {"path": "/"}},
        [f"{PROBE}.httpGet.port: Invalid value: 0: {PORT_RANGE}"],
        id="httpGet port",
    ),
    pytest.param(
        {"httpGet": {"port": 80, "scheme": "FTP"}},
        [f'{PROBE}.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"'],
        id="httpGet scheme",
    ),
    pytest.param(
        {"tcpSocket": {"port": "Web_Port"}},
        [
            f'{PROBE}.tcpSocket.port: Invalid value: "Web_Port": must contain only '
            "alpha-numeric characters (a-z, 0-9), and hyphens (-)"
        ],
        id="tcpSocket port name",
    ),
    pytest.param(
        {"exec": {"command": ["ls"]}, "periodSeconds": -1, "failureThreshold": -3},
        [
            f"{PROBE}.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
            f"{PROBE}.failureThreshold: Invalid value: -3: must be greater than or equal to 0",
        ],
        id="negative timings",
    ),
    pytest.param(
        {"exec": {"command": ["ls"]}, "periodSeconds": 0}, [], id="zero period is defaulted"
    ),
]


@pytest.mark.parametrize(("probe", "expected"), CASES_PROBE)
def test_readiness_probe(probe: dict, expected: list[str]) -> None:
    assert causes(patched(POD, {"spec.containers[0].readinessProbe": probe})) == expected


def test_liveness_success_threshold_must_be_one() -> None:
    probe = {"exec": {"command": ["ls"]}, "successThreshold": 2}
    assert causes(patched(POD, {"spec.containers[0].livenessProbe": probe})) == [
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"
    ]


# --- controllers -------------------------------------------------------------------------

MISMATCH = "`selector` does not match template `labels`"

CASES_WORKLOAD = [
    pytest.param(
        DEPLOYMENT,
        {"spec.selector": DELETE},
        [
            "spec.selector: Required value",
            'spec.template.metadata.labels: Invalid value: {"app":"web"}: ' + MISMATCH,
        ],
        id="deployment selector required",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.template.metadata.labels": {"app": "wrong"}},
        ['spec.template.metadata.labels: Invalid value: {"app":"wrong"}: ' + MISMATCH],
        id="deployment selector must match",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.template.metadata": DELETE},
        ["spec.template.metadata.labels: Invalid value: null: " + MISMATCH],
        id="template without labels",
    ),
    pytest.param(
        DEPLOYMENT,
        {
            "spec.selector": {
                "matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]
            }
        },
        [],
        id="matchExpressions select the template",
    ),
    pytest.param(
        DEPLOYMENT,
        {
            "spec.selector": {
                "matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]
            }
        },
        ['spec.template.metadata.labels: Invalid value: {"app":"web"}: ' + MISMATCH],
        id="matchExpressions that exclude the template",
    ),
    pytest.param(
        DEPLOYMENT,
        {
            "spec.selector": {
                "matchExpressions": [
                    {"key": "app", "operator": "In"},
                    {"key": "tier", "operator": "Exists", "values": ["x"]},
                ]
            }
        },
        [
            "spec.selector.matchExpressions[0].values: Required value: must be specified when "
            "`operator` is 'In' or 'NotIn'",
            "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when "
            "`operator` is 'Exists' or 'DoesNotExist'",
            'spec.template.metadata.labels: Invalid value: {"app":"web"}: ' + MISMATCH,
        ],
        id="matchExpressions rules",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.selector": {}},
        ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
        id="empty selector",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.replicas": -1},
        ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
        id="negative replicas",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.template.spec.restartPolicy": "Never"},
        [
            'spec.template.spec.restartPolicy: Unsupported value: "Never": supported '
            'values: "Always"'
        ],
        id="template restartPolicy",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.template.spec.containers[0].image": ""},
        [f"{CONTAINER0}.image: Required value"],
        id="template containers validated",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}},
        [
            "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy "
            "`type` is 'Recreate'"
        ],
        id="recreate strategy",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}}},
        [
            'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be '
            "0 when `maxSurge` is 0"
        ],
        id="rolling update cannot stall",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.strategy": {"rollingUpdate": {"maxSurge": "25"}}},
        [f'spec.strategy.rollingUpdate.maxSurge: Invalid value: "25": {n.PERCENT_ERROR}'],
        id="percent syntax",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.strategy": {"type": "BlueGreen"}},
        [
            'spec.strategy: Unsupported value: {"type":"BlueGreen"}: supported values: '
            '"Recreate", "RollingUpdate"'
        ],
        id="strategy type",
    ),
    pytest.param(
        DEPLOYMENT,
        {"spec.progressDeadlineSeconds": 10, "spec.minReadySeconds": 10},
        ["spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds"],
        id="progress deadline",
    ),
    pytest.param(
        patched(DEPLOYMENT, {"kind": "ReplicaSet"}),
        {"spec.selector": DELETE},
        [
            "spec.selector: Required value",
            'spec.template.metadata.labels: Invalid value: {"app":"web"}: ' + MISMATCH,
        ],
        id="replicaset selector required",
    ),
    pytest.param(
        patched(DEPLOYMENT, {"kind": "DaemonSet", "spec.replicas": DELETE}),
        {"spec.template.metadata.labels.app": "other"},
        ['spec.template.metadata.labels: Invalid value: {"app":"other"}: ' + MISMATCH],
        id="daemonset selector must match",
    ),
    pytest.param(
        patched(DEPLOYMENT, {"kind": "DaemonSet", "spec.replicas": DELETE}),
        {"spec.updateStrategy": {"type": "Sometimes"}},
        [
            'spec.updateStrategy: Unsupported value: {"type":"Sometimes"}: supported '
            'values: "RollingUpdate", "OnDelete"'
        ],
        id="daemonset update strategy",
    ),
    pytest.param(RC, {"spec.selector": DELETE}, [], id="rc selector defaults to labels"),
    pytest.param(
        RC,
        {"spec.selector": DELETE, "spec.template.metadata": DELETE},
        ["spec.selector: Required value"],
        id="rc without selector or labels",
    ),
    pytest.param(
        RC,
        {"spec.selector": {"app": "kubia"}},
        ['spec.template.metadata.labels: Invalid value: {"app":"web"}: ' + MISMATCH],
        id="rc selector must match",
    ),
    pytest.param(
        RC, {"spec.template": DELETE}, ["spec.template: Required value"], id="rc template required"
    ),
    pytest.param(
        RC,
        {"spec.replicas": -2},
        ["spec.replicas: Invalid value: -2: must be greater than or equal to 0"],
        id="rc replicas",
    ),
]


@pytest.mark.parametrize(("base", "changes", "expected"), CASES_WORKLOAD)
def test_workloads(base: dict, changes: dict, expected: list[str]) -> None:
    assert causes(patched(base, changes)) == expected


# --- ingress -----------------------------------------------------------------------------

CASES_INGRESS = [
    pytest.param(
        {f"{PATH0}.pathType": DELETE},
        [f"{PATH0}.pathType: Required value: pathType must be specified"],
        id="pathType required",
    ),
    pytest.param(
        {f"{PATH0}.pathType": "Regex"},
        [
            f'{PATH0}.pathType: Unsupported value: "Regex": supported values: "Exact", '
            '"ImplementationSpecific", "Prefix"'
        ],
        id="pathType values",
    ),
    pytest.param(
        {f"{PATH0}.path": "foo"},
        [f'{PATH0}.path: Invalid value: "foo": must be an absolute path'],
        id="absolute path",
    ),
    pytest.param(
        {f"{PATH0}.path": "/a//b/."},
        [
            f"{PATH0}.path: Invalid value: \"/a//b/.\": must not contain '//'",
            f"{PATH0}.path: Invalid value: \"/a//b/.\": cannot end with '/.'",
        ],
        id="clean path",
    ),
    pytest.param(
        {f"{PATH0}.path": "/a%2Fb", f"{PATH0}.pathType": "Exact"},
        [f"{PATH0}.path: Invalid value: \"/a%2Fb\": must not contain '%2F'"],
        id="encoded slash",
    ),
    pytest.param(
        {f"{PATH0}.path": "/api/v[0-9]+", f"{PATH0}.pathType": "ImplementationSpecific"},
        [],
        id="implementation specific path",
    ),
    pytest.param(
        {f"{BACKEND0}.service.name": DELETE},
        [f"{BACKEND0}.service.name: Required value"],
        id="backend service name",
    ),
    pytest.param(
        {f"{BACKEND0}.service.name": "Kubia"},
        [f'{BACKEND0}.service.name: Invalid value: "Kubia": {n.DNS1035_LABEL_ERROR}'],
        id="backend service name syntax",
    ),
    pytest.param(
        {f"{BACKEND0}.service.port": {}},
        [f"{BACKEND0}: Required value: port name or number is required"],
        id="backend port required",
    ),
    pytest.param(
        {f"{BACKEND0}.service.port": {"name": "http", "number": 80}},
        [f'{BACKEND0}: Invalid value: "": cannot set both port name & port number'],
        id="backend port name and number",
    ),
    pytest.param(
        {f"{BACKEND0}.service.port": {"number": 0x10000}},
        [f"{BACKEND0}.service.port.number: Invalid value: 65536: {PORT_RANGE}"],
        id="backend port number range",
    ),
    pytest.param(
        {f"{BACKEND0}.service.port": {"name": "HTTP"}},
        [
            f'{BACKEND0}.service.port.name: Invalid value: "HTTP": must contain only '
            "alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            f'{BACKEND0}.service.port.name: Invalid value: "HTTP": must contain at least '
            "one letter (a-z)",
        ],
        id="backend port name",
    ),
    pytest.param(
        {f"{BACKEND0}": {}},
        [f'{BACKEND0}: Invalid value: "": resource or service backend is required'],
        id="backend required",
    ),
    pytest.param(
        {"spec.rules[0].host": "192.168.49.2"},
        [
            'spec.rules[0].host: Invalid value: "192.168.49.2": must be a DNS name, not an '
            "IP address"
        ],
        id="host is not an IP",
    ),
    pytest.param({"spec.rules[0].host": "*.example.com"}, [], id="wildcard host"),
    pytest.param(
        {"spec.rules[0].host": "foo.*.com"},
        [f'spec.rules[0].host: Invalid value: "foo.*.com": {n.WILDCARD_ERROR}'],
        id="wildcard only as first label",
    ),
    pytest.param(
        {"spec.rules[0].host": "*"},
        [f'spec.rules[0].host: Invalid value: "*": {n.WILDCARD_ERROR}'],
        id="bare star host",
    ),
    pytest.param(
        {"spec.rules[0].host": "Kubia.Example.com"},
        [f'spec.rules[0].host: Invalid value: "Kubia.Example.com": {SUBDOMAIN_ERROR}'],
        id="host syntax",
    ),
    pytest.param(
        {"spec.rules[0].http.paths": []},
        ["spec.rules[0].http.paths: Required value"],
        id="paths required",
    ),
    pytest.param(
        {"spec.rules": DELETE},
        ["spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"],
        id="rules or default backend",
    ),
    pytest.param(
        {
            "spec.rules": DELETE,
            "spec.defaultBackend": {"service": {"name": "kubia", "port": {"number": 80}}},
        },
        [],
        id="default backend only",
    ),
    pytest.param(
        {
            "spec.tls": [
                {"hosts": ["kubia.example.com", "*.Example.com"], "secretName": "tls_secret"}
            ]
        },
        [
            f'spec.tls[0].hosts[1]: Invalid value: "*.Example.com": {n.WILDCARD_ERROR}',
            f'spec.tls[0].secretName: Invalid value: "tls_secret": {SUBDOMAIN_ERROR}',
        ],
        id="tls hosts and secret",
    ),
    pytest.param(
        {"spec.ingressClassName": "Nginx"},
        [f'spec.ingressClassName: Invalid value: "Nginx": {SUBDOMAIN_ERROR}'],
        id="ingressClassName syntax",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), CASES_INGRESS)
def test_ingress(changes: dict, expected: list[str]) -> None:
    assert causes(patched(INGRESS, changes)) == expected


# --- other kinds -------------------------------------------------------------------------


def _obj(kind: str, api_version: str = "v1", **fields: object) -> dict:
    return {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}, **fields}


CASES_OTHERS = [
    pytest.param(
        _obj("Secret", type="kubernetes.io/tls", data={"tls.crt": "YQ=="}),
        ["data[tls.key]: Required value"],
        id="tls secret keys",
    ),
    pytest.param(
        _obj("Secret", type="kubernetes.io/tls", stringData={"tls.crt": "a", "tls.key": "b"}),
        [],
        id="tls secret from stringData",
    ),
    pytest.param(
        _obj("Secret", data={"a": "YWJj", "b": "YWJjZA==", "c": "YW\nJj"}), [], id="base64 values"
    ),
    pytest.param(
        _obj("Secret", data={"password": "hunter2"}),
        [
            BAD_REQUEST + 'Secret in version "v1" cannot be handled as a Secret: illegal '
            "base64 data at input byte 4"
        ],
        id="base64 length",
    ),
    pytest.param(
        _obj("Secret", data={"password": "a*b="}),
        [
            BAD_REQUEST + 'Secret in version "v1" cannot be handled as a Secret: illegal '
            "base64 data at input byte 1"
        ],
        id="base64 characters",
    ),
    pytest.param(
        _obj("Secret", data={"bad key": "YQ=="}),
        [f'data[bad key]: Invalid value: "bad key": {n.CONFIG_MAP_KEY_ERROR}'],
        id="secret key syntax",
    ),
    pytest.param(
        _obj("ConfigMap", data={"..a": "x"}),
        ["data[..a]: Invalid value: \"..a\": must not start with '..'"],
        id="configmap key",
    ),
    pytest.param(
        _obj("IngressClass", "networking.k8s.io/v1", spec={}),
        ["spec.controller: Required value"],
        id="ingressclass controller required",
    ),
    pytest.param(
        _obj("IngressClass", "networking.k8s.io/v1", spec={"controller": "nginx"}),
        [
            'spec.controller: Invalid value: "nginx": must be a domain-prefixed path '
            '(such as "acme.io/foo")'
        ],
        id="ingressclass controller syntax",
    ),
    pytest.param(
        _obj("IngressClass", "networking.k8s.io/v1", spec={"controller": "k8s.io/ingress-nginx"}),
        [],
        id="ingressclass",
    ),
    pytest.param(
        _obj(
            "Endpoints",
            subsets=[
                {"addresses": [{"ip": "10.0.0.256"}], "ports": [{"port": 80}, {"port": 70000}]}
            ],
        ),
        [
            'subsets[0].addresses[0].ip: Invalid value: "10.0.0.256": must be a valid IP '
            "address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            "subsets[0].ports[0].name: Required value",
            "subsets[0].ports[1].name: Required value",
            f"subsets[0].ports[1].port: Invalid value: 70000: {PORT_RANGE}",
        ],
        id="endpoints addresses and ports",
    ),
    pytest.param(
        _obj("Endpoints", subsets=[{"ports": [{"port": 80}]}]),
        ["subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"],
        id="endpoints need addresses",
    ),
    pytest.param(
        _obj("Endpoints", subsets=[{"addresses": [{"ip": "127.0.0.1"}]}]),
        [
            'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the '
            "loopback range (127.0.0.0/8, ::1/128)"
        ],
        id="endpoints loopback",
    ),
    pytest.param(
        _obj(
            "Endpoints",
            subsets=[
                {
                    "addresses": [{"ip": "216.58.215.110"}],
                    "ports": [{"port": 80, "protocol": "HTTP"}],
                }
            ],
        ),
        [
            'subsets[0].ports[0].protocol: Unsupported value: "HTTP": supported values: '
            '"SCTP", "TCP", "UDP"'
        ],
        id="endpoints port protocol",
    ),
    pytest.param(
        _obj(
            "Node",
            spec={
                "taints": [{"key": "a", "effect": "NoSchedule"}, {"key": "b", "effect": "Never"}]
            },
        ),
        [
            'spec.taints[1].effect: Unsupported value: "Never": supported values: '
            '"NoSchedule", "PreferNoSchedule", "NoExecute"'
        ],
        id="node taints",
    ),
    pytest.param(_obj("Namespace"), [], id="namespace"),
]


@pytest.mark.parametrize(("obj", "expected"), CASES_OTHERS)
def test_other_kinds(obj: dict, expected: list[str]) -> None:
    assert causes(obj) == expected


# --- across documents --------------------------------------------------------------------


def test_every_problem_in_every_document_at_once() -> None:
    problems = causes(
        patched(SERVICE, {"spec.ports[0].port": 0}),
        patched(POD, {"spec.containers[0].image": DELETE}),
        _obj("Foo"),
    )
    assert len(problems) == 3


def test_duplicate_object_in_one_input() -> None:
    text = "---\n".join(yaml.safe_dump(o) for o in (SERVICE, POD, SERVICE))
    documents, _, problems = validate_documents(parse_manifests(text))
    (problem,) = problems
    assert problem.document == 2
    assert problem.cause() == (
        'metadata.name: Duplicate value: "kubia": service/kubia is already defined in '
        "document 1 of this input"
    )
    assert len(documents) == 3


def test_same_name_in_other_namespace_or_kind_is_fine() -> None:
    other_ns = patched(SERVICE, {"metadata.namespace": "shop"})
    pod = patched(POD, {"metadata.name": "kubia"})
    assert causes(SERVICE, other_ns, pod) == []


def test_duplicate_node_port_in_one_input() -> None:
    first = patched(SERVICE, {"spec.type": "NodePort", "spec.ports[0].nodePort": 30080})
    second = patched(first, {"metadata.name": "other"})
    assert causes(first, second) == [
        "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"
    ]


# --- legacy Ingress ----------------------------------------------------------------------

LEGACY = """\
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: kubia
spec:
  backend:
    serviceName: default-http
    servicePort: 80
  rules:
  - host: kubia.example.com
    http:
      paths:
      - path: /kubia
        backend:
          serviceName: kubia-nodeport
          servicePort: 80
      - backend:
          serviceName: foo
          servicePort: http
"""


def test_legacy_ingress_is_converted_with_a_warning() -> None:
    documents, warnings, problems = validate_documents(parse_manifests(LEGACY))
    assert problems == []
    (warning,) = warnings
    assert warning.kubectl_text() == (
        "Warning: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; "
        "use networking.k8s.io/v1 Ingress"
    )
    assert (warning.severity, warning.field, warning.line, warning.column) == (
        "warning",
        "apiVersion",
        1,
        1,
    )
    assert warning.hint == (
        "Kubernetes stopped serving Ingress in extensions/v1beta1 in v1.22: a current cluster "
        '(v1.35) refuses it with “no matches for kind "Ingress" in version '
        '"extensions/v1beta1"”. Kubeplay converts it to networking.k8s.io/v1 (serviceName '
        "and servicePort become service.name and service.port, pathType "
        "ImplementationSpecific); write apiVersion: networking.k8s.io/v1 to use it on a real "
        "cluster."
    )
    (document,) = documents
    assert document.obj["apiVersion"] == "networking.k8s.io/v1"
    assert document.obj["spec"]["defaultBackend"] == {
        "service": {"name": "default-http", "port": {"number": 80}}
    }
    assert document.obj["spec"]["rules"][0]["http"]["paths"] == [
        {
            "path": "/kubia",
            "pathType": "ImplementationSpecific",
            "backend": {"service": {"name": "kubia-nodeport", "port": {"number": 80}}},
        },
        {
            "path": "/",
            "pathType": "ImplementationSpecific",
            "backend": {"service": {"name": "foo", "port": {"name": "http"}}},
        },
    ]


def test_legacy_warning_printed_once_and_per_version() -> None:
    # One warning per document for the problems list; kubectl prints each text once.
    v1beta1 = LEGACY.replace("extensions/v1beta1", "networking.k8s.io/v1beta1")
    text = "---\n".join(
        [
            LEGACY,
            LEGACY.replace("name: kubia", "name: b"),
            v1beta1.replace("name: kubia", "name: c"),
        ]
    )
    _, warnings, _ = validate_documents(parse_manifests(text))
    assert [w.name for w in warnings] == ["kubia", "b", "c"]
    assert warning_lines(warnings) == [
        "Warning: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; "
        "use networking.k8s.io/v1 Ingress",
        "Warning: networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in "
        "v1.22+; use networking.k8s.io/v1 Ingress",
    ]


def test_legacy_problems_point_at_the_old_fields() -> None:
    text = LEGACY.replace("serviceName: kubia-nodeport", "serviceName: Kubia")
    (problem,) = validate_documents(parse_manifests(text))[2]
    assert problem.field == f"{BACKEND0}.service.name"
    assert (problem.line, problem.column) == (15, 11)


def test_legacy_unknown_fields_use_the_old_schema() -> None:
    text = LEGACY.replace("  backend:\n    serviceName", "  backends:\n    serviceName", 1)
    (problem,) = validate_documents(parse_manifests(text))[2]
    assert problem.message.endswith('strict decoding error: unknown field "spec.backends"')


def test_convert_legacy_ingress_leaves_the_input_alone() -> None:
    obj = yaml.safe_load(LEGACY)
    before = copy.deepcopy(obj)
    converted, warning = convert_legacy_ingress(obj)
    assert obj == before
    assert converted["spec"]["rules"][0]["host"] == "kubia.example.com"
    assert "backend" not in converted["spec"]
    assert warning.startswith("Warning: extensions/v1beta1 Ingress is deprecated")


# --- load_manifests ----------------------------------------------------------------------


def test_load_manifests_defaults_or_raises() -> None:
    documents, warnings = load_manifests(yaml.safe_dump(SERVICE))
    assert documents[0].obj["spec"]["type"] == "ClusterIP"
    with pytest.raises(ManifestError) as caught:
        load_manifests(LEGACY + "---\n" + yaml.safe_dump(patched(SERVICE, {"spec.ports": []})))
    assert caught.value.warnings
    assert caught.value.problems[0].cause() == ("spec.ports: Required value")


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (n.dns1123_label, "a.b", ("must not contain dots",)),
        (n.dns1123_label, "a" * 64, ("must be no more than 63 characters",)),
        (n.dns1123_subdomain, "example.com", ()),
        (n.dns1035_label, "abc-123", ()),
        (n.qualified_name, "app.kubernetes.io/name", ()),
        (n.label_value, "", ()),
        (n.port_name, "http-alt", ()),
        (
            n.port_name,
            "",
            (
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "must contain at least one letter (a-z)",
            ),
        ),
        (n.valid_ip, "::1", ()),
        (n.valid_cidr, "10.244.0.0/24", ()),
        (n.valid_cidr, "10.244.0.0", (n.CIDR_ERROR,)),
        (n.wildcard_dns1123_subdomain, "*.foo.com", ()),
    ],
)
def test_name_checks(check: object, value: str, expected: tuple) -> None:
    assert check(value) == expected
    assert check(value) == expected  # the memoised answer is the same


def test_json_input_problems_are_located() -> None:
    text = (
        '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "kubia"},\n'
        '  "spec": {\n    "ports": [{"port": 80}, {"port": 443}]\n  }\n}\n'
    )
    problems = validate_documents(parse_manifests(text))[2]
    assert [(p.field, p.line, p.column) for p in problems] == [
        ("spec.ports[0].name", 6, 15),
        ("spec.ports[1].name", 6, 29),
    ]


def test_duplicates_inside_one_list() -> None:
    text = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": [POD, POD]})
    (problem,) = validate_documents(parse_manifests(text))[2]
    assert problem.cause() == (
        'metadata.name: Duplicate value: "web": pod/web is already defined in document 1 of '
        "this input"
    )


@pytest.mark.parametrize(
    "resource",
    [rt for rt in kinds.RESOURCE_TYPES if not rt.creatable],
    ids=lambda rt: rt.kind,
)
def test_every_kind_only_controllers_write_is_refused_in_words(resource):
    """A kind the cluster writes itself gets Kubeplay's own refusal, never an error."""
    doc = {"apiVersion": resource.api_version, "kind": resource.kind, "metadata": {"name": "x"}}
    cluster = Cluster(seed=1)
    result = cluster.run("kubectl apply -f -", stdin=yaml.safe_dump(doc))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: Kubeplay does not accept {resource.kind} manifests: ")
    assert "internal" not in result.stderr
