"""What every `kubectl get` table shares: the row context, the printer type, cell helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.kubectl.age import since

LOAD_BALANCER_WIDTH = 16  # printers.go loadBalancerWidth: EXTERNAL-IP / ADDRESS clipped unless wide


EMPTY: dict = {}


@dataclass(slots=True)
class RowContext:
    """What a row function may use besides the object.

    Attributes:
        now: simulated seconds.
        wide: `-o wide`.
        ages: AGE texts already computed for a creation timestamp (objects made
            together share one, so a 10,000-pod table formats few durations).
    """

    now: float
    wide: bool = False
    ages: dict[str, str] = field(default_factory=dict)

    def age(self, obj: dict) -> str:
        """The AGE cell of `obj` at `now`."""
        stamp = obj["metadata"].get("creationTimestamp") or ""
        text = self.ages.get(stamp)
        if text is None:
            text = self.ages[stamp] = since(stamp, self.now)
        return text


RowFunc = Callable[[dict, RowContext], list[str]]


@dataclass(frozen=True, slots=True)
class TablePrinter:
    """The columns of one kind's table and the function that fills a row.

    Attributes:
        columns: `(HEADER, wide_only)` in display order.
        row: returns the cells of every column shown (wide-only ones only when wide).
    """

    columns: tuple[tuple[str, bool], ...]
    row: RowFunc

    def headers(self, wide: bool) -> list[str]:
        """The header cells shown with or without `-o wide`."""
        return [name for name, wide_only in self.columns if wide or not wide_only]


def list_with_more(items: list[str], total: int, limit: int = 3) -> str:
    """Up to `limit` items comma-joined, then ` + N more...` (printers.go)."""
    text = ",".join(items)
    if total > limit:
        return f"{text} + {total - limit} more..."
    return text


def containers_cells(template_spec: dict | None) -> tuple[str, str]:
    """CONTAINERS and IMAGES cells of `-o wide` for a pod template spec."""
    containers = (template_spec or {}).get("containers") or ()
    return (
        ",".join(c.get("name", "") for c in containers),
        ",".join(c.get("image", "") for c in containers),
    )


def template_spec(obj: dict) -> dict:
    """The pod template's spec of a workload ({} when missing)."""
    return (((obj.get("spec") or {}).get("template") or {}).get("spec")) or {}


def format_label_selector(selector: dict | None) -> str:
    """`metav1.LabelSelectorAsSelector(sel).String()`: requirements sorted by key, "" if empty."""
    if selector is None:
        return "<none>"
    reqs: list[tuple[str, str]] = []
    for k, v in (selector.get("matchLabels") or {}).items():
        reqs.append((k, f"{k}={v}"))
    ops = {"In": "in", "NotIn": "notin"}
    for expr in selector.get("matchExpressions") or ():
        key, op = expr.get("key", ""), expr.get("operator", "")
        if op in ops:
            values = ",".join(sorted(str(v) for v in expr.get("values") or ()))
            reqs.append((key, f"{key} {ops[op]} ({values})"))
        elif op == "Exists":
            reqs.append((key, key))
        elif op == "DoesNotExist":
            reqs.append((key, f"!{key}"))
    reqs.sort(key=lambda r: r[0])
    return ",".join(text for _, text in reqs)


def format_selector_or_none(selector: dict | None) -> str:
    """`metav1.FormatLabelSelector`: like `format_label_selector`, `<none>` when empty."""
    return format_label_selector(selector) or "<none>"


def lb_ingress(status: dict | None, wide: bool) -> str:
    """Load-balancer IPs/hostnames, sorted, comma-joined, clipped to 16 unless wide."""
    seen = set()
    for item in ((status or {}).get("loadBalancer") or {}).get("ingress") or ():
        value = item.get("ip") or item.get("hostname")
        if value:
            seen.add(value)
    text = ",".join(sorted(seen))
    if not wide and len(text) > LOAD_BALANCER_WIDTH:
        text = text[: LOAD_BALANCER_WIDTH - 3] + "..."
    return text
