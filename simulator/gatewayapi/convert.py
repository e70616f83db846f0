"""Ingress to Gateway API, as ``ingress2gateway print --providers=ingress-nginx`` converts it.

ingress2gateway v1.0.0 (kubernetes-sigs/ingress2gateway, March 2026), read in
``pkg/i2gw/providers/common/converter.go`` and ``providers/ingressnginx``:

* Ingresses of the chosen IngressClass (``nginx`` by default), taken in name order, are
  grouped by namespace, class and host. Each group becomes an HTTPRoute named
  ``<first Ingress>-<host with non-alphanumerics as ->`` (``all-hosts`` without a host),
  attached to the Gateway named after the class, with one rule per distinct path
  (``rule-0``, ``rule-1``...) whose backendRefs are every Service the Ingresses send that
  path to. ``ImplementationSpecific`` paths become ``PathPrefix`` (ingress-nginx treats them
  so); a named Service port is looked up in the Service.
* One Gateway per namespace and class: for each group an HTTP listener ``<host>-http`` on
  port 80, and ``<host>-https`` on 443 with the group's TLS Secrets when its Ingresses have
  a ``tls`` section.
* A ``defaultBackend`` becomes the route ``<ingress>-default-backend`` (no hostnames, no
  matches).
* ingress-nginx annotations (`nginx_features`): canary weights and headers, the HTTP to
  HTTPS redirect (``ssl-redirect``), ``rewrite-target``, trailing-slash redirects;
  annotations it does not know are reported, and so are behaviours it cannot translate.

Kubeplay's one deliberate difference: the Gateway's ``gatewayClassName`` is the cluster's
GatewayClass (``nginx``, NGINX Gateway Fabric) even when the IngressClass has another name,
and the notes say so; ingress2gateway copies the IngressClass name. Output is sorted by
namespace and name (ingress2gateway prints in Go map order).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from .model import CLASS_NAME

GENERATOR = "gateway.networking.k8s.io/generator"
VERSION = "ingress2gateway-v1.0.0"
_NON_ALNUM = re.compile(r"[^a-zA-Z0-9]+")
_LEADING = re.compile(r"^[^a-zA-Z0-9]+")


@dataclass(frozen=True, slots=True)
class Notification:
    """One entry of ingress2gateway's report.

    Attributes:
        level: ``INFO``, ``WARNING`` or ``ERROR``.
        message: what it says.
        source: who says it: ``ingress-nginx``, ``standard_emitter`` or ``kubeplay``.
        objects: ``Kind: namespace/name`` of the objects it is about.
    """

    level: str
    message: str
    source: str = "ingress-nginx"
    objects: tuple[str, ...] = ()


@dataclass(slots=True)
class RuleSource:
    """Which Ingress (and whether a canary) each backendRef of a route rule came from."""

    ingress: dict
    backend: dict | None = None


@dataclass(slots=True)
class RouteDraft:
    """An HTTPRoute being built, with the Ingress behind each backendRef of each rule."""

    route: dict
    sources: list[list[RuleSource]] = field(default_factory=list)


def ingress_class(ingress: dict) -> str:
    """``spec.ingressClassName``, else the legacy ``kubernetes.io/ingress.class`` annotation."""
    name = (ingress.get("spec") or {}).get("ingressClassName")
    if name:
        return name
    return ((ingress["metadata"].get("annotations") or {}).get("kubernetes.io/ingress.class")) or ""


def name_from_host(host: str) -> str:
    """ingress2gateway's ``NameFromHost``: ``foo.example.com`` -> ``foo-example-com``."""
    if not host or host == "*":
        return "all-hosts"
    return _LEADING.sub("", _NON_ALNUM.sub("-", host))


def _backend_ref(namespace: str, backend: dict, services: dict, notes: list) -> dict | None:
    service = backend.get("service")
    if service is None:
        resource = backend.get("resource") or {}
        ref = {"kind": resource.get("kind", ""), "name": resource.get("name", "")}
        if resource.get("apiGroup") is not None:
            ref["group"] = resource["apiGroup"]
        return ref
    port = service.get("port") or {}
    if port.get("name"):
        obj = services.get((namespace, service["name"]))
        number = next(
            (p["port"] for p in (obj or {}).get("spec", {}).get("ports") or ()
             if p.get("name") == port["name"]),
            None,
        )  # fmt: skip
        if number is None:
            notes.append(
                Notification(
                    "ERROR",
                    f'paths.backends.service.port: Invalid value: "name": cannot find port '
                    f"with name {port['name']} in service {service['name']}",
                )
            )
            return None
        return {"name": service["name"], "port": number}
    return {"name": service["name"], "port": port.get("number")}


def _match(path: dict) -> dict:
    kind = path.get("pathType") or "ImplementationSpecific"
    kind = {"Exact": "Exact", "Prefix": "PathPrefix"}.get(kind, "PathPrefix")
    return {"path": {"type": kind, "value": path.get("path") or "/"}}


@dataclass(slots=True)
class _Group:
    namespace: str
    name: str
    ingress_class: str
    host: str
    tls: list[dict] = field(default_factory=list)
    rules: list[tuple[dict, dict]] = field(default_factory=list)  # (ingress, rule)


def _route_for(group: _Group, services: dict, notes: list) -> RouteDraft:
    route: dict = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": f"{group.name}-{name_from_host(group.host)}",
                     "namespace": group.namespace},
        "spec": {},
    }  # fmt: skip
    if group.ingress_class:
        route["spec"]["parentRefs"] = [{"name": group.ingress_class}]
    if group.host:
        route["spec"]["hostnames"] = [group.host]
    by_key: dict[tuple[str, str], list[tuple[dict, dict]]] = {}
    for ingress, rule in group.rules:
        for path in (rule.get("http") or {}).get("paths") or ():
            key = (path.get("pathType") or "", path.get("path") or "")
            by_key.setdefault(key, []).append((ingress, path))
    draft = RouteDraft(route)
    rules: list[dict[str, Any]] = []
    for paths in by_key.values():
        refs, sources = [], []
        for ingress, path in paths:
            ref = _backend_ref(group.namespace, path.get("backend") or {}, services, notes)
            if ref is not None:
                refs.append(ref)
                sources.append(RuleSource(ingress, path.get("backend")))
        rules.append({"backendRefs": refs, "matches": [_match(paths[0][1])]})
        draft.sources.append(sources)
    for index, rule in enumerate(rules):
        rule["name"] = f"rule-{index}"
    route["spec"]["rules"] = rules
    return draft


def _listeners(groups: list[_Group]) -> list[dict]:
    listeners: dict[str, dict] = {}
    for group in groups:
        hostname = group.host
        if not hostname and len(group.tls) == 1 and len(group.tls[0].get("hosts") or ()) == 1:
            hostname = group.tls[0]["hosts"][0]
        prefix = f"{name_from_host(hostname)}-" if hostname else ""
        listener: dict[str, Any] = {"name": f"{prefix}http", "port": 80, "protocol": "HTTP"}
        if hostname:
            listener["hostname"] = hostname
        listeners.setdefault(listener["name"], listener)
        if not group.tls:
            continue
        https = listeners.setdefault(
            f"{prefix}https",
            {**listener, "name": f"{prefix}https", "port": 443, "protocol": "HTTPS",
             "tls": {"certificateRefs": []}},
        )  # fmt: skip
        refs = https["tls"]["certificateRefs"]
        for entry in group.tls:
            secret = entry.get("secretName", "")
            if all(ref["name"] != secret for ref in refs):
                refs.append({"group": "", "kind": "Secret", "name": secret})
    return list(listeners.values())


def aggregate(
    ingresses: list[dict], services: dict, gateway_class: str = CLASS_NAME
) -> tuple[list[dict], list[RouteDraft], list[Notification]]:
    """Ingresses (of one class, in name order) to Gateways and route drafts (common.ToIR)."""
    notes: list[Notification] = []
    groups: dict[tuple[str, str, str], _Group] = {}
    defaults = []
    for ingress in ingresses:
        meta, spec = ingress["metadata"], ingress.get("spec") or {}
        namespace, klass = meta.get("namespace", ""), ingress_class(ingress)
        for rule in spec.get("rules") or ():
            key = (namespace, klass, rule.get("host") or "")
            group = groups.setdefault(key, _Group(namespace, meta["name"], klass, key[2]))
            group.tls += copy.deepcopy(spec.get("tls") or [])
            group.rules.append((ingress, rule))
        if spec.get("defaultBackend") is not None:
            defaults.append((ingress, namespace, klass))
    ordered = [groups[key] for key in sorted(groups, key=lambda k: "/".join((*k, "http")))]
    drafts = [_route_for(group, services, notes) for group in ordered]
    for ingress, namespace, klass in defaults:
        ref = _backend_ref(namespace, ingress["spec"]["defaultBackend"], services, notes)
        route = {
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": f"{ingress['metadata']['name']}-default-backend",
                         "namespace": namespace},
            "spec": {"parentRefs": [{"name": klass}],
                     "rules": [{"backendRefs": [ref], "name": "rule-0"}] if ref else []},
        }  # fmt: skip
        drafts.append(RouteDraft(route, [[RuleSource(ingress, ingress["spec"]["defaultBackend"])]]))
    gateways = []
    for namespace, klass in sorted({(g.namespace, g.ingress_class) for g in ordered}):
        members = [g for g in ordered if (g.namespace, g.ingress_class) == (namespace, klass)]
        gateways.append({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "Gateway",
            "metadata": {"name": klass, "namespace": namespace},
            "spec": {"gatewayClassName": gateway_class, "listeners": _listeners(members)},
        })  # fmt: skip
        if klass != gateway_class:
            notes.append(
                Notification(
                    "INFO",
                    f"Gateway {namespace}/{klass}: gatewayClassName is {gateway_class}, the "
                    f"GatewayClass of NGINX Gateway Fabric in this cluster (ingress2gateway "
                    f"would copy the IngressClass name, {klass})",
                    "kubeplay",
                )
            )
    return gateways, drafts, notes
