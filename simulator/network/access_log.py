"""Each request a pod answered, written to the answering container's log.

The network's one write beside its balancers' memory: `Router.exchange`
hands every finished exchange here. It changes no API object and moves no
resourceVersion; a read-only observation turns it off (`Router.logging`), as
it must leave the cluster as it was. What is kept per request is four
references (the time, the shared request value, the trace's hops, the
status): the line's fields are read from them only when `kubectl logs`
asks (`describe`), and what the line looks like is the image's business
(simulator.container_logs).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

from simulator.container_logs import MAX_LINES, Served, container_for_port
from simulator.trace import Hop

from .curl_args import USER_AGENT
from .exchange import Exchange
from .request import Request

#: Hops of proxies that add X-Forwarded-For on their way to the pod.
_PROXIES = frozenset({"ingress", "gateway"})
#: The kubia answer `You've hit NAME\n` around the pod's name (ASCII: a DNS label).
_BODY_AROUND_NAME = len("You've hit \n")

#: One answered request as kept: `(simulated time, request, hops, status)`.
Entry = tuple[float, Request, tuple[Hop, ...], int]


def log_served(runtime: Mapping[Any, Any], ex: Exchange, now: float) -> None:
    """Write `ex` to the log of the container that answered it, if a pod's did."""
    trace = ex.trace
    hops = trace.hops
    if trace.status is None or not hops:
        return
    hop = hops[-1]
    if hop.kind != "pod" or trace.served_by != hop.name:
        return
    rt = runtime.get((hop.namespace, hop.name))
    if rt is None:
        return
    containers = rt.containers
    if containers is not None and len(containers) == 1:
        container = containers[0].get("name") or ""
    else:
        container = container_for_port(containers, hop.port)
    # container_logs.record, inline: this runs for every answered request
    logs = rt.logs
    if logs is None:
        logs = rt.logs = {}
    ring = logs.get(container)
    if ring is None:
        ring = logs[container] = deque(maxlen=MAX_LINES)
    ring.append((now, ex.request, hops, trace.status))


def describe(entry: Entry) -> Served:
    """The access-log facts of a kept entry."""
    at, request, hops, status = entry
    hop = hops[-1]
    agent = USER_AGENT
    for key, value in request.headers:
        if key.lower() == "user-agent":
            agent = value
    proxied = False
    for passed in hops:
        if passed.kind in _PROXIES:
            proxied = True
    size = 0 if request.method == "HEAD" else len(hop.name or "") + _BODY_AROUND_NAME
    return Served(
        at,
        hop.src_ip or "",
        request.method,
        hop.path or request.path,
        status,
        size,
        agent,
        (hops[0].ip or "-") if proxied else "-",
    )
