"""A simulated `kubectl`: parse a command line, act on the `ClusterState`, print as kubectl does.

Output follows kubectl of the release in `simulator.version` (v1.35: tables
from `printers.go`, `describe.go`, success and error wording, `pod "x"
deleted from default namespace` as v1.34 made it; probes described as
`#success=1 #failure=3`).
"""

from __future__ import annotations

from simulator.result import CommandResult


def run_kubectl(
    state, argv: list[str], stdin: str = "", *, network=None, files=None, background=False
) -> CommandResult:
    """Run one kubectl command line against the cluster.

    Args:
        state: the `ClusterState`.
        argv: the words after `kubectl` (already split like a shell would).
        stdin: what `-f -` reads.
        network: the `Network` that `kubectl exec ... -- curl/nslookup/ping` delegate to.
        files: the workstation whose files `-f FILE`, `--cert`, `--from-file` read
            (`read_file(path)`, raising `simulator.shell.errors.FileError`); None: no files.
        background: the shell runs the line as a job (`kubectl port-forward ... &`).

    Returns:
        stdout, stderr and kubectl's exit code; traces of requests made from inside
        pods; manifest problems of `apply`/`create`. Never raises for user input.
    """
    from .commands import run  # imported here so the printers load without the command layer

    return run(state, argv, stdin, network=network, files=files, background=background)


__all__ = ["run_kubectl"]
