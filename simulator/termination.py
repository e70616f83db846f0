"""A deleted pod's way out: Terminating while its preStop hooks run, then gone.

As the API server and the kubelet do it (pod-lifecycle.md, "Termination of
Pods"): deleting a pod sets `metadata.deletionTimestamp` (now plus its grace
period) and `deletionGracePeriodSeconds`; `kubectl get pods` says
`Terminating`. At once its owner stops counting it and makes a replacement,
the Endpoints controller drops it from Endpoints and keeps it in its
EndpointSlices as `ready: false`, `serving` (its readiness), `terminating:
true`, and the kubelet records `Killing` for each container and runs its
`preStop` hook. A container stops as soon as its hook ends (Kubeplay's
containers stop at once on SIGTERM), so a pod without hooks goes at once; a
hook that outlives the grace period gets the kubelet's one-off 2-second
extension, then the container is killed. Then the pod leaves the API.

Hooks: `sleep: {seconds: N}` and an `exec` command that sleeps (`sleep N`,
`sh -c "...; sleep N"`) last N seconds; `httpGet` (a request the container
answers at once) and any other command end at once.
"""

from __future__ import annotations

import re

from . import pod_lifecycle
from .clock import timestamp
from .cluster_data import ClusterData
from .events import MODIFIED
from .store import key_of
from .timers import GRACE_EXTENSION, RemovePod

DEFAULT_GRACE = 30
_SLEEP = re.compile(r"(?:^|[\s;&|(])sleep\s+(\d+(?:\.\d+)?)([smhd]?)(?=$|[\s;&|)])")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def begin(data: ClusterData, pod: dict, grace: int | None = None) -> float | None:
    """Delete a pod gracefully (or shorten a deletion under way).

    Args:
        pod: the pod, as stored.
        grace: the grace period asked for (`kubectl delete --grace-period`), or None for
            the pod's `terminationGracePeriodSeconds`; 0 removes it at once (`--force`).

    Returns:
        When the pod will be gone (simulated seconds), or None when it is gone already:
        a pod whose containers never ran, or whose containers all stop at once.
    """
    key = key_of(pod)
    rt = data.runtime.get(key)
    if rt is None or grace == 0:
        pod_lifecycle.delete_pod(data, pod, reason=None)
        return None
    now = data.now
    if grace is None:
        grace = int(pod["spec"].get("terminationGracePeriodSeconds", DEFAULT_GRACE))
    containers = pod["spec"].get("containers") or ()
    hook = max((prestop_seconds(c) for c in containers), default=0.0)
    ends = now + min(hook, grace + GRACE_EXTENSION)
    if rt.terminating:
        earlier = data.terminating.get(key, ends)
        if ends >= earlier:
            return earlier
    else:
        for c in containers:
            data.record_event(
                pod, "Normal", "Killing", "kubelet", f"Stopping container {c['name']}"
            )
        if ends > now:
            rt.terminating = True
            data.endpoints.pod_terminating(key)
            data.workloads.pod_terminating(pod)
    if ends <= now:
        pod_lifecycle.delete_pod(data, pod, reason=None)
        return None
    meta = pod["metadata"]
    meta["deletionTimestamp"] = timestamp(now + grace)
    meta["deletionGracePeriodSeconds"] = grace
    data.touch_object(pod)
    data.store.revision += 1  # readers keyed on the store's revision see the change
    data.terminating[key] = ends
    data.clock.schedule(ends, RemovePod(key, meta["uid"]))
    data.log.emit(now, MODIFIED, "Pod", key[0], key[1], {"terminating": True})
    return ends


def finish(data: ClusterData, item: RemovePod) -> None:
    """A terminating pod's time is up: its containers have stopped, it leaves the API."""
    pod = data.store.get("Pod", *item.key)
    if pod is None or pod["metadata"]["uid"] != item.uid:
        return
    if data.terminating.get(item.key, data.now) > data.now:
        return  # shortened or rescheduled: a later item is the one that counts
    pod_lifecycle.delete_pod(data, pod, reason=None)


def gone_at(data: ClusterData, namespace: str, name: str) -> float | None:
    """When a terminating pod will be gone, or None when it is not terminating."""
    return data.terminating.get((namespace, name))


def prestop_seconds(container: dict) -> float:
    """How long a container's preStop hook keeps it running (see the module docstring)."""
    hook = (container.get("lifecycle") or {}).get("preStop") or {}
    sleep = hook.get("sleep")
    if isinstance(sleep, dict):
        try:
            return max(0.0, float(sleep.get("seconds", 0)))
        except (TypeError, ValueError):
            return 0.0
    command = (hook.get("exec") or {}).get("command") or ()
    text = " ".join(str(word) for word in command)
    return float(sum(float(n) * _UNITS[unit] for n, unit in _SLEEP.findall(text)))
