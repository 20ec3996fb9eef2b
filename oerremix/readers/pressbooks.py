"""Pressbooks books: the REST API (a saved response, or a book's URL) and WXR exports.

Pressbooks states licences three ways, and this reader reads all of them:

- the book's licence (``pb_book_license``; ``license`` in the REST ``/metadata``), which covers
  the whole book "except where otherwise noted";
- a chapter's own licence (``pb_section_license``; ``metadata.license`` of each REST table-of-
  contents entry), which wins over the book's for that chapter;
- a media file's attribution (``pb_media_attribution_*``: title, author, source, adapter,
  licence), shown under each chapter as "Media Attributions".

Licences are given as Pressbooks slugs (``cc-by``) or as the URLs Pressbooks links them to. The
slugs carry no version: :data:`LICENSE_URLS` is Pressbooks's own table of what each one means
on that platform (the 4.0 licences), and is used only here, for input known to be Pressbooks.

Lineage comes from ``pb_is_based_on`` (schema.org ``isBasedOn``), a book cloned from another.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from oerremix._json_input import load_json
from oerremix._markup import parse_html, parse_xml, sanitize_html
from oerremix.catalog import load_catalog
from oerremix.detect import detect
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError
from oerremix.model import (
    Asset,
    AssetKind,
    Author,
    Change,
    Evidence,
    Provenance,
    Section,
    Work,
)
from oerremix.readers import Input
from oerremix.readers._licensing import Claim, decide

__all__ = ["LICENSE_URLS", "READER"]

LICENSE_URLS: dict[str, str] = {
    "public-domain": "https://creativecommons.org/publicdomain/mark/1.0/",
    "cc-zero": "https://creativecommons.org/publicdomain/zero/1.0/",
    "cc-by": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-by-nd": "https://creativecommons.org/licenses/by-nd/4.0/",
    "cc-by-nc": "https://creativecommons.org/licenses/by-nc/4.0/",
    "cc-by-nc-sa": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "cc-by-nc-nd": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    "all-rights-reserved": "https://choosealicense.com/no-license/",
}
"""Pressbooks's licence slugs and the URL Pressbooks gives each (platform data, not a CC fact).

Source: Pressbooks ``inc/class-licensing.php``, ``Licensing::getSupportedTypes()`` (GitHub
pressbooks/pressbooks, commit 01fa63c7f51a74321c60c7c351aed1ba2d1fd4e5). Other slugs are a
book's own licence terms, which Pressbooks links to ``…/no-license/#<slug>``.
"""

_LABELS = {  # what Pressbooks prints for each slug ("desc" in the same table)
    "public-domain": "Public Domain",
    "cc-zero": "CC0 (Creative Commons Zero)",
    "cc-by": "CC BY (Attribution)",
    "cc-by-sa": "CC BY-SA (Attribution ShareAlike)",
    "cc-by-nd": "CC BY-ND (Attribution NoDerivatives)",
    "cc-by-nc": "CC BY-NC (Attribution NonCommercial)",
    "cc-by-nc-sa": "CC BY-NC-SA (Attribution NonCommercial ShareAlike)",
    "cc-by-nc-nd": "CC BY-NC-ND (Attribution NonCommercial NoDerivatives)",
    "all-rights-reserved": "All Rights Reserved",
}
_NO_LICENSE_URL = "https://choosealicense.com/no-license/"
_NO_LICENSE_ID = "ALL-RIGHTS-RESERVED"  # the catalogue's entry for "all rights reserved"
_API = "wp-json/pressbooks/v2/"
_COLLECTIONS = {  # post type → REST collection
    "front-matter": "front-matter",
    "part": "parts",
    "chapter": "chapters",
    "back-matter": "back-matter",
}
_MEDIA_PAGE = 100
_MEDIA_KINDS: dict[str, AssetKind] = {"image": "image", "video": "video", "audio": "audio"}
_EXTENSIONS: dict[str, AssetKind] = {
    **dict.fromkeys(("jpg", "jpeg", "png", "gif", "svg", "webp", "bmp", "tif", "tiff"), "image"),
    **dict.fromkeys(("mp4", "m4v", "mov", "webm", "ogv"), "video"),
    **dict.fromkeys(("mp3", "m4a", "ogg", "oga", "wav", "flac"), "audio"),
}
_API_LINK = re.compile(rb"""<link[^>]+rel=["']https://api\.w\.org/["']""", re.IGNORECASE)
_BLOCK = re.compile(
    r"\s*<(?:p|div|h[1-6]|ul|ol|dl|table|figure|blockquote|pre|section|hr|iframe)\b", re.I
)


# --- licence statements --------------------------------------------------------------------------


def _claim(license: str | None, evidence: Evidence) -> Claim:
    """A statement naming ``license`` (a catalogue id), or a licence oerremix does not know."""
    if license is None:
        return Claim(evidence.where, "ambiguous", frozenset(), None, (evidence,))
    return Claim(evidence.where, "found", frozenset({license}), None, (evidence,))


def _url_license(url: str) -> str | None:
    plain = url.split("#", 1)[0]
    if plain.rstrip("/") == _NO_LICENSE_URL.rstrip("/"):
        # Pressbooks's "all rights reserved", or (with #slug) a book's custom licence term.
        return None if "#" in url else _NO_LICENSE_ID
    lic = load_catalog().find(url)
    return lic.id if lic else None


def _from_url(url: str, *, kind: str, where: str) -> Claim:
    return _claim(_url_license(url), Evidence(kind=kind, match=url, where=where))


def _from_slug(slug: str, *, kind: str, where: str, name: str | None = None) -> Claim:
    url = LICENSE_URLS.get(slug)
    if url is not None:
        return _claim(_url_license(url), Evidence(kind, slug, where))
    # A custom term: only its name can say which licence it is.
    found = detect(name) if name else None
    match = f"{slug} ({name})" if name else slug
    return _claim(found.license_id if found else None, Evidence(kind, match, where))


# --- what a book is made of, whichever form it came in -------------------------------------------


@dataclass(frozen=True, slots=True)
class _Part:
    id: str
    title: str | None
    level: int
    statements: tuple[Claim, ...]
    based_on: str | None = None
    link: str | None = None


@dataclass(frozen=True, slots=True)
class _Media:
    source: str
    kind: AssetKind
    title: str | None = None
    authors: tuple[Author, ...] = ()
    statements: tuple[Claim, ...] = ()
    credit: str | None = None
    changes: tuple[Change, ...] = ()
    trademark: bool = False
    """A cover or logo: outside the book's licence, never inherits it."""


@dataclass(slots=True)
class _Book:
    title: str | None = None
    url: str | None = None
    authors: list[Author] = field(default_factory=list)
    language: str | None = None
    year: int | None = None
    holder: str | None = None
    based_on: list[str] = field(default_factory=list)
    statements: list[Claim] = field(default_factory=list)
    parts: list[_Part] = field(default_factory=list)
    media: list[_Media] = field(default_factory=list)


def _text(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return (value.strip() or None) if isinstance(value, str) else None


def _year(value: Any) -> int | None:
    text = _text(value)
    return int(text[:4]) if text and text[:4].isdigit() and int(text[:4]) > 0 else None


def _first(meta: dict[str, list[str]], key: str) -> str | None:
    values = meta.get(key)
    return values[0] if values else None


def _add_author(authors: list[Author], name: str | None, url: str | None = None) -> None:
    if name and all(a.name != name for a in authors):
        authors.append(Author(name, url or None))


def _credit(title: str | None, author: str | None, adapted: str | None, licence: str | None) -> str:
    """The attribution line Pressbooks prints under a chapter for one media file."""
    words = [title or ""]
    if author:
        words += ["©", author]
    if adapted:
        words += ["adapted by", adapted]
    if licence:
        words += ["is licensed under a", _LABELS.get(licence, licence), "license"]
    return " ".join(w for w in words if w)


def _media_from_meta(
    source: str, kind: AssetKind, title: str | None, meta: dict[str, str], where: str
) -> _Media:
    author = meta.get("pb_media_attribution_author")
    slug = meta.get("pb_media_attribution_license")
    adapted = meta.get("pb_media_attribution_adapted")
    statements = (_from_slug(slug, kind="pressbooks-media-license", where=where),) if slug else ()
    credit = _credit(title, author, adapted, slug) if author or slug or adapted else None
    return _Media(
        source=source,
        kind=kind,
        title=title,
        authors=(Author(author, meta.get("pb_media_attribution_author_url") or None),)
        if author
        else (),
        statements=statements,
        credit=credit,
        changes=(Change("Adapted", by=adapted),) if adapted else (),
    )


def _kind_of(url: str, media_type: str | None = None) -> AssetKind | None:
    if media_type:
        kind = _MEDIA_KINDS.get(media_type.split("/", 1)[0].lower())
        if kind:
            return kind
    extension = url.split("?", 1)[0].rsplit(".", 1)[-1].lower()
    return _EXTENSIONS.get(extension)


def _to_work(book: _Book, source: Input, load: Callable[[Section], SectionContent] | None) -> Work:
    book_license, status, _ = decide(book.statements)
    section_statements = [s for part in book.parts for s in part.statements]
    if not book.statements:  # no statement for the book itself: its chapters speak for it
        book_license, status, _ = decide(section_statements)
        if status == "conflict":  # chapters under different licences: no one licence, no error
            status = "ambiguous"
    sections = []
    for part in book.parts:
        own, _, _ = decide(part.statements)
        sections.append(
            Section(
                id=part.id,
                title=part.title,
                level=part.level,
                license=own if own != book_license else None,
            )
        )
    assets = []
    for media in book.media:
        licence, _, _ = decide(media.statements)
        # "Except where otherwise noted": a file with no statement and no credit of its own is
        # under the book's licence; a credit without a licence leaves the licence unknown.
        inherited = (
            not media.statements
            and media.credit is None
            and not media.trademark
            and book_license is not None
        )
        assets.append(
            Asset(
                kind=media.kind,
                source=media.source,
                title=media.title,
                authors=media.authors,
                license=book_license if inherited else licence,
                credit=media.credit,
                license_inherited=inherited,
                changes=media.changes,
                trademark=media.trademark,
            )
        )
    based_on = list(
        dict.fromkeys([*book.based_on, *(p.based_on for p in book.parts if p.based_on)])
    )
    if book.holder:
        year = f" {book.year}" if book.year else ""
        copyright_notice: str | None = f"Copyright ©{year} by {book.holder}"
    else:
        copyright_notice = None
    evidence = tuple(
        dict.fromkeys(e for s in [*book.statements, *section_statements] for e in s.evidence)
    )
    return Work(
        title=book.title,
        url=book.url,
        authors=tuple(book.authors),
        license=book_license,
        year=book.year,
        copyright=copyright_notice,
        language=book.language,
        based_on=tuple(Work(url=url) for url in based_on),
        assets=tuple(assets),
        sections=tuple(sections),
        provenance=Provenance(
            source=source.location,
            retrieved=Input.now(),
            sha256=source.sha256(),
            license_evidence=evidence,
            license_status=status,
        ),
        kind="adaptation" if based_on else "work",
        content=Document(sections, load) if load is not None and sections else None,
    )


# --- the REST API --------------------------------------------------------------------------------


def _license_statement(value: Any, *, kind: str, where: str) -> list[Claim]:
    """A schema.org ``license``: ``{"url": …, "name": …}`` or, from older Pressbooks, a URL."""
    if isinstance(value, dict):
        url = _text(value.get("url"))
        if url:
            return [_from_url(url, kind=kind, where=f"{where}.url")]
        name = _text(value.get("name"))
        return [_from_slug(name, kind=kind, where=f"{where}.name", name=name)] if name else []
    url = _text(value)
    return [_from_url(url, kind=kind, where=where)] if url else []


def _schema_people(value: Any) -> list[tuple[str, str | None]]:
    people = value if isinstance(value, list) else [value]
    found = []
    for person in people:
        name = _text(person.get("name")) if isinstance(person, dict) else _text(person)
        if name:
            found.append((name, _text(person.get("url")) if isinstance(person, dict) else None))
    return found


def _holder(value: Any) -> str | None:
    return _text(value.get("name")) if isinstance(value, dict) else _text(value)


def _apply_schema(book: _Book, meta: dict[str, Any], *, where: str, own_license: bool) -> None:
    """Book-level facts from a schema.org Book (or Chapter) object."""
    book.title = book.title or _text(meta.get("name"))
    book.language = book.language or _text(meta.get("inLanguage"))
    book.year = book.year or _year(meta.get("copyrightYear")) or _year(meta.get("datePublished"))
    book.holder = book.holder or _holder(meta.get("copyrightHolder"))
    for name, url in _schema_people(meta.get("author", [])):
        _add_author(book.authors, name, url)
    based_on = _text(meta.get("isBasedOn"))
    if based_on:
        book.based_on.append(based_on)
    if own_license:
        book.statements += _license_statement(
            meta.get("license"), kind="schema.org-license", where=f"{where}license"
        )


def _toc_parts(toc: dict[str, Any], book: _Book) -> dict[str, str]:
    """Read a table of contents into ``book.parts``; return each section's web link by id."""
    links: dict[str, str] = {}

    def entry(item: Any, post_type: str, level: int) -> None:
        if not isinstance(item, dict) or "id" not in item:
            return
        section_id = f"{post_type}-{item['id']}"
        meta = item.get("metadata") if isinstance(item.get("metadata"), dict) else {}
        assert isinstance(meta, dict)
        where = f"toc {post_type} {item['id']} metadata.license"
        statements = _license_statement(
            meta.get("license"), kind="pressbooks-section-license", where=where
        )
        link = _text(item.get("link"))
        if link:
            links[section_id] = link
        book.parts.append(
            _Part(
                id=section_id,
                title=_text(item.get("title")),
                level=level,
                statements=tuple(statements),
                based_on=_text(meta.get("isBasedOn")),
                link=link,
            )
        )
        book.title = book.title or _text(meta.get("isPartOf"))
        book.language = book.language or _text(meta.get("inLanguage"))
        book.year = book.year or _year(meta.get("copyrightYear"))
        book.holder = book.holder or _holder(meta.get("copyrightHolder"))
        for name, url in _schema_people(meta.get("author", [])):
            _add_author(book.authors, name, url)

    for item in _list(toc.get("front-matter")):
        entry(item, "front-matter", 1)
    for part in _list(toc.get("parts")):
        entry(part, "part", 1)
        for chapter in _list(part.get("chapters") if isinstance(part, dict) else None):
            entry(chapter, "chapter", 2)
    for item in _list(toc.get("back-matter")):
        entry(item, "back-matter", 1)
    return links


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _self_root(data: dict[str, Any]) -> str | None:
    """The book's address, from the API link a response gives for itself."""
    for link in _list(data.get("_links", {}).get("self")):
        href = _text(link.get("href")) if isinstance(link, dict) else None
        if href and "/wp-json/" in href:
            return href.split("/wp-json/", 1)[0] + "/"
    return None


def _media_items(items: Iterable[Any], where: str) -> list[_Media]:
    """Media files from the WordPress ``/wp/v2/media`` collection (Pressbooks adds the meta)."""
    found = []
    for item in items:
        if not isinstance(item, dict):
            continue
        source = _text(item.get("source_url"))
        kind = _kind_of(source or "", _text(item.get("mime_type")))
        if not source or kind is None:
            continue
        title = item.get("title")
        title = _text(title.get("rendered")) if isinstance(title, dict) else _text(title)
        meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
        assert isinstance(meta, dict)
        flat = {key: value for key, value in meta.items() if isinstance(value, str) and value}
        found.append(_media_from_meta(source, kind, title, flat, f"{where} media {item.get('id')}"))
    return found


def _attributions(html: str, where: str) -> list[_Media]:
    """Media files credited in a chapter's "Media Attributions" list.

    Pressbooks lists the attachments a page shows, in the order they appear, so the n-th item
    credits the n-th distinct ``wp-image-<id>`` image of the page.
    """
    if "media-attributions" not in html:
        return []
    tree = parse_html(html, source=where)
    images: dict[str, str] = {}
    for img in tree.iter("img"):
        match = re.search(r"\bwp-image-(\d+)\b", img.get("class", ""))
        if match and img.get("src"):
            images.setdefault(match.group(1), img.get("src", ""))
    sources = list(images.values())
    found = []
    for block in tree.xpath('//div[contains(concat(" ", @class, " "), " media-attributions ")]'):
        for index, item in enumerate(block.iter("li")):
            line = " ".join(item.text_content().split())
            title_link = item.xpath('.//a[@property="dc:title"]')
            title = " ".join(title_link[0].text_content().split()) if title_link else None
            creator = item.xpath('.//*[@property="cc:attributionName"]')
            author = " ".join(creator[0].text_content().split()) if creator else None
            licence = item.xpath('.//a[@rel="license"]/@href')
            source = item.get("about") or (sources[index] if index < len(sources) else None)
            if not source:
                continue
            has_credit = author is not None or bool(licence)
            found.append(
                _Media(
                    source=str(source),
                    kind=_kind_of(str(source)) or "image",
                    title=title or (None if has_credit else line) or None,
                    authors=(Author(author, creator[0].get("href")),) if author else (),
                    statements=tuple(
                        _from_url(str(url), kind="pressbooks-media-license", where=where)
                        for url in licence
                    ),
                    credit=line if has_credit else None,
                )
            )
    return found


def _chapters(items: list[Any], source: Input) -> Work:
    """Chapter objects (``/chapters`` or ``/chapters/<id>``), each with its HTML."""
    book = _Book()
    html: dict[str, tuple[str, str]] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "id" not in item:
            raise ReadError(f"entry {index} is not a Pressbooks chapter", source=source.location)
        post_type = _text(item.get("type")) or "chapter"
        section_id = f"{post_type}-{item['id']}"
        meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
        assert isinstance(meta, dict)
        slug = _text(meta.get("pb_section_license"))
        where = f"{section_id} meta.pb_section_license"
        statements = (
            (_from_slug(slug, kind="pressbooks-section-license", where=where),) if slug else ()
        )
        title = item.get("title")
        title_text = _text(title.get("rendered")) if isinstance(title, dict) else _text(title)
        content = item.get("content")
        rendered = _text(content.get("rendered")) if isinstance(content, dict) else None
        link = _text(item.get("link")) or source.location
        html[section_id] = (rendered or "", link)
        book.parts.append(_Part(section_id, title_text, 1, statements, link=link))
        book.media += _attributions(rendered or "", f"{source.location} {section_id}")
    if len(book.parts) == 1:
        book.title, book.url = book.parts[0].title, book.parts[0].link

    def load(section: Section) -> SectionContent:
        body, base = html[section.id]
        return SectionContent(section, sanitize_html(body), base=base)

    return _to_work(book, source, load)


def _fetch_object(source: Input, url: str) -> dict[str, Any]:
    assert source.fetcher is not None
    data = source.fetcher.fetch_json(url)
    if not isinstance(data, dict):
        raise ReadError("expected a JSON object from the Pressbooks API", source=url)
    return data


def _fetch_media(source: Input, root: str) -> list[_Media]:
    assert source.fetcher is not None
    found: list[_Media] = []
    for page in range(1, 1000):
        url = f"{root}wp-json/wp/v2/media?per_page={_MEDIA_PAGE}&page={page}"
        items = source.fetcher.fetch_json(url)
        if not isinstance(items, list):
            raise ReadError("expected a JSON list of media from the WordPress API", source=url)
        found += _media_items(items, url)
        if len(items) < _MEDIA_PAGE:
            break
    return found


def _book_online(source: Input, root: str, toc: dict[str, Any] | None) -> Work:
    """A whole book through the API: table of contents, book metadata, media, then chapters."""
    if toc is None:
        toc = _fetch_object(source, root + _API + "toc")
    book = _Book(url=root)
    metadata = _fetch_object(source, root + _API + "metadata")
    _apply_schema(book, metadata, where="metadata ", own_license=True)
    links = _toc_parts(toc, book)
    book.media = _fetch_media(source, root)
    fetcher = source.fetcher
    assert fetcher is not None

    def load(section: Section) -> SectionContent:
        post_type, _, post_id = section.id.rpartition("-")
        url = f"{root}{_API}{_COLLECTIONS[post_type]}/{post_id}"
        data = fetcher.fetch_json(url)
        content = data.get("content") if isinstance(data, dict) else None
        html = content.get("rendered") if isinstance(content, dict) else None
        if not isinstance(html, str):
            raise ReadError("no content.rendered in the Pressbooks API response", source=url)
        return SectionContent(section, sanitize_html(html), base=links.get(section.id, url))

    return _to_work(book, source, load)


def _read_json(data: Any, source: Input) -> Work:
    location = source.location
    if isinstance(data, list):
        return _chapters(data, source)
    if not isinstance(data, dict):
        raise ReadError("not a Pressbooks API response", source=location)
    if _is_toc(data):
        root = _api_root(location) or _self_root(data)
        if source.fetcher is not None and root is not None:
            return _book_online(source, root, data)
        book = _Book(url=_self_root(data))
        _toc_parts(data, book)
        return _to_work(book, source, None)
    if data.get("@type") in ("Book", "Chapter"):
        book = _Book()
        _apply_schema(book, data, where="", own_license=True)
        if data.get("@type") == "Book":
            book.url = _self_root(data)
        return _to_work(book, source, None)
    if "content" in data and "id" in data:
        return _chapters([data], source)
    raise ReadError("not a Pressbooks API response", source=location)


def _is_toc(data: dict[str, Any]) -> bool:
    return isinstance(data.get("parts"), list) and ("front-matter" in data or "back-matter" in data)


def _api_root(location: str) -> str | None:
    if location.startswith(("http://", "https://")) and "/wp-json/" in location:
        return location.split("/wp-json/", 1)[0] + "/"
    return None


def _sniff_json(data: Any) -> int:
    if isinstance(data, list):
        first = data[0] if data else None
        meta = first.get("meta") if isinstance(first, dict) else None
        pressbooks = isinstance(meta, dict) and (
            "pb_section_license" in meta or "pb_authors" in meta
        )
        return 90 if pressbooks else 0
    if not isinstance(data, dict):
        return 0
    if _is_toc(data):
        return 95
    links = json.dumps(data.get("_links", {}))
    pressbooks = "/pressbooks/v2/" in links
    if data.get("@type") in ("Book", "Chapter") and "license" in data:
        license_ = data["license"]
        shaped = isinstance(license_, dict) and license_.get("@type") == "CreativeWork"
        return 90 if pressbooks else 60 if shaped else 30
    if pressbooks and "content" in data:
        return 90
    return 0


# --- WXR exports ---------------------------------------------------------------------------------


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


# --- the reader ----------------------------------------------------------------------------------


def _api_root_in_page(source: Input) -> str | None:
    assert source.data is not None
    page = parse_html(source.data, source=source.location)
    for found in page.xpath('//link[@rel="https://api.w.org/"]/@href'):
        href = str(found).strip()
        if href:
            api = urljoin(source.location, href)
            return api.split("/wp-json/", 1)[0] + "/" if "/wp-json" in api else None
    return None


class PressbooksReader:
    """Reads Pressbooks books: REST API responses, a book's URL, or a WXR export."""

    name = "pressbooks"

    def sniff(self, source: Input) -> int:
        data = source.data
        if not data:
            return 0
        if _is_wxr(data):
            pressbooks = b"pb_book_license" in data or b"pressbooks" in data[:65536].lower()
            return 95 if pressbooks else 20
        stripped = data.lstrip()[:1]
        if stripped in (b"{", b"["):
            try:
                return _sniff_json(load_json(data))
            except (ValueError, RecursionError):
                return 0
        head = data[:200_000]
        if _API_LINK.search(head) and b"pressbooks" in head.lower():
            return 85 if source.fetcher is not None else 40
        return 0

    def read(self, source: Input) -> Work:
        data = source.data
        if data is None:
            raise ReadError(
                "a Pressbooks book is a file or a URL, not a folder", source=source.location
            )
        if _is_wxr(data):
            return _read_wxr(source)
        if data.lstrip()[:1] in (b"{", b"["):
            try:
                parsed = load_json(data)
            except json.JSONDecodeError as exc:
                raise ReadError(
                    f"not valid JSON: {exc.msg}", source=source.location, line=exc.lineno
                ) from None
            except (ValueError, RecursionError) as exc:
                raise ReadError(f"not valid JSON: {exc}", source=source.location) from None
            return _read_json(parsed, source)
        root = _api_root_in_page(source)
        if root is None:
            raise ReadError(
                'not a Pressbooks book: no API link (rel="https://api.w.org/") in the page',
                source=source.location,
            )
        if source.fetcher is None:
            raise ReadError("reading a book's pages needs a fetcher", source=source.location)
        return _book_online(source, root, None)


READER = PressbooksReader()
"""The reader ``oerremix.readers.read`` uses for Pressbooks."""
