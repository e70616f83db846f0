"""The verbs kubectl understands here: their flags, and the dispatch from a command line to them."""

from __future__ import annotations

from collections.abc import Callable

from ..result import CommandResult
from . import execute, reading, writing
from .args import (
    ALL_NAMESPACES,
    BOOL,
    FILENAME,
    INT,
    MULTI,
    OUTPUT,
    SELECTOR,
    Flag,
    parse,
)
from .context import Context
from .errors import KubectlError

DRY_RUN = Flag("dry-run")
FLAGS: dict[str, tuple[Flag, ...]] = {
    "get": (OUTPUT, SELECTOR, ALL_NAMESPACES, FILENAME, Flag("show-labels", type=BOOL),
            Flag("label-columns", "L", MULTI), Flag("no-headers", type=BOOL),
            Flag("ignore-not-found", type=BOOL), Flag("watch", "w", BOOL),
            Flag("show-kind", type=BOOL), Flag("field-selector"), Flag("sort-by"),
            Flag("template")),
    "describe": (SELECTOR, ALL_NAMESPACES, FILENAME, Flag("show-events", type=BOOL)),
    "apply": (FILENAME, OUTPUT, DRY_RUN, Flag("recursive", "R", BOOL), Flag("validate"),
              Flag("server-side", type=BOOL), Flag("force", type=BOOL)),
    "create": (FILENAME, OUTPUT, DRY_RUN, Flag("image", type=MULTI), Flag("replicas", type=INT),
               Flag("port", type=INT), Flag("from-literal", type=MULTI),
               Flag("save-config", type=BOOL), Flag("validate")),
    "run": (OUTPUT, DRY_RUN, Flag("image"), Flag("port"), Flag("labels", "l"),
            Flag("restart"), Flag("command", type=BOOL), Flag("env", type=MULTI),
            Flag("expose", type=BOOL), Flag("stdin", "i", BOOL), Flag("tty", "t", BOOL),
            Flag("rm", type=BOOL)),
    "delete": (SELECTOR, ALL_NAMESPACES, FILENAME, OUTPUT, Flag("all", type=BOOL),
               Flag("grace-period", type=INT), Flag("now", type=BOOL), Flag("force", type=BOOL),
               Flag("ignore-not-found", type=BOOL), Flag("wait", type=BOOL),
               Flag("cascade")),
    "scale": (SELECTOR, FILENAME, Flag("replicas", type=INT), Flag("current-replicas", type=INT),
              Flag("all", type=BOOL)),
    "label": (SELECTOR, ALL_NAMESPACES, FILENAME, OUTPUT, Flag("overwrite", type=BOOL),
              Flag("all", type=BOOL), Flag("list", type=BOOL)),
    "expose": (FILENAME, OUTPUT, DRY_RUN, Flag("port"), Flag("target-port"), Flag("type"),
               Flag("name"), Flag("protocol"), Flag("selector"), Flag("labels", "l"),
               Flag("external-ip"), Flag("session-affinity"), Flag("cluster-ip"),
               Flag("load-balancer-ip")),
    "taint": (SELECTOR, Flag("overwrite", type=BOOL), Flag("all", type=BOOL)),
    "cordon": (SELECTOR,),
    "uncordon": (SELECTOR,),
    "exec": (Flag("container", "c"), Flag("stdin", "i", BOOL), Flag("tty", "t", BOOL),
             Flag("quiet", "q", BOOL), FILENAME),
}  # fmt: skip

HANDLERS: dict[str, Callable[[Context], None]] = {
    "get": reading.get,
    "describe": reading.describe,
    "apply": writing.apply,
    "create": writing.create,
    "run": writing.run_pod,
    "delete": writing.delete,
    "scale": writing.scale,
    "label": writing.label,
    "expose": writing.expose,
    "taint": writing.taint,
    "cordon": writing.cordon,
    "uncordon": writing.uncordon,
    "exec": execute.exec_command,
}

# Real kubectl verbs the playground does not simulate, with a hint for each.
UNSUPPORTED = {
    "logs": "containers here only answer HTTP requests and keep no logs",
    "edit": "there is no editor; change the manifest and run `kubectl apply -f -` again",
    "patch": "change the manifest and run `kubectl apply -f -` again",
    "replace": "use `kubectl apply -f -`",
    "port-forward": "curl the Service from a pod (`kubectl exec POD -- curl ...`) or via a NodePort",
    "proxy": "curl the Service from a pod or via a NodePort",
    "rollout": "apply a changed manifest to roll out a new version",
    "set": "change the manifest and run `kubectl apply -f -` again",
    "annotate": "add annotations in the manifest and apply it",
    "autoscale": "set `replicas` or use `kubectl scale`",
    "attach": "use `kubectl exec POD -- COMMAND`",
    "cp": "use `kubectl exec POD -- touch PATH` to create files",
    "top": "the simulator does not measure CPU or memory",
    "drain": "use `kubectl cordon NODE` and delete the node's pods",
    "wait": "the cluster converges at once; use `sleep N` to let probes run",
    "debug": "use `kubectl exec POD -- COMMAND`",
    "explain": "see the Kubernetes API reference",
    "api-resources": "the supported types are pods, services, endpoints, endpointslices, "
    "ingresses, ingressclasses, nodes, namespaces, deployments, replicasets, "
    "replicationcontrollers, daemonsets, configmaps, secrets and events",
    "api-versions": "the cluster serves v1, apps/v1, networking.k8s.io/v1, discovery.k8s.io/v1",
    "config": "there is one cluster and one context here",
    "cluster-info": "the API server is at https://10.96.0.1:443 (the `kubernetes` Service)",
    "version": "the simulated cluster runs Kubernetes v1.31",
    "auth": "every command is allowed here",
    "certificate": "there is no certificate API here",
    "kustomize": "paste the rendered manifests into `kubectl apply -f -`",
    "diff": "compare `kubectl get ... -o yaml` with your manifest",
    "events": "use `kubectl get events` or `kubectl describe`",
    "plugin": "plugins are not available",
    "completion": "shell completion is not available",
    "alpha": "alpha commands are not available",
}

HELP = """kubectl controls the simulated Kubernetes cluster manager.

Supported commands:
  create        Create a resource from stdin (-f -), or a deployment/namespace/configmap
  expose        Take a replication controller, service, deployment or pod and expose it as a new Service
  run           Run a particular image on the cluster
  get           Display one or many resources
  delete        Delete resources by file names, stdin, resources and names, or by resources and label selector
  scale         Set a new size for a deployment, replica set, or replication controller
  cordon        Mark node as unschedulable
  uncordon      Mark node as schedulable
  taint         Update the taints on one or more nodes
  describe      Show details of a specific resource or group of resources
  exec          Execute a command in a container
  apply         Apply a configuration to a resource from stdin (-f -)
  label         Update the labels on a resource

Usage:
  kubectl [flags] [options]
"""


def run(state, argv: list[str], stdin: str = "", *, network=None) -> CommandResult:
    """Parse and run one kubectl command line (see `simulator.kubectl.run_kubectl`)."""
    try:
        args = parse(argv, FLAGS)
    except KubectlError as err:
        return CommandResult.error(str(err), err.exit_code)
    if not args.command:
        return CommandResult(stdout=HELP)
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
    ctx = Context(state, args, stdin, network, namespace, "namespace" in args.flags)
    try:
        handler(ctx)
    except KubectlError as err:
        ctx.error(str(err), err.exit_code)
        ctx.problems.extend(err.problems)
    return ctx.result()


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
