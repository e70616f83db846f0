"""Commands to try and a title, worked out from the objects a learner applied.

A built-in scenario has its own list from the study notes; a room made from
pasted manifests gets this one, so its "Try…" list names its own Services,
Ingress hosts and probes. Placeholders as in `simulator.scenarios.PLACEHOLDERS`
(`POD` stands for a pod that `pod_selector` matches).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from .first_steps import SYSTEM_NAMESPACES, WORKLOADS
from .labels import format_selector, from_label_selector, from_match_labels
from .probes import ProbeCheck
from .state import ClusterState
from .words import Words, say

#: At most this many commands: a menu, not a manual.
MAX_COMMANDS = 14
#: Kinds a title names, in the order it names them.
TITLE_KINDS = ("Deployment", "DaemonSet", "ReplicationController", "ReplicaSet", "Pod",
               "Service", "Ingress")  # fmt: skip
#: Kinds `kubectl expose` takes (kubectl's expose.go: not DaemonSets).
EXPOSABLE = {"Deployment": "deployment", "ReplicationController": "rc", "ReplicaSet": "rs"}


@dataclass(frozen=True, slots=True)
class Suggestions:
    """What to try in a room: a title, command lines, and which pods `POD` stands for."""

    title: Words
    commands: tuple[str, ...]
    pod_selector: str

    def to_dict(self) -> dict:
        return {
            "title": str(self.title),
            "titleWords": self.title.to_dict(),
            "commands": list(self.commands),
            "podSelector": self.pod_selector,
        }


def _mine(state: ClusterState, kind: str) -> list[dict]:
    """The learner's own objects of a kind: not the cluster's, not controller-made."""
    return [
        o
        for o in state.store.list(kind)
        if o["metadata"]["namespace"] not in SYSTEM_NAMESPACES
        and not o["metadata"].get("ownerReferences")
        and not (kind == "Service" and o["metadata"]["name"] == "kubernetes")
    ]


def suggestions(state: ClusterState) -> Suggestions:
    """A title and commands to try for the objects in the cluster."""
    services = _mine(state, "Service")
    workloads = [o for kind in WORKLOADS for o in _mine(state, kind)]
    ingresses = _mine(state, "Ingress")
    selector = _pod_selector(services, workloads)
    lines = ["kubectl get pods -o wide"]
    lines += _service_lines(services)
    lines += _ingress_lines(ingresses)
    lines += _probe_lines(state)
    lines += _workload_lines(workloads, services)
    unique = tuple(dict.fromkeys(lines))[:MAX_COMMANDS]
    return Suggestions(title(state), unique, selector)


def _ns(meta: dict) -> str:
    return "" if meta["namespace"] == "default" else f" -n {meta['namespace']}"


def _service_lines(services: list[dict]) -> list[str]:
    lines = []
    for svc in services[:3]:
        meta, spec = svc["metadata"], svc["spec"]
        name, ns = meta["name"], _ns(meta)
        lines.append(f"kubectl get svc {name}{ns}")
        if spec.get("type") == "ExternalName":
            lines.append(f"kubectl exec POD -- nslookup {name}")
            continue
        lines.append(f"kubectl get endpoints {name}{ns}")
        port = (spec.get("ports") or [{}])[0]
        host = name if not ns else f"{name}.{meta['namespace']}"
        if spec.get("clusterIP") == "None":
            lines.append(f"kubectl exec POD -- nslookup {host}")
        else:
            number = port.get("port", 80)
            lines.append(f"kubectl exec POD -- curl -s http://{host}{_port(number)}")
        if port.get("nodePort"):
            lines.append(f"curl -s http://NODE_IP:{port['nodePort']}")
        if spec.get("type") == "LoadBalancer":
            lines.append(f"curl -s http://EXTERNAL_IP{_port(port.get('port', 80))}")
        lines.append(f"kubectl describe svc {name}{ns}")
    return lines


def _port(number) -> str:
    return "" if number == 80 else f":{number}"


def _ingress_lines(ingresses: list[dict]) -> list[str]:
    lines = []
    for ing in ingresses[:2]:
        spec = ing.get("spec") or {}
        tls = {h for t in spec.get("tls") or () for h in t.get("hosts") or ()}
        lines.append(f"kubectl describe ingress {ing['metadata']['name']}{_ns(ing['metadata'])}")
        for rule in (spec.get("rules") or ())[:2]:
            host = rule.get("host")
            if not host:
                continue
            path = ((rule.get("http") or {}).get("paths") or [{}])[0].get("path") or "/"
            scheme, flags = ("https", "-sk") if host in tls else ("http", "-s")
            lines.append(f"curl {flags} {scheme}://{host}{path}")
    return lines


def _probe_lines(state: ClusterState) -> list[str]:
    """For the first probed pod's file-test probe: how to pass it, and time to see it."""
    for (namespace, _), rt in state.runtime.items():
        if namespace in SYSTEM_NAMESPACES or not rt.probes:
            continue
        check: ProbeCheck = rt.probes[0].check
        period = int(float(check.probe.get("periodSeconds", 10)))
        lines = ["kubectl describe pod POD"]
        if check.path is not None:
            lines += [
                f"kubectl exec POD -- touch {shlex.quote(check.path)}",
                f"sleep {period}",
                "kubectl get pods",
            ]
        return lines
    return []


def _workload_lines(workloads: list[dict], services: list[dict]) -> list[str]:
    lines = []
    for obj in workloads[:2]:
        kind, name = obj["kind"], obj["metadata"]["name"]
        ns = _ns(obj["metadata"])
        if kind == "DaemonSet":
            lines.append(f"kubectl get ds {name}{ns}")
            continue
        short = EXPOSABLE.get(kind)
        replicas = obj["spec"].get("replicas", 1)
        lines.append(f"kubectl scale --replicas={replicas + 1} {short} {name}{ns}")
        if not services:
            containers = obj["spec"].get("template", {}).get("spec", {}).get("containers") or ()
            ports = [p["containerPort"] for c in containers for p in c.get("ports") or ()]
            lines.append(f"kubectl expose {short} {name} --port={ports[0] if ports else 80}{ns}")
    return lines


def _pod_selector(services: list[dict], workloads: list[dict]) -> str:
    """A selector for the pods `POD` stands for: the first Service's, else a workload's."""
    for svc in services:
        selector = svc["spec"].get("selector")
        if selector:
            return format_selector(from_match_labels(selector))
    for obj in workloads:
        selector = obj["spec"].get("selector")
        if selector:
            parsed = (
                from_match_labels(selector)
                if obj["kind"] == "ReplicationController"
                else from_label_selector(selector)
            )
            return format_selector(parsed)
    return ""


def title(state: ClusterState) -> Words:
    """A short title naming the learner's objects, e.g. "Deployment web, Service web"."""
    named = [f"{kind} {o['metadata']['name']}" for kind in TITLE_KINDS for o in _mine(state, kind)]
    if len(named) > 3:
        return say("title-more", first=named[0], second=named[1], count=len(named) - 2)
    key = ("title-none", "title-one", "title-two", "title-three")[len(named)]
    return say(key, **dict(zip(("first", "second", "third"), named, strict=False)))
