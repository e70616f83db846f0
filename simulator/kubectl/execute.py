"""`kubectl exec POD [-c C] [-it] -- CMD ...`: a few programs run inside a simulated container.

Files exist only as names (`touch` makes them, `rm` removes them, readiness
probes test them). Network tools (`curl`, `nslookup`, `ping`) are the
`Network`'s, run with the pod as source. A command that fails makes kubectl
print `command terminated with exit code N` and exit with N, as it does.
"""

from __future__ import annotations

import shlex

from simulator.errors import Conflict
from simulator.labels import from_label_selector, from_match_labels, matches
from simulator.probes import missing_file_message

from .context import Context
from .errors import KubectlError, error, not_found, usage_error
from .resources import resolve_type

NETWORK_TOOLS = ("curl", "nslookup", "ping")
# Kubeplay's own tool in every simulated container: make a listening port refuse
# connections (so httpGet/tcpSocket readiness probes fail) or answer again.
PORT_TOOL = "kubeplay-port"
PORT_USAGE = f"usage: {PORT_TOOL} close|open|status PORT"
SHELLS = ("sh", "bash", "/bin/sh", "/bin/bash", "ash", "/bin/ash")
# `ls /` in a Debian or BusyBox image (what a learner expects to see besides their files).
ROOT_ENTRIES = ("bin", "boot", "dev", "etc", "home", "lib", "media", "mnt", "opt", "proc",
                "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var")  # fmt: skip
DIRECTORIES = frozenset(
    ["/", "/etc", "/tmp", "/var", "/usr", "/bin", "/root", "/proc", "/dev", "/run", "/var/run"]
)
HOSTS_FILE = (
    "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
    "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
    "fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
)


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
    pod = _find_pod(ctx, target)
    meta = pod["metadata"]
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise error(f"cannot exec into a container in a completed pod; current phase is {phase}")
    container = a.get("container")
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


def _find_pod(ctx: Context, target: str) -> dict:
    """The pod `target` names: `NAME`, `pod/NAME`, or a workload/service whose pods it picks."""
    store = ctx.state.store
    type_text, slash, name = target.partition("/")
    if not slash:
        pod = store.get("Pod", ctx.namespace, target)
        if pod is None:
            raise KubectlError(not_found("pods", target))
        return pod
    rt = resolve_type(type_text)
    obj = store.get(rt.kind, ctx.namespace if rt.namespaced else "", name)
    if obj is None:
        raise KubectlError(not_found(rt.resource_qualified, name))
    if rt.kind == "Pod":
        return obj
    spec = obj.get("spec") or {}
    if rt.kind in ("Service", "ReplicationController"):
        selector = from_match_labels(spec.get("selector"))
    elif rt.kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"):
        selector = from_label_selector(spec.get("selector"))
    else:
        raise error(f"cannot attach to {rt.plural}: not implemented")
    pods = [
        p
        for p in store.list("Pod", ctx.namespace)
        if selector and matches(selector, p["metadata"].get("labels"))
    ]
    running = [p for p in pods if (p.get("status") or {}).get("phase") == "Running"]
    if not pods:
        raise error(
            f"no pods found for {target}"
            if rt.kind != "Service"
            else f'cannot attach to *v1.Service: pods "{name}" not found'
        )
    return (running or pods)[0]


def run_in_pod(
    ctx: Context, namespace: str, pod: str, container: str | None, command: list[str]
) -> None:
    """Run one command in a pod's container, appending its output to `ctx`."""
    try:
        out, err, code = _program(ctx, namespace, pod, container, command)
    except Conflict as exc:
        raise KubectlError(str(exc)) from None
    if out:
        ctx.out.append(out)
    if err:
        ctx.err.append(err if err.endswith("\n") else err + "\n")
    if code:
        ctx.error(f"command terminated with exit code {code}", code)


def _program(
    ctx: Context, namespace: str, pod: str, container: str | None, argv: list[str]
) -> tuple[str, str, int]:
    state = ctx.state
    program, args = argv[0], argv[1:]
    name = program.rsplit("/", 1)[-1]
    busybox = state.is_busybox((namespace, pod), container)
    if name in SHELLS:
        if len(args) >= 2 and args[0] == "-c":
            try:
                inner = shlex.split(args[1])
            except ValueError as exc:
                return "", f"{name}: syntax error: {exc}", 2
            if not inner:
                return "", "", 0
            if any(tok in ("|", "&&", "||", ";", ">", "<") for tok in inner):
                return (
                    "",
                    (
                        f"{name}: pipes, redirections and command lists are not simulated; "
                        "run one command at a time"
                    ),
                    2,
                )
            return _program(ctx, namespace, pod, container, inner)
        raise error(
            "interactive shells are not available here: run single commands instead, "
            f"e.g. `kubectl exec {pod} -- curl -s http://SERVICE`"
        )
    if name == "wget" and busybox:
        return "", "wget: not simulated here; use curl (e.g. curl -s http://SERVICE)", 1
    if name in NETWORK_TOOLS:
        if ctx.network is None:
            return "", _not_found_exec(program), 126
        result = ctx.network.run(
            [name, *args], f"pod/{namespace}/{pod}", tty=bool(ctx.args.get("tty"))
        )
        ctx.traces.extend(result.traces)
        return result.stdout, result.stderr.rstrip("\n"), result.exit_code
    if name == "env":
        env = state.pod_env(namespace, pod, container)
        return "".join(f"{k}={v}\n" for k, v in env), "", 0
    if name == "hostname":
        obj = state.store.get("Pod", namespace, pod) or {}
        return ((obj.get("spec") or {}).get("hostname") or pod) + "\n", "", 0
    if name == "echo":
        return " ".join(args) + "\n", "", 0
    if name in ("true", ":"):
        return "", "", 0
    if name == "false":
        return "", "", 1
    if name == "sleep":
        return "", "", 0
    if name == PORT_TOOL:
        return _port_tool(state, namespace, pod, args)
    if name == "touch":
        paths = [p for p in args if not p.startswith("-")]
        if not paths:
            return "", "touch: missing file operand\nTry 'touch --help' for more information.", 1
        for path in paths:
            state.touch(namespace, pod, container, _absolute(path))
        return "", "", 0
    if name == "rm":
        force = any(p.startswith("-") and "f" in p for p in args)
        paths = [p for p in args if not p.startswith("-")]
        if not paths:
            return "", "rm: missing operand\nTry 'rm --help' for more information.", 1
        errors = []
        for path in paths:
            if not state.remove_file(namespace, pod, container, _absolute(path)) and not force:
                errors.append(
                    f"rm: can't remove '{path}': No such file or directory"
                    if busybox
                    else f"rm: cannot remove '{path}': No such file or directory"
                )
        return "", "\n".join(errors), 1 if errors else 0
    if name == "cat":
        return _cat(ctx, namespace, pod, container, args, busybox)
    if name in ("ls", "test", "["):
        return _ls_or_test(ctx, namespace, pod, container, name, args, busybox)
    return "", _not_found_exec(program), 126


def _not_found_exec(program: str) -> str:
    return (
        "OCI runtime exec failed: exec failed: unable to start container process: exec: "
        f'"{program}": executable file not found in $PATH: unknown'
    )


def _absolute(path: str) -> str:
    return path if path.startswith("/") else "/" + path  # the working directory is /


def _cat(
    ctx: Context, namespace: str, pod: str, container: str | None, args: list[str], busybox: bool
) -> tuple[str, str, int]:
    state = ctx.state
    out, errors = [], []
    for path in [a for a in args if not a.startswith("-")]:
        full = _absolute(path)
        if full == "/etc/resolv.conf" and ctx.network is not None:
            out.append(ctx.network.resolv_conf(namespace))
        elif full == "/etc/hostname":
            obj = state.store.get("Pod", namespace, pod) or {}
            out.append(((obj.get("spec") or {}).get("hostname") or pod) + "\n")
        elif full == "/etc/hosts":
            obj = state.store.get("Pod", namespace, pod) or {}
            ip = (obj.get("status") or {}).get("podIP", "")
            out.append(HOSTS_FILE + (f"{ip}\t{pod}\n" if ip else ""))
        elif state.file_exists(namespace, pod, container, full):
            if full in DIRECTORIES or state.list_dir(namespace, pod, container, full):
                errors.append(
                    "cat: read error: Is a directory" if busybox else f"cat: {path}: Is a directory"
                )
        else:
            errors.append(missing_file_message("cat", path, busybox=busybox))
    return "".join(out), "\n".join(errors), 1 if errors else 0


def _ls_or_test(
    ctx: Context,
    namespace: str,
    pod: str,
    container: str | None,
    name: str,
    args: list[str],
    busybox: bool,
) -> tuple[str, str, int]:
    state = ctx.state
    paths = [a for a in args if not a.startswith("-") and a != "]"]
    if name in ("test", "["):
        target = paths[-1] if paths else ""
        return (
            "",
            "",
            0 if target and state.file_exists(namespace, pod, container, _absolute(target)) else 1,
        )
    out, errors = [], []
    for path in paths or ["/"]:
        full = _absolute(path)
        if not state.file_exists(namespace, pod, container, full):
            errors.append(missing_file_message("ls", path, busybox=busybox))
            continue
        entries = list(state.list_dir(namespace, pod, container, full))
        if full == "/":
            entries = sorted(set(entries) | set(ROOT_ENTRIES))
        if entries:
            out.extend(f"{e}\n" for e in entries)
        elif full not in DIRECTORIES:
            out.append(f"{path}\n")  # a file lists as itself
    code = (1 if busybox else 2) if errors else 0
    return "".join(out), "\n".join(errors), code


def _port_tool(state, namespace: str, pod: str, args: list[str]) -> tuple[str, str, int]:
    """`kubeplay-port close|open|status PORT`: the simulator's switch for a container port."""
    if len(args) != 2 or args[0] not in ("close", "open", "status") or not args[1].isdigit():
        return "", PORT_USAGE, 2
    action, port = args[0], int(args[1])
    obj = state.store.get("Pod", namespace, pod)
    declared = (
        port in state.runtime[(namespace, pod)].ports
        if (namespace, pod) in state.runtime
        else False
    )
    if obj is None or not declared:
        return "", f"{PORT_TOOL}: no container of {pod} declares port {port}", 1
    if action == "status":
        listening = state.pod_listens(obj, port)
        return f"port {port}: {'listening' if listening else 'closed'}\n", "", 0 if listening else 1
    state.stop_port(namespace, pod, port, stopped=action == "close")
    return f"port {port}: {'closed' if action == 'close' else 'listening'}\n", "", 0
