"""HTTP responses as the simulated servers send them, byte for byte where it shows.

Servers: the kubia app in every pod (Node.js: `Date`, `Connection:
keep-alive`, chunked body `You've hit POD\\n`), ingress-nginx (proxied
responses and nginx's own error pages with CRLF line ends, no `Server`
header because `server-tokens` is false), a Gateway's nginx (NGINX Gateway
Fabric: the same pages, but `server_tokens off` still sends `Server: nginx`,
and a route's ResponseHeaderModifier applied), kube-apiserver (403 JSON for
an anonymous client) and "external" sites (200 with a short text body).
Responses are built only when a client prints them, never on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime

from simulator.clock import EPOCH
from simulator.gatewayapi.filters import modify_headers

PHRASES = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",  # nginx's own wording
}
#: nginx's status lines where they differ from its pages' titles (ngx_http_status_lines:
#: "302 Moved Temporarily"; ngx_http_error_302_page: "302 Found").
_STATUS_LINES = {**PHRASES, 302: "Moved Temporarily"}
HSTS = "max-age=31536000; includeSubDomains"
_PLAIN_HTTP_TO_HTTPS = "The plain HTTP request was sent to HTTPS port"
_HOP_BY_HOP = frozenset({"connection", "transfer-encoding", "keep-alive"})


@dataclass(slots=True)
class Response:
    """One HTTP response.

    Attributes:
        status: the status code.
        phrase: the reason phrase (HTTP/1.1 only; HTTP/2 has none).
        headers: `(name, value)` pairs in the order the server sends them.
        body: the body (empty for HEAD).
        http2: whether it came over HTTP/2 (lower-case headers, no phrase).
    """

    status: int
    phrase: str
    headers: list[tuple[str, str]]
    body: str
    http2: bool = False

    def status_line(self) -> str:
        """`HTTP/1.1 200 OK`, or curl's `HTTP/2 200 ` (with its trailing space)."""
        if self.http2:
            return f"HTTP/2 {self.status} "
        return f"HTTP/1.1 {self.status} {self.phrase}"

    def header(self, name: str) -> str | None:
        """A header's value (case-insensitive), or None."""
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None


def http_date(now: float) -> str:
    """The `Date` header value at simulated time `now`."""
    return format_datetime(EPOCH + timedelta(seconds=int(now)), usegmt=True)


def nginx_page(status: int) -> str:
    """nginx's built-in error or redirect page (CRLF line ends)."""
    phrase = PHRASES[status]
    if status == 400:
        return (
            f"<html>\r\n<head><title>400 {_PLAIN_HTTP_TO_HTTPS}</title></head>\r\n<body>\r\n"
            f"<center><h1>400 Bad Request</h1></center>\r\n"
            f"<center>{_PLAIN_HTTP_TO_HTTPS}</center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        )
    return (
        f"<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {phrase}</h1></center>\r\n"
        "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )


def pod_body(pod: str) -> str:
    """What the kubia app answers (CONTRACT section 4)."""
    return f"You've hit {pod}\n"


def pod_response(pod: str, now: float, head: bool) -> Response:
    """The kubia app's answer, straight from the pod."""
    headers = [
        ("Date", http_date(now)),
        ("Connection", "keep-alive"),
        ("Transfer-Encoding", "chunked"),
    ]
    return Response(200, "OK", headers, "" if head else pod_body(pod))


def nginx_proxied(body: str, now: float, head: bool, https: bool, http2: bool) -> Response:
    """A 200 from an upstream pod, as ingress-nginx relays it."""
    headers = [
        ("Date", http_date(now)),
        ("Transfer-Encoding", "chunked"),
        ("Connection", "keep-alive"),
    ]
    if https:
        headers.append(("Strict-Transport-Security", HSTS))
    return _maybe_h2(Response(200, "OK", headers, "" if head else body), http2)


def nginx_error(
    status: int, now: float, head: bool, *, location: str | None = None, http2: bool = False
) -> Response:
    """An nginx-generated page: 404 default backend, 503, 502, 308 redirect, 400."""
    body = nginx_page(status)
    headers = [
        ("Date", http_date(now)),
        ("Content-Type", "text/html"),
        ("Content-Length", str(len(body))),
        ("Connection", "keep-alive" if status != 400 else "close"),
    ]
    if location is not None:
        headers.append(("Location", location))
    return _maybe_h2(Response(status, _STATUS_LINES[status], headers, "" if head else body), http2)


def gateway_proxied(
    body: str, now: float, head: bool, http2: bool, modifier: dict | None = None
) -> Response:
    """A 200 from an upstream pod, as a Gateway's nginx relays it (NGINX Gateway Fabric)."""
    headers = [
        ("Server", "nginx"),
        ("Date", http_date(now)),
        ("Transfer-Encoding", "chunked"),
        ("Connection", "keep-alive"),
    ]
    response = Response(200, "OK", modify_headers(headers, modifier), "" if head else body)
    return _maybe_h2(response, http2)


def gateway_error(
    status: int,
    now: float,
    head: bool,
    *,
    location: str | None = None,
    http2: bool = False,
    modifier: dict | None = None,
) -> Response:
    """A page a Gateway's nginx answers itself: 404, 500, 502, 503, a redirect, 400."""
    response = nginx_error(status, now, head, location=location)
    response.headers = modify_headers([("Server", "nginx"), *response.headers], modifier)
    return _maybe_h2(response, http2)


def external_response(host: str, now: float, head: bool) -> Response:
    """A site outside the cluster (see dns.external_address)."""
    body = f"Hello from {host} (outside the cluster)\n"
    headers = [
        ("Date", http_date(now)),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
    ]
    return Response(200, "OK", headers, "" if head else body)


def health_check_response(target: str, now: float, head: bool) -> Response:
    """kube-proxy's health-check server (pkg/proxy/healthcheck/service_health.go).

    `target` is `namespace/name/local-endpoint-count`.
    """
    namespace, name, count = target.rsplit("/", 2)
    local = int(count)
    body = (
        "{\n"
        '  "service": {\n'
        f'    "namespace": "{namespace}",\n'
        f'    "name": "{name}"\n'
        "  },\n"
        f'  "localEndpoints": {local},\n'
        '  "serviceProxyHealthy": true\n'
        "}\n"
    )
    headers = [
        ("Content-Type", "application/json"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Load-Balancing-Endpoint-Weight", str(local)),
        ("Date", http_date(now)),
        ("Content-Length", str(len(body))),
    ]
    # Go's net/http words 503 "Service Unavailable" (nginx says "Temporarily").
    status, phrase = (200, "OK") if local else (503, "Service Unavailable")
    return Response(status, phrase, headers, "" if head else body)


def apiserver_response(path: str, now: float, head: bool, tls: bool) -> Response:
    """kube-apiserver's answer to an anonymous request (or to plain HTTP on its TLS port)."""
    if not tls:
        body = "Client sent an HTTP request to an HTTPS server.\n"
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close")]
        return Response(400, "Bad Request", headers, "" if head else body)
    path = path.split("?", 1)[0]
    body = (
        "{\n"
        '  "kind": "Status",\n'
        '  "apiVersion": "v1",\n'
        '  "metadata": {},\n'
        '  "status": "Failure",\n'
        f'  "message": "forbidden: User \\"system:anonymous\\" cannot get path \\"{path}\\"",\n'
        '  "reason": "Forbidden",\n'
        '  "details": {},\n'
        '  "code": 403\n'
        "}"
    )
    headers = [
        ("cache-control", "no-cache, private"),
        ("content-type", "application/json"),
        ("x-content-type-options", "nosniff"),
        ("content-length", str(len(body))),
        ("date", http_date(now)),
    ]
    return Response(403, "Forbidden", headers, "" if head else body, http2=True)


def _maybe_h2(response: Response, http2: bool) -> Response:
    """Over HTTP/2 header names are lower case and connection headers do not exist."""
    if not http2:
        return response
    response.headers = [
        (key.lower(), value) for key, value in response.headers if key.lower() not in _HOP_BY_HOP
    ]
    response.http2 = True
    return response
