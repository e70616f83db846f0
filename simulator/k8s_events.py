"""Kubernetes Events (what `kubectl describe` lists under Events), recorded as
client-go's EventCorrelator records them (k8s.io/client-go/tools/record/events_cache.go):

* an event identical to one already recorded (same object, source, type, reason
  and message) only counts again: kubectl shows ``(x4 over 33s)``;
* once an object has seen 10 events that differ only by message within 10
  minutes (a ReplicaSet creating 50 pods), the 10th and later ones are recorded
  as one aggregate event, ``(combined from similar events): <latest message>``,
  counted like a repeat.

The correlator's per-object rate limit (a burst of 25 events, then one every 5
minutes) is not modelled: counts keep growing where a real cluster's would pause.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

Ref = tuple[str, str, str]  # (kind, namespace, name) of the object an event is about

AGGREGATE_AT = 10  # distinct messages that make the next ones one aggregate event
AGGREGATE_WINDOW = 600.0  # seconds after which similar events start counting again
COMBINED = "(combined from similar events): "
EVENT_TTL = 3600.0  # the API server's --event-ttl: events are deleted an hour after their last
RETIRED_LIMIT = 5000  # events kept about objects that are gone


@dataclass(slots=True)
class K8sEvent:
    """A Kubernetes Event (what `kubectl describe` lists under Events)."""

    type: str  # Normal | Warning
    reason: str
    source: str  # e.g. "kubelet", "default-scheduler", "replicaset-controller"
    message: str
    first: float
    last: float
    count: int = 1


class _Similar:
    """Events about one object that differ only by message: which messages, and when."""

    __slots__ = ("last", "messages")

    def __init__(self) -> None:
        self.messages: dict[str, None] = {}  # insertion-ordered set
        self.last = 0.0


def _counted(events: dict, key: tuple, shown: str, now: float, times: int = 1) -> K8sEvent:
    """The event filed under `key` (type, reason, source, message or None): made now, or
    counted `times` more; either way it shows `shown`."""
    event = events.get(key)
    if event is None:
        event = events[key] = K8sEvent(key[0], key[1], key[2], shown, now, now, times)
    else:
        event.count += times
        event.last = now
        event.message = shown
    return event


class EventRecorder:
    """Every object's recorded events, correlated as client-go does."""

    def __init__(self) -> None:
        # ref -> {(type, reason, source, message or None for the aggregate): event}
        self._events: dict[Ref, dict[tuple, K8sEvent]] = {}
        # ref -> {(type, reason, source): similar events}
        self._similar: dict[Ref, dict[tuple, _Similar]] = {}
        # Events about objects that are gone: listed until their time to live runs out.
        self._retired: deque[tuple[Ref, K8sEvent]] = deque()

    def record(self, ref: Ref, type_: str, reason: str, source: str, messages: list[str],
               now: float) -> list[K8sEvent]:  # fmt: skip
        """Record events about `ref`, one per message, in order; returns the events that
        now hold each (a repeat's or the aggregate's existing event, counted again)."""
        events = self._events.get(ref)
        if events is None:
            events = self._events[ref] = {}
        groups = self._similar.setdefault(ref, {})
        similar = groups.get((type_, reason, source))
        if similar is None or now - similar.last > AGGREGATE_WINDOW:
            similar = groups[(type_, reason, source)] = _Similar()
        seen = similar.messages
        similar.last = now
        if len(messages) > AGGREGATE_AT and seen.keys().isdisjoint(messages):
            batch = self._record_new((type_, reason, source), similar, messages, now, events)
            if batch is not None:
                return batch
        recorded = []
        for message in messages:
            seen[message] = None
            key: tuple = (type_, reason, source, message)
            shown = message
            if len(seen) >= AGGREGATE_AT:
                # client-go drops one remembered message (we drop the oldest, so a run is
                # deterministic) and files this one under the aggregate.
                del seen[next(iter(seen))]
                key, shown = (type_, reason, source, None), COMBINED + message
            recorded.append(_counted(events, key, shown, now))
        return recorded

    def _record_new(self, group: tuple, similar: _Similar, messages: list[str],
                    now: float, events: dict) -> list[K8sEvent] | None:  # fmt: skip
        """`record` for a batch of distinct messages not seen before (a controller creating
        many pods): the same outcome as one at a time, with the aggregate counted at once.
        None when some messages repeat (then the caller goes one at a time)."""
        if len(set(messages)) != len(messages):
            return None
        seen = similar.messages
        alone = max(0, AGGREGATE_AT - 1 - len(seen))
        # A message recorded before, then forgotten by the correlator, counts as a repeat.
        recorded = [_counted(events, (*group, m), m, now) for m in messages[:alone]]
        rest = messages[alone:]
        if rest:
            event = _counted(events, (*group, None), COMBINED + rest[-1], now, len(rest))
            recorded += [event] * len(rest)
        # The correlator remembers the latest messages, as many as one at a time leaves.
        similar.messages = dict.fromkeys([*seen, *messages][-(AGGREGATE_AT - 1) :])
        return recorded

    def about(self, ref: Ref) -> list[K8sEvent]:
        """The events about one object, in the order they were first recorded."""
        return list(self._events.get(ref, {}).values())

    def items(self) -> Iterator[tuple[Ref, K8sEvent]]:
        """Every `(ref, event)`, unordered: those about live objects, then those kept about
        objects that are gone."""
        live = ((ref, e) for ref, events in self._events.items() for e in events.values())
        return itertools.chain(live, self._retired)

    def retire(self, ref: Ref, now: float) -> None:
        """An object is gone: its events stay listed (`kubectl get events`) until their time
        to live (the API server's one hour) runs out, but no longer describe the name, which
        a new object may take. At most RETIRED_LIMIT are kept, the oldest dropped first."""
        events = self._events.pop(ref, None)
        self._similar.pop(ref, None)
        retired = self._retired
        if events:
            retired.extend((ref, e) for e in events.values())
        while retired and (now - retired[0][1].last > EVENT_TTL or len(retired) > RETIRED_LIMIT):
            retired.popleft()
