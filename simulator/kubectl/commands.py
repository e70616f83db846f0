"""The verbs kubectl understands here: their flags, and the dispatch from a command line to them."""

from __future__ import annotations

from collections.abc import Callable

from simulator.result import CommandResult

from . import (
    annotating,
    applying,
    changing,
    debugging,
    describing,
    editing,
    execute,
    exposing,
    generating,
    getting,
    info,
    logs,
    nodes,
    patching,
    port_forward,
    rollout,
    setting,
)
from .args import (
    ALL_NAMESPACES,
    BOOL,
    FILENAME,
    GLOBAL_FLAGS,
    INT,
    MULTI,
    OUTPUT,
    SELECTOR,
    Flag,
    parse,
)
from .context import Context
from .errors import KubectlError
from .usage import HELP, USAGE

DRY_RUN = Flag("dry-run")
# `label` and `annotate`
METADATA_FLAGS = (
    SELECTOR,
    ALL_NAMESPACES,
    FILENAME,
    OUTPUT,
    Flag("overwrite", type=BOOL),
    Flag("all", type=BOOL),
    Flag("list", type=BOOL),
)
FLAGS: dict[str, tuple[Flag, ...]] = {
    "get": (
        OUTPUT,
        SELECTOR,
        ALL_NAMESPACES,
        FILENAME,
        Flag("show-labels", type=BOOL),
        Flag("label-columns", "L", MULTI),
        Flag("no-headers", type=BOOL),
        Flag("ignore-not-found", type=BOOL),
        Flag("watch", "w", BOOL),
        Flag("show-kind", type=BOOL),
        Flag("field-selector"),
        Flag("sort-by"),
        Flag("template"),
    ),
    "describe": (SELECTOR, ALL_NAMESPACES, FILENAME, Flag("show-events", type=BOOL)),
    "apply": (
        FILENAME,
        OUTPUT,
        DRY_RUN,
        Flag("recursive", "R", BOOL),
        Flag("validate"),
        Flag("server-side", type=BOOL),
        Flag("force", type=BOOL),
    ),
    "create": (
        FILENAME,
        OUTPUT,
        DRY_RUN,
        Flag("image", type=MULTI),
        Flag("replicas", type=INT),
        Flag("port", type=INT),
        Flag("from-literal", type=MULTI),
        Flag("from-file", type=MULTI),
        Flag("save-config", type=BOOL),
        Flag("validate"),
        Flag("tcp", type=MULTI),
        Flag("clusterip"),
        Flag("node-port", type=INT),
        Flag("external-name"),
        Flag("rule", type=MULTI),
        Flag("class"),
        Flag("default-backend"),
        Flag("annotation", type=MULTI),
        Flag("cert"),
        Flag("key"),
        Flag("type"),
        Flag("append-hash", type=BOOL),
    ),
    "run": (
        OUTPUT,
        DRY_RUN,
        Flag("image"),
        Flag("port"),
        Flag("labels", "l"),
        Flag("restart"),
        Flag("command", type=BOOL),
        Flag("env", type=MULTI),
        Flag("expose", type=BOOL),
        Flag("stdin", "i", BOOL),
        Flag("tty", "t", BOOL),
        Flag("rm", type=BOOL),
    ),
    "delete": (
        SELECTOR,
        ALL_NAMESPACES,
        FILENAME,
        OUTPUT,
        Flag("all", type=BOOL),
        Flag("grace-period", type=INT),
        Flag("now", type=BOOL),
        Flag("force", type=BOOL),
        Flag("ignore-not-found", type=BOOL),
        Flag("wait", type=BOOL),
        Flag("cascade"),
    ),
    "scale": (
        SELECTOR,
        FILENAME,
        Flag("replicas", type=INT),
        Flag("current-replicas", type=INT),
        Flag("all", type=BOOL),
    ),
    "label": METADATA_FLAGS,
    "expose": (
        FILENAME,
        OUTPUT,
        DRY_RUN,
        Flag("port"),
        Flag("target-port"),
        Flag("type"),
        Flag("name"),
        Flag("protocol"),
        Flag("selector"),
        Flag("labels", "l"),
        Flag("external-ip"),
        Flag("session-affinity"),
        Flag("cluster-ip"),
        Flag("load-balancer-ip"),
    ),
    "annotate": (*METADATA_FLAGS, Flag("resource-version")),
    "taint": (SELECTOR, Flag("overwrite", type=BOOL), Flag("all", type=BOOL)),
    "cordon": (SELECTOR,),
    "uncordon": (SELECTOR,),
    "version": (Flag("client", type=BOOL), OUTPUT),
    "api-resources": (OUTPUT, Flag("namespaced", type=BOOL), Flag("api-group"), Flag("verbs")),
    "cluster-info": (),
    "patch": (
        SELECTOR,
        ALL_NAMESPACES,
        OUTPUT,
        DRY_RUN,
        Flag("patch", "p"),
        Flag("patch-file"),
        Flag("type"),
        Flag("local", type=BOOL),
        Flag("record", type=BOOL),
    ),
    "edit": (
        OUTPUT,
        FILENAME,
        Flag("windows-line-endings", type=BOOL),
        Flag("save-config", type=BOOL),
        Flag("validate"),
    ),  # fmt: skip
    "debug": (
        Flag("image"),
        Flag("stdin", "i", BOOL),
        Flag("tty", "t", BOOL),
        Flag("quiet", "q", BOOL),
        Flag("profile"),
        Flag("container", "c"),
        Flag("attach", type=BOOL),
        Flag("target"),
        Flag("copy-to"),
    ),
    "rollout": rollout.FLAGS,
    "set": setting.FLAGS,
    "logs": logs.FLAGS,
    "port-forward": port_forward.FLAGS,
    "log": logs.FLAGS,
    "exec": (
        Flag("container", "c"),
        Flag("stdin", "i", BOOL),
        Flag("tty", "t", BOOL),
        Flag("quiet", "q", BOOL),
        FILENAME,
    ),
}

HANDLERS: dict[str, Callable[[Context], None]] = {
    "get": getting.get,
    "describe": describing.describe,
    "apply": applying.apply,
    "create": generating.create,
    "run": generating.run_pod,
    "delete": changing.delete,
    "scale": changing.scale,
    "label": changing.label,
    "annotate": annotating.annotate,
    "expose": exposing.expose,
    "taint": nodes.taint,
    "cordon": nodes.cordon,
    "uncordon": nodes.uncordon,
    "exec": execute.exec_command,
    "patch": patching.patch,
    "edit": editing.edit,
    "debug": debugging.debug,
    "rollout": rollout.rollout,
    "set": setting.set_command,
    "logs": logs.logs,
    "port-forward": port_forward.port_forward,
    "log": logs.logs,
    "version": info.version,
    "api-resources": info.api_resources,
    "cluster-info": info.cluster_info,
}

# Real kubectl verbs the playground does not simulate, with a hint for each.
UNSUPPORTED = {
    "replace": "use `kubectl apply -f -`",
    "proxy": "curl the Service from a pod or via a NodePort",
    "autoscale": "set `replicas` or use `kubectl scale`",
    "attach": "use `kubectl exec POD -- COMMAND`",
    "cp": "use `kubectl exec POD -- touch PATH` to create files",
    "top": "the simulator does not measure CPU or memory",
    "drain": "use `kubectl cordon NODE` and delete the node's pods",
    "wait": "the cluster converges at once; use `sleep N` to let probes run",
    "explain": "see the Kubernetes API reference",
    "api-versions": "the cluster serves v1, apps/v1, networking.k8s.io/v1, discovery.k8s.io/v1",
    "config": "there is one cluster and one context here",
    "auth": "every command is allowed here",
    "certificate": "there is no certificate API here",
    "kustomize": "paste the rendered manifests into `kubectl apply -f -`",
    "diff": "compare `kubectl get ... -o yaml` with your manifest",
    "events": "use `kubectl get events` or `kubectl describe`",
    "plugin": "plugins are not available",
    "completion": "shell completion is not available",
    "alpha": "alpha commands are not available",
}


def run(
    state, argv: list[str], stdin: str = "", *, network=None, files=None, background=False
) -> CommandResult:
    """Parse and run one kubectl command line (see `simulator.kubectl.run_kubectl`)."""
    verb = verb_of(argv)
    if verb in UNSUPPORTED:
        # Refused before its flags are read: a flag kubectl knows for it is no typo.
        return CommandResult.error(
            f'error: "kubectl {verb}" is not available in this playground: {UNSUPPORTED[verb]}'
        )
    try:
        args = parse(argv, FLAGS)
    except KubectlError as err:
        return CommandResult.error(str(err), err.exit_code)
    if not args.command or (args.get("help") and args.command not in USAGE):
        return CommandResult(stdout=HELP)
    if args.get("help"):
        return CommandResult(stdout=f"Usage:\n  kubectl {USAGE[args.command]}\n")
    if args.command in UNSUPPORTED:
        return CommandResult.error(
            f'error: "kubectl {args.command}" is not available in this playground: '
            f"{UNSUPPORTED[args.command]}"
        )
    handler = HANDLERS.get(args.command)
    if handler is None:
        return CommandResult.error(
            f'error: unknown command "{args.command}" for "kubectl"\n\n'
            + _suggestion(args.command)
            + "Run 'kubectl --help' for usage."
        )
    namespace = str(args.get("namespace") or "default")
    ctx = Context(state, args, stdin, network, namespace, "namespace" in args.flags, files)
    ctx.argv, ctx.background = tuple(argv), background
    try:
        handler(ctx)
    except KubectlError as err:
        ctx.error(str(err), err.exit_code)
        ctx.problems.extend(err.problems)
    return ctx.result()


def verb_of(argv: list[str]) -> str:
    """The command word of a kubectl line, skipping global flags and their values."""
    valued = {f"--{f.name}" for f in GLOBAL_FLAGS if f.type != BOOL} | {
        f"-{f.short}" for f in GLOBAL_FLAGS if f.short and f.type != BOOL
    }
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return ""
        if word.startswith("-"):
            i += 2 if word in valued else 1
            continue
        return word
    return ""


def _suggestion(word: str) -> str:
    """cobra's "Did you mean this?" for a near miss (Levenshtein distance <= 2 or a prefix)."""
    known = sorted(set(HANDLERS) | set(UNSUPPORTED))
    close = [k for k in known if k.startswith(word) or _distance(word, k) <= 2]
    if not close:
        return ""
    return "Did you mean this?\n" + "".join(f"\t{k}\n" for k in close) + "\n"


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
