"""Gateways and HTTPRoutes in the snapshot: what a viewer draws, resolved by the simulator.

Each entry carries what the diagram needs without working out any Gateway API rule
itself: a Gateway's address, whether NGINX Gateway Fabric accepted and programmed it (and
why not), its listeners with their attached routes; a route's parents with its
``Accepted``/``ResolvedRefs`` conditions, the parentRefs no controller answers for (and
why), and per rule its matches and filters in words and its backends with their weights
and whether each resolved (and why not).
"""

from __future__ import annotations

from typing import Any

from .gatewayapi.filters import describe_filter
from .gatewayapi.matching import describe_match, short_match
from .gatewayapi.model import CLASS_NAME, Condition
from .gatewayapi.provisioner import data_plane_name
from .gatewayapi.status import gateway_status, parent_conditions
from .gateways import gateway_graph

#: Kinds whose changes may change any Gateway's or HTTPRoute's entry.
INPUT_KINDS = frozenset(
    {"GatewayClass", "Gateway", "HTTPRoute", "ReferenceGrant", "Service", "Secret", "Namespace"}
)


def _condition(conditions: list[dict], kind: str) -> dict:
    return next((c for c in conditions if c.get("type") == kind), {})


def gateway_entry(state: Any, gateway: dict) -> dict:
    """One Gateway: class, address, acceptance, listeners."""
    meta, spec = gateway["metadata"], gateway.get("spec") or {}
    key = (meta.get("namespace", ""), meta["name"])
    entry = {
        "namespace": key[0],
        "name": key[1],
        "className": spec.get("gatewayClassName", ""),
        "managed": False,
        "address": None,
        "accepted": "Unknown",
        "programmed": "Unknown",
        "reason": f"no controller in this cluster serves GatewayClass "
        f"{spec.get('gatewayClassName', '')}: only {CLASS_NAME} (NGINX Gateway Fabric)",
        "dataPlane": None,
        "listeners": [
            {"name": item.get("name", ""), "port": item.get("port"),
             "protocol": item.get("protocol", ""), "hostname": item.get("hostname") or "",
             "attachedRoutes": 0, "valid": False, "reason": ""}
            for item in spec.get("listeners") or ()
        ],
    }  # fmt: skip
    resolved = gateway_graph(state).gateways.get(key)
    if resolved is None:
        return entry
    status = gateway_status(resolved, "", None)
    accepted = _condition(status["conditions"], "Accepted")
    programmed = _condition(status["conditions"], "Programmed")
    entry.update(
        managed=True,
        address=resolved.address,
        accepted=accepted.get("status", "Unknown"),
        programmed=programmed.get("status", "Unknown"),
        reason="" if programmed.get("status") == "True" and accepted.get("status") == "True"
        else programmed.get("message") or accepted.get("message", ""),
        dataPlane={"namespace": key[0], "name": data_plane_name(key[1])},
    )  # fmt: skip
    for shown, listener, listed in zip(
        entry["listeners"], resolved.listeners, status["listeners"], strict=False
    ):
        failing: dict = next((c for c in listed["conditions"] if c["type"] == "Programmed"), {})
        shown.update(
            attachedRoutes=listed["attachedRoutes"],
            valid=listener.valid,
            reason="" if listener.valid else failing.get("message", ""),
        )
    return entry


def httproute_entry(state: Any, route: dict) -> dict:
    """One HTTPRoute: its parents and their conditions, its rules and their backends."""
    meta = route["metadata"]
    key = (meta.get("namespace", ""), meta["name"])
    resolved = gateway_graph(state).routes.get(key)
    entry: dict = {
        "namespace": key[0],
        "name": key[1],
        "hostnames": list((route.get("spec") or {}).get("hostnames") or ()),
        "parents": [],
        "ignored": [],
        "rules": [],
        "accepted": False,
    }
    if resolved is None:
        return entry
    for parent in resolved.parents:
        conditions = parent_conditions(resolved, parent)
        accepted = next(c for c in conditions if c.type == "Accepted")
        refs = next(c for c in conditions if c.type == "ResolvedRefs")
        entry["parents"].append({
            "namespace": parent.gateway[0],
            "name": parent.gateway[1],
            "sectionName": parent.ref.get("sectionName"),
            "port": parent.ref.get("port"),
            "listeners": sorted(parent.hostnames),
            "conditions": [_shown(c) for c in conditions],
            "accepted": accepted.status == "True",
            "reason": "" if accepted.status == "True" else f"{accepted.reason}: {accepted.message}",
            "resolved": refs.status == "True",
        })  # fmt: skip
    entry["ignored"] = [
        {
            "name": ref.get("name", ""),
            "namespace": ref.get("namespace") or key[0],
            "reason": str(why),
            "reasonWords": why.to_dict(),
        }
        for ref, why in resolved.ignored
    ]
    entry["accepted"] = any(p["accepted"] for p in entry["parents"])
    entry["urls"] = route_urls(gateway_graph(state), resolved)
    for rule in resolved.rules:
        redirect = next((f for f in rule.filters if f.get("type") == "RequestRedirect"), None)
        entry["rules"].append({
            "index": rule.index,
            "name": rule.name,
            "matches": [describe_match(m) for m in rule.matches],
            "label": " | ".join(short_match(m) for m in rule.matches) or "/",
            "filters": [describe_filter(f) for f in rule.filters],
            "redirect": describe_filter(redirect) if redirect else None,
            "problem": rule.problem,
            "backends": [
                {"namespace": b.namespace, "service": b.name, "port": b.port,
                 "weight": b.weight, "valid": b.valid, "reason": b.reason,
                 "message": b.message}
                for b in rule.backends
            ],
        })  # fmt: skip
    return entry


def route_urls(graph, route) -> list[str]:
    """URLs a learner can request through the route: each exact hostname it is served under,
    by scheme of the listener (the first rule's path when it has one)."""
    rules = route.rules
    path = "/"
    if rules and rules[0].matches:
        first = rules[0].matches[0].get("path") or {}
        if first.get("type") in ("Exact", "PathPrefix"):
            path = first.get("value", "/")
    urls = []
    for parent in route.parents:
        gateway = graph.gateways.get(parent.gateway)
        if gateway is None or not parent.attached or parent.conditions:
            continue
        protocols = {item.name: item.protocol for item in gateway.listeners}
        for listener, hostnames in parent.hostnames.items():
            scheme = "https" if protocols.get(listener) == "HTTPS" else "http"
            for host in hostnames:
                if host != "*" and not host.startswith("*."):
                    url = f"{scheme}://{host}{path}"
                    if url not in urls:
                        urls.append(url)
    return urls


def _shown(condition: Condition) -> dict:
    return {
        "type": condition.type,
        "status": condition.status,
        "reason": condition.reason,
        "message": condition.message,
    }
