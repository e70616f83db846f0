"""`kubectl get` rows of the Gateway API kinds: the CRDs' ``additionalPrinterColumns``.

For custom resources the API server fills the table from each column's JSONPath
(apiextensions ``tableconvertor``): the first result only, a list printed as compact JSON
(``["a.example.com","b.example.com"]``), an absent value left blank. Columns (CRDs v1.6.1):

* GatewayClass: ``CONTROLLER`` (``.spec.controllerName``), ``ACCEPTED`` (the Accepted
  condition's status), ``AGE``; ``-o wide`` adds ``DESCRIPTION``;
* Gateway: ``CLASS``, ``ADDRESS`` (``.status.addresses[*].value``), ``PROGRAMMED``, ``AGE``;
* HTTPRoute: ``HOSTNAMES`` (``.spec.hostnames``), ``AGE``;
* ReferenceGrant: ``AGE``.
"""

from __future__ import annotations

import json

from .base import RowContext


def condition_status(obj: dict, kind: str) -> str:
    """``.status.conditions[?(@.type=="<kind>")].status`` ("" when absent)."""
    for condition in (obj.get("status") or {}).get("conditions") or ():
        if isinstance(condition, dict) and condition.get("type") == kind:
            return str(condition.get("status", ""))
    return ""


def gatewayclass_row(obj: dict, ctx: RowContext) -> list[str]:
    """NAME, CONTROLLER, ACCEPTED, AGE (and DESCRIPTION with ``-o wide``)."""
    spec = obj.get("spec") or {}
    row = [obj["metadata"]["name"], spec.get("controllerName", ""),
           condition_status(obj, "Accepted"), ctx.age(obj)]  # fmt: skip
    if ctx.wide:
        row.append(spec.get("description", ""))
    return row


def gateway_row(obj: dict, ctx: RowContext) -> list[str]:
    """NAME, CLASS, ADDRESS, PROGRAMMED, AGE."""
    addresses = (obj.get("status") or {}).get("addresses") or ()
    address = addresses[0].get("value", "") if addresses else ""
    return [
        obj["metadata"]["name"],
        (obj.get("spec") or {}).get("gatewayClassName", ""),
        address,
        condition_status(obj, "Programmed"),
        ctx.age(obj),
    ]


def httproute_row(obj: dict, ctx: RowContext) -> list[str]:
    """NAME, HOSTNAMES, AGE."""
    hostnames = (obj.get("spec") or {}).get("hostnames")
    cell = json.dumps(hostnames, separators=(",", ":"), ensure_ascii=False) if hostnames else ""
    return [obj["metadata"]["name"], cell, ctx.age(obj)]
