"""`kubectl rollout status|history|undo|restart|pause|resume`.

`status` watches as kubectl does, in simulated time: it prints the status
line whenever it changes and lets the cluster's clock run to the next moment
anything can change (a pod's next stage, a probe, a controller's next look),
until the rollout is done, fails its progress deadline, or `--timeout`
passes. Without `--timeout`, where kubectl would wait for ever, it waits at
most MAX_WAIT simulated seconds. `--watch=false` prints once.

The changes (`undo`, `restart`, `pause`, `resume`) go through the same path
as `kubectl patch`: the changed object is validated and applied like any
update, and the controllers take it from there.
"""

from __future__ import annotations

import copy

from simulator.clock import timestamp
from simulator.controllers import revisions
from simulator.controllers.deployments import REVISION, SKIPPED_ANNOTATIONS

from .args import BOOL, FILENAME, INT, SELECTOR, Flag
from .changing import MISSING_FILES, targets
from .context import Context
from .describe.pods import describe_pod_template
from .describe.writer import Writer
from .errors import KubectlError, error, usage_error
from .patching import replace_object
from .rollout_status import StatusError, parse_duration, status_of
from .tabwriter import format_tabbed

FLAGS = (
    FILENAME,
    SELECTOR,
    Flag("watch", "w", BOOL),
    Flag("timeout"),
    Flag("revision", type=INT),
    Flag("to-revision", type=INT),
    Flag("output", "o"),
    Flag("dry-run"),
)
SUBCOMMANDS = ("history", "pause", "restart", "resume", "status", "undo")
#: How long `rollout status` waits without `--timeout` (kubectl would wait for ever).
MAX_WAIT = 600.0
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
CHANGE_CAUSE = "kubernetes.io/change-cause"
ROLLED = ("Deployment", "DaemonSet", "StatefulSet")


def rollout(ctx: Context) -> None:
    """Dispatch `kubectl rollout SUBCOMMAND TYPE NAME`."""
    args = ctx.args.positional
    if not args:
        raise usage_error("You must specify the type of resource to roll out", "rollout")
    sub, rest = args[0], args[1:]
    if sub not in SUBCOMMANDS:
        raise usage_error(f'unknown command "{sub}"', "rollout")
    if not rest:
        raise error(f"{MISSING_FILES}\nSee 'kubectl rollout {sub} -h' for help and examples")
    for rt, obj in targets(ctx, rest, f"rollout {sub}"):
        ref = f"{rt.qualified}/{obj['metadata']['name']}"
        try:
            _SUBCOMMANDS[sub](ctx, rt, obj, ref)
        except StatusError:
            raise
        except KubectlError as err:
            ctx.error(str(err))


def _status(ctx: Context, rt, obj: dict, ref: str) -> None:
    a = ctx.args
    timeout = parse_duration(str(a.get("timeout")), "timeout") if a.get("timeout") else 0.0
    revision = a.number("revision") or 0
    namespace, name = obj["metadata"].get("namespace", ""), obj["metadata"]["name"]
    deadline = ctx.now + (timeout if timeout > 0 else MAX_WAIT)
    last = None
    while True:
        live = ctx.state.store.get(rt.kind, namespace, name)
        if live is None:
            raise error(f'{rt.resource_qualified} "{name}" not found')
        message, done = status_of(live, revision)
        if message != last:
            ctx.print(message)
            last = message
        if done or a.get("watch") is False:
            return
        upcoming = ctx.state.clock.next_at()
        if ctx.now >= deadline:
            raise error("timed out waiting for the condition")
        step = min(upcoming if upcoming is not None else deadline, deadline) - ctx.now
        ctx.state.advance(max(step, 0.0))


def _history(ctx: Context, rt, obj: dict, ref: str) -> None:
    if rt.kind not in ROLLED:
        _refuse_revisions(rt, "history")
    revision = ctx.args.number("revision") or 0
    history = _revisions(ctx, obj) if rt.kind == "Deployment" else _controller_history(ctx, obj)
    if revision > 0:
        template = history.get(revision)
        if template is None:
            raise error("unable to find the specified revision")
        w = Writer()
        describe_pod_template(w, template)
        ctx.print(f"{ref} with revision #{revision}\n{w.text()}")
        return
    if not history:
        ctx.print(f"{ref} \nNo rollout history found.")
        return
    lines = "REVISION\tCHANGE-CAUSE\n"
    for number in sorted(history):
        cause = (history[number]["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
        lines += f"{number}\t{cause or '<none>'}\n"
    ctx.print(f"{ref} \n{format_tabbed(lines)}\n")


def _refuse_revisions(rt, sub: str) -> None:
    """kubectl's words for a kind it keeps no revisions of."""
    noun = "history viewer" if sub == "history" else "rollbacker"
    raise error(f"no {noun} has been implemented for {rt.kind}{'.apps' if rt.group else ''}")


def _undo(ctx: Context, rt, obj: dict, ref: str) -> None:
    if rt.kind not in ROLLED:
        _refuse_revisions(rt, "undo")
    if rt.kind != "Deployment":
        _undo_controller(ctx, obj, ref)
        return
    name = obj["metadata"]["name"]
    wanted = ctx.args.number("to-revision") or 0
    sets = _replica_sets(ctx, obj)
    if wanted < 0 or (wanted and not any(_revision(rs) == wanted for rs in sets)):
        raise error(f"unable to find specified revision {wanted} in history")
    ordered = sorted(sets, key=_revision)
    if wanted:
        target = next(rs for rs in sets if _revision(rs) == wanted)
    elif len(ordered) < 2:
        raise error(f'no rollout history found for deployment "{name}"')
    else:
        target = ordered[-2]
    if obj["spec"].get("paused"):
        raise error(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout "
            f"resume deployment/{name}' and try again"
        )
    template = copy.deepcopy(target["spec"]["template"])
    template["metadata"]["labels"] = {
        k: v for k, v in (template["metadata"].get("labels") or {}).items()
        if k != "pod-template-hash"
    }  # fmt: skip
    if template == obj["spec"]["template"]:
        ctx.print(f"{ref} skipped rollback (current template already matches revision "
                  f"{_revision(target)})")  # fmt: skip
        return
    live = _editable(obj)
    live["spec"]["template"] = template
    annotations = {k: v for k, v in (obj["metadata"].get("annotations") or {}).items()
                   if k in SKIPPED_ANNOTATIONS}  # fmt: skip
    annotations.update({k: v for k, v in (target["metadata"].get("annotations") or {}).items()
                        if k not in SKIPPED_ANNOTATIONS})  # fmt: skip
    live["metadata"]["annotations"] = annotations
    if replace_object(ctx, live, "rollout"):
        ctx.print(f"{ref} rolled back")


def _restart(ctx: Context, rt, obj: dict, ref: str) -> None:
    if rt.kind not in ROLLED:
        raise error(f'{rt.resource_qualified} "{obj["metadata"]["name"]}" restarting is not '
                    "supported")  # fmt: skip
    if obj["spec"].get("paused"):
        raise error(f'{rt.resource_qualified} "{obj["metadata"]["name"]}" can\'t restart paused '
                    "deployment (run rollout resume first)")  # fmt: skip
    live = _editable(obj)
    meta = live["spec"]["template"].setdefault("metadata", {})
    meta["annotations"] = {**(meta.get("annotations") or {}), RESTARTED_AT: timestamp(ctx.now)}
    if replace_object(ctx, live, "rollout"):
        ctx.print(f"{ref} restarted")


def _pause(ctx: Context, rt, obj: dict, ref: str) -> None:
    _set_paused(ctx, rt, obj, ref, True)


def _resume(ctx: Context, rt, obj: dict, ref: str) -> None:
    _set_paused(ctx, rt, obj, ref, False)


def _set_paused(ctx: Context, rt, obj: dict, ref: str, paused: bool) -> None:
    name = obj["metadata"]["name"]
    if rt.kind != "Deployment":
        verb = "pausing" if paused else "resuming"
        raise error(f'{rt.resource_qualified} "{name}" {verb} is not supported')
    if bool(obj["spec"].get("paused")) == paused:
        state = "already paused" if paused else "not paused"
        raise error(f'{rt.resource_qualified} "{name}" is {state}')
    live = _editable(obj)
    if paused:
        live["spec"]["paused"] = True
    else:
        live["spec"].pop("paused", None)
    if replace_object(ctx, live, "rollout"):
        ctx.print(f"{ref} {'paused' if paused else 'resumed'}")


def _editable(obj: dict) -> dict:
    """A copy of the live object to change and submit (its status left out)."""
    return {k: copy.deepcopy(v) for k, v in obj.items() if k != "status"}


def _replica_sets(ctx: Context, deployment: dict) -> list[dict]:
    uid = deployment["metadata"]["uid"]
    namespace = deployment["metadata"]["namespace"]
    return [
        rs
        for rs in ctx.state.store.list("ReplicaSet", namespace)
        if any(
            r.get("uid") == uid and r.get("controller")
            for r in rs["metadata"].get("ownerReferences") or ()
        )  # fmt: skip
    ]


def _revision(rs: dict) -> int:
    value = str((rs["metadata"].get("annotations") or {}).get(REVISION, "0"))
    return int(value) if value.isdigit() else 0


def _revisions(ctx: Context, deployment: dict) -> dict[int, dict]:
    """Revision -> pod template (its annotations carry the ReplicaSet's change-cause)."""
    out = {}
    for rs in _replica_sets(ctx, deployment):
        number = _revision(rs)
        if number:
            template = copy.deepcopy(rs["spec"]["template"])
            cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
            if cause:
                template["metadata"].setdefault("annotations", {})[CHANGE_CAUSE] = cause
            out[number] = template
    return out


def _owned_revisions(ctx: Context, owner: dict) -> list[dict]:
    """A DaemonSet's or StatefulSet's ControllerRevisions."""
    uid = owner["metadata"]["uid"]
    return [
        r for r in ctx.state.store.list("ControllerRevision", owner["metadata"]["namespace"])
        if any(o.get("uid") == uid and o.get("controller")
               for o in r["metadata"].get("ownerReferences") or ())
    ]  # fmt: skip


def _controller_history(ctx: Context, owner: dict) -> dict[int, dict]:
    """Revision -> pod template, from ControllerRevisions (change-cause in the annotations
    the revision copied from its owner)."""
    out = {}
    for revision in _owned_revisions(ctx, owner):
        template = revisions.template_of(revision)
        cause = (revision["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
        if cause:
            template.setdefault("metadata", {}).setdefault("annotations", {})[CHANGE_CAUSE] = cause
        out[revisions.number(revision)] = template
    return out


def _undo_controller(ctx: Context, owner: dict, ref: str) -> None:
    """kubectl's DaemonSet and StatefulSet rollbackers: the template of `--to-revision`, or
    of the revision before the newest, replaces the owner's."""
    wanted = ctx.args.number("to-revision") or 0
    history = {revisions.number(r): r for r in _owned_revisions(ctx, owner)}
    if wanted == 0 and len(history) <= 1:
        raise error("no last revision to roll back to")
    if wanted < 0 or (wanted and wanted not in history):
        raise error(f"unable to find specified revision {wanted} in history")
    target = history[wanted] if wanted else history[sorted(history)[-2]]
    template = revisions.template_of(target)
    if template == owner["spec"]["template"]:
        # kubectl names the revision asked for: 0 when none was.
        ctx.print(f"{ref} skipped rollback (current template already matches revision {wanted})")
        return
    live = _editable(owner)
    live["spec"]["template"] = template
    if replace_object(ctx, live, "rollout"):
        ctx.print(f"{ref} rolled back")


_SUBCOMMANDS = {
    "status": _status,
    "history": _history,
    "undo": _undo,
    "restart": _restart,
    "pause": _pause,
    "resume": _resume,
}
