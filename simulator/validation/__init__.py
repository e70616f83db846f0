"""Static validation of decoded manifests, worded as the API server and kubectl word it.

`validate_documents` checks every document of one input and reports every problem at
once, each with its line and column. It needs no cluster state: what it knows beyond a
single object is the rest of the same input (the same object twice, one nodePort asked for
twice). Cluster-wide conflicts (a nodePort or clusterIP already in use) are the
allocator's job. Objects are compared by the namespace they spell out: one without
``metadata.namespace`` and one with ``namespace: default`` are not reported as the same.

Validation reads fields as Kubernetes would after defaulting (``type`` ClusterIP,
``protocol`` TCP...), because here it runs before `simulator.defaults.apply_defaults`.

Kinds and their rules live in `names`, `metadata`, `services`, `workloads`, `ingress`,
`network_policy` and `others`; `fields` knows field names for strict decoding. The Gateway
API kinds are CRDs: `gateway` and `httproute` transcribe their schemas and CEL rules, which
`crd` checks as the API server does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from simulator import api_versions, kinds
from simulator.legacy import convert_legacy_ingress
from simulator.manifests import DEFAULT_LIMITS, Document, Limits, ParsedManifests, parse_manifests
from simulator.problems import WARNING, ManifestError, Problem
from simulator.validation import (
    gateway,
    httproute,
    ingress,
    names,
    network_policy,
    others,
    services,
    workloads,
)
from simulator.validation.common import Issues
from simulator.validation.fields import LEGACY_INGRESS, TOP_LEVEL, unknown_fields
from simulator.validation.metadata import check_object_meta

__all__ = ["load_manifests", "validate_documents"]

_NAME_RULES: dict[str, Callable[[str, bool], tuple[str, ...]]] = {
    "Service": names.name_is_dns1035_label,
    "Namespace": names.name_is_dns_label,
}
_CHECKS: dict[str, Callable[[Issues, dict], object]] = {
    "Namespace": others.check_namespace,
    "Node": others.check_node,
    "Pod": workloads.check_pod,
    "ReplicationController": workloads.check_replication_controller,
    "ReplicaSet": lambda issues, obj: workloads.check_apps_workload(issues, obj, "ReplicaSet"),
    "Deployment": lambda issues, obj: workloads.check_apps_workload(issues, obj, "Deployment"),
    "DaemonSet": lambda issues, obj: workloads.check_apps_workload(issues, obj, "DaemonSet"),
    "StatefulSet": lambda issues, obj: workloads.check_apps_workload(issues, obj, "StatefulSet"),
    "Endpoints": others.check_endpoints,
    "Ingress": ingress.check_ingress,
    "IngressClass": ingress.check_ingress_class,
    "NetworkPolicy": network_policy.check_network_policy,
    "Secret": others.check_secret,
    "ConfigMap": others.check_config_map,
    "GatewayClass": gateway.check_gateway_class,
    "Gateway": gateway.check_gateway,
    "HTTPRoute": httproute.check_http_route,
    "ReferenceGrant": gateway.check_reference_grant,
}
_NOT_CREATABLE = {
    "EndpointSlice": (
        "EndpointSlices are written by the simulated endpoint-slice controller. For "
        "hand-made endpoints, create a Service without a selector and an Endpoints object "
        "with the same name"
    ),
    "Event": "Events are recorded by the cluster itself",
    "ControllerRevision": (
        "ControllerRevisions are written by the DaemonSet and StatefulSet controllers, one "
        "for each template they have had; `kubectl rollout undo` brings an older one back"
    ),
}
# Paths of converted legacy Ingresses, mapped back to what the learner wrote.
_LEGACY_PATHS = (
    (re.compile(r"^spec\.defaultBackend"), "spec.backend"),
    (re.compile(r"\.backend\.service\.name$"), ".backend.serviceName"),
    (re.compile(r"\.backend\.service\.port(\.(name|number))?$"), ".backend.servicePort"),
)


def validate_documents(
    parsed: ParsedManifests,
) -> tuple[list[Document], list[Problem], list[Problem]]:
    """Validate every document of one input.

    Args:
        parsed: the output of `parse_manifests`.

    Returns:
        ``(documents, warnings, problems)``: the documents whose kind is known, converted to
        current apiVersions (legacy Ingresses become ``networking.k8s.io/v1``) and ready for
        `simulator.defaults.apply_defaults`; the API server's warnings, one `Problem` of
        severity ``warning`` per document at its ``apiVersion`` (kubectl prints each text
        once: `simulator.problems.warning_lines`); every problem, with line and column
        filled in. Callers must refuse the whole input when ``problems`` is not empty.
    """
    documents: list[Document] = []
    warnings: list[Problem] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], tuple[int, int | None]] = {}
    node_ports: dict[int, tuple[int, int | None]] = {}
    for doc in parsed.documents:
        obj = doc.obj
        kind = obj.get("kind")
        api_version = obj.get("apiVersion")
        meta = obj.get("metadata")
        name = meta.get("name") if type(meta) is dict else None
        name = name if type(name) is str else ""
        namespace = meta.get("namespace") if type(meta) is dict else None
        namespace = namespace if type(namespace) is str else ""

        if type(kind) is not str or not kind:
            problems.append(_whole(parsed, doc, _missing(parsed, obj, "Kind")))
            continue
        if type(api_version) is not str or not api_version:
            problems.append(_whole(parsed, doc, _missing(parsed, obj, "apiVersion"), kind, name))
            continue
        resource = kinds.resolve_manifest_type(api_version, kind)
        if resource is None:
            message = (
                f'error: resource mapping not found for name: "{name}" namespace: '
                f'"{namespace}" from "{parsed.source}": no matches for kind "{kind}" in '
                f'version "{api_version}"\nensure CRDs are installed first'
            )
            line, column = parsed.locate(doc.index, "apiVersion", doc.item)
            hint = api_versions.unknown_type_hint(api_version, kind)
            problems.append(Problem(doc.index, "", message, kind, name, line, column, hint=hint))
            continue
        if not resource.creatable:
            message = f"error: Kubeplay does not accept {kind} manifests: {_NOT_CREATABLE[kind]}"
            problems.append(_whole(parsed, doc, message, kind, name))
            continue

        issues = Issues()
        legacy = resource.kind == "Ingress" and api_version != resource.api_version
        version = api_version.rpartition("/")[2]
        unknown_fields(obj, LEGACY_INGRESS if legacy else TOP_LEVEL[kind], "", issues.unknown)
        if legacy:
            obj, warning = convert_legacy_ingress(obj)
            hint = api_versions.converted_hint(api_version, kind)
            warnings.append(_warning(parsed, doc, warning.removeprefix("Warning: "), hint))
            doc = Document(doc.index, obj, doc.line, doc.item)
        elif api_version != resource.api_version:
            # Another served version of the same schema (Gateway API v1beta1): stored and
            # printed as the preferred version.
            obj["apiVersion"] = resource.api_version
        deprecated = api_versions.deprecation(api_version, kind)
        if deprecated is not None:
            warnings.append(_warning(parsed, doc, *deprecated))

        check_object_meta(issues, obj, kind, _NAME_RULES.get(kind, names.name_is_dns_subdomain))
        token = (doc.index, doc.item)
        if kind == "Service":
            # One Service may use a nodePort for both TCP and UDP; another Service may not.
            for index, node_port, _protocol in services.check_service(issues, obj):
                if node_ports.setdefault(node_port, token) != token:
                    issues.invalid(
                        f"spec.ports[{index}].nodePort",
                        node_port,
                        "provided port is already allocated",
                    )
        else:
            _CHECKS[kind](issues, obj)

        if name:
            key = (resource.kind, namespace if resource.namespaced else "", name)
            first = seen.setdefault(key, token)
            if first != token:
                where = f"document {first[0] + 1} of this input"
                message = f"{resource.qualified}/{name} is already defined in {where}"
                issues.add("metadata.name", f'Duplicate value: "{name}": {message}')

        problems.extend(_problems(parsed, doc, kind, name, version, issues, legacy))
        documents.append(doc)
    return documents, warnings, problems


def _warning(parsed: ParsedManifests, doc: Document, message: str, hint: str) -> Problem:
    meta = doc.obj.get("metadata")
    name = meta.get("name") if type(meta) is dict else None
    line, column = parsed.locate(doc.index, "apiVersion", doc.item)
    return Problem(
        doc.index,
        "apiVersion",
        message,
        str(doc.obj.get("kind")),
        name if type(name) is str else "",
        line,
        column,
        severity=WARNING,
        hint=hint,
    )


def _missing(parsed: ParsedManifests, obj: dict, what: str) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if len(text) > 160:
        text = text[:157] + "..."
    return f"error: unable to decode \"{parsed.source}\": Object '{what}' is missing in '{text}'"


def _whole(
    parsed: ParsedManifests, doc: Document, message: str, kind: str = "", name: str = ""
) -> Problem:
    line, column = parsed.locate(doc.index, "", doc.item)
    return Problem(doc.index, "", message, kind, name, line or doc.line, column)


def _legacy_path(path: str) -> str:
    for pattern, replacement in _LEGACY_PATHS:
        path = pattern.sub(replacement, path)
    return path


def _problems(
    parsed: ParsedManifests,
    doc: Document,
    kind: str,
    name: str,
    version: str,
    issues: Issues,
    legacy: bool,
) -> list[Problem]:
    if not (issues.items or issues.decode or issues.unknown):
        return []

    def locate(path: str) -> tuple[int | None, int | None]:
        return parsed.locate(doc.index, _legacy_path(path) if legacy else path, doc.item)

    problems = []
    prefix = (
        f'Error from server (BadRequest): error when creating "{parsed.source}": '
        f'{kind} in version "{version}" cannot be handled as a {kind}: '
    )
    if issues.decode is not None:
        detail, path = issues.decode
        problems.append(Problem(doc.index, "", prefix + detail, kind, name, *locate(path)))
    if issues.unknown:
        listed = ", ".join(f'unknown field "{path}"' for path in issues.unknown)
        problems.append(
            Problem(
                doc.index,
                "",
                f"{prefix}strict decoding error: {listed}",
                kind,
                name,
                *locate(issues.unknown[0]),
            )
        )
    for field, message, where in issues.items:
        problems.append(Problem(doc.index, field, message, kind, name, *locate(where or field)))
    return problems


def load_manifests(
    text: str, *, source: str = "STDIN", limits: Limits = DEFAULT_LIMITS, defaults: bool = True
) -> tuple[list[Document], list[Problem]]:
    """Parse, validate and (by default) default an input in one call.

    Returns:
        ``(documents, warnings)``.

    Raises:
        ManifestError: with every problem (and the warnings gathered so far).
    """
    parsed = parse_manifests(text, source=source, limits=limits)
    documents, warnings, problems = validate_documents(parsed)
    if problems:
        raise ManifestError(problems, warnings)
    if defaults:
        from simulator.defaults import apply_defaults

        for document in documents:
            apply_defaults(document.obj)
    return documents, warnings
