"""What curl prints for one run: body, response head, -v lines, progress meter, errors.

`CurlOutput` renders `Exchange`s the way curl 7.88.1 does (see curl.py for the rules and
sources); it never decides anything about the network.
"""

from __future__ import annotations

from . import http
from .curl_args import CurlOptions, request_method
from .exchange import Exchange, Refusal

OPENSSL = "OpenSSL/3.0.15"
CA_HELP = (
    "More details here: https://curl.se/docs/sslcerts.html\n\n"
    "curl failed to verify the legitimacy of the server and therefore could not\n"
    "establish a secure connection to it. To learn more about this situation and\n"
    "how to fix it, please visit the web page mentioned above.\n"
)
WRONG_VERSION = f"{OPENSSL}: error:0A00010B:SSL routines::wrong version number"
UNRECOGNIZED_NAME = f"{OPENSSL}: error:0A000458:SSL routines::tlsv1 unrecognized name"


class CurlOutput:
    """Accumulates one curl run's stdout and stderr."""

    def __init__(self, opts: CurlOptions, tty: bool) -> None:
        self.opts = opts
        self.tty = tty
        self.meter = not tty and not opts.silent and not opts.no_progress
        # One list of (stream, text) in the order curl writes them: `-v` lines come
        # before the body on a terminal, as they do with the real curl.
        self._chunks: list[tuple[str, str]] = []
        self._out = _Stream(self._chunks, "out")
        self._err = _Stream(self._chunks, "err")
        self.traces: list = []
        if self.meter:
            self._err.append(
                "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
                "                                 Dload  Upload   Total   Spent    Left  Speed\n"
            )

    def stdout(self) -> str:
        """Everything written to stdout so far."""
        return "".join(text for stream, text in self._chunks if stream == "out")

    def stderr(self) -> str:
        """Everything written to stderr so far."""
        return "".join(text for stream, text in self._chunks if stream == "err")

    def chunks(self) -> list[tuple[str, str]]:
        """`("out"|"err", text)` in the order written (`CommandResult.chunks`)."""
        return list(self._chunks)

    def verbose(self, line: str) -> None:
        """A `-v` line (shown only with -v)."""
        if self.opts.verbose:
            self._err.append(line + "\n")

    def data_note(self, direction: str, size: int) -> None:
        """curl's `{ [N bytes data]` note, shown with -v when stdout is not a terminal."""
        if self.opts.verbose and not self.tty and size:
            self._err.append(f"{direction} [{size} bytes data]\n")

    def error(self, code: int, message: str, extra: str = "") -> int:
        """`curl: (N) message` unless -s without -S; returns the exit code N."""
        if not self.opts.silent or self.opts.show_error:
            self._err.append(f"curl: ({code}) {message}\n{extra}")
        return code

    def progress(self, size: int, known: bool, elapsed_ms: int) -> None:
        """The progress meter's final line, when the meter is on."""
        if self.meter:
            self._err.append(_meter_line(size, known, elapsed_ms))

    # -- one request/response -------------------------------------------------------

    def transfer(
        self, ex: Exchange | Refusal, url: str, now: float, connection: int
    ) -> tuple[int, http.Response | None]:
        """Print one exchange; returns curl's result code and the response, if any."""
        opts = self.opts
        if isinstance(ex, Refusal):
            return self._refused(ex, url), None
        host, port, ip = ex.host, ex.port, ex.ip
        if ex.via == "resolve":
            self.verbose(f"* Added {host}:{port}:{ip} to DNS cache")
            self.verbose(f"* Hostname {host} was found in DNS cache")
        if ex.failure in ("resolve", "resolve_timeout"):  # timeout: -m ran out first
            code, message = 6, f"Could not resolve host: {host}"
            if ex.failure == "resolve_timeout":
                code, message = 28, f"Resolving timed out after {ex.elapsed_ms} milliseconds"
            self.verbose(f"* {message}")
            self.verbose(f"* Closing connection {connection}")
            self.progress(0, False, ex.elapsed_ms)
            return self.error(code, message), None
        self.verbose(f"*   Trying {ip}:{port}...")
        if ex.failure in ("refused", "noroute", "timeout"):
            return self._connect_failure(ex, connection), None
        self.verbose(f"* Connected to {host} ({ip}) port {port} (#{connection})")
        if ex.scheme == "https":
            code = self._tls(ex, connection)
            if code:
                return code, None
        if ex.failure == "empty":  # accepted, then closed: a port-forward to a closed port
            self._request_lines(ex)
            self.verbose("* Empty reply from server")
            self.verbose(f"* Closing connection {connection}")
            self.progress(0, False, 0)
            return self.error(52, "Empty reply from server"), None
        response = self._response(ex, now)
        self._request_lines(ex)
        self._response_lines(response)
        if response.status >= 400 and opts.fail:
            self.verbose(f"* The requested URL returned error: {response.status}")
            self.verbose(f"* Closing connection {connection}")
            self.progress(0, False, 3)
            return self.error(22, f"The requested URL returned error: {response.status}"), None
        head_text = _head(response)
        if (opts.head or opts.include) and opts.output is None:
            self._out.append(head_text)
        followed = opts.location and response.header("Location") and 300 <= response.status < 400
        if followed:
            self.verbose("* Ignoring the response-body")
        body = response.body
        if opts.output is None and not followed:
            self._out.append(body)
        self.data_note("{", len(body.encode()))
        self.verbose(f"* Connection #{connection} to host {host} left intact")
        known = response.header("Content-Length") is not None
        self.progress(len(body.encode()), known, 3)
        if opts.write_out is not None:
            self._out.append(_write_out(opts.write_out, ex, response, url))
        return 0, response

    def _refused(self, refusal: Refusal, url: str) -> int:
        """A URL curl refused: its error, nothing sent."""
        if refusal.failure == "protocol":
            self.verbose(
                f'* Protocol "{refusal.trace.url.split(":", 1)[0]}" not supported or disabled'
                " in libcurl"
            )
            self.verbose("* Closing connection -1")
            self.progress(0, False, 0)
            return self.error(
                1, f'Protocol "{url.split("://", 1)[0]}" not supported or disabled in libcurl'
            )
        self.progress(0, False, 0)
        return self.error(3, "URL using bad/illegal format or missing URL")

    def _connect_failure(self, ex: Exchange, connection: int) -> int:
        opts = self.opts
        host, port, ip, ms = ex.host, ex.port, ex.ip, ex.elapsed_ms
        if ex.failure == "refused":
            self.verbose(f"* connect to {ip} port {port} failed: Connection refused")
            message = (
                f"Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"
            )
            code = 7
        elif ex.failure == "noroute":
            self.verbose(f"* connect to {ip} port {port} failed: No route to host")
            message = (
                f"Failed to connect to {host} port {port} after {ms} ms: Couldn't connect to server"
            )
            code = 7
        else:
            code = 28
            ct, mt = opts.connect_timeout, opts.max_time
            if ct and (not mt or ct <= mt) and ms < 130_000:
                message = (
                    f"Failed to connect to {host} port {port} after {ms + 1} ms: "
                    "Timeout was reached"
                )
                ms += 1
            elif mt and ms < 130_000:
                message = f"Connection timed out after {ms} milliseconds"
            else:
                self.verbose(f"* connect to {ip} port {port} failed: Connection timed out")
                message = (
                    f"Failed to connect to {host} port {port} after {ms} ms: "
                    "Couldn't connect to server"
                )
        self.verbose(f"* {message}")
        self.verbose(f"* Closing connection {connection}")
        self.progress(0, False, ms)
        return self.error(code, message)

    def _tls(self, ex: Exchange, connection: int) -> int:
        verbose, note = self.verbose, self.data_note
        verbose(
            "* ALPN: offers h2,http/1.1" if not self.opts.http1_1 else "* ALPN: offers http/1.1"
        )
        verbose("* TLSv1.3 (OUT), TLS handshake, Client hello (1):")
        note("}", 512)
        verbose("*  CAfile: /etc/ssl/certs/ca-certificates.crt")
        verbose("*  CApath: /etc/ssl/certs")
        if ex.failure == "tls_version":
            note("{", 5)
            verbose(f"* {WRONG_VERSION}")
            verbose(f"* Closing connection {connection}")
            self.progress(0, False, 3)
            return self.error(35, WRONG_VERSION)
        if ex.failure == "tls_reject":
            # nginx's ssl_reject_handshake: a fatal unrecognized_name alert (2 << 8 | 112).
            verbose("* TLSv1.3 (IN), TLS alert, unrecognized name (624):")
            note("{", 2)
            verbose(f"* {UNRECOGNIZED_NAME}")
            verbose(f"* Closing connection {connection}")
            self.progress(0, False, 3)
            return self.error(35, UNRECOGNIZED_NAME)
        cert = ex.cert
        # Every path that gets this far met a TLS server, which presented a certificate.
        assert cert is not None, f"no certificate from {ex.host}"
        verbose("* TLSv1.3 (IN), TLS handshake, Server hello (2):")
        note("{", 122)
        verbose("* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):")
        note("{", 15)
        verbose("* TLSv1.3 (IN), TLS handshake, Certificate (11):")
        note("{", 1022)
        problem = cert.verify_error()
        if ex.failure == "tls_verify" and problem:
            alert = "unknown CA (560)" if problem[1] == 20 else "unknown CA (560)"
            verbose(f"* TLSv1.3 (OUT), TLS alert, {alert}:")
            note("}", 2)
            verbose(f"* SSL certificate problem: {problem[0]}")
            verbose(f"* Closing connection {connection}")
            self.progress(0, False, 3)
            return self.error(60, f"SSL certificate problem: {problem[0]}", CA_HELP)
        verbose("* TLSv1.3 (IN), TLS handshake, CERT verify (15):")
        note("{", 264)
        verbose("* TLSv1.3 (IN), TLS handshake, Finished (20):")
        note("{", 52)
        verbose("* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):")
        note("}", 1)
        verbose("* TLSv1.3 (OUT), TLS handshake, Finished (20):")
        note("}", 52)
        verbose("* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384")
        h2 = ex.http2 and not self.opts.http1_1
        verbose(f"* ALPN: server accepted {'h2' if h2 else 'http/1.1'}")
        verbose("* Server certificate:")
        verbose(f"*  subject: {cert.subject}")
        verbose(f"*  start date: {cert.start}")
        verbose(f"*  expire date: {cert.expire}")
        if problem is None:
            match = cert.matches(ex.host)
            if match:
                verbose(f'*  subjectAltName: host "{ex.host}" matched cert\'s "{match}"')
        verbose(f"*  issuer: {cert.issuer}")
        if problem is None:
            verbose("*  SSL certificate verify ok.")
        else:
            verbose(
                f"*  SSL certificate verify result: {problem[0]} ({problem[1]}), continuing anyway."
            )
        if h2:
            verbose("* using HTTP/2")
        return 0

    def _response(self, ex: Exchange, now: float) -> http.Response:
        head = request_method(self.opts) == "HEAD"
        https = ex.scheme == "https"
        h2 = ex.http2 and not self.opts.http1_1
        responder = ex.responder
        status = ex.trace.status or 200
        if responder == "pod":
            return http.pod_response(ex.body_from, now, head)
        if responder == "ingress":
            return http.nginx_proxied(http.pod_body(ex.body_from), now, head, https, h2)
        if responder == "ingress-external":
            body = f"Hello from {ex.body_from} (outside the cluster)\n"
            return http.nginx_proxied(body, now, head, https, h2)
        if responder == "gateway":
            return http.gateway_proxied(http.pod_body(ex.body_from), now, head, h2, ex.headers)
        if responder == "gateway-external":
            body = f"Hello from {ex.body_from} (outside the cluster)\n"
            return http.gateway_proxied(body, now, head, h2, ex.headers)
        if responder == "gateway-nginx":
            return http.gateway_error(status, now, head, location=ex.location, http2=h2,
                                      modifier=ex.headers)  # fmt: skip
        if responder == "nginx":
            return http.nginx_error(status, now, head, location=ex.location, http2=h2)
        if responder == "healthcheck":
            return http.health_check_response(ex.body_from, now, head)
        if responder == "apiserver":
            response = http.apiserver_response(ex.path, now, head, https)
            if not h2:
                response.http2 = False
            return response
        return http.external_response(ex.body_from or ex.host, now, head)

    def _request_lines(self, ex: Exchange) -> None:
        if not self.opts.verbose:
            return
        opts = self.opts
        h2 = ex.http2 and not opts.http1_1 and ex.scheme == "https"
        default_port = 443 if ex.scheme == "https" else 80
        host = ex.host if ex.port == default_port else f"{ex.host}:{ex.port}"
        custom = {k.lower(): (k, v) for k, v in opts.headers}
        method = request_method(opts)
        if h2:
            authority = custom.get("host", ("", host))[1]
            for name, value in (
                (":method", method),
                (":path", ex.path),
                (":scheme", "https"),
                (":authority", authority),
                ("user-agent", opts.user_agent),
                ("accept", "*/*"),
            ):
                self.verbose(f"* h2h3 [{name}: {value}]")
            self.verbose("* Using Stream ID: 1 (easy handle 0x55d4c3a1e2a0)")
        lines = [f"> {method} {ex.path} HTTP/{'2' if h2 else '1.1'}"]
        if "host" not in custom:
            lines.append(f"> Host: {host}")
        if "user-agent" not in custom:
            lines.append(f"> {'user-agent' if h2 else 'User-Agent'}: {opts.user_agent}")
        if "accept" not in custom:
            lines.append(f"> {'accept' if h2 else 'Accept'}: */*")
        if opts.referer:
            lines.append(f"> Referer: {opts.referer}")
        for name, value in opts.headers:
            lines.append(f"> {name}: {value}")
        if opts.data is not None:
            lines.append(f"> Content-Length: {len(opts.data)}")
            lines.append("> Content-Type: application/x-www-form-urlencoded")
        lines.append("> ")
        for line in lines:
            self.verbose(line)
        if opts.data:
            self.data_note("}", len(opts.data))
        if ex.scheme == "https":
            for _ in range(2):  # TLS 1.3 servers send session tickets after the handshake
                self.verbose("* TLSv1.3 (IN), TLS handshake, Newsession Ticket (4):")
                self.data_note("{", 57)

    def _response_lines(self, response: http.Response) -> None:
        if not self.opts.verbose:
            return
        self.verbose(f"< {response.status_line()}")
        for name, value in response.headers:
            self.verbose(f"< {name}: {value}")
        self.verbose("< ")


class _Stream:
    """stdout or stderr: appending writes into the run's ordered list of pieces."""

    __slots__ = ("_chunks", "_name")

    def __init__(self, chunks: list[tuple[str, str]], name: str) -> None:
        self._chunks, self._name = chunks, name

    def append(self, text: str) -> None:
        self._chunks.append((self._name, text))


def _head(response: http.Response) -> str:
    lines = [response.status_line(), *(f"{k}: {v}" for k, v in response.headers), ""]
    return "\r\n".join(lines) + "\r\n"


def _max5(n: int) -> str:
    """curl's 5-character size/speed cell (`max5data`)."""
    if n < 100000:
        return f"{n:5d}"
    if n < 10000 * 1024:
        return f"{n // 1024:4d}k"
    if n < 100 * 1024 * 1024:
        return f"{n // (1024 * 1024):2d}.{(n % (1024 * 1024)) // (1024 * 1024 // 10)}M"
    return f"{n // (1024 * 1024):4d}M"


def _time2str(seconds: int) -> str:
    if seconds <= 0:
        return "--:--:--"
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:2d}:{m:02d}:{s:02d}"


def _meter_line(size: int, known: bool, elapsed_ms: int) -> str:
    """The progress meter's final line (`progress_meter` in lib/progress.c)."""
    speed = size * 1000 // max(elapsed_ms, 1) if size else 0
    total_pct = 100 if size else 0
    dl_pct = 100 if known and size else 0
    spent = _time2str(elapsed_ms // 1000)
    return (
        f"{total_pct:3d} {_max5(size)}  {dl_pct:3d} {_max5(size)}  {0:3d} {_max5(0)}  "
        f"{_max5(speed)}  {_max5(0)} --:--:-- {spent} --:--:-- {_max5(speed)}\n"
    )


def _write_out(template: str, ex: Exchange, response: http.Response, url: str) -> str:
    """Expand `-w` variables (a common subset) and backslash escapes."""
    values = {
        "http_code": f"{response.status:03d}",
        "response_code": f"{response.status:03d}",
        "remote_ip": ex.ip or "",
        "remote_port": str(ex.port),
        "url_effective": url,
        "size_download": str(len(response.body.encode())),
        "content_type": response.header("Content-Type") or "",
        "redirect_url": response.header("Location") or "",
        "scheme": ex.scheme.upper(),
        "exitcode": "0",
        "http_version": "2" if response.http2 else "1.1",
        "num_redirects": "0",
        "time_total": "0.003000",
    }
    out: list[str] = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch == "%" and template.startswith("%{", i):
            end = template.find("}", i)
            if end > 0:
                name = template[i + 2 : end]
                out.append(values.get(name, ""))
                i = end + 1
                continue
        if ch == "\\" and i + 1 < len(template):
            nxt = template[i + 1]
            mapped = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(nxt)
            if mapped is not None:
                out.append(mapped)
                i += 2
                continue
        out.append(ch)
        i += 1
    return "".join(out)
