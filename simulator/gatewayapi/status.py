"""The status NGINX Gateway Fabric writes, rendered from the graph.

Shapes and wording follow NGF v2.6 (``internal/controller/status/prepare_requests.go`` and
``conditions/conditions.go``):

* GatewayClass ``nginx``: ``Accepted`` ("The GatewayClass is accepted") and
  ``SupportedVersion`` ("The Gateway API CRD versions are supported");
* Gateway: ``addresses`` from its data plane's load balancer, ``Accepted`` ("The Gateway
  is accepted") and ``Programmed`` ("The Gateway is programmed"), then per listener its
  ``supportedKinds``, ``attachedRoutes`` and ``Accepted``/``Programmed``/``ResolvedRefs``/
  ``Conflicted`` conditions (failures override the defaults, one condition per type);
* HTTPRoute: one entry per parentRef to a Gateway NGF manages, with ``Accepted`` ("The
  Route is accepted") and ``ResolvedRefs`` ("All references are resolved") unless a failure
  overrides them, and ``controllerName``.

Each condition carries ``observedGeneration`` and a ``lastTransitionTime`` that moves only
when its status changes.
"""

from __future__ import annotations

from .model import CONTROLLER_NAME, GROUP, Condition, Gateway, Graph, Route, dedupe

_CLASS_DEFAULTS = [
    Condition("Accepted", "True", "Accepted", "The GatewayClass is accepted"),
    Condition(
        "SupportedVersion", "True", "SupportedVersion", "The Gateway API CRD versions are supported"
    ),
]
_GATEWAY_DEFAULTS = [
    Condition("Accepted", "True", "Accepted", "The Gateway is accepted"),
    Condition("Programmed", "True", "Programmed", "The Gateway is programmed"),
]
_LISTENER_DEFAULTS = [
    Condition("Programmed", "True", "Programmed", "The Listener is programmed"),
    Condition("Accepted", "True", "Accepted", "The Listener is accepted"),
    Condition("ResolvedRefs", "True", "ResolvedRefs", "All references are resolved"),
    Condition("Conflicted", "False", "NoConflicts", "No conflicts"),
]
_ROUTE_DEFAULTS = [
    Condition("Accepted", "True", "Accepted", "The Route is accepted"),
    Condition("ResolvedRefs", "True", "ResolvedRefs", "All references are resolved"),
]


def conditions_as_api(
    conditions: list[Condition], generation: int, now: str, previous: list[dict] | None
) -> list[dict]:
    """``metav1.Condition`` dicts; a condition whose status did not change keeps its time."""
    times = {
        c.get("type"): (c.get("status"), c.get("lastTransitionTime"))
        for c in previous or ()
        if isinstance(c, dict)
    }
    out = []
    for condition in conditions:
        status, since = times.get(condition.type, (None, None))
        out.append({
            "lastTransitionTime": since if status == condition.status and since else now,
            "message": condition.message,
            "observedGeneration": generation,
            "reason": condition.reason,
            "status": condition.status,
            "type": condition.type,
        })  # fmt: skip
    return out


def gateway_class_status(
    conditions: list[Condition], generation: int, now: str, previous: dict | None
) -> dict:
    """A GatewayClass's status (``conditions`` are its non-default ones)."""
    merged = dedupe([*_CLASS_DEFAULTS, *conditions])
    return {
        "conditions": conditions_as_api(merged, generation, now, (previous or {}).get("conditions"))
    }


def _listener_conditions(listener) -> list[Condition]:
    conditions = list(listener.conditions)
    if listener.valid:
        defaults = [_LISTENER_DEFAULTS[0], _LISTENER_DEFAULTS[1]]
        if all(c.type != "ResolvedRefs" for c in conditions):
            defaults.append(_LISTENER_DEFAULTS[2])
        if all(c.type not in ("Conflicted", "OverlappingTLSConfig") for c in conditions):
            defaults.append(_LISTENER_DEFAULTS[3])
        conditions += defaults
    return dedupe(conditions)


def gateway_status(gateway: Gateway, now: str, previous: dict | None) -> dict:
    """A managed Gateway's status."""
    generation = gateway.obj["metadata"].get("generation", 1)
    previous = previous or {}
    old_listeners = {
        item.get("name"): item.get("conditions") for item in previous.get("listeners") or ()
    }
    listeners = []
    valid = 0
    for listener in gateway.listeners:
        valid += listener.valid
        listeners.append({
            "attachedRoutes": len(listener.routes),
            "conditions": conditions_as_api(
                _listener_conditions(listener), generation, now, old_listeners.get(listener.name)
            ),
            "name": listener.name,
            "supportedKinds": [dict(k) for k in listener.supported_kinds],
        })  # fmt: skip
    conditions = [*_GATEWAY_DEFAULTS, *gateway.conditions]
    if gateway.listeners and not valid:
        msg = "The Gateway has no valid listeners"
        conditions += [Condition("Accepted", "False", "ListenersNotValid", msg),
                       Condition("Programmed", "False", "Invalid", msg)]  # fmt: skip
    elif valid < len(gateway.listeners):
        conditions.append(
            Condition(
                "Accepted",
                "True",
                "ListenersNotValid",
                "The Gateway has at least one valid listener",
            )
        )
    status: dict = {}
    if gateway.address:
        status["addresses"] = [{"type": "IPAddress", "value": gateway.address}]
    status["conditions"] = conditions_as_api(
        dedupe(conditions), generation, now, previous.get("conditions")
    )
    status["listeners"] = listeners
    return status


def parent_conditions(route: Route, parent) -> list[Condition]:
    """A route's conditions for one parent: the defaults, overridden by its failures."""
    return dedupe([*_ROUTE_DEFAULTS, *route.conditions, *parent.conditions])


def route_status(route: Route, now: str, previous: dict | None) -> dict:
    """An HTTPRoute's status: one entry per parentRef to a managed Gateway."""
    generation = route.obj["metadata"].get("generation", 1)
    old = [item.get("conditions") for item in (previous or {}).get("parents") or ()]
    parents = []
    for index, parent in enumerate(route.parents):
        merged = parent_conditions(route, parent)
        ref = {
            "group": GROUP,
            "kind": "Gateway",
            "name": parent.gateway[1],
            "namespace": parent.gateway[0],
        }
        if parent.ref.get("sectionName"):
            ref["sectionName"] = parent.ref["sectionName"]
        if parent.ref.get("port") is not None:
            ref["port"] = parent.ref["port"]
        parents.append({
            "conditions": conditions_as_api(
                merged, generation, now, old[index] if index < len(old) else None
            ),
            "controllerName": CONTROLLER_NAME,
            "parentRef": ref,
        })  # fmt: skip
    return {"parents": parents}


def accepted(route: Route) -> bool:
    """The route is accepted by at least one managed Gateway (and so is served)."""
    return any(parent.attached and not parent.conditions for parent in route.parents)


def pending_gateway_status() -> dict:
    """The CRD's default status: what a Gateway no controller serves keeps."""
    since = "1970-01-01T00:00:00Z"
    return {
        "conditions": [
            {"lastTransitionTime": since, "message": "Waiting for controller",
             "reason": "Pending", "status": "Unknown", "type": kind}
            for kind in ("Accepted", "Programmed")
        ]
    }  # fmt: skip


def graph_statuses(graph: Graph, objects: dict, now: str) -> dict[tuple[str, str, str], dict]:
    """Every status NGF writes, keyed by ``(kind, namespace, name)``.

    Args:
        graph: the resolved graph.
        objects: the stored objects by the same key (their current status is the
            "previous" one, for transition times).
        now: the RFC 3339 time of this write.
    """
    out: dict[tuple[str, str, str], dict] = {}
    for name, conditions in graph.classes.items():
        key = ("GatewayClass", "", name)
        obj = objects.get(key) or {"metadata": {}}
        out[key] = gateway_class_status(
            conditions, obj["metadata"].get("generation", 1), now, obj.get("status")
        )
    for gateway in graph.gateways.values():
        key = ("Gateway", *gateway.key)
        out[key] = gateway_status(gateway, now, (objects.get(key) or {}).get("status"))
    for route in graph.routes.values():
        key = ("HTTPRoute", *route.key)
        out[key] = route_status(route, now, (objects.get(key) or {}).get("status"))
    return out
