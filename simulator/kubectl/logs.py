"""`kubectl logs`: what a container printed (simulator.container_logs).

`POD [CONTAINER]`, `TYPE/NAME` (one pod of a workload or Service, as kubectl
picks it, with its `Found N pods, using pod/...` notice) or `-l SELECTOR`
(every pod it selects, the last 10 lines of each unless `--tail` says
otherwise), with `-c`, `--all-containers`, `--tail`, `--since` and
`--since-time` (on the simulated clock), `--timestamps`, `--prefix` and
`--limit-bytes`. Containers never restart here, so `-p` gets the API
server's answer that no previous container exists. `-f` prints the log so
far and stops, with a note: the browser terminal shows one answer per
command and cannot follow a stream for ever.
"""

from __future__ import annotations

from datetime import datetime

from simulator.clock import EPOCH
from simulator.container_logs import lines, timestamp
from simulator.labels import SelectorError, parse_selector
from simulator.network.access_log import describe

from .args import BOOL, INT, SELECTOR, Flag
from .context import Context
from .errors import KubectlError, error, usage_error
from .pod_targets import pick_pod
from .rollout_status import parse_duration

FLAGS = (
    SELECTOR,
    Flag("container", "c"),
    Flag("follow", "f", BOOL),
    Flag("previous", "p", BOOL),
    Flag("tail", type=INT),
    Flag("since"),
    Flag("since-time"),
    Flag("timestamps", type=BOOL),
    Flag("prefix", type=BOOL),
    Flag("all-containers", type=BOOL),
    Flag("all-pods", type=BOOL),
    Flag("max-log-requests", type=INT),
    Flag("limit-bytes", type=INT),
    Flag("ignore-errors", type=BOOL),
    Flag("pod-running-timeout"),
    Flag("insecure-skip-tls-verify-backend", type=BOOL),
)
#: Lines a selector's logs show per container unless `--tail` says otherwise (kubectl's).
SELECTOR_TAIL = 10
#: Streams `-f` follows at once unless `--max-log-requests` says otherwise (kubectl's).
MAX_LOG_REQUESTS = 5
FOLLOW_NOTE = (
    "(kubectl logs -f: the playground's terminal prints the log so far and stops following; "
    "run the command again to see newer lines)"
)


def logs(ctx: Context) -> None:
    """Run `kubectl logs` (see the module docstring)."""
    a = ctx.args
    selector_text = a.text("selector")
    container = a.text("container")
    positional = list(a.positional)
    if not positional and not selector_text:
        raise usage_error(
            "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
            "POD or TYPE/NAME is a required argument for the logs command",
            "logs",
        )
    if selector_text and positional:
        raise error("only a selector (-l) or a POD name is allowed")
    if len(positional) > 2:
        raise usage_error("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.", "logs")
    if len(positional) == 2:
        if container:
            raise error("only one of -c or an inline [CONTAINER] arg is allowed")
        container = positional.pop()
    if a.get("all-containers") and container:
        raise error(
            f"--all-containers=true should not be specified with container name {container}"
        )
    window = _Window.of(ctx)
    if selector_text:
        _selected(ctx, selector_text, container, window)
        return
    pod, found = pick_pod(ctx, positional[0], "logs")
    if found > 1:
        ctx.warn(f"Found {found} pods, using pod/{pod['metadata']['name']}")
    if a.get("follow"):
        _follow_note(ctx, 1)
    _print_pod(ctx, pod, container, window)


class _Window:
    """Which lines to show: since when, how many at the end, how many bytes."""

    def __init__(self, since: float | None, tail: int | None, limit: int | None) -> None:
        self.since, self.tail, self.limit = since, tail, limit

    @classmethod
    def of(cls, ctx: Context) -> _Window:
        a = ctx.args
        since = None
        if a.text("since") and a.text("since-time"):
            raise error("at most one of `sinceTime` or `sinceSeconds` may be specified")
        if a.text("since"):
            seconds = parse_duration(a.text("since") or "", "since")
            if seconds <= 0:
                raise error("--since must be greater than 0")
            since = ctx.now - float(int(-(-seconds // 1)))  # kubectl rounds up to seconds
        elif a.text("since-time"):
            since = _since_time(a.text("since-time") or "")
        tail = a.number("tail")
        if tail is not None and tail < -1:
            raise error("--tail must be greater than or equal to -1")
        limit = a.number("limit-bytes")
        if limit is not None and limit < 1:
            raise error("--limit-bytes must be greater than 0")
        if tail is None and a.text("selector"):
            tail = SELECTOR_TAIL
        return cls(since, None if tail == -1 else tail, limit)


def _since_time(text: str) -> float:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise error(f'parsing time "{text}" as "2006-01-02T15:04:05Z07:00": cannot parse') from None
    if moment.tzinfo is None:
        raise error(f'parsing time "{text}" as "2006-01-02T15:04:05Z07:00": cannot parse')
    return (moment - EPOCH).total_seconds()


def _selected(ctx: Context, text: str, container: str | None, window: _Window) -> None:
    try:
        selector = parse_selector(text)
    except SelectorError as err:
        raise error(str(err)) from None
    pods = ctx.state.store.pods_selected(ctx.namespace, selector)
    if not pods:
        ctx.warn(f"No resources found in {ctx.namespace} namespace.")
        return
    if ctx.args.get("follow"):
        limit = ctx.args.number("max-log-requests") or MAX_LOG_REQUESTS
        streams = len(pods) * (len(_containers(pods[0])) if ctx.args.get("all-containers") else 1)
        if streams > limit:
            raise error(
                f"you are attempting to follow {streams} log streams, but maximum allowed "
                f"concurrency is {limit}, use --max-log-requests to increase the limit"
            )
        _follow_note(ctx, len(pods))
    for pod in pods:
        try:
            _print_pod(ctx, pod, container, window)
        except KubectlError as err:
            if not ctx.args.get("ignore-errors"):
                raise
            ctx.warn(str(err))


def _follow_note(ctx: Context, streams: int) -> None:
    ctx.warn(FOLLOW_NOTE)


def _containers(pod: dict) -> list[str]:
    return [c.get("name") or "" for c in (pod.get("spec") or {}).get("containers") or ()]


def _print_pod(ctx: Context, pod: dict, container: str | None, window: _Window) -> None:
    """Print one pod's logs: one container's, or every container's with --all-containers."""
    names = _containers(pod)
    pod_name = pod["metadata"]["name"]
    if ctx.args.get("all-containers"):
        chosen = names
    elif container is not None:
        if container not in names:
            raise error(f"container {container} is not valid for pod {pod_name}")
        chosen = [container]
    else:
        default = (pod["metadata"].get("annotations") or {}).get(
            "kubectl.kubernetes.io/default-container"
        )
        chosen = [default if default in names else names[0]]
        if default not in names and len(names) > 1:
            ctx.warn(f'Defaulted container "{names[0]}" out of: {", ".join(names)}')
    for name in chosen:
        _print_container(ctx, pod, name, window)


def _print_container(ctx: Context, pod: dict, container: str, window: _Window) -> None:
    meta = pod["metadata"]
    pod_name = meta["name"]
    if ctx.args.get("previous"):
        raise KubectlError(
            f'Error from server (BadRequest): previous terminated container "{container}" in '
            f'pod "{pod_name}" not found'
        )
    if not (pod.get("spec") or {}).get("nodeName"):
        raise KubectlError(
            f"Error from server (BadRequest): pod {pod_name} does not have a host assigned"
        )
    rt = ctx.state.runtime.get((meta["namespace"], pod_name))
    if rt is None:
        raise KubectlError(
            f'Error from server (BadRequest): container "{container}" in pod "{pod_name}" '
            f"is waiting to start: {_waiting_reason(pod, container)}"
        )
    spec = next(c for c in pod["spec"]["containers"] if c.get("name") == container)
    served = [describe(entry) for entry in (rt.logs or {}).get(container, ())]
    printed = lines(spec.get("image") or "", rt.started_at, served)
    if window.since is not None:
        printed = [(at, text) for at, text in printed if at >= window.since]
    if window.tail is not None:
        printed = printed[len(printed) - window.tail :] if window.tail else []
    prefix = f"[pod/{pod_name}/{container}] " if ctx.args.get("prefix") else ""
    stamps = bool(ctx.args.get("timestamps"))
    text = "".join(
        f"{prefix}{timestamp(at) + ' ' if stamps else ''}{line}\n" for at, line in printed
    )
    if window.limit is not None:
        text = text.encode()[: window.limit].decode(errors="ignore")
    if text:
        ctx.out.append(text)


def _waiting_reason(pod: dict, container: str) -> str:
    for status in (pod.get("status") or {}).get("containerStatuses") or ():
        if status.get("name") == container:
            waiting = (status.get("state") or {}).get("waiting") or {}
            if waiting.get("reason"):
                return str(waiting["reason"])
    return "ContainerCreating"
