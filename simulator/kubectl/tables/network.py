"""Tables of Services, Endpoints, EndpointSlices, Ingresses, IngressClasses and NetworkPolicies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from simulator.labels import format_labels

from .base import RowContext, format_selector_or_none, lb_ingress, list_with_more


def service_external_ip(svc: dict, wide: bool) -> str:
    """EXTERNAL-IP of a Service (`getServiceExternalIP`)."""
    spec = svc.get("spec") or {}
    kind = spec.get("type") or "ClusterIP"
    external = spec.get("externalIPs") or []
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        lb = lb_ingress(svc.get("status"), wide)
        if external:
            return ",".join(([*lb.split(",")] if lb else []) + list(external))
        return lb or "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def service_ports(ports: Iterable[dict]) -> str:
    """PORT(S) of a Service: `80/TCP`, `80:30123/TCP`, comma-joined (`makePortString`)."""
    pieces = []
    for p in ports:
        proto = p.get("protocol") or "TCP"
        if p.get("nodePort"):
            pieces.append(f"{p.get('port')}:{p['nodePort']}/{proto}")
        else:
            pieces.append(f"{p.get('port')}/{proto}")
    return ",".join(pieces)


def service_row(svc: dict, ctx: RowContext) -> list[str]:
    """A services row: TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE (+ SELECTOR)."""
    spec = svc.get("spec") or {}
    ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    row = [
        svc["metadata"]["name"],
        spec.get("type") or "ClusterIP",
        ips[0] if ips else "<none>",
        service_external_ip(svc, ctx.wide),
        service_ports(spec.get("ports") or ()) or "<none>",
        ctx.age(svc),
    ]
    if ctx.wide:
        row.append(format_labels(spec.get("selector")))
    return row


def format_endpoints(endpoints: dict) -> str:
    """ENDPOINTS of an Endpoints object: ready `ip:port`s, max 3 then ` + N more...`.

    `<none>` when there are no subsets; empty when subsets only hold
    notReadyAddresses (`printers.go formatEndpoints`).
    """
    subsets = endpoints.get("subsets") or ()
    if not subsets:
        return "<none>"
    items: list[str] = []
    count = 0
    limit = 3
    for subset in subsets:
        addresses = subset.get("addresses") or ()
        ports = subset.get("ports") or ()
        if not ports:
            count += len(addresses)
            for a in addresses:
                if len(items) == limit:
                    break
                items.append(a.get("ip", ""))
            continue
        for port in ports:
            count += len(addresses)
            for a in addresses:
                if len(items) == limit:
                    break
                ip = a.get("ip", "")
                host = f"[{ip}]" if ":" in ip else ip
                items.append(f"{host}:{port.get('port')}")
    return list_with_more(items, count, limit)


def endpoints_row(ep: dict, ctx: RowContext) -> list[str]:
    """An endpoints row: ready `ip:port`s and AGE."""
    return [ep["metadata"]["name"], format_endpoints(ep), ctx.age(ep)]


def endpointslice_row(eps: dict, ctx: RowContext) -> list[str]:
    """An endpointslices row: ADDRESSTYPE, PORTS, ENDPOINTS, AGE."""
    ports = []
    for p in eps.get("ports") or ():
        if p.get("port") is not None:
            ports.append(str(p["port"]))
        elif p.get("name") is not None:
            ports.append(p["name"])
        else:
            ports.append("*")
    addresses = [a for e in eps.get("endpoints") or () for a in e.get("addresses") or ()]
    return [
        eps["metadata"]["name"],
        eps.get("addressType", ""),
        list_with_more(ports[:3], len(ports)) or "<unset>",
        list_with_more(addresses[:3], len(addresses)) or "<unset>",
        ctx.age(eps),
    ]


def ingress_hosts(rules: Sequence[dict]) -> str:
    """HOSTS of an Ingress: rule hosts, `*` if none, max 3 then ` + N more...` (`formatHosts`)."""
    hosts: list[str] = []
    more = False
    for rule in rules:
        if len(hosts) == 3:
            more = True
        if not more and rule.get("host"):
            hosts.append(rule["host"])
    if not hosts:
        return "*"
    text = ",".join(hosts)
    return f"{text} + {len(rules) - 3} more..." if more else text


def ingress_row(ing: dict, ctx: RowContext) -> list[str]:
    """An ingresses row: CLASS, HOSTS, ADDRESS, PORTS, AGE."""
    spec = ing.get("spec") or {}
    return [
        ing["metadata"]["name"],
        spec.get("ingressClassName") or "<none>",
        ingress_hosts(spec.get("rules") or ()),
        lb_ingress(ing.get("status"), ctx.wide),
        "80, 443" if spec.get("tls") else "80",
        ctx.age(ing),
    ]


def ingressclass_row(ic: dict, ctx: RowContext) -> list[str]:
    """An ingressclasses row: CONTROLLER, PARAMETERS, AGE."""
    spec = ic.get("spec") or {}
    params = spec.get("parameters")
    text = "<none>"
    if params:
        text = params.get("kind", "")
        if params.get("apiGroup"):
            text += "." + params["apiGroup"]
        text += "/" + params.get("name", "")
    return [ic["metadata"]["name"], spec.get("controller", ""), text, ctx.age(ic)]


def networkpolicy_row(policy: dict, ctx: RowContext) -> list[str]:
    """A networkpolicies row: POD-SELECTOR (`<none>` for `{}`: every pod), AGE."""
    selector = (policy.get("spec") or {}).get("podSelector") or {}
    return [policy["metadata"]["name"], format_selector_or_none(selector), ctx.age(policy)]
