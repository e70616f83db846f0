"""The Kubernetes release the simulated cluster and its kubectl are.

One place for the version that `kubectl version` prints, that nodes report,
that deprecation warnings compare against and that decides which features
exist (trafficDistribution `PreferSameNode` is GA from v1.35). kubectl and
the cluster are the same release, so no version-skew warning applies.
"""

from __future__ import annotations

KUBERNETES_VERSION = "v1.35.0"
#: (major, minor), for comparisons such as "served from 1.33 on".
KUBERNETES_MINOR = (1, 35)
#: The kustomize that kubectl v1.35 embeds (`kubectl version` prints it).
KUSTOMIZE_VERSION = "v5.7.1"


def at_least(major: int, minor: int) -> bool:
    """Whether the simulated cluster is this release or newer."""
    return (major, minor) <= KUBERNETES_MINOR
