"""Each request a pod answered, written to the answering container's log.

The network's one write beside its balancers' memory: `Router.exchange`
hands every finished exchange here. It changes no API object and moves no
resourceVersion; a read-only observation turns it off (`Router.logging`), as
it must leave the cluster as it was. What the line looks like is the
image's business (simulator.container_logs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.container_logs import Served, container_for_port, record

from .curl_args import USER_AGENT
from .exchange import Exchange
from .http import pod_body

#: Hops of proxies that add X-Forwarded-For on their way to the pod.
_PROXIES = frozenset({"ingress", "gateway"})


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
    request = ex.request
    agent = USER_AGENT
    for key, value in request.headers:
        if key.lower() == "user-agent":
            agent = value
    proxied = any(h.kind in _PROXIES for h in hops)
    served = Served(
        now,
        hop.src_ip or "",
        request.method,
        hop.path or request.path,
        trace.status,
        0 if request.method == "HEAD" else len(pod_body(hop.name or "").encode()),
        agent,
        (hops[0].ip or "-") if proxied else "-",
    )
    rt.logs = record(rt.logs, container_for_port(rt.containers, hop.port), served)
