"""Gateways and their listeners, validated as NGINX Gateway Fabric validates them.

Source: NGF v2.6 ``internal/controller/state/graph`` (``gateway.go``,
``gateway_listener.go``) and ``conditions/conditions.go`` for the wording:

* a Gateway whose class ``nginx`` is gone: ``Accepted``/``Programmed`` False, reason
  ``Invalid``, "The GatewayClass doesn't exist";
* listener protocols HTTP and HTTPS carry HTTPRoutes; TLS (passthrough), TCP and UDP are
  accepted but take other route kinds, which Kubeplay does not simulate; anything else is
  ``UnsupportedProtocol``;
* an HTTPS listener needs certificateRefs to ``kubernetes.io/tls`` Secrets in its own
  namespace (or permitted by a ReferenceGrant); when none resolves the listener is not
  accepted (``InvalidCertificateRef`` or ``RefNotPermitted``), otherwise only
  ``ResolvedRefs`` turns False;
* listeners on one port must agree on a protocol family (``ProtocolConflict``).
"""

from __future__ import annotations

from collections.abc import Callable

from .model import CLASS_NAME, GROUP, HTTP_ROUTE_KINDS, PROTOCOLS, Condition, Gateway, Listener

_VALID_KINDS = {
    "HTTP": HTTP_ROUTE_KINDS,
    "HTTPS": HTTP_ROUTE_KINDS,
    "TCP": ({"group": GROUP, "kind": "TCPRoute"},),
    "UDP": ({"group": GROUP, "kind": "UDPRoute"},),
}
_FAMILY = {"HTTP": 1, "HTTPS": 0, "TLS": 0, "TCP": 2, "UDP": 2}


def _invalid(msg: str) -> Condition:
    return Condition("Programmed", "False", "Invalid", msg)


def _unsupported_value(msg: str) -> list[Condition]:
    return [Condition("Accepted", "False", "UnsupportedValue", msg), _invalid(msg)]


def _bad_certificate(msg: str, reason: str = "InvalidCertificateRef") -> list[Condition]:
    return [
        Condition("Accepted", "False", reason, msg),
        Condition("ResolvedRefs", "False", reason, msg),
        _invalid(msg),
    ]


def _conflict(reason: str, msg: str) -> list[Condition]:
    return [
        Condition("Accepted", "False", reason, msg),
        Condition("Conflicted", "True", reason, msg),
        Condition("Programmed", "False", reason, msg),
    ]


def _supported_kinds(spec: dict, listener: Listener) -> None:
    """Fill ``supported_kinds``; an allowed kind the protocol cannot carry is an error."""
    valid = _VALID_KINDS.get(listener.protocol, ())
    if listener.protocol == "TLS" and (spec.get("tls") or {}).get("mode") == "Passthrough":
        valid = ({"group": GROUP, "kind": "TLSRoute"},)
    kinds = (spec.get("allowedRoutes") or {}).get("kinds")
    if kinds is None:
        listener.supported_kinds = [dict(k) for k in valid]
        return
    seen = set()
    for kind in kinds:
        group = kind.get("group", GROUP)
        if group != GROUP or all(k["kind"] != kind.get("kind") for k in valid):
            msg = (
                f"Unsupported route kind for protocol {listener.protocol} "
                f'"{group}/{kind.get("kind")}"'
            )
            listener.conditions += [Condition("ResolvedRefs", "False", "InvalidRouteKinds", msg),
                                    _invalid(msg)]  # fmt: skip
            listener.valid = False
            continue
        if (group, kind["kind"]) not in seen:
            seen.add((group, kind["kind"]))
            listener.supported_kinds.append({"group": group, "kind": kind["kind"]})


def _validate(spec: dict, listener: Listener) -> None:
    protocol = listener.protocol
    if protocol not in PROTOCOLS:
        listed = ", ".join(f'"{p}"' for p in PROTOCOLS)
        msg = f'protocol: Unsupported value: "{protocol}": supported values: {listed}'
        listener.conditions += [Condition("Accepted", "False", "UnsupportedProtocol", msg),
                                _invalid(msg)]  # fmt: skip
        listener.valid = listener.attachable = False
        return
    _supported_kinds(spec, listener)
    namespaces = (spec.get("allowedRoutes") or {}).get("namespaces") or {}
    listener.allowed_from = namespaces.get("from", "Same")
    listener.selector = namespaces.get("selector")
    if listener.allowed_from == "Selector" and listener.selector is None:
        msg = "Listener's AllowedRoutes Selector must be set when From is set to type Selector"
        listener.conditions += _unsupported_value(msg)
        listener.valid = listener.attachable = False
    tls = spec.get("tls")
    if protocol == "HTTPS":
        if tls is None:
            listener.conditions += _unsupported_value(
                "TLS: Required value: tls must be defined for HTTPS listener"
            )
            listener.valid = False
        elif not tls.get("certificateRefs"):
            listener.conditions += _bad_certificate(
                "tls.certificateRefs: Required value: certificateRefs must be defined for TLS "
                "mode terminate"
            )
            listener.valid = False
        else:
            for index, ref in enumerate(tls["certificateRefs"]):
                path = f"tls.certificateRefs[{index}]"
                if ref.get("kind", "Secret") != "Secret":
                    listener.conditions += _bad_certificate(
                        f'{path}.kind: Unsupported value: "{ref["kind"]}": supported values: '
                        f'"Secret"'
                    )
                    listener.valid = False
                if ref.get("group", ""):
                    listener.conditions += _bad_certificate(
                        f'{path}.group: Unsupported value: "{ref["group"]}": supported values: ""'
                    )
                    listener.valid = False
    elif protocol == "TLS" and (tls or {}).get("mode") != "Passthrough":
        listener.conditions += _unsupported_value(
            "TLS.Mode: Required value: Mode must be passthrough for TLS listener"
        )
        listener.valid = listener.attachable = False


def _port_conflicts(listeners: list[Listener]) -> None:
    """NGF's port conflict resolver: one protocol family per port."""
    by_port: dict[int, list[Listener]] = {}
    for listener in listeners:
        if listener.protocol in _FAMILY:
            by_port.setdefault(listener.port, []).append(listener)
    for port, group in by_port.items():
        families = {_FAMILY[item.protocol] for item in group}
        if len(families) > 1:
            msg = (
                f"Multiple listeners for the same port {port} specify incompatible protocols; "
                "ensure only one protocol per port"
            )
            for item in group:
                item.conditions += _conflict("ProtocolConflict", msg)
                item.valid = False
            continue
        l4 = [item for item in group if item.protocol in ("TCP", "UDP")]
        for protocol in ("TCP", "UDP"):
            same = [item for item in l4 if item.protocol == protocol]
            if len(same) > 1:
                msg = f"Multiple {protocol} listeners cannot share the same port {port}"
                for item in same:
                    item.conditions += _conflict("ProtocolConflict", msg)
                    item.valid = False


def _certificates(
    gateway_ns: str,
    spec: dict,
    listener: Listener,
    lookup: Callable[[str, str, str], dict | None],
    permitted: Callable[..., bool],
    certificate_problem: Callable[[dict], str | None],
) -> None:
    """Resolve an HTTPS listener's Secrets (only when it is otherwise valid)."""
    errors: list[tuple[str, bool]] = []
    for index, ref in enumerate((spec.get("tls") or {}).get("certificateRefs") or ()):
        namespace = ref.get("namespace") or gateway_ns
        name = ref.get("name", "")
        if namespace != gateway_ns and not permitted(
            "Gateway", gateway_ns, "Secret", namespace, name
        ):
            errors.append(
                (f"Certificate ref to secret {namespace}/{name} not permitted by any "
                 f"ReferenceGrant", True)
            )  # fmt: skip
            continue
        secret = lookup("Secret", namespace, name)
        problem: str | None
        if secret is None:
            problem = f"Secret {namespace}/{name} does not exist"
        else:
            problem = certificate_problem(secret)
        if problem is not None:
            errors.append(
                (f'tls.certificateRefs[{index}]: Invalid value: "{namespace}/{name}": {problem}',
                 False)
            )  # fmt: skip
            continue
        listener.certificates.append((namespace, name))
    if not errors:
        return
    reason = "InvalidCertificateRef" if any(not grant for _, grant in errors) else "RefNotPermitted"
    msg = "; ".join(text for text, _ in errors)
    if listener.certificates:
        listener.conditions.append(Condition("ResolvedRefs", "False", reason, msg))
    else:
        listener.conditions += _bad_certificate(msg, reason)
        listener.valid = False


def build_gateway(
    obj: dict,
    class_exists: bool,
    address: str | None,
    lookup: Callable[[str, str, str], dict | None],
    permitted: Callable[..., bool],
    certificate_problem: Callable[[dict], str | None],
) -> Gateway:
    """Validate one Gateway of class ``nginx`` and its listeners.

    Args:
        obj: the stored Gateway (defaulted).
        class_exists: the GatewayClass ``nginx`` exists and is NGF's.
        address: its data plane's load-balancer address, or None while pending.
        lookup: ``(kind, namespace, name) -> object or None``.
        permitted: the ReferenceGrant check, ``(from_kind, from_ns, to_kind, to_ns, to_name)``.
        certificate_problem: why a Secret cannot serve TLS, or None when it can.
    """
    meta, spec = obj["metadata"], obj.get("spec") or {}
    gateway = Gateway(meta.get("namespace", ""), meta["name"], obj, address=address)
    if not class_exists:
        msg = "The GatewayClass doesn't exist"
        gateway.conditions += [Condition("Accepted", "False", "Invalid", msg),
                               Condition("Programmed", "False", "Invalid", msg)]  # fmt: skip
        gateway.valid = False
    for item in spec.get("addresses") or ():
        if item.get("type", "IPAddress") != "IPAddress":
            gateway.conditions.append(
                Condition(
                    "Accepted", "False", "UnsupportedAddress",
                    "Only AddressType IPAddress is supported",
                )
            )  # fmt: skip
            gateway.valid = False
    for item in spec.get("listeners") or ():
        listener = Listener(
            item.get("name", ""), item.get("port", 0), item.get("protocol", ""),
            item.get("hostname") or "",
        )  # fmt: skip
        _validate(item, listener)
        gateway.listeners.append(listener)
    _port_conflicts([item for item in gateway.listeners if item.attachable])
    for item, listener in zip(spec.get("listeners") or (), gateway.listeners, strict=False):
        if listener.valid and listener.protocol == "HTTPS":
            _certificates(gateway.namespace, item, listener, lookup, permitted, certificate_problem)
    return gateway


def gateway_class_conditions(obj: dict) -> list[Condition]:
    """Non-default conditions of a GatewayClass with NGF's controllerName.

    NGF serves only the class named by its ``--gatewayclass`` flag (``nginx``); another
    class with its controllerName is ignored and told so.
    """
    if obj["metadata"]["name"] != CLASS_NAME:
        return [
            Condition(
                "Accepted", "False", "GatewayClassConflict",
                "The resource is ignored due to a conflicting GatewayClass resource",
            )
        ]  # fmt: skip
    return []
