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

The parts live in private modules beside this one: schema.org/JSON-LD values in
:mod:`~oerremix.readers._schema_values`, figures and their credits in
:mod:`~oerremix.readers._page_assets`, lineage sentences in :mod:`~oerremix.readers._lineage`,
copyright lines in :mod:`~oerremix.readers._copyright`, LibreTexts page tags in
:mod:`~oerremix.readers._libretexts` and safe URL helpers in :mod:`~oerremix.readers._urls`.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from oerremix._changes_jsonld import CHANGES, changes_from_jsonld
from oerremix._json_input import load_json
from oerremix._markup import BLOCKS, parse_html, text_of
from oerremix.detect import Detection, detect, detect_tree_text
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError
from oerremix.model import Author, Evidence, LicenseStatus, Section, Work
from oerremix.readers import Input
from oerremix.readers._copyright import find_copyright
from oerremix.readers._libretexts import libretexts_claim, libretexts_tags
from oerremix.readers._licensing import (
    Claim,
    claim_from_detection,
    decide,
    except_where_noted,
    page_claims,
    placed,
    reserved_claim,
)
from oerremix.readers._lineage import find_lineage, lineage_links, merge_sources
from oerremix.readers._page_assets import assets, credit_elements, page_assets
from oerremix.readers._schema_values import (
    based_on_values,
    json_ld,
    language_value,
    main_node,
    names,
    prune_json,
    split_names,
    text_value,
    year_value,
)
from oerremix.readers._sections import (
    SKIPPED,
    PageSections,
    outline,
    plan_sections,
    slugify,
    squash,
    unique_id,
    with_class,
)
from oerremix.readers._urls import urljoin

__all__ = [
    "READER",
    "HtmlReader",
    "find_copyright",
    "find_lineage",
    "licence_tree",
    "page_assets",
    "parse_page",
    "slugify",
    "split_names",
    "unique_id",
]


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
        claim = reserved_claim(where, text)
    return claim


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


def _text(el: HtmlElement) -> str:
    """The element's text with line breaks between blocks, scripts and styles left out."""
    raw = text_of(el, skip=SKIPPED, blocks=BLOCKS)
    lines = (squash(line) for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


# --- the page ------------------------------------------------------------------------------------


def _meta(root: HtmlElement, *keys: str) -> list[str]:
    wanted = {k.lower() for k in keys}
    values = []
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").lower()
        content = squash(el.get("content"))
        if key in wanted and content:
            values.append(content)
    return values


def _content_root(root: HtmlElement) -> HtmlElement:
    for query in (
        # a Pressbooks chapter, front or back matter or part (WordPress's post classes)
        "//section[@data-type][contains(@class, 'type-chapter') or contains(@class, "
        "'type-front-matter') or contains(@class, 'type-back-matter') or contains(@class, "
        "'type-part')]",
        with_class("chapter", "//div/"),
        with_class("mt-content-container"),
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
    for el in credit_elements(trimmed):
        _drop(el)
    for image in trimmed.iter("img"):
        image.attrib.pop("title", None)
        image.attrib.pop("alt", None)
    for _work, block in lineage_links(trimmed, None):
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
            script.text = json.dumps(prune_json(load_json(script.text or "")))
        except (ValueError, RecursionError):
            script.text = ""
    return trimmed


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
        main = main_node(json_ld(root))
        detected, own_text = detect_tree_text(licence_tree(root))
        text = _text(root)
        tags = libretexts_tags(root)
        page = _page(root, source, main, detected, text, own_text=own_text, tags=tags)
        content = _content_root(root)
        based_on = based_on_values(main.get("isBasedOn"), page.base)
        based_on += based_on_values(main.get("isBasedOnUrl"), page.base)
        based_on += find_lineage(root, page.base)
        sources = merge_sources(based_on)
        block = root.xpath(with_class("license-attribution"))
        notice = (find_copyright(_text(block[0])) if block else None) or find_copyright(text)
        dates = ("datePublished", "copyrightYear", "dateCreated")
        year = next((y for key in dates if (y := year_value(main.get(key)))), None) or year_value(
            _first(*_meta(root, *_DATE_META))
        )
        language = (
            language_value(root.get("lang") or root.get("xml:lang"))
            or language_value(text_value(main.get("inLanguage")))
            or language_value(_first(*_meta(root, "dc.language", "dcterms.language", "language")))
        )
        plan = plan_sections(outline(content), lead_title=page.title, used=set())
        sections = [section for section, _start, _end in plan]
        loader = _PageLoader(source, page.base or source.location, plan)
        return Work(
            title=page.title,
            url=page.url,
            authors=tuple(_authors(root, main, detected, tags)),
            license=page.license,
            year=year or year_value(notice),
            copyright=notice,
            language=language,
            based_on=sources,
            changes=changes_from_jsonld(main.get(CHANGES)),
            assets=assets(
                root,
                content,
                base=page.base,
                page_url=page.url,
                license=page.license,
                noted=page.noted,
            ),
            sections=tuple(sections),
            provenance=source.provenance(page.evidence, page.status),
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
    own_text: str,
    tags: Sequence[str],
) -> _Page:
    """The page's address, title and licence (from every statement about the page itself).

    ``own_text`` is the text that speaks for the page itself (see :func:`licence_tree`): an "All
    rights reserved" there, or a restriction in prose ("non-commercial use only") that the
    licence the page states does not carry, contradicts that licence (see
    :func:`~oerremix.readers._licensing.page_claims`).
    """
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
        text_value(main.get("name")) or text_value(main.get("headline")),
        squash(detected.title),
        squash(title_el.text_content()) if title_el is not None else None,
        squash(h1.text_content()) if h1 is not None else None,
    )
    stated = (claim_from_detection("page", detected), libretexts_claim(tags))
    license_id, status, evidence = decide(page_claims("page", stated, own_text))
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
        for el in root.xpath("//@data-type[.='author']/..|" + with_class("pb_authors"))
    ]
    named = [t.split(":", 1)[1] for t in tags if t.startswith("authorname:")]
    for candidates in (
        names(main.get("author")) or names(main.get("creator")),
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
