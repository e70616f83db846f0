"""A Deployment's status and conditions, and the fenceposts of its rolling update.

As `pkg/controller/deployment` counts them (`sync.go` calculateStatus and
syncRolloutStatus, `util/deployment_util.go`): the counts summed over the
ReplicaSets; `Available` while at least `replicas - maxUnavailable` pods are
available; `Progressing` with the reason of the rollout's latest news
(`NewReplicaSetCreated`, `ReplicaSetUpdated` whenever it moved,
`NewReplicaSetAvailable` once complete, `ProgressDeadlineExceeded` when it did
not move for `progressDeadlineSeconds`, `DeploymentPaused`/`Resumed`). A
condition that changes moves to the end of the list, as SetDeploymentCondition
does. Pure functions of the Deployment, its ReplicaSets and the time.
"""

from __future__ import annotations

import math

from simulator.clock import seconds_at, timestamp

AVAILABLE, PROGRESSING = "Available", "Progressing"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
TIMED_OUT = "ProgressDeadlineExceeded"
PAUSED, RESUMED = "DeploymentPaused", "DeploymentResumed"


def scaled_value(value: object, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent: a number as it is, a percentage of `total`
    rounded up or down."""
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        exact = int(value[:-1]) * total / 100
        return math.ceil(exact) if round_up else math.floor(exact)
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    return 0


def fenceposts(deployment: dict) -> tuple[int, int]:
    """`(maxSurge, maxUnavailable)` of a RollingUpdate Deployment (ResolveFenceposts):
    surge rounds up, unavailable down, and when both come to 0, unavailable is 1."""
    spec = deployment["spec"]
    rolling = (spec.get("strategy") or {}).get("rollingUpdate") or {}
    replicas = int(spec.get("replicas", 1))
    surge = scaled_value(rolling.get("maxSurge", "25%"), replicas, True)
    unavailable = scaled_value(rolling.get("maxUnavailable", "25%"), replicas, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def _rolling(deployment: dict) -> bool:
    return (deployment["spec"].get("strategy") or {}).get("type", "RollingUpdate") == (
        "RollingUpdate"
    )


def max_surge(deployment: dict) -> int:
    """How many pods a rolling update may add above `replicas`; none for Recreate."""
    return fenceposts(deployment)[0] if _rolling(deployment) else 0


def max_unavailable(deployment: dict) -> int:
    """How many of `replicas` may be unavailable during a rolling update (at most all);
    none for Recreate or no replicas (MaxUnavailable)."""
    replicas = int(deployment["spec"].get("replicas", 1))
    if not _rolling(deployment) or replicas == 0:
        return 0
    return min(fenceposts(deployment)[1], replicas)


def status(deployment: dict, replica_sets: list[dict], new_name: str | None, now: float,
           created: bool = False) -> tuple[dict, float | None]:  # fmt: skip
    """The Deployment's status counted now, and when it must be looked at again (its
    progress deadline), or None.

    Args:
        deployment: the Deployment, with the status it has (its conditions carry on).
        replica_sets: its ReplicaSets.
        new_name: its current template's ReplicaSet, or None when that does not exist.
        now: simulated seconds.
        created: the controller created that ReplicaSet since the last status.
    """
    spec = deployment["spec"]
    replicas = int(spec.get("replicas", 1))
    new = next((rs for rs in replica_sets if rs["metadata"]["name"] == new_name), None)

    def total(field: str, sets: list[dict]) -> int:
        return sum(int((rs.get("status") or {}).get(field, 0)) for rs in sets)

    available = total("availableReplicas", replica_sets)
    desired_total = sum(int(rs["spec"].get("replicas", 1)) for rs in replica_sets)
    before = deployment.get("status") or {}
    out: dict = {
        "observedGeneration": deployment["metadata"].get("generation", 1),
        "replicas": total("replicas", replica_sets),
        "updatedReplicas": total("replicas", [new] if new else []),
        "readyReplicas": total("readyReplicas", replica_sets),
        "availableReplicas": available,
        "unavailableReplicas": max(0, desired_total - available),
    }
    conditions = [dict(c) for c in before.get("conditions") or ()]
    at = timestamp(now)
    if available >= replicas - max_unavailable(deployment):
        _set(conditions, AVAILABLE, "True", "MinimumReplicasAvailable",
             "Deployment has minimum availability.", at)  # fmt: skip
    else:
        _set(conditions, AVAILABLE, "False", "MinimumReplicasUnavailable",
             "Deployment does not have minimum availability.", at)  # fmt: skip
    requeue = _progress(deployment, conditions, before, out, new_name, now, created)
    out["conditions"] = conditions
    for field in ("readyReplicas", "availableReplicas", "unavailableReplicas"):
        if not out[field]:
            del out[field]  # omitempty
    return out, requeue


def _progress(deployment: dict, conditions: list[dict], before: dict, now_status: dict,
              new_name: str | None, now: float, created: bool) -> float | None:  # fmt: skip
    """The Progressing condition (syncRolloutStatus, checkPausedConditions); returns when the
    progress deadline passes, for a rollout still under way."""
    spec = deployment["spec"]
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is None:
        conditions[:] = [c for c in conditions if c["type"] != PROGRESSING]
        return None
    at = timestamp(now)
    current = next((c for c in conditions if c["type"] == PROGRESSING), None)
    reason = current["reason"] if current else None
    name = deployment["metadata"]["name"]
    subject = f'ReplicaSet "{new_name}"' if new_name else f'Deployment "{name}"'
    if spec.get("paused"):
        if reason not in (TIMED_OUT, PAUSED):
            _set(conditions, PROGRESSING, "Unknown", PAUSED, "Deployment is paused", at)
        return None
    if reason == PAUSED:
        _set(conditions, PROGRESSING, "Unknown", RESUMED, "Deployment is resumed", at)
    if created:
        _set(conditions, PROGRESSING, "True", "NewReplicaSetCreated",
             f'Created new replica set "{new_name}"', at)  # fmt: skip
    elif current is None and new_name:
        _set(conditions, PROGRESSING, "True", "FoundNewReplicaSet",
             f'Found new replica set "{new_name}"', at)  # fmt: skip
    current = next((c for c in conditions if c["type"] == PROGRESSING), None)
    replicas = int(spec.get("replicas", 1))
    complete_before = (
        now_status["replicas"] == now_status["updatedReplicas"]
        and current is not None
        and current["reason"] == NEW_RS_AVAILABLE
    )
    if complete_before:
        return None
    if (
        now_status["updatedReplicas"] == replicas
        and now_status["replicas"] == replicas
        and now_status["availableReplicas"] == replicas
    ):
        _set(conditions, PROGRESSING, "True", NEW_RS_AVAILABLE,
             f"{subject} has successfully progressed.", at)  # fmt: skip
        return None
    if _moved(before, now_status):
        kept = current["lastTransitionTime"] if current and current["status"] == "True" else at
        conditions[:] = [c for c in conditions if c["type"] != PROGRESSING]
        fresh = _condition(PROGRESSING, "True", "ReplicaSetUpdated",
                           f"{subject} is progressing.", at)  # fmt: skip
        fresh["lastTransitionTime"] = kept
        conditions.append(fresh)
        current = fresh
    if current is None or current["reason"] == TIMED_OUT:
        return None
    due = seconds_at(current["lastUpdateTime"]) + float(deadline)
    if now > due:
        _set(conditions, PROGRESSING, "False", TIMED_OUT,
             f"{subject} has timed out progressing.", at)  # fmt: skip
        return None
    return due + 1.0  # the controller looks again a second after the deadline


def _moved(before: dict, now_status: dict) -> bool:
    """Whether the rollout made progress since the last status (DeploymentProgressing)."""
    old_before = before.get("replicas", 0) - before.get("updatedReplicas", 0)
    old_now = now_status["replicas"] - now_status["updatedReplicas"]
    return (
        now_status["updatedReplicas"] > before.get("updatedReplicas", 0)
        or old_now < old_before
        or now_status["readyReplicas"] > before.get("readyReplicas", 0)
        or now_status["availableReplicas"] > before.get("availableReplicas", 0)
    )


def _condition(type_: str, status_: str, reason: str, message: str, at: str) -> dict:
    return {
        "type": type_,
        "status": status_,
        "lastUpdateTime": at,
        "lastTransitionTime": at,
        "reason": reason,
        "message": message,
    }


def _set(conditions: list[dict], type_: str, status_: str, reason: str, message: str,
         at: str) -> None:  # fmt: skip
    """SetDeploymentCondition: nothing when the status and reason are the same; else the
    condition moves to the end, keeping its transition time when its status is unchanged."""
    current = next((c for c in conditions if c["type"] == type_), None)
    if current is not None and current["status"] == status_ and current["reason"] == reason:
        return
    fresh = _condition(type_, status_, reason, message, at)
    if current is not None and current["status"] == status_:
        fresh["lastTransitionTime"] = current["lastTransitionTime"]
    conditions[:] = [c for c in conditions if c["type"] != type_]
    conditions.append(fresh)
