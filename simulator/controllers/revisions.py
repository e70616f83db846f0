"""ControllerRevisions: the template history of DaemonSets and StatefulSets.

As the DaemonSet controller's `constructHistory` and the StatefulSet controller's
`getStatefulSetRevisions` keep it: one ControllerRevision per template the owner has
had, named `<owner>-<hash>` (the hash its pods carry in `controller-revision-hash`),
holding the template (`data`, a patch that replaces `spec.template`) and a revision
number. A template that comes back (an undo, an edit back) takes its old revision and
gets the next number. Beyond `revisionHistoryLimit` (default 10), the oldest revisions
no pod runs any more are deleted. `kubectl rollout history|undo` read them.
"""

from __future__ import annotations

import copy

from .changes import Change, CreateObject, DeleteObject, Renumber
from .ownership import owner_reference

REVISION_HASH = "controller-revision-hash"
HISTORY_LIMIT = 10


def name_of(owner: dict, template_hash: str) -> str:
    """The ControllerRevision holding the owner's template with this hash."""
    return f"{owner['metadata']['name']}-{template_hash}"


def number(revision: dict) -> int:
    """A ControllerRevision's revision number."""
    value = revision.get("revision")
    return value if type(value) is int else 0


def template_of(revision: dict) -> dict:
    """The pod template a ControllerRevision holds (without the patch's directive)."""
    template = copy.deepcopy(((revision.get("data") or {}).get("spec") or {}).get("template"))
    template = template if isinstance(template, dict) else {}
    template.pop("$patch", None)
    return template


def sync(owner: dict, revisions: list[dict], template_hash: str,
         in_use: set[str]) -> list[Change]:  # fmt: skip
    """The changes that record the owner's current template in its history.

    Args:
        revisions: the owner's ControllerRevisions (those it controls).
        template_hash: the current template's hash.
        in_use: the names of the revisions live pods still run.
    """
    name = name_of(owner, template_hash)
    top = max((number(r) for r in revisions), default=0)
    current = next((r for r in revisions if r["metadata"]["name"] == name), None)
    changes: list[Change] = []
    if current is None:
        changes.append(CreateObject(snapshot(owner, template_hash, top + 1)))
    elif number(current) < top:
        changes.append(Renumber(current, top + 1))
    limit = owner["spec"].get("revisionHistoryLimit", HISTORY_LIMIT)
    old = sorted((r for r in revisions if r["metadata"]["name"] not in in_use | {name}), key=number)
    namespace = owner["metadata"]["namespace"]
    for revision in old[: max(0, len(old) - limit)]:
        changes.append(DeleteObject("ControllerRevision", namespace, revision["metadata"]["name"]))
    return changes


def snapshot(owner: dict, template_hash: str, revision: int) -> dict:
    """A new ControllerRevision of the owner's template (the controllers' `snapshot`)."""
    meta = owner["metadata"]
    template = copy.deepcopy(owner["spec"]["template"])
    template["$patch"] = "replace"
    labels = dict((template.get("metadata") or {}).get("labels") or {})
    labels[REVISION_HASH] = template_hash
    metadata = {
        "name": name_of(owner, template_hash),
        "namespace": meta["namespace"],
        "labels": labels,
        "ownerReferences": [owner_reference(owner)],
    }
    if meta.get("annotations"):
        metadata["annotations"] = dict(meta["annotations"])
    return {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": metadata,
        "data": {"spec": {"template": template}},
        "revision": revision,
    }
