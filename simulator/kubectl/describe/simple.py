"""Describe texts of Namespaces, ConfigMaps, Secrets, and a generic one for other kinds."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from .writer import Writer, annotations_multiline, describe_events, labels_multiline, meta_of


def describe_namespace(ns: dict) -> str:
    """`kubectl describe namespace` (no quotas or limit ranges in the simulator)."""
    w = Writer()
    meta = meta_of(ns)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Status:\t{(ns.get('status') or {}).get('phase') or 'Active'}\n")
    w.write(0, "\nNo resource quota.\n")
    w.write(0, "\nNo LimitRange resource.\n")
    return w.text()


def describe_configmap(cm: dict, events: Sequence[Any] | None, now: float) -> str:
    """`kubectl describe configmap`."""
    w = Writer()
    meta = meta_of(cm)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "\nData\n====\n")
    for key in sorted(cm.get("data") or {}):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{cm['data'][key]}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    for key in sorted(cm.get("binaryData") or {}):
        size = len(base64.b64decode(cm["binaryData"][key] or ""))
        w.write(0, f"{key}: {size} bytes\n")
    w.write(0, "\n")
    describe_events(w, events, now)
    return w.text()


def describe_secret(secret: dict) -> str:
    """`kubectl describe secret`: sizes only, never values."""
    w = Writer()
    meta = meta_of(secret)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"\nType:\t{secret.get('type') or 'Opaque'}\n")
    w.write(0, "\nData\n====\n")
    for key in sorted(secret.get("data") or {}):
        try:
            size = len(base64.b64decode(secret["data"][key] or "", validate=True))
        except (binascii.Error, ValueError):
            size = len(str(secret["data"][key]))
        w.write(0, f"{key}:\t{size} bytes\n")
    return w.text()


def describe_generic(obj: dict, events: Sequence[Any] | None, now: float) -> str:
    """A describe text for kinds without a dedicated describer: metadata, then spec/status keys."""
    w = Writer()
    meta = meta_of(obj)
    w.write(0, f"Name:\t{meta.get('name')}\n")
    if meta.get("namespace"):
        w.write(0, f"Namespace:\t{meta['namespace']}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"API Version:\t{obj.get('apiVersion', '')}\n")
    w.write(0, f"Kind:\t{obj.get('kind', '')}\n")
    for key in sorted(k for k in obj if k not in ("apiVersion", "kind", "metadata")):
        _generic_value(w, 0, key, obj[key])
    describe_events(w, events, now)
    return w.text()


def _generic_value(w: Writer, level: int, key: str, value: object) -> None:
    title = key[:1].upper() + key[1:]
    if isinstance(value, dict):
        w.write(level, f"{title}:\n")
        for k in sorted(value):
            _generic_value(w, level + 1, k, value[k])
    elif isinstance(value, list):
        w.write(level, f"{title}:\n")
        for item in value:
            if isinstance(item, dict):
                for i, k in enumerate(sorted(item)):
                    w.write(level + 1, ("" if i else "") + f"{k[:1].upper() + k[1:]}:\t{item[k]}\n")
            else:
                w.write(level + 1, f"{item}\n")
    else:
        w.write(level, f"{title}:\t{value}\n")
