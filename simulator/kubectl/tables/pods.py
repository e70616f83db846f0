"""The pods table: READY, STATUS and RESTARTS as `printers.go printPod` derives them."""

from __future__ import annotations

from simulator.kubectl.age import since

from .base import EMPTY, RowContext


def pod_status_cells(pod: dict, now: float) -> tuple[str, str, str]:
    """READY, STATUS and RESTARTS of a pod, as `printers.go printPod` derives them."""
    spec = pod.get("spec") or EMPTY
    status = pod.get("status") or EMPTY
    phase = status.get("phase") or ""
    if (
        phase == "Running"
        and "initContainers" not in spec
        and "initContainerStatuses" not in status
        and "deletionTimestamp" not in pod["metadata"]
    ):
        # The common case, kept lean for `get pods -A` on large clusters: every
        # container running (or the full rules below decide).
        statuses = status.get("containerStatuses") or ()
        ready = 0
        for cs in statuses:
            state = cs.get("state") or EMPTY
            if "running" not in state or len(state) != 1 or cs.get("restartCount"):
                break
            if cs.get("ready"):
                ready += 1
        else:
            total = len(spec.get("containers") or ())
            return f"{ready}/{total}", status.get("reason") or phase, "0"
    return _pod_status_full(pod, now)


def _pod_status_full(pod: dict, now: float) -> tuple[str, str, str]:
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    total = len(spec.get("containers") or ())
    ready_count = 0
    restarts = 0
    last_restart: str | None = None
    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    conditions = status.get("conditions") or ()
    for cond in conditions:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = {c.get("name"): c for c in spec.get("initContainers") or ()}
    sidecar_names = {n for n, c in init_specs.items() if c.get("restartPolicy") == "Always"}
    total += len(sidecar_names)
    init_statuses = status.get("initContainerStatuses") or ()
    initializing = False
    sidecar_restarts = 0
    for i, cs in enumerate(init_statuses):
        restarts += int(cs.get("restartCount") or 0)
        is_sidecar = cs.get("name") in sidecar_names
        if is_sidecar:
            sidecar_restarts += int(cs.get("restartCount") or 0)
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if is_sidecar and cs.get("started"):
            if cs.get("ready"):
                ready_count += 1
            continue
        if terminated is not None:
            if terminated.get("reason"):
                reason = "Init:" + terminated["reason"]
            elif terminated.get("signal"):
                reason = f"Init:Signal:{terminated['signal']}"
            else:
                reason = f"Init:ExitCode:{terminated.get('exitCode', 0)}"
        elif (
            waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing"
        ):
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break

    initialized = any(
        c.get("type") == "Initialized" and c.get("status") == "True" for c in conditions
    )
    if not initializing or initialized:
        restarts = sidecar_restarts
        has_running = False
        for cs in reversed(status.get("containerStatuses") or ()):
            restarts += int(cs.get("restartCount") or 0)
            last = ((cs.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
            if last and (last_restart is None or last > last_restart):
                last_restart = last
            state = cs.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode', 0)}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready_count += 1
        if reason == "Completed" and has_running:
            ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
            reason = "Running" if ready else "NotReady"

    if pod["metadata"].get("deletionTimestamp"):
        if status.get("reason") == "NodeLost":
            reason = "Unknown"
        elif phase not in ("Succeeded", "Failed"):
            reason = "Terminating"

    restarts_text = str(restarts)
    if restarts and last_restart:
        restarts_text = f"{restarts} ({since(last_restart, now)} ago)"
    return f"{ready_count}/{total}", reason, restarts_text


def pod_row(pod: dict, ctx: RowContext) -> list[str]:
    """A pods row: READY, STATUS, RESTARTS, AGE (+ IP, NODE... with -o wide)."""
    ready, reason, restarts = pod_status_cells(pod, ctx.now)
    meta = pod["metadata"]
    stamp = meta.get("creationTimestamp") or ""
    age = ctx.ages.get(stamp) or ctx.age(pod)
    row = [meta["name"], ready, reason, restarts, age]
    if ctx.wide:
        spec, status = pod.get("spec") or {}, pod.get("status") or {}
        ips = status.get("podIPs") or ()
        ip = (ips[0].get("ip") if ips else status.get("podIP")) or "<none>"
        gates = spec.get("readinessGates") or ()
        gates_text = "<none>"
        if gates:
            conds = {c.get("type"): c.get("status") for c in status.get("conditions") or ()}
            true = sum(1 for g in gates if conds.get(g.get("conditionType")) == "True")
            gates_text = f"{true}/{len(gates)}"
        row += [
            ip,
            spec.get("nodeName") or "<none>",
            status.get("nominatedNodeName") or "<none>",
            gates_text,
        ]
    return row
