"""`kubectl get` and `kubectl describe`: find objects, then print tables, documents or texts."""

from __future__ import annotations

from .. import kinds
from ..labels import SelectorError, parse_selector
from . import describe as texts
from . import jsonpath
from .context import Context
from .errors import KubectlError, error, not_found, usage_error
from .output import as_list, resource_name, to_json, to_yaml
from .resources import Found, find, list_objects, parse_request
from .tables import RowContext, build_table, render
from .tabwriter import render_table

ENDPOINTS_WARNING = (
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"
)
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
        getter = FIELDS.get(field.strip())
        if getter is None:
            resource = kinds.by_kind(kind).plural
            raise KubectlError(
                f'Error from server (BadRequest): Unable to find "/v1, Resource={resource}" that '
                f'match label selector "", field selector "{text}": field label not supported: '
                f"{field.strip()}"
            )
        tests.append((getter, op != "!=", value.strip()))
    return lambda obj: all((get(obj) == value) == eq for get, eq, value in tests)


def _from_files(ctx: Context) -> list[Found]:
    """`-f -`: the live objects named by the manifests on stdin."""
    from .writing import read_documents

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
    selector = selector_of(ctx)
    if a.get("filename"):
        if a.positional:
            raise error("when paths, URLs, or stdin is provided as input, you may not specify "
                        "resource arguments as well")  # fmt: skip
        found = _from_files(ctx)
        request_types = [f.rt for f in found]
        single = len(found) == 1
        multiple = len({f.rt.kind for f in found}) > 1
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
        request_types = request.types
        names = sum(len(n) for n in request.names.values())
        single = request.by_name and names == 1 and len(request.types) == 1
        multiple = request.multiple_types
    if any(rt.kind == "Endpoints" for rt in request_types):
        ctx.warn(ENDPOINTS_WARNING)
    for f in found:
        keep = _field_filter(ctx, f.rt.kind)
        if keep is not None:
            f.objects = [o for o in f.objects if keep(o)]
        if a.get("sort-by"):
            f.objects = _sorted(f.objects, str(a.get("sort-by")))
    errors = [e for f in found for e in f.errors]
    if a.get("ignore-not-found"):
        errors = []
    for line in errors:
        ctx.error(line)
    if output in ("", "wide"):
        _print_tables(ctx, found, wide=output == "wide", multiple=multiple, all_ns=all_ns,
                      request_types=request_types, had_errors=bool(errors))  # fmt: skip
        return
    objects = [obj for f in found for obj in f.objects]
    if output == "name":
        for f in found:
            for obj in f.objects:
                ctx.print(resource_name(f.rt.qualified, obj))
        return
    if single and errors:
        return
    data = objects[0] if single and objects else as_list(objects)
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
                values = [v for item in [data] for v in jsonpath.evaluate(template, item)]
                ctx.out.append(to_json(values))
        except jsonpath.TemplateError as err:
            raise error(f"error parsing jsonpath {template}, {err}") from None
    elif output in ("jsonpath", "jsonpath-as-json", "custom-columns"):
        raise error("template format specified but no template given")
    elif output.startswith("custom-columns="):
        ctx.out.append(_custom_columns(output.partition("=")[2], objects, bool(a.get("no-headers"))))
    else:
        raise error(
            f'unable to match a printer suitable for the output format "{output}", allowed '
            f"formats are: {OUTPUT_FORMATS}"
        )


def _sorted(objects: list[dict], path: str) -> list[dict]:
    def key(obj: dict):
        try:
            values = jsonpath.evaluate(path, obj)
        except jsonpath.TemplateError:
            raise error(f"couldn't find any field with path \"{path}\" in the list of objects") from None
        value = values[0] if values else ""
        return (0, value, "") if isinstance(value, int | float) else (1, 0, str(value))

    return sorted(objects, key=key)


def _print_tables(ctx: Context, found: list[Found], *, wide: bool, multiple: bool, all_ns: bool,
                  request_types: list, had_errors: bool) -> None:  # fmt: skip
    a = ctx.args
    row_ctx = RowContext(ctx.now, wide)
    label_columns = [k for v in (a.get("label-columns") or []) for k in str(v).split(",") if k]
    tables = []
    for f in found:
        rows = build_table(
            f.rt.kind,
            f.objects,
            row_ctx,
            kind_prefix=f.rt.qualified if multiple or a.get("show-kind") else "",
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
        namespaced = not all_ns and all(rt.namespaced for rt in request_types)
        if namespaced:
            ctx.warn(f"No resources found in {ctx.namespace} namespace.")
        else:
            ctx.warn("No resources found")


def _add_label_columns(rows: list[list[str]], objects: list[dict], keys: list[str],
                       show_labels: bool) -> None:  # fmt: skip
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
                f'unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>'
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
            row.append(",".join(jsonpath.format_values([v]) for v in values) if values else "<none>")
        rows.append(row)
    return render_table(rows)


# -- describe ------------------------------------------------------------------------------


def describe(ctx: Context) -> None:
    """`kubectl describe TYPE [NAME_PREFIX...]` (also `-l`, `-A`, `TYPE/NAME`)."""
    a = ctx.args
    all_ns = bool(a.get("all-namespaces"))
    selector = selector_of(ctx)
    if a.get("filename"):
        found = _from_files(ctx)
    else:
        if not a.positional:
            raise KubectlError(
                'You must specify the type of resource to describe. Use "kubectl api-resources" '
                "for a complete list of supported resources.\n\n"
                + str(usage_error("Required resource not specified.", "describe"))
            )
        request = parse_request(a.positional)
        found = find(ctx.state, request, ctx.namespace, all_namespaces=all_ns, selector=selector)
        if (len(a.positional) == 2 and "/" not in a.positional[0] and found
                and found[0].errors and len(request.types) == 1):  # fmt: skip
            # `kubectl describe pods kubia` describes every pod whose name starts with kubia.
            rt = found[0].rt
            scope = ctx.namespace if rt.namespaced else None
            matches = [o for o in list_objects(ctx.state, rt, scope)
                       if o["metadata"]["name"].startswith(a.positional[1])]  # fmt: skip
            if matches:
                show_events = a.get("show-events", True)
                for obj in matches:
                    ctx.out.append(describe_object(ctx.state, rt, obj, show_events) + "\n")
                return
    first = True
    show_events = a.get("show-events", True)
    for f in found:
        for line in f.errors:
            ctx.error(line)
        for obj in f.objects:
            text = describe_object(ctx.state, f.rt, obj, show_events)
            ctx.out.append(text if first else "\n\n" + text)
            first = False
    if first and not any(f.errors for f in found):
        ctx.warn("No resources found" if all_ns else f"No resources found in {ctx.namespace} namespace.")


def describe_object(state, rt, obj: dict, show_events: object = True) -> str:
    """The describe text of one object, gathering what its describer needs from the state."""
    meta = obj["metadata"]
    ns, name, kind = meta.get("namespace", ""), meta["name"], rt.kind
    now = state.clock.now
    events = _events(state, kind, ns, name) if show_events else None
    store = state.store
    if kind == "Pod":
        return texts.describe_pod(obj, events, now)
    if kind == "Service":
        return texts.describe_service(obj, _slices(state, ns, name), events, now)
    if kind == "Endpoints":
        return texts.describe_endpoints(obj, events, now)
    if kind == "EndpointSlice":
        return texts.describe_endpointslice(obj, events, now)
    if kind == "Ingress":
        def lookup(service: str) -> tuple[dict | None, list[dict]]:
            return store.get("Service", ns, service), _slices(state, ns, service)

        return texts.describe_ingress(obj, lookup, events, now)
    if kind == "IngressClass":
        return texts.describe_ingressclass(obj, events, now)
    if kind == "Node":
        pods = [p for p in store.list("Pod") if (p.get("spec") or {}).get("nodeName") == name
                and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]  # fmt: skip
        return texts.describe_node(obj, pods, events, now)
    if kind == "Deployment":
        old, new = _replica_sets(state, obj)
        return texts.describe_deployment(obj, old, new, events, now)
    if kind in ("ReplicaSet", "ReplicationController"):
        return texts.describe_replicaset(obj, _pod_phases(state, obj), events, now)
    if kind == "DaemonSet":
        return texts.describe_daemonset(obj, _pod_phases(state, obj), events, now)
    if kind == "Namespace":
        return texts.describe_namespace(obj)
    if kind == "ConfigMap":
        return texts.describe_configmap(obj, events, now)
    if kind == "Secret":
        return texts.describe_secret(obj)
    return texts.describe_generic(obj, events, now)


def _events(state, kind: str, namespace: str, name: str) -> list:
    events_for = getattr(state, "events_for", None)
    return list(events_for(kind, namespace, name)) if events_for else []


def _slices(state, namespace: str, service: str) -> list[dict]:
    return [s for s in state.store.list("EndpointSlice", namespace)
            if (s["metadata"].get("labels") or {}).get("kubernetes.io/service-name") == service]  # fmt: skip


def _owned(objects: list[dict], uid: str) -> list[dict]:
    return [o for o in objects if any(r.get("controller") and r.get("uid") == uid
                                      for r in o["metadata"].get("ownerReferences") or ())]  # fmt: skip


def _pod_phases(state, owner: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    ns = owner["metadata"].get("namespace", "")
    for pod in _owned(state.store.list("Pod", ns), owner["metadata"].get("uid", "")):
        phase = (pod.get("status") or {}).get("phase", "Pending")
        counts[phase] = counts.get(phase, 0) + 1
    return counts


def _replica_sets(state, deployment: dict) -> tuple[list[dict], list[dict]]:
    """A Deployment's old and new ReplicaSets (new: the one running the current template)."""
    ns = deployment["metadata"].get("namespace", "")
    owned = _owned(state.store.list("ReplicaSet", ns), deployment["metadata"].get("uid", ""))
    template = (deployment.get("spec") or {}).get("template") or {}

    def same_template(rs: dict) -> bool:
        rs_template = (rs.get("spec") or {}).get("template") or {}
        labels = dict((rs_template.get("metadata") or {}).get("labels") or {})
        labels.pop("pod-template-hash", None)
        want = (template.get("metadata") or {}).get("labels") or {}
        return labels == want and rs_template.get("spec") == template.get("spec")

    new = [rs for rs in owned if same_template(rs)][:1]
    if not new and owned:
        new = [max(owned, key=lambda rs: (rs["metadata"].get("creationTimestamp", ""),
                                          rs["metadata"]["name"]))]  # fmt: skip
    old = [rs for rs in owned if rs not in new]
    return old, new
