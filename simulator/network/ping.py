"""`ping` as BusyBox prints it (the debugging images' ping), over the cluster network.

What answers an ICMP echo: pods (from inside the cluster), nodes, the
Ingress address and hosts outside the cluster. What does not: a Service's
cluster IP (kube-proxy in iptables mode only rewrites the Service's TCP/UDP
ports and no interface owns the VIP, so the echo is lost; k8s-semantics.md
section 5), a LoadBalancer IP (the load balancer only forwards the Service's
ports), and pod IPs seen from the host (no route).

BusyBox pings forever without `-c`; here it stops after 4 packets, as if the
learner pressed Ctrl-C. Round-trip times are derived from the addresses, not
drawn from the cluster's random generator, so pinging never changes which pod
a later request reaches.
"""

from __future__ import annotations

import zlib

from simulator.hints import Hint, hint
from simulator.ipam import DNS_SERVICE_IP, HOST_IP, INGRESS_IP
from simulator.result import CommandResult
from simulator.trace import DNS_ERROR, OK, TIMEOUT, UNREACHABLE, Blocked, Trace

from .delivery import DROPPED, ICMP, DnsDropped
from .dns import NotFound, is_ip
from .policing import named_address, node_address
from .request import Client
from .router import RESOLVER_GAVE_UP, RESOLVER_TIMEOUT_MS, Router, could_not_resolve

DEFAULT_COUNT = 4
_USAGE = (
    "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
    "Usage: ping [OPTIONS] HOST\n\n"
    "Send ICMP ECHO_REQUESTs to HOST\n\n"
    "\t-c CNT\t\tSend only CNT pings\n"
    "\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n"
    "\t-W SEC\t\tSeconds to wait for the first response (default 10)\n"
    "\t-w SEC\t\tSeconds until ping exits (default:infinite)\n"
    "\t-q\t\tQuiet, only display output at start/finish\n"
)


def run_ping(router: Router, client: Client, args: list[str]) -> CommandResult:
    """Run `ping ARGS` from `client`: BusyBox output, exit 0 when any reply came, 1 otherwise."""
    count, size, quiet, host = DEFAULT_COUNT, 56, False, None
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in ("-c", "-s", "-W", "-w", "-i", "-I", "-t"):
            if i >= len(args):
                return CommandResult(
                    stderr=f"ping: option requires an argument -- '{arg[1]}'\n" + _USAGE,
                    exit_code=1,
                )
            value = args[i]
            i += 1
            if arg in ("-c", "-s"):
                if not value.isdigit():
                    return CommandResult(stderr=f"ping: invalid number '{value}'\n", exit_code=1)
                if arg == "-c":
                    count = max(int(value), 1)
                else:
                    size = int(value)
        elif arg.startswith("-c") and arg[2:].isdigit():
            count = max(int(arg[2:]), 1)
        elif arg == "-q":
            quiet = True
        elif arg in ("-4", "-n"):
            continue
        elif arg.startswith("-"):
            return CommandResult(
                stderr=f"ping: invalid option -- '{arg[1:2]}'\n" + _USAGE, exit_code=1
            )
        else:
            host = arg
    if host is None:
        return CommandResult(stderr=_USAGE, exit_code=1)
    trace, ip, ttl, base = _probe(router, client, host)
    if ip is None:
        return CommandResult(stderr=f"ping: bad address '{host}'\n", exit_code=1, traces=[trace])
    lines = [f"PING {host} ({ip}): {size} data bytes"]
    received = 0
    times: list[int] = []
    if base is not None:
        for seq in range(count):
            # microseconds, varying a little from packet to packet, reproducibly
            micros = base + (zlib.crc32(f"{ip}/{seq}".encode()) % (base // 2 + 7))
            times.append(micros)
            received += 1
            if not quiet:
                lines.append(
                    f"{size + 8} bytes from {ip}: seq={seq} ttl={ttl} "
                    f"time={micros // 1000}.{micros % 1000:03d} ms"
                )
    loss = (count - received) * 100 // count
    lines += [
        "",
        f"--- {host} ping statistics ---",
        f"{count} packets transmitted, {received} packets received, {loss}% packet loss",
    ]
    if times:
        low, high, avg = min(times), max(times), sum(times) // len(times)
        lines.append(
            "round-trip min/avg/max = "
            f"{low // 1000}.{low % 1000:03d}/{avg // 1000}.{avg % 1000:03d}/"
            f"{high // 1000}.{high % 1000:03d} ms"
        )
    trace.elapsed = float(count - 1) if received else float(count)
    return CommandResult("\n".join(lines) + "\n", "", 0 if received else 1, [trace])


def _probe(router: Router, client: Client, host: str) -> tuple[Trace, str | None, int, int | None]:
    """Where an echo to `host` goes: `(trace, address, ttl, base round trip in µs or None)`."""
    hops = [client.hop]
    hop = router.hop
    host_l = host.lower()
    ip: str | None
    if is_ip(host):
        ip = host
    elif host_l == "localhost":
        ip = "127.0.0.1"
    elif client.pod is None:
        ip = router.host_resolves(host_l)
    elif host_l == client.name:
        ip = client.ip
    else:
        found = router.delivery.query_dns(client, host_l)
        if isinstance(found, DnsDropped):
            hops.append(hop("dns", host_l, DNS_SERVICE_IP, 53))
            drop = found.drop
            at = len(hops) - 1 if drop.direction == "ingress" else 0
            trace = Trace(
                client.source,
                host,
                DNS_ERROR,
                None,
                None,
                hint(
                    "with-wait",
                    reason=could_not_resolve(host, hint("ping-query-dropped", why=drop.reason)),
                    waited=RESOLVER_GAVE_UP,
                ),
                tuple(hops[: at + 1]),
                RESOLVER_TIMEOUT_MS / 1000,
                Blocked(drop.direction, drop.namespace, drop.policies, at),
            )
            return trace, None, 0, None
        if isinstance(found, NotFound):
            hops.append(hop("dns", found.tried[0], DNS_SERVICE_IP, 53))
            return (
                Trace(
                    client.source,
                    host,
                    DNS_ERROR,
                    None,
                    None,
                    could_not_resolve(host, found.reason),
                    tuple(hops),
                ),
                None,
                0,
                None,
            )
        hops.append(hop("dns", found.name, DNS_SERVICE_IP, 53))
        ip = found.addresses[0]
    if ip is None:
        return (
            Trace(
                client.source,
                host,
                DNS_ERROR,
                None,
                None,
                router.host_dns_reason(host_l),
                tuple(hops),
            ),
            None,
            0,
            None,
        )

    def answered(kind: str, name: str, ttl: int, base: int, node: str | None = None):
        """The echo reaches `name`, which replies."""
        hops.append(hop(kind, name, ip, None, node))
        reason = hint("echo-answered", name=name, ip=ip)
        return Trace(client.source, host, OK, None, name, reason, tuple(hops)), ip, ttl, base

    def lost(kind: str, name: str, outcome: str, reason: Hint):
        """The echo is lost on the way: `reason` says where and why."""
        hops.append(hop(kind, name, ip))
        return Trace(client.source, host, outcome, None, None, reason, tuple(hops)), ip, 0, None

    def dropped(kind: str, name: str, drop, node: str | None = None):
        """A NetworkPolicy drops the echo: at `name` (ingress) or as it leaves (egress)."""
        if drop.direction == "ingress":
            hops.append(hop(kind, name, ip, None, node))
            at = len(hops) - 1
            reason = hint("echo-dropped-there", name=name, ip=ip, why=drop.reason)
        else:
            at = 0
            reason = hint("echo-never-left", name=name, ip=ip, client=client.name, why=drop.reason)
        blocked = Blocked(drop.direction, drop.namespace, drop.policies, at)
        trace = Trace(client.source, host, TIMEOUT, None, None, reason, tuple(hops[: at + 1]))
        trace.blocked = blocked
        return trace, ip, 0, None

    def left(label: Hint):
        """An egress NetworkPolicy drop of the client's echo to an address that is no pod
        (`label` names it, address included)."""
        if client.pod is None:
            return None
        return router.delivery.policing.leave(client.pod, ip, None, ICMP, label)

    tables = router.proxy.tables()
    key = tables.vips.get(ip)
    if key is not None:
        return lost(
            "service",
            key[1],
            TIMEOUT,
            hint("echo-cluster-ip", ip=ip, service=key[1]),
        )
    key = tables.lbs.get(ip)
    if key is not None:
        return lost(
            "loadbalancer",
            key[1],
            TIMEOUT,
            hint("echo-load-balancer", ip=ip, service=key[1]),
        )
    node = tables.node_by_ip.get(ip)
    if node is not None and (drop := left(node_address(node, ip))) is not None:
        return dropped("node", node, drop)
    if node is not None:
        same = client.node == node or client.pod is None
        return answered("node", node, 64 if same else 63, 110 if same else 320)
    if ip == INGRESS_IP:
        return answered("ingress", "ingress-nginx", 64, 140)
    if ip == "127.0.0.1" or (client.pod is not None and ip == client.ip):
        return answered("pod" if client.pod else "client", client.name, 64, 40, client.node)
    if ip == HOST_IP:
        return answered("client", "host", 64, 90)
    pod = router.state.pod_by_ip(ip)
    if pod is not None:
        name = pod["metadata"]["name"]
        if client.pod is None:
            return lost(
                "pod",
                name,
                UNREACHABLE,
                hint("echo-pod-from-host", ip=ip, pod=name),
            )
        # Through the delivery step like any packet to a pod (where a NetworkPolicy drop
        # will lose the echo); the Trace keeps ping's own hop, which shows no port.
        echo = router.delivery.deliver(
            pod, ip, None, src_ip=client.ip, sender=client.pod, protocol=ICMP
        )
        if echo.verdict is DROPPED:
            return dropped("pod", echo.name, echo.drop, echo.node)
        same = echo.node == client.node
        return answered("pod", echo.name, 64 if same else 63, 60 if same else 380, echo.node)
    if ip.startswith(("10.244.", "10.96.", "192.168.49.")):
        return lost("external", ip, UNREACHABLE, hint("echo-no-owner", ip=ip))
    outside = host if not is_ip(host) else ip
    if (drop := left(named_address(outside, ip))) is not None:
        return dropped("external", outside, drop)
    return answered("external", outside, 56, 11800)
