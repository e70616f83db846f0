"""NetworkPolicy on a proxy's two connections: ingress-nginx's, and any data plane like it.

A proxy is a pod. The client's connection to it is a packet to a pod like any other
(the client's egress rules, the proxy pod's ingress rules): `entry_dropped` asks the
policies and, when they drop it, ends the walk as a silent timeout at the proxy's hop.
The proxy's connection to an upstream pod leaves from the proxy pod: the path hands it
to `Deliverer.deliver(pod, ip, port, src_ip=PROXY_POD_IP, sender=PROXY_POD)`, which
polices the proxy's egress and the upstream pod's ingress, and a `DROPPED` delivery
is a connect that never completes. The proxy waits its connect timeout, tries the next
endpoint (`retried`, `retry_wait_ms` when one answers), and when every try was
dropped answers 504 (`upstream_timeout`): the client gets a response, late, and the
Trace's `blocked` names the policies.

A Gateway's data plane is such a proxy: describe it with a `Proxy` and call the same
functions from its routes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.hints import Hint, hint
from simulator.trace import HTTP_ERROR, Blocked, Hop

from .delivery import TCP

if TYPE_CHECKING:
    from .delivery import Delivery
    from .exchange import Exchange
    from .policing import Policing

#: The hops a request takes after the proxy, left out when the proxy's own egress drops it.
_PAST_THE_PROXY = ("service", "endpoints", "pod")


@dataclass(frozen=True, slots=True)
class Proxy:
    """A proxy as its drops are worded and timed.

    Attributes:
        name: what answers the client (the Trace's `served_by` on a 504), e.g. `ingress-nginx`.
        sender: who opens upstream connections, in a sentence: `the controller` (a hint).
        setting: the name of its connect timeout, e.g. `proxy-connect-timeout`.
        connect_timeout_ms: how long it waits for an upstream to accept.
    """

    name: str
    sender: str
    setting: str
    connect_timeout_ms: int


#: ingress-nginx: the controller pod proxies; its ConfigMap's proxy-connect-timeout is 5 s.
INGRESS_NGINX = Proxy("ingress-nginx", hint("the-controller"), "proxy-connect-timeout", 5_000)


def entry_dropped(
    ex: Exchange, policing: Policing, proxy_pod: dict, port: int, hop: Hop, where: str
) -> bool:
    """Whether the policies drop the client's connection to `proxy_pod` on `port` (the
    client's egress, or the proxy pod's ingress). When they do, the walk ends at `hop`
    (the proxy's) as a silent timeout, `where` saying where the request was going."""
    if not policing.active():
        return False
    client = ex.request.client
    ip = (proxy_pod.get("status") or {}).get("podIP") or ""
    drop = policing.packet(proxy_pod, ip, port, TCP, sender=client.pod, src_ip=client.ip)
    if drop is None:
        return False
    ex.add(hop)
    ex.drop(drop, where)
    return True


def retry_wait_ms(proxy: Proxy, dropped: Sequence[Delivery]) -> int:
    """What the tries a policy dropped cost before an endpoint answered."""
    return proxy.connect_timeout_ms * len(dropped)


def retried(reason: str, proxy: Proxy, dropped: Sequence[Delivery]) -> str:
    """The reason of a request answered after dropped tries: `reason` itself without any,
    else `reason (after a NetworkPolicy dropped the connection to web-1: ingress-nginx
    waited 5 s and tried the next endpoint)`."""
    if not dropped:
        return reason
    return hint(
        "after-dropped-tries",
        reason=reason,
        pods=", ".join(d.name for d in dropped),
        proxy=proxy.name,
        seconds=proxy.connect_timeout_ms // 1000,
    )


def upstream_timeout(ex: Exchange, proxy: Proxy, target: str, dropped: Sequence[Delivery]) -> None:
    """Every try met a NetworkPolicy drop: the proxy waits out each connect, then 504.

    The pod hop of the last try must be on the walk already. An egress drop (the proxy
    pod's own policies) stops the Trace at the proxy; an ingress drop at the pod.
    """
    last = dropped[-1]
    drop = last.drop
    assert drop is not None, "a dropped delivery carries its drop"
    if drop.direction == "egress":
        ex.hops = tuple(h for h in ex.hops if h.kind not in _PAST_THE_PROXY)
    at = len(ex.hops) - 1
    ex.responder = "nginx"
    tries = len(dropped)
    counted = {} if tries == 1 else {"tries": tries}
    reason: Hint = hint(
        "upstream-dropped-once" if tries == 1 else "upstream-dropped-each",
        target=target,
        sender=proxy.sender,
        pod=last.name,
        ip=last.ip,
        port=last.port,
        why=drop.reason,
        proxy=proxy.name,
        seconds=proxy.connect_timeout_ms // 1000,
        setting=proxy.setting,
        **counted,
    )
    ex.end(HTTP_ERROR, reason, 504, proxy.name)
    ex.elapsed_ms = retry_wait_ms(proxy, dropped)
    ex.trace.elapsed = ex.elapsed_ms / 1000
    ex.trace.blocked = Blocked(drop.direction, drop.namespace, drop.policies, at)
