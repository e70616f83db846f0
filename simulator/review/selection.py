"""Warnings about Services that will not reach any pod, before anything is applied.

A real cluster accepts a Service whose selector matches nothing, or whose targetPort no
container declares, without a word: the Service simply has no endpoints (or the
connection goes nowhere). Learners then wonder why curl is refused. `selection_warnings`
says so up front, as warnings of Kubeplay's own (no kubectl text; kubectl prints nothing):

* a Service whose selector matches no pod and no pod template, neither in the same input
  nor among the cluster's pods (naming the labels the pods here do carry, and pods of
  another namespace that would match);
* a targetPort (a number, or the port itself when targetPort is left out) that no
  selected container declares as a containerPort: Kubeplay's containers listen only on
  the ports they declare (CONTRACT.md section 4), so connections would be refused;
* a named targetPort that no selected container names: such pods are left out of the
  Service's endpoints, as Kubernetes does.

Cost: one pass over the documents builds an index from (namespace, label, value) to the
pod templates and pods in the input; each Service then looks at the templates sharing one
of its labels, and asks the cluster's label index only when the input has none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from simulator.hints import NONE, hint, then
from simulator.labels import from_match_labels
from simulator.manifests import Document
from simulator.problems import WARNING, Problem

Locate = Callable[[int, str, "int | None"], "tuple[int | None, int | None]"]


class PodIndex(Protocol):
    """What the cluster's store offers: pods in a namespace matching a selector."""

    def pods_selected(self, namespace: str, selector: object) -> list[dict]: ...


@dataclass(frozen=True, slots=True)
class _Pods:
    """Pods, or the pods a template makes: where they live, their labels and their ports."""

    namespace: str
    labels: dict
    numbers: frozenset[int]
    names: frozenset[str]
    unsure: bool = False


def selection_warnings(
    documents: list[Document],
    locate: Locate,
    cluster: PodIndex | None = None,
    namespace: str = "default",
    unsure: set[int] | frozenset[int] = frozenset(),
) -> list[Problem]:
    """Warnings for Services in ``documents`` that would reach no pod, or no port.

    Args:
        documents: validated documents (converted, not yet defaulted).
        locate: `ParsedManifests.locate`, to point at the selector or port.
        cluster: the cluster's store, whose pods count as selectable; None for none.
        namespace: the namespace of objects that name none (kubectl's ``-n``).
        unsure: indexes of documents with errors: their pods count as selected, but the
            ports of a Service selecting any of them are not judged (a misplaced
            ``containers`` would make every port look undeclared).
    """
    index: dict[tuple[str, str, str], list[_Pods]] = {}
    services = []
    for doc in documents:
        kind = doc.obj.get("kind")
        if kind == "Service":
            services.append(doc)
        elif kind in _WORKLOADS:
            pods = _pods_of(doc.obj, namespace, doc.index in unsure)
            if pods is not None:
                for key, value in pods.labels.items():
                    if type(value) is str:  # a document with errors may hold anything
                        index.setdefault((pods.namespace, key, value), []).append(pods)
    warnings: list[Problem] = []
    # Services of one app share a selector: each selector is looked up once.
    seen: dict[tuple, _Selection] = {}
    for doc in services:
        obj = doc.obj
        spec = obj.get("spec")
        if type(spec) is not dict:
            continue
        selector = spec.get("selector")
        if type(selector) is not dict or not selector or spec.get("type") == "ExternalName":
            continue
        if any(type(value) is not str for value in selector.values()):
            continue  # a selector validation refuses (and a list value cannot be a key)
        meta = obj.get("metadata")
        service_ns = meta.get("namespace") if type(meta) is dict else None
        if type(service_ns) is not str or not service_ns:
            service_ns = namespace
        key = (service_ns, *selector.items())
        if key in seen:
            selection = seen[key]
        else:
            selection = seen[key] = _select(index, cluster, service_ns, selector)
        if not selection.found:
            name = _name(obj)
            hint = _no_pods_hint(name, selector, index, service_ns)
            warnings.append(_warning(doc, locate, "spec.selector", name, hint))
            continue
        ports = spec.get("ports")
        if selection.unsure or doc.index in unsure or type(ports) is not list:
            continue
        declared = selection.declared
        for port in ports:  # the common case, kept cheap: every port is declared
            if type(port) is dict and (port.get("targetPort") or port.get("port")) not in declared:
                break
        else:
            continue
        for position, port in enumerate(ports):
            if type(port) is dict:
                hint, field = _port_hint(_name(obj), port, position, selection)
                if hint:
                    warnings.append(_warning(doc, locate, field, _name(obj), hint))
    return warnings


_WORKLOADS = frozenset(
    {"Pod", "Deployment", "ReplicaSet", "ReplicationController", "DaemonSet", "StatefulSet"}
)


def _pods_of(obj: dict, namespace: str, unsure: bool) -> _Pods | None:
    if obj.get("kind") == "Pod":
        meta, spec = obj.get("metadata"), obj.get("spec")
    else:
        spec = obj.get("spec")
        template = spec.get("template") if type(spec) is dict else None
        if type(template) is not dict:
            return None
        meta, spec = template.get("metadata"), template.get("spec")
    labels = meta.get("labels") if type(meta) is dict else None
    if type(labels) is not dict or not labels:
        return None
    numbers, names = _declared(spec)
    return _Pods(_namespace(obj, namespace), labels, numbers, names, unsure)


def _declared(spec: object) -> tuple[frozenset[int], frozenset[str]]:
    numbers: set[int] = set()
    names: set[str] = set()
    containers = spec.get("containers") if type(spec) is dict else None
    for container in containers if type(containers) is list else ():
        ports = container.get("ports") if type(container) is dict else None
        for port in ports if type(ports) is list else ():
            if type(port) is dict:
                if type(port.get("containerPort")) is int:
                    numbers.add(port["containerPort"])
                if type(port.get("name")) is str:
                    names.add(port["name"])
    return frozenset(numbers), frozenset(names)


@dataclass(frozen=True, slots=True)
class _Selection:
    """What a selector selects: whether anything, and the ports those containers declare."""

    found: bool
    unsure: bool
    numbers: frozenset[int]
    names: frozenset[str]
    declared: frozenset[int | str]  # numbers and names together, for the common check


def _select(index: dict, cluster: PodIndex | None, namespace: str, selector: dict) -> _Selection:
    selected = _selected(index, namespace, selector) or _cluster_pods(cluster, namespace, selector)
    numbers = frozenset(n for p in selected for n in p.numbers)
    names = frozenset(n for p in selected for n in p.names)
    unsure = any(p.unsure for p in selected)
    return _Selection(bool(selected), unsure, numbers, names, numbers | names)


def _selected(index: dict, namespace: str, selector: dict) -> list[_Pods]:
    key, value = next(iter(selector.items()))
    candidates = index.get((namespace, key, value), ())
    return [p for p in candidates if all(p.labels.get(k) == v for k, v in selector.items())]


def _cluster_pods(cluster: PodIndex | None, namespace: str, selector: dict) -> list[_Pods]:
    if cluster is None:
        return []
    found: dict[int, _Pods] = {}
    for pod in cluster.pods_selected(namespace, from_match_labels(selector)):
        spec = pod.get("spec") or {}
        # Pods of one template share their containers: read each list once.
        key = id(spec.get("containers"))
        if key not in found:
            found[key] = _Pods(namespace, {}, *_declared(spec))
    return list(found.values())


def _no_pods_hint(name: str, selector: dict, index: dict, namespace: str) -> str:
    key = "selects-no-pod" if len(selector) == 1 else "selects-no-pod-labels"
    said = hint(key, name=name, labels=_labels(selector), namespace=namespace)
    elsewhere = sorted(
        {p.namespace for pods in index.values() for p in pods if _matches(p, selector)}
        - {namespace}
    )
    if elsewhere:
        return then(said, hint("pods-in-other-namespace", namespace=elsewhere[0]))
    here = sorted(
        {_labels(p.labels) for pods in index.values() for p in pods if p.namespace == namespace}
    )
    if here:
        labels = here[0] if len(here) == 1 else hint("and", first=here[0], second=here[1])
        return then(said, hint("pods-here-labelled", labels=labels))
    return said


def _port_hint(name: str, port: dict, position: int, selection: _Selection) -> tuple[str, str]:
    # ("", "") when some selected container declares the port: the common case, kept cheap.
    target = port.get("targetPort", port.get("port"))
    if type(target) is int:
        if target in selection.numbers:
            return "", ""
        listed = ", ".join(str(n) for n in sorted(selection.numbers))
        said = hint(
            "no-container-port", name=name, target=target, listed=listed or NONE,
            port=port.get("port"),
        )  # fmt: skip
    elif type(target) is str and target:
        if target in selection.names:
            return "", ""
        names = ", ".join(sorted(selection.names))
        said = hint(
            "no-port-name", name=name, target=target, listed=names or NONE,
            port=port.get("port"),
        )  # fmt: skip
    else:
        return "", ""
    return said, f"spec.ports[{position}]." + ("targetPort" if "targetPort" in port else "port")


def _warning(doc: Document, locate: Locate, field: str, name: str, hint: str) -> Problem:
    line, column = locate(doc.index, field, doc.item)
    return Problem(doc.index, field, "", "Service", name, line, column, WARNING, hint)


def _matches(pods: _Pods, selector: dict) -> bool:
    return all(pods.labels.get(k) == v for k, v in selector.items())


def _labels(labels: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in labels.items())


def _namespace(obj: dict, default: str) -> str:
    meta = obj.get("metadata")
    value = meta.get("namespace") if type(meta) is dict else None
    return value if type(value) is str and value else default


def _name(obj: dict) -> str:
    meta = obj.get("metadata")
    value = meta.get("name") if type(meta) is dict else None
    return value if type(value) is str else ""
