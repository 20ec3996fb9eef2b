"""Reader for EPUB 2 and EPUB 3 books (a ``.epub`` file, or an unpacked EPUB folder).

``META-INF/container.xml`` names the package document (OPF). Its metadata give the title
(``dc:title``), the creators (``dc:creator``), the language, the date, the licence
(``dc:rights``, and ``dcterms:license`` / ``cc:license`` metadata) and the works this one is
derived from (``dc:source``). The spine gives the sections, one per XHTML document, in reading
order; their titles and levels come from the navigation document (EPUB 3) or the NCX (EPUB 2),
else from the first heading. Each chapter is scanned once while the book is read, for a licence
statement of its own and for its images and their credits; its HTML is produced again, one
chapter at a time, only when the content is asked for.

Chapters are scanned by :mod:`oerremix.readers._pages` (shared with the OpenStax and IMS Common
Cartridge readers); licence statements are weighed by :mod:`oerremix.readers._licensing`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from lxml import etree

from oerremix._archive import Archive, FolderArchive, ZipArchive, resolve
from oerremix._markup import element_text as _text
from oerremix._markup import local_name as _local
from oerremix._markup import parse_html, parse_xml, sanitize_html, xml_to_html
from oerremix.detect import detect
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import (
    Asset,
    Author,
    Change,
    LicenseStatus,
    Provenance,
    Section,
    Work,
)
from oerremix.readers import Input
from oerremix.readers._licensing import (
    Claim,
    decide,
    except_where_noted,
    part_conflicts,
    statement,
)
from oerremix.readers._pages import PageMedia, jsonld_record, media_asset, media_evidence, scan_page
from oerremix.readers._recorded import RecordedMedium, with_recorded
from oerremix.readers._sections import unique_id

__all__ = [
    "READER",
]

_DC = "http://purl.org/dc/elements/1.1/"
_OPF = "http://www.idpf.org/2007/opf"
_OPS = "http://www.idpf.org/2007/ops"
_MIMETYPE = b"application/epub+zip"
_XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_JSONLD = "application/ld+json"


# --- EPUB ---------------------------------------------------------------------------------------


def _children(el: etree._Element, name: str) -> Iterator[etree._Element]:
    return (child for child in el if _local(child) == name)


def _first(el: etree._Element, name: str) -> etree._Element | None:
    return next(_children(el, name), None)


def _open(source: Input) -> Archive:
    if source.data is not None:
        return ZipArchive(source.data, source=source.location)
    if source.path is not None and source.path.is_dir():
        return FolderArchive(source.path, source=source.location)
    raise ReadError("nothing to read", source=source.location)


def _parse_xhtml(archive: Archive, name: str) -> etree._Element:
    """Parse a content document: as XML, as EPUB requires, else leniently as HTML."""
    data = archive.read(name)
    try:
        return parse_xml(data, source=archive.where(name))
    except UnsafeContentError:
        raise
    except ReadError:
        root: etree._Element = parse_html(data, source=archive.where(name))
        return root


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "section"


@dataclass(frozen=True, slots=True)
class _Item:
    name: str
    media_type: str
    properties: frozenset[str]


@dataclass(slots=True)
class _Metadata:
    title: str | None = None
    authors: tuple[Author, ...] = ()
    language: str | None = None
    year: int | None = None
    url: str | None = None
    copyright: str | None = None
    statements: tuple[Claim, ...] = ()
    rights_texts: tuple[str, ...] = ()
    based_on: tuple[Work, ...] = ()
    changes: tuple[Change, ...] = ()
    cover_id: str | None = None


def _refinements(metadata: etree._Element) -> dict[str, dict[str, str]]:
    """EPUB 3 ``<meta refines="#id" property="…">`` values, by the id they refine."""
    found: dict[str, dict[str, str]] = {}
    for meta in metadata.iter(f"{{{_OPF}}}meta"):
        refines = meta.get("refines", "")
        prop = meta.get("property")
        if refines.startswith("#") and prop:
            found.setdefault(refines[1:], {}).setdefault(prop, _text(meta))
    return found


def _read_metadata(opf: etree._Element, where: str) -> _Metadata:
    md = _Metadata()
    metadata = _first(opf, "metadata")
    if metadata is None:
        return md
    refined = _refinements(metadata)

    def dc(name: str) -> list[etree._Element]:
        return [el for el in metadata.iter(f"{{{_DC}}}{name}") if _text(el)]

    titles = dc("title")
    main = [t for t in titles if refined.get(t.get("id", ""), {}).get("title-type") == "main"]
    if titles:
        md.title = _text((main or titles)[0])
    authors = []
    for creator in dc("creator"):
        role = creator.get(f"{{{_OPF}}}role") or refined.get(creator.get("id", ""), {}).get("role")
        if role != "bkp":  # the book producer is software, not an author
            authors.append(Author(_text(creator)))
    md.authors = tuple(dict.fromkeys(authors))
    languages = dc("language")
    md.language = _text(languages[0]) if languages else None
    dates = dc("date")
    dates.sort(key=lambda d: d.get(f"{{{_OPF}}}event", "publication") != "publication")
    if dates and re.match(r"\d{4}", _text(dates[0])):
        year = int(_text(dates[0])[:4])
        md.year = year if year >= 1 else None
    for identifier in dc("identifier"):
        value = _text(identifier)
        if value.startswith(("http://", "https://")):
            md.url = value
            break
    statements: list[Claim] = []
    rights = []
    for right in dc("rights"):
        text = _text(right)
        rights.append(text)
        statements.append(statement(f"{where} <dc:rights>", detect(text), text))
        if md.copyright is None and re.search(r"©|\bcopyright\b|\(c\)", text, re.IGNORECASE):
            md.copyright = text
    for meta in metadata.iter(f"{{{_OPF}}}meta", "meta"):
        key = meta.get("property") or meta.get("name") or ""
        value = (meta.get("content") or _text(meta)).strip()
        if meta.get("refines") or not value:
            continue
        if key == "cover":
            md.cover_id = value
        elif re.split(r"[:.]", key)[-1].lower() in ("license", "rights"):
            rights.append(value)
            statements.append(statement(f"{where} <meta {key}>", detect(value), value))
    for link in metadata.iter(f"{{{_OPF}}}link", "link"):
        rel = (link.get("rel") or "").split()
        href = link.get("href")
        if href and any(r.split(":")[-1].lower() == "license" for r in rel):
            statements.append(statement(f"{where} <link rel={link.get('rel')}>", detect(href)))
    md.statements = tuple(statements)
    md.rights_texts = tuple(rights)
    sources = []
    for source in dc("source"):
        value = _text(source)
        if value.startswith(("http://", "https://")):
            sources.append(Work(url=value))
        else:
            sources.append(Work(title=value))
    md.based_on = tuple(sources)
    return md


def _nav_labels(
    archive: Archive, nav_name: str | None, ncx_name: str | None
) -> dict[str, tuple[str, int]]:
    """``entry -> (label, depth)`` from the EPUB 3 navigation document, else the NCX."""
    labels: dict[str, tuple[str, int]] = {}
    if nav_name is not None and nav_name in archive:
        root = _parse_xhtml(archive, nav_name)
        navs = [el for el in root.iter() if _local(el) == "nav"]
        toc = next((n for n in navs if "toc" in (n.get(f"{{{_OPS}}}type") or "").split()), None)
        base = posixpath.dirname(nav_name)

        def walk(ol: etree._Element, depth: int) -> None:
            for li in _children(ol, "li"):
                for child in li:
                    if _local(child) == "a" and child.get("href"):
                        target = resolve(base + "/" if base else "", child.get("href", ""))
                        if target is not None and target not in labels and _text(child):
                            labels[target] = (_text(child), depth)
                    elif _local(child) == "ol":
                        walk(child, depth + 1)

        for nav in [toc] if toc is not None else navs[:1]:
            for ol in _children(nav, "ol"):
                walk(ol, 1)
    if not labels and ncx_name is not None and ncx_name in archive:
        root = parse_xml(archive.read(ncx_name), source=archive.where(ncx_name))
        base = posixpath.dirname(ncx_name)

        def walk_ncx(parent: etree._Element, depth: int) -> None:
            for point in _children(parent, "navPoint"):
                label = _first(point, "navLabel")
                content = _first(point, "content")
                text = _text(label) if label is not None else ""
                if content is not None and text:
                    target = resolve(base + "/" if base else "", content.get("src", ""))
                    if target is not None and target not in labels:
                        labels[target] = (text, depth)
                walk_ncx(point, depth + 1)

        nav_map = _first(root, "navMap")
        if nav_map is not None:
            walk_ncx(nav_map, 1)
    return labels


def _package_path(archive: Archive) -> str:
    name = "META-INF/container.xml"
    if name not in archive:
        raise ReadError(f"no {name}: not an EPUB", source=archive.location)
    container = parse_xml(archive.read(name), source=archive.where(name))
    rootfiles = [el for el in container.iter() if _local(el) == "rootfile" and el.get("full-path")]
    rootfiles.sort(key=lambda el: el.get("media-type") != "application/oebps-package+xml")
    if not rootfiles:
        raise ReadError("container.xml names no package document", source=archive.where(name))
    path = rootfiles[0].get("full-path", "")
    if resolve("", path) is None or path not in archive:
        raise ReadError(f"package document {path!r} is missing", source=archive.where(name))
    return path


class _EpubReader:
    """Reads EPUB 2 and EPUB 3 books."""

    name = "epub"

    def sniff(self, source: Input) -> int:
        """100 for a zip whose first entry is ``mimetype`` = ``application/epub+zip``."""
        if source.data is not None:
            data = source.data
            if data[:4] != b"PK\x03\x04":
                return 0
            if data[30:58] == b"mimetype" + _MIMETYPE:
                return 100
            try:
                archive = ZipArchive(data, source=source.location)
                if "mimetype" in archive and archive.read("mimetype").strip() == _MIMETYPE:
                    return 95
            except ReadError:
                return 0
            return 0
        if source.path is not None and source.path.is_dir():
            mimetype = source.path / "mimetype"
            try:
                if mimetype.is_file() and mimetype.read_bytes()[:64].strip() == _MIMETYPE:
                    return 95
            except OSError:
                return 0
        return 0

    def read(self, source: Input) -> Work:
        """Read the book: metadata, licence, sections from the spine, images as assets."""
        archive = _open(source)
        retrieved = Input.now()
        opf_name = _package_path(archive)
        where = archive.where(opf_name)
        opf = parse_xml(archive.read(opf_name), source=where)
        if _local(opf) != "package":
            raise ReadError(f"root element is <{_local(opf)}>, not <package>", source=where)
        md = _read_metadata(opf, opf_name)
        base = posixpath.dirname(opf_name)
        prefix = base + "/" if base else ""
        items: dict[str, _Item] = {}
        manifest = _first(opf, "manifest")
        for entry in _children(manifest, "item") if manifest is not None else ():
            target = resolve(prefix, entry.get("href", ""))
            if entry.get("id") and target is not None:
                props = frozenset((entry.get("properties") or "").split())
                items[entry.get("id", "")] = _Item(target, entry.get("media-type", ""), props)
        spine = _first(opf, "spine")
        if spine is None:
            raise ReadError("package document has no <spine>", source=where)
        nav = next((i.name for i in items.values() if "nav" in i.properties), None)
        ncx_item = items.get(spine.get("toc", ""))
        labels = _nav_labels(archive, nav, ncx_item.name if ncx_item is not None else None)

        record = next((i.name for i in items.values() if i.media_type == _JSONLD), None)
        recorded: Mapping[str, RecordedMedium] = {}
        if record is not None and record in archive:
            found = jsonld_record(archive.read(record), where=record, source=archive.where(record))
            recorded = found.media
            md.based_on = found.based_on or md.based_on  # the fuller record wins over dc:source
            md.changes = found.changes
            if found.claim is not None:
                md.statements = (*md.statements, found.claim)
        work_license, status, evidence = decide(md.statements)
        work_noted = any(except_where_noted(t) for t in md.rights_texts)
        all_evidence = list(evidence)
        sections: list[Section] = []
        entries: dict[str, str] = {}
        assets: dict[str, Asset] = {}
        taken: set[str] = set()
        page_statuses: list[LicenseStatus] = []
        for itemref in _children(spine, "itemref"):
            idref = itemref.get("idref", "")
            item = items.get(idref)
            if item is None:
                raise ReadError(f"spine item {idref!r} is not in the manifest", source=where)
            if item.media_type not in _XHTML_TYPES:
                continue
            if item.name not in archive:
                raise ReadError(f"spine item {idref!r}: {item.name!r} is missing", source=where)
            scan = scan_page(_parse_xhtml(archive, item.name), where=item.name)
            label, level = labels.get(item.name, ("", 1))
            section_license, page_status, page_evidence = decide(scan.statements)
            all_evidence.extend(page_evidence)
            page_statuses.append(page_status)
            inherit: str | None
            if page_status == "conflict":
                inherit = None  # the chapter contradicts itself: its media take nothing
            elif scan.except_noted and section_license is not None:
                inherit = section_license
            else:
                inherit = work_license if work_noted else None
            chapter_dir = posixpath.dirname(item.name)
            for medium in scan.media:
                target = resolve(chapter_dir + "/" if chapter_dir else "", medium.src)
                key = target if target is not None else medium.src
                all_evidence.extend(media_evidence(item.name, medium))
                if key not in assets:
                    assets[key] = media_asset(key, medium, inherit=inherit)
            section_id = unique_id(idref or _slug(scan.title or item.name), taken)
            entries[section_id] = item.name
            own = section_license if section_license != work_license else None
            sections.append(Section(section_id, label or scan.title, min(level, 64), own))
        work_license, status = part_conflicts(work_license, status, page_statuses)
        cover = items.get(md.cover_id or "") or next(
            (i for i in items.values() if "cover-image" in i.properties), None
        )
        if cover is not None and cover.name not in assets:
            assets[cover.name] = media_asset(
                cover.name,
                PageMedia("image", cover.name, None, None),
                inherit=work_license if work_noted else None,
                title="cover",
            )
        provenance = Provenance(
            source.location,
            retrieved,
            archive.sha256(),
            tuple(dict.fromkeys(all_evidence)),
            status,
        )
        return Work(
            title=md.title,
            url=md.url,
            authors=md.authors,
            license=work_license,
            year=md.year,
            copyright=md.copyright,
            language=md.language,
            based_on=md.based_on,
            changes=md.changes,
            assets=tuple(with_recorded(a, recorded) for a in assets.values()),
            sections=tuple(sections),
            provenance=provenance,
            kind="adaptation" if md.based_on else "work",
            content=Document(sections, _loader(archive, entries)),
        )


def _loader(archive: Archive, entries: dict[str, str]) -> Callable[[Section], SectionContent]:
    def load(section: Section) -> SectionContent:
        name = entries[section.id]
        root = _parse_xhtml(archive, name)
        body = next((el for el in root.iter() if _local(el) == "body"), root)
        folder = posixpath.dirname(name)
        html = sanitize_html(xml_to_html(body))
        return SectionContent(section, html, base=folder + "/" if folder else "")

    return load


READER = _EpubReader()
"""The EPUB reader, registered as ``epub``."""
