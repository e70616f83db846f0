"""The request: who asks, for what, with which options, as one immutable value.

Every client of the network (`Network.request`, curl, the playground's streams)
describes what it sends as a `Request` and hands it to `Router.exchange`; the
router never takes the pieces one by one. Requests are immutable, and the
router's `RequestCache` gives equal calls the same object, so a request is
compared by identity and keys its own cached route plan.

Also here: curl's URL reading (`parse_url`) and `--resolve` entries, which
decide what a request is before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from simulator.hints import Hint, hint
from simulator.trace import Hop

from .dns import is_ip


@dataclass(frozen=True, slots=True, eq=False)
class Client:
    """Where a request starts (compared by identity: the router makes one per source
    and version of its pod).

    Attributes:
        source: the source string as given.
        name: `host` or the pod's name.
        namespace: the pod's namespace (None for the host).
        ip: the client's address.
        node: the pod's node (None for the host).
        pod: the pod object (None for the host).
        hop: the trace's first hop.
    """

    source: str
    name: str
    namespace: str | None
    ip: str
    node: str | None
    pod: dict | None
    hop: Hop


@dataclass(frozen=True, slots=True, eq=False)
class Options:
    """How the client behaves, as curl's options set it.

    Compared by identity, which keeps request lookups cheap: `options()` gives
    equal settings one shared value.

    Attributes:
        insecure: skip certificate verification (`-k`).
        resolve: `--resolve HOST:PORT:ADDRESS` entries.
        connect_timeout: `--connect-timeout` seconds, None for none.
        max_time: `-m` seconds, None for none.
    """

    insecure: bool = False
    resolve: tuple[str, ...] = ()
    connect_timeout: float | None = None
    max_time: float | None = None


DEFAULT_OPTIONS = Options()


@lru_cache(maxsize=256)
def options(
    insecure: bool = False,
    resolve: tuple[str, ...] = (),
    connect_timeout: float | None = None,
    max_time: float | None = None,
) -> Options:
    """The shared `Options` value with these settings (clients repeat the same few)."""
    return Options(insecure, resolve, connect_timeout, max_time)


@dataclass(frozen=True, slots=True, eq=False)
class Request:
    """One HTTP(S) request as its client sends it (compared by identity, see the module).

    Attributes:
        client: who sends it.
        url: the URL as given (the Trace's `url`).
        scheme: `http` or `https`.
        host: the URL's host as typed (a name or an address).
        port: the URL's port (80 or 443 when it names none).
        path: path and query.
        method: the HTTP method.
        headers: extra request headers, `(name, value)` in order.
        options: the client's options.
        host_header: the `Host` header's value when one is given, else None.
        plannable: whether a route plan may be kept for it (not when a `--resolve`
            entry decides its address).
    """

    client: Client
    url: str
    scheme: str
    host: str
    port: int
    path: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    options: Options = DEFAULT_OPTIONS
    host_header: str | None = field(init=False, default=None)
    plannable: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        host_header = None
        for key, value in self.headers:
            if key.lower() == "host":
                host_header = value
        object.__setattr__(self, "host_header", host_header)
        object.__setattr__(self, "plannable", not self.options.resolve)

    @property
    def name(self) -> str:
        """The host in lower case, as resolvers compare it."""
        return self.host.lower()

    @property
    def literal(self) -> bool:
        """Whether the URL names an address rather than a host name."""
        return is_ip(self.host)


@dataclass(frozen=True, slots=True, eq=False)
class BadUrl:
    """A URL curl refuses before sending anything.

    Attributes:
        client: who tried.
        url: the URL as given.
        error: `protocol` (an unsupported scheme) or `url` (malformed).
        scheme: the unsupported scheme, for `protocol`.
    """

    client: Client
    url: str
    error: str
    scheme: str = ""

    def reason(self) -> Hint:
        """The Trace's reason."""
        if self.error == "protocol":
            return hint("unsupported-scheme", scheme=self.scheme)
        return hint("invalid-url", url=self.url)


class RequestCache(dict):
    """Each distinct request, built once: `cache[client, url, method, headers, options]`.

    The key is what a request is made of: the client object (a new one when its
    pod changed), the URL, the method, the headers as `(name, value)` pairs and
    the `Options` value. Equal calls get the same `Request` (or `BadUrl`). Bounded:
    cleared when full.
    """

    LIMIT = 4096

    def __init__(self) -> None:
        super().__init__()
        self._urls: dict[str, tuple[str, str, int, str] | tuple[str, str]] = {}

    def __missing__(self, key: tuple) -> Request | BadUrl:
        client, url, method, headers, settings = key
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) > self.LIMIT:
                self._urls.clear()
            parsed = self._urls[url] = parse_url(url)
        request: Request | BadUrl
        if len(parsed) == 2:
            request = BadUrl(client, url, *parsed)
        else:
            request = Request(client, url, *parsed, method, headers, settings)
        if len(self) > self.LIMIT:
            self.clear()
        self[key] = request
        return request


def parse_url(url: str) -> tuple[str, str, int, str] | tuple[str, str]:
    """`(scheme, host, port, path)` as curl reads a URL, or `(error, detail)`.

    Errors: `("protocol", scheme)` for an unsupported scheme, `("url", "")` for
    a malformed URL. A URL without a scheme is http, as curl guesses.
    """
    sep = url.find("://")
    if sep >= 0:
        scheme = url[:sep].lower()
        rest = url[sep + 3 :]
    else:
        scheme, rest = "http", url
    if scheme not in ("http", "https"):
        return ("protocol", scheme)
    end = len(rest)
    for ch in "/?#":
        pos = rest.find(ch)
        if 0 <= pos < end:
            end = pos
    authority, path = rest[:end], rest[end:]
    hash_at = path.find("#")
    if hash_at >= 0:
        path = path[:hash_at]
    if not path.startswith("/"):
        path = "/" + path
    if "@" in authority:
        authority = authority.rsplit("@", 1)[1]
    host, _, port_text = authority.partition(":")
    if not host or any(c in host for c in " []\\"):
        return ("url", "")
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            return ("url", "")
        port = int(port_text)
    else:
        port = 443 if scheme == "https" else 80
    return scheme, host, port, path


def resolve_entry(entries: tuple[str, ...], host: str, port: int) -> str | None:
    """The address a `--resolve host:port:addr` entry gives `host:port`, or None."""
    for entry in entries:
        parts = entry.split(":")
        if (
            len(parts) >= 3
            and parts[1].isdigit()
            and int(parts[1]) == port
            and (parts[0] == "*" or parts[0].lower() == host.lower())
        ):
            return parts[2].strip("[]").split(",")[0]
    return None
