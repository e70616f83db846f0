"""The Gateway API controller's view of the cluster: the resolved graph, kept per revision.

NGINX Gateway Fabric resolves its graph from the objects it watches; here the graph is a
pure function of the store (`gatewayapi.build_graph`), rebuilt only when the store's
revision moved (every write and delete moves it), and shared by the status writer, the
router, the snapshot and the inspector. The inputs NGF gets from elsewhere come from here:

* each managed Gateway's address: the load-balancer address of its data-plane Service
  (`gatewayapi.provisioner`), read from that Service's status;
* whether a Secret can serve TLS: a ``kubernetes.io/tls`` Secret whose ``tls.crt`` and
  ``tls.key`` hold PEM data (NGF's resolver refuses other types with
  ``unsupported secret type "Opaque"`` and unreadable data with Go's ``tls`` errors).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from . import der
from .gatewayapi import Graph, build_graph
from .gatewayapi.provisioner import GATEWAY_LABEL, data_plane_name

_PEM_ERRORS = {
    "tls.crt": "tls: failed to find any PEM data in certificate input",
    "tls.key": "tls: failed to find any PEM data in key input",
}
_LABELS = {"tls.crt": ("CERTIFICATE",), "tls.key": ("PRIVATE KEY", "RSA PRIVATE KEY",
                                                   "EC PRIVATE KEY")}  # fmt: skip


def certificate_problem(secret: dict) -> str | None:
    """Why a Secret cannot serve a listener's TLS, or None when it can."""
    kind = secret.get("type", "Opaque")
    if kind != "kubernetes.io/tls":
        return f'unsupported secret type "{kind}"'
    data = secret.get("data") or {}
    for key in ("tls.crt", "tls.key"):
        try:
            text = base64.b64decode(data.get(key) or "", validate=True).decode("ascii", "replace")
        except (binascii.Error, ValueError):
            return _PEM_ERRORS[key]
        if der.unpem(text, _LABELS[key]) is None:
            return _PEM_ERRORS[key]
    return None


def gateway_addresses(store) -> dict[tuple[str, str], str]:
    """Each Gateway's address: the load-balancer IP of its ``<gateway>-nginx`` Service."""
    out = {}
    for gateway in store.list("Gateway"):
        meta = gateway["metadata"]
        namespace = meta.get("namespace", "")
        service = store.get("Service", namespace, data_plane_name(meta["name"]))
        if (
            service is None
            or (service["metadata"].get("labels") or {}).get(GATEWAY_LABEL) != meta["name"]
        ):
            continue
        ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()
        if ingress and ingress[0].get("ip"):
            out[(namespace, meta["name"])] = ingress[0]["ip"]
    return out


#: The kinds the graph reads: it is rebuilt only when one of them was written.
INPUT_KINDS = ("GatewayClass", "Gateway", "HTTPRoute", "ReferenceGrant", "Service", "Secret",
               "Namespace")  # fmt: skip


def inputs_version(store) -> tuple[int, ...]:
    """A stamp that moves whenever an object the graph reads is written or removed (pods,
    which change all the time, are not among them)."""
    revisions = store.kind_revisions
    return tuple(revisions[kind] for kind in INPUT_KINDS)


def gateway_graph(state: Any) -> Graph:
    """The graph of the cluster's Gateway API objects, rebuilt when one of its inputs changed."""
    store = state.store
    version = inputs_version(store)
    cached = getattr(state, "_gateway_graph", None)
    if cached is not None and cached[0] == version:
        return cached[1]
    graph = build_graph(store, gateway_addresses(store), certificate_problem)
    state._gateway_graph = (version, graph)
    return graph
