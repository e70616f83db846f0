"""Convert to Gateway API (`Cluster.convert_ingresses`): the room's Ingresses beside what
ingress2gateway would write for them.

One conversion per IngressClass the cluster's Ingresses name, since ingress2gateway's
ingress-nginx provider reads one class a run (``--ingress-nginx-ingress-class``, default
``nginx``). Each carries the Ingresses as the learner would apply them (exported: no
status, no server fields), the Gateway API objects exactly as ``ingress2gateway print``
prints them, its report, and the command line that applies them, so a button and the
terminal do one and the same thing. Nothing here changes the cluster.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

import yaml

from .export import exportable
from .gatewayapi.cli import convert_cluster
from .gatewayapi.convert import ingress_class
from .state import ClusterState


@dataclass(frozen=True, slots=True)
class Note:
    """One entry of ingress2gateway's report: ``INFO``, ``WARNING`` or ``ERROR``."""

    level: str
    message: str
    source: str
    objects: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IngressConversion:
    """The Ingresses of one class and the Gateway API objects that replace them.

    Attributes:
        ingress_class: the class converted ("" for Ingresses that name none).
        ingresses: ``namespace/name`` of each Ingress converted.
        ingress_yaml: those Ingresses as multi-document YAML (as exported).
        gateway_yaml: the Gateway and HTTPRoutes, as ``ingress2gateway print`` writes them.
        report: its report (stderr), notification boxes.
        notes: the report's entries, as data.
        objects: ``Kind namespace/name`` of each object the conversion creates.
        print_command: the command line that prints the conversion.
        apply_command: the command line that applies it (print piped to ``kubectl apply``).
    """

    ingress_class: str
    ingresses: tuple[str, ...]
    ingress_yaml: str
    gateway_yaml: str
    report: str
    notes: tuple[Note, ...]
    objects: tuple[str, ...]
    print_command: str
    apply_command: str


def ingress_conversions(state: ClusterState) -> list[IngressConversion]:
    """One conversion per IngressClass named by the cluster's Ingresses (by class name)."""
    classes = sorted({ingress_class(i) for i in state.store.list("Ingress")})
    exported = {
        (o["metadata"].get("namespace", ""), o["metadata"]["name"]): o
        for o in exportable(state)
        if o["kind"] == "Ingress"
    }
    out = []
    for name in classes:
        conversion = convert_cluster(state.store, None, name)
        keys = [(i["metadata"].get("namespace", ""), i["metadata"]["name"])
                for i in conversion.ingresses]  # fmt: skip
        docs = [exported[k] for k in keys if k in exported]
        command = "ingress2gateway print --providers=ingress-nginx -A"
        if name != "nginx":
            command += f" --ingress-nginx-ingress-class={shlex.quote(name)}"
        out.append(
            IngressConversion(
                ingress_class=name,
                ingresses=tuple(f"{ns}/{n}" for ns, n in keys),
                ingress_yaml=yaml.safe_dump_all(docs, sort_keys=False) if docs else "",
                gateway_yaml=conversion.yaml(),
                report=conversion.report(),
                notes=tuple(
                    Note(n.level, n.message, n.source, tuple(n.objects))
                    for n in conversion.notifications
                ),
                objects=tuple(
                    f"{o['kind']} {o['metadata']['namespace']}/{o['metadata']['name']}"
                    for o in conversion.objects
                ),
                print_command=command,
                apply_command=f"{command} | kubectl apply -f -",
            )
        )
    return out
