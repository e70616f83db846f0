"""The errors the cluster raises for a request it refuses, worded as the API server and
kubectl word them (kubectl prints them as they are)."""

from __future__ import annotations


class NotFound(LookupError):
    """`Error from server (NotFound): <resource> "<name>" not found`; `str()` is the part
    after the prefix.

    Attributes:
        resource: the group-qualified plural (`replicasets.apps`), as kubectl names it.
        name, namespace: the object asked for.
    """

    def __init__(self, resource: str, name: str, namespace: str = "") -> None:
        super().__init__(f'{resource} "{name}" not found')
        self.resource, self.name, self.namespace = resource, name, namespace


class Conflict(ValueError):
    """An API or client error other than NotFound; `str()` is the full kubectl line."""
