"""Pressbooks books through the REST API: saved responses, or a whole book fetched online.

:func:`_read_json` reads a saved response (a table of contents, the book's ``/metadata``, one
chapter or a list of them); :func:`_book_online` fetches a book's table of contents, metadata
and media, and its chapters when they are read. :func:`_sniff_json` says how sure it is that
JSON is a Pressbooks response. All of them build a :class:`~._pb_book._Book`.

Only the reader, :mod:`.pressbooks`, imports this module; what the REST API and WXR exports
share comes from :mod:`._pb_book`, which imports neither, so there is no import cycle.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from oerremix._markup import parse_html, sanitize_html
from oerremix.document import SectionContent
from oerremix.errors import ReadError
from oerremix.model import Author, Section, Work
from oerremix.readers import Input
from oerremix.readers._licensing import Claim
from oerremix.readers._pb_book import (
    _COLLECTIONS,
    _add_author,
    _Book,
    _from_slug,
    _from_url,
    _kind_of,
    _Media,
    _media_from_meta,
    _Part,
    _text,
    _to_work,
    _year,
)

__all__ = ["_book_online", "_read_json", "_sniff_json"]

_API = "wp-json/pressbooks/v2/"
_MEDIA_PAGE = 100


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
