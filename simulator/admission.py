"""API-server admission: what the server adds to a pod when it is created.

DefaultTolerationSeconds gives every pod `not-ready` and `unreachable`
NoExecute tolerations for 300 s unless it has its own (k8s-semantics.md
section 8), which `kubectl describe pod` shows under Tolerations.
"""

from __future__ import annotations

DEFAULT_TOLERATIONS = (
    {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
    {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
)

# id(tolerations list) -> (that list, the admitted list): pods of one template share both.
_ADMITTED: dict[int, tuple[object, list[dict]]] = {}


def admit_pod(spec: dict) -> None:
    """Add the default tolerations a pod lacks, in place (the pod's own spec copy)."""
    tolerations = spec.get("tolerations")
    cached = _ADMITTED.get(id(tolerations))
    if cached is None or cached[0] is not tolerations:
        admitted = list(tolerations or ())
        for default in DEFAULT_TOLERATIONS:
            if not any(
                t.get("key") == default["key"] and t.get("effect") in (None, "", "NoExecute")
                for t in admitted
            ):
                admitted.append(dict(default))
        if len(_ADMITTED) > 10_000:
            _ADMITTED.clear()
        cached = _ADMITTED[id(tolerations)] = (tolerations, admitted)
    spec["tolerations"] = cached[1]
    spec.setdefault("priority", 0)
    spec.setdefault("serviceAccountName", "default")
