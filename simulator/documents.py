"""Decoded manifests and where their fields are in the text a learner typed.

`Document` is one decoded object; `ParsedManifests` is what `simulator.manifests.
parse_manifests` returns, and finds the line and column of any field path (`locate`) for
error messages, composing the YAML again only when a problem needs a line: the success
path never pays for it.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.yaml_loader import ManifestLoader as _Loader

__all__ = ["Document", "ParsedManifests"]

_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


@dataclass(slots=True)
class Document:
    """One decoded object.

    Attributes:
        index: 0-based index of the source document in the stream.
        obj: the decoded object (JSON-like data only).
        line: 1-based line where the object starts.
        item: position inside a ``List`` (or top-level sequence) the object came from;
            None for a plain document.
    """

    index: int
    obj: dict
    line: int
    item: int | None = None


@dataclass(slots=True)
class ParsedManifests:
    """What `parse_manifests` returns.

    Attributes:
        documents: decoded objects in input order; empty documents are skipped and lists
            are expanded (items keep their source document's index).
        source: the name kubectl shows for the input (``STDIN`` or a file name).
        text: the input text (kept for `locate`).
        recovered: True when the documents were decoded one by one after a syntax error
            (the input is then refused, but their own problems can still be reported).
    """

    documents: list[Document]
    source: str = "STDIN"
    text: str = field(default="", repr=False)
    _starts: dict[int, int] = field(default_factory=dict, repr=False)
    recovered: bool = False
    # Document index -> (start, end) offsets of its text, when documents were decoded one
    # by one (JSON objects, or YAML documents recovered after a syntax error).
    _spans: dict[int, tuple[int, int]] | None = field(default=None, repr=False)
    _roots: dict[int, Node] | None = field(default=None, repr=False)

    def locate(
        self, document: int, field: str, item: int | None = None
    ) -> tuple[int | None, int | None]:
        """Find the line and column of a field, for error messages.

        Composes the document's YAML nodes on first use (and caches them); never called on
        the success path.

        Args:
            document: the source document index (`Document.index`).
            field: a field path such as ``spec.ports[1].name`` or ``data[tls.crt]``.
            item: `Document.item` when the object came from a list.

        Returns:
            (line, column), both 1-based. A missing field falls back to its nearest existing
            parent, then to the document start; (None, None) for an unknown document.
        """
        root = self._root(document)
        if root is None:
            line = self._starts.get(document)
            return (line, 1 if line is not None else None)
        segments: list[str] = []
        if item is not None:
            if not isinstance(root, SequenceNode):
                segments.append("items")
            segments.append(str(item))
        segments += [
            m.group(1) if m.group(1) is not None else m.group(2) for m in _SEGMENT.finditer(field)
        ]
        mark = _walk(root, segments)
        line, column = mark.line, mark.column
        if self._spans is not None:
            start = self._spans[document][0]
            base_line = self.text.count("\n", 0, start)
            if line == 0:
                column += start - (self.text.rfind("\n", 0, start) + 1)
            line += base_line
        return line + 1, column + 1

    def _root(self, document: int) -> Node | None:
        if self._roots is None:
            self._roots = {}
            if self._spans is not None:
                for index, (start, end) in self._spans.items():
                    # A document that does not compose falls back to its start.
                    with contextlib.suppress(yaml.YAMLError, ValueError):
                        root = yaml.compose(self.text[start:end], Loader=_Loader)
                        if root is not None:  # an empty document has no node
                            self._roots[index] = root
            else:
                try:
                    for index, node in enumerate(yaml.compose_all(self.text, Loader=_Loader)):
                        self._roots[index] = node
                except (yaml.YAMLError, ValueError):
                    pass  # keep what composed; the rest falls back to document starts
        return self._roots.get(document)


def _walk(root: Node, segments: list[str]) -> yaml.Mark:
    node, mark = root, root.start_mark
    for segment in segments:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == segment:
                    node, mark = value_node, key_node.start_mark
                    break
            else:
                return mark
        elif isinstance(node, SequenceNode) and segment.isdigit():
            position = int(segment)
            if position >= len(node.value):
                return mark
            node = node.value[position]
            mark = node.start_mark
        else:
            return mark
    return mark
