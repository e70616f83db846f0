"""curl's command line (Debian 12's curl 7.88.1): options, their parameters, usage errors.

`parse_args` reads what curl reads before anything is sent; `request_method` is the
method those options make curl send. The run itself is in curl.py, the printing in
curl_output.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

VERSION = "7.88.1"
USER_AGENT = f"curl/{VERSION}"
_TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n"
_MAX_REDIRECTS = 50

_FLAGS = {
    "-s": "silent",
    "--silent": "silent",
    "-S": "show_error",
    "--show-error": "show_error",
    "-v": "verbose",
    "--verbose": "verbose",
    "-k": "insecure",
    "--insecure": "insecure",
    "-I": "head",
    "--head": "head",
    "-i": "include",
    "--include": "include",
    "-L": "location",
    "--location": "location",
    "-f": "fail",
    "--fail": "fail",
    "--no-progress-meter": "no_progress",
    "--http1.1": "http1_1",
}
_IGNORED_FLAGS = frozenset(
    {
        "-4",
        "-6",
        "--ipv4",
        "--ipv6",
        "--compressed",
        "--http2",
        "-N",
        "--no-buffer",
        "-#",
        "--progress-bar",
        "--no-keepalive",
        "--tcp-nodelay",
    }
)
_WITH_ARG = {
    "-H": "header",
    "--header": "header",
    "-m": "max_time",
    "--max-time": "max_time",
    "--connect-timeout": "connect_timeout",
    "-o": "output",
    "--output": "output",
    "-w": "write_out",
    "--write-out": "write_out",
    "-X": "request",
    "--request": "request",
    "-d": "data",
    "--data": "data",
    "--data-raw": "data",
    "--data-binary": "data",
    "--data-ascii": "data",
    "-A": "user_agent",
    "--user-agent": "user_agent",
    "--resolve": "resolve",
    "--url": "url",
    "--max-redirs": "max_redirs",
    "-e": "referer",
    "--referer": "referer",
}
_SHORT_FLAGS = {k[1] for k in _FLAGS if len(k) == 2} | {"4", "6", "N", "#"}
_SHORT_WITH_ARG = {k[1] for k in _WITH_ARG if len(k) == 2}


class CurlUsageError(ValueError):
    """A command line curl refuses before doing anything (exit 2)."""

    def __init__(self, text: str, exit_code: int = 2) -> None:
        super().__init__(text)
        self.text = text
        self.exit_code = exit_code


@dataclass(slots=True)
class CurlOptions:
    """The options of one curl command line."""

    urls: list[str] = field(default_factory=list)
    silent: bool = False
    show_error: bool = False
    verbose: bool = False
    insecure: bool = False
    head: bool = False
    include: bool = False
    location: bool = False
    fail: bool = False
    no_progress: bool = False
    http1_1: bool = False
    headers: list[tuple[str, str]] = field(default_factory=list)
    resolve: list[str] = field(default_factory=list)
    max_time: float | None = None
    connect_timeout: float | None = None
    output: str | None = None
    write_out: str | None = None
    request: str | None = None
    data: str | None = None
    user_agent: str = USER_AGENT
    max_redirs: int = _MAX_REDIRECTS
    referer: str | None = None


def parse_args(args: list[str]) -> CurlOptions:
    """Read curl's arguments (without the leading `curl`).

    Raises:
        CurlUsageError: an unknown option, a missing or bad parameter, no URL.
    """
    opts = CurlOptions()
    i = 0
    only_urls = False
    while i < len(args):
        arg = args[i]
        i += 1
        if only_urls or not arg.startswith("-") or arg == "-":
            opts.urls.append(arg)
            continue
        if arg == "--":
            only_urls = True
            continue
        if arg.startswith("--"):
            if arg in _FLAGS:
                setattr(opts, _FLAGS[arg], True)
            elif arg in _IGNORED_FLAGS:
                pass
            elif arg in _WITH_ARG:
                if i >= len(args):
                    raise CurlUsageError(f"curl: option {arg}: requires parameter\n{_TRY_HELP}")
                _set(opts, arg, _WITH_ARG[arg], args[i])
                i += 1
            else:
                raise CurlUsageError(f"curl: option {arg}: is unknown\n{_TRY_HELP}")
            continue
        # a cluster of short options, e.g. -sSk, -svH 'Host: x', -m5
        j = 1
        while j < len(arg):
            letter = arg[j]
            if letter in _SHORT_WITH_ARG:
                value = arg[j + 1 :]
                if not value:
                    if i >= len(args):
                        raise CurlUsageError(
                            f"curl: option -{letter}: requires parameter\n{_TRY_HELP}"
                        )
                    value = args[i]
                    i += 1
                _set(opts, f"-{letter}", _WITH_ARG[f"-{letter}"], value)
                break
            if letter in _SHORT_FLAGS:
                name = _FLAGS.get(f"-{letter}")
                if name:
                    setattr(opts, name, True)
                j += 1
                continue
            raise CurlUsageError(f"curl: option {arg}: is unknown\n{_TRY_HELP}")
    if not opts.urls:
        raise CurlUsageError(f"curl: no URL specified!\n{_TRY_HELP}")
    return opts


def _set(opts: CurlOptions, flag: str, name: str, value: str) -> None:
    if name == "header":
        key, sep, rest = value.partition(":")
        if sep:
            opts.headers.append((key.strip(), rest.strip()))
    elif name == "resolve":
        opts.resolve.append(value)
    elif name == "url":
        opts.urls.append(value)
    elif name in ("max_time", "connect_timeout"):
        try:
            number = float(value)
        except ValueError:
            raise CurlUsageError(
                f"curl: option {flag}: expected a proper numerical parameter\n{_TRY_HELP}"
            ) from None
        if number < 0:
            raise CurlUsageError(
                f"curl: option {flag}: expected a positive numerical parameter\n{_TRY_HELP}"
            )
        setattr(opts, name, number or None)
    elif name == "max_redirs":
        if not value.lstrip("-").isdigit():
            raise CurlUsageError(
                f"curl: option {flag}: expected a proper numerical parameter\n{_TRY_HELP}"
            )
        opts.max_redirs = int(value)
    elif name == "data":
        opts.data = value if opts.data is None else f"{opts.data}&{value}"
    else:
        setattr(opts, name, value)


def request_method(opts: CurlOptions) -> str:
    """The HTTP method curl sends: -X, else HEAD for -I, POST with -d, GET."""
    if opts.request:
        return opts.request
    if opts.head:
        return "HEAD"
    return "POST" if opts.data is not None else "GET"
