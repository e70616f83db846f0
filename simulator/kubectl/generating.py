"""`kubectl create deployment|namespace|configmap` and `kubectl run`: objects made from flags."""

from __future__ import annotations

from .applying import create_objects, print_outcomes, stdin_text, submit
from .changing import deleted_line
from .context import Context
from .errors import KubectlError, error, usage_error
from .execute import run_in_pod
from .generating_network import SERVICE_TYPES, metadata, new_ingress, new_secret, new_service

# What each `create` subcommand accepts besides the flags every create has.
_COMMON = {"filename", "output", "dry-run", "save-config", "validate", "namespace", "help",
           "context", "kubeconfig", "v", "request-timeout"}  # fmt: skip
_SUBCOMMAND_FLAGS = {
    "deployment": {"image", "replicas", "port"},
    "namespace": set(),
    "configmap": {"from-literal", "from-file"},
    "service": {"tcp", "clusterip", "node-port", "external-name"},
    "ingress": {"rule", "class", "default-backend", "annotation"},
    "secret": {"cert", "key", "from-literal", "from-file", "type", "append-hash"},
}
_ALIASES = {"deploy": "deployment", "ns": "namespace", "cm": "configmap", "svc": "service",
            "ing": "ingress"}  # fmt: skip


def create(ctx: Context) -> None:
    """`kubectl create -f -`, or `create deployment|namespace|configmap|service|ingress|secret`."""
    if ctx.args.get("filename"):
        print_outcomes(ctx, submit(ctx, stdin_text(ctx), "create", "create"))
        return
    if not ctx.args.positional:
        raise error("must specify one of -f and -k")
    what = _ALIASES.get(ctx.args.positional[0], ctx.args.positional[0])
    rest = ctx.args.positional[1:]
    if what not in _SUBCOMMAND_FLAGS:
        raise error(
            f'"kubectl create {what}" is not available in this playground: write the '
            "manifest and use `kubectl create -f -`"
        )
    command = f"create {what}"
    kind = ""
    if what in ("service", "secret"):
        kinds = SERVICE_TYPES if what == "service" else ("tls", "generic")
        kind = rest[0] if rest else ""
        if kind not in kinds:
            if kind in ("docker-registry",):
                raise error('"kubectl create secret docker-registry" is not available in '
                            "this playground: there is no registry to log in to")  # fmt: skip
            raise usage_error(f"you must specify the type of {what}: "
                              + ", ".join(kinds), command)  # fmt: skip
        rest = rest[1:]
        command += f" {kind}"
    for flag in ctx.args.flags:
        if flag not in _COMMON and flag not in _SUBCOMMAND_FLAGS[what]:
            raise KubectlError(f"error: unknown flag: --{flag}\nSee 'kubectl {command} --help' "
                               "for usage.")  # fmt: skip
    if len(rest) != 1:
        raise usage_error(f"exactly one NAME is required, got {len(rest)}", command)
    name = rest[0]
    if what == "service":
        obj = new_service(ctx, kind, name)
    elif what == "ingress":
        obj = new_ingress(ctx, name)
    elif what == "secret":
        obj = new_secret(ctx, kind, name)
    else:
        obj = {"deployment": _new_deployment, "namespace": _new_namespace,
               "configmap": _new_configmap}[what](ctx, name)  # fmt: skip
    create_objects(ctx, [obj])


def _require_image(ctx: Context) -> list[str]:
    # `create deployment` repeats --image; `run` takes one.
    one = ctx.args.get("image")
    images = [one] if isinstance(one, str) else ctx.args.values("image")
    if not images:
        raise error('required flag(s) "image" not set')
    return images


def _container_name(image: str) -> str:
    base = image.rsplit("/", 1)[-1]
    for sep in (":", "@"):
        at = base.find(sep)
        if at > 0:
            base = base[:at]
    return base


def _new_deployment(ctx: Context, name: str) -> dict:
    images = _require_image(ctx)
    containers: list[dict] = [{"image": image, "name": _container_name(image)} for image in images]
    port = ctx.args.number("port")
    if port is not None and port >= 0:
        containers[0]["ports"] = [{"containerPort": port}]
    labels = {"app": name}
    replicas = ctx.args.number("replicas")
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata(ctx, name, labels),
        "spec": {
            "replicas": 1 if replicas is None else replicas,
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers}},
        },
    }


def _new_namespace(ctx: Context, name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def _new_configmap(ctx: Context, name: str) -> dict:
    data = {}
    for literal in ctx.args.values("from-literal"):
        key, sep, value = literal.partition("=")
        if not sep or not key:
            raise error(f"invalid literal source {literal}, expected key=value")
        data[key] = value
    for source in ctx.args.values("from-file"):
        key, sep, path = source.partition("=")
        if not sep:
            path, key = source, source.rsplit("/", 1)[-1]
        data[key] = ctx.read_file(path)
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata(ctx, name)}
    if data:
        cm["data"] = data
    return cm


def run_pod(ctx: Context) -> None:
    """`kubectl run NAME --image=IMAGE [--port=P] [--labels=...] [--command] -- ARGS...`.

    With `-i`/`-t` and a command, the command runs once in the new pod (as an
    attached session would) and `--rm` deletes the pod afterwards; `-it` with a
    shell opens an interactive session (its `exit` command deletes a `--rm` pod).
    """
    a = ctx.args
    before = a.positional if a.dash < 0 else a.positional[: a.dash]
    after = [] if a.dash < 0 else a.positional[a.dash :]
    if not before:
        raise usage_error("NAME is required for run", "run")
    name, extra = before[0], before[1:]
    images = _require_image(ctx)
    args = extra + after
    container: dict = {"name": name, "image": images[0]}
    if args:
        container["command" if a.get("command") else "args"] = args
    if a.get("port"):
        try:
            container["ports"] = [{"containerPort": int(str(a.get("port")))}]
        except ValueError:
            raise error(f'invalid argument "{a.get("port")}" for "--port" flag') from None
    env = []
    for item in a.values("env"):
        key, _, value = item.partition("=")
        env.append({"name": key, "value": value})
    if env:
        container["env"] = env
    labels = {"run": name}
    if a.get("labels"):
        labels = {}
        for pair in str(a.get("labels")).split(","):
            key, sep, value = pair.partition("=")
            if not sep:
                raise error(f"unexpected label spec: {pair}")
            labels[key] = value
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata(ctx, name, labels),
        "spec": {"containers": [container], "restartPolicy": str(a.get("restart") or "Always")},
    }
    interactive = bool(a.get("stdin") or a.get("tty"))
    if a.get("rm") and not interactive:
        raise error("--rm should only be used for attached containers")
    objects = [pod]
    if a.get("expose"):
        if not a.get("port"):
            raise error("--port must be set when exposing a service")
        objects.insert(
            0,
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": metadata(ctx, name),
                "spec": {
                    "selector": dict(labels),
                    "ports": [
                        {"port": int(str(a.get("port"))), "targetPort": int(str(a.get("port")))}
                    ],
                },
            },
        )
    outcomes = create_objects(ctx, objects)
    if not outcomes or not interactive:
        return
    ctx.out.clear()  # an attached session shows the command's output, not "pod/x created"
    shell = (args or [""])[0].rsplit("/", 1)[-1]
    if shell in ("sh", "bash", "ash") and len(args) == 1 and a.get("stdin") and a.get("tty"):
        # An interactive shell: the terminal opens it; leaving it deletes the pod with --rm.
        ctx.warn("If you don't see a command prompt, try pressing enter.")
        run_in_pod(ctx, ctx.namespace, name, None, args)
        if ctx.session is not None and a.get("rm"):
            ctx.session["exit"] = f"kubectl delete pod {name}" + (
                f" -n {ctx.namespace}" if ctx.namespace != "default" else ""
            )
        return
    run_in_pod(ctx, ctx.namespace, name, None, args or ["sh"])
    if a.get("rm"):
        ctx.state.delete("Pod", ctx.namespace, name)
        ctx.print(deleted_line("pod", name, ctx.namespace))
