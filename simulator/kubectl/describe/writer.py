"""kubectl's `PrefixWriter` and the sections every describe text shares (labels, events)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from simulator.kubectl.age import human_duration
from simulator.kubectl.tabwriter import format_tabbed

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


MAX_ANNOTATION_LEN = 140


class Writer:
    """kubectl's `PrefixWriter` over a tabwriter: `write(level, text)` and `flush()`."""

    def __init__(self) -> None:
        self._buffer: list[str] = []
        self._done: list[str] = []

    def write(self, level: int, text: str) -> None:
        """Append `text`, indented by two spaces per level (as every Write call is)."""
        self._buffer.append("  " * level + text)

    def flush(self) -> None:
        """Align what was written so far on its own (kubectl flushes before Events)."""
        if self._buffer:
            self._done.append(format_tabbed("".join(self._buffer), minwidth=0, padding=2))
            self._buffer = []

    def text(self) -> str:
        """Everything written, aligned."""
        self.flush()
        return "".join(self._done)


def labels_multiline(
    w: Writer,
    title: str,
    labels: dict | None,
    initial: str = "",
    inner: str = "\t",
    skip: Iterable[str] = (),
) -> None:
    """`printLabelsMultilineWithIndent`: one `k=v` per line, sorted, or `<none>`."""
    w.write(0, f"{initial}{title}:{inner}")
    labels = labels or {}
    keys = sorted(k for k in labels if k not in set(skip))
    if not keys:
        w.write(0, "<none>\n")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, initial)
            w.write(0, inner)
        w.write(0, f"{key}={labels[key]}\n")


def annotations_multiline(w: Writer, title: str, annotations: dict | None) -> None:
    """`printAnnotationsMultiline`: sorted, last-applied-configuration hidden, long ones folded."""
    w.write(0, f"{title}:\t")
    annotations = annotations or {}
    keys = sorted(k for k in annotations if k != LAST_APPLIED)
    if not keys:
        w.write(0, "<none>\n")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, "\t")
        value = str(annotations[key]).removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for part in value.split("\n"):
                short = part if len(part) <= MAX_ANNOTATION_LEN - 2 else part[:138] + "..."
                w.write(0, f"\t  {short}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def taint_text(taint: dict) -> str:
    """`Taint.ToString()`: `key=value:Effect`, `key:Effect`, `key`."""
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def list_multiline(w: Writer, title: str, items: list[str], initial: str = "") -> None:
    """One item per line under `title`, aligned like labels, or `<none>`."""
    w.write(0, f"{initial}{title}:\t")
    if not items:
        w.write(0, "<none>\n")
        return
    for i, item in enumerate(items):
        if i:
            w.write(0, initial)
            w.write(0, "\t")
        w.write(0, item + "\n")


def toleration_text(t: dict) -> str:
    """One toleration as describe prints it: `key=value:Effect op=Exists for 300s`."""
    text = t.get("key", "")
    if t.get("value"):
        text += "=" + t["value"]
    if t.get("effect"):
        text += ":" + t["effect"]
    if t.get("operator") == "Exists" and not t.get("value"):
        text += " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists"
    if t.get("tolerationSeconds") is not None:
        text += f" for {t['tolerationSeconds']}s"
    return text


def describe_events(w: Writer, events: Sequence[Any] | None, now: float) -> None:
    """`DescribeEvents`: `Events:  <none>` or the aligned table, oldest last-seen first.

    Args:
        events: objects with `type`, `reason`, `source`, `message`, `first`, `last`
            (simulated seconds) and `count`, or None to print nothing.
    """
    if events is None:
        return
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for e in sorted(events, key=lambda e: e.last):
        first = _ago(e.first, now)
        age = f"{_ago(e.last, now)} (x{e.count} over {first})" if e.count > 1 else first
        w.write(1, f"{e.type}\t{e.reason}\t{age}\t{e.source}\t{e.message.strip()}\n")


def _ago(at: float, now: float) -> str:
    return human_duration(now - at)


def meta_of(obj: dict) -> dict:
    """The object's metadata ({} when missing)."""
    return obj.get("metadata") or {}


def controlled_by(obj: dict) -> str:
    """`Kind/name` of the controlling owner reference, or ""."""
    for ref in meta_of(obj).get("ownerReferences") or ():
        if ref.get("controller"):
            return f"{ref.get('kind')}/{ref.get('name')}"
    return ""
