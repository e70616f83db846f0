"""``ingress2gateway print``: the command line of ingress2gateway v1.0.0, over the cluster.

What it understands (``cmd/print.go``): ``print --providers=ingress-nginx`` (the provider
flag is required; ``--providers ingress-nginx`` works too), ``-n``/``--namespace NS`` or
``-A``/``--all-namespaces`` (default: the current namespace, ``default``),
``--ingress-nginx-ingress-class=CLASS`` (default ``nginx``) and ``-o yaml|json``. It reads
the Ingresses and Services from the cluster, or with ``--input-file FILE`` (repeatable,
comma-separated) from the learner's files (every namespace unless ``-n`` says one, as the
real tool does), prints the Gateway API objects on stdout and its report on stderr;
``No resources found in default namespace`` when nothing matches. It changes nothing:
apply its output with ``kubectl apply -f -`` (or ``> gateway.yaml`` and ``-f gateway.yaml``).
"""

from __future__ import annotations

import json

from simulator.manifests import parse_manifests
from simulator.problems import ManifestError
from simulator.result import CommandResult

from .ingress2gateway import Conversion, convert, printed

USAGE = """Usage:
  ingress2gateway print [flags]

Flags:
  -A, --all-namespaces                        If present, list the requested object(s) across all namespaces.
      --input-file strings                    Path to manifest files. When set, the tool will read ingresses from the files instead of reading from the cluster. Supported files are yaml and json.
      --ingress-nginx-ingress-class string    Provider-specific: ingress-nginx. The name of the ingress class to select. Defaults to 'nginx' (default "nginx")
  -n, --namespace string                      If present, the namespace scope for this CLI request.
  -o, --output string                         Output format. One of: (yaml, json, kyaml). (default "yaml")
      --providers strings                     If present, the tool will try to convert only resources related to the specified providers, supported values are [ingress-nginx].
"""  # noqa: E501 - cobra's help text, as printed
_VALUE_FLAGS = {
    "-n": "namespace", "--namespace": "namespace", "-o": "output", "--output": "output",
    "--providers": "providers", "--ingress-nginx-ingress-class": "class",
    "--input-file": "input-file", "--emitter": "emitter",
}  # fmt: skip


def _parse(args: list[str]) -> dict | str:
    """The flags of ``print``, or the error cobra prints."""
    options: dict = {"namespace": None, "all": False, "output": "yaml", "class": "nginx",
                     "providers": None, "emitter": "standard", "input-file": []}  # fmt: skip
    index = 0
    while index < len(args):
        arg = args[index]
        name, eq, value = arg.partition("=")
        if arg in ("-A", "--all-namespaces"):
            options["all"] = True
        elif name in _VALUE_FLAGS:
            if not eq:
                index += 1
                if index >= len(args):
                    return f"Error: flag needs an argument: {name}\n{USAGE}"
                value = args[index]
            if _VALUE_FLAGS[name] == "input-file":
                options["input-file"] += [part for part in value.split(",") if part]
            else:
                options[_VALUE_FLAGS[name]] = value
        elif arg in ("-h", "--help"):
            return "help"
        else:
            return f"Error: unknown flag: {name}\n{USAGE}" if arg.startswith("-") else (
                f'Error: unknown command "{arg}" for "ingress2gateway print"\n{USAGE}'
            )  # fmt: skip
        index += 1
    return options


def run_ingress2gateway(
    store, argv: list[str], namespace: str = "default", files=None
) -> CommandResult:
    """Run ``ingress2gateway ARGS`` against the cluster's objects (read only).

    Args:
        store: the cluster's store (``list(kind)``).
        argv: the arguments after ``ingress2gateway``.
        namespace: the current namespace (used without ``-n`` or ``-A``).
        files: the learner's files (``read_file(path)``), for ``--input-file``.
    """
    if not argv or argv[0] != "print":
        command = argv[0] if argv else ""
        if command in ("", "-h", "--help", "help"):
            return CommandResult(stdout="Available Commands:\n  print       Prints Gateway "
                                 "API objects generated from ingress and provider-specific "
                                 "resources.\n")  # fmt: skip
        return CommandResult.error(
            f'Error: unknown command "{command}" for "ingress2gateway"\n'
            "Run 'ingress2gateway --help' for usage."
        )
    options = _parse(argv[1:])
    if options == "help":
        return CommandResult(stdout=USAGE)
    if isinstance(options, str):
        return CommandResult.error(options)
    if options["providers"] is None:
        return CommandResult.error(f'Error: required flag(s) "providers" not set\n{USAGE}')
    if options["namespace"] is not None and options["all"]:
        return CommandResult.error(
            "Error: if any flags in the group [namespace all-namespaces] are set none of the "
            "others can be; [all-namespaces namespace] were all set"
        )
    for provider in options["providers"].split(","):
        if provider != "ingress-nginx":
            return CommandResult.error(f"Error: {provider} is not a supported provider")
    if options["emitter"] != "standard":
        return CommandResult.error(f"Error: {options['emitter']} is not a supported emitter")
    if options["output"] not in ("yaml", "json"):
        return CommandResult.error(
            f"Error: failed to initialize resource printer: {options['output']} is not a "
            "supported output format"
        )  # fmt: skip
    if options["input-file"]:
        scope = options["namespace"] if not options["all"] else None
        source = _read_files(files, options["input-file"])
        if isinstance(source, str):
            return CommandResult.error(source)
    else:
        scope = None if options["all"] else (options["namespace"] or namespace)
        source = store
    conversion = convert_cluster(source, scope, options["class"])
    if not conversion.objects:
        where = f" in {scope} namespace" if scope else ""
        return CommandResult(stdout=f"No resources found{where}\n", stderr=conversion.report())
    if options["output"] == "json":
        text = "".join(
            json.dumps(printed(o), indent=4, sort_keys=True) + "\n" for o in conversion.objects
        )
    else:
        text = conversion.yaml()
    return CommandResult(stdout=text, stderr=conversion.report())


class _Objects:
    """Objects read from files, with the store's ``list(kind)``."""

    def __init__(self, objects: list[dict]) -> None:
        self.objects = objects

    def list(self, kind: str) -> list[dict]:
        return [o for o in self.objects if o.get("kind") == kind]


def _read_files(files, paths: list[str]) -> _Objects | str:
    """Ingresses (v1) and Services from the learner's files, or the error to print."""
    objects = []
    for path in paths:
        try:
            text = files.read_file(path) if files is not None else None
        except Exception:  # noqa: BLE001 - any unreadable file reads as missing, as os.Stat
            text = None
        if text is None:
            return f"Error: input path does not exist: {path}"
        try:
            parsed = parse_manifests(text, source=path)
        except ManifestError as err:
            return f"Error: failed to read ingress-nginx resources from input: {err}"
        for doc in parsed.documents:
            obj = doc.obj
            if (obj.get("kind"), obj.get("apiVersion")) in _FILE_KINDS and isinstance(
                obj.get("metadata"), dict
            ):
                objects.append(obj)
    return _Objects(objects)


_FILE_KINDS = {("Ingress", "networking.k8s.io/v1"), ("Service", "v1")}


def convert_cluster(store, namespace: str | None, ingress_class: str = "nginx") -> Conversion:
    """Convert the cluster's Ingresses (of one namespace, or all when None)."""
    ingresses = [
        i for i in store.list("Ingress")
        if namespace is None or i["metadata"].get("namespace") == namespace
    ]  # fmt: skip
    services = {
        (s["metadata"].get("namespace", ""), s["metadata"]["name"]): s
        for s in store.list("Service")
    }
    return convert(ingresses, services, ingress_class_name=ingress_class)
