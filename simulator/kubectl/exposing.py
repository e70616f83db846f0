"""`kubectl expose`: a Service built from a workload's selector and ports (kubectl's expose.go)."""

from __future__ import annotations

from .applying import create_objects
from .changing import MISSING_FILES
from .context import Context
from .errors import error
from .resources import find, parse_request

EXPOSABLE = ("Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet")


def _pod_selector(obj: dict) -> str:
    kind, spec = obj["kind"], obj.get("spec") or {}
    if kind == "ReplicationController":
        labels = spec.get("selector") or {}
    elif kind == "Pod":
        labels = obj["metadata"].get("labels") or {}
        if not labels:
            raise error(
                "couldn't retrieve selectors via --selector flag or introspection: the "
                "pod has no labels and cannot be exposed"
            )
    elif kind == "Service":
        labels = spec.get("selector")
        if labels is None:
            raise error(
                "couldn't retrieve selectors via --selector flag or introspection: the "
                "service has no pod selector set"
            )
    else:
        selector = spec.get("selector") or {}
        noun = "deployment" if kind == "Deployment" else "replicaset"
        if not selector.get("matchLabels"):
            raise error(
                f"couldn't retrieve selectors via --selector flag or introspection: "
                f"invalid {noun}: no selectors, therefore cannot be exposed"
            )
        if selector.get("matchExpressions"):
            raise error(
                "couldn't retrieve selectors via --selector flag or introspection: "
                "couldn't convert expressions to map-based selector format"
            )
        labels = selector["matchLabels"]
    return ",".join(f"{k}={v}" for k, v in labels.items())


def _object_ports(obj: dict) -> tuple[list[str], dict[str, list[str]]]:
    """Ports to expose (deduplicated) and each port's protocols, from containers or a Service."""
    if obj["kind"] == "Service":
        service_ports = (obj.get("spec") or {}).get("ports") or ()
        pairs = [(str(p.get("port")), p.get("protocol") or "TCP") for p in service_ports]
    else:
        spec = obj.get("spec") or {}
        pod_spec = (
            spec if obj["kind"] == "Pod" else ((spec.get("template") or {}).get("spec") or {})
        )
        pairs = [
            (str(p.get("containerPort")), p.get("protocol") or "TCP")
            for c in pod_spec.get("containers") or ()
            for p in c.get("ports") or ()
        ]
    ports: list[str] = []
    protocols: dict[str, list[str]] = {}
    for port, protocol in pairs:
        if port not in ports:
            ports.append(port)
        if protocol not in protocols.setdefault(port, []):
            protocols[port].append(protocol)
    return ports, protocols


def _parse_map(text: str, what: str) -> dict[str, str]:
    out = {}
    for spec in text.split(","):
        key, sep, value = spec.partition("=")
        if not sep or "=" in value:
            raise error(f"unexpected {what} spec: {spec}")
        if not key:
            raise error(f"unexpected empty {what} key")
        out[key] = value
    return out


def build_service(obj: dict, flags: dict) -> dict:
    """The Service `kubectl expose` makes for `obj` (kubectl's `createService`).

    Args:
        obj: the exposed Pod, Service, ReplicationController, Deployment or ReplicaSet.
        flags: `port`, `target-port`, `type`, `name`, `protocol`, `selector`, `labels`,
            `external-ip`, `session-affinity`, `cluster-ip`, `load-balancer-ip`.

    Raises:
        KubectlError: when no selector or port can be found, as kubectl words it.
    """
    selector_text = flags.get("selector") or _pod_selector(obj)
    if not selector_text:
        raise error("selector must be specified")
    selector = _parse_map(selector_text, "label")
    headless = flags.get("cluster-ip") == "None"
    port_flag = flags.get("port")
    ports_found, protocols = _object_ports(obj)
    ports = [str(port_flag)] if port_flag else ports_found
    if not ports and not headless:
        raise error("couldn't find port via --port flag or introspection")
    labels = (
        _parse_map(flags["labels"], "label")
        if flags.get("labels")
        else dict(obj["metadata"].get("labels") or {})
    )
    name = flags.get("name") or obj["metadata"]["name"][:63]
    service_ports = []
    for i, port in enumerate(ports):
        try:
            number = int(port)
        except ValueError:
            raise error(f'strconv.Atoi: parsing "{port}": invalid syntax') from None
        port_name = f"port-{i + 1}" if len(ports) > 1 else ""
        chosen = flags.get("protocol")
        if not chosen and protocols.get(port) and len(protocols[port]) > 1:
            for proto in protocols[port]:
                service_ports.append(
                    {"name": f"port-{i + 1}-{proto.lower()}", "port": number, "protocol": proto}
                )
            continue
        proto = chosen or (protocols.get(port) or ["TCP"])[0]
        entry = {"port": number, "protocol": proto}
        if port_name:
            entry = {"name": port_name, **entry}
        service_ports.append(entry)
    target = flags.get("target-port")
    for entry in service_ports:
        if target:
            entry["targetPort"] = int(target) if str(target).isdigit() else target
        else:
            entry["targetPort"] = entry["port"]
    spec: dict = {"ports": service_ports, "selector": selector}
    if flags.get("external-ip"):
        spec["externalIPs"] = [flags["external-ip"]]
    if flags.get("type"):
        spec["type"] = flags["type"]
        if flags["type"] == "LoadBalancer" and flags.get("load-balancer-ip"):
            spec["loadBalancerIP"] = flags["load-balancer-ip"]
    if flags.get("session-affinity"):
        if flags["session-affinity"] not in ("None", "ClientIP"):
            raise error(f"unknown session affinity: {flags['session-affinity']}")
        spec["sessionAffinity"] = flags["session-affinity"]
    if flags.get("cluster-ip"):
        spec["clusterIP"] = flags["cluster-ip"]
    metadata: dict = {"name": name}
    if labels:
        metadata["labels"] = labels
    return {"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec}


def expose(ctx: Context) -> None:
    """`kubectl expose TYPE NAME --port=P [--target-port=T] [--type=T] [--name=N]`."""
    a = ctx.args
    if not a.positional:
        raise error(MISSING_FILES)
    request = parse_request(a.positional, allow_all=False)
    if not request.by_name:
        raise error(MISSING_FILES)
    for rt in request.types:
        if rt.kind not in EXPOSABLE:
            raise error(f"cannot expose a {rt.kind}{'.' + rt.group if rt.group else ''}")
    found = find(ctx.state, request, ctx.namespace)
    for f in found:
        for line in f.errors:
            ctx.error(line)
        for obj in f.objects:
            flags = {k: str(v) for k, v in a.flags.items() if v is not None}
            service = build_service(obj, flags)
            if ctx.explicit_namespace:
                service["metadata"]["namespace"] = ctx.namespace
            create_objects(ctx, [service], action="exposed")
