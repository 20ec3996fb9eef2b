"""Reader for EPUB 2 and EPUB 3 books (a ``.epub`` file, or an unpacked EPUB folder).

``META-INF/container.xml`` names the package document (OPF). Its metadata give the title
(``dc:title``), the creators (``dc:creator``), the language, the date, the licence
(``dc:rights``, and ``dcterms:license`` / ``cc:license`` metadata) and the works this one is
derived from (``dc:source``). The spine gives the sections, one per XHTML document, in reading
order; their titles and levels come from the navigation document (EPUB 3) or the NCX (EPUB 2),
else from the first heading. Each chapter is scanned once while the book is read, for a licence
statement of its own and for its images and their credits; its HTML is produced again, one
chapter at a time, only when the content is asked for.

The licence helpers here (:class:`Statement`, :func:`weigh_statements`, :func:`find_credit`,
:func:`scan_page`) are shared with the OpenStax and IMS Common Cartridge readers.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from oerremix._archive import Archive, FolderArchive, ZipArchive, resolve
from oerremix._markup import parse_html, parse_xml, sanitize_html, xml_to_html
from oerremix.detect import Detection, detect
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import (
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

__all__ = [
    "READER",
    "PageMedia",
    "PageScan",
    "Statement",
    "captioned",
    "except_where_noted",
    "find_credit",
    "jsonld_record",
    "media_asset",
    "media_evidence",
    "scan_page",
    "weigh_statements",
]

_DC = "http://purl.org/dc/elements/1.1/"
_OPF = "http://www.idpf.org/2007/opf"
_OPS = "http://www.idpf.org/2007/ops"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_MIMETYPE = b"application/epub+zip"
_XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_JSONLD = "application/ld+json"
_MEDIA: dict[str, AssetKind] = {
    "img": "image",
    "image": "image",
    "video": "video",
    "audio": "audio",
    "iframe": "embed",
}
_MAX_MATCH = 300


# --- licence statements, shared by the readers of packaged formats ----------------------------


@dataclass(frozen=True, slots=True)
class Statement:
    """One licence statement found in a source, before it is weighed with the others."""

    where: str
    """Where it was found, e.g. ``"EPUB/content.opf <dc:rights>"``."""
    detection: Detection
    """What :func:`~oerremix.detect.detect` made of it."""
    text: str | None = None
    """The statement as written, kept as evidence when it names no licence oerremix knows."""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MATCH else text[: _MAX_MATCH - 1] + "…"


def weigh_statements(
    statements: Iterable[Statement],
) -> tuple[str | None, LicenseStatus, tuple[Evidence, ...]]:
    """Weigh every statement about one thing: ``(license id or None, status, evidence)``.

    Each statement stands for the licences it could mean (one when it is definite, several
    when it is not, e.g. a name without a version). The licence is *found* when the
    statements agree on exactly one licence and at least one of them states it definitely; a
    README naming "CC BY-NC-SA" without a version agrees with metadata naming CC BY-NC-SA 4.0.
    Statements that share no licence are a *conflict*; statements that leave more than one
    possible are *ambiguous*. Every statement is kept as evidence, ``where`` prefixed by the
    place it was found.
    """
    evidence: list[Evidence] = []
    possible: list[frozenset[str]] = []
    definite = False
    for statement in statements:
        for ev in statement.detection.evidence:
            evidence.append(Evidence(ev.kind, ev.match, f"{statement.where}, {ev.where}"))
        if statement.detection.status == "none":
            if statement.text and statement.text.strip():
                evidence.append(Evidence("statement", _short(statement.text), statement.where))
            continue
        possible.append(frozenset(statement.detection.candidates))
        definite = definite or statement.detection.status == "found"
    kept = tuple(dict.fromkeys(evidence))
    if not possible:
        return None, "none", kept
    common = frozenset.intersection(*possible)
    if not common:
        return None, "conflict", kept
    if len(common) == 1 and definite:
        return next(iter(common)), "found", kept
    return None, "ambiguous", kept


_EXCEPT = re.compile(
    r"\b(?:except|unless)\s+(?:where|as|when|if)?\s*(?:otherwise|indicated\s+otherwise)"
    r"|\bexcept\s+for\s+(?:third[-\s]party|content\s+credited)",
    re.IGNORECASE,
)


def except_where_noted(text: str) -> bool:
    """Does ``text`` say its licence covers everything "except where otherwise noted"?

    Only then do images with no statement of their own take the work's licence.

    >>> except_where_noted("Licensed under CC BY 4.0, except where otherwise noted.")
    True
    >>> except_where_noted("Licensed under CC BY 4.0.")
    False
    """
    return _EXCEPT.search(text) is not None


_PAREN_CREDIT = re.compile(
    r"\(\s*((?:image\s+|photo\s+|photograph\s+)?credits?\b[^()]*(?:\([^()]*\)[^()]*)*)\)",
    re.IGNORECASE,
)
_CREDIT_MARK = re.compile(
    r"\b(?:image|photo(?:graph)?|illustration|picture)\s+(?:credits?|by|courtesy)\b"
    r"|\bcredits?\s*:|\bcourtesy\s+of\b|\bsource\s*:|©",
    re.IGNORECASE,
)


def find_credit(caption: str) -> str | None:
    """The credit line in a figure caption, verbatim, or None.

    A parenthesised credit is taken without its parentheses; otherwise the caption from a
    credit marker (``Credit:``, ``Photo by``, ``Courtesy of``, ``Source:``, ``©``) to its end.

    >>> find_credit('A wind farm. (credit a: modification of work by Stig Nygaard)')
    'credit a: modification of work by Stig Nygaard'
    >>> find_credit("A cat. Photo by Jane Doe, CC BY 2.0") is None
    False
    >>> find_credit("Ohm's law in a circuit.") is None
    True
    """
    text = " ".join(caption.split())
    match = _PAREN_CREDIT.search(text)
    if match:
        return match.group(1).strip() or None
    mark = _CREDIT_MARK.search(text)
    if mark:
        return text[mark.start() :].strip(" .;") or None
    return None


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(el: etree._Element) -> str:
    return " ".join("".join(str(t) for t in el.itertext()).split())


@dataclass(frozen=True, slots=True)
class PageMedia:
    """An image, video, audio or embed on a page, with what its figure caption says about it."""

    kind: AssetKind
    """``image``, ``video``, ``audio`` or ``embed`` (an ``<iframe>``)."""
    src: str
    """The ``src`` (or SVG ``href``) as written in the page."""
    credit: str | None
    """The credit line of its figure caption, or None."""
    detection: Detection | None
    """What the caption states about its licence, or None when it has no caption."""


@dataclass(frozen=True, slots=True)
class PageScan:
    """What one HTML page says about itself: title, licence and images."""

    title: str | None
    """The text of its first heading, else of its ``<title>``, or None."""
    statement: Statement
    """Its licence statements outside figures (a licence notice, ``rel="license"`` links)."""
    except_noted: bool
    """True when the page's own text says "except where otherwise noted"."""
    media: tuple[PageMedia, ...]
    """Its images, videos, audio and embeds, in document order."""


def scan_page(root: etree._Element, *, where: str) -> PageScan:
    """Scan a parsed (X)HTML page; figures are cut out of ``root`` to scan the rest."""
    title = None
    head_title = None
    media: list[PageMedia] = []
    figures: list[etree._Element] = []
    for el in root.iter():
        name = _local(el)
        if title is None and name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            title = _text(el) or None
        elif head_title is None and name == "title":
            head_title = _text(el) or None
        elif name == "figure":
            if not any(f in el.iterancestors() for f in figures):
                figures.append(el)
        elif name in _MEDIA:
            src = el.get("src") or el.get(_XLINK_HREF) or el.get("href")
            if name in ("video", "audio") and not src:
                source = next((c for c in el if _local(c) == "source" and c.get("src")), None)
                src = source.get("src") if source is not None else None
            if not src or src.startswith("data:"):
                continue
            figure = next((a for a in el.iterancestors() if _local(a) == "figure"), None)
            media.append(_page_media(_MEDIA[name], src, figure))
    for figure in figures:
        parent = figure.getparent()
        if parent is not None:
            _drop_keeping_tail(parent, figure)
    markup = xml_to_html(root, inner=False)
    statement = Statement(where, detect(markup))
    body_text = _text(root)
    return PageScan(title or head_title, statement, except_where_noted(body_text), tuple(media))


def _drop_keeping_tail(parent: etree._Element, child: etree._Element) -> None:
    tail = child.tail
    previous = child.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(child)


def _page_media(kind: AssetKind, src: str, figure: etree._Element | None) -> PageMedia:
    if figure is None:
        return PageMedia(kind, src, None, None)
    caption = next((c for c in figure.iter() if _local(c) == "figcaption"), None)
    if caption is None:
        return PageMedia(kind, src, None, None)
    return captioned(kind, src, _text(caption))


def captioned(kind: AssetKind, src: str, caption: str) -> PageMedia:
    """A medium described by ``caption``: its credit line, and the licence the caption states.

    A caption that names a licence but has no credit marker is the credit as a whole
    ("Jane Doe, CC BY 2.0").
    """
    credit = find_credit(caption)
    detection = detect(caption)
    if credit is None and detection.status != "none":
        credit = " ".join(caption.split())
    return PageMedia(kind, src, credit, detection)


def media_evidence(where: str, media: PageMedia) -> tuple[Evidence, ...]:
    """The licence statements of a medium's caption, as evidence found at ``where``."""
    if media.detection is None:
        return ()
    return weigh_statements([Statement(f"{where} caption of {media.src}", media.detection)])[2]


def media_asset(
    source: str, media: PageMedia, *, inherit: str | None, title: str | None = None
) -> Asset:
    """The Asset for a medium: its caption's licence, else credit only, else inherited.

    ``inherit`` is the licence a medium with no statement of its own takes (the work's or the
    section's, where they cover it), or None. An embed (``<iframe>``) shows something hosted
    elsewhere and never inherits.
    """
    found = media.detection.license_id if media.detection is not None else None
    kind = media.kind
    if found is not None:
        return Asset(kind, source, title=title, license=found, credit=media.credit)
    if media.credit is not None or inherit is None or kind == "embed":
        return Asset(kind, source, title=title, credit=media.credit)
    return Asset(kind, source, title=title, license=inherit, license_inherited=True)


# --- schema.org JSON-LD records (oerremix's own packages carry one) ----------------------------

_JSONLD_DEPTH = 16


def _jsonld_text(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _jsonld_license(value: object) -> str | None:
    """The licence URL (or name) of a JSON-LD ``license`` value: a string or a CreativeWork."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, dict):
        return _jsonld_text(value.get("url") or value.get("@id") or value.get("name"))
    return _jsonld_text(value)


def _jsonld_authors(value: object) -> tuple[Author, ...]:
    found: list[Author] = []
    for author in value if isinstance(value, list) else [value]:
        name = _jsonld_text(author.get("name") if isinstance(author, dict) else author)
        if name:
            found.append(Author(name))
    return tuple(dict.fromkeys(found))


def _jsonld_sources(record: dict[str, object], depth: int) -> tuple[Work, ...]:
    value = record.get("isBasedOn")
    sources: list[Work] = []
    for item in value if isinstance(value, list) else [value]:
        if depth >= _JSONLD_DEPTH:
            break
        if isinstance(item, str) and _jsonld_text(item):
            text = " ".join(item.split())
            is_url = text.startswith(("http://", "https://"))
            sources.append(Work(url=text) if is_url else Work(title=text))
        elif isinstance(item, dict):
            url = _jsonld_text(item.get("url"))
            identifier = _jsonld_text(item.get("@id"))
            if url is None and identifier and identifier.startswith(("http://", "https://")):
                url = identifier
            license_text = _jsonld_license(item.get("license"))
            sources.append(
                Work(
                    title=_jsonld_text(item.get("name")),
                    url=url,
                    authors=_jsonld_authors(item.get("author")),
                    license=detect(license_text).license_id if license_text else None,
                    based_on=_jsonld_sources(item, depth + 1),
                )
            )
    return tuple(sources)


def jsonld_record(
    data: bytes, *, where: str, source: str
) -> tuple[tuple[Work, ...], Statement | None]:
    """What a schema.org JSON-LD record says: the works it is based on, and its own licence.

    ``isBasedOn`` entries become works with their name, URL, authors, licence and their own
    sources; the record's ``license`` becomes a statement found at ``where`` (the file inside
    the package), weighed with the package's others. Invalid JSON raises
    :class:`~oerremix.errors.ReadError` naming ``source``. oerremix's writers put such a record
    (``metadata.jsonld``) in every EPUB and cartridge.
    """
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ReadError(f"not a valid JSON-LD record: {exc}", source=source) from None
    if not isinstance(record, dict):
        return (), None
    license_text = _jsonld_license(record.get("license"))
    statement = None
    if license_text is not None:
        statement = Statement(f"{where} license", detect(license_text), license_text)
    return _jsonld_sources(record, 0), statement


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


def _unique(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    taken.add(candidate)
    return candidate


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
    statements: tuple[Statement, ...] = ()
    rights_texts: tuple[str, ...] = ()
    based_on: tuple[Work, ...] = ()
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
    statements: list[Statement] = []
    rights = []
    for right in dc("rights"):
        text = _text(right)
        rights.append(text)
        statements.append(Statement(f"{where} <dc:rights>", detect(text), text))
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
            statements.append(Statement(f"{where} <meta {key}>", detect(value), value))
    for link in metadata.iter(f"{{{_OPF}}}link", "link"):
        rel = (link.get("rel") or "").split()
        href = link.get("href")
        if href and any(r.split(":")[-1].lower() == "license" for r in rel):
            statements.append(Statement(f"{where} <link rel={link.get('rel')}>", detect(href)))
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
        if record is not None and record in archive:
            sources, statement = jsonld_record(
                archive.read(record), where=record, source=archive.where(record)
            )
            md.based_on = sources or md.based_on  # the fuller record wins over dc:source
            if statement is not None:
                md.statements = (*md.statements, statement)
        work_license, status, evidence = weigh_statements(md.statements)
        work_noted = any(except_where_noted(t) for t in md.rights_texts)
        all_evidence = list(evidence)
        sections: list[Section] = []
        entries: dict[str, str] = {}
        assets: dict[str, Asset] = {}
        taken: set[str] = set()
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
            section_license, _, page_evidence = weigh_statements([scan.statement])
            all_evidence.extend(page_evidence)
            inherit: str | None
            if scan.except_noted and section_license is not None:
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
            section_id = _unique(idref or _slug(scan.title or item.name), taken)
            entries[section_id] = item.name
            own = section_license if section_license != work_license else None
            sections.append(Section(section_id, label or scan.title, min(level, 64), own))
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
            assets=tuple(assets.values()),
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
