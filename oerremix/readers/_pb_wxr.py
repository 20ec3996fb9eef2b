"""Pressbooks books from a WordPress export (WXR), the XML file Pressbooks exports a book as.

:func:`_is_wxr` recognises one; :func:`_read_wxr` reads the book's metadata, its front matter,
parts, chapters and back matter in their order, and its media attachments into a
:class:`~._pb_book._Book`.

The reader (:mod:`.pressbooks`) alone imports it. Like :mod:`._pb_rest`, it takes the book
model from :mod:`._pb_book`, which imports neither form: imports never go round in a cycle.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lxml import etree

from oerremix._markup import parse_xml, sanitize_html
from oerremix.document import SectionContent
from oerremix.errors import ReadError
from oerremix.model import Section, Work
from oerremix.readers import Input
from oerremix.readers._licensing import Claim
from oerremix.readers._pb_book import (
    _COLLECTIONS,
    _add_author,
    _Book,
    _from_slug,
    _kind_of,
    _Media,
    _media_from_meta,
    _Part,
    _text,
    _to_work,
    _year,
)

__all__ = ["_is_wxr", "_read_wxr"]

_BLOCK = re.compile(
    r"\s*<(?:p|div|h[1-6]|ul|ol|dl|table|figure|blockquote|pre|section|hr|iframe)\b", re.I
)


def _first(meta: dict[str, list[str]], key: str) -> str | None:
    values = meta.get(key)
    return values[0] if values else None


def _wxr_namespace(root: etree._Element) -> str | None:
    for uri in root.nsmap.values():
        if uri and re.fullmatch(r"http://wordpress\.org/export/[\d.]+/", uri):
            return uri
    return None


def _read_wxr(source: Input) -> Work:
    assert source.data is not None
    root = parse_xml(source.data, source=source.location)
    wp = _wxr_namespace(root)
    channel = root.find("channel")
    if wp is None or channel is None:
        raise ReadError("not a WordPress export (WXR): no channel", source=source.location)
    content_ns = "{http://purl.org/rss/1.0/modules/content/}encoded"

    def text(element: etree._Element, tag: str) -> str | None:
        return _text(element.findtext(f"{{{wp}}}{tag}"))

    terms: dict[tuple[str, str], str] = {}
    for term in channel.iter(f"{{{wp}}}term"):
        taxonomy, slug, name = (text(term, t) for t in ("term_taxonomy", "term_slug", "term_name"))
        if taxonomy and slug and name:
            terms[taxonomy, slug] = name

    def postmeta(item: etree._Element) -> dict[str, list[str]]:
        meta: dict[str, list[str]] = {}
        for row in item.iter(f"{{{wp}}}postmeta"):
            key, value = text(row, "meta_key"), text(row, "meta_value")
            if key and value:
                meta.setdefault(key, []).append(value)
        return meta

    def categories(item: etree._Element, domain: str) -> list[tuple[str, str]]:
        return [
            (c.get("nicename", ""), " ".join((c.text or "").split()))
            for c in item.findall("category")
            if c.get("domain") == domain and c.get("nicename")
        ]

    def line(element: etree._Element) -> str:
        return f"line {element.sourceline}" if element.sourceline else "the export"

    def license_statements(item: etree._Element, meta_key: str, kind: str) -> list[Claim]:
        found = []
        for row in item.iter(f"{{{wp}}}postmeta"):
            if text(row, "meta_key") == meta_key and (slug := text(row, "meta_value")):
                name = terms.get(("license", slug))
                found.append(
                    _from_slug(slug, kind=kind, where=f"{meta_key}, {line(row)}", name=name)
                )
        for category in item.findall("category"):
            slug = category.get("nicename")
            if category.get("domain") == "license" and slug:
                name = _text(category.text) or terms.get(("license", slug))
                where = f"license term, {line(category)}"
                found.append(
                    _from_slug(slug, kind="pressbooks-license-term", where=where, name=name)
                )
        return found

    book = _Book(title=_text(channel.findtext("title")), url=_text(channel.findtext("link")))
    book.language = _text(channel.findtext("language"))
    posts: dict[str, list[tuple[int, etree._Element]]] = {t: [] for t in _COLLECTIONS}
    html: dict[str, tuple[str, str]] = {}
    for item in channel.findall("item"):
        post_type = text(item, "post_type")
        meta = postmeta(item)
        if post_type == "metadata":
            book.title = _first(meta, "pb_title") or book.title
            book.language = _first(meta, "pb_language") or book.language
            book.holder = _first(meta, "pb_copyright_holder")
            book.year = _year(_first(meta, "pb_copyright_year"))
            stamp = _first(meta, "pb_publication_date") or ""
            if book.year is None and stamp.isdigit():
                book.year = datetime.fromtimestamp(int(stamp), UTC).year
            people = dict(categories(item, "contributor"))
            for slugs in meta.get("pb_authors", []):
                for slug in (s.strip() for s in slugs.split(",")):
                    _add_author(
                        book.authors, terms.get(("contributor", slug)) or people.get(slug) or slug
                    )
            book.based_on += meta.get("pb_is_based_on", [])
            # the cover (pb_cover_image): a publisher's cover is not part of the book's licence
            # (OpenStax and Pressbooks both say so); it is recorded as outside the licence
            for cover in meta.get("pb_cover_image", [])[:1]:
                book.media.append(
                    _Media(source=cover, kind="image", title="Book cover", trademark=True)
                )
            book.statements += license_statements(
                item, "pb_book_license", "pressbooks-book-license"
            )
        elif post_type in _COLLECTIONS:
            if text(item, "status") in ("trash", "auto-draft"):
                continue
            order = text(item, "menu_order") or "0"
            posts[post_type].append((int(order) if order.lstrip("-").isdigit() else 0, item))
        elif post_type == "attachment":
            url = text(item, "attachment_url")
            kind = _kind_of(url or "")
            if url and kind:
                flat = {k: v[0] for k, v in meta.items()}
                title = _text(item.findtext("title"))
                book.media.append(_media_from_meta(url, kind, title, flat, line(item)))

    def add(item: etree._Element, post_type: str, level: int) -> None:
        post_id = text(item, "post_id") or str(item.sourceline)
        section_id = f"{post_type}-{post_id}"
        meta = postmeta(item)
        statements = license_statements(item, "pb_section_license", "pressbooks-section-license")
        link = _text(item.findtext("link")) or source.location
        html[section_id] = (item.findtext(content_ns) or "", link)
        book.parts.append(
            _Part(
                id=section_id,
                title=_text(item.findtext("title")),
                level=level,
                statements=tuple(statements),
                based_on=_first(meta, "pb_is_based_on"),
                link=link,
            )
        )

    def ordered(post_type: str) -> list[etree._Element]:
        return [item for _, item in sorted(posts[post_type], key=lambda pair: pair[0])]

    for item in ordered("front-matter"):
        add(item, "front-matter", 1)
    chapters = ordered("chapter")
    placed: set[int] = set()
    for part in ordered("part"):
        add(part, "part", 1)
        part_id = text(part, "post_id")
        for chapter in chapters:
            if part_id and text(chapter, "post_parent") == part_id:
                add(chapter, "chapter", 2)
                placed.add(id(chapter))
    for chapter in chapters:
        if id(chapter) not in placed:
            add(chapter, "chapter", 1)
    for item in ordered("back-matter"):
        add(item, "back-matter", 1)

    def load(section: Section) -> SectionContent:
        body, base = html[section.id]
        return SectionContent(section, sanitize_html(_paragraphs(body)), base=base)

    return _to_work(book, source, load)


def _paragraphs(text: str) -> str:
    """WordPress stores text with blank lines between paragraphs; give them their ``<p>``."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return "\n".join(b if _BLOCK.match(b) else f"<p>{b}</p>" for b in blocks)


def _is_wxr(data: bytes) -> bool:
    head = data[:65536]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 (with its byte order mark)
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return b"<rss" in head and b"wordpress.org/export/" in head
