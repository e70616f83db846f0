"""An interactive shell in a pod, as a terminal opens it (`kubectl exec -it POD -- sh`).

The simulator keeps no session state: a terminal that gets a `ShellSession`
shows its `prompt`, and sends each line typed at it as the full command
`PREFIX 'LINE'` (`kubectl exec POD -- sh -c 'LINE'`), so a room's log holds
only real commands and every other viewer sees what ran. Each line runs in
a fresh shell: `cd` and variables set on one line do not reach the next.
The terminal ends the session on `exit`, Ctrl-C, Ctrl-D, or when the room
closes; nothing needs to be sent for that.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ShellSession:
    """Which shell a terminal should open, and how to send it lines.

    Attributes:
        namespace: the pod's namespace.
        pod: the pod's name.
        container: the container's name.
        shell: `sh` or `bash`, as asked for.
        prompt: what the shell prints before each line (`/ # `, `root@POD:/# `).
        single_container: whether the pod has one container (then `-c` is left out).
    """

    namespace: str
    pod: str
    container: str
    shell: str
    prompt: str
    single_container: bool = True

    def prefix(self) -> str:
        """The command line that runs one line in this shell, without the line."""
        words = ["kubectl", "exec", self.pod]
        if self.namespace != "default":
            words += ["-n", self.namespace]
        if not self.single_container:
            words += ["-c", self.container]
        return " ".join(shlex.quote(w) for w in words) + f" -- {self.shell} -c"

    def command(self, line: str) -> str:
        """The full command line for one typed line."""
        return f"{self.prefix()} {shlex.quote(line)}"

    def to_dict(self) -> dict[str, str]:
        """JSON-ready, for the terminal."""
        return {
            "namespace": self.namespace,
            "pod": self.pod,
            "container": self.container,
            "shell": self.shell,
            "prompt": self.prompt,
            "prefix": self.prefix(),
        }


def prompt_for(shell: str, hostname: str, busybox: bool) -> str:
    """The root prompt of a shell: BusyBox ash `/ # `, bash `root@HOST:/# `, dash `# `."""
    if busybox:
        return "/ # "
    if shell == "bash":
        return f"root@{hostname.split('.')[0]}:/# "
    return "# "
