"""The learner's own machine: where `Cluster.run` lines run.

A small Linux workstation with bash: the user `learner` in
/home/learner (also /tmp is writable), a few files of its own, aliases and
variables that last between lines, and the programs of the notes: kubectl,
curl, ping, nslookup, sleep, openssl, ls, cat, rm, mkdir, touch, plus the
shell's builtins and text filters. Its state changes only through command
lines, so replaying a room's log rebuilds it exactly.
"""

from __future__ import annotations

import posixpath
import random
from typing import TYPE_CHECKING, Protocol

from simulator.result import ERR, CommandResult

from . import job_control, openssl, workstation_files
from .errors import FileError
from .runner import Runner
from .workstation_files import File

if TYPE_CHECKING:
    from simulator.network import Network
    from simulator.state import ClusterState

HOME = "/home/learner"
MAX_FILES = 64
MAX_FILE = 256 * 1024  # characters in one file
MAX_TOTAL = 2 * 1024 * 1024  # characters in all files
MAX_VARIABLES = 64
MAX_VALUE = 4096
WRITABLE = (HOME, "/tmp")
_WRITABLE_PREFIXES = tuple(p + "/" for p in WRITABLE)
#: Characters that make a line more than words split on blanks.
_PLAIN_SPECIALS = frozenset("|&;<>()$`\\'\"#~=*?[]{}")
#: Read-only files every Debian machine has.
SYSTEM_FILES = {
    "/etc/hostname": "workstation\n",
    "/etc/hosts": "127.0.0.1\tlocalhost\n127.0.1.1\tworkstation\n\n"
    "# The following lines are desirable for IPv6 capable hosts\n"
    "::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n",
}
SYSTEM_DIRS = {"/", "/home", HOME, "/tmp", "/etc", "/usr", "/usr/bin", "/bin", "/var", "/root"}
#: Programs learners reach for that this machine does not have, with what to do instead.
HINTS = {
    "vi": "there is no editor here: `kubectl edit` opens an object in the Manifests panel",
    "vim": "there is no editor here: `kubectl edit` opens an object in the Manifests panel",
    "nano": "there is no editor here: `kubectl edit` opens an object in the Manifests panel",
    "sudo": "you need no root here: the host already resolves every Ingress host name",
    "http": "use curl -i URL",
    "wget": "use curl URL",
    "ssh": "reach a node's network with `kubectl debug node/NAME -it --image=busybox`",
    "minikube": "this cluster is simulated: kubectl talks to it directly",
    "kubeadm": "this cluster is simulated: kubectl talks to it directly",
    "docker": "this cluster is simulated: its images need no pulling",
    "host": "use nslookup NAME (here, or in a pod with kubectl exec)",
    "dig": "use nslookup NAME (here, or in a pod with kubectl exec)",
    "sed": "use grep, cut, tr or awk '{print $N}'",
}


class Host(Protocol):
    """What the workstation uses of the cluster it talks to (`cluster.Cluster`)."""

    state: ClusterState
    network: Network

    @property
    def now(self) -> float: ...

    def sleep(self, args: list[str]) -> CommandResult: ...


class WorkstationState:
    """What the workstation keeps between lines: files, directories, aliases, variables."""

    def __init__(self, seed: int) -> None:
        self.aliases: dict[str, str] = {}
        self.files: dict[str, File] = {}
        self.dirs: set[str] = set(SYSTEM_DIRS)
        self.cwd = HOME
        self.variables: dict[str, str] = {
            "HOME": HOME, "USER": "learner", "LOGNAME": "learner", "SHELL": "/bin/bash",
            "PATH": "/usr/local/bin:/usr/bin:/bin", "PWD": HOME, "HOSTNAME": "workstation",
        }  # fmt: skip
        self.exported = set(self.variables) - {"HOSTNAME"}
        # Keys and certificates draw from their own generator, seeded by the cluster's
        # seed, so making one does not change the names the cluster generates next.
        self.rng = random.Random(f"kubeplay-workstation-{seed}")


class Workstation:
    """The `Machine` behind `Cluster.run` (see simulator.shell.machine).

    Made for each line from the cluster and its `WorkstationState`, so the
    cluster and its workstation hold no reference cycle.
    """

    shell = "bash"
    #: Program name -> method running it as `method(argv, stdin, tty)`.
    PROGRAMS = {
        "kubectl": "_kubectl", "curl": "_network", "ping": "_network", "nslookup": "_network",
        "sleep": "_sleep", "openssl": "_openssl", "ls": "_ls", "cat": "_cat", "rm": "_rm",
        "mkdir": "_mkdir", "touch": "_touch", "hostname": "_hostname", "whoami": "_whoami",
        "ingress2gateway": "_ingress2gateway", "jobs": "_jobs", "kill": "_kill",
    }  # fmt: skip

    def __init__(self, cluster: Host, state: WorkstationState) -> None:
        self.cluster = cluster
        self.state = state
        self.aliases = state.aliases
        self.files = state.files
        self.dirs = state.dirs
        self.variables = state.variables

    @property
    def cwd(self) -> str:
        return self.state.cwd

    def run(self, line: str, stdin: str = "") -> CommandResult:
        """Run one line in a fresh shell process (the previous `$?` is not kept).

        Before the next prompt bash reports the jobs that ended meanwhile: a
        port-forward whose pod went away (simulator.port_forwards)."""
        result = self._run(line, stdin)
        if self.cluster.state.port_forwards.jobs:
            ended = self.cluster.state.port_forwards.end_lost(self.cluster.state.runtime)
            if ended:
                result.chunks = [*result.output(), (ERR, ended)]
                result.stderr += ended
        return result

    def _run(self, line: str, stdin: str) -> CommandResult:
        if not _PLAIN_SPECIALS.intersection(line):
            # Nothing for the shell to do: words split on blanks, no alias or builtin.
            argv = line.split()
            if not argv:
                return CommandResult()
            if argv[0] in self.PROGRAMS and argv[0] not in self.aliases:
                return getattr(self, self.PROGRAMS[argv[0]])(argv, stdin, True)
        return Runner(self).run(line, stdin)

    # -- Machine: variables ----------------------------------------------------------

    def variable(self, name: str) -> str | None:
        return self.variables.get(name)

    def assign(self, name: str, value: str, exported: bool) -> str | None:
        if name not in self.variables and len(self.variables) >= MAX_VARIABLES:
            return f"{name}: at most {MAX_VARIABLES} variables here"
        if len(value) > MAX_VALUE:
            return f"{name}: a value of at most {MAX_VALUE} characters here"
        self.variables[name] = value
        if exported:
            self.state.exported.add(name)
        return None

    def unset(self, name: str) -> None:
        self.variables.pop(name, None)
        self.state.exported.discard(name)

    def environment(self) -> list[tuple[str, str]]:
        return sorted((k, v) for k, v in self.variables.items() if k in self.state.exported)

    # -- Machine: programs -----------------------------------------------------------

    def program(self, argv: list[str], stdin: str, tty: bool = True) -> CommandResult | None:
        method = self.PROGRAMS.get(argv[0])
        return getattr(self, method)(argv, stdin, tty) if method is not None else None

    def background(self, argv: list[str]) -> CommandResult | None:
        """`kubectl port-forward ... &`: the only job that runs here (port_forwards.py)."""
        from simulator.kubectl import run_kubectl
        from simulator.kubectl.commands import verb_of

        if argv[0] != "kubectl" or verb_of(argv[1:]) != "port-forward":
            return None
        cluster = self.cluster
        forwards = cluster.state.port_forwards
        started = forwards.started
        result = run_kubectl(
            cluster.state, argv[1:], network=cluster.network, files=self, background=True
        )
        if forwards.started == started:
            return result
        job = forwards.jobs[max(forwards.jobs)]
        notice = f"[{job.job}] {job.pid}\n"
        result.chunks = [(ERR, notice), *result.output()]
        result.stderr = notice + result.stderr
        return result

    def not_found(self, name: str) -> str:
        hint = HINTS.get(name)
        message = f"bash: {name}: command not found"
        return (
            f"{message}\n({name} is not available in this playground: {hint})" if hint else message
        )

    def _kubectl(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        from simulator.kubectl import run_kubectl

        cluster = self.cluster
        return run_kubectl(cluster.state, argv[1:], stdin, network=cluster.network, files=self)

    def _ingress2gateway(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        from simulator.gatewayapi.cli import run_ingress2gateway

        return run_ingress2gateway(self.cluster.state.store, argv[1:], files=self)

    def _network(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        result = self.cluster.network.run(argv, "host", tty=tty)
        self.cluster.state.settle()
        return result

    # -- Machine: files --------------------------------------------------------------

    def path(self, path: str) -> str:
        """`path` made absolute and normal (`~` is expanded by the shell before)."""
        return posixpath.normpath(posixpath.join(self.cwd, path)) if path else self.cwd

    def read_file(self, path: str) -> str:
        full = self.path(path)
        if full in self.files:
            return self.files[full].text
        if full in SYSTEM_FILES:
            return SYSTEM_FILES[full]
        if full in self.dirs:
            raise FileError(path, "Is a directory")
        raise FileError(path, "No such file or directory")

    def write_file(self, path: str, text: str, append: bool, private: bool = False) -> None:
        full = self.path(path)
        if full in self.dirs:
            raise FileError(path, "Is a directory")
        parent = posixpath.dirname(full)
        if parent not in self.dirs:
            raise FileError(path, "No such file or directory")
        if not self.writable(full):
            raise FileError(path, "Permission denied")
        old = self.files.get(full)
        if old is None and len(self.files) >= MAX_FILES:
            raise FileError(path, f"No space left on device (at most {MAX_FILES} files here)")
        content = (old.text if old and append else "") + text
        total = sum(len(f.text) for f in self.files.values()) - (len(old.text) if old else 0)
        if len(content) > MAX_FILE or total + len(content) > MAX_TOTAL:
            raise FileError(path, "File too large")
        mode = old.mode if old else (0o600 if private else 0o644)
        self.files[full] = File(content, mode, self.cluster.now)

    def writable(self, full: str) -> bool:
        """Whether the learner may write at the absolute path `full`."""
        return full.startswith(_WRITABLE_PREFIXES)

    def change_directory(self, path: str) -> str | None:
        full = self.path(path)
        if full in self.files:
            return f"{path}: Not a directory"
        if full not in self.dirs:
            return f"{path}: No such file or directory"
        self.state.cwd = self.variables["PWD"] = full
        return None

    def working_directory(self) -> str:
        return self.cwd

    def entries(self, directory: str) -> list[str]:
        """Names directly inside `directory`, sorted as `ls` sorts them in C.UTF-8."""
        prefix = directory.rstrip("/") + "/"
        names = {p[len(prefix) :] for p in (*self.files, *self.dirs) if p.startswith(prefix)}
        return sorted(n for n in names if n and "/" not in n)

    def _sleep(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return self.cluster.sleep(argv[1:])

    def _openssl(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return openssl.run(argv, self, self.state.rng, self.cluster.now)

    def _ls(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return workstation_files.ls(self, argv, tty)

    def _cat(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return workstation_files.cat(self, argv, stdin)

    def _rm(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return workstation_files.rm(self, argv)

    def _mkdir(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return workstation_files.mkdir(self, argv)

    def _touch(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return workstation_files.touch(self, argv)

    def _jobs(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return job_control.jobs(self.cluster.state.port_forwards, argv)

    def _kill(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return job_control.kill(self.cluster.state.port_forwards, argv)

    def _hostname(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return CommandResult(stdout="workstation\n")

    def _whoami(self, argv: list[str], stdin: str, tty: bool) -> CommandResult:
        return CommandResult(stdout="learner\n")
