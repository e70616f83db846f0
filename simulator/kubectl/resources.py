"""Resource arguments (`pods`, `svc,ep`, `deploy/web`, `all`) and the objects they name.

Follows cli-runtime's `Builder.ResourceTypeOrNameArgs`: either every argument
is `TYPE/NAME`, or the first is a comma-separated type list and the rest are
names. Types resolve through `simulator.kinds` (plural, singular, short name,
kind, `plural.group`), case-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator import kinds
from simulator.clock import EPOCH, timestamp
from simulator.kinds import ResourceType
from simulator.labels import Selector, equality_items, matches

from .errors import error, not_found

# The "all" category in discovery order: core, then apps, autoscaling, batch.
ALL_CATEGORY = (
    "pods",
    "replicationcontrollers",
    "services",
    "daemonsets",
    "deployments",
    "replicasets",
    "statefulsets",
    "horizontalpodautoscalers",
    "cronjobs",
    "jobs",
)
SLASH_MIX = (
    "there is no need to specify a resource type as a separate argument when passing arguments "
    "in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get "
    "resource resource/<resource_name>'"
)


@dataclass(slots=True)
class Request:
    """What a command asked for: resource types, and names per type (empty = all).

    Attributes:
        types: resolved types in the order asked, without duplicates.
        names: type kind -> names asked for it, in order (empty for a listing).
        by_name: whether names were given (`get pod x` vs `get pods`).
        multiple_types: more than one resource type was asked for (kind prefixes).
    """

    types: list[ResourceType] = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)
    by_name: bool = False
    multiple_types: bool = False


def resolve_type(text: str) -> ResourceType:
    """The `ResourceType` a user's word names (`po`, `pods`, `Pod`, `deployments.apps`).

    Raises:
        KubectlError: `the server doesn't have a resource type "foo"`.
    """
    rt = kinds.lookup(text.strip())
    if rt is None:
        raise error(f'the server doesn\'t have a resource type "{text.strip().lower()}"')
    return rt


def parse_request(args: list[str], *, allow_all: bool = True) -> Request:
    """Resolve `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...` arguments.

    Raises:
        KubectlError: for an unknown type or mixing the two forms.
    """
    request = Request()
    if not args:
        return request
    slashed = sum(1 for a in args if "/" in a)
    if slashed and slashed != len(args):
        raise error(SLASH_MIX)
    if slashed:
        request.by_name = True
        for arg in args:
            type_text, _, name = arg.partition("/")
            if not type_text or not name:
                raise error("arguments in resource/name form must have a single resource and name")
            rt = resolve_type(type_text)
            _add(request, rt)
            request.names[rt.kind].append(name)
        request.multiple_types = len(request.types) > 1
        return request
    type_words = [w for w in args[0].split(",") if w]
    if not type_words:
        raise error(f'the server doesn\'t have a resource type "{args[0]}"')
    for word in type_words:
        if word.lower() == "all" and allow_all:
            for plural in ALL_CATEGORY:
                member = kinds.lookup(plural)
                if member is not None:
                    _add(request, member)
            request.multiple_types = True
            continue
        _add(request, resolve_type(word))
    if len(type_words) > 1:
        request.multiple_types = len(request.types) > 1
    names = args[1:]
    if names:
        request.by_name = True
        for rt in request.types:
            request.names[rt.kind] = list(dict.fromkeys(names))
    return request


def _add(request: Request, rt) -> None:
    if rt.kind not in request.names:
        request.types.append(rt)
        request.names[rt.kind] = []


@dataclass(slots=True)
class Found:
    """Objects found for one resource type, and the errors for names that were not."""

    rt: ResourceType
    objects: list[dict]
    errors: list[str]


def find(
    state,
    request: Request,
    namespace: str,
    *,
    all_namespaces: bool = False,
    selector: Selector = (),
) -> list[Found]:
    """Fetch what `request` names, per type in order; missing names become NotFound lines."""
    out: list[Found] = []
    for rt in request.types:
        ns = namespace if rt.namespaced else ""
        names = request.names.get(rt.kind) or []
        if names:
            objects, errors = [], []
            for name in names:
                obj = get_object(state, rt, ns, name)
                if obj is None:
                    errors.append(not_found(rt.resource_qualified, name))
                else:
                    objects.append(obj)
            out.append(Found(rt, objects, errors))
            continue
        scope = None if (all_namespaces or not rt.namespaced) else ns
        out.append(Found(rt, list_objects(state, rt, scope, selector), []))
    return out


def get_object(state, rt, namespace: str, name: str) -> dict | None:
    """One object by name (events included, which are not stored as objects)."""
    if rt.kind == "Event":
        for ev in list_events(state, namespace):
            if ev["metadata"]["name"] == name:
                return ev
        return None
    return state.store.get(rt.kind, namespace if rt.namespaced else "", name)


def list_objects(state, rt, namespace: str | None, selector: Selector = ()) -> list[dict]:
    """Objects of a type in a namespace (None = all), sorted by namespace then name, filtered."""
    if rt.kind == "Event":
        objects = list_events(state, namespace)
    elif rt.kind == "Pod" and selector and namespace is not None:
        eq = equality_items(selector)
        if eq is not None:
            return state.store.pods_selected(namespace, selector)
        objects = state.store.list("Pod", namespace)
    else:
        objects = state.store.list(rt.kind, namespace if rt.namespaced else None)
    if selector:
        objects = [o for o in objects if matches(selector, o["metadata"].get("labels"))]
    return objects


def list_events(state, namespace: str | None) -> list[dict]:
    """Kubernetes Events as API objects (the cluster records them outside the store)."""
    events = list(state.store.list("Event", namespace)) if state.store.count("Event") else []
    all_events = getattr(state, "all_events", None)
    if all_events is None:
        return events
    for (kind, ns, name), ev in all_events():
        event_ns = ns or "default"  # events about cluster-scoped objects live in "default"
        if namespace is not None and event_ns != namespace:
            continue
        events.append(event_object(kind, ns, name, ev, event_ns))
    events.sort(key=lambda e: (e["metadata"]["namespace"], e.get("lastTimestamp") or ""))
    return events


def event_object(kind: str, namespace: str, name: str, ev, event_namespace: str) -> dict:
    """A recorded `K8sEvent` as the v1 Event the API server would return."""
    first = timestamp(ev.first)
    stamp = int((EPOCH.timestamp() + ev.first) * 1e9)
    involved = {"kind": kind, "name": name}
    if namespace:
        involved["namespace"] = namespace
    rt = kinds.by_kind(kind)
    if rt is not None:
        involved["apiVersion"] = f"{rt.group}/{rt.version}" if rt.group else rt.version
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": f"{name}.{stamp:x}",
            "namespace": event_namespace,
            "creationTimestamp": first,
        },
        "involvedObject": involved,
        "reason": ev.reason,
        "message": ev.message,
        "source": {"component": ev.source},
        "firstTimestamp": first,
        "lastTimestamp": timestamp(ev.last),
        "count": ev.count,
        "type": ev.type,
    }
