"""What an inspector shows about a Gateway or an HTTPRoute: conditions, and what status omits.

The conditions are NGINX Gateway Fabric's, as it writes them (`gatewayapi.status`): a
Gateway's own and each listener's, or a route's per parent. A Gateway of another class and
a route's parentRef to a missing or foreign Gateway get no status from any controller, so
the inspector says in words why nothing serves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .gatewayapi.model import CLASS_NAME
from .gatewayapi.status import gateway_status, parent_conditions
from .gateways import gateway_graph
from .hints import Hint, hint


@dataclass(frozen=True, slots=True)
class ConditionRow:
    """One condition of a Gateway, one of its listeners, or an HTTPRoute's parent.

    `scope` names what it is about: ``Gateway``, ``listener https``, or the parent Gateway
    (``Gateway default/kubia``) for a route.
    """

    scope: str
    type: str
    status: str
    reason: str
    message: str


def gateway_conditions(
    state: Any, kind: str, namespace: str, name: str
) -> tuple[tuple[ConditionRow, ...], tuple[Hint, ...]]:
    """The conditions and notes of a Gateway or HTTPRoute (empty when it does not exist)."""
    graph = gateway_graph(state)
    rows: list[ConditionRow] = []
    notes: list[Hint] = []
    if kind == "Gateway":
        gateway = graph.gateways.get((namespace, name))
        if gateway is None:
            obj = state.store.get("Gateway", namespace, name)
            klass = ((obj or {}).get("spec") or {}).get("gatewayClassName", "")
            notes.append(hint("gateway-class-unserved", class_name=klass, served=CLASS_NAME))
            return (), tuple(notes)
        status = gateway_status(gateway, "", None)
        rows += [_row("Gateway", c) for c in status["conditions"]]
        for listener in status["listeners"]:
            scope = f"listener {listener['name']} ({listener['attachedRoutes']} routes)"
            rows += [_row(scope, c) for c in listener["conditions"]]
        return tuple(rows), tuple(notes)
    route = graph.routes.get((namespace, name))
    if route is None:
        return (), ()
    for parent in route.parents:
        scope = f"Gateway {parent.gateway[0]}/{parent.gateway[1]}"
        if parent.ref.get("sectionName"):
            scope += f" ({parent.ref['sectionName']})"
        for condition in parent_conditions(route, parent):
            rows.append(ConditionRow(scope, condition.type, condition.status, condition.reason,
                                     condition.message))  # fmt: skip
    for ref, why in route.ignored:
        notes.append(hint("route-parent-ignored", name=ref.get("name", ""), why=why))
    if not route.parents and not route.ignored:
        notes.append(hint("route-no-parent-refs"))
    return tuple(rows), tuple(notes)


def _row(scope: str, condition: dict) -> ConditionRow:
    return ConditionRow(scope, condition["type"], condition["status"], condition["reason"],
                        condition["message"])  # fmt: skip
