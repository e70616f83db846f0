"""The conversion as a whole, and what ``ingress2gateway print`` writes.

`convert` runs the steps in ingress2gateway v1.0.0's order (`convert.aggregate`, then the
ingress-nginx features of `nginx_features`); `Conversion.yaml` is its stdout (each object
as its YAML printer writes it: keys sorted, documents separated by ``---``, the generator
annotation added) and `Conversion.report` its stderr (the notification boxes of
``pkg/i2gw/notifications/report.go``, without colour).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import nginx_features as nginx
from .convert import GENERATOR, VERSION, Notification, aggregate, ingress_class
from .model import CLASS_NAME

_BOX = "─" * 40
_LABELS = {"ERROR": "ERROR", "WARNING": "WARN ", "INFO": "INFO "}


@dataclass(slots=True)
class Conversion:
    """What one conversion produced.

    Attributes:
        ingresses: the Ingresses converted (of the chosen class), in ingress2gateway's order.
        objects: Gateways, then HTTPRoutes, each sorted by namespace and name.
        notifications: the report's entries.
    """

    ingresses: list[dict]
    objects: list[dict] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)

    def yaml(self) -> str:
        """The objects as ``ingress2gateway print`` prints them."""
        from simulator.kubectl.output import to_yaml  # go-yaml's style, as its printer uses

        return "---\n".join(to_yaml(printed(obj)) for obj in self.objects)

    def report(self) -> str:
        """The notification boxes, grouped by source in alphabetical order."""
        lines = []
        for source in sorted({n.source for n in self.notifications}):
            for note in (n for n in self.notifications if n.source == source):
                lines.append(f"┌─ {_LABELS.get(note.level, 'INFO ')} {_BOX}")
                lines.append(f"│  {note.message}")
                lines.append(f"│  source: {source.upper()}")
                if note.objects:
                    key = "object" if len(note.objects) == 1 else "objects"
                    lines.append(f"│  {key}: {', '.join(note.objects)}")
                lines.append("└─")
        return "\n".join(lines) + "\n" if lines else ""


def printed(obj: dict) -> dict:
    """An object with the generator annotation ingress2gateway adds when printing (and no
    empty namespace, which its printer leaves out)."""
    out = dict(obj)
    meta = {k: v for k, v in obj["metadata"].items() if v != ""}
    meta["annotations"] = {**(meta.get("annotations") or {}), GENERATOR: VERSION}
    out["metadata"] = meta
    return out


def convert(
    ingresses: list[dict],
    services: dict,
    *,
    ingress_class_name: str = "nginx",
    gateway_class: str = CLASS_NAME,
) -> Conversion:
    """Convert the Ingresses of one class as ingress2gateway's ingress-nginx provider does.

    Args:
        ingresses: Ingress objects (v1), any order; those of another class are skipped.
        services: Services by ``(namespace, name)`` (named ports are looked up there).
        ingress_class_name: the IngressClass to convert (``--ingress-nginx-ingress-class``).
        gateway_class: the ``gatewayClassName`` the Gateways get.
    """
    chosen = sorted(
        (i for i in ingresses if ingress_class(i) == ingress_class_name),
        key=lambda i: i["metadata"]["name"],
    )
    result = Conversion(chosen)
    if not chosen:
        return result
    gateways, drafts, notes = aggregate(chosen, services, gateway_class)
    notes[:0] = nginx.self_signed_notes(gateways) + nginx.annotation_notes(chosen)
    regex_hosts = {
        r["host"]
        for i in chosen
        if (i["metadata"].get("annotations") or {}).get(nginx.USE_REGEX) == "true"
        for r in (i.get("spec") or {}).get("rules") or ()
        if r.get("host")
    }
    for draft in drafts:
        nginx.canary(draft, notes)
    for draft in drafts:
        nginx.rewrite(draft, regex_hosts, notes)
    secured = nginx.tls_hosts(chosen)
    redirects = [r for r in (nginx.ssl_redirect(draft, secured) for draft in drafts) if r]
    for draft in drafts + redirects:
        for rule in draft.route["spec"]["rules"]:
            rule["backendRefs"] = _unique(rule.get("backendRefs") or [])
            if not rule["backendRefs"]:
                del rule["backendRefs"]
    notes.append(Notification("WARNING", nginx.URL_NORMALIZATION, "standard_emitter"))
    routes = [d.route for d in drafts + redirects]
    result.objects = sorted(gateways, key=_key) + sorted(routes, key=_key)
    result.notifications = notes
    return result


def _key(obj: dict) -> tuple[str, str]:
    return (obj["metadata"]["namespace"], obj["metadata"]["name"])


def _unique(refs: list[dict]) -> list[dict]:
    """Duplicate backendRefs (same group, kind, name and port) collapse into the first."""
    seen, out = set(), []
    for ref in refs:
        key = (ref.get("group", ""), ref.get("kind", "Service"), ref.get("name"), ref.get("port"))
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out
