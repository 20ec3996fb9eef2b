"""Licence statements in plain text, and the findings a scan of one input collects.

:class:`_Scan` collects :class:`_Finding` items (and the statements of licences the catalogue
does not know). :func:`_scan_text` finds every statement in a text: licence URLs and badges, CC
icons, short names, official names (:func:`_scan_names`), aliases and the catalogue's patterns,
and a generic "Creative Commons licence" when nothing else. :func:`_scan_value` reads one value
of a machine-readable licence property, and :func:`_add_spdx` an ``SPDX-License-Identifier``.

The middle layer of :mod:`oerremix.detect`: it imports the patterns
(:mod:`oerremix._detect_patterns`); :mod:`oerremix._detect_markup` and :mod:`oerremix.detect`
import it, never the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from oerremix._detect_patterns import (
    _BADGE,
    _BADGE_CORE,
    _CC_BEFORE,
    _CC_URL,
    _CC_URL_CORE,
    _FAST_ANY_URL,
    _FAST_CC_SHORT,
    _FAST_GENERIC,
    _ICON,
    _LICENSE_BEFORE,
    _VERSION_AFTER,
    _denied,
    _elements,
    _finditer,
    _key,
    _Matcher,
    _norm,
)
from oerremix._fastre import SHORT, Lowered
from oerremix.catalog import License, LicenseId
from oerremix.model import Evidence

__all__ = ["_Finding", "_Scan", "_add_spdx", "_line_of", "_scan_text", "_scan_value"]


@dataclass(slots=True)
class _Finding:
    ids: frozenset[LicenseId]
    definite: bool
    strong: bool
    evidence: Evidence


@dataclass(slots=True)
class _Scan:
    """Findings collected while scanning one input."""

    findings: list[_Finding] = field(default_factory=list)
    invalid: list[Evidence] = field(default_factory=list)
    title: str | None = None
    creators: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, ids: Iterable[LicenseId], *, definite: bool, strong: bool, ev: Evidence) -> None:
        self.findings.append(_Finding(frozenset(ids), definite, strong, ev))


# --- scanning ---------------------------------------------------------------------------------


def _line_of(text: str, pos: int) -> str:
    return f"line {text.count(chr(10), 0, pos) + 1}"


def _url_id(mt: _Matcher, url: str) -> License | None:
    return mt.catalog.find(url)


def _badge_url(kind: str, path: str) -> str:
    path = path.strip("/").lower()
    if kind.lower() == "p" or path.startswith("zero/"):
        return f"//creativecommons.org/publicdomain/{path}/"
    return f"//creativecommons.org/licenses/{path}/"


def _scan_text(
    mt: _Matcher, scan: _Scan, text: str, *, strong: bool, where: str | None = None
) -> None:
    """Find every licence statement in plain text."""

    def loc(pos: int) -> str:
        return where if where is not None else _line_of(text, pos)

    covered: list[tuple[int, int]] = []
    lowered = Lowered.of(text) if len(text) >= SHORT else text

    def free(span: tuple[int, int]) -> bool:
        return not any(a <= span[0] < b for a, b in covered)

    for m in _finditer(_CC_URL, _CC_URL_CORE, lowered):
        url = m.group(0).rstrip(".,;:")
        lic = _url_id(mt, url)
        ev = Evidence("url", url, loc(m.start()))
        if lic is not None:
            scan.add((lic.id,), definite=True, strong=strong, ev=ev)
        else:
            scan.invalid.append(Evidence("unknown-url", url, loc(m.start())))
        covered.append(m.span())
    for m in _finditer(_BADGE, _BADGE_CORE, lowered):
        lic = mt.catalog.find(_badge_url(m.group(1), m.group(2)))
        ev = Evidence("badge", m.group(0), loc(m.start()))
        if lic is not None:
            scan.add((lic.id,), definite=True, strong=strong, ev=ev)
        covered.append(m.span())
    for m in _FAST_ANY_URL.finditer(lowered):
        if not free(m.span()) or "creativecommons.org" in m.group(0).lower():
            continue
        lic = mt.catalog.find(m.group(0).rstrip(".,;:"))
        if lic is not None:
            ev = Evidence("url", m.group(0), loc(m.start()))
            scan.add((lic.id,), definite=True, strong=strong, ev=ev)
        covered.append(m.span())
    low = lowered.low if isinstance(lowered, Lowered) else None
    icons = (
        {name.lower() for name in _ICON.findall(text)}
        if low is None or "mirrors.creativecommons.org/" in low
        else set()
    )
    if icons:
        _add_icons(mt, scan, icons, strong=strong, where=loc(0))

    for m in _FAST_CC_SHORT.finditer(lowered):
        if not free(m.span()) or _refused(scan, text, m.start(), m.group(0), loc):
            continue
        elems = _elements(m["elems"])
        ver = m["ver"]
        juris = m["juris"].lower() if m["juris"] else None
        ev = Evidence("short-name", m.group(0).strip(), loc(m.start()))
        key = (elems, ver, juris)
        if ver and juris and key in mt.short:
            scan.add((mt.short[key],), definite=True, strong=strong, ev=ev)
        elif ver and (named := _named_port(mt, mt.short.get((elems, ver, None)), text, m)):
            port, name = named
            ev = Evidence("short-name", f"{text[m.start() : m.end('ver')]} {name}", ev.where)
            scan.add((port,), definite=True, strong=strong, ev=ev)
        elif ver and (elems, ver, None) in mt.short:
            ev = Evidence("short-name", text[m.start() : m.end("ver")].strip(), ev.where)
            scan.add((mt.short[(elems, ver, None)],), definite=True, strong=strong, ev=ev)
        elif ver:
            scan.invalid.append(Evidence("unknown-short-name", ev.match, ev.where))
        elif elems in mt.versionless:
            ids = mt.versionless[elems]
            scan.add(ids, definite=len(ids) == 1, strong=strong, ev=ev)
        covered.append(m.span())
    _scan_names(mt, scan, lowered, strong=strong, loc=loc, free=free)
    if mt.aliases is not None:
        for m in mt.aliases.finditer(lowered):
            if not free(m.span()) or _refused(scan, text, m.start(), m.group(0), loc):
                continue
            if lic_id := mt.alias_ids.get(_norm(m.group(1))):
                ev = Evidence("name", m.group(0), loc(m.start()))
                scan.add((lic_id,), definite=True, strong=strong, ev=ev)
    for pattern, lic_id in mt.patterns:
        for m in pattern.finditer(lowered):
            ev = Evidence("text", m.group(0), loc(m.start()))
            scan.add((lic_id,), definite=True, strong=strong, ev=ev)
    if not scan.findings:
        for m in _FAST_GENERIC.finditer(lowered):
            if _refused(scan, text, m.start(), m.group(0), loc):
                continue
            ev = Evidence("generic", m.group(0), loc(m.start()))
            scan.add((), definite=False, strong=strong, ev=ev)


def _refused(scan: _Scan, text: str, start: int, match: str, loc: Any) -> bool:
    """Whether the statement at ``start`` is denied ("this is not CC0"): if so it is kept as
    evidence of nothing, never as a licence."""
    if not _denied(text, start):
        return False
    scan.invalid.append(Evidence("denied", match.strip(), loc(start)))
    return True


def _named_port(
    mt: _Matcher, generic: LicenseId | None, text: str, m: re.Match[str]
) -> tuple[LicenseId, str] | None:
    """The port of ``generic`` a short name names by its jurisdiction's name in any language
    the catalogue has ("CC BY-SA 2.5 Canada"), and that name as written."""
    if generic is None or (unit := mt.catalog.get(generic).unit) is None:
        return None
    start = m.end("ver")
    following = _norm(text[start : start + 60])
    for suffix, lic_id in mt.by_unit_version.get((unit, m["ver"]), ()):  # longest first
        if (
            suffix
            and following.startswith(suffix)
            and not following[len(suffix) : len(suffix) + 1].isalnum()
            and mt.catalog.get(lic_id).jurisdiction is not None
        ):
            return lic_id, " ".join(text[start:].split()[: len(suffix.split())]).rstrip(".,;:")
    return None


def _scan_names(
    mt: _Matcher, scan: _Scan, lowered: str | Lowered, *, strong: bool, loc: Any, free: Any
) -> None:
    """Official licence names in any language the catalogue has ("Attribution-ShareAlike 4.0")."""
    if mt.stems is None:
        return
    text = lowered.text if isinstance(lowered, Lowered) else lowered
    for m in mt.stems.finditer(lowered):
        if not free(m.span()) or _refused(scan, text, m.start(), m.group(0), loc):
            continue
        unit = mt.stem_units.get(_key(m.group(1)))
        if unit is None:
            continue
        vm = _VERSION_AFTER.match(text, m.end())
        if vm is None:
            several = re.search(r"[\-‐‑–—]", mt.stem_texts[_key(m.group(1))])
            lead_in = _CC_BEFORE if not several else _LICENSE_BEFORE
            if not lead_in.search(text, max(0, m.start() - 40), m.start()):
                continue  # "attribution" in running prose is not a licence statement
            ids = mt.unit_generic.get(unit, ())
            ev = Evidence("name", text[max(0, m.start() - 17) : m.end()].strip(), loc(m.start()))
            if ids:
                scan.add(ids, definite=len(ids) == 1, strong=strong, ev=ev)
            continue
        version = vm.group(1)
        entries = mt.by_unit_version.get((unit, version))
        ev = Evidence("name", text[m.start() : vm.end()].strip(), loc(m.start()))
        if not entries:
            scan.invalid.append(Evidence("unknown-name", ev.match, ev.where))
            continue
        following = _norm(text[vm.end() : vm.end() + 60])
        code = re.match(r"([a-z]{2,8})(?![a-z])", following)
        if code and (port := mt.ports.get((unit, version, code.group(1)))):
            ev = Evidence("name", f"{ev.match} {code.group(1)}", ev.where)
            scan.add((port,), definite=True, strong=strong, ev=ev)
            continue
        chosen = [lic_id for suffix, lic_id in entries if suffix and following.startswith(suffix)]
        if chosen:
            lic = mt.catalog.get(chosen[0])
            if lic.jurisdiction is not None:
                suffix = next(s for s, i in entries if i == chosen[0])
                ev = Evidence("name", f"{ev.match} {suffix}", ev.where)
            scan.add((chosen[0],), definite=True, strong=strong, ev=ev)
            continue
        generic = [i for _s, i in entries if mt.catalog.get(i).jurisdiction is None]
        ports = sorted({i for _s, i in entries})
        ids = tuple(dict.fromkeys(generic)) or tuple(ports)
        scan.add(ids, definite=len(ids) == 1, strong=strong, ev=ev)


def _add_icons(mt: _Matcher, scan: _Scan, icons: set[str], *, strong: bool, where: str) -> None:
    elems = frozenset(
        part.upper()
        for name in icons
        for part in name.split("-")
        if part in ("by", "nc", "nd", "sa")
    )
    if "zero" in icons:
        elems = frozenset({"ZERO"})
    ev = Evidence("icon", ", ".join(sorted(icons)), where)
    if elems in mt.versionless:
        ids = mt.versionless[elems]
        scan.add(ids, definite=len(ids) == 1, strong=strong, ev=ev)
    elif elems:
        scan.invalid.append(ev)
    else:  # a lone CC logo: a licence claim of unknown type
        scan.add((), definite=False, strong=strong, ev=ev)


def _add_spdx(mt: _Matcher, scan: _Scan, expression: str, *, where: str) -> None:
    ids = []
    for part in re.split(r"\s+(?:OR|AND|WITH)\s+|[()]", expression):
        token = part.strip()
        if token and (lic := mt.catalog.find(token)) is not None:
            ids.append(lic.id)
    if ids:
        ev = Evidence("spdx", expression, where)
        scan.add(ids, definite=len(set(ids)) == 1, strong=True, ev=ev)


def _scan_value(mt: _Matcher, scan: _Scan, value: str, *, kind: str, where: str) -> None:
    """A value of a machine-readable licence property: a URL, an id or a licence statement."""
    value = value.strip()
    if not value:
        return
    lic = mt.catalog.find(value) if len(value) < 300 else None
    if lic is not None and lic.category != "status":
        scan.add((lic.id,), definite=True, strong=True, ev=Evidence(kind, value, where))
        return
    before = len(scan.findings)
    _scan_text(mt, scan, value, strong=True, where=where)
    for finding in scan.findings[before:]:
        finding.evidence = Evidence(kind, finding.evidence.match, where)
