"""The reachability matrix each viewer watches: who can reach whom on which port.

The simulator computes it (`Cluster.policy_matrix`); this module keeps track of
which viewers have it open and in which view (`auto`, per `workloads`, per
`pods`), and sends it again after a frame that may have changed it: pods came,
went or changed labels, a NetworkPolicy changed, or a command ran (a namespace's
labels are no snapshot entry, and `kubectl label namespace` is a command). One
computation serves every viewer of a view; an unchanged matrix is not resent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from playground import protocol
from simulator import Cluster

#: The shortest time between two computations of one view (seconds).
REFRESH_SECONDS = 0.25
_BY_POD = {"auto": None, "workloads": False, "pods": True}


def affected(frame: dict[str, Any]) -> bool:
    """Whether a frame may have changed the matrix."""
    changes = frame.get("changes") or {}
    return bool(frame.get("commands") or "pods" in changes or "networkPolicies" in changes)


class MatrixWatchers:
    """The viewers with the matrix open, and the matrix each was last sent."""

    def __init__(self) -> None:
        self.views: dict[str, str] = {}
        self._sent: dict[str, str] = {}
        self._owed: set[str] = set()
        self._ready_at: dict[str, float] = {}

    def watch(self, viewer: str, view: str | None) -> None:
        """Open (`view`) or close (None) the matrix for a viewer."""
        self._sent.pop(viewer, None)
        if view is None:
            self.views.pop(viewer, None)
        else:
            self.views[viewer] = view

    def compute(self, cluster: Cluster, view: str, now: float) -> str:
        """The matrix of `view`, encoded, noting when it may be computed again."""
        started = time.perf_counter()
        data = cluster.policy_matrix(_BY_POD[view])
        cost = time.perf_counter() - started
        self._ready_at[view] = now + max(REFRESH_SECONDS, 8 * cost)
        self._owed.discard(view)
        return protocol.encode(data)

    def refresh(
        self, frame: dict[str, Any] | None, seq: int, cluster: Cluster, now: float
    ) -> Iterator[tuple[str, list[str]]]:
        """`(viewer, texts)` for each viewer whose matrix `frame` (the frame just sent, or
        None on a tick without one) or an earlier, held-back frame changed."""
        if not self.views or (frame is None and not self._owed):
            return
        due = set(self._owed)
        if frame is not None and affected(frame):
            due.update(self.views.values())
        for view in due:
            if now < self._ready_at.get(view, 0.0):
                self._owed.add(view)
                continue
            data = self.compute(cluster, view, now)
            for viewer, watched in list(self.views.items()):
                if watched == view:
                    texts = self.message(viewer, view, data, seq)
                    if texts:
                        yield viewer, texts

    def message(
        self, viewer: str, view: str, data: str, seq: int, request_id: Any = None
    ) -> list[str]:
        """The `matrix` message for a viewer, as texts; none when it has this one already
        (a reply to its own request always goes)."""
        if request_id is None and self._sent.get(viewer) == data:
            return []
        self._sent[viewer] = data
        head = {"type": "matrix", "seq": seq, "view": view}
        if request_id is not None:
            head["id"] = request_id
        # The matrix is encoded once for every viewer; the message wraps the same text.
        text = protocol.encode(head)[:-1] + f',"matrix":{data}}}'
        return protocol.split(text)
