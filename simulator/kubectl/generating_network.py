"""`kubectl create service|ingress|secret`: Services, Ingresses and Secrets made from flags.

Objects are built as kubectl v1.35 builds them (`create_service.go`,
`create_ingress.go`, `create_secret_tls.go`, `create_secret.go`) and go
through the same manifest pipeline as a pasted one.
"""

from __future__ import annotations

import base64
import re

from simulator.shell import openssl

from .context import Context
from .errors import error

_RULE = re.compile(
    r"^(?P<host>[\w*.\-]*)(?P<path>/[^=]*)=(?P<service>[\w\-]+):(?P<port>[\w\-]+)"
    r"(?P<tls>,tls(?:=(?P<secret>[\w\-.]+))?)?$"
)
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
SERVICE_TYPES = {"clusterip": "ClusterIP", "nodeport": "NodePort",
                 "loadbalancer": "LoadBalancer", "externalname": "ExternalName"}  # fmt: skip


def metadata(ctx: Context, name: str, labels: dict | None = None) -> dict:
    """kubectl writes the namespace into generated objects only when -n was given."""
    meta: dict = {"name": name}
    if labels:
        meta["labels"] = dict(labels)
    if ctx.explicit_namespace:
        meta["namespace"] = ctx.namespace
    return meta


def _multi(ctx: Context, flag: str) -> list[str]:
    """A repeatable flag's values, commas splitting them as pflag's StringSlice does."""
    return [v for item in ctx.args.values(flag) for v in item.split(",") if v]


def new_service(ctx: Context, kind: str, name: str) -> dict:
    """`create service clusterip|nodeport|loadbalancer|externalname NAME [--tcp=P[:T]]`."""
    service_type = SERVICE_TYPES[kind]
    cluster_ip = ctx.args.get("clusterip")
    tcp = _multi(ctx, "tcp")
    if not tcp and service_type != "ExternalName" and cluster_ip != "None":
        raise error("at least one tcp port specifier must be provided")
    external = str(ctx.args.get("external-name") or "")
    if service_type == "ExternalName":
        if not external:
            raise error("external name must be specified")
        if not _DNS_LABEL.match(external) or len(external) > 253:
            raise error(f"invalid service external name {external}")
    ports = []
    for entry in tcp:
        port_text, _, target_text = entry.partition(":")
        target_text = target_text or port_text
        if not port_text.isdigit():
            raise error(f'strconv.Atoi: parsing "{port_text}": invalid syntax')
        target: int | str = int(target_text) if target_text.isdigit() else target_text
        port: dict = {"name": f"{port_text}-{target_text}", "port": int(port_text),
                      "protocol": "TCP", "targetPort": target}  # fmt: skip
        node_port = ctx.args.number("node-port")
        if service_type == "NodePort" and node_port:
            port["nodePort"] = node_port
        ports.append(port)
    spec: dict = {"ports": ports} if ports else {}
    if service_type != "ExternalName":
        spec["selector"] = {"app": name}
    spec["type"] = service_type
    if service_type == "ExternalName":
        spec["externalName"] = external
    elif cluster_ip:
        spec["clusterIP"] = cluster_ip
    labels = {"app": name}
    return {"apiVersion": "v1", "kind": "Service", "metadata": metadata(ctx, name, labels),
            "spec": spec}  # fmt: skip


def new_ingress(ctx: Context, name: str) -> dict:
    """`create ingress NAME --rule=host/path=svc:port[,tls[=secret]] [--class=C] ...`."""
    rules: dict[str, list] = {}
    tls: dict[str, list[str]] = {}
    for rule in ctx.args.values("rule"):
        match = _RULE.match(rule)
        if not match:
            raise error(
                f"rule {rule} is invalid and should be in format host/path=svcname:svcport"
                "[,tls[=secret]]"
            )
        host, path = match["host"], match["path"]
        exact = not path.endswith("*")
        path_item = {
            "backend": {"service": {"name": match["service"], "port": _port(match["port"])}},
            "path": path if exact else (path[:-1] or "/"),
            "pathType": "Exact" if exact else "Prefix",
        }
        rules.setdefault(host, []).append(path_item)
        if match["tls"]:
            tls.setdefault(match["secret"] or "", [])
            if host and host not in tls[match["secret"] or ""]:
                tls[match["secret"] or ""].append(host)
    spec: dict = {}
    if ctx.args.get("class"):
        spec["ingressClassName"] = ctx.args.get("class")
    default = ctx.args.get("default-backend")
    if default:
        service, sep, port = str(default).partition(":")
        if not sep or not service or not port:
            raise error(f"default-backend {default} is invalid and should be in format "
                        "service:port")  # fmt: skip
        spec["defaultBackend"] = {"service": {"name": service, "port": _port(port)}}
    if not rules and not default:
        raise error("not enough information provided: every ingress has to either specify a "
                    "default-backend (which catches all traffic) or a list of rules (which "
                    "catch specific paths)")  # fmt: skip
    if rules:
        spec["rules"] = [
            ({"host": host} if host else {}) | {"http": {"paths": paths}}
            for host, paths in rules.items()
        ]
    if tls:
        spec["tls"] = [({"hosts": hosts} if hosts else {}) | ({"secretName": s} if s else {})
                       for s, hosts in tls.items()]  # fmt: skip
    meta = metadata(ctx, name)
    annotations = {}
    for item in ctx.args.values("annotation"):
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise error(f"annotation {item} is invalid and should be in format key=[value]")
        annotations[key] = value
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta,
            "spec": spec}  # fmt: skip


def _port(text: str) -> dict:
    return {"number": int(text)} if text.isdigit() else {"name": text}


def new_secret(ctx: Context, kind: str, name: str) -> dict:
    """`create secret tls NAME --cert=F --key=F` or `create secret generic NAME --from-...`."""
    if kind == "tls":
        cert_path, key_path = ctx.args.get("cert"), ctx.args.get("key")
        if not cert_path or not key_path:
            raise error("key and cert must be specified")
        cert, key = ctx.read_file(str(cert_path)), ctx.read_file(str(key_path))
        n_cert = openssl.certificate_modulus(cert)
        if n_cert is None:
            raise error("failed to load key pair tls: failed to find any PEM data in "
                        "certificate input")  # fmt: skip
        n_key = openssl.key_modulus(key)
        if n_key is None:
            raise error("failed to load key pair tls: failed to find any PEM data in key input")
        if n_key != n_cert:
            raise error("failed to load key pair tls: private key does not match public key")
        data = {"tls.crt": cert, "tls.key": key}
        secret_type = "kubernetes.io/tls"
    else:
        data = {}
        for literal in ctx.args.values("from-literal"):
            k, sep, value = literal.partition("=")
            if not sep or not k:
                raise error(f"invalid literal source {literal}, expected key=value")
            data[k] = value
        for source in ctx.args.values("from-file"):
            k, sep, path = source.partition("=")
            if not sep:
                path, k = str(source), str(source).rsplit("/", 1)[-1]
            data[k] = ctx.read_file(path)
        secret_type = str(ctx.args.get("type") or "Opaque")
    encoded = {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}
    secret: dict = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata(ctx, name)}
    if encoded:
        secret["data"] = encoded
    secret["type"] = secret_type
    return secret
