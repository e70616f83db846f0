"""The object store: every API object as the API server would return it, plus indexes.

Objects are plain JSON-like dicts in API shape (apiVersion, kind, metadata,
spec, status), keyed by kind and `(namespace, name)`; cluster-scoped objects
use the namespace "". Two indexes keep the hot paths off full scans:

* pods by `(namespace, label key, label value)`, so a Service or controller
  selector is answered by intersecting small sets;
* selector-managed Services by one `(namespace, key, value)` of their
  selector, so a pod change finds the Services that may select it.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Iterable, Iterator, KeysView
from typing import Protocol

from .labels import Selector, equality_items, matches

Key = tuple[str, str]
_NO_LABELS: dict = {}  # never written to


class Provider(Protocol):
    """Serves a derived kind (Endpoints, EndpointSlice) built on demand by a controller.

    The store passes itself to every call, so a provider reads what it derives from
    without holding the store (which holds the provider).
    """

    def get(self, store: Store, namespace: str, name: str) -> dict | None: ...

    def names(self, store: Store) -> Iterable[Key]: ...


def key_of(obj: dict) -> Key:
    """`(namespace, name)` of an object ("" namespace for cluster-scoped kinds)."""
    meta = obj["metadata"]
    return (meta.get("namespace", ""), meta["name"])


class Store:
    """Objects by kind, with the pod-label and service-selector indexes."""

    def __init__(self) -> None:
        self._objects: dict[str, dict[Key, dict]] = defaultdict(dict)
        self._pods_by_label: dict[tuple[str, str, str], set[Key]] = defaultdict(set)
        self._pods_by_ns: dict[str, set[Key]] = defaultdict(set)
        self._services_by_label: dict[tuple[str, str, str], set[Key]] = defaultdict(set)
        self._resource_version = 1000
        #: Bumped by every put and remove (like etcd's revision): a cheap cache stamp.
        self.revision = 0
        #: Per kind, bumped by each put and remove of that kind (pods in batches excepted):
        #: a stamp for caches that read a few kinds and must not follow every pod write.
        self.kind_revisions: dict[str, int] = defaultdict(int)
        self._providers: dict[str, Provider] = {}

    def provide(self, kind: str, provider: Provider) -> None:
        """Let `provider` serve every read of `kind` (objects derived lazily, never stored)."""
        self._providers[kind] = provider

    # -- reading -----------------------------------------------------------------

    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        """The object, or None."""
        provider = self._providers.get(kind)
        if provider is not None:
            return provider.get(self, namespace, name)
        return self._objects[kind].get((namespace, name))

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        """Objects of `kind` in `namespace` (or all), sorted by namespace then name like etcd."""
        provider = self._providers.get(kind)
        if provider is not None:
            keys = sorted(k for k in provider.names(self) if namespace is None or k[0] == namespace)
            return [obj for k in keys if (obj := provider.get(self, *k)) is not None]
        table = self._objects[kind]
        keys = sorted(table) if namespace is None else sorted(k for k in table if k[0] == namespace)
        return [table[k] for k in keys]

    def count(self, kind: str) -> int:
        """How many objects of `kind` exist."""
        provider = self._providers.get(kind)
        if provider is not None:
            return sum(1 for _ in provider.names(self))
        return len(self._objects[kind])

    def items(self, kind: str) -> Iterator[tuple[Key, dict]]:
        """Unordered `(key, object)` pairs of a stored kind, for scans that need no order."""
        return iter(self._objects[kind].items())

    def keys(self, kind: str) -> KeysView[Key]:
        """The keys of a stored kind: a live view, for membership tests in a loop."""
        return self._objects[kind].keys()

    def pods_selected(self, namespace: str, selector: Selector) -> builtins.list[dict]:
        """Pods in `namespace` matching `selector` (an empty selector matches none)."""
        if not selector:
            return []
        pods = self._objects["Pod"]
        eq = equality_items(selector)
        if eq is not None:
            return self.pods_labelled(namespace, eq)
        return [
            pods[k]
            for k in sorted(self._pods_by_ns.get(namespace, ()))
            if matches(selector, pods[k]["metadata"].get("labels"))
        ]

    def pods_labelled(self, namespace: str, match_labels: dict[str, str]) -> builtins.list[dict]:
        """Pods in `namespace` with every label of `match_labels` (none for an empty map): a
        Service's selector, answered from the index without building a `Selector`."""
        if not match_labels:
            return []
        sets = [self._pods_by_label.get((namespace, k, v), set()) for k, v in match_labels.items()]
        sets.sort(key=len)
        found = sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]
        pods = self._objects["Pod"]
        return [pods[k] for k in sorted(found)]

    def services_for_labels(self, namespace: str, labels: dict | None) -> Iterable[dict]:
        """Selector-managed Services in `namespace` whose selector matches `labels`."""
        if not labels:
            return ()
        services = self._objects["Service"]
        found: set[Key] = set()
        for k, v in labels.items():
            found.update(self._services_by_label.get((namespace, k, v), ()))
        out = []
        for key in sorted(found):
            svc = services[key]
            selector = svc["spec"].get("selector") or {}
            if all(labels.get(sk) == sv for sk, sv in selector.items()):
                out.append(svc)
        return out

    # -- writing -----------------------------------------------------------------

    def next_resource_version(self) -> str:
        """A new, increasing resourceVersion."""
        self._resource_version += 1
        return str(self._resource_version)

    def put(self, obj: dict) -> dict | None:
        """Insert or replace `obj`, keeping indexes right; returns the object it replaced."""
        kind = obj["kind"]
        key = key_of(obj)
        old = self._objects[kind].get(key)
        if old is not None:
            self._unindex(kind, key, old)
        obj["metadata"]["resourceVersion"] = self.next_resource_version()
        self.revision += 1
        self.kind_revisions[kind] += 1
        self._objects[kind][key] = obj
        self._index(kind, key, obj)
        return old

    def add_pods(self, namespace: str, pods: builtins.list[dict]) -> None:
        """Insert new pods of one namespace (a controller's batch); none of them exists yet.

        Pods of one template share one labels dict, so the batch is indexed per label
        set: each index bucket takes all its keys at once.
        """
        table = self._objects["Pod"]
        by_labels: dict[int, tuple[dict, list[Key]]] = {}
        version = self._resource_version
        run_labels: object = ()  # the labels of the current run of pods (no pod's at first)
        group: list[Key] = []  # the keys indexed under them
        for pod in pods:
            meta = pod["metadata"]
            key = (namespace, meta["name"])
            version += 1
            meta["resourceVersion"] = str(version)
            table[key] = pod
            labels = meta.get("labels")
            if labels is not run_labels:  # a run of pods sharing labels is looked up once
                run_labels = labels
                labels = labels or _NO_LABELS
                group = by_labels.setdefault(id(labels), (labels, []))[1]
            group.append(key)
        self._resource_version = version
        self.revision += len(pods)
        in_namespace, by_label = self._pods_by_ns[namespace], self._pods_by_label
        for labels, keys in by_labels.values():
            in_namespace.update(keys)
            for k, v in labels.items():
                by_label[(namespace, k, v)].update(keys)

    def remove(self, kind: str, namespace: str, name: str) -> dict | None:
        """Delete and return the object, or None when it does not exist."""
        key = (namespace, name)
        old = self._objects[kind].pop(key, None)
        if old is not None:
            self.revision += 1
            self.kind_revisions[kind] += 1
            self._unindex(kind, key, old)
        return old

    def _index(self, kind: str, key: Key, obj: dict) -> None:
        if kind == "Pod":
            ns = key[0]
            self._pods_by_ns[ns].add(key)
            for k, v in (obj["metadata"].get("labels") or {}).items():
                self._pods_by_label[(ns, k, v)].add(key)
        elif kind == "Service":
            selector = obj["spec"].get("selector")
            if selector and obj["spec"].get("type") != "ExternalName":
                k, v = min(selector.items())
                self._services_by_label[(key[0], k, v)].add(key)

    def _unindex(self, kind: str, key: Key, obj: dict) -> None:
        if kind == "Pod":
            ns = key[0]
            self._pods_by_ns[ns].discard(key)
            for k, v in (obj["metadata"].get("labels") or {}).items():
                bucket = self._pods_by_label.get((ns, k, v))
                if bucket is not None:
                    bucket.discard(key)
                    if not bucket:
                        del self._pods_by_label[(ns, k, v)]
        elif kind == "Service":
            selector = obj["spec"].get("selector")
            if selector and obj["spec"].get("type") != "ExternalName":
                k, v = min(selector.items())
                self._services_by_label[(key[0], k, v)].discard(key)
