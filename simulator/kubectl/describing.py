"""`kubectl describe`: find objects and gather what each describer needs from the cluster."""

from __future__ import annotations

from simulator.kinds import GATEWAY_KINDS

from . import describe as texts
from .context import Context
from .errors import KubectlError, usage_error
from .getting import live_objects_from_stdin, selector_of
from .resources import find, list_objects, parse_request


def describe(ctx: Context) -> None:
    """`kubectl describe TYPE [NAME_PREFIX...]` (also `-l`, `-A`, `TYPE/NAME`)."""
    a = ctx.args
    all_ns = bool(a.get("all-namespaces"))
    selector = selector_of(ctx)
    if a.get("filename"):
        found = live_objects_from_stdin(ctx)
    else:
        if not a.positional:
            raise KubectlError(
                'You must specify the type of resource to describe. Use "kubectl api-resources" '
                "for a complete list of supported resources.\n\n"
                + str(usage_error("Required resource not specified.", "describe"))
            )
        request = parse_request(a.positional)
        found = find(ctx.state, request, ctx.namespace, all_namespaces=all_ns, selector=selector)
        if (
            len(a.positional) == 2
            and "/" not in a.positional[0]
            and found
            and found[0].errors
            and len(request.types) == 1
        ):
            # `kubectl describe pods kubia` describes every pod whose name starts with kubia.
            rt = found[0].rt
            scope = ctx.namespace if rt.namespaced else None
            matches = [
                o
                for o in list_objects(ctx.state, rt, scope)
                if o["metadata"]["name"].startswith(a.positional[1])
            ]
            if matches:
                show_events = a.get("show-events", True)
                for obj in matches:
                    ctx.out.append(describe_object(ctx.state, rt, obj, show_events) + "\n")
                return
    first = True
    show_events = a.get("show-events", True)
    for f in found:
        for line in f.errors:
            ctx.error(line)
        for obj in f.objects:
            text = describe_object(ctx.state, f.rt, obj, show_events)
            ctx.out.append(text if first else "\n\n" + text)
            first = False
    if first and not any(f.errors for f in found):
        ctx.warn(
            "No resources found" if all_ns else f"No resources found in {ctx.namespace} namespace."
        )


def describe_object(state, rt, obj: dict, show_events: object = True) -> str:
    """The describe text of one object, gathering what its describer needs from the state."""
    meta = obj["metadata"]
    ns, name, kind = meta.get("namespace", ""), meta["name"], rt.kind
    now = state.clock.now
    events = _events(state, kind, ns, name) if show_events else None
    store = state.store
    if kind == "Pod":
        return texts.describe_pod(obj, events, now)
    if kind == "Service":
        return texts.describe_service(obj, _slices(state, ns, name), events, now)
    if kind == "Endpoints":
        return texts.describe_endpoints(obj, events, now)
    if kind == "EndpointSlice":
        return texts.describe_endpointslice(obj, events, now)
    if kind == "Ingress":

        def lookup(service: str) -> tuple[dict | None, list[dict]]:
            """The backend Service and its EndpointSlices, from the Ingress's namespace."""
            return store.get("Service", ns, service), _slices(state, ns, service)

        return texts.describe_ingress(obj, lookup, events, now)
    if kind == "IngressClass":
        return texts.describe_ingressclass(obj, events, now)
    if kind == "NetworkPolicy":
        return texts.describe_networkpolicy(obj)
    if kind == "Node":
        pods = [
            p
            for p in store.list("Pod")
            if (p.get("spec") or {}).get("nodeName") == name
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
        ]
        return texts.describe_node(obj, pods, events, now)
    if kind == "Deployment":
        old, new = _replica_sets(state, obj)
        return texts.describe_deployment(obj, old, new, events, now)
    if kind in ("ReplicaSet", "ReplicationController"):
        return texts.describe_replicaset(obj, _pod_phases(state, obj), events, now)
    if kind == "DaemonSet":
        return texts.describe_daemonset(obj, _pod_phases(state, obj), events, now)
    if kind == "Namespace":
        return texts.describe_namespace(obj)
    if kind == "ConfigMap":
        return texts.describe_configmap(obj, events, now)
    if kind == "Secret":
        return texts.describe_secret(obj)
    if kind in GATEWAY_KINDS:
        return texts.describe_custom(obj, events, now)
    return texts.describe_generic(obj, events, now)


def _events(state, kind: str, namespace: str, name: str) -> list:
    events_for = getattr(state, "events_for", None)
    return list(events_for(kind, namespace, name)) if events_for else []


def _slices(state, namespace: str, service: str) -> list[dict]:
    return [
        s
        for s in state.store.list("EndpointSlice", namespace)
        if (s["metadata"].get("labels") or {}).get("kubernetes.io/service-name") == service
    ]


def _owned(objects: list[dict], uid: str) -> list[dict]:
    return [
        o
        for o in objects
        if any(
            r.get("controller") and r.get("uid") == uid
            for r in o["metadata"].get("ownerReferences") or ()
        )
    ]


def _pod_phases(state, owner: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    ns = owner["metadata"].get("namespace", "")
    for pod in _owned(state.store.list("Pod", ns), owner["metadata"].get("uid", "")):
        phase = (pod.get("status") or {}).get("phase", "Pending")
        counts[phase] = counts.get(phase, 0) + 1
    return counts


def _replica_sets(state, deployment: dict) -> tuple[list[dict], list[dict]]:
    """A Deployment's old and new ReplicaSets (new: the one running the current template;
    old: the others with replicas, as `FindOldReplicaSets` chooses them)."""
    ns = deployment["metadata"].get("namespace", "")
    owned = _owned(state.store.list("ReplicaSet", ns), deployment["metadata"].get("uid", ""))
    template = (deployment.get("spec") or {}).get("template") or {}

    def same_template(rs: dict) -> bool:
        """Whether `rs` runs the Deployment's current pod template."""
        rs_template = (rs.get("spec") or {}).get("template") or {}
        labels = dict((rs_template.get("metadata") or {}).get("labels") or {})
        labels.pop("pod-template-hash", None)
        want = (template.get("metadata") or {}).get("labels") or {}
        return labels == want and rs_template.get("spec") == template.get("spec")

    new = [rs for rs in owned if same_template(rs)][:1]
    if not new and owned:
        new = [
            max(
                owned,
                key=lambda rs: (
                    rs["metadata"].get("creationTimestamp", ""),
                    rs["metadata"]["name"],
                ),
            )
        ]
    # kubectl lists the old ones still meant to run pods: a finished rollout shows <none>.
    old = [rs for rs in owned if rs not in new and (rs.get("spec") or {}).get("replicas") != 0]
    return old, new
