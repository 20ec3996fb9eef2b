"""Reader for IMS Common Cartridge 1.0–1.3 (a ``.imscc`` / ``.zip`` file, or an unpacked folder).

``imsmanifest.xml`` is read for the course: the LOM metadata (``general/title``,
``general/language``, ``rights/description`` and ``copyrightAndOtherRestrictions``,
``lifeCycle/contribute`` for authors and the date), the first (or default) organization's
item tree, which gives the sections (ids are the item identifiers), and the resources the
items point at. Each resource may carry LOM rights of its own.

Content, produced one section at a time when asked for: ``webcontent`` HTML pages (their
``<body>``, sanitised, with Canvas's ``$IMS-CC-FILEBASE$`` links pointed at ``web_resources/``),
images and other files (shown or linked), web links (``imswl``), discussion topics and
assignments (their HTML text), LTI links (a link to the tool). Quizzes (QTI) and unknown types
become a one-line note saying they were not converted. Each HTML page is scanned once while the
cartridge is read, for a licence statement of its own and for its images, videos and embeds.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape

from lxml import etree

from oerremix._archive import Archive, FolderArchive, ZipArchive, resolve
from oerremix._markup import element_text as _text
from oerremix._markup import local_name as _local
from oerremix._markup import parse_html, parse_xml, sanitize_html, xml_to_html
from oerremix.detect import detect
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import Asset, Author, Evidence, LicenseStatus, Provenance, Section, Work
from oerremix.readers import Input
from oerremix.readers._licensing import (
    Claim,
    decide,
    except_where_noted,
    part_conflicts,
    statement,
)
from oerremix.readers._pages import (
    JsonldRecord,
    captioned,
    jsonld_record,
    media_asset,
    media_evidence,
    scan_page,
)
from oerremix.readers._recorded import with_recorded

__all__ = ["READER"]

_MANIFEST = "imsmanifest.xml"
_CC_MARKS = (
    b"imsglobal.org/xsd/imscc/",
    b"imsglobal.org/xsd/imsccv1p",
    b"imsglobal.org/profile/cc/",
)
_CP_MARK = b"imsglobal.org/xsd/imscp_v1p1"
_FILEBASE = re.compile(r"^(?:\$IMS-CC-FILEBASE\$|%24IMS-CC-FILEBASE%24)/", re.IGNORECASE)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
_MAX_MANIFEST = 20 * 2**20
_XML_KINDS = ("imswl", "imsdt", "assignment", "imsbasiclti")
"""Resource types whose XML file oerremix turns into HTML (links, discussions, assignments)."""


def _children(el: etree._Element | None, name: str) -> Iterator[etree._Element]:
    return (child for child in (el if el is not None else ()) if _local(child) == name)


def _first(el: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element down ``path`` (local names), or None."""
    for name in path:
        if el is None:
            return None
        el = next(_children(el, name), None)
    return el


def _strings(el: etree._Element | None) -> list[str]:
    """The texts of a LOM langstring (``<string>`` children, or the element's own text)."""
    if el is None:
        return []
    found = [_text(s) for s in _children(el, "string") if _text(s)]
    return found or ([_text(el)] if _text(el) else [])


def _cc_score(manifest: bytes) -> int:
    head = manifest[:16384]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 (with its byte order mark)
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if any(mark in head for mark in _CC_MARKS):
        return 95
    if _CP_MARK in head and b"<manifest" in head:
        return 50  # a plain IMS Content Package: the same manifest, without the CC profile
    return 0


# --- the manifest ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Resource:
    identifier: str
    type: str
    href: str | None
    files: tuple[str, ...]
    statements: tuple[Claim, ...]
    rights: str
    """Its LOM rights description, as written ("" when it has none)."""


@dataclass(frozen=True, slots=True)
class _Item:
    section: Section
    ref: str | None


@dataclass(slots=True)
class _Lom:
    title: str | None = None
    language: str | None = None
    authors: tuple[Author, ...] = ()
    year: int | None = None
    statements: tuple[Claim, ...] = ()
    texts: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


def _read_lom(lom: etree._Element | None, where: str) -> _Lom:
    out = _Lom()
    if lom is None:
        return out
    general = _first(lom, "general")
    out.title = next(iter(_strings(_first(general, "title"))), None)
    languages = [_text(lang) for lang in _children(general, "language") if _text(lang)]
    out.language = languages[0] if languages else None
    rights = _first(lom, "rights")
    texts = _strings(_first(rights, "description"))
    out.texts = tuple(texts)
    out.statements = tuple(
        statement(f"{where} <rights><description>", detect(text), text) for text in texts
    )
    restricted = _text(_first(rights, "copyrightAndOtherRestrictions", "value"))
    if restricted:
        match = f"copyrightAndOtherRestrictions: {restricted}"
        out.evidence = (Evidence("lom-rights", match, f"{where} <rights>"),)
    authors: list[Author] = []
    for contribute in _children(_first(lom, "lifeCycle"), "contribute"):
        role = _text(_first(contribute, "role", "value")).casefold()
        for entity in _children(contribute, "entity"):
            text = _text(entity)
            name = _vcard_name(text) if "BEGIN:VCARD" in text.upper() else text or None
            if name and role in ("", "author", "creator"):
                authors.append(Author(name))
        date = _text(_first(contribute, "date", "dateTime"))
        if out.year is None and re.match(r"\d{4}", date) and int(date[:4]) >= 1:
            out.year = int(date[:4])
    out.authors = tuple(dict.fromkeys(authors))
    return out


def _vcard_name(card: str) -> str | None:
    """The ``FN`` (formatted name) of a vCard, as LOM ``entity`` elements hold them."""
    match = re.search(r"(?:^|\s)FN(?:;[^:]*)?:(.+?)(?=\s+[A-Z-]+[:;]|\s*$)", card)
    return match.group(1).strip() if match else None


def _lom_of(el: etree._Element) -> etree._Element | None:
    metadata = _first(el, "metadata")
    return next(_children(metadata, "lom"), None) if metadata is not None else None


def _resources(manifest: etree._Element, where: str) -> dict[str, _Resource]:
    found: dict[str, _Resource] = {}
    for resource in _children(_first(manifest, "resources"), "resource"):
        identifier = resource.get("identifier")
        if not identifier or identifier in found:
            continue
        files = tuple(f.get("href", "") for f in _children(resource, "file") if f.get("href"))
        lom = _read_lom(_lom_of(resource), f"{where} resource {identifier!r}")
        found[identifier] = _Resource(
            identifier,
            resource.get("type", ""),
            resource.get("href"),
            files,
            lom.statements,
            " ".join(lom.texts),
        )
    return found


def _items(manifest: etree._Element) -> list[_Item]:
    organizations = _first(manifest, "organizations")
    chosen = organizations.get("default") if organizations is not None else None
    orgs = list(_children(organizations, "organization"))
    org = next((o for o in orgs if o.get("identifier") == chosen), orgs[0] if orgs else None)
    if org is None:
        return []
    top = list(_children(org, "item"))
    if len(top) == 1 and not top[0].get("identifierref") and _first(top[0], "title") is None:
        top = list(_children(top[0], "item"))  # the untitled root item CC requires
    items: list[_Item] = []
    taken: set[str] = set()

    def walk(elements: list[etree._Element], level: int) -> None:
        for el in elements:
            wanted = el.get("identifier") or f"item-{len(items) + 1}"
            identifier, n = wanted, 1
            while identifier in taken:
                n += 1
                identifier = f"{wanted}-{n}"
            taken.add(identifier)
            title = _text(_first(el, "title")) or None
            section = Section(identifier, title, min(level, 64))
            items.append(_Item(section, el.get("identifierref") or None))
            walk(list(_children(el, "item")), level + 1)

    walk(top, 1)
    return items


# --- content -------------------------------------------------------------------------------


def _main_file(archive: Archive, resource: _Resource) -> str | None:
    """The file a resource launches: its ``href``, else the first of its files present."""
    candidates = [resource.href] if resource.href else []
    candidates += [f for f in resource.files if f.lower().endswith(_HTML_SUFFIXES)]
    candidates += list(resource.files)
    for href in candidates:
        name = resolve("", href) if href else None
        if name is not None and name in archive:
            return name
    return None


def _page_root(archive: Archive, name: str) -> etree._Element:
    root: etree._Element = parse_html(archive.read(name), source=archive.where(name))
    return root


def _filebase(page: str) -> str:
    """``web_resources/`` as seen from the folder of ``page``."""
    depth = page.count("/")
    return "../" * depth + "web_resources/"


def _point_filebase(root: etree._Element, page: str) -> None:
    for el in root.iter():
        for attr in ("src", "href"):
            value = el.get(attr)
            if value and _FILEBASE.match(value):
                el.set(attr, _FILEBASE.sub(_filebase(page), value))


def _link_html(href: str, label: str) -> str:
    return f'<p><a href="{escape(href)}">{escape(label)}</a></p>'


def _typed(resource_type: str) -> str:
    """The kind of a resource: ``imswl_xmlv1p3`` -> ``imswl``."""
    return resource_type.split("_", 1)[0].split("/", 1)[0].lower()


class _Content:
    """Produces the HTML of one section from the resource its item points at."""

    def __init__(self, archive: Archive, resources: dict[str, _Resource]) -> None:
        self.archive = archive
        self.resources = resources

    def __call__(self, item: _Item) -> SectionContent:
        section = item.section
        if item.ref is None:  # a heading that groups other items
            return SectionContent(section, "", base="")
        archive = self.archive
        resource = self.resources.get(item.ref)
        if resource is None:
            raise ReadError(
                f"item {section.id!r} points at resource {item.ref!r}, which the manifest lacks",
                source=archive.where(_MANIFEST),
            )
        kind = _typed(resource.type)
        if kind == "webcontent":
            return self.webcontent(section, resource)
        if kind not in _XML_KINDS:
            note = f"Not converted: a resource of type {resource.type or 'unknown'}."
            return SectionContent(section, f'<p class="not-converted">{escape(note)}</p>', "")
        name = _main_file(archive, resource)
        if name is None:
            raise ReadError(
                f"the file of resource {resource.identifier!r} is missing",
                source=archive.where(resource.href or (resource.files or ("?",))[0]),
            )
        root = parse_xml(archive.read(name), source=archive.where(name))
        folder = posixpath.dirname(name)
        base = folder + "/" if folder else ""
        if kind == "imswl":
            url = _first(root, "url")
            href = url.get("href", "") if url is not None else ""
            label = _text(_first(root, "title")) or section.title or href
            return SectionContent(section, sanitize_html(_link_html(href, label)), base)
        if kind == "imsbasiclti":
            launches = (
                _text(el)
                for el in root.iter()
                if _local(el) in ("secure_launch_url", "launch_url") and _text(el)
            )
            label = _text(_first(root, "title")) or section.title or "external tool"
            html = _link_html(next(launches, ""), f"External tool (LTI): {label}")
            return SectionContent(section, sanitize_html(html), base)
        text = _first(root, "text")  # discussion topics and assignments
        html = "".join(str(t) for t in text.itertext()) if text is not None else ""
        if text is not None and text.get("texttype") == "text/plain":
            html = f"<p>{escape(html)}</p>"
        return SectionContent(section, sanitize_html(html), base)

    def webcontent(self, section: Section, resource: _Resource) -> SectionContent:
        archive = self.archive
        name = _main_file(archive, resource)
        if name is None:
            missing = resource.href or (resource.files[0] if resource.files else "")
            raise ReadError(
                f"the file of resource {resource.identifier!r} is missing",
                source=archive.where(missing) if missing else archive.where(_MANIFEST),
            )
        folder = posixpath.dirname(name)
        base = folder + "/" if folder else ""
        file_name = posixpath.basename(name)
        if name.lower().endswith(_HTML_SUFFIXES):
            root = _page_root(archive, name)
            _point_filebase(root, name)
            body = next((el for el in root.iter() if _local(el) == "body"), root)
            return SectionContent(section, sanitize_html(xml_to_html(body)), base)
        label = section.title or file_name
        if name.lower().endswith(_IMAGE_SUFFIXES):
            html = f'<p><img src="{escape(file_name)}" alt="{escape(label)}"></p>'
        else:
            html = _link_html(file_name, label)
        return SectionContent(section, sanitize_html(html), base)


# --- the reader --------------------------------------------------------------------------------


def _open(source: Input) -> Archive:
    if source.data is not None:
        if source.data[:4] == b"PK\x03\x04":
            return ZipArchive(source.data, source=source.location)
        if source.path is not None and source.path.name == _MANIFEST:
            folder = source.path.parent
            return FolderArchive(folder, source=str(folder))
        raise ReadError("not a zip archive or an imsmanifest.xml", source=source.location)
    if source.path is not None and source.path.is_dir():
        return FolderArchive(source.path, source=source.location)
    raise ReadError("nothing to read", source=source.location)


class _ImsccReader:
    """Reads IMS Common Cartridges, zipped or unpacked."""

    name = "imscc"

    def sniff(self, source: Input) -> int:
        """95 for a cartridge whose ``imsmanifest.xml`` uses an IMS CC namespace."""
        try:
            if source.data is not None and source.data[:4] == b"PK\x03\x04":
                archive = ZipArchive(source.data, source=source.location)
                if _MANIFEST not in archive:
                    return 0
                return _cc_score(archive.read(_MANIFEST))
            if source.data is not None:
                return _cc_score(source.data) - 5 if source.name == _MANIFEST else 0
            if source.path is not None and (source.path / _MANIFEST).is_file():
                with (source.path / _MANIFEST).open("rb") as manifest:
                    return _cc_score(manifest.read(16384))
        except UnsafeContentError:
            raise  # hostile whoever reads it: say so, rather than "not recognised"
        except (ReadError, OSError):
            return 0
        return 0

    def read(self, source: Input) -> Work:
        """Read the cartridge: metadata, licence, sections from the organization, assets."""
        retrieved = Input.now()
        archive = _open(source)
        if _MANIFEST not in archive:
            raise ReadError(f"no {_MANIFEST}: not a Common Cartridge", source=archive.location)
        where = archive.where(_MANIFEST)
        data = archive.read(_MANIFEST)
        if len(data) > _MAX_MANIFEST:
            raise ReadError(f"{_MANIFEST} is larger than 20 MiB", source=where)
        manifest = parse_xml(data, source=where)
        if _local(manifest) != "manifest":
            raise ReadError(f"root element is <{_local(manifest)}>, not <manifest>", source=where)
        lom = _read_lom(_lom_of(manifest), _MANIFEST)
        resources = _resources(manifest, _MANIFEST)
        statements = list(lom.statements)
        record = JsonldRecord((), (), None)
        name = next(
            (f for r in resources.values() for f in r.files if f.lower().endswith(".jsonld")),
            None,
        )
        if name is not None and name in archive:
            record = jsonld_record(archive.read(name), where=name, source=archive.where(name))
            statements += [record.claim] if record.claim is not None else []
        work_license, status, evidence = decide(statements)
        all_evidence = [*evidence, *lom.evidence, *_canvas_license(archive)]
        noted = any(except_where_noted(text) for text in lom.texts)
        items = _items(manifest)
        sections: list[Section] = []
        assets: dict[str, Asset] = {}
        scanned: dict[str, str | None] = {}  # resource -> its own licence, each scanned once
        page_statuses: list[LicenseStatus] = []
        for item in items:
            resource = resources.get(item.ref) if item.ref else None
            own = None
            if resource is not None:
                if resource.identifier not in scanned:
                    scanned[resource.identifier] = self._scan_resource(
                        archive,
                        resource,
                        work_license if noted else None,
                        assets,
                        all_evidence,
                        statuses=page_statuses,
                    )
                own = scanned[resource.identifier]
            license_ = own if own != work_license else None
            sections.append(item.section.replace(license=license_))
        work_license, status = part_conflicts(work_license, status, page_statuses)
        provenance = Provenance(
            source.location, retrieved, archive.sha256(), tuple(dict.fromkeys(all_evidence)), status
        )
        by_id = {
            section.id: _Item(section, item.ref)
            for section, item in zip(sections, items, strict=True)
        }
        content = _Content(archive, resources)
        return Work(
            title=lom.title,
            authors=lom.authors,
            license=work_license,
            year=lom.year,
            language=lom.language,
            based_on=record.based_on,
            changes=record.changes,
            kind="adaptation" if record.based_on else "work",
            assets=tuple(with_recorded(a, record.media) for a in assets.values()),
            sections=tuple(sections),
            provenance=provenance,
            content=Document(sections, _loader(content, by_id)),
        )

    def _scan_resource(
        self,
        archive: Archive,
        resource: _Resource,
        inherit: str | None,
        assets: dict[str, Asset],
        evidence: list[Evidence],
        *,
        statuses: list[LicenseStatus],
    ) -> str | None:
        """Record a resource's licence statements and media, and its page's licence status in
        ``statuses``; return its own licence, if any."""
        own, _status, found = decide(resource.statements)
        evidence.extend(found)
        if _typed(resource.type) != "webcontent":
            return own
        name = _main_file(archive, resource)
        if name is None:
            return own
        if own is not None:
            inherit = own
        lowered = name.lower()
        if lowered.endswith(_IMAGE_SUFFIXES) and name not in assets:
            described = captioned("image", name, resource.rights)
            assets[name] = media_asset(name, described, inherit=inherit)
            evidence.extend(media_evidence(f"resource {resource.identifier!r}", described))
        if not lowered.endswith(_HTML_SUFFIXES):
            return own
        scan = scan_page(_page_root(archive, name), where=name)
        page_license, page_status, page_evidence = decide(scan.statements)
        evidence.extend(page_evidence)
        statuses.append(page_status)
        if page_status == "conflict":
            inherit = None  # the page contradicts itself: its media take nothing
        elif page_license is not None and scan.except_noted:
            inherit = page_license
        folder = posixpath.dirname(name)
        for medium in scan.media:
            src = _FILEBASE.sub("web_resources/", medium.src)
            if src.startswith(("$", "%24")):
                continue  # a link into the LMS ($CANVAS_COURSE_REFERENCE$ …), not a medium
            base = "" if src != medium.src else (folder + "/" if folder else "")
            target = resolve(base, src)
            key = target if target is not None else medium.src
            evidence.extend(media_evidence(name, medium))
            if key not in assets:
                assets[key] = media_asset(key, medium, inherit=inherit)
        return own or page_license


def _canvas_license(archive: Archive) -> list[Evidence]:
    """Canvas's course licence (``course_settings.xml``), kept as evidence only.

    Canvas names licences by its own slugs (``cc_by``, ``public_domain`` …) without versions;
    oerremix has no table for them, so they are reported, never turned into a licence.
    """
    name = "course_settings/course_settings.xml"
    if name not in archive:
        return []
    try:
        root = parse_xml(archive.read(name), source=archive.where(name))
    except UnsafeContentError:
        raise
    except ReadError:
        return []
    value = _text(_first(root, "license"))
    return [Evidence("canvas-license", value, name)] if value else []


def _loader(content: _Content, items: dict[str, _Item]) -> Callable[[Section], SectionContent]:
    def load(section: Section) -> SectionContent:
        found = content(items[section.id])
        return SectionContent(section, found.html, found.base)

    return load


READER = _ImsccReader()
"""The IMS Common Cartridge reader, registered as ``imscc``."""
