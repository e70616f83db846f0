"""`-o json`, `-o yaml` and `-o name`: objects as the API returns them, printed as kubectl does.

kubectl marshals objects through Go maps, so keys come out sorted; JSON is
indented by 4 spaces with `<`, `>` and `&` escaped (Go's `json.Marshal`),
YAML is go-yaml v2 block style: sequences not indented under their key,
strings that would read as another type double-quoted (`"80"`, `""`,
`"2026-11-22T09:00:00Z"`), multi-line strings as literal blocks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import yaml

LIST_KIND = {"apiVersion": "v1", "kind": "List"}


def as_list(items: Sequence[dict]) -> dict:
    """Several objects as the `List` kubectl prints for them."""
    return {**LIST_KIND, "items": list(items), "metadata": {"resourceVersion": ""}}


def to_json(obj: object) -> str:
    """JSON as kubectl prints it: 4-space indent, sorted keys, Go's HTML escaping, final newline."""
    text = json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False)
    if "<" in text or ">" in text or "&" in text:
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text + "\n"


class KubectlDumper(yaml.SafeDumper):
    """A SafeDumper that writes go-yaml v2 style and never emits anchors.

    Objects in the store may share nested dicts (a template copied by
    reference); aliases (`&id001`/`*id001`) would be valid YAML but kubectl
    never prints them.
    """

    def ignore_aliases(self, data: object) -> bool:  # noqa: ARG002 - yaml.Dumper API
        """Never write anchors and aliases."""
        return True


_OTHER_TYPES = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "float", "null", "timestamp")
)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    tag = "tag:yaml.org,2002:str"
    if "\n" in value:
        return dumper.represent_scalar(tag, value, style="|")
    if dumper.resolve(yaml.ScalarNode, value, (True, False)) in _OTHER_TYPES:
        # go-yaml double-quotes what would otherwise read as a number, bool, null or time.
        return dumper.represent_scalar(tag, value, style='"')
    return dumper.represent_scalar(tag, value)


KubectlDumper.add_representer(str, _represent_str)


def to_yaml(obj: object) -> str:
    """YAML as kubectl prints it (block style, sorted keys, go-yaml quoting)."""
    return yaml.dump(
        obj,
        Dumper=KubectlDumper,
        default_flow_style=False,
        sort_keys=True,
        allow_unicode=True,
        width=80,
    )


def resource_name(qualified: str, obj: dict) -> str:
    """`-o name` for an object: `pod/kubia-x`, `deployment.apps/web`."""
    return f"{qualified}/{obj['metadata']['name']}"
