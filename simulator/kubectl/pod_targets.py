"""The pod a command aims at: `NAME`, `pod/NAME`, or a workload or Service picking one
(`kubectl logs`, `exec`, `port-forward`).

`kubectl logs`, `exec` and `port-forward` accept `deploy/NAME`, `svc/NAME` and
the like and use one pod of it, chosen as kubectl's `GetFirstPod` does with
`podutils.ByLogging`: pods bound to a node first, then Running before Unknown
before Pending, Ready first, Ready the longest first, then the oldest. (`exec`
and `port-forward` sort by `ActivePods` reversed, the same order but for restart
counts, which the playground's containers do not have.)
"""

from __future__ import annotations

from simulator.labels import Selector, from_label_selector, from_match_labels, matches

from .context import Context
from .errors import KubectlError, error, not_found
from .resources import resolve_type

_PHASE_ORDER = {"Running": 0, "Unknown": 1, "Pending": 2}
_WORKLOADS = ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job")


def pick_pod(ctx: Context, target: str, verb: str) -> tuple[dict, int]:
    """The pod `target` names, and how many pods its owner had to choose from (0 for a pod).

    Raises:
        KubectlError: the object or every pod of it is missing, in kubectl's words.
    """
    store = ctx.state.store
    type_text, slash, name = target.partition("/")
    if not slash:
        pod = store.get("Pod", ctx.namespace, target)
        if pod is None:
            raise KubectlError(not_found("pods", target))
        return pod, 0
    rt = resolve_type(type_text)
    obj = store.get(rt.kind, ctx.namespace if rt.namespaced else "", name)
    if obj is None:
        raise KubectlError(not_found(rt.resource_qualified, name))
    if rt.kind == "Pod":
        return obj, 0
    selector = _selector(obj, rt.kind, name, verb)
    listed = store.list("Pod", ctx.namespace)
    pods = [p for p in listed if matches(selector, p["metadata"].get("labels"))]
    if not pods:
        raise error("timed out waiting for the condition")
    pods.sort(key=_by_logging)
    return pods[0], len(pods)


def _selector(obj: dict, kind: str, name: str, verb: str) -> Selector:
    spec = obj.get("spec") or {}
    if kind in ("Service", "ReplicationController"):
        raw = spec.get("selector")
        if not raw:
            go_type = f"*v1.{kind}"
            raise error(
                f"cannot {_what(verb)} from {go_type}: invalid {kind.lower()} '{name}': "
                f"{kind} is defined without a selector"
            )
        return from_match_labels(raw)
    if kind in _WORKLOADS:
        return from_label_selector(spec.get("selector"))
    if verb == "logs":
        raise error(f"cannot get the logs from *v1.{kind}: selector for *v1.{kind} not implemented")
    raise error(f"cannot attach to *v1.{kind}: not implemented")


def _what(verb: str) -> str:
    return "get the logs" if verb == "logs" else "attach to"


def _by_logging(pod: dict) -> tuple:
    """podutils.ByLogging's order as a sort key (the store lists pods by name already)."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    ready_at = ""
    ready = False
    for condition in status.get("conditions") or ():
        if condition.get("type") == "Ready":
            ready = condition.get("status") == "True"
            ready_at = condition.get("lastTransitionTime") or ""
    created = pod["metadata"].get("creationTimestamp") or "~"  # no timestamp sorts last
    return (
        not spec.get("nodeName"),
        _PHASE_ORDER.get(status.get("phase") or "", 3),
        not ready,
        ready_at if ready else "",
        created,
    )
