"""The examples catalog: the simulator's built-in scenarios, for the home page and rooms.

Titles and summaries are English in the simulator, marked there with `gettext_noop`
so the catalogue has them; they are translated here, when a page shows them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from simulator import DEFAULT_SCENARIO, SCENARIOS


def examples() -> list[dict[str, str | bool]]:
    """The built-in scenarios for the examples menu, in the simulator's order (each topic's
    scenarios together, so the menu groups them under the topic's heading)."""
    return [
        {
            "slug": s.slug,
            "title": gettext(s.title),
            "summary": gettext(s.summary),
            "topic": gettext(s.topic),
            "gateway_api": "HTTPRoute" in s.kinds,
        }
        for s in SCENARIOS
    ]  # fmt: skip


def example(slug: str | None) -> dict[str, Any] | None:
    """One scenario with its manifest and commands to try, or None when `slug` is unknown."""
    for s in SCENARIOS:
        if s.slug == slug:
            return {
                "slug": s.slug,
                "title": gettext(s.title),
                "summary": gettext(s.summary),
                "manifest": s.manifest,
                "try_commands": list(s.try_commands),
                "pod_selector": s.pod_selector,
                # ingress-nginx, which serves the Ingress examples, is retired: say so and
                # point to the same routes with Gateway API.
                "uses_ingress": "Ingress" in s.kinds,
                "twin": _twin(s.twin),
            }
    return None


def _twin(slug: str) -> dict[str, str] | None:
    for s in SCENARIOS:
        if s.slug == slug:
            return {"slug": s.slug, "title": gettext(s.title)}
    return None


def default_example() -> dict[str, Any]:
    """The scenario the home page opens with."""
    example_ = example(DEFAULT_SCENARIO)
    assert example_ is not None, "the default scenario is one of the scenarios"
    return example_
