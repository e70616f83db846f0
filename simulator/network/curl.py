"""`curl` as Debian 12's curl 7.88.1 (OpenSSL 3, nghttp2) prints it, over the Router.

Output rules taken from curl's sources (tag curl-7_88_1):

* the body goes to stdout; `-i` adds the response head, `-I` sends HEAD and
  prints only the head (CRLF line ends, as on the wire);
* the progress meter (`lib/progress.c`) is written to stderr when stdout is
  NOT a terminal (`kubectl exec` without `-t`), and never with `-s` or when
  stdout is a terminal; only its final state is shown here;
* errors are `curl: (N) message` on stderr (muted by `-s` unless `-S`), with
  the exit code N; `-v` adds `*`, `>` and `<` lines, and, when stdout is not
  a terminal, curl's `{ [N bytes data]` notes;
* HTTPS to ingress-nginx negotiates HTTP/2 (`HTTP/2 200 ` status line with
  its trailing space, lower-case headers); everything else is HTTP/1.1.

Simplifications: each URL opens a new connection (real curl would reuse a
keep-alive connection, and so the same pod, for a second URL to the same
host); only the first resolved address is tried; `-o FILE` discards the body.
"""

from __future__ import annotations

from simulator.result import CommandResult

from .curl_args import CurlUsageError, parse_args, request_method
from .curl_output import CurlOutput
from .request import Client, options
from .router import Router

#: The statuses whose Location curl -L follows.
REDIRECTS = (301, 302, 303, 307, 308)

# -- running ---------------------------------------------------------------------------


def run_curl(router: Router, client: Client, args: list[str], tty: bool) -> CommandResult:
    """Run `curl ARGS` from `client` and return what the terminal shows.

    Args:
        router: the network.
        client: where curl runs.
        args: the arguments after `curl`.
        tty: whether stdout is a terminal (it decides the progress meter).
    """
    try:
        opts = parse_args(args)
    except CurlUsageError as error:
        return CommandResult(stderr=error.text, exit_code=error.exit_code)
    out = CurlOutput(opts, tty)
    now = router.state.clock.now
    exit_code = 0
    connection = 0
    method = request_method(opts)
    headers = tuple(dict(opts.headers).items())  # a repeated header: the last one counts
    settings = options(opts.insecure, tuple(opts.resolve), opts.connect_timeout, opts.max_time)
    for url in opts.urls:
        redirects = 0
        while True:
            ex = router.exchange(router.requests[client, url, method, headers, settings])
            out.traces.append(ex.trace)
            code, response = out.transfer(ex, url, now, connection)
            connection += 1
            if code:
                exit_code = code
                break
            exit_code = 0
            location = response.header("Location") if response else None
            if not (opts.location and response and location and response.status in REDIRECTS):
                break
            if redirects >= opts.max_redirs:
                exit_code = out.error(47, f"Maximum ({opts.max_redirs}) redirects followed")
                break
            redirects += 1
            url = location if "/" in location.split("://", 1)[-1] else location + "/"
            out.verbose(f"* Issue another request to this URL: '{url}'")
    return CommandResult(out.stdout(), out.stderr(), exit_code, out.traces, chunks=out.chunks())
