"""Benchmark of explaining bad input: what a mistake costs, and what good input pays.

Run: `python -m benchmarks.bench_review` (add `--quick` for fewer repeats, smaller inputs).
Prints medians of process CPU time:

* one mistake in a learner's paste (the demo-service example with an indentation slip,
  a full-width colon, a tab, a non-breaking space), against reviewing the paste unchanged;
* the bounded worst cases: many broken documents in one input, one large document with a
  slip (the repair search shares one parse budget per input);
* what accepted input pays: the Services check (`selection_warnings`) against the parse and
  validation of the bench_core manifest.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from simulator.manifests import parse_manifests
from simulator.review import review_manifests
from simulator.review.selection import selection_warnings
from simulator.validation import validate_documents

from .workload import manifest

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "simulator/scenarios/demo-service.yaml"
).read_text()
MISTAKES = {
    "indentation": ("  selector:\n    app", "selector:\n    app"),
    "full-width colon": ("  selector:\n    app", "  selector：\n    app"),
    "tab": ("    targetPort: 8080", "\ttargetPort: 8080"),
    "non-breaking space": ("    targetPort: 8080", "    targetPort:\u00a08080"),
}


def cpu_ms(fn, repeat: int) -> float:
    """Median CPU milliseconds of `fn()` over `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller inputs")
    args = parser.parse_args()
    repeat = 5 if args.quick else 31
    scale = 10 if args.quick else 1

    clean = cpu_ms(lambda: review_manifests(EXAMPLE), repeat)
    print(f"review of the example, no mistake:   {clean:8.2f} ms")
    for name, (old, new) in MISTAKES.items():
        text = EXAMPLE.replace(old, new, 1)
        review = review_manifests(text)
        assert review.errors, name
        assert review.errors[0].hint, name
        spent = cpu_ms(lambda text=text: review_manifests(text), repeat)
        print(f"  with a {name + ':':<22}{spent:8.2f} ms  = {spent / clean:.1f}x")

    broken = EXAMPLE.replace(*MISTAKES["indentation"], 1)
    copies = "---\n".join([broken] * (200 // scale))
    spent = cpu_ms(lambda: review_manifests(copies), max(3, repeat // 6))
    print(f"{200 // scale} broken copies ({copies.count('---') + 1} documents): {spent:8.1f} ms")

    items = [
        f"- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c{i}\n  data:\n    k: v{i}\n"
        for i in range(5000 // scale)
    ]
    items[-10] = items[-10].replace("  kind:", "   kind:")
    large = "apiVersion: v1\nkind: List\nitems:\n" + "".join(items)
    spent = cpu_ms(lambda: review_manifests(large), max(3, repeat // 6))
    just_parse = cpu_ms(lambda: list(parse_manifests_or_error(large)), max(3, repeat // 6))
    print(
        f"one {len(large) // 1024} KiB document with a slip: {spent:8.1f} ms "
        f"(its failing parse alone {just_parse:.1f} ms)"
    )

    text = manifest(services=1000 // scale, deployments=200 // scale, nodes=100 // scale)
    parsed = parse_manifests(text)
    documents, _, _ = validate_documents(parsed)
    base = cpu_ms(lambda: validate_documents(parse_manifests(text)), max(3, repeat // 3))
    check = cpu_ms(lambda: selection_warnings(documents, parsed.locate), repeat)
    services = sum(1 for d in documents if d.obj["kind"] == "Service")
    print(
        f"Services check, {services} Services:    {check:8.2f} ms  = "
        f"{check / base * 100:.1f}% of parse + validate ({base:.1f} ms), "
        f"{check / services * 1000:.1f} µs per Service"
    )


def parse_manifests_or_error(text: str) -> list:
    """The parse a review starts with, failing or not (for the large case's yardstick)."""
    try:
        return parse_manifests(text).documents
    except Exception:  # noqa: BLE001 - the failing parse is what is timed
        return []


if __name__ == "__main__":
    main()
