"""The YAML side of the Work model: a safe loader and dumper, and composed nodes to plain data.

:meth:`oerremix.model.Work.from_yaml` composes the text with :func:`_compose` (the safe loader,
refusing anchors, aliases and deep nesting by raising :class:`_Refused`), turns the nodes into
plain data with :func:`_from_node`, noting each value's line for the problems reported, and
reads that data like any other (:func:`oerremix._model_fields._parse_model`).
:meth:`~oerremix.model.Work.to_yaml` writes with :class:`_WorkDumper`.

This module knows no model class and does not import :mod:`oerremix.model`: the model imports it
and passes in the one number it needs, how deep the YAML may nest (hence :func:`_compose`, as
:func:`yaml.compose` builds its loader from the text alone).
"""

from __future__ import annotations

from typing import Any

import yaml

from ._model_fields import _Path, _Reader, _short

__all__ = ["_TAG", "_Refused", "_WorkDumper", "_compose", "_from_node"]

_TAG = "tag:yaml.org,2002:"
_CONSTRUCTED_TAGS = {_TAG + "bool", _TAG + "int", _TAG + "float"}


class _Refused(Exception):
    """Raised inside the YAML loader for input refused as unsafe."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.line = None if mark is None else mark.line + 1


class _WorkLoader(yaml.SafeLoader):
    """The safe loader, composing nodes only, refusing anchors, aliases and deep nesting."""

    def __init__(self, stream: str, max_depth: int) -> None:
        super().__init__(stream)
        self._depth = 0
        self._max_depth = max_depth

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise _Refused(
                "YAML anchors and aliases (&name, *name) are not allowed in a work file",
                event.start_mark,
            )
        if self._depth >= self._max_depth:
            raise _Refused(f"YAML nested more than {self._max_depth} levels deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _compose(text: str, *, max_depth: int) -> yaml.Node | None:
    """Compose ``text`` as :func:`yaml.compose` does, with :class:`_WorkLoader`'s limits."""
    loader = _WorkLoader(text, max_depth)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class _WorkDumper(yaml.SafeDumper):
    """The safe dumper, double-quoting strings that hold YAML 1.1 line breaks (NEL, LS, PS).

    PyYAML writes those unescaped in plain or single-quoted style and reads them back changed.
    """


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if any(c in data for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar(_TAG + "str", data, style=style)


_WorkDumper.add_representer(str, _represent_str)


def _from_node(
    node: yaml.Node, path: _Path, reader: _Reader, constructor: yaml.constructor.SafeConstructor
) -> object:
    """Turn a composed YAML node into plain data, noting lines and the raw text of scalars."""
    reader.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        if node.tag in {_TAG + "str", _TAG + "timestamp"}:
            return node.value
        if node.tag == _TAG + "null":
            return None
        if node.tag in _CONSTRUCTED_TAGS:
            reader.raw[path] = node.value
            try:
                return constructor.construct_object(node)
            except (ValueError, yaml.YAMLError):
                return reader.problem(path, f"cannot read {_short(node.value)} as a number")
    elif isinstance(node, yaml.SequenceNode) and node.tag == _TAG + "seq":
        return [
            _from_node(item, (*path, index), reader, constructor)
            for index, item in enumerate(node.value)
        ]
    elif isinstance(node, yaml.MappingNode) and node.tag == _TAG + "map":
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _TAG + "merge":
                reader.problem(path, "merge keys (<<) are not allowed in a work file", line=line)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                reader.problem(path, "keys must be plain strings", line=line)
                continue
            key = key_node.value
            key_path = (*path, key)
            if key in result:
                first = reader.lines.get(key_path)
                reader.problem(key_path, f"duplicate key (first at line {first})", line=line)
                continue
            reader.lines[key_path] = line
            result[key] = _from_node(value_node, key_path, reader, constructor)
        return result
    tag = node.tag.replace(_TAG, "!!", 1) if node.tag.startswith(_TAG) else node.tag
    return reader.problem(path, f"unsupported YAML tag {_short(tag)}")
