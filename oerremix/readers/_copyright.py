"""Copyright lines: the first notice in a text (``© 2021 …``, ``Copyright (C) …``), as written.

:func:`find_copyright` cuts the notice at "is licensed …" (and its German and French
equivalents) or the end of its sentence or line; in a long text only the lines holding a
copyright mark are looked at.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence

from oerremix._fastre import SHORT, Lowered

__all__ = ["find_copyright"]


def find_copyright(text: str) -> str | None:
    """The first copyright notice in ``text``, as written, up to "is licensed …" or the line's end.

    >>> find_copyright("Field Methods Copyright ©2021 by Amara Okafor is licensed under a …")
    'Copyright ©2021 by Amara Okafor'
    >>> find_copyright("> Copyright (C) 2000-2023, Tony R. Kuphaldt")
    'Copyright (C) 2000-2023, Tony R. Kuphaldt'
    >>> find_copyright("Copyright law gives authors rights.") is None
    True
    """
    lines = text.splitlines()
    order: Iterable[int] = range(len(lines))
    if len(text) >= SHORT and (low := Lowered(text).low) is not None:
        order = _lines_holding(low, text, _COPYRIGHT_ANCHORS)  # only these lines can match
    for line in (lines[i] for i in order):
        match = _COPYRIGHT_MARK.search(line)
        if match is None:
            continue
        rest = line[match.start() :]
        end = _COPYRIGHT_CUT.search(rest, len(match.group(0)))
        value = (rest[: end.start()] if end else rest).strip(" ,;:-–")
        if len(value) > len(match.group(0).strip()) + 1:
            return value[:300]
    return None


_COPYRIGHT_MARK = re.compile(
    r"(?:\bcopyright\s*)?(?:©|&copy;|\(c\)(?=\s*\d))|\bcopyright\s+(?=\d{4})", re.IGNORECASE
)
_COPYRIGHT_ANCHORS = ("copyright", "©", "&copy;", "(c)")  # every match contains one
_COPYRIGHT_CUT = re.compile(
    r"\s+(?:is|are)\s+(?:licen[cs]ed|published|made\s+available|shared|released|marked)\b"
    r"|\s+(?:steht|stehen|ist|sind)\s+unter\b|\s+(?:est|sont)\s+(?:mis|plac|diffus|sous)"
    r"|(?<=[a-z0-9)]{2})[.;](?:\s|$)|\s{3,}|\s+\|\s+|\.\s*$",
    re.IGNORECASE,
)


def _lines_holding(low: str, text: str, words: Sequence[str]) -> list[int]:
    """The indexes, in ``text.splitlines()``, of the lines holding any of ``words`` (found in
    ``low``, the lowercase ``text`` with its characters at the same places)."""
    ends = list(itertools.accumulate(map(len, text.splitlines(keepends=True))))
    found: set[int] = set()
    for word in words:
        at = low.find(word)
        while at >= 0:
            found.add(bisect.bisect_right(ends, at))
            at = low.find(word, at + 1)
    return sorted(found)
