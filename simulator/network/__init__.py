"""The simulated cluster network: DNS, kube-proxy, ingress-nginx, and curl/ping/nslookup.

`Network` is the facade the cluster uses. Every request yields a `Trace`
(simulator.trace); `run` prints what the real tool prints. Modules:

* `dns` - CoreDNS records, the pods' resolver (search list, ndots:5), nslookup text;
* `proxy` - kube-proxy: address tables, endpoint choice, session affinity;
* `ingress` - ingress-nginx: servers, locations, TLS entries, round robin;
* `tls` - certificates (the fake one, Secrets', public ones);
* `request` - the request value (client, URL, method, headers, options);
* `router` - follows one request end to end and builds its Trace, with
  `service_routes` (kube-proxy paths) and `ingress_routes` (ingress-nginx paths);
* `delivery` - the one step that hands a packet to a pod: every path ends there,
  and it is where NetworkPolicy is enforced (and a Gateway's upstreams plug in);
* `policing` - NetworkPolicy at that step, at DNS queries and at addresses that are
  no pod: a packet passes or is dropped (`PolicyDrop`), judged by `simulator.netpol`;
  `proxy_drops` - the same on a proxy's two connections (client to proxy pod, proxy pod
  to upstream; waited out, then 504), for ingress-nginx and a Gateway's data plane;
* `exchange` - a request's walk and result, the cached route plans, shared hops;
* `http` - the servers' responses; `curl` (+ `curl_args`, `curl_output`), `ping`, `nslookup` -
  the clients;
* `testing` - a small ClusterState stand-in for tests and benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.hints import Hint, hint
from simulator.result import CommandResult
from simulator.trace import TIMEOUT, UNREACHABLE, Hop, Trace

from .cluster_view import ClusterView
from .curl import run_curl
from .dns import resolv_conf
from .nslookup import run_nslookup
from .ping import run_ping
from .request import DEFAULT_OPTIONS, Client, options
from .router import Router

__all__ = ["Network"]

_TOOLS = ("curl", "ping", "nslookup")


class Network:
    """Requests and network commands over a cluster: what it reads is `ClusterView`."""

    def __init__(
        self,
        state: ClusterView,
        *,
        caching: bool = True,
        wait: Callable[[float], None] | None = None,
    ) -> None:
        """Attach to `state`; every cache is built lazily and follows the store.

        `caching=False` routes every request the slow way (no route plans): the
        results are the same, which tests check. `wait` lets simulated time pass
        while a command waits for packets nobody answers (the cluster's `advance`);
        without it the network never changes the cluster, time included.
        """
        self.state = state
        self.router = Router(state, caching=caching)
        self._wait = wait
        #: Whether a command's wait for a dropped packet moves the simulated clock (an
        #: observation, which must leave the cluster as it was, turns it off).
        self.waits = True

    def request(
        self,
        url: str,
        source: str = "host",
        *,
        headers: dict[str, str] | None = None,
        resolve: list[str] | None = None,
        insecure: bool = False,
        method: str = "GET",
        timeout: float | None = None,
    ) -> Trace:
        """Send one HTTP(S) request and return its Trace (no redirect is followed).

        Args:
            url: the URL, as curl takes it (no scheme means http).
            source: `"host"`, `"pod/NAME"` or `"pod/NAMESPACE/NAME"`.
            headers: extra request headers; `Host` routes Ingress requests.
            resolve: curl `--resolve` entries, `HOST:PORT:ADDRESS`.
            insecure: skip certificate verification (curl `-k`).
            method: the HTTP method.
            timeout: give up after this many seconds (curl `-m`); a dropped packet
                otherwise waits for the kernel's ~130 s of SYN retries.

        Returns:
            The Trace; an unknown source pod gives outcome `unreachable`.
        """
        client = self.router.client(source)
        if isinstance(client, str):
            return _no_client(source, url, client)
        settings = DEFAULT_OPTIONS
        if insecure or resolve or timeout:
            settings = options(insecure, tuple(resolve) if resolve else (), None, timeout)
        pairs = tuple(headers.items()) if headers else ()
        router = self.router
        return router.exchange(router.requests[client, url, method, pairs, settings]).trace

    def run(
        self, argv: list[str], source: str = "host", *, tty: bool | None = None
    ) -> CommandResult:
        """Run `curl`, `ping` or `nslookup` and return what the terminal shows.

        A command that waited for packets nobody answered (a dropped connection, a lost
        ping, a DNS query a NetworkPolicy dropped) moves the simulated clock by that wait,
        unless `waits` is off (an observation, which must leave the cluster as it was).

        Args:
            argv: the command and its arguments, e.g. `["curl", "-s", "http://kubia"]`.
            source: where it runs (see `request`).
            tty: whether stdout is a terminal. Default: True on the host, False in a
                pod (`kubectl exec` without `-t`), which makes curl show its progress
                meter as it really does there.
        """
        if not argv or argv[0] not in _TOOLS:
            name = argv[0] if argv else ""
            return CommandResult.error(f"{name}: command not found", 127)
        client = self.router.client(source)
        if isinstance(client, str):
            return CommandResult.error(client)
        tool, args = argv[0], list(argv[1:])
        if tool == "curl":
            result = run_curl(self.router, client, args, client.pod is None if tty is None else tty)
        elif tool == "ping":
            result = run_ping(self.router, client, args)
        else:
            result = run_nslookup(self.router, client, args)
        # Waiting for an answer that never comes takes simulated time, as `sleep` does.
        waited = sum(t.elapsed for t in result.traces if t.outcome == TIMEOUT or t.blocked)
        if waited and self.waits and self._wait is not None:
            self._wait(waited)
        return result

    def resolv_conf(self, namespace: str) -> str:
        """A pod's /etc/resolv.conf in `namespace` (k8s-semantics.md section 2.2)."""
        return resolv_conf(namespace)

    def client(self, source: str) -> Client | str:
        """The client behind a source string, or the error text (for callers that check first)."""
        return self.router.client(source)

    def balancer_tables(self) -> tuple[dict, ...]:
        """What balancing remembers between requests, beside the random generator: kube-proxy's
        session affinity and ingress-nginx's round-robin positions. Each value is a list
        edited in place, so a read that must leave no trace can put every entry back
        (simulator.observation)."""
        return (self.router.proxy._affinity, self.router.ingress._round_robin)


def _no_client(source: str, url: str, error: str) -> Trace:
    """The Trace of a request from a source that cannot send one (`error`: `Router.client`'s)."""
    name = source.rsplit("/", 1)[-1]
    reason: Hint
    if "NotFound" in error:
        namespace = source[4:].split("/")[0] if source.count("/") == 2 else "default"
        reason = hint("pod-cannot-send", pod=name, namespace=namespace)
    elif error.startswith("error: source must be"):
        reason = hint("bad-source", source=source)
    else:  # the pod has no IP yet
        reason = hint("pod-without-ip-cannot-send", pod=name)
    assert reason == error.removeprefix("error: ") or "NotFound" in error, (reason, error)
    return Trace(source, url, UNREACHABLE, None, None, reason, (Hop("client", name),))
