"""The patterns licence detection matches: the grammar of CC short names and URLs, and the
catalogue's names, aliases and patterns.

The grammar of CC short names, URLs, badges and icons is fixed (``_CC_SHORT``, ``_CC_URL`` …);
the names, aliases and patterns of the licences come from the catalogue, compiled once for each
catalogue by :func:`_matcher` into a :class:`_Matcher`. Long texts are searched the fast way
(:mod:`oerremix._fastre`): ``_FAST_…`` and the matcher's patterns are :class:`Anchored`, and
:func:`_finditer` finds licence URLs and badges after a cheap search for their core.

This is the bottom layer of :mod:`oerremix.detect`: it imports no other part of it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from oerremix._fastre import Anchored, Lowered, leading_words
from oerremix.catalog import Catalog, LicenseId

__all__ = [
    "_BADGE",
    "_BADGE_CORE",
    "_CC_BEFORE",
    "_CC_URL",
    "_CC_URL_CORE",
    "_FAST_ANY_URL",
    "_FAST_CC_SHORT",
    "_FAST_GENERIC",
    "_ICON",
    "_LICENSE_BEFORE",
    "_SPDX_LINE",
    "_VERSION_AFTER",
    "_Matcher",
    "_denied",
    "_elements",
    "_finditer",
    "_key",
    "_matcher",
    "_norm",
]


# --- the grammar of CC short names and URLs (cc-rules.md §5.1, §5.2, §5.4) -----------------

_SEP = r"[\s_\-‐‑–—]*"
_ELEMENT = r"(?:BY|NC|ND|SA)(?![A-Za-z])"
# After the first element, an element may be spelled out ("CC BY-NoDerivs 3.0", §5.4 element
# variants) and elements may be separated by slashes ("CC BY/NC"): a short name read only up
# to "CC BY" would drop the elements that restrict it.
_SPELLED = rf"Non{_SEP}Commercial|No{_SEP}Deriv(?:s|atives|ative{_SEP}Works)|Share{_SEP}Alike"
_ELEMENT_ANY = rf"(?:BY|NC|ND|SA|{_SPELLED})(?![A-Za-z])"
_ELEMENT_SEP = r"[\s_\-‐‑–—/]*"
_CC_SHORT = re.compile(
    rf"(?<![A-Za-z0-9])CC{_SEP}"
    rf"(?P<elems>{_ELEMENT}(?:{_ELEMENT_SEP}{_ELEMENT_ANY})*|0|ZERO(?![A-Za-z]))"
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


# a statement denied just before it: "this is not CC0", "not licensed under a Creative Commons
# licence", "n'est pas sous licence CC BY", "nicht unter CC BY", "no está bajo CC BY". Only the
# words that can stand between the denial and the licence are allowed ("content not otherwise
# noted is licensed under CC BY" is no denial).
_DENIED = re.compile(
    r"(?:\b(?:not|never|no\s+longer|no)(?:\s+(?:be|been|being|is|are|was|were))?"
    r"(?:\s+(?:licen[cs]ed|released|available|published|covered|offered|distributed|shared))?"
    r"(?:\s+(?:under|by|with|as|in|via))?(?:\s+(?:a|an|the|any))?"
    r"|\bpas(?:\s+(?:sous|plac[ée]e?s?|publi[ée]e?s?|diffus[ée]e?s?|soumise?s?"
    r"|à|a|la|une|licence))*"
    r"|\b(?:nicht|kein(?:e[nmrs]?)?)(?:\s+(?:unter|mit))?(?:\s+(?:der|einer|die|eine|lizenz))*"
    r"|\bno(?:\s+(?:es|está|están|son))?(?:\s+(?:bajo|con))?(?:\s+(?:la|una|licencia))*"
    r")[\s\"'«“(]*$",
    re.IGNORECASE,
)


def _denied(text: str, start: int) -> bool:
    """Whether the statement at ``start`` of ``text`` is denied by the words just before it."""
    return _DENIED.search(text, max(0, start - 48), start) is not None


_FAST_ANY_URL = Anchored(_ANY_URL, ["http"])
_FAST_CC_SHORT = Anchored(_CC_SHORT, ["cc"], before="[a-z0-9]")
_FAST_GENERIC = Anchored(
    _GENERIC, ["under", "sous", "unter", "bajo", "creative", "some", "cc"], before=r"\w"
)


def _elements(text: str) -> frozenset[str]:
    if text.upper() in ("0", "ZERO"):
        return frozenset({"ZERO"})
    found = set()
    for word in re.findall(rf"BY|NC|ND|SA|{_SPELLED}", text, re.IGNORECASE):
        letters = re.sub(r"[^A-Z]", "", word.upper())
        if len(letters) > 2:  # spelled out: NonCommercial, NoDeriv…, ShareAlike
            letters = "NC" if letters.startswith("NON") else "ND" if letters[1] == "O" else "SA"
        found.add(letters)
    return frozenset(found)


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
