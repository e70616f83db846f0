"""Inside a simulated container: its shell, its files and the programs it has.

`Container` is the `Machine` (simulator.shell.machine) that `kubectl exec POD
-- sh -c '...'` runs lines on, and `program` runs a bare `kubectl exec POD
-- CMD`. Files exist only as names (`touch` and `echo ... > FILE` make them,
`rm` removes them, readiness probes test them); what is written into them is
not kept. Network tools (`curl`, `nslookup`, `ping`) are the `Network`'s,
run with the pod as source; the text filters are the shell layer's.
"""

from __future__ import annotations

import posixpath

from simulator.probes import missing_file_message
from simulator.result import CommandResult
from simulator.shell.errors import FileError
from simulator.shell.runner import Runner

from .context import Context

NETWORK_TOOLS = ("curl", "nslookup", "ping")
# Kubeplay's own tool in every simulated container: make a listening port refuse
# connections (so httpGet/tcpSocket readiness probes fail) or answer again.
PORT_TOOL = "kubeplay-port"
PORT_USAGE = f"usage: {PORT_TOOL} close|open|status PORT"
SHELLS = ("sh", "bash", "ash", "dash")
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
MAX_NESTING = 4  # `sh -c "sh -c '...'"` depth


def has_shell(busybox: bool, name: str) -> bool:
    """Whether an image has this shell: BusyBox images have sh/ash, Debian ones sh/dash/bash."""
    return name in (("sh", "ash") if busybox else ("sh", "dash", "bash"))


class Container:
    """One container of a running pod, as its shell and programs see it."""

    aliases = None

    def __init__(self, ctx: Context, namespace: str, pod: str, container: str | None,
                 shell: str = "sh", depth: int = 0) -> None:  # fmt: skip
        self.ctx = ctx
        self.state = ctx.state
        self.namespace, self.pod, self.container = namespace, pod, container
        self.shell = shell
        self.depth = depth
        self.busybox = self.state.is_busybox((namespace, pod), container)
        self.cwd = "/"
        self._variables: dict[str, str] | None = None
        # How the shell starts its complaints: ash `sh`, dash `sh: 1`, bash `bash: line 1`.
        self.error_prefix = (
            "bash: line 1" if shell == "bash" else ("sh" if self.busybox else "sh: 1")
        )

    # -- Machine: variables -------------------------------------------------------------

    @property
    def variables(self) -> dict[str, str]:
        if self._variables is None:
            env = dict(self.state.pod_env(self.namespace, self.pod, self.container))
            if self.depth:
                env.setdefault("PWD", "/")  # a shell exports its working directory
            self._variables = env
        return self._variables

    def variable(self, name: str) -> str | None:
        return self.variables.get(name)

    def assign(self, name: str, value: str, exported: bool) -> str | None:
        if len(self.variables) > 512 or len(value) > 65536:
            return f"{name}: too many or too large variables"
        self.variables[name] = value
        return None

    def unset(self, name: str) -> None:
        self.variables.pop(name, None)

    def environment(self) -> list[tuple[str, str]]:
        return sorted(self.variables.items())

    # -- Machine: files -------------------------------------------------------------------

    def absolute(self, path: str) -> str:
        return posixpath.normpath(posixpath.join(self.cwd, path))

    def _exists(self, full: str) -> bool:
        return self.state.file_exists(self.namespace, self.pod, self.container, full)

    def _is_dir(self, full: str) -> bool:
        return full in DIRECTORIES or bool(
            self.state.list_dir(self.namespace, self.pod, self.container, full)
        )

    def read_file(self, path: str) -> str:
        full = self.absolute(path)
        if full == "/etc/resolv.conf" and self.ctx.network is not None:
            return self.ctx.network.resolv_conf(self.namespace)
        obj = self.state.store.get("Pod", self.namespace, self.pod) or {}
        if full == "/etc/hostname":
            return ((obj.get("spec") or {}).get("hostname") or self.pod) + "\n"
        if full == "/etc/hosts":
            ip = (obj.get("status") or {}).get("podIP", "")
            return HOSTS_FILE + (f"{ip}\t{self.pod}\n" if ip else "")
        if self._is_dir(full):
            raise FileError(path, "Is a directory")
        if self._exists(full):
            return ""  # files here are names; their content is not kept
        raise FileError(path, "No such file or directory")

    def write_file(self, path: str, text: str, append: bool) -> None:
        full = self.absolute(path)
        if self._is_dir(full):
            raise FileError(path, "Is a directory")
        self.state.touch(self.namespace, self.pod, self.container, full)

    def change_directory(self, path: str) -> str | None:
        full = self.absolute(path)
        if not self._is_dir(full):
            reason = "Not a directory" if self._exists(full) else "No such file or directory"
            if self.busybox:
                return f"can't cd to {path}: {reason}"
            return f"{path}: {reason}" if self.shell == "bash" else f"can't cd to {path}"
        self.cwd = full
        self.variables["PWD"] = full
        return None

    def working_directory(self) -> str:
        return self.cwd

    def not_found(self, name: str) -> str:
        if self.shell == "bash":
            return f"bash: line 1: {name}: command not found"
        return f"{self.error_prefix}: {name}: not found"

    # -- programs ---------------------------------------------------------------------------

    def background(self, argv: list[str]) -> CommandResult | None:
        """No job runs in a container's shell here."""
        return None

    def program(self, argv: list[str], stdin: str, tty: bool = False) -> CommandResult | None:
        """Run a program of the image; None when the image has none by that name."""
        program, args = argv[0], argv[1:]
        name = program.rsplit("/", 1)[-1]
        state = self.state
        if name in SHELLS and has_shell(self.busybox, name):
            return self._shell(name, args, stdin)
        if name == "wget" and self.busybox:
            return CommandResult.error(
                "wget: not simulated here; use curl (e.g. curl -s http://SERVICE)", 1
            )
        if name in NETWORK_TOOLS:
            if self.ctx.network is None:
                return None
            source = f"pod/{self.namespace}/{self.pod}"
            result = self.ctx.network.run([name, *args], source, tty=tty)
            return result
        if name == "env":
            return CommandResult(stdout="".join(f"{k}={v}\n" for k, v in self.variables.items()))
        if name == "hostname":
            return CommandResult(stdout=self.read_file("/etc/hostname"))
        if name == "sleep":
            return CommandResult()
        if name == PORT_TOOL:
            return _port_tool(state, self.namespace, self.pod, args)
        if name == "touch":
            return self._touch(args)
        if name == "rm":
            return self._rm(args)
        if name == "cat":
            return self._cat(args, stdin)
        if name in ("ls", "test", "["):
            return self._ls_or_test(name, args)
        return None

    def _shell(self, name: str, args: list[str], stdin: str) -> CommandResult:
        """`sh -c 'LINE'` (or a script on stdin): a nested shell of this container."""
        if self.depth >= MAX_NESTING:
            return CommandResult.error(f"{name}: shells nested too deeply here", 2)
        inner = Container(self.ctx, self.namespace, self.pod, self.container, name, self.depth + 1)
        if args[:1] == ["-c"]:
            if len(args) < 2:
                return CommandResult.error(f"{name}: -c: option requires an argument", 2)
            return Runner(inner).run(args[1])
        return run_script(inner, stdin)

    def _touch(self, args: list[str]) -> CommandResult:
        paths = [p for p in args if not p.startswith("-")]
        if not paths:
            return CommandResult.error(
                "touch: missing file operand\nTry 'touch --help' for more information."
            )
        for path in paths:
            self.state.touch(self.namespace, self.pod, self.container, self.absolute(path))
        return CommandResult()

    def _rm(self, args: list[str]) -> CommandResult:
        force = any(p.startswith("-") and "f" in p for p in args)
        paths = [p for p in args if not p.startswith("-")]
        if not paths:
            return CommandResult.error("rm: missing operand\nTry 'rm --help' for more information.")
        errors = []
        for path in paths:
            removed = self.state.remove_file(self.namespace, self.pod, self.container,
                                             self.absolute(path))  # fmt: skip
            if not removed and not force:
                errors.append(
                    f"rm: can't remove '{path}': No such file or directory"
                    if self.busybox
                    else f"rm: cannot remove '{path}': No such file or directory"
                )
        return CommandResult(stderr="".join(e + "\n" for e in errors), exit_code=1 if errors else 0)

    def _cat(self, args: list[str], stdin: str) -> CommandResult:
        out, errors = [], []
        for path in [a for a in args if not a.startswith("-") or a == "-"] or ["-"]:
            if path == "-":
                out.append(stdin)
                continue
            try:
                out.append(self.read_file(path))
            except FileError as err:
                if err.reason == "Is a directory":
                    errors.append("cat: read error: Is a directory" if self.busybox
                                  else f"cat: {path}: Is a directory")  # fmt: skip
                else:
                    errors.append(missing_file_message("cat", path, busybox=self.busybox))
        return CommandResult(stdout="".join(out), stderr="".join(e + "\n" for e in errors),
                             exit_code=1 if errors else 0)  # fmt: skip

    def _ls_or_test(self, name: str, args: list[str]) -> CommandResult:
        paths = [a for a in args if not a.startswith("-") and a != "]"]
        if name in ("test", "["):
            target = paths[-1] if paths else ""
            ok = bool(target) and self._exists(self.absolute(target))
            return CommandResult(exit_code=0 if ok else 1)
        out: list[str] = []
        errors: list[str] = []
        for path in paths or ["."]:
            full = self.absolute(path)
            if not self._exists(full):
                errors.append(missing_file_message("ls", path, busybox=self.busybox))
                continue
            entries = list(self.state.list_dir(self.namespace, self.pod, self.container, full))
            if full == "/":
                entries = sorted(set(entries) | set(ROOT_ENTRIES))
            if entries:
                out.extend(f"{e}\n" for e in entries)
            elif full not in DIRECTORIES:
                out.append(f"{path}\n")  # a file lists as itself
        code = (1 if self.busybox else 2) if errors else 0
        return CommandResult(stdout="".join(out), stderr="".join(e + "\n" for e in errors),
                             exit_code=code)  # fmt: skip


def run_script(container: Container, text: str) -> CommandResult:
    """A shell reading commands from its standard input: each line in turn, one `$?`."""
    runner = Runner(container)
    result = CommandResult()
    for line in text.splitlines()[:1000]:
        result.extend(runner.run(line))
        if runner.exited:
            break
    result.exit_code = runner.status
    return result


def not_found_in_image(program: str) -> str:
    """What the runtime answers for a program the image does not have."""
    return (
        "OCI runtime exec failed: exec failed: unable to start container process: exec: "
        f'"{program}": executable file not found in $PATH: unknown'
    )


def _port_tool(state, namespace: str, pod: str, args: list[str]) -> CommandResult:
    """`kubeplay-port close|open|status PORT`: the simulator's switch for a container port."""
    if len(args) != 2 or args[0] not in ("close", "open", "status") or not args[1].isdigit():
        return CommandResult.error(PORT_USAGE, 2)
    action, port = args[0], int(args[1])
    obj = state.store.get("Pod", namespace, pod)
    declared = (
        port in state.runtime[(namespace, pod)].ports
        if (namespace, pod) in state.runtime
        else False
    )
    if obj is None or not declared:
        return CommandResult.error(f"{PORT_TOOL}: no container of {pod} declares port {port}", 1)
    if action == "status":
        listening = state.pod_listens(obj, port)
        return CommandResult(
            stdout=f"port {port}: {'listening' if listening else 'closed'}\n",
            exit_code=0 if listening else 1,
        )
    state.stop_port(namespace, pod, port, stopped=action == "close")
    return CommandResult(stdout=f"port {port}: {'closed' if action == 'close' else 'listening'}\n")
