"""HTTPRoutes as NGINX Gateway Fabric sees them: backends resolved, parents attached.

Source: NGF v2.6 ``internal/controller/state/graph`` (``backend_refs.go``,
``route_common.go``) and ``conditions/conditions.go``:

* a backendRef must name a ``Service`` in the core group (``InvalidKind``), in the route's
  namespace or one whose ReferenceGrant lets HTTPRoutes of this namespace in
  (``RefNotPermitted``), that exists and has the port (``BackendNotFound``); filters on a
  backendRef are not supported (``UnsupportedValue``). Requests that would go to an
  invalid backend get 500;
* a parentRef to a Gateway NGF manages attaches to the listeners its ``sectionName`` and
  ``port`` select (none: ``NoMatchingParent``) whose ``allowedRoutes`` admit the route's
  namespace and kind (none: ``NotAllowedByListeners``) and whose hostname intersects the
  route's (none: ``NoMatchingListenerHostname``). A parentRef to anything else (another
  Gateway class, a missing Gateway) gets no status from NGF: Kubeplay keeps why, for the
  learner.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.hints import hint
from simulator.validation.common import selector_matches

from .hostnames import accepted_hostnames
from .model import GROUP, Backend, Condition, Gateway, Listener, Parent, Route, Rule

NOT_ALLOWED = Condition(
    "Accepted", "False", "NotAllowedByListeners", "The Route is not allowed by any listener"
)
NO_HOSTNAME = Condition(
    "Accepted", "False", "NoMatchingListenerHostname",
    "The Listener hostname does not match the Route hostnames",
)  # fmt: skip
NO_PARENT = Condition(
    "Accepted", "False", "NoMatchingParent", "The Listener is not found for this parent ref"
)
INVALID_GATEWAY = Condition("Accepted", "False", "InvalidGateway", "The Gateway is invalid")
INVALID_LISTENER = Condition(
    "Accepted", "False", "InvalidListener", "The Listener is invalid for this parent ref"
)
_INFERENCE_GROUP = "inference.networking.k8s.io"


def _backend(
    ref: dict,
    path: str,
    route_ns: str,
    lookup: Callable[[str, str, str], dict | None],
    permitted: Callable[..., bool],
) -> Backend:
    namespace = ref.get("namespace") or route_ns
    backend = Backend(namespace, ref.get("name", ""), ref.get("port"), ref.get("weight", 1))

    def fail(reason: str, message: str) -> Backend:
        backend.valid, backend.reason, backend.message = False, reason, message
        return backend

    if ref.get("filters"):
        return fail(
            "UnsupportedValue",
            f"{path}.filters: Too many: {len(ref['filters'])}: must have at most 0 items",
        )
    group, kind = ref.get("group", ""), ref.get("kind", "Service")
    if group not in ("", "core"):
        return fail(
            "InvalidKind",
            f'{path}.group: Unsupported value: "{group}": supported values: "core", "", '
            f'"{_INFERENCE_GROUP}"',
        )
    if kind != "Service":
        return fail(
            "InvalidKind",
            f'{path}.kind: Unsupported value: "{kind}": supported values: "Service", '
            f'"InferencePool"',
        )
    if namespace != route_ns and not permitted(
        "HTTPRoute", route_ns, "Service", namespace, backend.name
    ):
        return fail(
            "RefNotPermitted",
            f"{path}.namespace: Forbidden: Backend ref to Service {namespace}/{backend.name} "
            f"not permitted by any ReferenceGrant",
        )
    if backend.port is None:
        return fail("UnsupportedValue", f"{path}.port: Required value: port cannot be nil")
    service = lookup("Service", namespace, backend.name)
    if service is None:
        return fail("BackendNotFound", f'{path}.name: Not found: "{backend.name}"')
    backend.service = service
    for port in (service.get("spec") or {}).get("ports") or ():
        if port.get("port") == backend.port:
            backend.service_port = port
            return backend
    return fail(
        "BackendNotFound",
        f"No matching port for Service {backend.name} and port {backend.port}",
    )


def _rule(index: int, spec: dict, route_ns: str, lookup, permitted) -> Rule:
    path = f"spec.rules[{index}]"
    backends = [
        _backend(ref, f"{path}.backendRefs[{i}]", route_ns, lookup, permitted)
        for i, ref in enumerate(spec.get("backendRefs") or ())
    ]
    matches = spec.get("matches") or [{"path": {"type": "PathPrefix", "value": "/"}}]
    rule = Rule(index, spec.get("name", ""), matches, list(spec.get("filters") or ()), backends)
    for position, item in enumerate(rule.filters):
        if item.get("type") == "ExtensionRef":
            ref = item.get("extensionRef") or {}
            rule.valid = False
            rule.problem = (
                f'{path}.filters[{position}].extensionRef: Not found: "{ref.get("name", "")}"'
            )
    return rule


def _namespace_allowed(
    listener: Listener, route_ns: str, gateway_ns: str, labels: Callable[[str], dict]
) -> bool:
    if listener.allowed_from == "All":
        return True
    if listener.allowed_from == "Selector":
        return selector_matches(listener.selector or {}, labels(route_ns))
    return route_ns == gateway_ns


def _attachable(ref: dict, gateway: Gateway) -> tuple[list[Listener], bool]:
    """NGF's ``findAttachableListeners``: the listeners a parentRef selects, and whether the
    section or port it names exists."""
    section, port = ref.get("sectionName"), ref.get("port")
    if section:
        for listener in gateway.listeners:
            if listener.name == section:
                if port is not None and listener.port != port:
                    return [], False
                return ([listener] if listener.attachable else []), True
        return [], False
    if port is not None:
        found = [item for item in gateway.listeners if item.port == port]
        return [item for item in found if item.attachable], bool(found)
    attachable = [item for item in gateway.listeners if item.attachable]
    return attachable, bool(gateway.listeners)


def _attach(route: Route, parent: Parent, gateway: Gateway, labels) -> None:
    listeners, exists = _attachable(parent.ref, gateway)
    if not exists:
        parent.conditions.append(NO_PARENT)
        return
    if not gateway.valid:
        parent.conditions.append(INVALID_GATEWAY)
        return
    if not listeners:
        parent.conditions.append(INVALID_LISTENER)
        return
    allowed = attached = on_valid = False
    for listener in listeners:
        if not _namespace_allowed(listener, route.namespace, gateway.namespace, labels):
            continue
        if all(k["kind"] != "HTTPRoute" for k in listener.supported_kinds):
            continue
        allowed = True
        hostnames = accepted_hostnames(listener.hostname, route.hostnames)
        if not hostnames:
            continue
        attached = True
        on_valid = on_valid or listener.valid
        parent.hostnames[listener.name] = hostnames
        if route.key not in listener.routes:
            listener.routes.append(route.key)
    if not attached:
        parent.conditions.append(NOT_ALLOWED if not allowed else NO_HOSTNAME)
        return
    parent.attached = True
    if not on_valid:
        parent.conditions.append(INVALID_LISTENER)


def build_route(
    obj: dict,
    gateways: dict,
    lookup: Callable[[str, str, str], dict | None],
    permitted: Callable[..., bool],
    labels: Callable[[str], dict],
) -> Route:
    """Resolve one HTTPRoute against the managed Gateways (listeners record attachments).

    Args:
        obj: the stored HTTPRoute (defaulted).
        gateways: managed Gateways by ``(namespace, name)``.
        lookup: ``(kind, namespace, name) -> object or None``.
        permitted: the ReferenceGrant check.
        labels: a namespace's labels (for ``allowedRoutes`` selectors).
    """
    meta, spec = obj["metadata"], obj.get("spec") or {}
    ns = meta.get("namespace", "")
    route = Route(ns, meta["name"], obj, meta.get("creationTimestamp", ""),
                  list(spec.get("hostnames") or ()))  # fmt: skip
    for index, rule_spec in enumerate(spec.get("rules") or ()):
        rule = _rule(index, rule_spec, ns, lookup, permitted)
        route.rules.append(rule)
        for backend in rule.backends:
            if not backend.valid:
                route.conditions.append(
                    Condition("ResolvedRefs", "False", backend.reason, backend.message)
                )
        if not rule.valid:
            route.conditions.append(Condition("ResolvedRefs", "False", "InvalidFilter",
                                              rule.problem))  # fmt: skip
    for ref in spec.get("parentRefs") or ():
        group, kind = ref.get("group", GROUP), ref.get("kind", "Gateway")
        target_ns = ref.get("namespace") or ns
        name = ref.get("name", "")
        if group != GROUP or kind != "Gateway":
            route.ignored.append((ref, hint("route-parent-not-gateway", kind=kind)))
            continue
        gateway = gateways.get((target_ns, name))
        if gateway is None:
            existing = lookup("Gateway", target_ns, name)
            if existing is None:
                why = hint("route-no-such-gateway", name=name, namespace=target_ns)
            else:
                class_name = (existing.get("spec") or {}).get("gatewayClassName", "")
                why = hint("route-gateway-class-unserved", name=name, class_name=class_name)
            route.ignored.append((ref, why))
            continue
        parent = Parent(ref, gateway.key)
        _attach(route, parent, gateway, labels)
        route.parents.append(parent)
    return route
