"""`kubectl get`: find objects, then print tables, documents, names or templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator import api_versions, kinds
from simulator.kinds import ResourceType
from simulator.labels import SelectorError, parse_selector

from . import jsonpath
from .applying import read_documents
from .context import Context
from .errors import KubectlError, error, not_found
from .go_syntax import go_value, quote
from .output import as_list, resource_name, to_json, to_yaml
from .resources import Found, find, parse_request
from .tables import RowContext, build_table, render
from .tabwriter import render_table

ENDPOINTS_WARNING = "Warning: " + api_versions.ENDPOINTS_DEPRECATION


OUTPUT_FORMATS = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
)


FIELDS = {
    "metadata.name": lambda o: o["metadata"].get("name", ""),
    "metadata.namespace": lambda o: o["metadata"].get("namespace", ""),
    "status.phase": lambda o: (o.get("status") or {}).get("phase", ""),
    "spec.nodeName": lambda o: (o.get("spec") or {}).get("nodeName", ""),
    "status.podIP": lambda o: (o.get("status") or {}).get("podIP", ""),
    "spec.type": lambda o: (o.get("spec") or {}).get("type", ""),
}

_INVOLVED = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")


def _involved(part: str) -> Callable[[dict], str]:
    return lambda o: o["involvedObject"].get(part, "")


# The fields the API server selects Events by (pkg/registry/core/event/strategy.go),
# as `kubectl get events --field-selector involvedObject.name=POD` uses them.
EVENT_FIELDS: dict[str, Callable[[dict], str]] = {
    "metadata.name": FIELDS["metadata.name"],
    "metadata.namespace": FIELDS["metadata.namespace"],
    **{f"involvedObject.{part}": _involved(part) for part in _INVOLVED},
    "reason": lambda o: o.get("reason", ""),
    "reportingComponent": lambda o: o.get("reportingComponent", ""),
    "source": lambda o: (o.get("source") or {}).get("component", ""),
    "type": lambda o: o.get("type", ""),
}


def selector_of(ctx: Context):
    """The `-l` selector (empty when not given)."""
    text = ctx.args.get("selector")
    if not text:
        return ()
    try:
        return parse_selector(str(text))
    except SelectorError as err:
        raise KubectlError(f"Error from server (BadRequest): {err}") from None


def _field_filter(ctx: Context, kind: str):
    text = ctx.args.get("field-selector")
    if not text:
        return None
    tests = []
    for clause in str(text).split(","):
        for op in ("!=", "==", "="):
            if op in clause:
                field, _, value = clause.partition(op)
                break
        else:
            raise KubectlError(f"Error from server (BadRequest): invalid selector: '{text}'")
        getter = (EVENT_FIELDS if kind == "Event" else FIELDS).get(field.strip())
        if getter is None:
            resource = kinds.of_kind(kind).plural
            raise KubectlError(
                f'Error from server (BadRequest): Unable to find "/v1, Resource={resource}" that '
                f'match label selector "", field selector "{text}": field label not supported: '
                f"{field.strip()}"
            )
        tests.append((getter, op != "!=", value.strip()))
    return lambda obj: all((get(obj) == value) == eq for get, eq, value in tests)


def live_objects_from_stdin(ctx: Context) -> list[Found]:
    """`-f -`: the live objects named by the manifests on stdin."""
    found: list[Found] = []
    for doc in read_documents(ctx):
        obj = doc.obj
        rt = kinds.by_kind(obj.get("kind", ""))
        if rt is None:
            raise error(f'the server doesn\'t have a resource type "{obj.get("kind", "")}"')
        name = obj["metadata"]["name"]
        ns = (obj["metadata"].get("namespace") or ctx.namespace) if rt.namespaced else ""
        live = ctx.state.store.get(rt.kind, ns, name)
        if live is None:
            found.append(Found(rt, [], [not_found(rt.resource_qualified, name)]))
        else:
            found.append(Found(rt, [live], []))
    return found


@dataclass(slots=True)
class _Gathered:
    found: list[Found]
    types: list[ResourceType]  # the resource types asked for (for "No resources found in ...")
    single: bool  # one object asked for by name: -o json/yaml print it, not a List
    multiple: bool  # several types: tables prefix names with `kind.group/`


def get(ctx: Context) -> None:
    """`kubectl get`: tables, `-o wide|json|yaml|name|jsonpath=...|custom-columns=...`."""
    a = ctx.args
    if a.get("watch"):
        raise error("watching is not available here: run the command again (after `sleep N`)")
    output = str(a.get("output") or "")
    if a.get("template") and not output:
        output = "jsonpath=" + str(a.get("template"))
    elif a.get("template") and output in ("jsonpath", "jsonpath-as-json"):
        output += "=" + str(a.get("template"))
    if a.get("show-labels") and output not in ("", "wide"):
        raise error(f"--show-labels option cannot be used with {output.split('=')[0]} printer")
    all_ns = bool(a.get("all-namespaces"))
    gathered = _gather(ctx, all_ns)
    if any(rt.kind == "Endpoints" for rt in gathered.types):
        ctx.warn(ENDPOINTS_WARNING)
    errors = [] if a.get("ignore-not-found") else [e for f in gathered.found for e in f.errors]
    for line in errors:
        ctx.error(line)
    if output in ("", "wide"):
        _print_tables(ctx, gathered, wide=output == "wide", all_ns=all_ns, had_errors=bool(errors))
    elif output == "name":
        for f in gathered.found:
            for obj in f.objects:
                ctx.print(resource_name(f.rt.qualified, obj))
    elif not (gathered.single and errors):
        _print_documents(ctx, output, gathered)


def _gather(ctx: Context, all_ns: bool) -> _Gathered:
    a = ctx.args
    selector = selector_of(ctx)
    if a.get("filename"):
        if a.positional:
            raise error(
                "when paths, URLs, or stdin is provided as input, you may not specify "
                "resource arguments as well"
            )
        found = live_objects_from_stdin(ctx)
        gathered = _Gathered(
            found, [f.rt for f in found], len(found) == 1, len({f.rt.kind for f in found}) > 1
        )
    else:
        if not a.positional:
            raise KubectlError(
                'You must specify the type of resource to get. Use "kubectl api-resources" for a '
                "complete list of supported resources.\n\n"
                "error: Required resource not specified.\n"
                'Use "kubectl explain <resource>" for a detailed description of that resource '
                "(e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples"
            )
        request = parse_request(a.positional)
        if request.by_name and selector:
            raise error("name cannot be provided when a selector is specified")
        if request.by_name and all_ns:
            raise error("a resource cannot be retrieved by name across all namespaces")
        found = find(ctx.state, request, ctx.namespace, all_namespaces=all_ns, selector=selector)
        names = sum(len(n) for n in request.names.values())
        single = request.by_name and names == 1 and len(request.types) == 1
        gathered = _Gathered(found, request.types, single, request.multiple_types)
    for f in gathered.found:
        keep = _field_filter(ctx, f.rt.kind)
        if keep is not None:
            f.objects = [o for o in f.objects if keep(o)]
        if a.get("sort-by"):
            f.objects = _sorted(f.objects, str(a.get("sort-by")))
    return gathered


def _print_documents(ctx: Context, output: str, gathered: _Gathered) -> None:
    objects = [obj for f in gathered.found for obj in f.objects]
    data = objects[0] if gathered.single and objects else as_list(objects)
    if output == "json":
        ctx.out.append(to_json(data))
    elif output == "yaml":
        ctx.out.append(to_yaml(data))
    elif output.startswith(("jsonpath=", "jsonpath-as-json=")):
        kind, _, template = output.partition("=")
        if not template:
            raise error("template format specified but no template given")
        try:
            if kind == "jsonpath":
                ctx.out.append(jsonpath.render(template, data))
            else:
                ctx.out.append(to_json(jsonpath.evaluate(template, data)))
        except jsonpath.TemplateError as err:
            raise error(f"error parsing jsonpath {template}, {err}") from None
        except jsonpath.ExecutionError as err:
            # cli-runtime's JSONPathPrinter: the reason, the template and the object it was given.
            ctx.error(
                f"error: error executing jsonpath {quote(template)}: Error executing template: "
                f"{err}. Printing more information for debugging the template:\n"
                f"\ttemplate was:\n\t\t{template}\n"
                f"\tobject given to jsonpath engine was:\n\t\t{go_value(data)}\n\n\n"
            )
    elif output in ("jsonpath", "jsonpath-as-json", "custom-columns"):
        raise error("template format specified but no template given")
    elif output.startswith("custom-columns="):
        no_headers = bool(ctx.args.get("no-headers"))
        ctx.out.append(_custom_columns(output.partition("=")[2], objects, no_headers))
    else:
        raise error(
            f'unable to match a printer suitable for the output format "{output}", allowed '
            f"formats are: {OUTPUT_FORMATS}"
        )


def _sorted(objects: list[dict], path: str) -> list[dict]:
    def key(obj: dict):
        """Sort key: numbers before strings, a missing field as the empty string."""
        try:
            values = jsonpath.evaluate(path, obj)
        except jsonpath.TemplateError:
            raise error(
                f'couldn\'t find any field with path "{path}" in the list of objects'
            ) from None
        value = values[0] if values else ""
        return (0, value, "") if isinstance(value, int | float) else (1, 0, str(value))

    return sorted(objects, key=key)


def _print_tables(
    ctx: Context, gathered: _Gathered, *, wide: bool, all_ns: bool, had_errors: bool
) -> None:
    a = ctx.args
    multiple = gathered.multiple or bool(a.get("show-kind"))
    row_ctx = RowContext(ctx.now, wide)
    label_columns = [k for v in a.values("label-columns") for k in v.split(",") if k]
    tables: list[tuple[str, list[list[str]]]] = []
    for f in gathered.found:
        rows = build_table(
            f.rt.kind,
            f.objects,
            row_ctx,
            kind_prefix=f.rt.qualified if multiple else "",
            with_namespace=all_ns and f.rt.namespaced,
            show_labels=bool(a.get("show-labels")),
        )
        if not rows:
            continue
        if label_columns:
            _add_label_columns(rows, f.objects, label_columns, bool(a.get("show-labels")))
        if a.get("no-headers"):
            rows = rows[1:]
        if tables and tables[-1][0] == f.rt.kind and not a.get("no-headers"):
            tables[-1][1].extend(rows[1:])  # same type again (names split by errors)
        else:
            tables.append((f.rt.kind, rows))
    if tables:
        ctx.out.append("\n".join(render(rows) for _, rows in tables))
    elif not had_errors:
        namespaced = not all_ns and all(rt.namespaced for rt in gathered.types)
        if namespaced:
            ctx.warn(f"No resources found in {ctx.namespace} namespace.")
        else:
            ctx.warn("No resources found")


def _add_label_columns(
    rows: list[list[str]], objects: list[dict], keys: list[str], show_labels: bool
) -> None:
    at = len(rows[0]) - 1 if show_labels else len(rows[0])
    rows[0][at:at] = [k.rsplit("/", 1)[-1].upper() for k in keys]
    for row, obj in zip(rows[1:], objects, strict=True):
        labels = obj["metadata"].get("labels") or {}
        row[at:at] = [labels.get(k, "") for k in keys]


def _custom_columns(spec: str, objects: list[dict], no_headers: bool) -> str:
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep or not header:
            raise error(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        columns.append((header, path))
    rows = [] if no_headers else [[h for h, _ in columns]]
    for obj in objects:
        row = []
        for _, path in columns:
            try:
                values = jsonpath.evaluate(path, obj)
            except jsonpath.TemplateError as err:
                raise error(f"error parsing jsonpath {path}, {err}") from None
            row.append(
                ",".join(jsonpath.format_values([v]) for v in values) if values else "<none>"
            )
        rows.append(row)
    return render_table(rows)
