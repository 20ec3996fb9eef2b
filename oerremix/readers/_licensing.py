"""Licence statements as every reader weighs them: one place's claim, what several claims amount
to, "except where otherwise noted", and the credit line in a caption.

Each reader finds statements its own way (``<dc:rights>``, a LICENSE file, a page's
``rel="license"``, a caption); this module is the one place that says what they mean together.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from oerremix._fastre import Anchored
from oerremix.catalog import License, load_catalog
from oerremix.detect import Detection, detect
from oerremix.model import Evidence, LicenseStatus

__all__ = [
    "CREDIT_CUES",
    "Claim",
    "claim_from_detection",
    "decide",
    "except_where_noted",
    "find_credit",
    "license_named",
    "page_claims",
    "part_conflicts",
    "placed",
    "reserved_claim",
    "restriction_claim",
    "statement",
]

_MAX_MATCH = 300
_MACHINE_READABLE = frozenset(
    {
        *("rel-license", "rel-license-text", "rel-license-badge", "meta", "meta-rights"),
        *("json-ld", "rdfa", "rdf", "xmp", "rights", "spdx"),
    }
)


# --- what one place says ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claim:
    """What one place (a page, a LICENSE file, a README, a metadata field) says the licence is."""

    where: str
    """The place, e.g. ``"page"``, ``"LICENSE.md"`` or ``"EPUB/content.opf <dc:rights>"``."""
    status: Literal["found", "ambiguous", "conflict", "none"]
    """One licence, not enough to know which, contradictory statements in this one place, or a
    statement that names no licence oerremix knows (kept only as evidence)."""
    candidates: frozenset[str]
    """The licence ids it can mean; empty when even the kind of licence is unknown."""
    family: str | None
    """A family the licence belongs to when only that is said ("a Creative Commons licence")."""
    evidence: tuple[Evidence, ...]
    """The statements, their ``where`` prefixed with the place."""


def placed(where: str, evidence: Iterable[Evidence], separator: str = ": ") -> tuple[Evidence, ...]:
    """``evidence`` with ``where`` prefixed by the place it was found in."""
    return tuple(
        dict.fromkeys(Evidence(e.kind, e.match, f"{where}{separator}{e.where}") for e in evidence)
    )


def reserved_claim(where: str, text: str, low: str | None = None) -> Claim | None:
    """A plain "All rights reserved", in any language the catalogue names that status in.
    ``low`` is ``text`` lowercased, when the caller has it."""
    lic = load_catalog().find("ALL-RIGHTS-RESERVED")
    if lic is None:
        return None
    if low is None:
        low = text.lower()  # a quick look first: readers ask this of every page's whole text
    for word in dict.fromkeys([name for _lang, name in lic.names] + list(lic.aliases)):
        if word.lower() not in low:
            continue
        match = re.search(r"\b" + re.escape(word) + r"\b", text, re.IGNORECASE)
        if match:
            ev = Evidence("text", match.group(0), f"{where}: text")
            return Claim(where, "found", frozenset({lic.id}), None, (ev,))
    return None


# --- what a page's own words say beside its licence --------------------------------------------

_H = r"[\s\-‐‑–—]?"  # "non-commercial", "non commercial", "noncommercial"
_NC = rf"non{_H}commercial"
_RESTRICTIONS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    (
        "commercial_use",
        ("commerc", "comerc", "kommerz"),
        re.compile(
            rf"\b{_NC}\s+(?:use|uses|purposes?|distribution)\s+only\b"
            rf"|(?<!not\s)\bonly\s+(?:be\s+used\s+)?for\s+(?:[\w-]+,?\s+(?:and\s+|or\s+)?)?{_NC}"
            r"|(?<!or\s)\bnot\s+(?:to\s+be\s+used\s+)?for\s+(?:any\s+)?commercial\s+"
            r"(?:use|uses|purposes?|gain|distribution)\b"
            r"|(?<![\w-])commercial\s+(?:use|uses|reuse|exploitation|distribution|purposes)\s+"
            r"(?:is\s+|are\s+)?(?:strictly\s+)?(?:prohibited|forbidden|not\s+(?:permitted|allowed))"
            r"|\bno\s+commercial\s+(?:use|uses|reuse|exploitation)\s+(?:is\s+|may\s+be\s+)?"
            r"(?:permitted|allowed|made)\b"
            r"|\b(?:may|must|shall)\s+not\s+be\s+used\s+(?:for\s+)?(?:any\s+)?commercial"
            r"|\byou\s+may\s+not\s+use\s+(?:the|this)\s+(?:material|work|content)\s+for\s+"
            r"commercial\s+purposes"
            # fr
            rf"|\b(?:utilisation|usage|fins?)\s+non{_H}commerciale?s?\s+"
            r"(?:uniquement|seulement|exclusivement)\b"
            r"|\b(?:uniquement|seulement|exclusivement)\s+(?:à|a|pour)\s+(?:des\s+fins|un\s+usage"
            rf"|une\s+utilisation)\s+(?:[\w-]+\s+(?:et|ou)\s+)?non{_H}commerciale?s?"
            r"|\b(?:utilisation|usage|exploitation)\s+commerciale?\s+(?:est\s+)?(?:strictement\s+)?"
            r"interdite?"
            # de
            r"|\bnur\s+(?:für|zu)\s+(?:[\w-]+\s+(?:und|oder)\s+)?nicht"
            r"[\s\-‐‑–—]?kommerzielle[nr]?\s+(?:Zweck\w*|Nutzung|Gebrauch|Einsatz)"
            r"|\bnicht\s+(?:für|zu)\s+kommerzielle[nr]?\s+(?:Zweck\w*|Nutzung|Gebrauch)"
            r"|(?<![\w-])kommerzielle\s+(?:Nutzung|Verwendung|Verwertung)\s+(?:ist\s+)?"
            r"(?:ausdrücklich\s+)?(?:untersagt|verboten|nicht\s+(?:gestattet|erlaubt|zulässig))"
            # es
            r"|\b(?:s[oó]lo|solamente|[uú]nicamente|exclusivamente)\s+(?:para|con)\s+(?:el\s+)?"
            r"(?:uso|usos|fines)\s+(?:\w+\s+(?:y|o)\s+)?no\s+comercial(?:es)?"
            r"|\b(?:uso|usos|fines)\s+no\s+comercial(?:es)?\s+(?:[uú]nicamente|solamente|exclusivamente)"
            r"|\bprohibid[oa]\s+(?:el\s+|su\s+)?(?:uso|explotaci[oó]n|utilizaci[oó]n)\s+comercial"
            r"|\b(?:uso|explotaci[oó]n)\s+comercial\s+(?:est[aá]\s+)?(?:estrictamente\s+)?"
            r"prohibid[oa]",
            re.IGNORECASE,
        ),
    ),
    (
        "derivative_works",
        ("deriv", "dériv", "modif", "adapt", "not be ", "bearbeit", "änderung"),
        re.compile(
            r"\bno\s+(?:derivatives?|derivative\s+works?|adaptations?|modifications?)\s+"
            r"(?:(?:may|can|shall)\s+be\s+(?:made|created|produced|distributed|published|shared)"
            r"|(?:are|is)\s+(?:permitted|allowed))"
            r"|\b(?:derivative\s+works?|derivatives|adaptations?|modifications?)\s+"
            r"(?:of\s+(?:this|the)\s+\w+\s+)?(?:are|is)\s+(?:strictly\s+)?"
            r"(?:prohibited|forbidden|not\s+(?:permitted|allowed))"
            r"|\b(?:this|the)\s+(?:work|material|content|book|page|course|resource|text)s?\s+"
            r"(?:may|must|shall)\s+not\s+be\s+(?:modified|altered|adapted|changed|remixed)"
            # fr
            r"|\b(?:aucune\s+modification|aucune\s+(?:œuvre|oeuvre)\s+dérivée)\s+n['’]est\s+"
            r"(?:autorisée|permise)"
            r"|\b(?:modifications?|(?:œuvres?|oeuvres?)\s+dérivées?)\s+(?:est\s+|sont\s+)?"
            r"(?:strictement\s+)?interdites?"
            # de
            r"|\b(?:Bearbeitungen|Veränderungen|Änderungen)\s+(?:sind\s+)?(?:ausdrücklich\s+)?"
            r"(?:untersagt|verboten|nicht\s+(?:gestattet|erlaubt|zulässig))"
            # es
            r"|\b(?:no\s+se\s+permiten|se\s+proh[ií]ben)\s+(?:las\s+)?(?:obras\s+derivadas"
            r"|modificaciones|adaptaciones)",
            re.IGNORECASE,
        ),
    ),
)
"""Restrictions a page may write beside its licence: the right each withholds (as the
catalogue names it: ``prohibits: [commercial_use]``, ``permits: [derivative_works]``), a few
lowercase words one of which every match contains (looked for first, with ``in``), and the
wording, which must say the restriction ("… only", "not for …", "no … may be", "prohibited",
"uniquement", "nur …", "solo …"), never just name a licence element ("NonCommercial",
"Pas d'Utilisation Commerciale", "Keine Bearbeitungen")."""


def _grants(lic: License | None, right: str) -> bool:
    """Does ``lic`` grant ``right``, per the catalogue? (Unknown ids are taken to.)"""
    if lic is None:
        return True
    if right == "commercial_use":
        return bool(lic.permits) and not lic.prohibits_commercial_use
    return lic.permits_derivative_works


def restriction_claim(
    where: str, claims: Iterable[Claim], text: str, low: str | None = None
) -> Claim | None:
    """A restriction ``text`` writes in prose that every licence ``claims`` state grants.

    "Licensed CC BY 4.0 — non-commercial use only" says two things that cannot both be true of
    CC BY, which grants commercial use: the answer is a ``conflict`` claim, never the more
    permissive of the two. None when the claims state no licence, when the restriction is
    part of a licence they may mean (CC BY-NC and "non-commercial use only" agree), or when
    ``text`` writes no restriction.

    >>> cc_by = claim_from_detection("page", detect("Licensed CC BY 4.0."))
    >>> restriction_claim("page", [cc_by], "Not for commercial use.").status
    'conflict'
    >>> cc_by_nc = claim_from_detection("page", detect("Licensed CC BY-NC 4.0."))
    >>> restriction_claim("page", [cc_by_nc], "Not for commercial use.") is None
    True
    >>> restriction_claim("page", [cc_by], "Unlike NC licences, it allows commercial use.")
    """
    stated = frozenset(i for claim in claims if claim.status != "none" for i in claim.candidates)
    if not stated:
        return None
    low = text.lower() if low is None else low
    catalog = load_catalog()
    for right, cues, pattern in _RESTRICTIONS:
        if not all(_grants(catalog.find(i), right) for i in stated):
            continue  # a licence the page may mean carries the restriction
        match = _near_cue(pattern, cues, text, low)
        if match is None:
            continue
        evidence = (Evidence("text", _short(match.group(0)), f"{where}: text"),)
        return Claim(where, "conflict", stated, None, evidence)
    return None


_REACH = 80
"""How far from its cue word a restriction's wording can start or end (it is a few words)."""


def _near_cue(
    pattern: re.Pattern[str], cues: tuple[str, ...], text: str, low: str
) -> re.Match[str] | None:
    """``pattern`` searched only around the cue words of ``low`` (``text`` lowercased, which
    keeps positions but for a few rare characters: then the whole text is searched), in one
    search per run of nearby cues. A case-insensitive search of a whole page would cost more
    than the rest of a page scan; the cues are rare words."""
    if len(low) != len(text):
        return pattern.search(text) if any(cue in low for cue in cues) else None
    found: list[int] = []
    for cue in cues:
        at = low.find(cue)
        while at != -1:
            found.append(at)
            at = low.find(cue, at + 1)
    start = end = -1
    for at in sorted(found):
        if start >= 0 and at - _REACH <= end:
            end = at + _REACH  # overlaps the run: extend it
            continue
        if start >= 0 and (match := pattern.search(text, start, end)) is not None:
            return match
        start, end = max(0, at - _REACH), at + _REACH
    return pattern.search(text, start, end) if start >= 0 else None


def page_claims(where: str, stated: Iterable[Claim | None], own_text: str) -> list[Claim]:
    """What a page says about its own licence: its statements (``stated``) and, from the text
    that speaks for the page itself (captions and credits left out), an "All rights reserved"
    (:func:`reserved_claim`) and a restriction in prose the licence does not carry
    (:func:`restriction_claim`). :func:`decide` weighs them: either beside a licence is a
    conflict.
    """
    claims = [claim for claim in stated if claim is not None]
    low = own_text.lower()
    prose = (
        reserved_claim(where, own_text, low),
        restriction_claim(where, claims, own_text, low),
    )
    return claims + [claim for claim in prose if claim is not None]


def part_conflicts(
    license_id: str | None, status: LicenseStatus, parts: Iterable[LicenseStatus]
) -> tuple[str | None, LicenseStatus]:
    """A work's licence and status once its parts (a book's chapters, a course's pages) are
    read. A part that contradicts itself (a ``conflict``) could be used under none of what it
    says; and a part stating nothing of its own is taken to be under the work's licence, which
    would silently give it one. So the work is a ``conflict`` too, with no licence.

    >>> part_conflicts("CC-BY-4.0", "found", ["found", "conflict"])
    (None, 'conflict')
    >>> part_conflicts("CC-BY-4.0", "found", ["none", "found"])
    ('CC-BY-4.0', 'found')
    """
    if "conflict" in parts:
        return None, "conflict"
    return license_id, status


@functools.lru_cache(maxsize=512)
def license_named(text: str) -> str | None:
    """The one licence a single statement names on its own, if it names exactly one."""
    found = detect(text)
    return found.license_id if found.status == "found" else None


def _claim(where: str, detection: Detection, separator: str) -> Claim | None:
    if detection.status == "none":
        return None
    evidence = placed(where, detection.evidence, separator)
    if detection.status == "found" and detection.license_id is not None:
        return Claim(where, "found", frozenset({detection.license_id}), None, evidence)
    named = {
        found
        for e in detection.evidence
        if e.kind in _MACHINE_READABLE and (found := license_named(e.match)) is not None
    }
    if len(named) > 1:
        return Claim(where, "conflict", frozenset(named), None, evidence)
    family = None
    if not detection.candidates and all(e.kind in ("generic", "icon") for e in detection.evidence):
        family = "creative-commons"
    return Claim(where, "ambiguous", frozenset(detection.candidates), family, evidence)


def claim_from_detection(where: str, detection: Detection) -> Claim | None:
    """Turn what :func:`~oerremix.detect.detect` found in one place into a :class:`Claim`.

    ``None`` when the place states no licence. An ambiguous detection whose machine-readable
    statements (``rel="license"``, licence ``<meta>``, JSON-LD, RDFa …) name different licences
    is a ``conflict``; different licences met only in running text stay ``ambiguous`` (they may
    be about different things); one that names only "a Creative Commons licence"
    (a generic mention or a lone CC logo) constrains the licence to that family.

    >>> claim_from_detection("README", detect("Shared under CC BY-SA 4.0.")).candidates
    frozenset({'CC-BY-SA-4.0'})
    >>> generic = detect("Published under the Creative Commons License.")
    >>> claim_from_detection("README", generic).family
    'creative-commons'
    """
    return _claim(where, detection, ": ")


def metadata_claim(
    where: str, value: object, *, unknown: LicenseStatus = "ambiguous"
) -> Claim | None:
    """A metadata ``license`` value (an id, a URL, ``{id: URL}``, a schema.org CreativeWork or a
    list of them) as a claim found at ``where``: front matter, ``metadata.yml``, a package's
    ``metadata.jsonld``. None when it names nothing; a value naming no licence oerremix knows
    is a claim of status ``unknown`` (a packaged format's metadata keeps it as evidence only,
    ``"none"``, as :func:`statement` does).

    >>> metadata_claim("metadata.jsonld", {"@id": "https://creativecommons.org/licenses/by/4.0/"}).candidates
    frozenset({'CC-BY-4.0'})
    >>> metadata_claim("metadata.jsonld", {"@type": "CreativeWork"}) is None
    True
    """
    texts: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Mapping):
            texts.extend(str(v) for k in ("id", "@id", "url", "name", "code") if (v := item.get(k)))
        elif item is not None:
            texts.append(str(item))
    texts = [text for text in texts if text.strip()]
    if not texts:
        return None
    ids = {lic.id for text in texts if (lic := load_catalog().find(text.strip()))}
    evidence = tuple(Evidence("metadata", text, f"{where}: license") for text in texts)
    if len(ids) == 1:
        return Claim(where, "found", frozenset(ids), None, evidence)
    if len(ids) > 1:
        return Claim(where, "conflict", frozenset(ids), None, evidence)
    found = claim_from_detection(where, detect("\n".join(texts)))
    if found is not None:
        return replace(found, evidence=evidence + found.evidence)
    return Claim(where, unknown, frozenset(), None, evidence)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MATCH else text[: _MAX_MATCH - 1] + "…"


def statement(where: str, detection: Detection, text: str | None = None) -> Claim:
    """A metadata statement of a packaged format (EPUB, OpenStax, IMS CC) as a :class:`Claim`.

    Like :func:`claim_from_detection`, with evidence placed as ``"<place>, <where>"``; a
    statement that names no licence oerremix knows is kept, as written, as a claim of status
    ``none`` (evidence only) when its ``text`` is given.

    >>> statement("OPF <dc:rights>", detect("Some rights"), "Some rights").evidence[0].kind
    'statement'
    """
    claim = _claim(where, detection, ", ")
    if claim is not None:
        return claim
    evidence = placed(where, detection.evidence, ", ")
    if text and text.strip():
        evidence += (Evidence("statement", _short(text), where),)
    return Claim(where, "none", frozenset(), None, evidence)


# --- what the claims about one work amount to --------------------------------------------------


@functools.lru_cache(maxsize=8)
def _family_ids(family: str) -> frozenset[str]:
    return frozenset(lic.id for lic in load_catalog() if lic.family == family)


def decide(
    claims: Iterable[Claim],
) -> tuple[str | None, LicenseStatus, tuple[Evidence, ...]]:
    """What the claims about one work amount to: ``(license id, status, evidence)``.

    ``found`` when together they leave exactly one licence and at least one of them states it
    definitely (a README naming "CC BY-NC-SA" without a version agrees with metadata naming
    CC BY-NC-SA 4.0); ``conflict`` when they cannot all be true (or one place contradicts
    itself); ``ambiguous`` when they leave several, or when one of them says a licence applies
    without naming it (a bare "Creative Commons licence" rules out other families but never
    settles the licence); ``none`` when no claim states a licence. The licence id is set
    only for ``found``; every statement is kept as evidence.

    >>> readme = claim_from_detection("README", detect("the Creative Commons License"))
    >>> license_file = claim_from_detection("LICENSE", detect("Design Science License"))
    >>> decide([readme, license_file])[:2]
    (None, 'conflict')
    """
    claims = list(claims)
    evidence = tuple(dict.fromkeys(e for claim in claims for e in claim.evidence))
    stated = [claim for claim in claims if claim.status != "none"]
    if not stated:
        return None, "none", evidence
    if any(claim.status == "conflict" for claim in stated):
        return None, "conflict", evidence
    allowed: frozenset[str] | None = None
    vague = False  # a claim that names no licence: it can rule licences out, never settle one
    for claim in stated:
        ids = claim.candidates or (_family_ids(claim.family) if claim.family else None)
        vague = vague or not claim.candidates
        if ids is not None:
            allowed = ids if allowed is None else allowed & ids
    if allowed is not None and not allowed:
        return None, "conflict", evidence
    definite = any(claim.status == "found" for claim in stated)
    if allowed is not None and len(allowed) == 1 and definite and not vague:
        (only,) = allowed
        return only, "found", evidence
    return None, "ambiguous", evidence


# --- wording that carries meaning for licensing ------------------------------------------------

_EXCEPT_NOTED = re.compile(
    r"\b(?:except|unless)\s+(?:where\s+|as\s+)?otherwise\s+(?:noted|stated|indicated|specified|marked)"
    r"|\b(?:except|unless)\s+(?:where|as|when|if)?\s*(?:otherwise|indicated\s+otherwise)"
    r"|\bexcept\s+for\s+(?:third[-\s]party|content\s+credited)"
    r"|\bsauf\s+(?:mention|indication)\s+contraire"
    r"|\b(?:sofern|soweit|wenn)\s+nicht\s+anders\s+(?:angegeben|vermerkt|gekennzeichnet)"
    r"|\bsalvo\s+(?:que\s+se\s+indique\s+lo\s+contrario|indicaci[oó]n\s+contraria)",
    re.IGNORECASE,
)


def except_where_noted(text: str) -> bool:
    """Does ``text`` say its licence covers everything "except where otherwise noted"?

    Only then do media with no statement of their own take the work's licence. English,
    French, German and Spanish wordings are recognised.

    >>> except_where_noted("Licensed under CC BY 4.0, except where otherwise noted.")
    True
    >>> except_where_noted("CC BY 4.0, sauf mention contraire.")
    True
    >>> except_where_noted("Licensed under CC BY 4.0.")
    False
    """
    return _FAST_EXCEPT_NOTED.search(text) is not None


_FAST_EXCEPT_NOTED = Anchored(
    _EXCEPT_NOTED, ["except", "unless", "sauf", "sofern", "soweit", "wenn", "salvo"], before=r"\w"
)


CREDIT_CUES = re.compile(
    # (?<![^\W_]) is \b that also allows "_Quelle" or "*Credit*" (Markdown emphasis)
    r"©|\(c\)\s*\d|(?<![^\W_])(?:copyright|credits?|courtesy|attribution|licen[cs]ed?)\b"
    r"|(?<![^\W_])(?:public\s+domain|creative\s+commons)\b|\bCC[\s-]*(?:BY|0)\b"
    r"|\bvia\s+(?-i:[A-Z])"
    r"|(?<![^\W_])(?:image|photo(?:graph)?|picture|illustration|drawing|video|audio|map|diagram"
    r"|graphic|icon|figure|logo)s?\s+(?:by|from|courtesy|source|credit)\b"
    r"|(?<![^\W_])source\s*:|\bby\s+(?-i:[A-Z])|(?<![^\W_])quelle\b"
    r"|(?<![^\W_])(?:foto|bild|grafik|abbildung)\s*:|(?<![^\W_])cr[ée]dits?\b"
    r"|(?<![^\W_])fuente\s*:",
    re.IGNORECASE,
)
"""Words that make a caption (or an image title) a credit line rather than a description."""

_PAREN_CREDIT = re.compile(
    r"\(\s*((?:image\s+|photo\s+|photograph\s+)?credits?\b[^()]*(?:\([^()]*\)[^()]*)*)\)",
    re.IGNORECASE,
)
# Where a credit line starts inside a longer caption: narrower than CREDIT_CUES, which only
# has to say whether a whole caption reads like a credit.
_CREDIT_MARK = re.compile(
    r"\b(?:image|photo(?:graph)?|illustration|picture)\s+(?:credits?|by|courtesy)\b"
    r"|\bcredits?\s*:|\bcourtesy\s+of\b|\bsource\s*:|©",
    re.IGNORECASE,
)


def find_credit(caption: str) -> str | None:
    """The credit line in a figure caption, verbatim, or None.

    A parenthesised credit is taken without its parentheses; otherwise the caption from a
    credit marker (``Credit:``, ``Photo by``, ``Courtesy of``, ``Source:``, ``©``) to its end.

    >>> find_credit('A wind farm. (credit a: modification of work by Stig Nygaard)')
    'credit a: modification of work by Stig Nygaard'
    >>> find_credit("A cat. Photo by Jane Doe, CC BY 2.0") is None
    False
    >>> find_credit("Ohm's law in a circuit.") is None
    True
    """
    text = " ".join(caption.split())
    match = _PAREN_CREDIT.search(text)
    if match:
        return match.group(1).strip() or None
    mark = _CREDIT_MARK.search(text)
    if mark:
        return text[mark.start() :].strip(" .;") or None
    return None
