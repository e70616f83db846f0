"""What `kubectl rollout status` says about an object, as kubectl's status viewers word it
(k8s.io/kubectl `pkg/polymorphichelpers/rollout_status.go`), and Go durations for `--timeout`.

Each viewer is a pure function of the object as the API returns it: the line to
print, whether the rollout is done, or an error that ends the wait.
"""

from __future__ import annotations

import re

from .errors import KubectlError, error

_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


class StatusError(KubectlError):
    """The rollout cannot finish (a progress deadline passed); kubectl stops waiting."""


def parse_duration(text: str, flag: str) -> float:
    """Go's `time.ParseDuration` (`30s`, `1m30s`, `0`), in seconds.

    Raises:
        KubectlError: kubectl's wording for a value that is no duration.
    """
    value = text.strip()
    if value in ("0", "+0", "-0"):
        return 0.0
    body = value.lstrip("+-")
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(body):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if not body or pos != len(body):
        raise error(
            f'invalid argument "{text}" for "--{flag}" flag: time: invalid duration "{text}"'
        )
    return -total if value.startswith("-") else total


def status_of(obj: dict, revision: int = 0) -> tuple[str, bool]:
    """The line `rollout status` prints for `obj` now, and whether the rollout is done.

    Raises:
        StatusError: the Deployment exceeded its progress deadline, or the revision asked
            for is not the one rolling out.
        KubectlError: the object's kind or strategy has no rollout status.
    """
    kind = obj["kind"]
    if kind == "Deployment":
        return _deployment(obj, revision)
    if kind == "DaemonSet":
        return _daemon_set(obj)
    if kind == "StatefulSet":
        return _stateful_set(obj)
    group = "" if kind in ("Pod", "Service", "ReplicationController") else ".apps"
    raise error(f"no status viewer has been implemented for {kind}{group}")


def _deployment(d: dict, revision: int) -> tuple[str, bool]:
    name = d["metadata"]["name"]
    status = d.get("status") or {}
    if revision > 0:
        current = str((d["metadata"].get("annotations") or {}).get(
            "deployment.kubernetes.io/revision", "0"))  # fmt: skip
        if str(revision) != current:
            raise StatusError(
                f"error: desired revision ({revision}) is different from the running "
                f"revision ({current})"
            )
    if d["metadata"].get("generation", 1) > status.get("observedGeneration", 0):
        return "Waiting for deployment spec update to be observed...", False
    progressing = next(
        (c for c in status.get("conditions") or () if c.get("type") == "Progressing"), None
    )
    if progressing is not None and progressing.get("reason") == "ProgressDeadlineExceeded":
        raise StatusError(f'error: deployment "{name}" exceeded its progress deadline')
    replicas = int(d["spec"].get("replicas", 1))
    updated = int(status.get("updatedReplicas", 0))
    total = int(status.get("replicas", 0))
    available = int(status.get("availableReplicas", 0))
    waiting = f'Waiting for deployment "{name}" rollout to finish: '
    if updated < replicas:
        return f"{waiting}{updated} out of {replicas} new replicas have been updated...", False
    if total > updated:
        return f"{waiting}{total - updated} old replicas are pending termination...", False
    if available < updated:
        return f"{waiting}{available} of {updated} updated replicas are available...", False
    return f'deployment "{name}" successfully rolled out', True


def _daemon_set(ds: dict) -> tuple[str, bool]:
    name = ds["metadata"]["name"]
    status = ds.get("status") or {}
    if ((ds["spec"].get("updateStrategy") or {}).get("type") or "RollingUpdate") != (
        "RollingUpdate"
    ):
        raise error("rollout status is only available for RollingUpdate strategy type")
    if ds["metadata"].get("generation", 1) > status.get("observedGeneration", 0):
        return "Waiting for daemon set spec update to be observed...", False
    desired = int(status.get("desiredNumberScheduled", 0))
    updated = int(status.get("updatedNumberScheduled", 0))
    available = int(status.get("numberAvailable", 0))
    waiting = f'Waiting for daemon set "{name}" rollout to finish: '
    if updated < desired:
        return f"{waiting}{updated} out of {desired} new pods have been updated...", False
    if available < desired:
        return f"{waiting}{available} of {desired} updated pods are available...", False
    return f'daemon set "{name}" successfully rolled out', True


def _stateful_set(sts: dict) -> tuple[str, bool]:
    status = sts.get("status") or {}
    strategy = sts["spec"].get("updateStrategy") or {}
    if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
        raise error("rollout status is only available for RollingUpdate strategy type")
    observed = status.get("observedGeneration", 0)
    if not observed or sts["metadata"].get("generation", 1) > observed:
        return "Waiting for statefulset spec update to be observed...", False
    replicas = int(sts["spec"].get("replicas", 1))
    ready = int(status.get("readyReplicas", 0))
    if ready < replicas:
        return f"Waiting for {replicas - ready} pods to be ready...", False
    updated = int(status.get("updatedReplicas", 0))
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        partition = rolling.get("partition")
        if partition is not None and updated < replicas - int(partition):
            return (
                "Waiting for partitioned roll out to finish: "
                f"{updated} out of {replicas - int(partition)} new pods have been updated...",
                False,
            )
        return f"partitioned roll out complete: {updated} new pods have been updated...", True
    update, current = status.get("updateRevision"), status.get("currentRevision")
    if update != current:
        return (
            f"waiting for statefulset rolling update to complete {updated} pods at revision "
            f"{update}...",
            False,
        )
    return (
        f"statefulset rolling update complete {status.get('currentReplicas', 0)} pods at "
        f"revision {current}...",
        True,
    )
