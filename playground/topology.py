"""The simulator's snapshot as browsers receive it: keyed, kept current, with first steps.

Pure data shaping, no Kubernetes decisions: the simulator already worked out
which pods an Endpoints lists and where an Ingress rule sends, which entries
each change touched (`Cluster.snapshot_changes`), which requests make sense
from where (`Cluster.first_steps`) and what to try (`Cluster.suggestions`).
A `View` keys each object so a frame carries only the entries that really
changed, and asks for the first steps again only when a change may move them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

COLLECTIONS = (
    "nodes", "pods", "services", "endpoints", "ingresses", "workloads", "networkPolicies",
    "gateways", "httproutes",
)  # fmt: skip
SINGLETONS = ("host", "ingressController")
#: Namespaces of the cluster's own machinery: the diagram hides them unless asked, and
#: their Services are not offered as targets. Browsers get this list in the snapshot.
SYSTEM_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease", "ingress-nginx")
#: Collections whose changes may change the request targets (and which one to send first).
_TARGETED = (
    "nodes", "services", "ingresses", "endpoints", "gateways", "httproutes", "networkPolicies",
)  # fmt: skip
#: Collections whose changes may change the commands to try and the title.
_SUGGESTED = ("services", "ingresses", "workloads")


class Guide:
    """Where a frame's first steps come from: the room's cluster, asked only when needed.

    `requests()` is `Cluster.first_steps().to_dict()`; `suggestions()` is
    `Cluster.suggestions().to_dict()`.
    """

    def __init__(self, requests: Callable[[], dict], suggestions: Callable[[], dict]) -> None:
        self.requests = requests
        self.suggestions = suggestions


def key(collection: str, obj: dict[str, Any]) -> str:
    """An object's key within its collection: `name`, `ns/name` or `Kind/ns/name`."""
    if collection == "nodes":
        return obj["name"]
    if collection == "workloads":
        return f"{obj['kind']}/{obj['namespace']}/{obj['name']}"
    return f"{obj['namespace']}/{obj['name']}"


def namespaces(changes: dict[str, Any]) -> set[str]:
    """The namespaces a frame's `changes` touch ("" for nodes)."""
    touched = set()
    for collection in COLLECTIONS:
        change = changes.get(collection)
        if not change:
            continue
        if collection == "nodes":
            touched.add("")
            continue
        touched.update(obj["namespace"] for obj in change["upsert"])
        at = 1 if collection == "workloads" else 0
        touched.update(k.split("/")[at] for k in change["remove"])
    return touched


class View:
    """A room's topology as its viewers have it: a snapshot, kept current change by change."""

    def __init__(self, snapshot: dict[str, Any], guide: Guide) -> None:
        self.singletons = {name: snapshot.get(name) for name in SINGLETONS}
        self.index: dict[str, dict[str, dict[str, Any]]] = {
            c: {key(c, obj): obj for obj in snapshot.get(c) or ()} for c in COLLECTIONS
        }
        self.guide = guide
        #: `{targets, first, missing, waiting}` (`Cluster.first_steps`).
        self.requests = guide.requests()
        #: `{title, commands, podSelector}` (`Cluster.suggestions`).
        self.suggestions = guide.suggestions()

    @property
    def targets(self) -> list[dict[str, str]]:
        """The URLs a learner can request, each `{url, label, group, from, namespace, why,
        service}`."""
        return self.requests["targets"]

    @property
    def first_steps(self) -> dict[str, Any]:
        """The snapshot message's fields for first steps: `targets`, `requests`,
        `suggestions`."""
        return {
            "targets": self.targets,
            "requests": _rest(self.requests),
            "suggestions": self.suggestions,
        }

    @property
    def topology(self) -> dict[str, Any]:
        """The whole topology, as a `snapshot` message carries it."""
        return {**self.singletons, **{c: list(self.index[c].values()) for c in COLLECTIONS}}

    def get(self, collection: str, object_key: str) -> dict[str, Any] | None:
        return self.index[collection].get(object_key)

    def apply(self, upsert: dict[str, list[dict]], remove: dict[str, list[dict]]) -> dict:
        """Take the simulator's changed entries; return what a frame carries: per collection,
        the entries that differ from the ones viewers have and the keys to remove; and,
        when they changed, `targets`, `requests` (the rest of the first steps) and
        `suggestions`."""
        changes: dict[str, Any] = {}
        for collection in COLLECTIONS:
            index = self.index[collection]
            gone = [
                k
                for k in (key(collection, obj) for obj in remove.get(collection, ()))
                if index.pop(k, None) is not None
            ]
            put = []
            for obj in upsert.get(collection, ()):
                k = key(collection, obj)
                if index.get(k) != obj:
                    index[k] = obj
                    put.append(obj)
            if put or gone:
                changes[collection] = {"upsert": put, "remove": gone}
        if any(c in changes for c in _TARGETED):
            now = self.guide.requests()
            if now["targets"] != self.targets:
                changes["targets"] = now["targets"]
            if _rest(now) != _rest(self.requests):
                changes["requests"] = _rest(now)
            self.requests = now
        if any(c in changes for c in _SUGGESTED):
            now = self.guide.suggestions()
            if now != self.suggestions:
                self.suggestions = changes["suggestions"] = now
        return changes


def _rest(requests: dict[str, Any]) -> dict[str, Any]:
    """First steps without the targets: `{first, missing, waiting}`."""
    return {k: v for k, v in requests.items() if k != "targets"}
