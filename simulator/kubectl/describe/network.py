"""Describe texts of Services, Endpoints, EndpointSlices, Ingresses and IngressClasses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from simulator.labels import format_labels

from .writer import Writer, annotations_multiline, describe_events, labels_multiline, meta_of


def format_endpoint_slices(slices: Sequence[dict] | None, port_name: str | None) -> str:
    """Ready endpoints of a Service port from its EndpointSlices (`formatEndpointSlices`).

    `<none>` without slices; empty when none is ready; max 3 then ` + N more...`.
    """
    if not slices:
        return "<none>"
    items: list[str] = []
    limit, more, count = 3, False, 0
    for s in slices:
        endpoints = s.get("endpoints") or ()
        ports = s.get("ports") or ()
        if not ports:
            for e in endpoints:
                if len(items) == limit:
                    more = True
                if (e.get("conditions") or {}).get("ready") is False:
                    continue
                if not more:
                    items.append((e.get("addresses") or [""])[0])
                count += 1
            continue
        for p in ports:
            if port_name is not None and (p.get("name") or "") != port_name:
                continue
            for e in endpoints:
                if len(items) == limit:
                    more = True
                if (e.get("conditions") or {}).get("ready") is False:
                    continue
                if not more:
                    addr = (e.get("addresses") or [""])[0]
                    host = f"[{addr}]" if ":" in addr else addr
                    items.append(f"{host}:{p.get('port')}")
                count += 1
    text = ",".join(items)
    return f"{text} + {count - limit} more..." if more else text


def describe_service(
    svc: dict, slices: Sequence[dict] | None, events: Sequence[Any] | None, now: float
) -> str:
    """`kubectl describe service` (EndpointSlice-based `Endpoints:` lines)."""
    w = Writer()
    meta, spec = meta_of(svc), svc.get("spec") or {}
    lb = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type') or 'ClusterIP'}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    families = spec.get("ipFamilies") or ()
    w.write(0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    ips = spec.get("clusterIPs") or ()
    w.write(0, f"IPs:\t{','.join(ips) if ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    if lb:
        parts = []
        for item in lb:
            if item.get("ip"):
                parts.append(item["ip"] + (f" ({item['ipMode']})" if item.get("ipMode") else ""))
            else:
                parts.append(item.get("hostname", ""))
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(parts)}\n")
    for p in spec.get("ports") or ():
        name = p.get("name") or "<unset>"
        proto = p.get("protocol") or "TCP"
        w.write(0, f"Port:\t{name}\t{p.get('port')}/{proto}\n")
        target = p.get("targetPort", p.get("port"))
        w.write(0, f"TargetPort:\t{target}/{proto}\n")
        if p.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{p['nodePort']}/{proto}\n")
        w.write(0, f"Endpoints:\t{format_endpoint_slices(slices, p.get('name') or '')}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity') or 'None'}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy"):
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    describe_events(w, events, now)
    return w.text()


def describe_endpoints(ep: dict, events: Sequence[Any] | None, now: float) -> str:
    """`kubectl describe endpoints`."""
    w = Writer()
    meta = meta_of(ep)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Subsets:\n")
    for subset in ep.get("subsets") or ():
        ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or ())
        not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or ())
        w.write(1, f"Addresses:\t{ready or '<none>'}\n")
        w.write(1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        ports = subset.get("ports") or ()
        if ports:
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for p in ports:
                name, proto = p.get("name") or "<unset>", p.get("protocol") or "TCP"
                w.write(2, f"{name}\t{p.get('port')}\t{proto}\n")
        w.write(0, "\n")
    describe_events(w, events, now)
    return w.text()


def describe_endpointslice(eps: dict, events: Sequence[Any] | None, now: float) -> str:
    """`kubectl describe endpointslice` (the common fields)."""
    w = Writer()
    meta = meta_of(eps)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"AddressType:\t{eps.get('addressType', '')}\n")
    ports = eps.get("ports") or ()
    if not ports:
        w.write(0, "Ports:\t<unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for p in ports:
            port = p.get("port")
            w.write(
                1,
                f"{p.get('name') or '<unset>'}\t{'<unset>' if port is None else port}\t"
                f"{p.get('protocol') or 'TCP'}\n",
            )
    endpoints = eps.get("endpoints") or ()
    if not endpoints:
        w.write(0, "Endpoints:\t<none>\n")
    else:
        w.write(0, "Endpoints:\n")
        for e in endpoints:
            w.write(1, f"- Addresses:\t{','.join(e.get('addresses') or ())}\n")
            w.write(2, "Conditions:\n")
            cond = e.get("conditions") or {}
            for key, title in (
                ("ready", "Ready"),
                ("serving", "Serving"),
                ("terminating", "Terminating"),
            ):
                value = cond.get(key)
                w.write(3, f"{title}:\t{'<unset>' if value is None else str(value).lower()}\n")
            w.write(2, f"Hostname:\t{e.get('hostname') or '<unset>'}\n")
            ref = e.get("targetRef")
            w.write(
                2,
                f"TargetRef:\t{ref.get('kind')}/{ref.get('name')}\n"
                if ref
                else "TargetRef:\t<unset>\n",
            )
            w.write(2, f"NodeName:\t{e.get('nodeName') or '<unset>'}\n")
            w.write(2, f"Zone:\t{e.get('zone') or '<unset>'}\n")
    describe_events(w, events, now)
    return w.text()


BackendLookup = Callable[[str], tuple[dict | None, list[dict]]]


def _ingress_backend(backend: dict, lookup: BackendLookup) -> str:
    service = backend.get("service")
    if service is not None:
        port = service.get("port") or {}
        port_text = str(port["number"]) if port.get("number") else port.get("name", "")
        shown = f"{service.get('name', '')}:{port_text}"
        svc, slices = lookup(service.get("name", ""))
        if svc is None:
            return f'{shown} (<error: services "{service.get("name", "")}" not found>)'
        port_name = ""
        for sp in (svc.get("spec") or {}).get("ports") or ():
            if (
                port.get("number")
                and port["number"] == sp.get("port")
                or port.get("name")
                and port["name"] == sp.get("name")
            ):
                port_name = sp.get("name") or ""
        return f"{shown} ({format_endpoint_slices(slices, port_name)})"
    resource = backend.get("resource")
    if resource is not None:
        return (
            f"APIGroup: {resource.get('apiGroup') or '<none>'}, Kind: {resource.get('kind')}, "
            f"Name: {resource.get('name')}"
        )
    return ""


def ingress_address(ing: dict) -> str:
    """The Address line: every load-balancer IP or hostname, sorted, unclipped."""
    seen = set()
    for item in ((ing.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ():
        value = item.get("ip") or item.get("hostname")
        if value:
            seen.add(value)
    return ",".join(sorted(seen))


def describe_ingress(
    ing: dict, lookup: BackendLookup, events: Sequence[Any] | None, now: float
) -> str:
    """`kubectl describe ingress`.

    Args:
        lookup: service name -> (the Service or None, its EndpointSlices), in the
            Ingress's namespace.
    """
    w = Writer()
    meta, spec = meta_of(ing), ing.get("spec") or {}
    w.write(0, f"Name:\t{meta.get('name')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Address:\t{ingress_address(ing)}\n")
    w.write(0, f"Ingress Class:\t{spec.get('ingressClassName') or '<none>'}\n")
    default = spec.get("defaultBackend")
    default_text = _ingress_backend(default, lookup) if default else "<default>"
    w.write(0, f"Default backend:\t{default_text}\n")
    if spec.get("tls"):
        w.write(0, "TLS:\n")
        for t in spec["tls"]:
            hosts = ",".join(t.get("hosts") or ())
            if t.get("secretName"):
                w.write(1, f"{t['secretName']} terminates {hosts}\n")
            else:
                w.write(1, f"SNI routes {hosts}\n")
    w.write(0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(1, "----\t----\t--------\n")
    count = 0
    for rule in spec.get("rules") or ():
        if not rule.get("http"):
            continue
        count += 1
        w.write(1, f"{rule.get('host') or '*'}\t\n")
        for path in rule["http"].get("paths") or ():
            backend = _ingress_backend(path.get("backend") or {}, lookup)
            w.write(2, f"\t{path.get('path', '')} \t{backend}\n")
    if not count:
        w.write(1, f"*\t*\t{default_text}\n")
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    describe_events(w, events, now)
    return w.text()


def describe_ingressclass(ic: dict, events: Sequence[Any] | None, now: float) -> str:
    """`kubectl describe ingressclass`."""
    w = Writer()
    meta, spec = meta_of(ic), ic.get("spec") or {}
    w.write(0, f"Name:\t{meta.get('name')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Controller:\t{spec.get('controller', '')}\n")
    params = spec.get("parameters")
    if params:
        w.write(0, "Parameters:\n")
        if params.get("apiGroup"):
            w.write(1, f"APIGroup:\t{params['apiGroup']}\n")
        w.write(1, f"Kind:\t{params.get('kind', '')}\n")
        w.write(1, f"Name:\t{params.get('name', '')}\n")
    describe_events(w, events, now)
    return w.text()
