"""Convert Ingresses written for removed API versions into ``networking.k8s.io/v1``.

Older books use ``extensions/v1beta1`` (and ``networking.k8s.io/v1beta1``) Ingresses; real
clusters stopped serving both in v1.22. Kubeplay accepts them, converts them the way the
API server's conversion did, and prints kubectl's deprecation warning:

* ``spec.backend`` -> ``spec.defaultBackend``
* ``serviceName`` / ``servicePort`` -> ``service.name`` and ``service.port.number`` (an int)
  or ``service.port.name`` (a string)
* a path without ``pathType`` -> ``ImplementationSpecific`` (the v1beta1 default);
  a path without ``path`` -> ``/`` (what ingress-nginx served for it)
"""

from __future__ import annotations

WARNINGS = {
    "extensions/v1beta1": (
        "Warning: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; "
        "use networking.k8s.io/v1 Ingress"
    ),
    "networking.k8s.io/v1beta1": (
        "Warning: networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in "
        "v1.22+; use networking.k8s.io/v1 Ingress"
    ),
}


def convert_legacy_ingress(obj: dict) -> tuple[dict, str]:
    """Convert a v1beta1 Ingress into a new ``networking.k8s.io/v1`` object.

    The input is not modified. Fields of unexpected types are carried over unchanged so
    validation can report them.

    Args:
        obj: an Ingress with apiVersion ``extensions/v1beta1`` or
            ``networking.k8s.io/v1beta1``.

    Returns:
        (the v1 object, kubectl's ``Warning: ...`` line for the old version).
    """
    version = obj.get("apiVersion")
    converted = {key: value for key, value in obj.items() if key != "spec"}
    converted["apiVersion"] = "networking.k8s.io/v1"
    spec = obj.get("spec")
    if isinstance(spec, dict):
        new_spec = {}
        for key, value in spec.items():
            if key == "backend":
                new_spec["defaultBackend"] = _backend(value)
            elif key == "rules":
                new_spec["rules"] = _rules(value)
            else:
                new_spec[key] = value
        converted["spec"] = new_spec
    elif "spec" in obj:
        converted["spec"] = spec
    warning = WARNINGS.get(str(version), WARNINGS["extensions/v1beta1"])
    return converted, warning


def _rules(rules: object) -> object:
    if not isinstance(rules, list):
        return rules
    converted = []
    for rule in rules:
        if not isinstance(rule, dict) or not isinstance(rule.get("http"), dict):
            converted.append(rule)
            continue
        http = dict(rule["http"])
        paths = http.get("paths")
        if isinstance(paths, list):
            http["paths"] = [_path(entry) for entry in paths]
        converted.append({**rule, "http": http})
    return converted


def _path(entry: object) -> object:
    if not isinstance(entry, dict):
        return entry
    path = {key: value for key, value in entry.items() if key != "backend"}
    path.setdefault("path", "/")
    if path["path"] in (None, ""):
        path["path"] = "/"
    if not path.get("pathType"):
        path["pathType"] = "ImplementationSpecific"
    if "backend" in entry:
        path["backend"] = _backend(entry["backend"])
    return path


def _backend(backend: object) -> object:
    if not isinstance(backend, dict):
        return backend
    converted = {
        key: value for key, value in backend.items() if key not in ("serviceName", "servicePort")
    }
    if "serviceName" in backend or "servicePort" in backend:
        port = backend.get("servicePort")
        service: dict = {"name": backend.get("serviceName") or ""}
        if isinstance(port, str):
            service["port"] = {"name": port}
        elif port is not None:
            service["port"] = {"number": port}
        converted["service"] = service
    return converted
