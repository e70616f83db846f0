"""`kubectl exec POD [-c C] [-it] -- CMD ...`: a command, or a shell, in a simulated container.

What runs inside is `Container`'s (simulator.kubectl.container). A shell
with `-c` runs its line; a shell fed on stdin (`-i`) runs each line of it; a
shell with a terminal and nothing on stdin (`-it`) opens an interactive
session for the browser terminal (`ShellSession`). A command that fails
makes kubectl print `command terminated with exit code N` and exit with N,
as it does.
"""

from __future__ import annotations

from simulator.errors import Conflict
from simulator.shell.session import ShellSession, prompt_for

from .container import SHELLS, Container, has_shell, not_found_in_image, run_script
from .context import Context
from .errors import KubectlError, error, usage_error
from .pod_targets import pick_pod


def exec_command(ctx: Context) -> None:
    """Run `kubectl exec` (see the module docstring)."""
    a = ctx.args
    if a.dash < 0:
        if len(a.positional) > 1:
            raise usage_error(
                "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- "
                "[COMMAND] instead",
                "exec",
            )
        target, command = (a.positional[0] if a.positional else ""), []
    else:
        target = a.positional[0] if a.dash > 0 else ""
        command = a.positional[a.dash :]
    if not target:
        raise error("pod, type/name or --filename must be specified")
    if not command:
        raise error("you must specify at least one command for the container")
    pod, _choices = pick_pod(ctx, target, "exec")
    meta = pod["metadata"]
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise error(f"cannot exec into a container in a completed pod; current phase is {phase}")
    container = a.text("container")
    containers = [c.get("name") for c in (pod.get("spec") or {}).get("containers") or ()]
    if phase != "Running":
        # No container runs yet (unscheduled, or still being created).
        shown = container or (containers[0] if containers else "")
        raise error(f'unable to upgrade connection: container not found ("{shown}")')
    if container is None and len(containers) > 1 and not a.get("quiet"):
        ctx.warn(f'Defaulted container "{containers[0]}" out of: {", ".join(containers)}')
    if container is not None and container not in containers:
        raise KubectlError(
            f"Error from server (BadRequest): container {container} is not valid "
            f"for pod {meta['name']}"
        )
    run_in_pod(ctx, meta["namespace"], meta["name"], container, command)


def run_in_pod(
    ctx: Context, namespace: str, pod: str, container: str | None, command: list[str]
) -> None:
    """Run one command in a pod's container, appending its output to `ctx`."""
    inside = Container(ctx, namespace, pod, container)
    name = command[0].rsplit("/", 1)[-1]
    try:
        if name in SHELLS and "-c" not in command[1:2] and has_shell(inside.busybox, name):
            result = _shell_without_line(ctx, inside, name)
            if result is None:
                return
        else:
            result = inside.program(command, "", tty=bool(ctx.args.get("tty")))
    except Conflict as exc:
        raise KubectlError(str(exc)) from None
    if result is None:
        ctx.err.append(not_found_in_image(command[0]) + "\n")
        ctx.error("command terminated with exit code 126", 126)
        return
    ctx.traces.extend(result.traces)
    ctx.emit(result)
    if result.exit_code:
        ctx.error(f"command terminated with exit code {result.exit_code}", result.exit_code)


def _shell_without_line(ctx: Context, inside: Container, shell: str):
    """`exec POD -- sh`: a script on stdin with `-i`, a session with `-it`, else nothing."""
    a = ctx.args
    if a.get("stdin") and ctx.stdin:
        return run_script(Container(ctx, inside.namespace, inside.pod, inside.container, shell, 1),
                          ctx.stdin)  # fmt: skip
    if a.get("stdin") and a.get("tty"):
        ctx.session = open_session(ctx, inside, shell).to_dict()
    return None  # without -i the shell reads an empty stdin and exits at once


def open_session(ctx: Context, inside: Container, shell: str) -> ShellSession:
    """The interactive shell a terminal should open in this container."""
    pod = ctx.state.store.get("Pod", inside.namespace, inside.pod) or {}
    containers = [c.get("name") for c in (pod.get("spec") or {}).get("containers") or ()]
    hostname = (pod.get("spec") or {}).get("hostname") or inside.pod
    return ShellSession(
        namespace=inside.namespace,
        pod=inside.pod,
        container=inside.container or (containers[0] if containers else ""),
        shell=shell,
        prompt=prompt_for(shell, hostname, inside.busybox),
        single_container=len(containers) <= 1,
    )
