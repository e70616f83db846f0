"""bash's `jobs` and `kill` for the workstation's jobs (its `kubectl port-forward`s).

Messages are bash's: `[1]+  Running                 kubectl port-forward ... &`,
`bash: kill: %3: no such job`; a job ended by `kill` is reported at once,
as an interactive bash reports it before its next prompt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.result import CommandResult

if TYPE_CHECKING:
    from simulator.port_forwards import PortForwards

#: How bash reports a job a signal ended, by signal.
_ENDED = {"TERM": "Terminated", "KILL": "Killed", "INT": "Interrupt", "HUP": "Hangup"}
_NUMBERS = {"15": "TERM", "9": "KILL", "2": "INT", "1": "HUP"}
KILL_USAGE = (
    "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]"
)
JOBS_USAGE = "jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]"


def jobs(forwards: PortForwards, argv: list[str]) -> CommandResult:
    """`jobs [-l|-p]`."""
    options = [a for a in argv[1:] if a.startswith("-")]
    for option in options:
        if set(option[1:]) - set("lnprs") or option == "-":
            return CommandResult.error(f"bash: jobs: {option}: invalid option\n{JOBS_USAGE}", 2)
    letters = "".join(o[1:] for o in options)
    if "p" in letters:
        return CommandResult(
            stdout="".join(f"{forwards.jobs[n].pid}\n" for n in sorted(forwards.jobs))
        )
    listing = forwards.listing()
    if "l" in letters:
        listing = "".join(
            line.replace("  ", f"  {forwards.jobs[n].pid} ", 1)
            for n, line in zip(
                sorted(forwards.jobs), listing.splitlines(keepends=True), strict=True
            )
        )
    return CommandResult(stdout=listing)


def kill(forwards: PortForwards, argv: list[str]) -> CommandResult:
    """`kill [-SIGNAL | -s SIGNAL] %JOB|PID...`."""
    args = argv[1:]
    signal = "TERM"
    if args and args[0] == "-s" and len(args) > 1:
        signal, args = args[1].upper().removeprefix("SIG"), args[2:]
    elif args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        word = args[0][1:].upper().removeprefix("SIG")
        signal, args = _NUMBERS.get(word, word), args[1:]
    if args and args[0] == "--":
        args = args[1:]
    if signal not in _ENDED:
        return CommandResult.error(f"bash: kill: {signal}: invalid signal specification")
    if not args:
        return CommandResult.error(KILL_USAGE, 2)
    shown, errors = [], []
    for spec in args:
        forward = forwards.find(spec)
        if forward is not None:
            shown.append(forwards.end(forward, _ENDED[signal]))
        elif spec.startswith("%"):
            errors.append(f"bash: kill: {spec}: no such job\n")
        elif spec.isdigit():
            errors.append(f"bash: kill: ({spec}) - No such process\n")
        else:
            errors.append(f"bash: kill: {spec}: arguments must be process or job IDs\n")
    return CommandResult(stderr="".join(errors + shown), exit_code=1 if errors else 0)
