"""What a container prints: its start line and one line per request it served.

The kubelet keeps each container's stdout in a file it rotates; here each
running pod's record (`PodRuntime.logs`) keeps, per container, a ring of the
last `MAX_LINES` requests served, so a long stream of requests never grows
memory without bound. A replaced pod has a new record, so its logs start
fresh, as a new container's do; a deleted pod's logs go with it.

A line is kept as the network's references to one request, read into its
facts (`Served`) and printed the way the container's image prints it only
when `kubectl logs` asks:

* the kubia images (`luksa/kubia`, the book's app.js): `Kubia server
  starting...` when the container starts, then `Received request from
  ::ffff:CLIENT` per request (Node.js shows IPv4 clients as IPv4-mapped
  IPv6 addresses);
* nginx images (`nginx`, `nginx:alpine`...): one access-log line per request
  in the image's `main` format; the entrypoint's start-up lines are left out
  (they differ from one nginx release to the next);
* any other image: nothing, rather than invented text.

Kubelet probes are not logged: they never come through the network's
delivery step (a probe's line would cost the prober's hot path at 10,000 pods).
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from .clock import EPOCH

#: Requests kept per container (the kubelet rotates a container's log file likewise).
MAX_LINES = 1000
KUBIA_START = "Kubia server starting..."


class Served(NamedTuple):
    """One request a container answered, as its access log would see it."""

    at: float  # simulated seconds
    client: str  # the source address the container saw
    method: str
    target: str  # the path with its query string
    status: int
    size: int  # body bytes sent
    agent: str  # the User-Agent header
    forwarded: str  # X-Forwarded-For (set by a proxy), or "-"


def container_for_port(containers: list[dict] | None, port: int | None) -> str:
    """The container that declares `port` (the first one when none does)."""
    first = ""
    for container in containers or ():
        name = container.get("name") or ""
        first = first or name
        for declared in container.get("ports") or ():
            if declared.get("containerPort") == port:
                return name
    return first


def image_kind(image: str) -> str:
    """`kubia`, `nginx`, or "" for an image whose output is not known here."""
    repository = image.split("@", 1)[0]
    last = repository.rsplit("/", 1)[-1]
    name = last.split(":", 1)[0]
    if name.startswith("kubia"):
        return "kubia"
    if name == "nginx" or name.startswith("nginx-unprivileged"):
        return "nginx"
    return ""


def lines(image: str, started_at: float, served: list[Served]) -> list[tuple[float, str]]:
    """What a container of `image` printed: `(simulated time, text)` in order."""
    kind = image_kind(image)
    if kind == "kubia":
        printed = [(started_at, KUBIA_START)]
        printed.extend((s.at, f"Received request from {_node_address(s.client)}") for s in served)
        return printed
    if kind == "nginx":
        return [(s.at, _nginx_line(s)) for s in served]
    return []


def _node_address(ip: str) -> str:
    """How Node.js shows a client address on a dual-stack socket."""
    return ip if ":" in ip else f"::ffff:{ip}"


def _nginx_line(s: Served) -> str:
    """nginx's `main` log format (the official image's nginx.conf)."""
    when = (EPOCH + timedelta(seconds=int(s.at))).strftime("%d/%b/%Y:%H:%M:%S +0000")
    return (
        f'{s.client} - - [{when}] "{s.method} {s.target} HTTP/1.1" {s.status} {s.size} '
        f'"-" "{s.agent}" "{s.forwarded}"'
    )


def timestamp(at: float) -> str:
    """`--timestamps`' RFC 3339 time with nanoseconds, as the kubelet writes it."""
    moment = EPOCH + timedelta(seconds=at)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond * 1000:09d}Z"
