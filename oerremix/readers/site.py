"""Read a folder of web pages as a book: a static site with an ``index.html``.

oerremix's own HTML package is one (``index.html``, a page per module, ``credits.html``,
``media/``, ``metadata.jsonld``), and so are the sites static-site generators and many OER
platforms export. The index page speaks for the book — title, authors, language, licence,
lineage, read by the HTML reader — together with a ``metadata.jsonld`` beside it when there is
one. The chapters are the pages the index links to, in the order it links to them (else every
other page, in natural order); each is a section, with its own licence when it states another
one, and its images, videos and embeds are the book's assets.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from urllib.parse import quote

from lxml.html import HtmlElement

from oerremix._archive import FolderArchive, resolve
from oerremix._markup import LINKING, URL_ATTRIBUTES, fragment_html, sanitize_html
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError
from oerremix.model import Asset, LicenseStatus, Section, Work
from oerremix.readers import Input
from oerremix.readers._licensing import Claim, decide, part_conflicts
from oerremix.readers._pages import jsonld_record, media_asset, media_evidence, scan_page
from oerremix.readers._recorded import RecordedMedium, with_recorded
from oerremix.readers._sections import natural_order, slugify, squash, unique_id
from oerremix.readers.html import READER as HTML_READER
from oerremix.readers.html import parse_page

__all__ = ["READER", "SiteReader"]

_PAGE = re.compile(r"\.x?html?$", re.IGNORECASE)
_INDEX = "index.html"
_RECORD = "metadata.jsonld"
_MAX_PAGES = 5000


def _site_resolve(base: str, href: str) -> str | None:
    """:func:`~oerremix._archive.resolve` for a site, where a link may also start at the
    site's root (``/media/a.png``, as static-site generators write them): the folder read is
    taken for that root."""
    href = href.strip()
    if href.startswith("/") and not href.startswith("//"):
        return resolve("", href.lstrip("/"))
    return resolve(base, href)


def _relative_links(body: HtmlElement, folder: str) -> None:
    """Point links from the site's root (``/media/a.png``) at the same file relative to the
    page (``../media/a.png``), so that whoever follows them from the folder finds the file."""
    for element in body.iter(*LINKING):
        for attribute in URL_ATTRIBUTES:
            value = (element.get(attribute) or "").strip()
            if not value.startswith("/") or value.startswith("//"):
                continue
            target = _site_resolve("", value)
            if target is None:
                continue
            fragment = value.partition("#")[2]
            relative = posixpath.relpath(target, folder or ".")
            element.set(attribute, quote(relative) + (f"#{fragment}" if fragment else ""))


def _chapters(index: HtmlElement, pages: set[str]) -> list[tuple[str, str | None]]:
    """The pages the index links to, in its order, each with its link's text."""
    found: dict[str, str | None] = {}
    for link in index.iter("a"):
        name = _site_resolve("", link.get("href") or "")
        if name in pages and name != _INDEX and name not in found:
            found[name] = squash(link.text_content()) or None
    if not found:  # an index without a table of contents: every other page
        found = {name: None for name in sorted(pages - {_INDEX}, key=natural_order)}
    return list(found.items())


def _book_claim(front: Work) -> Claim:
    """What the index page, read by the HTML reader, says about the book's licence."""
    assert front.provenance is not None  # the HTML reader always records it
    status = front.provenance.license_status
    candidates = frozenset({front.license}) if front.license else frozenset()
    evidence = tuple(  # the HTML reader says "page"; here it is the index
        e.replace(where=_INDEX + e.where[len("page") :]) if e.where.startswith("page") else e
        for e in front.provenance.license_evidence
    )
    return Claim(_INDEX, status, candidates, None, evidence)


class SiteReader:
    """Reads a folder with an ``index.html`` and other pages (see the module docstring)."""

    name = "site"

    def sniff(self, source: Input) -> int:
        """30 for a folder with an ``index.html`` and at least one other page (below the
        readers of packages that a folder of pages can also be: EPUB, IMS CC, Markdown)."""
        folder = source.path
        if source.data is not None or folder is None or not folder.is_dir():
            return 0
        try:
            names = [p.name for p in folder.iterdir() if p.is_file()]
        except OSError:
            return 0
        pages = [n for n in names if _PAGE.search(n)]
        return 30 if _INDEX in pages and len(pages) > 1 else 0

    def read(self, source: Input) -> Work:
        """Read the book: the index for the book, the pages it links to as sections."""
        if source.path is None or not source.path.is_dir():
            raise ReadError(
                "not a folder of web pages: give the folder that holds index.html, or let "
                "oerremix choose the reader (no format)",
                source=source.location,
            )
        archive = FolderArchive(source.path, source=source.location)
        pages = {name for name in archive.names() if _PAGE.search(name)}
        if len(pages) > _MAX_PAGES:
            raise ReadError(f"more than {_MAX_PAGES} pages", source=source.location)
        index_where = archive.where(_INDEX)
        index_data = archive.read(_INDEX)
        front = HTML_READER.read(
            Input(index_where, source.path / _INDEX, index_data, "text/html", source.fetcher)
        )
        claims = [_book_claim(front)]
        based_on, changes = front.based_on, front.changes
        recorded: Mapping[str, RecordedMedium] = {}
        if _RECORD in archive:
            record = jsonld_record(
                archive.read(_RECORD), where=_RECORD, source=archive.where(_RECORD)
            )
            based_on = record.based_on or based_on
            changes = record.changes or changes
            recorded = record.media
            if record.claim is not None:
                claims.append(record.claim)
        work_license, status, evidence = decide(claims)
        index = parse_page(index_data, source=index_where)
        work_noted = scan_page(index, where=_INDEX).except_noted
        all_evidence = list(evidence)
        sections: list[Section] = []
        entries: dict[str, str] = {}
        assets: dict[str, Asset] = {a.source: a for a in front.assets}
        taken: set[str] = set()
        page_statuses: list[LicenseStatus] = []
        for name, label in _chapters(index, pages):
            scan = scan_page(parse_page(archive.read(name), source=archive.where(name)), where=name)
            section_license, page_status, page_evidence = decide(scan.statements)
            all_evidence.extend(page_evidence)
            page_statuses.append(page_status)
            if page_status == "conflict":
                inherit: str | None = None  # the page contradicts itself: its media take nothing
            elif scan.except_noted and section_license is not None:
                inherit = section_license
            else:
                inherit = work_license if work_noted else None
            folder = posixpath.dirname(name)
            for medium in scan.media:
                target = _site_resolve(folder + "/" if folder else "", medium.src)
                key = target if target is not None else medium.src
                all_evidence.extend(media_evidence(name, medium))
                if key not in assets:
                    assets[key] = media_asset(key, medium, inherit=inherit)
            stem = posixpath.splitext(name)[0]
            section_id = unique_id(slugify(stem) or "page", taken)
            entries[section_id] = name
            own = section_license if section_license != work_license else None
            sections.append(Section(section_id, label or scan.title, 1, own))
        work_license, status = part_conflicts(work_license, status, page_statuses)
        return front.replace(
            license=work_license,
            based_on=based_on,
            changes=changes,
            kind="adaptation" if based_on else front.kind,
            assets=tuple(with_recorded(a, recorded) for a in assets.values()),
            sections=tuple(sections),
            provenance=source.provenance(
                tuple(dict.fromkeys(all_evidence)), status, sha256=archive.sha256()
            ),
            content=Document(sections, _loader(archive, entries)),
        )


def _loader(archive: FolderArchive, entries: dict[str, str]) -> Callable[[Section], SectionContent]:
    def load(section: Section) -> SectionContent:
        name = entries[section.id]
        root = parse_page(archive.read(name), source=archive.where(name))
        main = next(iter(root.iter("main")), None)
        body = main if main is not None else root.find("body")
        folder = posixpath.dirname(name)
        if body is not None:
            _relative_links(body, folder)
        html = sanitize_html(fragment_html(body)) if body is not None else ""
        return SectionContent(section, html, base=name)  # the page: links between pages

    return load


READER = SiteReader()
"""The reader of folders of web pages, registered as ``site``."""
