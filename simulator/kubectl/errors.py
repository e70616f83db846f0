"""The one error family of the kubectl layer: a message exactly as kubectl prints it."""

from __future__ import annotations


class KubectlError(Exception):
    """A failed command: `str()` is the full stderr text (without final newline).

    Attributes:
        exit_code: what kubectl exits with (1 for nearly every error).
        problems: manifest problems behind the failure, for editors to mark lines.
    """

    def __init__(self, message: str, exit_code: int = 1, problems: list | None = None) -> None:
        super().__init__(message.rstrip("\n"))
        self.exit_code = exit_code
        self.problems = problems or []


def error(message: str) -> KubectlError:
    """A client-side error: kubectl prefixes `error: ` unless the text already has it."""
    if not message.startswith("error: "):
        message = "error: " + message
    return KubectlError(message)


def usage_error(message: str, command: str) -> KubectlError:
    """A usage error, with kubectl's pointer to the command's help."""
    return error(f"{message}\nSee 'kubectl {command} -h' for help and examples")


def not_found(resource: str, name: str) -> str:
    """`Error from server (NotFound): pods "x" not found` (resource plural, group-qualified)."""
    return f'Error from server (NotFound): {resource} "{name}" not found'
