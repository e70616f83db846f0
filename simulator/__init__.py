"""Kubeplay's cluster simulator: a deterministic, pure-Python model of Kubernetes networking.

The public entry point is `Cluster` (CONTRACT.md); this package never imports
Django or anything web. The names below are everything the web layer may use
(tests/test_repository.py holds `playground/` to them). Submodules load on
first use, so importing one piece (say `simulator.labels`) does not build the
whole simulator.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .capacity import Capacity
    from .cluster import Cluster
    from .first_steps import FirstSteps, RequestTarget
    from .gateway_conversion import IngressConversion
    from .hints import REASON_SENTENCES, hint_words, word_hint
    from .inspection import INSPECTABLE_KINDS, Inspection
    from .observation import observation_problem
    from .result import CommandResult
    from .scenarios import DEFAULT as DEFAULT_SCENARIO
    from .scenarios import SCENARIOS, Scenario
    from .snapshot_changes import SnapshotChanges
    from .suggestions import Suggestions
    from .timeline import NextChange

#: Each public name: the module that defines it, and its name there.
_PUBLIC = {
    "Capacity": ("capacity", "Capacity"),
    "Cluster": ("cluster", "Cluster"),
    "CommandResult": ("result", "CommandResult"),
    "FirstSteps": ("first_steps", "FirstSteps"),
    "NextChange": ("timeline", "NextChange"),
    "RequestTarget": ("first_steps", "RequestTarget"),
    "Suggestions": ("suggestions", "Suggestions"),
    "Inspection": ("inspection", "Inspection"),
    "IngressConversion": ("gateway_conversion", "IngressConversion"),
    "INSPECTABLE_KINDS": ("inspection", "INSPECTABLE_KINDS"),
    "SnapshotChanges": ("snapshot_changes", "SnapshotChanges"),
    "observation_problem": ("observation", "observation_problem"),
    "Scenario": ("scenarios", "Scenario"),
    "SCENARIOS": ("scenarios", "SCENARIOS"),
    "DEFAULT_SCENARIO": ("scenarios", "DEFAULT"),
    "hint_words": ("hints", "hint_words"),
    "REASON_SENTENCES": ("hints", "REASON_SENTENCES"),
    "word_hint": ("hints", "word_hint"),
}

__all__ = [
    "DEFAULT_SCENARIO",
    "INSPECTABLE_KINDS",
    "REASON_SENTENCES",
    "SCENARIOS",
    "Capacity",
    "Cluster",
    "CommandResult",
    "FirstSteps",
    "IngressConversion",
    "Inspection",
    "NextChange",
    "RequestTarget",
    "Scenario",
    "SnapshotChanges",
    "Suggestions",
    "hint_words",
    "observation_problem",
    "word_hint",
]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'simulator' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    return getattr(import_module(f".{module}", __name__), attribute)
