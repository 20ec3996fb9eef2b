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

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from lxml import etree

from oerremix._fastre import SHORT, Anchored, Lowered, leading_words
from oerremix._json_input import load_json
from oerremix._markup import BLOCKS, parse_html, text_of
from oerremix.catalog import Catalog, License, LicenseId, load_catalog
from oerremix.errors import ReadError
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


# --- the grammar of CC short names and URLs (cc-rules.md §5.1, §5.2, §5.4) -----------------

_SEP = r"[\s_\-‐‑–—]*"
_ELEMENT = r"(?:BY|NC|ND|SA)(?![A-Za-z])"
_CC_SHORT = re.compile(
    rf"(?<![A-Za-z0-9])CC{_SEP}(?P<elems>(?:{_ELEMENT}{_SEP})*{_ELEMENT}|0|ZERO(?![A-Za-z]))"
    rf"(?:{_SEP}(?P<ver>[1-9]\.[0-9])(?![0-9]))?(?:[\s_\-]+(?P<juris>[A-Za-z]{{2,8}})(?![A-Za-z]))?",
    re.IGNORECASE,
)
_CC_URL = re.compile(
    r"(?:(?:https?:)?//)?(?:www\.)?creativecommons\.org/(?:licenses|publicdomain)/"
    r"[^\s\"'<>()\[\]{}|\\^`]*",
    re.IGNORECASE,
)
_ANY_URL = re.compile(r"https?://[^\s\"'<>()\[\]{}|\\^`]+", re.IGNORECASE)
_BADGE = re.compile(
    r"(?:(?:https?:)?//)?(?:i\.creativecommons\.org|licensebuttons\.net)/([lp])/"
    r"([^\s\"'<>]+?)/(?:88x31|80x15)\.png",
    re.IGNORECASE,
)
# What every match of _CC_URL and _BADGE contains, and how far before it such a match can start
# ("https://www." is 12 characters): searching for these first skips text with no licence URL
# quickly; the two patterns above start with optional parts, which the regex engine tries at
# every position of the text.
_CC_URL_CORE = (
    re.compile(r"creativecommons\.org/(?:licenses|publicdomain)/", re.I),
    ("creativecommons.org/",),  # what the core holds, for a lowercase copy of the text
    12,
)
_BADGE_CORE = (
    re.compile(r"i\.creativecommons\.org/|licensebuttons\.net/", re.I),
    ("i.creativecommons.org/", "licensebuttons.net/"),
    8,
)


def _finditer(
    pattern: re.Pattern[str],
    core: tuple[re.Pattern[str], tuple[str, ...], int],
    text: str | Lowered,
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, found faster: each match contains a match of
    ``core`` starting at most ``back`` characters after its own start, so no match starts
    before ``back`` characters ahead of the next ``core`` match. In a lowercase copy of the
    text, the core's literal words are found as ``str.find`` finds them."""
    guard, words, back = core
    plain = text.text if isinstance(text, Lowered) else text
    low = text.low if isinstance(text, Lowered) else None
    pos = 0
    while True:
        if low is not None:
            hits = [hit for word in words if (hit := low.find(word, pos)) >= 0]
            if not hits:
                return
            start = min(hits)
        elif (found := guard.search(plain, pos)) is not None:
            start = found.start()
        else:
            return
        m = pattern.search(plain, max(pos, start - back))
        if m is None:
            return
        yield m
        pos = m.end() if m.end() > m.start() else m.end() + 1


_ICON = re.compile(
    r"mirrors\.creativecommons\.org/presskit/(?:icons|buttons/[\w.]+/(?:png|svg))/"
    r"([a-z][a-z.-]*?)\.(?:svg|png)",
    re.IGNORECASE,
)
_SPDX_LINE = re.compile(r"SPDX-License-Identifier:\s*([^\n\r*]+?)\s*(?:\*/|-->|$)", re.MULTILINE)
_GENERIC = re.compile(
    r"\b(?:(?:under|sous|unter|bajo)\s+(?:a|the|une|la|einer|der|una)\s+)?creative\s+commons"
    r"[\s-]+(?:licen[cs]es?|lizenz(?:en|vertrag)?|licencias?)\b|\bsome\s+rights\s+reserved\b"
    r"|\bCC[\s-]+licen[cs]ed\b",
    re.IGNORECASE,
)
_VERSION_AFTER = re.compile(rf"{_SEP}(?:(?:version|v\.?)\s*)?([1-9]\.[0-9])(?![0-9])", re.I)
_CC_BEFORE = re.compile(r"(?:creative\s+commons|\bCC)[\s:(\"'«“-]*$", re.IGNORECASE)
# a name of several elements ("Attribution-ShareAlike") needs only a licence word before it
_LICENSE_BEFORE = re.compile(
    r"(?:creative\s+commons|\bCC|licen[cs]ed?|lizenz\w*|licencia|under|unter|sous)[\s:(\"'«“-]*$",
    re.IGNORECASE,
)


_FAST_ANY_URL = Anchored(_ANY_URL, ["http"])
_FAST_CC_SHORT = Anchored(_CC_SHORT, ["cc"], before="[a-z0-9]")
_FAST_GENERIC = Anchored(
    _GENERIC, ["under", "sous", "unter", "bajo", "creative", "some", "cc"], before=r"\w"
)


def _elements(text: str) -> frozenset[str]:
    if text.upper() in ("0", "ZERO"):
        return frozenset({"ZERO"})
    return frozenset(re.findall(r"BY|NC|ND|SA", text.upper()))


def _camel_words(phrase: str) -> list[str]:
    words = []
    for word in re.split(r"[\s\-‐‑–—_]+", phrase):
        words.extend(re.findall(r"[A-ZÀ-Ý]?[^A-ZÀ-Ý]+|[A-ZÀ-Ý]+(?![^A-ZÀ-Ý])", word) or [word])
    return [w for w in words if w]


def _phrase_regex(phrase: str) -> str:
    parts = [re.sub("['’]", "['’]", re.escape(w)) for w in _camel_words(phrase)]
    return _SEP.join(parts)


def _key(text: str) -> str:
    """Letters and digits only, case-folded: "Share-Alike" and "ShareAlike" are one key."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _norm(text: str) -> str:
    return re.sub(r"[\s\-‐‑–—_'’]+", " ", text.casefold()).strip()


@functools.cache
def _bmp() -> str:
    return "".join(map(chr, range(0x10000)))


@functools.cache
def _case_variants(char: str) -> list[str]:
    """Every character IGNORECASE lets match ``char``: its cases and such as İ, ı, ſ and K
    (Kelvin). Unicode's simple case mappings never leave the Basic Multilingual Plane."""
    return re.findall(re.escape(char), _bmp(), re.IGNORECASE)


def _words(alternatives: list[str], before: str, after: str) -> Anchored:
    """``(?<!before)(alternative|…)after``, case-insensitive, in a form the regex engine scans
    faster: alternatives are grouped by their first letter, which is tested once per group
    rather than once per alternative at every word of the text. Same matches, same group, same
    order of preference: alternatives that can match at one place start with the same letter
    and keep their order. If a group's letters could overlap another's, or an alternative does
    not start with a letter or digit, the plain form is used.

    Each group, lowercased, also finds where in a lowercase copy of a long text the pattern can
    match (see :mod:`oerremix._fastre`): the engine finds a literal first letter as fast as
    ``str.find`` does.
    """
    plain = f"(?<!{before})(" + "|".join(alternatives) + f"){after}"
    groups: dict[frozenset[str], list[str]] = {}
    for alternative in alternatives:
        if not alternative[:1].isalnum():
            return Anchored(plain, None)
        groups.setdefault(frozenset(_case_variants(alternative[0])), []).append(alternative)
    letters = [c for key in groups for c in key]
    if len(letters) != len(set(letters)):
        return Anchored(plain, None)
    bodies = [f"{g[0][0]}(?:{'|'.join(a[1:] for a in g)})" for g in groups.values()]
    pattern = f"(?<!{before})({'|'.join(bodies)}){after}"
    if re.search(r"\\[A-Z]", pattern):  # \S, \W…: lowercasing would change them
        return Anchored(pattern, None)
    finders = [(b[0], b[1:] + after.lower(), before) for b in map(str.lower, bodies)]
    return Anchored.found_by(pattern, finders)


@dataclass(slots=True)
class _Matcher:
    """Patterns built once per catalogue from its data."""

    catalog: Catalog
    short: dict[tuple[frozenset[str], str | None, str | None], LicenseId]
    versionless: dict[frozenset[str], tuple[LicenseId, ...]]
    stems: Anchored | None
    stem_units: dict[str, str]
    stem_texts: dict[str, str]
    by_unit_version: dict[tuple[str, str], list[tuple[str, LicenseId]]]
    ports: dict[tuple[str, str, str], LicenseId]
    unit_generic: dict[str, tuple[LicenseId, ...]]
    aliases: Anchored | None
    alias_ids: dict[str, LicenseId]
    patterns: list[tuple[Anchored, LicenseId]]

    @classmethod
    def build(cls, catalog: Catalog) -> _Matcher:
        short: dict[tuple[frozenset[str], str | None, str | None], LicenseId] = {}
        versionless: dict[frozenset[str], list[tuple[tuple[int, ...], LicenseId]]] = {}
        stem_units: dict[str, set[str]] = {}
        stem_texts: dict[str, str] = {}
        ports: dict[tuple[str, str, str], LicenseId] = {}
        by_unit_version: dict[tuple[str, str], list[tuple[str, LicenseId]]] = {}
        unit_generic: dict[str, list[tuple[tuple[int, ...], LicenseId]]] = {}
        alias_ids: dict[str, LicenseId] = {}
        patterns: list[tuple[Anchored, LicenseId]] = []
        for lic in catalog:
            if lic.category == "status":
                continue
            for key in (lic.short_name, lic.id, *lic.aliases):
                m = _CC_SHORT.fullmatch(key.strip())
                if m:
                    elems = _elements(m["elems"])
                    juris = m["juris"].lower() if m["juris"] else None
                    short.setdefault((elems, m["ver"], juris), lic.id)
                    if juris is None and m["ver"]:
                        vkey = tuple(int(p) for p in m["ver"].split("."))
                        versionless.setdefault(elems, []).append((vkey, lic.id))
                elif "/" not in key and len(key) >= 3:
                    alias_ids.setdefault(_norm(key), lic.id)
            for pattern in lic.patterns:
                patterns.append((Anchored(pattern, leading_words(pattern)), lic.id))
            if lic.unit and lic.version and lic.jurisdiction:
                ports[(lic.unit, lic.version, lic.jurisdiction)] = lic.id
            if lic.unit and lic.version:
                for _lang, name in lic.names + lic.variant_names:
                    stem, sep, suffix = name.partition(lic.version)
                    if not sep or not stem.strip():
                        continue
                    stem = stem.strip(" -–—,")
                    stem_units.setdefault(_key(stem), set()).add(lic.unit)
                    stem_texts.setdefault(_key(stem), stem)
                    by_unit_version.setdefault((lic.unit, lic.version), []).append(
                        (_norm(suffix), lic.id)
                    )
                    if lic.jurisdiction is None:
                        vkey = tuple(int(p) for p in lic.version.split("."))
                        unit_generic.setdefault(lic.unit, []).append((vkey, lic.id))
        units = {stem: next(iter(u)) for stem, u in stem_units.items() if len(u) == 1}
        stems = [_phrase_regex(stem_texts[k]) for k in sorted(units, key=len, reverse=True)]
        aliases = [_phrase_regex(a) for a in sorted(alias_ids, key=len, reverse=True)]
        for entries in by_unit_version.values():
            entries.sort(key=lambda e: -len(e[0]))
        return cls(
            catalog=catalog,
            short=short,
            versionless={k: tuple(i for _v, i in sorted(set(v))) for k, v in versionless.items()},
            stems=_words(stems, r"[\w]", r"(?![\w])") if stems else None,
            stem_units=units,
            stem_texts=stem_texts,
            by_unit_version=by_unit_version,
            ports=ports,
            unit_generic={k: tuple(i for _v, i in sorted(set(v))) for k, v in unit_generic.items()},
            aliases=_words(aliases, r"[\w.-]", r"(?![\w]|[.-]\w)") if aliases else None,
            alias_ids=alias_ids,
            patterns=patterns,
        )


@functools.lru_cache(maxsize=4)
def _matcher(catalog: Catalog) -> _Matcher:
    return _Matcher.build(catalog)


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
        if not free(m.span()):
            continue
        elems = _elements(m["elems"])
        ver = m["ver"]
        juris = m["juris"].lower() if m["juris"] else None
        ev = Evidence("short-name", m.group(0).strip(), loc(m.start()))
        key = (elems, ver, juris)
        if ver and key in mt.short:
            scan.add((mt.short[key],), definite=True, strong=strong, ev=ev)
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
            if free(m.span()) and (lic_id := mt.alias_ids.get(_norm(m.group(1)))):
                ev = Evidence("name", m.group(0), loc(m.start()))
                scan.add((lic_id,), definite=True, strong=strong, ev=ev)
    for pattern, lic_id in mt.patterns:
        for m in pattern.finditer(lowered):
            ev = Evidence("text", m.group(0), loc(m.start()))
            scan.add((lic_id,), definite=True, strong=strong, ev=ev)
    if not scan.findings:
        for m in _FAST_GENERIC.finditer(lowered):
            ev = Evidence("generic", m.group(0), loc(m.start()))
            scan.add((), definite=False, strong=strong, ev=ev)


def _scan_names(
    mt: _Matcher, scan: _Scan, lowered: str | Lowered, *, strong: bool, loc: Any, free: Any
) -> None:
    """Official licence names in any language the catalogue has ("Attribution-ShareAlike 4.0")."""
    if mt.stems is None:
        return
    text = lowered.text if isinstance(lowered, Lowered) else lowered
    for m in mt.stems.finditer(lowered):
        if not free(m.span()):
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


# schema.org properties that point at *other* works: a licence stated inside them is theirs
_OTHER_WORK_KEYS = {
    "isbasedon", "isbasedonurl", "haspart", "ispartof", "associatedmedia", "citation",
    "workexample", "exampleofwork", "subjectof", "mentions", "translationofwork",
    "worktranslation", "image", "video", "audio", "thumbnail",
}  # fmt: skip
_LICENSE_KEYS = {
    "license",
    "licence",
    "licenseurl",
    "license_url",
    "licenceurl",
    "licenseshortname",
}
_VALUE_KEYS = ("url", "@id", "value", "href", "name", "code")


def _scan_json(mt: _Matcher, scan: _Scan, data: Any, *, path: str = "$", depth: int = 0) -> None:
    if depth > 64:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            sub = f"{path}.{key}"
            bare = str(key).split(":")[-1].lower()
            if bare in _OTHER_WORK_KEYS:
                continue
            if bare in _LICENSE_KEYS:
                _scan_json_license(mt, scan, value, path=sub)
            elif isinstance(value, (dict, list)):
                _scan_json(mt, scan, value, path=sub, depth=depth + 1)
            elif isinstance(value, str) and len(value) > 3:
                _scan_any(mt, scan, value, strong=False, where=sub)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            _scan_json(mt, scan, item, path=f"{path}[{i}]", depth=depth + 1)


def _scan_json_license(mt: _Matcher, scan: _Scan, value: Any, *, path: str) -> None:
    if isinstance(value, str):
        _scan_value(mt, scan, value, kind="json-ld", where=path)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _scan_json_license(mt, scan, item, path=f"{path}[{i}]")
    elif isinstance(value, dict):
        for key in _VALUE_KEYS:
            if isinstance(value.get(key), str) and value[key].strip():
                before = len(scan.findings)
                _scan_value(mt, scan, value[key], kind="json-ld", where=f"{path}.{key}")
                if len(scan.findings) > before and any(f.definite for f in scan.findings[before:]):
                    return


def _rel_tokens(el: etree._Element, attr: str) -> set[str]:
    return {t.lower() for t in (el.get(attr) or "").split()}


def _is_license_term(tokens: set[str]) -> bool:
    return any(t == "license" or t.endswith((":license", ":licence")) for t in tokens)


_META_LICENSE = {"dcterms.license", "dc.license", "dct.license", "license", "dcterms:license"}
_META_RIGHTS = {"dc.rights", "dcterms.rights", "dc:rights", "dcterms:rights", "rights"}
_URL_ATTRS = ("href", "resource", "src", "about", "url", "rdf:resource", "rdf:about", "content")


def _scan_markup(mt: _Matcher, scan: _Scan, text: str) -> None:
    try:
        root = parse_html(text)
    except ReadError:
        _scan_text(mt, scan, text, strong=False)
        return
    _scan_tree(mt, scan, root, text)


def _tag(el: etree._Element) -> str:
    """The tag as the HTML parser spells it: ``meta``, ``cc:license`` (XML: prefix, local name)."""
    tag = el.tag
    if not isinstance(tag, str) or tag[:1] != "{":
        return tag if isinstance(tag, str) else ""
    local = tag.rpartition("}")[2]
    return f"{el.prefix}:{local}" if el.prefix else local


_NAMED_TAGS = ("license", "licence", "rights", "usageterms")
# Most elements state nothing: only these are looked at (libxml2 picks them out, in document
# order, far faster than a walk in Python): elements with ``rel`` or ``property``, ``<meta>``,
# ``<script>``, elements whose name may be a licence or rights property (``cc:license``,
# ``dc:rights``, any prefixed name; see _NAMED), and comments (RDF, SPDX).
_CANDIDATE_PATH = (  # relative: a caption or other part of a page can be scanned alone
    ".//@rel/..|.//@property/..|.//comment()|descendant-or-self::*[contains(name(), ':')]|"
    + "|".join(f"descendant-or-self::{{p}}{name}" for name in ("meta", "script", *_NAMED_TAGS))
)
_CANDIDATES = (
    etree.XPath(_CANDIDATE_PATH.format(p="")),  # the HTML parser's names
    etree.XPath(_CANDIDATE_PATH.format(p="h:"), namespaces={"h": "http://www.w3.org/1999/xhtml"}),
)
_ATTRIBUTES_AND_COMMENTS = etree.XPath(".//@*|.//comment()")
_LICENCE_LINKS = etree.XPath(
    ".//@*[contains(., 'creativecommons') or contains(., 'licensebuttons')]"
)
"""Licence links and badges in any attribute (``href``, ``src``, ``content``, ``data-…``)."""


def _scan_tree(mt: _Matcher, scan: _Scan, root: etree._Element, markup: str | None) -> str:
    """Scan a parsed page; ``markup``, its source text, is also searched for bare CC URLs.
    Returns the page's running text as scanned (scripts and styles left out, a line per
    block)."""
    skipped: set[etree._Element] = set()
    found = _CANDIDATES[str(root.tag).startswith("{")](root)
    for el in found if isinstance(found, list) else ():
        if not isinstance(el, etree._Element):
            continue
        if not isinstance(el.tag, str):
            body = el.text or ""
            if "rdf:RDF" in body or "web.resource.org" in body:
                _scan_markup_strong_only(mt, scan, body)
            if markup is None and "SPDX-License-Identifier" in body:  # else detect() saw it
                for m in _SPDX_LINE.finditer(body):
                    line = (el.sourceline or 1) + body.count("\n", 0, m.start())
                    _add_spdx(mt, scan, m.group(1), where=f"line {line}")
            continue
        tag = _tag(el)
        if tag == "script":
            if (el.get("type") or "").lower() == "application/ld+json" and el.text:
                try:
                    data = load_json(el.text)
                except (ValueError, RecursionError):
                    continue
                _scan_json(mt, scan, data, path="JSON-LD")
            continue
        if (
            el.get("rel") or el.get("property") or tag == "meta" or _NAMED.search(tag)
        ) and not _scan_element(mt, scan, el, tag):
            skipped.add(el)
    links = _LICENCE_LINKS(root)
    attr_text = [
        str(value)
        for value in (links if isinstance(links, list) else ())
        if isinstance(value, etree._ElementUnicodeResult)
        and (owner := value.getparent()) not in skipped
        and owner is not None
        and _tag(owner) != "script"
    ]
    if markup is not None:  # autolinks <https://…>
        attr_text.extend(m.group(0) for m in _finditer(_CC_URL, _CC_URL_CORE, markup))
    _scan_text(mt, scan, "\n".join(attr_text), strong=False, where="link or image")
    page_text = text_of(root, skip=("script", "style"), blocks=BLOCKS)
    _scan_text(mt, scan, page_text, strong=False, where="page text")
    if markup is None and not scan.findings:
        # as detect() reads damaged markup as text: what attributes and comments say
        rest = _ATTRIBUTES_AND_COMMENTS(root)
        hidden = [
            str(v) if isinstance(v, str) else str(v.text or "")
            for v in (rest if isinstance(rest, list) else ())
            if isinstance(v, (str, etree._Comment))
        ]
        _scan_text(mt, scan, "\n".join(hidden), strong=False, where="markup")
    return page_text


_NAMED = re.compile(r"licen[cs]e$|rights$|usageterms$", re.IGNORECASE)
"""The element names :func:`_scan_element` reads (``cc:license``, ``dc:rights`` …), and more."""


def _scan_element(mt: _Matcher, scan: _Scan, el: etree._Element, tag: str) -> bool:
    """The statements of one element with ``rel``, ``property``, a ``<meta>`` or a licence or
    rights element; False when the element is about another work (its links are not read)."""
    where = f"<{tag}> line {el.sourceline}" if el.sourceline else f"<{tag}>"
    local = tag.rsplit(":", 1)[-1].lower()
    rel, prop = _rel_tokens(el, "rel"), _rel_tokens(el, "property")
    if (rel or prop) and _about_depth(el) > 1:
        # RDFa about another subject (a source work credited inside this work's notice):
        # its licence is not this page's
        if _is_license_term(rel) or _is_license_term(prop):
            scan.invalid.append(Evidence("rdfa-other-subject", el.get("href") or "", where))
        return False
    _ccrel_attribution(scan, el, rel, prop)
    if _is_license_term(rel):
        value = el.get("href") or el.get("resource") or el.get("src") or ""
        _scan_value(mt, scan, value, kind="rel-license", where=where)
        inner = " ".join(str(t) for t in el.itertext()).strip()
        if inner:
            _scan_value(mt, scan, inner, kind="rel-license-text", where=where)
        badges = "\n".join(img.get("src") or "" for img in el.iter("{*}img"))
        if badges.strip():
            _scan_value(mt, scan, badges, kind="rel-license-badge", where=where)
    if _is_license_term(prop):
        value = el.get("resource") or el.get("href") or el.get("content") or el.text or ""
        _scan_value(mt, scan, value, kind="rdfa", where=where)
    if tag == "meta":
        name = (el.get("name") or el.get("property") or "").lower()
        if name in _META_LICENSE:
            _scan_value(mt, scan, el.get("content") or "", kind="meta", where=where)
        elif name in _META_RIGHTS:
            _scan_value(mt, scan, el.get("content") or "", kind="meta-rights", where=where)
    elif local in ("license", "licence") and tag != "a":
        url = next((el.get(a) for a in _URL_ATTRS if el.get(a)), None)
        kind = "xmp" if tag.startswith("cc:") else "rdf"
        if url:
            _scan_value(mt, scan, url, kind=kind, where=where)
        elif (inner := " ".join(str(t) for t in el.itertext()).strip()) and len(inner) < 2000:
            _scan_value(mt, scan, inner, kind=kind, where=where)
    elif local in ("rights", "usageterms") and tag.split(":", maxsplit=1)[0] in (
        "dc",
        "dcterms",
        "xaprights",
    ):
        inner = " ".join(str(t) for t in el.itertext()).strip()
        if inner and len(inner) < 2000:
            _scan_value(mt, scan, inner, kind="rights", where=where)
    return True


def _about_depth(el: etree._Element) -> int:
    """How many elements around ``el`` (itself included) set an RDFa ``about`` subject."""
    depth = 1 if el.get("about") is not None else 0
    return depth + sum(1 for a in el.iterancestors() if a.get("about") is not None)


def _ccrel_attribution(scan: _Scan, el: etree._Element, rel: set[str], prop: set[str]) -> None:
    """Collect the title, creators and sources ccREL markup states about the work itself."""
    if "dct:title" in prop or "cc:attributionname" in prop:
        # only for these two: the text of every element of a page would cost O(size × depth)
        text = " ".join(" ".join(str(t) for t in el.itertext()).split())
        if "dct:title" in prop and scan.title is None and text:
            scan.title = text
        if "cc:attributionname" in prop and text and text not in scan.creators:
            scan.creators.append(text)
    if "dct:source" in rel and (href := el.get("href")) and href not in scan.sources:
        scan.sources.append(href)


def _scan_markup_strong_only(mt: _Matcher, scan: _Scan, text: str) -> None:
    sub = _Scan()
    _scan_markup(mt, sub, text)
    scan.findings.extend(f for f in sub.findings if f.strong)


_MARKUP = re.compile(
    r"<(?:[A-Za-z][\w:.-]*(?:\s[^>]*)?/?|/[A-Za-z][\w:.-]*\s*|!--.*?--|!\[CDATA\[.*?\]\]|\?xml[^>]*\?|!DOCTYPE[^>]*)>",
    re.S,
)


def _scan_any(mt: _Matcher, scan: _Scan, text: str, *, strong: bool, where: str) -> None:
    if _MARKUP.search(text):
        sub = _Scan()
        _scan_markup(mt, sub, text)
        for f in sub.findings:
            scan.add(f.ids, definite=f.definite, strong=strong and f.strong, ev=f.evidence)
    else:
        _scan_text(mt, scan, text, strong=strong, where=where)


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
