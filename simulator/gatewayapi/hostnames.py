"""Hostnames in the Gateway API: wildcard matching and listener/route intersection.

Semantics (``HTTPRouteSpec.Hostnames`` and ``Listener.Hostname`` in apis/v1):

* ``*.example.com`` is a suffix match: it matches ``test.example.com`` and
  ``foo.test.example.com`` but not ``example.com`` (unlike Ingress, where the wildcard
  covers one label only).
* A route attaches to a listener only through the hostnames they share: with no listener
  hostname the route's hostnames are kept; with no route hostnames the listener's is used;
  otherwise each route hostname that matches the listener's (either way round) is kept, as
  the more specific of the two; none left means the route is not accepted there
  (``NoMatchingListenerHostname``).
* Between routes, a request's Host picks the most specific hostname first: an exact name,
  then the wildcard with the most labels.

The intersection is NGINX Gateway Fabric's ``findAcceptedHostnames`` and
``GetMoreSpecificHostname`` (internal/controller/state/graph/route_common.go), which
implement the rules above. ``"*"`` stands for "any host" (a route and listener that both
name none).
"""

from __future__ import annotations

ANY_HOST = "*"


def hostname_matches(pattern: str, host: str) -> bool:
    """Whether a request host matches a route or listener hostname.

    Args:
        pattern: ``foo.example.com``, ``*.example.com`` or ``*`` (any host).
        host: the request's host, lower-case, without a port.
    """
    if pattern in (ANY_HOST, host):
        return True
    return pattern.startswith("*.") and host.endswith(pattern[1:]) and len(host) > len(pattern) - 1


def _overlap(listener: str, route: str) -> bool:
    """NGF's ``match``: equal, or one a wildcard whose suffix the other ends with."""
    if not listener or route == listener:
        return True
    if listener.startswith("*.") and route.endswith(listener[1:]):
        return True
    return route.startswith("*.") and listener.endswith(route[1:])


def more_specific(first: str, second: str) -> str:
    """The more specific of two overlapping hostnames (``""`` is the least specific)."""
    if first == second or not second:
        return first
    if not first:
        return second
    if first.startswith("*."):
        if second.startswith("*."):
            return first if first.count(".") > second.count(".") else second
        return second
    if second.startswith("*."):
        return first
    return ""


def accepted_hostnames(listener: str | None, route: list[str] | tuple[str, ...]) -> list[str]:
    """The hostnames a route serves on a listener; empty when they share none.

    Args:
        listener: the listener's ``hostname`` (None or "" when it names none).
        route: the route's ``spec.hostnames``.

    Returns:
        Hostnames in the route's order (``["*"]`` when neither names one).
    """
    listener = listener or ""
    if not route:
        return [listener or ANY_HOST]
    return [more_specific(listener, h) for h in route if _overlap(listener, h)]


def specificity(hostname: str) -> tuple[int, int]:
    """A sort key, most specific first: exact names, then wildcards by labels, then any."""
    if hostname == ANY_HOST:
        return (2, 0)
    if hostname.startswith("*."):
        return (1, -hostname.count("."))
    return (0, 0)
