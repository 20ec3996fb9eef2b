"""Licence statements in markup and JSON: machine-readable ones first, then the page's text.

:func:`_scan_tree` reads a parsed page: ``rel="license"``, ``<meta>`` and ``<link>`` tags, RDFa
and RDF properties, XMP, comments and JSON-LD (:func:`_scan_element`, :func:`_scan_json`), then
licence links in attributes and the running text. :func:`_scan_markup` parses markup first, and
:func:`_scan_any` scans a value as markup or as text, whichever it is.

The top scanning layer of :mod:`oerremix.detect`, which imports it: it builds on
:mod:`oerremix._detect_text` and :mod:`oerremix._detect_patterns`, neither of which imports it.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from oerremix._detect_patterns import _CC_URL, _CC_URL_CORE, _SPDX_LINE, _finditer, _Matcher
from oerremix._detect_text import _add_spdx, _Scan, _scan_text, _scan_value
from oerremix._json_input import load_json
from oerremix._markup import BLOCKS, parse_html, text_of
from oerremix.errors import ReadError
from oerremix.model import Evidence

__all__ = ["_MARKUP", "_scan_json", "_scan_markup", "_scan_tree"]


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
