"""Kubeplay's cluster simulator: a deterministic, pure-Python model of Kubernetes networking.

The public entry point is `Cluster` (CONTRACT.md); this package never imports
Django or anything web. Submodules load on first use, so importing one piece
(say `simulator.labels`) does not build the whole simulator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cluster import Cluster
    from .result import CommandResult

__all__ = ["Cluster", "CommandResult"]


def __getattr__(name: str):
    if name == "Cluster":
        from .cluster import Cluster

        return Cluster
    if name == "CommandResult":
        from .result import CommandResult

        return CommandResult
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")
