"""Owners and their pods: controller references, selectors, and pods made from a template.

What every workload controller shares: how an owner selects its pods, how a
pod names its controller (`ownerReferences` with `controller: true`), and how
a batch of pods is made from an owner's template (kube-controller-manager's
`GetPodFromTemplate`).
"""

from __future__ import annotations

import random
from collections.abc import Container

from simulator.labels import Selector, from_label_selector, from_match_labels
from simulator.names import MAX_GENERATED_BASE, generate_suffix, new_uid
from simulator.store import Key

API_VERSIONS = {
    "ReplicaSet": "apps/v1",
    "Deployment": "apps/v1",
    "DaemonSet": "apps/v1",
    "StatefulSet": "apps/v1",
    "ReplicationController": "v1",
}
# The component each owner kind's events come from.
CONTROLLER_NAMES = {
    "ReplicaSet": "replicaset-controller",
    "ReplicationController": "replication-controller",
    "DaemonSet": "daemonset-controller",
    "Deployment": "deployment-controller",
    "StatefulSet": "statefulset-controller",
}


def selector_of(owner: dict) -> Selector:
    """The owner's pod selector (RCs use a plain map, apps/v1 kinds a LabelSelector)."""
    sel = owner["spec"].get("selector")
    if owner["kind"] == "ReplicationController":
        return from_match_labels(sel or (owner["spec"]["template"]["metadata"].get("labels")))
    return from_label_selector(sel)


def controller_ref(obj: dict) -> dict | None:
    """The ownerReference with `controller: true`, or None."""
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def owner_reference(owner: dict) -> dict:
    """An ownerReference pointing at `owner`, as controllers set it."""
    return {
        "apiVersion": API_VERSIONS[owner["kind"]],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def new_pods(owner: dict, template: dict, spec: dict, count: int, *, rng: random.Random,
             taken: Container[Key], created: str, names: tuple[str, ...] = (),
             labels: dict | None = None) -> list[dict]:  # fmt: skip
    """`count` pod objects from a template, named from their owner (`<owner>-xxxxx`), or
    given their `names` (a StatefulSet's `<owner>-<ordinal>`, without `generateName`).

    Args:
        owner: the controller; its name, namespace and UID go into the pods.
        template: the pod template (labels and annotations).
        spec: the pod spec, admitted once by the caller; each pod gets its own copy.
        count: how many pods.
        rng: the cluster's generator, for names and UIDs.
        taken: the keys of the pods that exist (the API server refuses a taken name).
        created: the creation timestamp.
        names: the pods' names, when the owner gives them (then `count` is their number).
        labels: the pods' labels instead of the template's (a StatefulSet adds its own).

    Labels and ownerReferences are shared by the batch: like every pod's, they are
    replaced, never edited (relabelling, orphaning).
    """
    tmeta = template.get("metadata") or {}
    labels = dict(labels if labels is not None else tmeta.get("labels") or {})
    annotations = tmeta.get("annotations")
    base = owner["metadata"]["name"] + "-"
    prefix = base[:MAX_GENERATED_BASE]
    namespace = owner["metadata"]["namespace"]
    references = [owner_reference(owner)]
    pods = []
    chosen: set[str] = set()
    for index in range(count):
        if names:
            name = names[index]
        else:
            name = prefix + generate_suffix(rng)
            while name in chosen or (namespace, name) in taken:
                name = prefix + generate_suffix(rng)  # the API server refuses it; retry
        chosen.add(name)
        meta = {
            "name": name,
            "generateName": base,
            "namespace": namespace,
            "uid": new_uid(rng),
            "creationTimestamp": created,
            "labels": labels,
            "ownerReferences": references,
        }
        if names:
            del meta["generateName"]
        if annotations:
            meta["annotations"] = dict(annotations)
        pods.append({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": dict(spec)})
    return pods
