"""What the scheduler and the kubelet report about a pod's start, derived rather than recorded.

A cluster of 10,000 pods would record 50,000 events as they start; these are
worked out from the kubelet's records when someone reads them (`kubectl
describe pod`, `kubectl get events`): Scheduled from the scheduler; Pulling and
Pulled (or "already present"), Created and Started for each container from
the kubelet, at the times the pod went through each stage (`pod_startup`).
Events made later (Unhealthy, Killing) are recorded as they happen.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Protocol

from .k8s_events import K8sEvent
from .runtime import PodRuntime, StartRecord
from .store import Key

KUBELET = "kubelet"


class PodRecords(Protocol):
    """Where the kubelet keeps its pods (`ClusterData`)."""

    @property
    def runtime(self) -> Mapping[Key, PodRuntime]: ...

    @property
    def starting(self) -> Mapping[Key, StartRecord]: ...


def start_events(data: PodRecords, pod: dict) -> list[K8sEvent]:
    """A pod's start-up events so far, in the order they happened."""
    meta = pod["metadata"]
    key = (meta["namespace"], meta["name"])
    rt = data.runtime.get(key)
    record = data.starting.get(key)
    creating: float | None
    if rt is not None:
        scheduled, creating = rt.scheduled_at, rt.started_at - (rt.pulled_in or 0)
        pulling = rt.pulled_in is not None
    elif record is not None:
        scheduled, creating, pulling = record.scheduled_at, record.creating_at, record.pulling
    else:
        return []  # Pending unscheduled: its FailedScheduling event is recorded
    node = pod["spec"].get("nodeName")
    assigned = f"Successfully assigned {key[0]}/{key[1]} to {node}"
    events = [K8sEvent("Normal", "Scheduled", "default-scheduler", assigned, scheduled, scheduled)]
    containers = pod["spec"].get("containers") or ()
    if creating is not None and pulling:
        for c in containers:
            message = f'Pulling image "{c.get("image", "")}"'
            events.append(K8sEvent("Normal", "Pulling", KUBELET, message, creating, creating))
    if rt is None:
        return events
    at = rt.started_at
    for c in containers:
        image = c.get("image", "")
        if pulling:
            took = _duration(rt.pulled_in or 0)
            pulled = (f'Successfully pulled image "{image}" in {took} ({took} including '
                      f"waiting). Image size: {image_size(image)} bytes.")  # fmt: skip
        else:
            pulled = f'Container image "{image}" already present on machine'
        events += [
            K8sEvent("Normal", "Pulled", KUBELET, pulled, at, at),
            K8sEvent("Normal", "Created", KUBELET, f"Created container: {c['name']}", at, at),
            K8sEvent("Normal", "Started", KUBELET, f"Started container {c['name']}", at, at),
        ]
    return events


def _duration(seconds: float) -> str:
    """Go's `time.Duration` text for a whole or fractional number of seconds (`1s`, `1.5s`)."""
    text = f"{seconds:.3f}".rstrip("0").rstrip(".")
    return f"{text}s"


def image_size(image: str) -> int:
    """The size the kubelet reports for a pulled image. Kubeplay pulls no image: the number
    is made up, the same for an image in every run (a few MB to a few hundred)."""
    return 5_000_000 + zlib.crc32(image.encode()) % 240_000_000
