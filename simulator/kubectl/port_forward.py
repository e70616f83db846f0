"""`kubectl port-forward TARGET [LOCAL:]REMOTE...`: the host's localhost ports into one pod.

TARGET is `POD`, `pod/NAME`, or a workload or Service (`deploy/NAME`,
`svc/NAME`...) of which kubectl picks one pod and sticks to it. For a
Service, REMOTE is a Service port, translated to the chosen pod's target
port (a named target port is looked up in the pod), as kubectl does; for the
others it is a container port, by number or by name. `:REMOTE` takes a free
local port at random, and `PORT` alone is `PORT:PORT`. The forward becomes a
job of the workstation's shell (simulator.port_forwards): it never blocks
the browser terminal.
"""

from __future__ import annotations

import random
import shlex

from .args import MULTI, Flag
from .context import Context
from .errors import error, usage_error
from .pod_targets import pick_pod

FLAGS = (Flag("address", type=MULTI), Flag("pod-running-timeout"))
#: Where a random local port comes from (Linux's ephemeral range).
EPHEMERAL = (32768, 60999)
#: Below this a user who is not root cannot listen.
PRIVILEGED = 1024
_ADDRESSES = {"localhost": ("127.0.0.1", "[::1]"), "127.0.0.1": ("127.0.0.1",),
              "::1": ("[::1]",), "0.0.0.0": ("0.0.0.0",)}  # fmt: skip
FOREGROUND_NOTE = (
    "(the playground's terminal does not block: this port-forward runs in the background "
    "as job [{job}]; `jobs` lists it, `kill %{job}` stops it)"
)


def port_forward(ctx: Context) -> None:
    """Run `kubectl port-forward` (see the module docstring)."""
    words = list(ctx.args.positional)
    if len(words) < 2:
        raise usage_error(
            "TYPE/NAME and list of ports are required for port-forward", "port-forward"
        )
    addresses = _addresses(ctx)
    pod, _ = pick_pod(ctx, words[0], "port-forward")
    meta = pod["metadata"]
    phase = (pod.get("status") or {}).get("phase")
    rt = ctx.state.runtime.get((meta["namespace"], meta["name"]))
    if phase != "Running" or rt is None:
        raise error(f"unable to forward port because pod is not running. Current status={phase}")
    service = None
    if "/" in words[0] and words[0].split("/", 1)[0].lower() in ("svc", "service", "services"):
        service = ctx.state.store.get("Service", ctx.namespace, words[0].split("/", 1)[1])
    forwards = ctx.state.port_forwards
    taken = forwards.local_ports()
    # A random local port that replays the same: drawn from the job count and the time.
    rng = random.Random(f"kubeplay-port-forward/{forwards.started}/{ctx.now}")
    pairs: list[tuple[int, int, str]] = []
    for spec in words[1:]:
        local, remote, shown = _pair(ctx, spec, pod, service, rng, taken)
        pairs.append((local, remote, shown))
    for local, _, shown in pairs:
        if local < PRIVILEGED or local in taken or sum(p[0] == local for p in pairs) > 1:
            reason = "permission denied" if local < PRIVILEGED else "address already in use"
            listeners = " ".join(
                f"unable to create listener: Error listen tcp{'6' if a.startswith('[') else '4'} "
                f"{a}:{local}: bind: {reason}"
                for a in addresses
            )
            ctx.warn(
                f"Unable to listen on port {local}: Listeners failed to create with the "
                f"following errors: [{listeners}]"
            )
            raise error(f"unable to listen on any of the requested ports: [{{{local} {shown}}}]")
    command = shlex.join(["kubectl", *ctx.argv])
    forward = forwards.start(
        command, (meta["namespace"], meta["name"]), rt.uid, {p[0]: p[1] for p in pairs}
    )
    for local, remote, _ in pairs:
        for address in addresses:
            ctx.print(f"Forwarding from {address}:{local} -> {remote}")
    if not ctx.background:
        ctx.warn(FOREGROUND_NOTE.format(job=forward.job))


def _addresses(ctx: Context) -> tuple[str, ...]:
    shown: list[str] = []
    for value in ctx.args.values("address") or ["localhost"]:
        for item in value.split(","):
            if item not in _ADDRESSES:
                raise error(
                    f"{item} is not a valid IP"
                    if not item.replace(".", "").isdigit()
                    else f"unable to listen on {item}: it is no address of this workstation"
                )
            shown.extend(a for a in _ADDRESSES[item] if a not in shown)
    return tuple(shown)


def _pair(ctx: Context, spec: str, pod: dict, service: dict | None, rng: random.Random,
          taken: dict) -> tuple[int, int, str]:  # fmt: skip
    """`(local, remote in the pod, remote as kubectl shows it in errors)` for one spec."""
    parts = spec.split(":")
    local_text, remote_text = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], parts[0])
    if not remote_text:
        raise error("remote port cannot be empty")
    if service is not None:
        remote, number = _service_port(service, pod, remote_text)
        if local_text == remote_text and not remote_text.isdigit():
            local_text = str(number)
    else:
        remote = _container_port(pod, remote_text)
    if local_text:
        if not local_text.isdigit() or int(local_text) > 65535:
            raise error(_parse_error("local", local_text))
        local = int(local_text)
    else:
        local = rng.randint(*EPHEMERAL)
        while local in taken:
            local = rng.randint(*EPHEMERAL)
    if not 0 < remote < 65536:
        raise error(_parse_error("remote", str(remote)))
    return local, remote, str(remote)


def _parse_error(which: str, text: str) -> str:
    """client-go's words for a port that is no 16-bit number."""
    reason = "value out of range" if text.lstrip("-").isdigit() else "invalid syntax"
    return f"error parsing {which} port '{text}': strconv.ParseUint: parsing \"{text}\": {reason}"


def _container_port(pod: dict, text: str) -> int:
    """A pod port by number or by a container port's name (convertPodNamedPortToNumber)."""
    if text.lstrip("-").isdigit():
        return int(text)
    for container in pod["spec"].get("containers") or ():
        for port in container.get("ports") or ():
            if port.get("name") == text:
                return int(port["containerPort"])
    raise error(f"pod '{pod['metadata']['name']}' does not have a named port '{text}'")


def _service_port(service: dict, pod: dict, text: str) -> tuple[int, int]:
    """The pod port a Service port leads to, and the Service port's number
    (kubectl's translateServicePortToTargetPort)."""
    name = service["metadata"]["name"]
    ports = (service.get("spec") or {}).get("ports") or ()
    if text.lstrip("-").isdigit():
        number = int(text)
    else:
        named = [p for p in ports if p.get("name") == text]
        if not named:
            raise error(f"service '{name}' does not have a named port '{text}'")
        number = int(named[0].get("port") or 0)
    for port in ports:
        if port.get("port") == number:
            target = port.get("targetPort") or number
            if isinstance(target, int) or str(target).isdigit():
                return int(target), number
            return _container_port(pod, str(target)), number
    raise error(f"service {name} does not have a service port {number}")
