"""A NetworkPolicy as the inspector shows it: what it selects and, rule by rule, the
peers it lets in or out, with long lists of pods cut to a readable length."""

from __future__ import annotations

from typing import Any

from playground import limits
from playground.rooms.wording import worded


def present_policy(policy: dict[str, Any]) -> dict[str, Any]:
    """A NetworkPolicy's details with long lists of pods cut to a readable length."""
    limit = limits.MAX_SELECTION_ROWS
    directions = {}
    for direction, shown in policy["directions"].items():
        rules = []
        for rule in shown["rules"]:
            peers = [
                {
                    **peer,
                    "text": worded(peer["text"]),
                    "pods": peer["pods"][:limit],
                    "more": max(0, len(peer["pods"]) - limit),
                }
                for peer in rule["peers"]
            ]
            rules.append({**rule, "text": worded(rule["text"]), "peers": peers})
        directions[direction] = {"covered": shown["covered"], "rules": rules}
    return {
        "selects": policy["selects"][:limit],
        "selects_more": max(0, len(policy["selects"]) - limit),
        "count": len(policy["selects"]),
        "note": worded(policy["note"]),
        "ingress": directions["ingress"],
        "egress": directions["egress"],
    }
