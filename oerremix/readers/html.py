"""Read one HTML page: a generic web page, a Pressbooks web-book chapter or a LibreTexts page.

What is read, in order of precedence where several places say the same thing:

- **title**: ``og:title``, ``dc.title``/``dcterms.title``, ``citation_title``, the schema.org
  JSON-LD ``name``/``headline``, ccREL ``dct:title``, ``<title>``, the first ``<h1>``;
- **authors**: JSON-LD ``author``, ``<meta name="author">``, ``dc.creator``, ``citation_author``,
  ccREL ``cc:attributionName``, a Pressbooks chapter's author line, LibreTexts ``authorname:`` tags
  (the first place that names anyone wins; they are not merged);
- **url** (``<link rel="canonical">``, ``og:url``, JSON-LD ``url``), **language** (``<html lang>``),
  **year** (JSON-LD and Dublin Core dates, else the copyright line) and the **copyright** line as
  found (``© 2021 …``, ``Copyright (C) …``);
- **licence**: :func:`~oerremix.detect.detect` on the page *without* its figure captions and
  per-image credit lists (so an image's licence is never taken for the page's), plus the
  platform's own statement (LibreTexts ``license:``/``licenseversion:`` page tags). Statements
  that disagree give ``license_status="conflict"`` and no licence, with every statement kept;
- **lineage**: JSON-LD ``isBasedOn``, ccREL ``rel="dct:source"`` and "adapted from …"/"based on …"
  sentences followed by a link (not a licence link);
- **sections**: one per ``<h1>``–``<h3>`` of the main content, with the heading's ``id`` or a
  slug of its text, made unique; content before the first heading is a section of its own;
- **assets**: ``<img>``, ``<video>``, ``<audio>`` and ``<iframe>`` in the main content, each with
  the credit and licence of its caption (``<figcaption>``, Pressbooks "Media Attributions").

An asset with no statement of its own takes the page's licence (``license_inherited=True``) only
when the page says so ("except where otherwise noted" and its equivalents) and the asset is part
of the site (a relative or same-host address); a credit without a licence leaves the licence
unknown. Nothing is fetched: links are recorded, never followed.

The Markdown reader renders Markdown to HTML and reads it with the helpers listed in
``__all__`` (sections, lineage, assets, copyright lines); licence claims and how they are
weighed are in :mod:`oerremix.readers._licensing`.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult
from urllib.parse import urljoin as _urljoin
from urllib.parse import urlsplit as _urlsplit

from lxml.html import HtmlElement

from oerremix._fastre import SHORT, Lowered
from oerremix._markup import BLOCKS, parse_html, text_of
from oerremix.catalog import load_catalog
from oerremix.detect import Detection, detect, detect_tree
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError
from oerremix.model import (
    MAX_NESTING,
    Asset,
    AssetKind,
    Author,
    Evidence,
    LicenseStatus,
    Provenance,
    Section,
    Work,
)
from oerremix.readers import Input
from oerremix.readers._licensing import (
    CREDIT_CUES,
    Claim,
    claim_from_detection,
    decide,
    except_where_noted,
    license_named,
    placed,
)
from oerremix.readers._sections import (
    SKIPPED,
    PageSections,
    classes,
    in_apparatus,
    plan_sections,
    slugify,
    squash,
    unique_id,
)

__all__ = [
    "READER",
    "HtmlReader",
    "find_copyright",
    "find_lineage",
    "licence_tree",
    "page_assets",
    "parse_page",
    "plan_sections",
    "slugify",
    "split_names",
    "unique_id",
]

# --- wording that carries meaning for licensing ------------------------------------------------

_LINEAGE = re.compile(
    r"(?:\badapted|\bremixed|\bderived|\bmodified|\btranslated|\brevised)\s+(?:\w+\s+){0,3}?from\b"
    r"|\bbased\s+(?:up)?on\b|\badaptation\s+of\b|\bremix\s+of\b|\bderivative\s+of\b"
    r"|\bbasiert\s+auf\b|\badaptiert\s+(?:von|aus|nach)\b|\bbearbeitet\s+nach\b"
    r"|\badapt[ée]e?s?\s+(?:de|d['’])|\bbas[ée]e?s?\s+sur\b|\bd['’]apr[èe]s\b|\badaptad[oa]\s+de\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]]{2})[.!?](?:\s|$)")
_NOT_A_SOURCE = re.compile(r"\b(?:by|von|par|por|in|im|of|aus|dans|en|©)\s*$", re.IGNORECASE)
_BADGE = re.compile(
    r"licensebuttons\.net|i\.creativecommons\.org|mirrors\.creativecommons\.org|/cc-[a-z-]+\.svg",
    re.IGNORECASE,
)
_CREDIT_CLASS = re.compile(r"credit|attribution|caption|source|copyright", re.IGNORECASE)
_VIDEO_HOSTS = re.compile(
    r"(?:^|\.)(?:youtube(?:-nocookie)?\.com|youtu\.be|vimeo\.com|wistia\.net)$"
)
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_YEAR = re.compile(r"\b(1[0-9]{3}|2[0-9]{3})\b")
_CONTAINERS = frozenset(BLOCKS) - {"br", "hr"}
# JSON-LD properties that describe *other* works (sources, parts, media): their licences are
# not the page's, so they are left out of the copy the licence is detected on.
_NESTED_WORKS = frozenset(
    {
        "isBasedOn",
        "isBasedOnUrl",
        "hasPart",
        "isPartOf",
        "citation",
        "mentions",
        "associatedMedia",
        "image",
        "video",
        "audio",
        "subjectOf",
        "workExample",
        "exampleOfWork",
        "about",
        "translationOfWork",
    }
)
_SECONDARY_TYPES = frozenset(
    {
        "WebSite",
        "Organization",
        "Person",
        "BreadcrumbList",
        "ListItem",
        "ImageObject",
        "SiteNavigationElement",
        "SearchAction",
        "WPHeader",
        "WPFooter",
    }
)
_LIBRETEXTS_LICENSES = {
    # LibreTexts' page tag values and the licence pages LibreTexts itself links them to
    # (LibreTexts/Libretext page scripts, getCC / getLicenseInfo): platform facts, not licence
    # facts; the catalogue turns the URL into a licence.
    "ccby": "https://creativecommons.org/licenses/by/{version}/",
    "ccbysa": "https://creativecommons.org/licenses/by-sa/{version}/",
    "ccbync": "https://creativecommons.org/licenses/by-nc/{version}/",
    "ccbyncsa": "https://creativecommons.org/licenses/by-nc-sa/{version}/",
    "ccbynd": "https://creativecommons.org/licenses/by-nd/{version}/",
    "ccbyncnd": "https://creativecommons.org/licenses/by-nc-nd/{version}/",
    "gnudsl": "https://www.gnu.org/licenses/dsl.html",
    "gnufdl": "https://www.gnu.org/licenses/fdl-1.3.en.html",
    "gnu": "https://www.gnu.org/licenses/gpl-3.0.en.html",
}


def urlsplit(url: str) -> SplitResult:
    """:func:`urllib.parse.urlsplit` for URLs from outside: a malformed one (``http://[::1``,
    which the standard function refuses with ValueError) comes back whole, as an opaque value
    of the scheme ``invalid``: not a host, not a relative path."""
    try:
        return _urlsplit(url)
    except ValueError:
        return SplitResult("invalid", "", url, "", "")


def urljoin(base: str, url: str) -> str:
    """:func:`urllib.parse.urljoin`, leaving ``url`` as it is when either is malformed."""
    try:
        return _urljoin(base, url)
    except ValueError:
        return url


def _reserved_claim(where: str, text: str) -> Claim | None:
    """A plain "All rights reserved", in any language the catalogue names that status in."""
    lic = load_catalog().find("ALL-RIGHTS-RESERVED")
    if lic is None:
        return None
    for word in dict.fromkeys([name for _lang, name in lic.names] + list(lic.aliases)):
        match = re.search(r"\b" + re.escape(word) + r"\b", text, re.IGNORECASE)
        if match:
            ev = Evidence("text", match.group(0), f"{where}: text")
            return Claim(where, "found", frozenset({lic.id}), None, (ev,))
    return None


def statement_claim(where: str, content: str) -> Claim | None:
    """Detect the licence stated in ``content`` (text or markup) as a :class:`Claim`.

    A bare "All rights reserved" with no licence is a claim of that status.
    """
    claim = claim_from_detection(where, detect(content))
    if claim is None and re.search(r"reserv|vorbehalten", content, re.IGNORECASE):
        text = content
        if "<" in content:
            try:
                text = _text(parse_page(content, source=where))
            except ReadError:
                text = content
        claim = _reserved_claim(where, text)
    return claim


def _license_id(value: str) -> str | None:
    """The licence a single value names (an id, alias, URL or short statement), if exactly one."""
    value = value.strip()
    if not value:
        return None
    lic = load_catalog().find(value) if len(value) < 300 else None
    if lic is not None:
        return lic.id
    return license_named(value)


# --- parsing -------------------------------------------------------------------------------------


def parse_page(data: bytes | str, *, source: str) -> HtmlElement:
    """Parse HTML, reading it as UTF-8 unless it declares another encoding.

    libxml2 falls back to Latin-1 for bytes that declare no encoding, which garbles the UTF-8
    most pages (and every Markdown rendering) are in, so a ``<meta charset>`` is added first.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    head = raw[:4096]
    if not raw.strip():
        return parse_html(raw, source=source)  # raises: an empty document
    declared = re.search(rb"<meta[^>]*charset|<\?xml[^>]*encoding", head, re.IGNORECASE)
    if not declared and not head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass  # not UTF-8: leave the guess to the parser
        else:
            meta = b'<meta charset="utf-8">'
            tag = re.search(rb"<head(?:\s[^>]*)?>", head, re.IGNORECASE) or re.search(
                rb"<html(?:\s[^>]*)?>", head, re.IGNORECASE
            )
            raw = raw[: tag.end()] + meta + raw[tag.end() :] if tag else meta + raw
    return parse_html(raw, source=source)


# --- text helpers ------------------------------------------------------------------------------


def _text(el: HtmlElement) -> str:
    """The element's text with line breaks between blocks, scripts and styles left out."""
    raw = text_of(el, skip=SKIPPED, blocks=BLOCKS)
    lines = (squash(line) for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


def split_names(text: str, *, commas: bool = False) -> list[str]:
    """Split a list of names: on ``;``, and on ``and``/``&`` lists ("A, B, and C").

    Commas separate names only in a list that also has "and", or when ``commas`` is true
    (formats that document commas as separators), so "Doe, Jane" stays one name.

    >>> split_names("Amara Okafor, Lena Fischer, and Kofi Mensah")
    ['Amara Okafor', 'Lena Fischer', 'Kofi Mensah']
    >>> split_names("Jan Franke; Volker Göhler")
    ['Jan Franke', 'Volker Göhler']
    """
    names: list[str] = []
    for part in re.split(r"\s*;\s*", text):
        if commas or re.search(r"\s(?:and|&|und|et)\s", part):
            pieces = re.split(r"\s*,\s*(?:(?:and|&|und|et)\s+)?|\s+(?:and|&|und|et)\s+", part)
        else:
            pieces = [part]
        names.extend(p.strip(" ,") for p in pieces)
    return [n for n in dict.fromkeys(names) if n]


def _year(value: object) -> int | None:
    match = _YEAR.search(str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def _language(value: str | None) -> str | None:
    if not value:
        return None
    tag = value.strip().replace("_", "-")
    return tag if _LANG.match(tag) else None


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


# --- sections: cutting a page at its headings ----------------------------------------------------


def _with_class(name: str, under: str = "//") -> str:
    """XPath for the elements ``under`` a path whose class list holds ``name`` (reached from
    the attribute, which libxml2 finds three times faster than testing every element)."""
    return f"{under}@class[contains(concat(' ', ., ' '), ' {name} ')]/.."


def _is_license_link(href: str) -> bool:
    return load_catalog().find(href) is not None or bool(
        re.search(r"creativecommons\.org/(?:licenses|publicdomain)/", href, re.IGNORECASE)
    )


def _text_before(block: HtmlElement, target: HtmlElement) -> str:
    parts: list[str] = []

    def walk(el: HtmlElement) -> bool:
        if el is target:
            return True
        if isinstance(el.tag, str) and el.text:
            parts.append(el.text)
        for child in el:
            if walk(child):
                return True
            if child.tail:
                parts.append(child.tail)
        return False

    walk(block)
    return squash("".join(parts))


def _text_after(block: HtmlElement, target: HtmlElement) -> str:
    whole = squash(block.text_content())
    before = _text_before(block, target)
    link = squash(target.text_content())
    start = len(before) + len(link) + (1 if before else 0)
    return whole[start:] if whole.startswith(before) else ""


def _block_of(el: HtmlElement) -> HtmlElement:
    node = el.getparent()
    while node is not None and node.tag not in _CONTAINERS:
        node = node.getparent()
    return node if node is not None else el


def _is_url_text(text: str, href: str) -> bool:
    host = urlsplit(href).hostname or ""
    bare = text.lower().removeprefix("www.").rstrip("/")
    return not text or "://" in text or bare == host.removeprefix("www.") or bare == href.lower()


def _merge_sources(works: Iterable[Work]) -> tuple[Work, ...]:
    merged: dict[str, Work] = {}
    for work in works:
        key = (work.url or work.title or "").rstrip("/")
        if key in merged:
            old = merged[key]
            merged[key] = old.replace(
                title=old.title or work.title,
                license=old.license or work.license,
                authors=old.authors or work.authors,
            )
        else:
            merged[key] = work
    return tuple(merged.values())


def _lineage_links(root: HtmlElement, base: str | None) -> list[tuple[Work, HtmlElement | None]]:
    """Each source found, with the block of the sentence that names it (None for dct:source)."""
    found: list[tuple[Work, HtmlElement | None]] = []
    wording: dict[HtmlElement, bool] = {}  # per block: could it hold a lineage phrase?
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        rel = {t.lower() for t in (link.get("rel") or "").split()}
        is_source = bool(rel & {"dct:source", "dc:source", "dcterms:source"})
        if not is_source:
            block = _block_of(link)
            if block not in wording:
                wording[block] = _may_hold_lineage(block)
            if not wording[block]:
                continue
        if _is_license_link(href) or in_apparatus(link) or _in_caption(link):
            continue
        url: str | None = urljoin(base, href) if base else href
        text = squash(link.text_content())
        title = None if _is_url_text(text, href) else text
        if not re.match(r"https?://", url or ""):
            url = None  # a relative link in a local file: the source's address is unknown
            if title is None:
                continue
        if is_source:
            found.append((Work(title=title, url=url), None))
            continue
        block = _block_of(link)
        before = _text_before(block, link)
        phrases = list(_LINEAGE.finditer(before))
        if not phrases:
            continue
        between = before[phrases[-1].end() :]
        if _SENTENCE_END.search(between) or _NOT_A_SOURCE.search(between):
            continue
        by = re.match(
            r"\s*,?\s*(?:by|von|par|por)\s+([^,.;()]+?)(?=\s*(?:[,.;()]|$|is\b|are\b))",
            _text_after(block, link),
        )
        authors = tuple(Author(n) for n in split_names(by.group(1))) if by else ()
        stated = detect_tree(block).license_id
        found.append((Work(title=title, url=url, authors=authors, license=stated), block))
    return found


_LINEAGE_WORDS = (
    "adapt",
    "remix",
    "deriv",
    "modified",
    "translated",
    "revised",
    "bas",
    "bearbeitet",
    "apr",
)
"""Every match of _LINEAGE holds one of these, in lowercase."""


def _may_hold_lineage(block: HtmlElement) -> bool:
    """False only when no text of ``block`` can match _LINEAGE (a quick test before the
    sentence around each link is cut out and searched)."""
    low = Lowered(block.text_content()).low
    return low is None or any(word in low for word in _LINEAGE_WORDS)


def find_lineage(root: HtmlElement, base: str | None = None) -> list[Work]:
    """Works ``root`` says it is based on: ``rel="dct:source"`` links and linked sentences.

    A sentence counts when it says "adapted from", "based on", "remix of" … (also in German,
    French and Spanish) and a link follows in the same sentence; links to licences, links
    introduced by "by"/"in" (an author, the book a chapter is in) and links inside figure
    captions or credit lists are not sources. The licence is read from the sentence's block
    when it states exactly one.
    """
    return list(_merge_sources(work for work, _block in _lineage_links(root, base)))


# --- captions and credits ------------------------------------------------------------------------


def _in_caption(el: HtmlElement) -> bool:
    node: HtmlElement | None = el
    while node is not None:
        if node.tag == "figcaption" or "wp-caption-text" in classes(node):
            return True
        node = node.getparent()
    return False


def _caption_of(media: HtmlElement) -> HtmlElement | None:
    """The caption or credit element that belongs to an image, video, audio or embed."""
    node = media.getparent()
    while node is not None and node.tag not in ("body", "main", "article", "section"):
        if node.tag == "figure":
            captions = node.xpath("./figcaption|.//figcaption")
            return captions[0] if captions else None
        if "wp-caption" in classes(node):
            captions = node.xpath(_with_class("wp-caption-text", ".//*/"))
            return captions[0] if captions else None
        node = node.getparent()
    # a credit line right after the media (or after the paragraph/link that only wraps it)
    anchor = media
    parent = anchor.getparent()
    while parent is not None and parent.tag in ("a", "p", "span", "div") and len(parent) == 1:
        if squash(parent.text) or squash(anchor.tail):
            break
        anchor, parent = parent, parent.getparent()
    following = anchor.getnext()
    if following is not None and _CREDIT_CLASS.search(following.get("class") or ""):
        return following
    return None


def _credit_elements(root: HtmlElement) -> list[HtmlElement]:
    """Everything that credits items inside the page: captions, credit lines, attribution lists."""
    found: list[HtmlElement] = []
    for el in root.iter("figcaption"):
        found.append(el)
    found.extend(root.xpath(_with_class("wp-caption-text")))
    found.extend(root.xpath(_with_class("media-attributions")))
    for media in root.iter("img", "video", "audio", "iframe"):
        caption = _caption_of(media)
        if caption is not None:
            found.append(caption)
    return list(dict.fromkeys(found))


def _credit_of(caption: HtmlElement | None) -> tuple[str | None, str | None]:
    """``(credit text, licence id)`` of a caption: a credit only if it reads like one."""
    if caption is None:
        return None, None
    specific = [
        el
        for el in caption.iter()
        if el is not caption
        and _CREDIT_CLASS.search(el.get("class") or "")
        and squash(el.text_content())
    ]
    text = squash((specific[0] if specific else caption).text_content())
    found = detect_tree(caption)
    if not text or (found.status == "none" and not CREDIT_CUES.search(text)):
        return None, None
    return text, found.license_id


# --- the page ------------------------------------------------------------------------------------


def _meta(root: HtmlElement, *names: str) -> list[str]:
    wanted = {n.lower() for n in names}
    values = []
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").lower()
        content = squash(el.get("content"))
        if key in wanted and content:
            values.append(content)
    return values


def _json_ld(root: HtmlElement) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                graph = item.get("@graph")
                if isinstance(graph, list):
                    nodes.extend(n for n in graph if isinstance(n, dict))
                else:
                    nodes.append(item)
    return nodes


def _types(node: Mapping[str, Any]) -> set[str]:
    value = node.get("@type") or node.get("type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}


def _main_node(nodes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    for node in nodes:
        if not _types(node) & _SECONDARY_TYPES:
            return node
    return {}


def _names(value: Any, *, commas: bool = False) -> list[Author]:
    """Authors from a schema.org/AMB value: a string, a Person/Organization, or a list of them."""
    if isinstance(value, str):
        return [Author(n) for n in split_names(value, commas=commas)]
    if isinstance(value, Mapping):
        name = value.get("name")
        if not isinstance(name, str) or not name.strip():
            given, family = value.get("givenName"), value.get("familyName")
            name = " ".join(str(p) for p in (given, family) if isinstance(p, str) and p.strip())
        if not name or not str(name).strip():
            return []
        url = value.get("url") or value.get("id") or value.get("@id")
        url = url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
        return [Author(squash(str(name)), url)]
    if isinstance(value, list):
        return [a for item in value for a in _names(item, commas=commas)]
    return []


def _text_value(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return squash(value)
    if isinstance(value, list):
        for item in value:
            if (found := _text_value(item)) is not None:
                return found
    if isinstance(value, Mapping):
        for key in ("@value", "name", "code", "url", "@id", "id"):
            if (found := _text_value(value.get(key))) is not None:
                return found
    return None


def _license_value(value: Any) -> str | None:
    """The licence named by a JSON-LD/AMB ``license`` value (a URL, an id, or an object)."""
    if isinstance(value, str):
        return _license_id(value)
    if isinstance(value, Mapping):
        for key in ("id", "@id", "url", "name", "code"):
            if isinstance(value.get(key), str) and (found := _license_id(value[key])):
                return found
    if isinstance(value, list):
        ids = {found for item in value if (found := _license_value(item))}
        return ids.pop() if len(ids) == 1 else None
    return None


def based_on_values(value: Any, base: str | None = None, depth: int = 1) -> list[Work]:
    """Source works from a schema.org/AMB ``isBasedOn`` value: URLs, objects or a list.

    An object's own ``isBasedOn`` is read too (a remix of a remix keeps its whole chain), down
    to the model's nesting limit.
    """
    works: list[Work] = []
    if depth > MAX_NESTING:
        return works
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str) and item.strip():
            text = item.strip()
            if re.match(r"https?://", text):
                works.append(Work(url=urljoin(base, text) if base else text))
            else:
                works.append(Work(title=squash(text)))
        elif isinstance(item, Mapping):
            url = next(
                (
                    v
                    for k in ("url", "id", "@id")
                    if isinstance(v := item.get(k), str) and re.match(r"https?://", v)
                ),
                None,
            )
            title = _text_value(item.get("name") or item.get("headline"))
            if url is None and title is None:
                continue
            works.append(
                Work(
                    title=title,
                    url=url,
                    authors=tuple(_names(item.get("author") or item.get("creator"))),
                    license=_license_value(item.get("license")),
                    based_on=tuple(based_on_values(item.get("isBasedOn"), base, depth + 1)),
                )
            )
    return works


def _prune_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune_json(v) for k, v in value.items() if k not in _NESTED_WORKS}
    if isinstance(value, list):
        return [_prune_json(v) for v in value]
    return value


def _content_root(root: HtmlElement) -> HtmlElement:
    for query in (
        # a Pressbooks chapter, front or back matter or part (WordPress's post classes)
        "//section[@data-type][contains(@class, 'type-chapter') or contains(@class, "
        "'type-front-matter') or contains(@class, 'type-back-matter') or contains(@class, "
        "'type-part')]",
        _with_class("chapter", "//div/"),
        _with_class("mt-content-container"),
        "//main",
        "//article",
        "//@role[.='main']/..",
    ):
        hits = root.xpath(query)
        if hits:
            found: HtmlElement = hits[0]
            return found
    body = root.find("body")
    return body if body is not None else root


def _libretexts_tags(root: HtmlElement) -> list[str]:
    found = root.xpath("//@id[.='pageTagsHolder']/..")
    holder = found[0] if found else None
    if holder is None:
        return []
    try:
        tags = json.loads(holder.text_content().replace("\\", ""))
    except (ValueError, RecursionError):
        return []
    return [t.strip() for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def _libretexts_claim(tags: Sequence[str]) -> Claim | None:
    kind = next((t.split(":", 1)[1] for t in tags if t.lower().startswith("license:")), None)
    if not kind:
        return None
    raw = next((t.split(":", 1)[1] for t in tags if t.lower().startswith("licenseversion:")), "")
    where = "LibreTexts page tags"
    evidence = tuple(
        Evidence("platform-tag", t, where)
        for t in tags
        if t.lower().startswith(("license:", "licenseversion:"))
    )
    template = _LIBRETEXTS_LICENSES.get(kind.lower())
    if template is None:
        if kind.lower() == "arr":
            return _reserved_claim(where, "All rights reserved")
        return Claim(where, "ambiguous", frozenset(), None, evidence)
    if "{version}" in template:
        if not re.fullmatch(r"\d{2}", raw):
            # no version tag: every version of that licence the catalogue has
            stem = template.split("{version}")[0]
            ids = frozenset(
                lic.id
                for lic in load_catalog()
                if lic.url and lic.jurisdiction is None and lic.url.startswith(stem)
            )
            return Claim(where, "ambiguous", ids, None, evidence)
        template = template.format(version=f"{raw[0]}.{raw[1]}")
    found = load_catalog().find(template)
    if found is None:
        return Claim(where, "ambiguous", frozenset(), None, evidence)
    return Claim(where, "found", frozenset({found.id}), None, evidence)


def _same_site(src: str, page: str | None) -> bool:
    parts = urlsplit(src)
    if src.startswith("data:") or (not parts.scheme and not parts.netloc):
        return True
    if page is None:
        return False
    return (parts.hostname or "") == (urlsplit(page).hostname or "") != ""


@dataclass(frozen=True, slots=True, eq=False)
class _MediaCredit:
    """One entry of a Pressbooks "Media Attributions" list."""

    title: str | None
    authors: tuple[Author, ...]
    credit: str | None
    license: str | None
    about: str | None


def _media_attributions(root: HtmlElement) -> list[_MediaCredit]:
    entries: list[_MediaCredit] = []
    for block in root.xpath(_with_class("media-attributions")):
        for item in block.iter("li"):
            title_el = item.xpath(".//*[contains(concat(' ', @property, ' '), ' dc:title ')]")
            author_els = item.xpath(
                ".//*[contains(concat(' ', @property, ' '), ' cc:attributionName ')]"
            )
            text = squash(item.text_content())
            title = squash(title_el[0].text_content()) if title_el else None
            authors = tuple(
                Author(squash(a.text_content()), a.get("href"))
                for a in author_els
                if squash(a.text_content())
            )
            found = detect_tree(item)
            is_credit = found.status != "none" or bool(authors) or CREDIT_CUES.search(text)
            if title is None and not is_credit:
                title = text or None
            entries.append(
                _MediaCredit(
                    title=title,
                    authors=authors,
                    credit=text if is_credit and text else None,
                    license=found.license_id,
                    about=item.get("about"),
                )
            )
    return entries


def _media_source(el: HtmlElement) -> str | None:
    src = el.get("src") or el.get("data-src")
    if not src and el.tag in ("video", "audio"):
        sources = [s.get("src") for s in el.iter("source") if s.get("src")]
        src = sources[0] if sources else None
    src = (src or "").strip()
    if not src:
        return None
    return src if len(src) <= 2000 else src[:64] + "…"


def _media_kind(el: HtmlElement, source: str) -> AssetKind:
    if el.tag == "img":
        return "image"
    if el.tag in ("video", "audio"):
        return "video" if el.tag == "video" else "audio"
    host = urlsplit(source).hostname or ""
    return "video" if _VIDEO_HOSTS.search(host) else "embed"


@dataclass(frozen=True, slots=True)
class _Page:
    """What was read from the page's head and licence statements (before assets)."""

    title: str | None
    url: str | None
    base: str | None
    license: str | None
    status: LicenseStatus
    evidence: tuple[Evidence, ...]
    noted: bool


def _assets(root: HtmlElement, content: HtmlElement, page: _Page) -> tuple[Asset, ...]:
    """The page's images, videos, audio and embeds, each with its own credit and licence."""
    media = []
    for el in content.iter("img", "video", "audio", "iframe"):
        source = _media_source(el)
        if source is None or _in_apparatus_licence(el) or _BADGE.search(source):
            continue
        if el.get("width") == "1" and el.get("height") == "1":
            continue  # a tracking pixel
        media.append((el, source))
    credits = _media_attributions(root)
    paired: dict[int, _MediaCredit] = {}
    library = [
        i
        for i, (el, _s) in enumerate(media)
        if el.tag == "img" and re.search(r"\bwp-image-\d+", el.get("class") or "")
    ]
    candidates = library or [i for i, (el, _s) in enumerate(media) if el.tag == "img"]
    if credits and len(credits) == len(candidates):
        paired = dict(zip(candidates, credits, strict=True))
    elif credits:
        for listed in credits:
            for i in candidates:
                el, source = media[i]
                stem = re.sub(r"\.\w+$", "", source.rsplit("/", 1)[-1]).lower()
                names = {(el.get("alt") or "").lower(), (el.get("title") or "").lower(), stem}
                if i not in paired and listed.title and listed.title.lower() in names:
                    paired[i] = listed
                    break
    assets: dict[str, Asset] = {}
    for i, (el, raw) in enumerate(media):
        source = urljoin(page.base, raw) if page.base and not raw.startswith("data:") else raw
        kind = _media_kind(el, source)
        credit, license_id = _credit_of(_caption_of(el))
        entry = paired.get(i)
        title = squash(el.get("title")) or squash(el.get("aria-label")) or None
        if el.tag == "img":
            title = title or squash(el.get("alt")) or None
        authors: tuple[Author, ...] = ()
        if entry is not None:
            title = entry.title or title
            authors = entry.authors
            if entry.credit:
                credit = entry.credit if credit is None else f"{credit} / {entry.credit}"
            if entry.license and license_id and entry.license != license_id:
                license_id = None  # two different licences stated for one image: unknown
            else:
                license_id = license_id or entry.license
        inherited = False
        if (
            license_id is None
            and credit is None
            and page.noted
            and page.license is not None
            and _same_site(raw, page.url)
        ):
            license_id, inherited = page.license, True
        assets.setdefault(
            source,
            Asset(
                kind=kind,
                source=source,
                title=title,
                authors=authors,
                license=license_id,
                credit=credit,
                license_inherited=inherited,
            ),
        )
    # attribution entries that could not be matched to an image are still credits on the page
    for n, unpaired in enumerate(credits):
        if any(unpaired is e for e in paired.values()) or not (unpaired.credit or unpaired.license):
            continue
        source = unpaired.about or f"{page.url or 'page'}#media-attribution-{n + 1}"
        assets.setdefault(
            source,
            Asset(
                kind="image",
                source=source,
                title=unpaired.title,
                authors=unpaired.authors,
                license=unpaired.license,
                credit=unpaired.credit,
            ),
        )
    return tuple(assets.values())


def _in_apparatus_licence(el: HtmlElement) -> bool:
    node: HtmlElement | None = el
    while node is not None:
        if "license-attribution" in classes(node):
            return True
        if node.tag == "a" and "license" in (node.get("rel") or "").lower().split():
            return True
        node = node.getparent()
    return False


def _drop(el: HtmlElement) -> None:
    """Remove ``el`` from its tree, keeping the text that followed it."""
    parent = el.getparent()
    if parent is None:
        return
    previous, tail = el.getprevious(), el.tail
    parent.remove(el)
    if tail and previous is not None:
        previous.tail = (previous.tail or "") + tail
    elif tail:
        parent.text = (parent.text or "") + tail


def licence_tree(root: HtmlElement) -> HtmlElement:
    """A copy of the page without captions, credit lists, images' titles and alt texts, and
    sentences about source works.

    What is left speaks for the page itself: detect the page's licence on this. (An image's
    title or alt text describes the image — "Image: Bo Chen, CC0" credits the image, and is
    not the page's licence.)
    """
    trimmed: HtmlElement = copy.deepcopy(root)
    for el in _credit_elements(trimmed):
        _drop(el)
    for image in trimmed.iter("img"):
        image.attrib.pop("title", None)
        image.attrib.pop("alt", None)
    for _work, block in _lineage_links(trimmed, None):
        # a sentence about a source work states the source's licence, unless it also carries
        # this page's own machine-readable licence (the CC chooser's "Based on a work at …")
        if (
            block is not None
            and block.getparent() is not None
            and not block.xpath(".//*[contains(@rel, 'license') or contains(@property, 'license')]")
        ):
            _drop(block)
    for script in trimmed.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            script.text = json.dumps(_prune_json(json.loads(script.text or "")))
        except (ValueError, RecursionError):
            script.text = ""
    return trimmed


def page_assets(
    root: HtmlElement,
    *,
    base: str | None = None,
    page_url: str | None = None,
    license: str | None = None,
    noted: bool = False,
) -> tuple[Asset, ...]:
    """The images, videos, audio and embeds of ``root`` with their own credits and licences.

    Relative sources are resolved against ``base``; ``license`` is given to items with no
    statement of their own only when ``noted`` ("except where otherwise noted") and the item is
    part of the site (relative, or on ``page_url``'s host).
    """
    page = _Page(None, page_url, base, license, "found" if license else "none", (), noted)
    return _assets(root, root, page)


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


class HtmlReader:
    """Reads one HTML page (see the module documentation)."""

    name = "html"

    def sniff(self, source: Input) -> int:
        """20–30 for HTML (the fallback reader), 65 for a Pressbooks or LibreTexts page."""
        if source.data is None:
            return 0
        head = source.data[:65536]
        if b"\x00" in head[:4096]:
            return 0
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
        while text.startswith("<!--"):
            end = text.find("-->")
            if end < 0:
                return 0
            text = text[end + 3 :].lstrip()
        lower = text.lower()
        if lower.startswith(("<!doctype html", "<html")):
            score = 30
        elif re.match(
            r"<(?:head|body|meta|title|div|p|section|article|main|h[1-6]|table|ul|ol|figure)\b",
            lower,
        ):
            score = 20
        else:
            return 0
        # the words each pattern needs come first: most pages have none of them
        if (
            any(word in lower for word in ("pressbooks", "license-attribution", "data-type"))
            and re.search(
                r"""(?:name|property)=["'](?:generator|application-name)["'][^>]*pressbooks"""
                r"""|class=["'][^"']*\blicense-attribution\b|data-type=["']chapter["']""",
                lower,
            )
        ) or any(word in lower for word in ("pagetagsholder", "mt-content-container")):
            score = 65
        return score

    def read(self, source: Input) -> Work:
        """Read the page; see the module documentation for where each field comes from."""
        if source.data is None:
            raise ReadError("expected an HTML file, got a folder", source=source.location)
        if b"\x00" in source.data[:4096]:
            raise ReadError("not an HTML document: binary data", source=source.location)
        root = parse_page(source.data, source=source.location)
        if root.find("body") is None and root.find("head") is None:
            raise ReadError("not an HTML document", source=source.location)
        main = _main_node(_json_ld(root))
        detected = detect_tree(licence_tree(root))
        text = _text(root)
        tags = _libretexts_tags(root)
        page = _page(root, source, main, detected, text, tags=tags)
        content = _content_root(root)
        based_on = based_on_values(main.get("isBasedOn"), page.base)
        based_on += based_on_values(main.get("isBasedOnUrl"), page.base)
        based_on += find_lineage(root, page.base)
        sources = _merge_sources(based_on)
        block = root.xpath(_with_class("license-attribution"))
        notice = (find_copyright(_text(block[0])) if block else None) or find_copyright(text)
        dates = ("datePublished", "copyrightYear", "dateCreated")
        year = next((y for key in dates if (y := _year(main.get(key)))), None) or _year(
            _first(*_meta(root, *_DATE_META))
        )
        language = (
            _language(root.get("lang") or root.get("xml:lang"))
            or _language(_text_value(main.get("inLanguage")))
            or _language(_first(*_meta(root, "dc.language", "dcterms.language", "language")))
        )
        plan = plan_sections(content, lead_title=page.title, used=set())
        sections = [section for section, _start, _end in plan]
        loader = _PageLoader(source, page.base or source.location, plan)
        return Work(
            title=page.title,
            url=page.url,
            authors=tuple(_authors(root, main, detected, tags)),
            license=page.license,
            year=year or _year(notice),
            copyright=notice,
            language=language,
            based_on=sources,
            assets=_assets(root, content, page),
            sections=tuple(sections),
            provenance=Provenance(
                source=source.location,
                retrieved=Input.now(),
                sha256=source.sha256(),
                license_evidence=page.evidence,
                license_status=page.status,
            ),
            kind="adaptation" if sources else "work",
            content=Document(sections, loader),
        )


_DATE_META = (
    "dc.date",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "article:published_time",
)


def _page(
    root: HtmlElement,
    source: Input,
    main: Mapping[str, Any],
    detected: Detection,
    text: str,
    *,
    tags: Sequence[str],
) -> _Page:
    """The page's address, title and licence (from every statement about the page itself)."""
    canonical = next(
        (
            link.get("href")
            for link in root.iter("link")
            if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")
        ),
        None,
    )
    location = source.location if re.match(r"https?://", source.location) else None
    main_url = main.get("url") if isinstance(main.get("url"), str) else None
    url = _first(canonical, _first(*_meta(root, "og:url")), main_url, location)
    if url and location:
        url = urljoin(location, url)
    base_el = root.find(".//base")
    base = _first(base_el.get("href") if base_el is not None else None, location)
    if base and location:
        base = urljoin(location, base)
    h1 = next(iter(root.iter("h1")), None)
    title_el = root.find(".//title")
    title = _first(
        _first(*_meta(root, "og:title", "dc.title", "dcterms.title", "citation_title")),
        _text_value(main.get("name")) or _text_value(main.get("headline")),
        squash(detected.title),
        squash(title_el.text_content()) if title_el is not None else None,
        squash(h1.text_content()) if h1 is not None else None,
    )
    claims: list[Claim] = []
    page_claim = claim_from_detection("page", detected)
    if page_claim is None:
        page_claim = _reserved_claim("page", text)
    if page_claim is not None:
        claims.append(page_claim)
    tag_claim = _libretexts_claim(tags)
    if tag_claim is not None:
        claims.append(tag_claim)
    license_id, status, evidence = decide(claims)
    if status == "none":
        evidence = placed("page", detected.evidence)
    return _Page(
        title=title,
        url=url,
        base=base,
        license=license_id,
        status=status,
        evidence=evidence,
        noted=except_where_noted(text),
    )


def _authors(
    root: HtmlElement, main: Mapping[str, Any], detected: Detection, tags: Sequence[str]
) -> list[Author]:
    """The authors named by the first place that names any (see the module documentation)."""
    pressbooks = [
        squash(el.text_content())
        for el in root.xpath("//@data-type[.='author']/..|" + _with_class("pb_authors"))
    ]
    named = [t.split(":", 1)[1] for t in tags if t.startswith("authorname:")]
    for candidates in (
        _names(main.get("author")) or _names(main.get("creator")),
        [Author(n) for v in _meta(root, "author") for n in split_names(v)],
        [
            Author(n)
            for v in _meta(root, "dc.creator", "dcterms.creator", "citation_author")
            for n in split_names(v)
        ],
        [Author(n) for n in detected.creators],
        [Author(n) for v in pressbooks if v for n in split_names(v)],
        [Author(t.strip()) for t in named if t.strip()],
    ):
        if candidates:
            return list(dict.fromkeys(candidates))
    return []


class _PageLoader:
    """Loads one section of the page on demand; the page is parsed once, when first needed."""

    def __init__(
        self, source: Input, base: str, plan: Sequence[tuple[Section, int | None, int | None]]
    ) -> None:
        self._data = source.data or b""
        self._location = source.location
        self._base = base
        self._plan = {section.id: (start, end) for section, start, end in plan}
        self._content: PageSections | None = None

    def __call__(self, section: Section) -> SectionContent:
        if self._content is None:
            self._content = PageSections(
                _content_root(parse_page(self._data, source=self._location))
            )
        start, end = self._plan[section.id]
        return SectionContent(section, self._content.fragment(start, end, section.id), self._base)


READER = HtmlReader()
"""The HTML reader, as :func:`oerremix.readers.read` uses it."""
