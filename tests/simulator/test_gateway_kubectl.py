"""`kubectl get` and `describe` for the Gateway API kinds: the CRDs' columns, the generic
describer."""

from __future__ import annotations

import pytest

from simulator.kubectl.describe import describe_custom
from simulator.kubectl.describe.custom import smart_label
from simulator.kubectl.tables import RowContext, build_table, render

from .builders import meta

ACCEPTED = {"type": "Accepted", "status": "True", "reason": "Accepted", "message": "ok"}
PROGRAMMED = {"type": "Programmed", "status": "True", "reason": "Programmed", "message": "ok"}


def table(kind: str, *objects: dict, wide: bool = False) -> str:
    return render(build_table(kind, list(objects), RowContext(now=300, wide=wide)))


def test_gatewayclass_columns():
    gc = {
        "metadata": meta("nginx", None),
        "spec": {"controllerName": "gateway.nginx.org/nginx-gateway-controller",
                 "description": "NGINX Gateway Fabric"},
        "status": {"conditions": [ACCEPTED]},
    }  # fmt: skip
    assert table("GatewayClass", gc) == (
        "NAME    CONTROLLER                                   ACCEPTED   AGE\n"
        "nginx   gateway.nginx.org/nginx-gateway-controller   True       5m\n"
    )
    assert table("GatewayClass", gc, wide=True).splitlines()[0].endswith("AGE   DESCRIPTION")


def test_gateway_columns_show_the_first_address_and_programmed():
    gateway = {
        "metadata": meta("gateway"),
        "spec": {"gatewayClassName": "nginx"},
        "status": {"addresses": [{"type": "IPAddress", "value": "192.168.49.200"},
                                 {"type": "IPAddress", "value": "192.168.49.201"}],
                   "conditions": [ACCEPTED, PROGRAMMED]},
    }  # fmt: skip
    pending = {
        "metadata": meta("other"),
        "spec": {"gatewayClassName": "istio"},
        "status": {"conditions": [{"type": "Programmed", "status": "Unknown"}]},
    }
    assert table("Gateway", gateway, pending) == (
        "NAME      CLASS   ADDRESS          PROGRAMMED   AGE\n"
        "gateway   nginx   192.168.49.200   True         5m\n"
        "other     istio                    Unknown      5m\n"
    )


def test_httproute_hostnames_as_json():
    routes = [
        {"metadata": meta("two"), "spec": {"hostnames": ["a.example.com", "b.example.com"]}},
        {"metadata": meta("none"), "spec": {}},
    ]
    assert table("HTTPRoute", *routes) == (
        "NAME   HOSTNAMES                           AGE\n"
        'two    ["a.example.com","b.example.com"]   5m\n'
        "none                                       5m\n"
    )


def test_referencegrant_has_name_and_age():
    assert table("ReferenceGrant", {"metadata": meta("g"), "spec": {}}) == (
        "NAME   AGE\ng      5m\n"
    )


@pytest.mark.parametrize(
    ("field", "label"),
    [("apiVersion", "API Version"), ("uid", "UID"), ("gatewayClassName", "Gateway Class Name"),
     ("urlRewrite", "URL Rewrite"), ("tls", "Tls"), ("HTTPRoute", "HTTP Route"),
     ("lastTransitionTime", "Last Transition Time"),
     ("gateway.networking.k8s.io/generator", "gateway.networking.k8s.io/generator")],
)  # fmt: skip
def test_smart_labels(field, label):
    assert smart_label(field) == label


def test_describe_prints_the_whole_object_as_kubectl_s_generic_describer():
    gateway = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "Gateway",
        "metadata": {
            **meta("gateway"),
            "generation": 1,
            "resourceVersion": "1021",
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}\n"},
        },
        "spec": {
            "gatewayClassName": "nginx",
            "listeners": [{"allowedRoutes": {"namespaces": {"from": "Same"}}, "name": "http",
                           "port": 80, "protocol": "HTTP"}],
        },
        "status": {
            "addresses": [{"type": "IPAddress", "value": "192.168.49.200"}],
            "listeners": [{"attachedRoutes": 1, "conditions": [], "name": "http",
                           "supportedKinds": [{"group": "gateway.networking.k8s.io",
                                               "kind": "HTTPRoute"}]}],
        },
    }  # fmt: skip
    assert describe_custom(gateway, [], 300) == (
        "Name:         gateway\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "API Version:  gateway.networking.k8s.io/v1\n"
        "Kind:         Gateway\n"
        "Metadata:\n"
        "  Creation Timestamp:  2026-11-22T09:00:00Z\n"
        "  Generation:          1\n"
        "  Resource Version:    1021\n"
        "  UID:                 uid-gateway\n"
        "Spec:\n"
        "  Gateway Class Name:  nginx\n"
        "  Listeners:\n"
        "    Allowed Routes:\n"
        "      Namespaces:\n"
        "        From:  Same\n"
        "    Name:      http\n"
        "    Port:      80\n"
        "    Protocol:  HTTP\n"
        "Status:\n"
        "  Addresses:\n"
        "    Type:   IPAddress\n"
        "    Value:  192.168.49.200\n"
        "  Listeners:\n"
        "    Attached Routes:  1\n"
        "    Conditions:\n"
        "    Name:  http\n"
        "    Supported Kinds:\n"
        "      Group:  gateway.networking.k8s.io\n"
        "      Kind:   HTTPRoute\n"
        "Events:       <none>\n"
    )
