"""State-change events: data returned by the simulator, never sent by it.

Every change (an object added, modified or deleted; a pod turning ready or not
ready; an Endpoints object changing) is appended to the cluster's `EventLog`
with an increasing sequence number, so the web layer can broadcast changes
instead of whole snapshots and a client can resync from its last `seq`.
"""

from __future__ import annotations

from functools import partial
from itertools import count, repeat
from typing import Any, NamedTuple

ADDED = "added"
MODIFIED = "modified"
DELETED = "deleted"
READY = "ready"
NOT_READY = "not_ready"
ENDPOINTS = "endpoints"


class Event(NamedTuple):
    """One state change. `detail` carries what a viewer needs to redraw it.

    An immutable value (a NamedTuple rather than a frozen dataclass: a bulk
    apply emits one per pod, and this is several times cheaper to build).
    """

    seq: int
    at: float
    type: str
    kind: str
    namespace: str
    name: str
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "seq": self.seq,
            "at": self.at,
            "type": self.type,
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
            "detail": self.detail,
        }


# `Event._make` without its Python frame and length check (fields come from `emit_all`).
_new_event = partial(tuple.__new__, Event)


class EventLog:
    """An append-only, ordered list of events with sequence numbers from 1."""

    def __init__(self) -> None:
        self._events: list[Event] = []

    @property
    def last_seq(self) -> int:
        """The sequence number of the newest event (0 when there is none)."""
        return len(self._events)

    def emit(
        self,
        at: float,
        type_: str,
        kind: str,
        namespace: str,
        name: str,
        detail: dict | None = None,
    ) -> Event:
        """Append an event and return it."""
        event = Event(len(self._events) + 1, at, type_, kind, namespace, name, detail or {})
        self._events.append(event)
        return event

    def emit_all(self, at: float, type_: str, kind: str,
                 items: list[tuple[str, str, dict]]) -> None:  # fmt: skip
        """Append one event per `(namespace, name, detail)`, in order (a batch)."""
        if not items:
            return
        # Built without a Python call per event (a batch is a controller's pods): zip
        # makes each event's fields, `_new_event` turns them into an Event in C.
        namespaces, names, details = zip(*items, strict=True)
        fields = zip(count(len(self._events) + 1), repeat(at), repeat(type_), repeat(kind),
                     namespaces, names, details)  # fmt: skip
        self._events.extend(map(_new_event, fields))

    def since(self, seq: int) -> list[Event]:
        """Every event with a sequence number greater than `seq`, oldest first."""
        return self._events[max(seq, 0) :]
