"""What a Pressbooks book is made of, whichever form it came in, and its licence statements.

The REST API (:mod:`._pb_rest`) and WXR exports (:mod:`._pb_wxr`) both read a book into a
:class:`_Book` (its :class:`_Part` sections and :class:`_Media` files, each with the licence
:class:`~oerremix.readers._licensing.Claim` statements met), and :func:`_to_work` turns that into
a :class:`~oerremix.model.Work`. Licence slugs and URLs become statements here
(:func:`_from_slug`, :func:`_from_url`), with :data:`LICENSE_URLS`, Pressbooks's table of what
each slug means.

This module imports neither of the two forms nor :mod:`.pressbooks`: they import it (the reader
imports all three), so there is no import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from oerremix.catalog import load_catalog
from oerremix.detect import detect
from oerremix.document import Document, SectionContent
from oerremix.model import (
    Asset,
    AssetKind,
    Author,
    Change,
    Evidence,
    Section,
    Work,
)
from oerremix.readers import Input
from oerremix.readers._licensing import Claim, decide

__all__ = [
    "LICENSE_URLS",
    "_COLLECTIONS",
    "_Book",
    "_Media",
    "_Part",
    "_add_author",
    "_from_slug",
    "_from_url",
    "_kind_of",
    "_media_from_meta",
    "_text",
    "_to_work",
    "_year",
]

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
_COLLECTIONS = {  # post type → REST collection
    "front-matter": "front-matter",
    "part": "parts",
    "chapter": "chapters",
    "back-matter": "back-matter",
}
_MEDIA_KINDS: dict[str, AssetKind] = {"image": "image", "video": "video", "audio": "audio"}
_EXTENSIONS: dict[str, AssetKind] = {
    **dict.fromkeys(("jpg", "jpeg", "png", "gif", "svg", "webp", "bmp", "tif", "tiff"), "image"),
    **dict.fromkeys(("mp4", "m4v", "mov", "webm", "ogv"), "video"),
    **dict.fromkeys(("mp3", "m4a", "ogg", "oga", "wav", "flac"), "audio"),
}


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
        provenance=source.provenance(evidence, status),
        kind="adaptation" if based_on else "work",
        content=Document(sections, load) if load is not None and sections else None,
    )
