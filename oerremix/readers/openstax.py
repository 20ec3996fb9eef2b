"""Reader for OpenStax books in CNXML: a book repository folder, a collection file, or a module.

An OpenStax book repository (``github.com/openstax/osbooks-*``) holds
``collections/<slug>.collection.xml`` (the table of contents: units and chapters as nested
``col:subcollection``, modules as ``col:module document="m58453"``), ``modules/<id>/index.cnxml``
(one page each), ``media/`` (the images), ``META-INF/books.xml``, a ``README`` and a ``LICENSE``.

The collection gives the title, language and licence (``md:license``); the README and LICENSE
are weighed with it as evidence, and they must agree. The collection order gives the sections:
subcollections (ids are slugs of their titles) and modules (ids are module ids, titles from the
module's ``md:title``). Every module is read once while the book is read, one at a time, for its
title, its own licence if it states one, and its figures; its HTML is produced again only when
its content is asked for. A module listed in the collection but missing from the folder stays a
section (title unknown); loading its content raises :class:`~oerremix.errors.ReadError` naming
the missing file.

Figures: a caption credit ("(credit a: modification of work by Stig Nygaard; credit b: …)")
makes the image *credit only*: ``license=None`` with the credit text, unless the credit itself
states a licence. An image with no credit takes the book's (or its module's) licence with
``license_inherited=True``: OpenStax states that the book's content is under its licence and
credits the third-party material in captions.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from oerremix._archive import FolderArchive
from oerremix._markup import append_text, parse_xml, sanitize_html, xml_to_html
from oerremix._markup import element_text as _text
from oerremix._markup import local_name as _local
from oerremix.detect import detect
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import Asset, Author, Evidence, Provenance, Section, Work
from oerremix.readers import Input
from oerremix.readers._licensing import (
    Claim,
    decide,
    find_credit,
    statement,
)
from oerremix.readers._pages import (
    PageMedia,
    media_asset,
    media_evidence,
)
from oerremix.readers._sections import unique_id

__all__ = ["READER"]

_COL = "http://cnx.rice.edu/collxml"
_MD = "http://cnx.rice.edu/mdml"
_CNXML = "http://cnx.rice.edu/cnxml"
_MATHML = "http://www.w3.org/1998/Math/MathML"
_BOOKS = "https://openstax.org/namespaces/book-container"
_MODULE_ID = re.compile(r"[A-Za-z0-9_.-]{1,100}")
_LICENSE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md")
_README_FILES = ("README.md", "README", "README.txt")


def _md(el: etree._Element, name: str) -> etree._Element | None:
    return el.find(f"{{{_MD}}}{name}")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "part"


# --- metadata ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Meta:
    """What an ``md:`` metadata block says."""

    title: str | None = None
    language: str | None = None
    slug: str | None = None
    statements: list[Claim] = field(default_factory=list)
    authors: tuple[Author, ...] = ()
    rightsholders: tuple[str, ...] = ()
    based_on: tuple[Work, ...] = ()


def _read_meta(metadata: etree._Element | None, where: str) -> _Meta:
    meta = _Meta()
    if metadata is None:
        return meta
    meta.title = _text(_md(metadata, "title")) or None
    meta.language = _text(_md(metadata, "language")) or None
    meta.slug = _text(_md(metadata, "slug")) or None
    lic = _md(metadata, "license")
    if lic is not None:
        url = (lic.get("url") or "").strip()
        if url:
            meta.statements.append(statement(f"{where} <md:license url>", detect(url), url))
        if _text(lic):
            meta.statements.append(
                statement(f"{where} <md:license>", detect(_text(lic)), _text(lic))
            )
    people: dict[str, str] = {}
    actors = _md(metadata, "actors")
    for actor in actors if actors is not None else ():
        name = _text(_md(actor, "fullname")) or " ".join(
            p for p in (_text(_md(actor, "firstname")), _text(_md(actor, "surname"))) if p
        )
        if actor.get("userid") and name:
            people[actor.get("userid", "")] = name
    roles: dict[str, list[str]] = {}
    for role in metadata.iter(f"{{{_MD}}}role"):
        for userid in _text(role).split():
            roles.setdefault(role.get("type", ""), []).append(people.get(userid, userid))
    meta.authors = tuple(Author(n) for n in dict.fromkeys(roles.get("author", [])))
    holders = roles.get("licensor", []) + roles.get("copyright-holder", [])
    holder_el = _md(metadata, "rightsholders")
    if holder_el is not None:
        holders += [_text(h) for h in holder_el if _text(h)]
    meta.rightsholders = tuple(dict.fromkeys(holders))
    sources = []
    for derived in metadata.iter(f"{{{_MD}}}derived-from"):
        source_url = derived.get("url") or None
        source_title = _text(_md(derived, "title")) or None
        if source_url or source_title:
            sources.append(Work(title=source_title, url=source_url))
    meta.based_on = tuple(sources)
    return meta


# --- the shape of the book --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Node:
    """One entry of the table of contents: a subcollection, or a module by id."""

    module: str | None
    title: str | None
    level: int


def _walk(content: etree._Element, level: int, where: str) -> Iterator[_Node]:
    for child in content:
        name = _local(child)
        if name == "module":
            module = child.get("document", "")
            if not _MODULE_ID.fullmatch(module):
                raise ReadError(f"module reference {module!r} is not a module id", source=where)
            yield _Node(module, _text(_md(child, "title")) or None, min(level, 64))
        elif name == "subcollection":
            yield _Node(None, _text(_md(child, "title")) or None, min(level, 64))
            inner = child.find(f"{{{_COL}}}content")
            if inner is not None:
                yield from _walk(inner, level + 1, where)


@dataclass(slots=True)
class _ModuleInfo:
    title: str | None
    license: str | None
    images: list[tuple[str, PageMedia]]


def _module_images(document: etree._Element, base: str) -> list[tuple[str, PageMedia]]:
    """``(source inside the book, image)`` for every image shown in a module."""
    found: list[tuple[str, PageMedia]] = []
    for media in document.iter(f"{{{_CNXML}}}media"):
        image = _shown_image(media)
        if image is None:
            continue
        src = image.get("src", "")
        figure = next((a for a in media.iterancestors() if _local(a) == "figure"), None)
        captions = []
        for ancestor in media.iterancestors():
            if _local(ancestor) in ("figure", "subfigure"):
                captions.append(_text(ancestor.find(f"{{{_CNXML}}}caption")))
            if ancestor is figure:
                break
        credit = next((c for c in map(find_credit, captions) if c), None)
        detection = detect(credit) if credit else None
        found.append((_book_path(base, src), PageMedia("image", src, credit, detection)))
    return found


def _shown_image(media: etree._Element) -> etree._Element | None:
    images = [i for i in media if _local(i) == "image" and i.get("src")]
    online = [i for i in images if i.get("for") not in ("pdf", "print")]
    shown = online or images
    return shown[0] if shown else None


def _book_path(base: str, src: str) -> str:
    if re.match(r"[a-z][a-z0-9+.-]*:", src, re.IGNORECASE):
        return src
    return posixpath.normpath(posixpath.join(base, src))


# --- CNXML to HTML ----------------------------------------------------------------------------

_SIMPLE = {
    "para": "p",
    "item": "li",
    "sub": "sub",
    "sup": "sup",
    "cite": "cite",
    "cite-title": "cite",
    "foreign": "span",
    "span": "span",
    "preformat": "pre",
    "meaning": "dd",
    "seealso": "p",
}
_BOXES = {
    "note": "aside",
    "example": "div",
    "exercise": "div",
    "problem": "div",
    "solution": "div",
    "commentary": "div",
    "equation": "div",
    "rule": "div",
    "statement": "div",
    "proof": "div",
    "footnote": "aside",
    "div": "div",
    "glossary": "section",
    "definition": "dl",
}
_EMPHASIS = {"bold": "strong", "italics": "em", "underline": "u"}
_TARGET_WORDS = {"figure": "Figure", "table": "Table", "example": "Example", "equation": "Equation"}


class _Converter:
    """Turns one CNXML module into an element tree of plain HTML (and MathML)."""

    def __init__(self, document: etree._Element) -> None:
        self.kinds = {el.get("id"): _local(el) for el in document.iter() if el.get("id")}

    def convert(self, document: etree._Element) -> etree._Element:
        out = etree.Element("div")
        metadata = document.find(f"{{{_CNXML}}}metadata")
        abstract = _md(metadata, "abstract") if metadata is not None else None
        if abstract is not None and len(abstract) + len(_text(abstract)) > 0:
            box = etree.SubElement(out, "div", {"class": "abstract"})
            self.children(abstract, box, 1)
        content = document.find(f"{{{_CNXML}}}content")
        if content is not None:
            self.children(content, out, 1)
        return out

    def children(self, source: etree._Element, target: etree._Element, depth: int) -> None:
        append_text(target, source.text)
        for child in source:
            self.node(child, target, depth)

    def node(self, el: etree._Element, parent: etree._Element, depth: int) -> None:
        name = _local(el)
        ns = etree.QName(el).namespace if isinstance(el.tag, str) else None
        if ns == _MATHML:
            parent.append(_mathml(el))
        elif not name or ns == _MD or name in ("metadata", "label"):
            pass
        elif name == "title":
            self.title(el, parent, depth)
        elif name == "section":
            new = _sub(parent, "section", el)
            self.children(el, new, min(depth + 1, 6))
        elif name in _SIMPLE:
            self.children(el, _sub(parent, _SIMPLE[name], el), depth)
        elif name in _BOXES:
            box = _sub(parent, _BOXES[name], el, extra=name)
            self.children(el, box, depth)
        elif name == "emphasis":
            tag = _EMPHASIS.get(el.get("effect", "italics"), "span")
            self.children(el, _sub(parent, tag, el), depth)
        elif name == "term":
            owner = el.getparent()
            if owner is not None and _local(owner) == "definition":
                tag = "dt"
            else:
                tag = "span" if "no-emphasis" in (el.get("class") or "") else "dfn"
            self.children(el, _sub(parent, tag, el), depth)
        elif name == "list":
            self.list(el, parent, depth)
        elif name == "link":
            self.link(el, parent, depth)
        elif name == "newline":
            etree.SubElement(parent, "br")
        elif name == "space":
            append_text(parent, " ")
        elif name in ("figure", "subfigure"):
            figure = _sub(parent, "figure", el)
            for child in el:
                if _local(child) == "caption":
                    continue
                self.node(child, figure, depth)
            for caption in el.findall(f"{{{_CNXML}}}caption"):
                self.children(caption, etree.SubElement(figure, "figcaption"), depth)
        elif name == "media":
            self.media(el, parent)
        elif name == "table":
            self.table(el, parent, depth)
        elif name == "code":
            block = el.get("display") == "block"
            holder = etree.SubElement(parent, "pre") if block else parent
            self.children(el, _sub(holder, "code", el), depth)
        elif name == "quote":
            tag = "blockquote" if el.get("display") == "block" else "q"
            self.children(el, _sub(parent, tag, el), depth)
        elif name == "caption":
            self.children(el, etree.SubElement(parent, "p", {"class": "caption"}), depth)
        else:
            holder = _sub(parent, "div" if len(el) else "span", el, extra=name)
            self.children(el, holder, depth)
        append_text(parent, el.tail)

    def title(self, el: etree._Element, parent: etree._Element, depth: int) -> None:
        if _local(parent) == "section":
            heading = etree.SubElement(parent, f"h{depth}")
        elif _local(parent) == "figure":
            heading = etree.SubElement(etree.SubElement(parent, "figcaption"), "strong")
        else:
            heading = etree.SubElement(etree.SubElement(parent, "p", {"class": "title"}), "strong")
        self.children(el, heading, depth)

    def list(self, el: etree._Element, parent: etree._Element, depth: int) -> None:
        for title in el.findall(f"{{{_CNXML}}}title"):
            self.title(title, parent, depth)
        ordered = el.get("list-type") == "enumerated"
        target = _sub(parent, "ol" if ordered else "ul", el)
        for item in el:
            if _local(item) == "item":
                self.node(item, target, depth)

    def link(self, el: etree._Element, parent: etree._Element, depth: int) -> None:
        target = el.get("target-id")
        document = el.get("document")
        if el.get("url"):
            href = el.get("url", "")
        elif document and _MODULE_ID.fullmatch(document):
            href = f"../{document}/index.cnxml" + (f"#{target}" if target else "")
        elif target:
            href = f"#{target}"
        else:
            href = el.get("resource") or ""
        link = _sub(parent, "a", el)
        if href:
            link.set("href", href)
        if el.text or len(el):
            self.children(el, link, depth)
        else:
            kind = self.kinds.get(target) if target and not document else None
            link.text = _TARGET_WORDS.get(kind or "", target or document or href or "link")

    def media(self, el: etree._Element, parent: etree._Element) -> None:
        image = _shown_image(el)
        if image is not None:
            img = _sub(parent, "img", el)
            img.set("src", image.get("src", ""))
            img.set("alt", el.get("alt", ""))
            for size in ("width", "height"):
                if image.get(size):
                    img.set(size, image.get(size, ""))
            return
        for child in el:
            kind = _local(child)
            if kind in ("iframe", "video", "audio") and child.get("src"):
                embed = _sub(parent, kind, el)
                embed.set("src", child.get("src", ""))
                for size in ("width", "height"):
                    if child.get(size):
                        embed.set(size, child.get(size, ""))
                if kind != "iframe":
                    embed.set("controls", "controls")
                return

    def table(self, el: etree._Element, parent: etree._Element, depth: int) -> None:
        table = _sub(parent, "table", el)
        title = el.find(f"{{{_CNXML}}}title")
        caption = el.find(f"{{{_CNXML}}}caption")
        if title is not None or caption is not None:
            out = etree.SubElement(table, "caption")
            for part in (title, caption):
                if part is not None:
                    self.children(part, out, depth)
        for group in el.findall(f"{{{_CNXML}}}tgroup"):
            columns = [c.get("colname") for c in group.iter(f"{{{_CNXML}}}colspec")]
            for section in group:
                kind = _local(section)
                if kind not in ("thead", "tbody", "tfoot"):
                    continue
                rows = etree.SubElement(table, kind)
                for row in section.iter(f"{{{_CNXML}}}row"):
                    tr = etree.SubElement(rows, "tr")
                    for entry in row.iter(f"{{{_CNXML}}}entry"):
                        cell = _sub(tr, "th" if kind == "thead" else "td", entry)
                        _spans(entry, cell, columns)
                        self.children(entry, cell, depth)


def _spans(entry: etree._Element, cell: etree._Element, columns: list[str | None]) -> None:
    more = entry.get("morerows", "")
    if more.isdigit() and int(more) > 0:
        cell.set("rowspan", str(int(more) + 1))
    start, end = entry.get("namest"), entry.get("nameend")
    if start in columns and end in columns:
        span = columns.index(end) - columns.index(start) + 1
        if span > 1:
            cell.set("colspan", str(span))


def _sub(
    parent: etree._Element, tag: str, source: etree._Element, *, extra: str | None = None
) -> etree._Element:
    """A new child ``tag`` keeping the source's id and classes (plus ``extra``)."""
    el = etree.SubElement(parent, tag)
    if source.get("id"):
        el.set("id", source.get("id", ""))
    classes = " ".join(c for c in (extra, source.get("class")) if c)
    if classes:
        el.set("class", classes)
    return el


def _mathml(el: etree._Element) -> etree._Element:
    """A copy of a MathML element with plain names, as HTML embeds MathML."""
    copy = etree.Element(_local(el))
    for key, value in el.attrib.items():
        if not str(key).startswith("{"):
            copy.set(str(key), str(value))
    copy.text = el.text
    for child in el:
        if isinstance(child.tag, str):
            inner = _mathml(child)
            copy.append(inner)
            inner.tail = child.tail
        elif child.tail:  # a comment: keep only the text after it
            append_text(copy, child.tail)
    return copy


def module_html(document: etree._Element) -> str:
    """The sanitised HTML of a parsed CNXML module (its title is not repeated)."""
    converter = _Converter(document)
    return sanitize_html(xml_to_html(converter.convert(document)))


# --- the reader -------------------------------------------------------------------------------


def _collections_in(root: Path) -> list[str]:
    """The collection files of a book repository, as ``collections/<name>``."""
    archive = FolderArchive(root, source=str(root))
    books = "META-INF/books.xml"
    listed: list[str] = []
    if books in archive:
        container = parse_xml(archive.read(books), source=archive.where(books))
        for book in container.iter(f"{{{_BOOKS}}}book"):
            href = posixpath.normpath(posixpath.join("META-INF", book.get("href", "")))
            if href.startswith("collections/") and href in archive:
                listed.append(href)
    if not listed:
        folder = root / "collections"
        if folder.is_dir():
            listed = sorted(f"collections/{p.name}" for p in folder.glob("*.collection.xml"))
    return listed


class _OpenStaxReader:
    """Reads OpenStax CNXML books (folder or collection file) and single modules."""

    name = "openstax"

    def sniff(self, source: Input) -> int:
        """95 for a CNXML collection or module, or a folder holding a collection."""
        if source.data is not None:
            head = source.data[:4096]
            if _COL.encode() in head and b"collection" in head:
                return 95
            if _CNXML.encode() in head and b"<document" in head:
                return 95
            return 0
        if source.path is not None and source.path.is_dir():
            try:
                if _collections_in(source.path):
                    return 95
            except UnsafeContentError:
                raise  # hostile whoever reads it: say so, rather than "not recognised"
            except ReadError:
                return 0
            if (source.path / "index.cnxml").is_file():
                return 80
        return 0

    def read(self, source: Input) -> Work:
        """Read a book repository folder, a collection file, or one module."""
        retrieved = Input.now()
        path = source.path
        archive: FolderArchive | None
        if path is not None and path.is_dir():
            collections = _collections_in(path)
            if len(collections) > 1:
                raise ReadError(
                    f"this folder holds {len(collections)} books; read one of: "
                    + ", ".join(collections),
                    source=source.location,
                )
            archive = FolderArchive(path, source=source.location)
            if collections:
                return self._collection(archive, collections[0], source, retrieved)
            if "index.cnxml" in archive:
                data = archive.read("index.cnxml")
                return self._module(data, "", source, retrieved, archive.sha256())
            raise ReadError(
                "no OpenStax collection or module in this folder", source=source.location
            )
        data = source.data or b""
        root = parse_xml(data, source=source.location)
        if path is not None:
            parent = path.parent
            if _local(root) == "collection" and parent.name == "collections":
                archive = FolderArchive(parent.parent, source=str(parent.parent))
                return self._collection(archive, f"collections/{path.name}", source, retrieved)
            if _local(root) == "document" and parent.parent.name == "modules":
                base = f"modules/{parent.name}"
                return self._module(data, base, source, retrieved, source.sha256())
            archive = FolderArchive(parent, source=str(parent))
        else:
            archive = None
        if _local(root) == "collection":
            return self._collection(archive, None, source, retrieved, data=data)
        if _local(root) == "document":
            return self._module(data, "", source, retrieved, source.sha256())
        raise ReadError(
            f"root element is <{_local(root)}>, not a CNXML collection or document",
            source=source.location,
        )

    def _collection(
        self,
        archive: FolderArchive | None,
        entry: str | None,
        source: Input,
        retrieved: str,
        *,
        data: bytes | None = None,
    ) -> Work:
        if archive is not None and entry is not None:
            data = archive.read(entry)
            where = archive.where(entry)
        else:
            where = source.location
        root = parse_xml(data or b"", source=where)
        if root.tag != f"{{{_COL}}}collection":
            raise ReadError("not a CNXML collection (col:collection)", source=where)
        meta = _read_meta(root.find(f"{{{_COL}}}metadata"), entry or "collection")
        statements = list(meta.statements)
        readme_text = ""
        if archive is not None and entry is not None:
            for name in _README_FILES + _LICENSE_FILES:
                if name in archive:
                    text = archive.read(name).decode("utf-8", errors="replace")
                    statements.append(statement(name, detect(text)))
                    if name in _README_FILES and not readme_text:
                        readme_text = text
        work_license, status, evidence = decide(statements)
        content = root.find(f"{{{_COL}}}content")
        nodes = list(_walk(content, 1, where)) if content is not None else []
        sections: list[Section] = []
        modules: dict[str, str] = {}
        assets: dict[str, Asset] = {}
        all_evidence = list(evidence)
        taken: set[str] = set()
        for node in nodes:
            if node.module is None:
                section_id = unique_id(_slug(node.title or "part"), taken)
                sections.append(Section(section_id, node.title, node.level))
                continue
            section_id = unique_id(node.module, taken)
            modules[section_id] = node.module
            info = None
            module_entry = f"modules/{node.module}/index.cnxml"
            if archive is not None and module_entry in archive:
                info = _scan_module(archive, module_entry, all_evidence)
            own = info.license if info is not None else None
            inherit = own or work_license
            title = (info.title if info is not None else None) or node.title
            license_ = own if own != work_license else None
            sections.append(Section(section_id, title, node.level, license_))
            for book_path, image in info.images if info is not None else ():
                if book_path not in assets:
                    assets[book_path] = media_asset(book_path, image, inherit=inherit)
        url = _book_url(readme_text, meta.slug)
        # a repository's files, all read here; else the one file given
        sha = archive.sha256() if archive is not None and entry is not None else source.sha256()
        provenance = Provenance(
            source.location, retrieved, sha, tuple(dict.fromkeys(all_evidence)), status
        )
        return Work(
            title=meta.title,
            url=url,
            authors=meta.authors,
            license=work_license,
            copyright=", ".join(meta.rightsholders) or None,
            language=meta.language,
            based_on=meta.based_on,
            assets=tuple(assets.values()),
            sections=tuple(sections),
            provenance=provenance,
            kind="adaptation" if meta.based_on else "work",
            content=Document(sections, _collection_loader(archive, modules, source.location)),
        )

    def _module(
        self, data: bytes, base: str, source: Input, retrieved: str, sha256: str | None
    ) -> Work:
        document = parse_xml(data, source=source.location)
        if document.tag != f"{{{_CNXML}}}document":
            raise ReadError("not a CNXML module (document)", source=source.location)
        metadata = document.find(f"{{{_CNXML}}}metadata")
        meta = _read_meta(metadata, "index.cnxml")
        title = meta.title or _text(document.find(f"{{{_CNXML}}}title")) or None
        module_id = _text(_md(metadata, "content-id")) if metadata is not None else ""
        module_id = module_id or document.get("id") or source.name.removesuffix(".cnxml")
        work_license, status, evidence = decide(meta.statements)
        assets: dict[str, Asset] = {}
        for book_path, image in _module_images(document, base):
            if book_path not in assets:
                assets[book_path] = media_asset(book_path, image, inherit=work_license)
        section = Section(module_id, title, 1)
        folder = f"{base}/" if base else ""

        def load(wanted: Section) -> SectionContent:
            parsed = parse_xml(data, source=source.location)
            return SectionContent(wanted, module_html(parsed), base=folder)

        provenance = Provenance(source.location, retrieved, sha256, evidence, status)
        return Work(
            title=title,
            authors=meta.authors,
            license=work_license,
            copyright=", ".join(meta.rightsholders) or None,
            language=meta.language or document.get("{http://www.w3.org/XML/1998/namespace}lang"),
            based_on=meta.based_on,
            assets=tuple(assets.values()),
            sections=(section,),
            provenance=provenance,
            kind="adaptation" if meta.based_on else "work",
            content=Document([section], load),
        )


def _scan_module(archive: FolderArchive, entry: str, evidence: list[Evidence]) -> _ModuleInfo:
    """Read one module for its title, its own licence and its images, then let it go."""
    document = parse_xml(archive.read(entry), source=archive.where(entry))
    metadata = document.find(f"{{{_CNXML}}}metadata")
    meta = _read_meta(metadata, entry)
    license_, _status, found = decide(meta.statements)
    evidence.extend(found)
    title = meta.title or _text(document.find(f"{{{_CNXML}}}title")) or None
    images = _module_images(document, posixpath.dirname(entry))
    for _path, image in images:
        evidence.extend(media_evidence(entry, image))
    return _ModuleInfo(title, license_, images)


def _collection_loader(
    archive: FolderArchive | None, modules: dict[str, str], location: str
) -> Callable[[Section], SectionContent]:
    def load(section: Section) -> SectionContent:
        module = modules.get(section.id)
        if module is None:  # a unit or chapter: its title is the whole of it
            return SectionContent(section, "", base="")
        entry = f"modules/{module}/index.cnxml"
        if archive is None:
            raise ReadError(
                f"module {module} cannot be loaded: the collection was not read from a folder",
                source=location,
            )
        if entry not in archive:
            raise ReadError(
                f"module {module} is listed in the collection but its file is missing",
                source=archive.where(entry),
            )
        document = parse_xml(archive.read(entry), source=archive.where(entry))
        return SectionContent(section, module_html(document), base=f"modules/{module}/")

    return load


def _book_url(readme: str, slug: str | None) -> str | None:
    """The book's page on openstax.org, when the README links to it."""
    if not slug:
        return None
    match = re.search(rf"https://openstax\.org/details/books/{re.escape(slug)}(?![\w-])", readme)
    return match.group(0) if match else None


READER = _OpenStaxReader()
"""The OpenStax CNXML reader, registered as ``openstax``."""
