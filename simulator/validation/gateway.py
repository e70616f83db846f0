"""Gateway API (standard channel v1.6) validation: GatewayClass, Gateway, ReferenceGrant.

The schemas below transcribe the CRDs' OpenAPI schemas (``config/crd/standard`` in
kubernetes-sigs/gateway-api v1.6.1): field names, types, patterns, bounds, enums, defaults,
list types and every ``x-kubernetes-validations`` rule with its message. `crd.validate`
checks an object against them in the API server's order and wording. HTTPRoute's schema is
in `httproute`; the references and patterns they share are in `gateway_refs`.
"""

from __future__ import annotations

from simulator.validation.common import Issues
from simulator.validation.crd import MissingKey, Rule, array, obj, string, string_map
from simulator.validation.gateway_refs import (
    CONTROLLER_NAME,
    DNS_LABELS,
    GROUP,
    HOSTNAME,
    KEYS_RULES,
    KIND,
    LABEL_SELECTOR,
    NAMESPACE,
    OBJECT_NAME,
    PARAMETERS_REF,
    PORT,
    SECRET_REF,
    SECTION_NAME,
    check_custom,
    unique,
)

# -- GatewayClass --------------------------------------------------------------------------

GATEWAY_CLASS = obj(
    {
        "spec": obj(
            {
                "controllerName": CONTROLLER_NAME,
                "description": string(max_length=64),
                "parametersRef": obj(
                    {
                        "group": GROUP,
                        "kind": KIND,
                        "name": OBJECT_NAME,
                        "namespace": NAMESPACE,
                    },
                    required="group kind name",
                ),
            },
            required="controllerName",
        )
    },
    required="spec",
)

# -- Gateway -------------------------------------------------------------------------------

_PROTOCOL = string(
    rf"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|{DNS_LABELS}\/[A-Za-z0-9]+$",
    min_length=1,
    max_length=255,
)


def _no_tls(listener: dict) -> bool:
    return listener.get("protocol") not in ("HTTP", "TCP", "UDP") or "tls" not in listener


def _https_terminates(listener: dict) -> bool:
    if listener.get("protocol") != "HTTPS" or "tls" not in listener:
        return True
    return (listener["tls"].get("mode") or "") in ("", "Terminate")


def _tls_has_mode(listener: dict) -> bool:
    if listener.get("protocol") != "TLS":
        return True
    return "tls" in listener and bool(listener["tls"].get("mode"))


def _no_hostname(listener: dict) -> bool:
    return listener.get("protocol") not in ("TCP", "UDP") or not listener.get("hostname")


def _unique_combination(listeners: list) -> bool:
    seen = set()
    for listener in listeners:
        key = (listener.get("port"), listener.get("protocol"), listener.get("hostname"))
        if key in seen:
            return False
        seen.add(key)
    return True


def _terminate_has_certificates(tls: dict) -> bool:
    if tls.get("mode") != "Terminate":
        return True
    # CEL's `||` is true when either side is; an absent field on a side it needs errs.
    refs = len(tls["certificateRefs"]) if "certificateRefs" in tls else None
    if refs:
        return True
    options = len(tls["options"]) if "options" in tls else None
    if options:
        return True
    if refs is None:
        raise MissingKey("certificateRefs")
    if options is None:
        raise MissingKey("options")
    return False


LISTENER = obj(
    {
        "allowedRoutes": obj(
            {
                "kinds": array(
                    obj(
                        {
                            "group": string(
                                rf"^$|^{DNS_LABELS}$", max_length=253,
                                default="gateway.networking.k8s.io",
                            ),
                            "kind": KIND,
                        },
                        required="kind",
                    ),
                    max_items=8,
                ),
                "namespaces": obj(
                    {
                        "from": string(enum=("All", "Selector", "Same"), default="Same"),
                        "selector": LABEL_SELECTOR,
                    },
                    default={"from": "Same"},
                ),
            },
            default={"namespaces": {"from": "Same"}},
        ),
        "hostname": HOSTNAME,
        "name": SECTION_NAME,
        "port": PORT,
        "protocol": _PROTOCOL,
        "tls": obj(
            {
                "certificateRefs": array(SECRET_REF, max_items=64),
                "mode": string(enum=("Terminate", "Passthrough"), default="Terminate"),
                "options": string_map(string(min_length=0, max_length=4096)),
            },
            rules=(
                Rule(
                    "certificateRefs or options must be specified when mode is Terminate",
                    _terminate_has_certificates,
                ),
            ),
        ),
    },
    required="name port protocol",
)  # fmt: skip


def _unique_addresses(kind: str):
    def check(addresses: list) -> bool:
        values = [a.get("value") for a in addresses if a.get("type") == kind and "value" in a]
        return len(values) == len(set(values))

    return check


_ADDRESS_HOSTNAME = HOSTNAME.regex()
_VALIDATION = obj(
    {
        "caCertificateRefs": array(
            obj(
                {"group": GROUP, "kind": KIND, "name": OBJECT_NAME, "namespace": NAMESPACE},
                required="group kind name",
            ),
            min_items=1,
            max_items=16,
        ),
        "mode": string(enum=("AllowValidOnly", "AllowInsecureFallback"), default="AllowValidOnly"),
    },
    required="caCertificateRefs",
)

GATEWAY = obj(
    {
        "spec": obj(
            {
                "addresses": array(
                    obj(
                        {
                            "type": string(
                                r"^Hostname|IPAddress|NamedAddress|"
                                rf"{DNS_LABELS}\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$",
                                min_length=1, max_length=253, default="IPAddress",
                            ),
                            "value": string(max_length=253),
                        },
                        rules=(
                            Rule(
                                "Hostname value must be empty or contain only valid characters "
                                r"(matching ^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]"
                                r"([-a-z0-9]*[a-z0-9])?)*$)",
                                lambda a: a.get("type") != "Hostname"
                                or "value" not in a
                                or _ADDRESS_HOSTNAME.search(a["value"]) is not None,
                            ),
                        ),
                    ),
                    max_items=16,
                    rules=(
                        Rule("IPAddress values must be unique", _unique_addresses("IPAddress")),
                        Rule("Hostname values must be unique", _unique_addresses("Hostname")),
                    ),
                ),
                "allowedListeners": obj(
                    {
                        "namespaces": obj(
                            {
                                "from": string(
                                    enum=("All", "Selector", "Same", "None"), default="None"
                                ),
                                "selector": LABEL_SELECTOR,
                            },
                            default={"from": "None"},
                        )
                    }
                ),
                "gatewayClassName": string(min_length=1, max_length=253),
                "infrastructure": obj(
                    {
                        "annotations": string_map(
                            string(min_length=0, max_length=4096), rules=KEYS_RULES
                        ),
                        "labels": string_map(
                            string(
                                r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$",
                                min_length=0, max_length=63,
                            ),
                            rules=tuple(
                                Rule(r.message.replace("Annotation", "Label").replace(
                                    "annotation", "label"), r.check)
                                for r in KEYS_RULES
                            ),
                        ),
                        "parametersRef": PARAMETERS_REF,
                    }
                ),
                "listeners": array(
                    LISTENER,
                    min_items=1,
                    max_items=64,
                    map_keys="name",
                    rules=(
                        Rule(
                            "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
                            lambda ls: all(_no_tls(item) for item in ls),
                        ),
                        Rule(
                            "tls mode must be Terminate for protocol HTTPS",
                            lambda ls: all(_https_terminates(item) for item in ls),
                        ),
                        Rule(
                            "tls mode must be set for protocol TLS",
                            lambda ls: all(_tls_has_mode(item) for item in ls),
                        ),
                        Rule(
                            "hostname must not be specified for protocols ['TCP', 'UDP']",
                            lambda ls: all(_no_hostname(item) for item in ls),
                        ),
                        Rule("Listener name must be unique within the Gateway", unique("name")),
                        Rule(
                            "Combination of port, protocol and hostname must be unique for each "
                            "listener",
                            _unique_combination,
                        ),
                    ),
                ),
                "tls": obj(
                    {
                        "backend": obj({"clientCertificateRef": SECRET_REF}),
                        "frontend": obj(
                            {
                                "default": obj({"validation": _VALIDATION}),
                                "perPort": array(
                                    obj(
                                        {"port": PORT, "tls": obj({"validation": _VALIDATION})},
                                        required="port tls",
                                    ),
                                    max_items=64,
                                    map_keys="port",
                                    rules=(
                                        Rule(
                                            "Port for TLS configuration must be unique within "
                                            "the Gateway",
                                            unique("port"),
                                        ),
                                    ),
                                ),
                            },
                            required="default",
                        ),
                    }
                ),
            },
            required="gatewayClassName listeners",
        )
    },
    required="spec",
)  # fmt: skip

# -- ReferenceGrant ----------------------------------------------------------------------

REFERENCE_GRANT = obj(
    {
        "spec": obj(
            {
                "from": array(
                    obj({"group": GROUP, "kind": KIND, "namespace": NAMESPACE},
                        required="group kind namespace"),
                    min_items=1, max_items=16,
                ),
                "to": array(
                    obj({"group": GROUP, "kind": KIND, "name": OBJECT_NAME},
                        required="group kind"),
                    min_items=1, max_items=16,
                ),
            },
            required="from to",
        )
    },
    required="spec",
)  # fmt: skip


def check_gateway_class(issues: Issues, manifest: dict) -> None:
    """GatewayClass (``gateway.networking.k8s.io/v1``)."""
    check_custom(issues, manifest, GATEWAY_CLASS)


def check_gateway(issues: Issues, manifest: dict) -> None:
    """Gateway (``gateway.networking.k8s.io/v1``)."""
    check_custom(issues, manifest, GATEWAY)


def check_reference_grant(issues: Issues, manifest: dict) -> None:
    """ReferenceGrant (``gateway.networking.k8s.io/v1`` and ``v1beta1``)."""
    check_custom(issues, manifest, REFERENCE_GRANT)
