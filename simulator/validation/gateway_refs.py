"""What the Gateway API schemas share: name and reference types, patterns, and the check.

Transcribed from ``apis/v1/shared_types.go`` and ``object_reference_types.go`` as the
standard channel's CRDs (v1.6.1) spell them; see `gateway` and `httproute` for the kinds.
"""

from __future__ import annotations

from simulator.validation import crd
from simulator.validation.common import Issues
from simulator.validation.crd import Rule, array, integer, obj, string, string_map

DNS_LABELS = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
GROUP = string(rf"^$|^{DNS_LABELS}$", max_length=253)
KIND = string(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", min_length=1, max_length=63)
OBJECT_NAME = string(min_length=1, max_length=253)
NAMESPACE = string(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", min_length=1, max_length=63)
SECTION_NAME = string(rf"^{DNS_LABELS}$", min_length=1, max_length=253)
HOSTNAME = string(rf"^(\*\.)?{DNS_LABELS}$", min_length=1, max_length=253)
PRECISE_HOSTNAME = string(rf"^{DNS_LABELS}$", min_length=1, max_length=253)
PORT = integer(1, 65535)
CONTROLLER_NAME = string(
    rf"^{DNS_LABELS}\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$", min_length=1, max_length=253
)
LABEL_SELECTOR = obj(
    {
        "matchExpressions": array(
            obj(
                {"key": string(), "operator": string(), "values": array(string())},
                required="key operator",
            )
        ),
        "matchLabels": string_map(string()),
    }
)
SECRET_REF = obj(
    {
        "group": string(rf"^$|^{DNS_LABELS}$", max_length=253, default=""),
        "kind": string(
            r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", min_length=1, max_length=63,
            default="Secret",
        ),
        "name": OBJECT_NAME,
        "namespace": NAMESPACE,
    },
    required="name",
)  # fmt: skip
PARAMETERS_REF = obj(
    {"group": GROUP, "kind": KIND, "name": OBJECT_NAME}, required="group kind name"
)


def unique(field_name: str):
    def check(items: list) -> bool:
        values = [item.get(field_name) for item in items]
        return len(values) == len(set(map(repr, values)))

    return check


KEYS_RULES = (
    Rule(
        "Annotation keys must be in the form of an optional DNS subdomain prefix followed by a "
        "required name segment of up to 63 characters.",
        lambda m: all(crd_key(k) for k in m),
    ),
    Rule(
        "If specified, the annotation key's prefix must be a DNS subdomain not longer than 253 "
        "characters in total.",
        lambda m: all(len(k.split("/")[0]) < 253 for k in m),
    ),
)


def crd_key(key: str) -> bool:
    """The infrastructure label/annotation key pattern of the Gateway CRD."""
    return _KEY.search(key) is not None


_KEY = string(rf"^({DNS_LABELS}/)?([A-Za-z0-9][-A-Za-z0-9_.]{{0,61}})?[A-Za-z0-9]$").regex()


def check_custom(issues: Issues, manifest: dict, schema: crd.Schema) -> dict:
    """Check a Gateway API object's ``spec`` against its CRD schema (metadata is checked apart).

    Returns:
        The spec part as the rules saw it (nulls pruned, defaults applied).
    """
    body = {"spec": manifest["spec"]} if "spec" in manifest else {}
    return crd.validate(issues, body, schema)
