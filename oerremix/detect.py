"""Find the licence stated in a text, a URL, or an HTML/XML/JSON snippet or page.

>>> from oerremix import detect
>>> link = "https://creativecommons.org/licenses/by-sa/4.0/"
>>> d = detect(f'<a rel="license" href="{link}">CC BY-SA 4.0</a>')
>>> d.status, d.license_id
('found', 'CC-BY-SA-4.0')
>>> detect("Shared under CC BY.").candidates
('CC-BY-1.0', 'CC-BY-2.0', 'CC-BY-2.5', 'CC-BY-3.0', 'CC-BY-4.0')

The result is never a guess: a statement that does not determine one licence (no version, two
different licences for the same thing, "a Creative Commons licence") is ``ambiguous`` with the
candidates, and a mention of Creative Commons that states no licence is ``none``.

Statements are weighed in two tiers. Machine-readable ones (``rel="license"``, ``<meta>`` and
``<link>`` licence tags, RDFa and RDF ``license`` properties, JSON-LD ``license``, XMP,
``SPDX-License-Identifier``) are about the page itself and decide when present; licences met only
in the running text (a figure credit, a link in a footnote) decide only when the page has no
machine-readable statement. The words and patterns matched all come from the catalogue
(names in every language it has, short names, aliases, URLs), not from this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from lxml import etree

from oerremix._detect_markup import _MARKUP, _scan_json, _scan_markup, _scan_tree

# The names marked F401 are not used here but stay importable from here, as before: the tests
# of the fast scan (tests/property/test_fast_scan.py) compare these patterns with plain regexes.
from oerremix._detect_patterns import (
    _BADGE,  # noqa: F401
    _BADGE_CORE,  # noqa: F401
    _CC_URL,  # noqa: F401
    _CC_URL_CORE,  # noqa: F401
    _FAST_ANY_URL,  # noqa: F401
    _FAST_CC_SHORT,  # noqa: F401
    _FAST_GENERIC,  # noqa: F401
    _SPDX_LINE,
    _finditer,  # noqa: F401
    _Matcher,
    _matcher,
)
from oerremix._detect_text import _add_spdx, _Finding, _line_of, _Scan, _scan_text
from oerremix._json_input import load_json
from oerremix.catalog import Catalog, License, LicenseId, load_catalog
from oerremix.model import Evidence

__all__ = ["Detection", "detect", "detect_tree"]

Status = Literal["found", "ambiguous", "none"]


@dataclass(frozen=True, slots=True)
class Detection:
    """What :func:`detect` found."""

    status: Status
    """``found`` (one licence), ``ambiguous`` (see :attr:`candidates`) or ``none``."""
    license: License | None
    """The licence, when ``status`` is ``found``."""
    candidates: tuple[LicenseId, ...]
    """Sorted ids the statements could mean; ``(license.id,)`` when found."""
    evidence: tuple[Evidence, ...]
    """Every statement that matched: its kind, the text matched and where."""
    title: str | None = None
    """The work's title as ccREL markup states it (``property="dct:title"``), if it does."""
    creators: tuple[str, ...] = ()
    """Creators named in ccREL markup (``cc:attributionName``), if any."""
    sources: tuple[str, ...] = ()
    """URLs of the works this one is based on (``rel="dct:source"``), if any."""

    @property
    def license_id(self) -> LicenseId | None:
        """The licence id, when ``status`` is ``found``."""
        return self.license.id if self.license else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape ``oerremix detect --json`` prints."""
        return {
            "license": self.license_id,
            "status": self.status,
            "candidates": list(self.candidates),
            "evidence": [
                {"kind": e.kind, "match": e.match, "where": e.where} for e in self.evidence
            ],
        }


# --- deciding ----------------------------------------------------------------------------------


def _decide(findings: list[_Finding]) -> tuple[Status, tuple[LicenseId, ...]]:
    definite = {i for f in findings if f.definite for i in f.ids}
    vague = [f for f in findings if not f.definite]
    if len(definite) == 1:
        (only,) = definite
        clash = [f for f in vague if f.ids and only not in f.ids]
        if not clash:
            return "found", (only,)
        return "ambiguous", tuple(sorted(definite | {i for f in clash for i in f.ids}))
    if definite:
        return "ambiguous", tuple(sorted(definite))
    if vague:
        sets = [f.ids for f in vague if f.ids]
        if not sets:
            return "ambiguous", ()
        common = frozenset.intersection(*sets)
        return "ambiguous", tuple(sorted(common or frozenset.union(*sets)))
    return "none", ()


def _decide_tiers(findings: list[_Finding]) -> tuple[Status, tuple[LicenseId, ...]]:
    strong = [f for f in findings if f.strong]
    if not any(f.ids for f in strong):
        return _decide(findings)
    status, candidates = _decide(strong)
    if status == "ambiguous" and not any(f.definite for f in strong):
        weak = {i for f in findings if not f.strong and f.definite for i in f.ids}
        narrowed = weak & set(candidates)
        if len(narrowed) == 1:
            return "found", tuple(narrowed)
    return status, candidates


def _unique(evidence: Iterator[Evidence]) -> tuple[Evidence, ...]:
    return tuple(dict.fromkeys(evidence))


def detect(content: str | bytes, *, catalog: Catalog | None = None) -> Detection:
    """Find the licence stated in ``content``: text, a URL, or an HTML/XML/JSON snippet or page.

    ``catalog`` defaults to the bundled one. Never fetches anything and never raises on odd
    input: text that states no licence gives ``status == "none"``.
    """
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    mt = _matcher(catalog or load_catalog())
    scan = _Scan()
    stripped = content.lstrip()
    data: Any = None
    if stripped[:1] in ("{", "["):
        try:
            data = load_json(stripped)
        except (ValueError, RecursionError):
            data = None
    for m in _SPDX_LINE.finditer(content):
        _add_spdx(mt, scan, m.group(1), where=_line_of(content, m.start()))
    if data is not None:
        _scan_json(mt, scan, data)
    elif _MARKUP.search(content):
        _scan_markup(mt, scan, content)
        if not scan.findings:  # damaged markup: read it as text rather than miss a licence
            _scan_text(mt, scan, content, strong=False)
    else:
        _scan_text(mt, scan, content, strong=False)
    return _result(mt, scan)


def detect_tree(root: etree._Element, *, catalog: Catalog | None = None) -> Detection:
    """:func:`detect` for a page already parsed (by lxml's HTML or XML parser).

    Saves a reader the second parse and the serialisation that :func:`detect` on its markup
    would cost. The tree is left as it was.
    """
    return detect_tree_text(root, catalog=catalog)[0]


def detect_tree_text(
    root: etree._Element, *, catalog: Catalog | None = None
) -> tuple[Detection, str]:
    """:func:`detect_tree`, and the page's running text it read (scripts and styles left out, a
    line per block), for a reader that reads more from that text."""
    mt = _matcher(catalog or load_catalog())
    scan = _Scan()
    text = _scan_tree(mt, scan, root, None)
    return _result(mt, scan), text


def _result(mt: _Matcher, scan: _Scan) -> Detection:
    status, candidates = _decide_tiers(scan.findings)
    lic = mt.catalog.get(candidates[0]) if status == "found" else None
    evidence = _unique(f.evidence for f in scan.findings)
    if status == "none":
        evidence = _unique(iter(scan.invalid))
    return Detection(
        status,
        lic,
        candidates,
        evidence,
        title=scan.title,
        creators=tuple(scan.creators),
        sources=tuple(scan.sources),
    )
