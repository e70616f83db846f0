"""The inspector: one object's YAML, `kubectl describe`, and who selects whom, in words.

The simulator answers (`Cluster.inspect`, one read at one moment, so the
table and the describe text always agree); this module words its answer for
the `partials/inspector.html` template and keeps track of what each viewer
inspects. A viewer's inspector is refreshed by the frame that may have
changed what it shows (a change in its namespace, a command, its pod's
probe), right after that frame, so no browser timer asks again.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from playground import limits, protocol, topology
from playground.rooms.policy_view import present_policy
from playground.rooms.selection_view import selection_row
from playground.rooms.wording import worded
from simulator import INSPECTABLE_KINDS, Cluster, Inspection

_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
#: The shortest time between two renders of one target's inspector (seconds).
REFRESH_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class Target:
    """An object to inspect. Nodes have no namespace."""

    kind: str
    namespace: str
    name: str

    @classmethod
    def parse(cls, kind: Any, namespace: Any, name: Any) -> Target:
        """A target from untrusted input; ValueError with words a learner can act on."""
        if not isinstance(kind, str) or kind not in INSPECTABLE_KINDS:
            raise ValueError(
                _("Choose an object in the diagram: %(kind)r is not one.")
                % {"kind": str(kind)[:40]}
            )
        # Everything but a Node defaults to the namespace "default", as kubectl does.
        namespace = "" if kind == "Node" else namespace or "default"
        for value in (name, namespace or "x"):
            if not isinstance(value, str) or not _NAME.match(value):
                raise ValueError(_("Choose an object in the diagram: that name is not valid."))
        return cls(kind, namespace, name)

    def fields(self) -> dict[str, str]:
        return {"kind": self.kind, "namespace": self.namespace, "name": self.name}


def inspect(cluster: Cluster, target: Target) -> dict[str, Any]:
    """What the inspector shows about `target` now, as the template's context."""
    return present(cluster.inspect(target.kind, target.namespace, target.name))


def present(shown: Inspection) -> dict[str, Any]:
    """The inspection as the template shows it, each selection row with its reasons."""
    info: dict[str, Any] = {
        "kind": shown.kind,
        "namespace": shown.namespace,
        "name": shown.name,
        "command_target": shown.target,
        "found": shown.found,
        "yaml": shown.yaml,
        "describe": shown.describe,
        "selection": [selection_row(row) for row in shown.selection[: limits.MAX_SELECTION_ROWS]],
        "selection_more": max(0, len(shown.selection) - limits.MAX_SELECTION_ROWS),
        "replicas": shown.replicas,
        "unschedulable": shown.unschedulable,
        "labels": list(shown.labels),
        "ready": shown.ready,
        "workload": None,
        "probes": shown.probes,
        "readiness": None,
        # scope, type, status, reason, message: the template's fields, by the same names
        "conditions": [asdict(row) for row in shown.conditions],
        "notes": [worded(note) for note in shown.notes],
        "policy": present_policy(shown.policy) if shown.policy is not None else None,
        "isolation": shown.isolation,
    }
    if shown.workload is not None:
        info["workload"] = {
            "kind": shown.workload.kind,
            "name": shown.workload.name,
            "replicas": shown.workload.replicas,
            "command_target": shown.workload.target,
        }
    switch = shown.readiness
    if switch is not None:
        info["readiness"] = {
            "mode": "file" if switch.command else "none",
            "command": switch.command,
            "exists": switch.passing,
            "label": (
                _("%(action)s (probe will fail)")
                if switch.passing
                else _("%(action)s (probe will pass)")
            )
            % {"action": switch.action},
            "note": switch.note,
        }
    return info


def render(info: dict[str, Any]) -> str:
    return render_to_string("partials/inspector.html", {"info": info})


def affected(target: Target, frame: dict[str, Any]) -> bool:
    """Whether a frame may have changed what the inspector of `target` shows.

    Its namespace changed (an object, an Endpoints, a workload's counts), a
    command ran (it may have touched a file or a port without changing the
    topology), or its pod's probe ran (describe lists the probe's events); a
    Node shows the pods it runs, so any node or pod change counts.
    """
    if frame.get("commands"):
        return True
    if target.kind == "Pod" and f"{target.namespace}/{target.name}" in frame.get("probes", {}):
        return True
    changes = frame.get("changes")
    if not changes:
        return False
    if target.kind == "Node":
        return "nodes" in changes or "pods" in changes
    return target.namespace in topology.namespaces(changes)


class Watchers:
    """What each viewer of a room inspects, and the inspector it was last sent.

    A target is rendered at most every `REFRESH_SECONDS`, and at most once per
    eight of its render times (a Service of thousands of pods takes a while):
    a refresh a frame asks for sooner goes out on a later tick of the room.
    """

    def __init__(self) -> None:
        self.targets: dict[str, Target] = {}
        #: Each viewer's language: an inspector is rendered once per target and language.
        self.languages: dict[str, str] = {}
        self._sent: dict[str, str] = {}
        self._owed: set[Target] = set()
        self._ready_at: dict[Target, float] = {}
        #: Each target's last render and the frame it showed: a class following its
        #: presenter's choice asks for the same inspector a thousand times in one frame.
        self._rendered: dict[tuple[Target, str], tuple[int, str]] = {}

    def watch(self, viewer: str, target: Target | None, language: str = "en") -> None:
        self._sent.pop(viewer, None)
        if target is None:
            self.targets.pop(viewer, None)
            self.languages.pop(viewer, None)
        else:
            self.targets[viewer] = target
            self.languages[viewer] = language
        watched = set(self.targets.values())
        self._owed &= watched
        self._ready_at = {t: at for t, at in self._ready_at.items() if t in watched}
        self._rendered = {k: r for k, r in self._rendered.items() if k[0] in watched}

    def forget_renders(self) -> None:
        """Frames count from 0 again (the room was rewound): no render is current."""
        self._rendered.clear()

    def forget(self, viewer: str) -> None:
        self.watch(viewer, None)

    def render(
        self,
        target: Target,
        language: str,
        show: Callable[[Target, str], str],
        now: float,
        seq: int | None = None,
    ) -> str:
        """`show(target, language)`, noting when the target may be rendered again; the render
        of frame `seq` again when there is one (nothing changed since)."""
        key = (target, language)
        if seq is not None and self._rendered.get(key, (None,))[0] == seq:
            return self._rendered[key][1]
        started = time.perf_counter()
        html = show(target, language)
        cost = time.perf_counter() - started
        self._ready_at[target] = now + max(REFRESH_SECONDS, 8 * cost)
        self._owed.discard(target)
        if seq is not None:
            self._rendered[key] = (seq, html)
        return html

    def refresh(
        self,
        frame: dict[str, Any] | None,
        seq: int,
        show: Callable[[Target, str], str],
        now: float,
    ) -> Iterator[tuple[str, list[str]]]:
        """`(viewer, texts)` for each viewer whose inspector changed: by `frame`, the frame
        just sent (None on a tick without one), or by an earlier frame whose refresh had
        to wait. `show` renders a target in a language, once however many viewers of that
        language watch it."""
        if frame is None and not self._owed:
            return
        due: dict[Target, dict[str, list[str]]] = {}
        for viewer, target in self.targets.items():
            if target in self._owed or (frame is not None and affected(target, frame)):
                language = self.languages.get(viewer, "en")
                due.setdefault(target, {}).setdefault(language, []).append(viewer)
        for target, by_language in due.items():
            if now < self._ready_at.get(target, 0.0):
                self._owed.add(target)
                continue
            for language, viewers in by_language.items():
                html = self.render(target, language, show, now, seq)
                for viewer in viewers:
                    texts = self.message(viewer, target, html, seq)
                    if texts:
                        yield viewer, texts

    def message(
        self, viewer: str, target: Target, html: str, seq: int, request_id: Any = None
    ) -> list[str]:
        """The `inspector` message for a viewer, as texts to send; none when it shows
        this already (a reply to its own request always goes)."""
        if request_id is None and self._sent.get(viewer) == html:
            return []
        self._sent[viewer] = html
        message = {"type": "inspector", "seq": seq, **target.fields(), "html": html}
        if request_id is not None:
            message["id"] = request_id
        return protocol.split(protocol.encode(message))
