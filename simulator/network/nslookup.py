"""`nslookup` as bind9's dnsutils prints it (`kubectl exec dnsutils -- nslookup NAME`).

From a pod the query goes to cluster DNS (10.96.0.10) through the pod's
search list; from the host it goes to the host's stub resolver, which knows
public names only: unlike curl, nslookup never reads /etc/hosts, so Ingress
hosts do not resolve there.
"""

from __future__ import annotations

from simulator.hints import Hint, hint
from simulator.ipam import DNS_SERVICE_IP
from simulator.result import CommandResult
from simulator.trace import DNS_ERROR, OK, TIMEOUT, Blocked, Trace

from .delivery import DnsDropped
from .dns import HOST_NAMESERVER, Answer, NotFound, external_address, is_ip, nslookup_output
from .request import Client
from .router import Router, could_not_resolve

#: How long bind9's nslookup waits for a server that never answers: three tries of 5 s.
NSLOOKUP_TIMEOUT_S = 15.0


def run_nslookup(router: Router, client: Client, args: list[str]) -> CommandResult:
    """Run `nslookup [-option...] NAME [SERVER]` from `client`."""
    positional = [a for a in args if not a.startswith("-")]
    if not positional:
        return CommandResult(
            stderr="nslookup: interactive mode is not available here; use nslookup NAME\n",
            exit_code=1,
        )
    name = positional[0]
    default_server = DNS_SERVICE_IP if client.pod is not None else HOST_NAMESERVER
    server = positional[1] if len(positional) > 1 else default_server
    hop = router.hop
    # A CoreDNS pod answers at its own address too (`nslookup NAME POD_IP`), from a pod.
    coredns = router.delivery.dns_server_at(server) if client.pod is not None else None
    if server not in (default_server, DNS_SERVICE_IP) and coredns is None:
        trace = Trace(
            client.source,
            name,
            TIMEOUT,
            None,
            None,
            hint("not-a-dns-server", server=server, cluster_dns=DNS_SERVICE_IP),
            (client.hop, hop("dns", name, server, 53)),
        )
        return _timed_out(trace)
    server_hop = hop("dns", name, server, 53)
    if client.pod is not None and (coredns is not None or server == DNS_SERVICE_IP):
        drop = router.delivery.dns_drop(client, coredns)
        if drop is not None:
            return _dropped(client, name, drop, server_hop)
    if is_ip(name):
        ptr = router.dns.reverse(name) if server == DNS_SERVICE_IP else None
        text, code = nslookup_output(name, ptr, server, True)
        outcome = OK if code == 0 else DNS_ERROR
        reason = hint("ptr-answer", ip=name, name=ptr) if ptr else hint("no-ptr-record", ip=name)
        return CommandResult(
            text,
            "",
            code,
            [Trace(client.source, name, outcome, None, None, reason, (client.hop, server_hop))],
        )
    result: Answer | NotFound | DnsDropped
    if coredns is not None:
        result = router.delivery.query_dns(client, name, coredns)
    elif server == DNS_SERVICE_IP and client.pod is not None:
        result = router.delivery.query_dns(client, name)
    elif server == DNS_SERVICE_IP:
        found = router.dns.query(name)
        result = found if found else NotFound(name, (name,), hint("no-dns-record", name=name))
    else:
        address = external_address(name.lower().rstrip("."))
        if address is not None and not router.ingress.table().knows_host(name.lower()):
            result = Answer(name.lower().rstrip("."), (address,), "external")
        else:
            result = NotFound(name, (name,), _host_reason(router, name))
    if isinstance(result, DnsDropped):  # checked above; kept for the type's sake
        return _dropped(client, name, result.drop, server_hop)
    text, code = nslookup_output(name, result, server, True)
    if isinstance(result, NotFound):
        trace = Trace(
            client.source,
            name,
            DNS_ERROR,
            None,
            None,
            could_not_resolve(name, result.reason),
            (client.hop, server_hop),
        )
    else:
        shown = ", ".join(result.addresses)
        trace = Trace(
            client.source,
            name,
            OK,
            None,
            None,
            hint("name-answer", name=result.name, addresses=shown),
            (client.hop, hop("dns", result.name, server, 53)),
        )
    return CommandResult(text, "", code, [trace])


def _dropped(client: Client, name: str, drop, server_hop) -> CommandResult:
    """A query a NetworkPolicy dropped: nslookup waits out its tries and gives up."""
    at = 1 if drop.direction == "ingress" else 0
    trace = Trace(
        client.source,
        name,
        TIMEOUT,
        None,
        None,
        hint(
            "with-wait",
            reason=hint("nslookup-query-dropped", name=name, server=server_hop.ip, why=drop.reason),
            waited=GAVE_UP,
        ),
        (client.hop, server_hop)[: at + 1],
        NSLOOKUP_TIMEOUT_S,
        Blocked(drop.direction, drop.namespace, drop.policies, at),
    )
    return _timed_out(trace)


def _timed_out(trace: Trace) -> CommandResult:
    """What nslookup prints when no server answered any of its tries."""
    return CommandResult(";; connection timed out; no servers could be reached\n\n", "", 1, [trace])


def _host_reason(router: Router, name: str) -> Hint:
    lowered = name.lower()
    if router.ingress.table().knows_host(lowered):
        return hint("nslookup-ingress-host", host=lowered)
    if "." not in lowered or lowered.endswith(".cluster.local") or lowered.endswith(".svc"):
        return ON_HOST
    return hint("not-in-public-dns", host=lowered)


GAVE_UP = hint("nslookup-gave-up")
ON_HOST = hint("nslookup-on-host")
