"""Status of GatewayClasses, Gateways and HTTPRoutes: the spec's reasons, NGF's wording.

Scenarios follow the Gateway API conformance tests (v1.6.1) named in each test; the
messages are NGINX Gateway Fabric's (v2.6, ``conditions.go``).
"""

from __future__ import annotations

from simulator.gatewayapi.status import gateway_status, route_status

from .gateway_fixtures import INFRA, NS, World

WEB = """
apiVersion: v1
kind: Namespace
metadata: {name: gateway-conformance-web-backend}
---
apiVersion: v1
kind: Service
metadata: {name: web-backend, namespace: gateway-conformance-web-backend}
spec:
  selector: {app: web-backend}
  ports: [{port: 8080, targetPort: 3000}]
"""
CROSS_NAMESPACE_ROUTE = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reference-grant}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: [{name: web-backend, namespace: gateway-conformance-web-backend, port: 8080}]
"""
GRANT = """
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: reference-grant, namespace: gateway-conformance-web-backend}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: gateway-conformance-infra}]
  to: [{group: "", kind: Service, name: web-backend}]
"""


def _conditions(world: World, route: str) -> dict[str, tuple[str, str, str]]:
    graph = world.graph()
    parents = route_status(graph.routes[(NS, route)], "2026-01-01T00:00:00Z", None)["parents"]
    return {c["type"]: (c["status"], c["reason"], c["message"]) for c in parents[0]["conditions"]}


def test_accepted_route_with_resolved_references():
    world = World(INFRA, CROSS_NAMESPACE_ROUTE, WEB, GRANT)
    assert _conditions(world, "reference-grant") == {
        "Accepted": ("True", "Accepted", "The Route is accepted"),
        "ResolvedRefs": ("True", "ResolvedRefs", "All references are resolved"),
    }
    assert world.serve("/") == "web-backend"


def test_cross_namespace_backend_without_reference_grant_is_ref_not_permitted():
    """HTTPRouteInvalidReferenceGrant: ResolvedRefs False, RefNotPermitted; requests get 500."""
    world = World(INFRA, CROSS_NAMESPACE_ROUTE, WEB)
    conditions = _conditions(world, "reference-grant")
    assert conditions["Accepted"][:2] == ("True", "Accepted")
    assert conditions["ResolvedRefs"] == (
        "False",
        "RefNotPermitted",
        "spec.rules[0].backendRefs[0].namespace: Forbidden: Backend ref to Service "
        "gateway-conformance-web-backend/web-backend not permitted by any ReferenceGrant",
    )
    assert world.serve("/") == "500"


def test_reference_grant_naming_another_service_or_namespace_does_not_permit():
    wrong_name = GRANT.replace("name: web-backend}", "name: other}")
    assert _conditions(World(INFRA, CROSS_NAMESPACE_ROUTE, WEB, wrong_name),
                       "reference-grant")["ResolvedRefs"][1] == "RefNotPermitted"  # fmt: skip
    wrong_from = GRANT.replace("namespace: gateway-conformance-infra", "namespace: elsewhere")
    assert _conditions(World(INFRA, CROSS_NAMESPACE_ROUTE, WEB, wrong_from),
                       "reference-grant")["ResolvedRefs"][1] == "RefNotPermitted"  # fmt: skip
    any_name = GRANT.replace(", name: web-backend}", "}")
    assert _conditions(World(INFRA, CROSS_NAMESPACE_ROUTE, WEB, any_name),
                       "reference-grant")["ResolvedRefs"][0] == "True"  # fmt: skip


def test_missing_backend_is_backend_not_found():
    """HTTPRouteInvalidNonExistentBackendRef."""
    route = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: invalid-nonexistent-backend-ref}
spec:
  parentRefs: [{name: same-namespace}]
  rules: [{backendRefs: [{name: nonexistent, port: 8080}]}]
"""
    world = World(INFRA, route)
    assert _conditions(world, "invalid-nonexistent-backend-ref")["ResolvedRefs"] == (
        "False", "BackendNotFound", 'spec.rules[0].backendRefs[0].name: Not found: "nonexistent"'
    )  # fmt: skip
    assert world.serve("/") == "500"


def test_backend_port_the_service_does_not_have_is_backend_not_found():
    route = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: wrong-port}
spec:
  parentRefs: [{name: same-namespace}]
  rules: [{backendRefs: [{name: infra-backend-v1, port: 9999}]}]
"""
    assert _conditions(World(INFRA, route), "wrong-port")["ResolvedRefs"] == (
        "False", "BackendNotFound", "No matching port for Service infra-backend-v1 and port 9999"
    )  # fmt: skip


def test_backend_of_unknown_kind_is_invalid_kind():
    """HTTPRouteInvalidBackendRefUnknownKind."""
    route = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: invalid-backend-ref-unknown-kind}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs:
    - {group: unknownkind.example.com, kind: NonExistent, name: infra-backend-v1, port: 8080}
"""
    status, reason, message = _conditions(World(INFRA, route), "invalid-backend-ref-unknown-kind")[
        "ResolvedRefs"
    ]
    assert (status, reason) == ("False", "InvalidKind")
    assert message.startswith(
        'spec.rules[0].backendRefs[0].group: Unsupported value: "unknownkind.example.com"'
    )


def test_route_from_another_namespace_is_not_allowed_by_listeners():
    """HTTPRouteInvalidCrossNamespaceParentRef: allowedRoutes defaults to Same."""
    route = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: invalid-cross-namespace-parent-ref, namespace: gateway-conformance-web-backend}
spec:
  parentRefs: [{name: same-namespace, namespace: gateway-conformance-infra}]
  rules: [{backendRefs: [{name: web-backend, port: 8080}]}]
"""
    world = World(INFRA, WEB, route)
    graph = world.graph()
    parents = route_status(
        graph.routes[("gateway-conformance-web-backend", "invalid-cross-namespace-parent-ref")],
        "t", None,
    )["parents"]  # fmt: skip
    accepted = parents[0]["conditions"][0]
    assert (accepted["type"], accepted["status"], accepted["reason"], accepted["message"]) == (
        "Accepted", "False", "NotAllowedByListeners", "The Route is not allowed by any listener"
    )  # fmt: skip
    assert parents[0]["parentRef"] == {
        "group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "same-namespace",
        "namespace": NS,
    }  # fmt: skip
    assert parents[0]["controllerName"] == "gateway.nginx.org/nginx-gateway-controller"


def test_allowed_routes_all_and_selector_admit_other_namespaces():
    route = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: from-web, namespace: gateway-conformance-web-backend}
spec:
  parentRefs: [{name: open, namespace: gateway-conformance-infra}]
  rules: [{backendRefs: [{name: web-backend, port: 8080}]}]
"""
    for allowed in ("{from: All}", "{from: Selector, selector: {matchLabels: {team: web}}}"):
        gateway = f"""
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: open}}
spec:
  gatewayClassName: nginx
  listeners:
  - {{name: http, port: 80, protocol: HTTP, allowedRoutes: {{namespaces: {allowed}}}}}
"""
        labelled = WEB.replace(
            "metadata: {name: gateway-conformance-web-backend}",
            "metadata: {name: gateway-conformance-web-backend, labels: {team: web}}",
        )
        world = World(INFRA, labelled, gateway, route)
        assert world.route_status("from-web", "gateway-conformance-web-backend")[0] == (
            "Accepted", "True", "Accepted"
        )  # fmt: skip
        unlabelled = World(INFRA, WEB, gateway, route)
        expected = "Accepted" if "All" in allowed else "NotAllowedByListeners"
        status = unlabelled.route_status("from-web", "gateway-conformance-web-backend")
        assert status[0][2] == expected


def test_section_name_or_port_matching_no_listener_is_no_matching_parent():
    """HTTPRouteInvalidParentRefNotMatchingSectionName / ...NotMatchingListenerPort."""
    for ref in ("{name: same-namespace, sectionName: unknown}",
                "{name: same-namespace, port: 81}",
                "{name: same-namespace, sectionName: http, port: 81}"):  # fmt: skip
        route = f"""
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r}}
spec:
  parentRefs: [{ref}]
  rules: [{{backendRefs: [{{name: infra-backend-v1, port: 8080}}]}}]
"""
        assert World(INFRA, route).route_status("r")[0] == (
            "Accepted", "False", "NoMatchingParent"
        )  # fmt: skip


def test_route_to_a_missing_or_foreign_gateway_gets_no_status_but_a_reason():
    route = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: [{name: missing}, {name: other-class}]
  rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
"""
    other = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: other-class}
spec:
  gatewayClassName: istio
  listeners: [{name: http, port: 80, protocol: HTTP}]
"""
    graph = World(INFRA, route, other).graph()
    assert route_status(graph.routes[(NS, "r")], "t", None) == {"parents": []}
    assert [why for _, why in graph.routes[(NS, "r")].ignored] == [
        f"no Gateway missing exists in namespace {NS}",
        "Gateway other-class is of class istio, which no controller in this cluster serves",
    ]
    assert (NS, "other-class") not in graph.gateways


def _gateway(world: World, name: str = "same-namespace") -> dict:
    return gateway_status(world.graph().gateways[(NS, name)], "2026-01-01T00:00:00Z", None)


def test_gateway_status_counts_attached_routes_per_listener():
    routes = "".join(
        f"""
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r{n}}}
spec:
  parentRefs: [{{name: same-namespace}}]
  hostnames: [{host}]
  rules: [{{backendRefs: [{{name: infra-backend-v1, port: 8080}}]}}]
"""
        for n, host in ((1, "a.example.com"), (2, "b.example.com"))
    )
    status = _gateway(World(INFRA, routes))
    assert status["addresses"] == [{"type": "IPAddress", "value": "192.168.49.200"}]
    assert [(c["type"], c["status"], c["reason"]) for c in status["conditions"]] == [
        ("Accepted", "True", "Accepted"), ("Programmed", "True", "Programmed"),
    ]  # fmt: skip
    (listener,) = status["listeners"]
    assert listener["attachedRoutes"] == 2
    assert listener["supportedKinds"] == [
        {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute"},
        {"group": "gateway.networking.k8s.io", "kind": "GRPCRoute"},
    ]
    assert [(c["type"], c["status"], c["reason"]) for c in listener["conditions"]] == [
        ("Programmed", "True", "Programmed"), ("Accepted", "True", "Accepted"),
        ("ResolvedRefs", "True", "ResolvedRefs"), ("Conflicted", "False", "NoConflicts"),
    ]  # fmt: skip


HTTPS = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: tls}
spec:
  gatewayClassName: nginx
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    tls: {certificateRefs: [{name: CERT_NAME, namespace: CERT_NS}]}
"""


def test_https_listener_with_missing_secret_is_not_accepted():
    world = World(INFRA, HTTPS.replace("CERT_NAME", "nope").replace("CERT_NS", NS))
    (listener,) = _gateway(world, "tls")["listeners"]
    conditions = {
        c["type"]: (c["status"], c["reason"], c["message"]) for c in listener["conditions"]
    }
    message = (
        'tls.certificateRefs[0]: Invalid value: "gateway-conformance-infra/nope": '
        "Secret gateway-conformance-infra/nope does not exist"
    )
    assert conditions == {
        "Accepted": ("False", "InvalidCertificateRef", message),
        "ResolvedRefs": ("False", "InvalidCertificateRef", message),
        "Programmed": ("False", "Invalid", message),
    }
    gateway = {c["type"]: (c["status"], c["reason"]) for c in _gateway(world, "tls")["conditions"]}
    assert gateway == {"Accepted": ("False", "ListenersNotValid"),
                       "Programmed": ("False", "Invalid")}  # fmt: skip


def test_https_listener_with_secret_in_another_namespace_needs_a_reference_grant():
    secret = """
apiVersion: v1
kind: Secret
metadata: {name: cert, namespace: gateway-conformance-web-backend}
type: kubernetes.io/tls
data: {tls.crt: "", tls.key: ""}
"""
    gateway = HTTPS.replace("CERT_NAME", "cert").replace(
        "CERT_NS", "gateway-conformance-web-backend"
    )
    world = World(INFRA, WEB, secret, gateway)
    (listener,) = _gateway(world, "tls")["listeners"]
    accepted = listener["conditions"][0]
    assert (accepted["type"], accepted["reason"], accepted["message"]) == (
        "Accepted", "RefNotPermitted",
        "Certificate ref to secret gateway-conformance-web-backend/cert not permitted by any "
        "ReferenceGrant",
    )  # fmt: skip
    grant = """
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: certs, namespace: gateway-conformance-web-backend}
spec:
  from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: gateway-conformance-infra}]
  to: [{group: "", kind: Secret}]
"""
    world.add(grant)
    (listener,) = _gateway(world, "tls")["listeners"]
    assert listener["conditions"][1]["type"] == "Accepted"
    assert listener["conditions"][1]["status"] == "True"


def test_http_and_https_listeners_on_one_port_conflict():
    gateway = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: mixed}
spec:
  gatewayClassName: nginx
  listeners:
  - {name: http, port: 8000, protocol: HTTP}
  - {name: https, port: 8000, protocol: HTTPS, tls: {certificateRefs: [{name: x}]}}
"""
    listeners = _gateway(World(INFRA, gateway), "mixed")["listeners"]
    message = (
        "Multiple listeners for the same port 8000 specify incompatible protocols; ensure only "
        "one protocol per port"
    )
    for listener in listeners:
        conflicted = next(c for c in listener["conditions"] if c["type"] == "Conflicted")
        assert (conflicted["status"], conflicted["reason"], conflicted["message"]) == (
            "True", "ProtocolConflict", message
        )  # fmt: skip


def test_gateway_of_the_nginx_class_without_the_class_is_invalid():
    world = World(INFRA)
    del world.objects[("GatewayClass", "", "nginx")]
    gateway = {c["type"]: (c["status"], c["reason"], c["message"])
               for c in _gateway(world)["conditions"]}  # fmt: skip
    assert gateway["Accepted"] == ("False", "Invalid", "The GatewayClass doesn't exist")
    assert gateway["Programmed"] == ("False", "Invalid", "The GatewayClass doesn't exist")


def test_another_class_of_the_same_controller_is_a_conflict():
    other = """
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: nginx-too}
spec: {controllerName: gateway.nginx.org/nginx-gateway-controller}
"""
    graph = World(INFRA, other).graph()
    assert graph.classes["nginx"] == []
    (conflict,) = graph.classes["nginx-too"]
    assert (conflict.status, conflict.reason) == ("False", "GatewayClassConflict")


def test_conditions_keep_their_transition_time_until_their_status_changes():
    route = CROSS_NAMESPACE_ROUTE
    world = World(INFRA, route, WEB)
    first = route_status(world.graph().routes[(NS, "reference-grant")], "T1", None)
    world.add(GRANT)
    second = route_status(world.graph().routes[(NS, "reference-grant")], "T2", first)
    times = {c["type"]: c["lastTransitionTime"] for c in second["parents"][0]["conditions"]}
    assert times == {"Accepted": "T1", "ResolvedRefs": "T2"}
    assert all(c["observedGeneration"] == 1 for c in second["parents"][0]["conditions"])
