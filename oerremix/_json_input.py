"""JSON from untrusted input, with every string safe to keep.

JSON can spell an unpaired UTF-16 surrogate (``"\\ud800"``), which :func:`json.loads` turns into
a lone surrogate code point: a Python string that cannot be written as UTF-8, which the model
refuses (``Work.title: contains an unpaired surrogate``). Every reader that parses JSON from a
page, a package or an API uses :func:`load_json`, which replaces each one by U+FFFD, the
replacement character, as a UTF-8 decoder does for bytes it cannot read.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["load_json"]

_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_ESCAPED_SURROGATE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(data: str | bytes) -> Any:
    """:func:`json.loads`, with lone surrogates replaced by U+FFFD in every key and value.

    Raises what :func:`json.loads` raises (:class:`ValueError`, :class:`RecursionError`).

    >>> load_json('{"name": "Ana \\\\ud800", "\\\\udc00": ["\\\\ud83d\\\\ude00"]}')
    {'name': 'Ana \ufffd', '\ufffd': ['😀']}
    """
    value = json.loads(data)
    if isinstance(data, str):
        escaped = _ESCAPED_SURROGATE.search(data) is not None
    else:
        escaped = _ESCAPED_SURROGATE_BYTES.search(data) is not None
    return _repair(value) if escaped else value


def _repair(value: Any) -> Any:
    # iterative, so a deeply nested document json.loads accepted cannot overflow the stack
    root = [value]
    stack: list[tuple[list[Any] | dict[str, Any], Any]] = [(root, 0)]
    while stack:
        holder, key = stack.pop()
        item = holder[key]
        if isinstance(item, str):
            holder[key] = _SURROGATE.sub("\ufffd", item)
        elif isinstance(item, list):
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            fixed = {_SURROGATE.sub("\ufffd", k): v for k, v in item.items()}
            item.clear()
            item.update(fixed)
            stack.extend((item, k) for k in item)
    return root[0]
