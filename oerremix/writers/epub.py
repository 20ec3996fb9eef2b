"""EPUB 3 writer: a :class:`~oerremix.writers.Package` as one ``<slug>.epub`` file.

What the file holds (paths inside the zip)::

    mimetype                  first entry, stored uncompressed
    META-INF/container.xml    points to the package document
    OEBPS/package.opf         Dublin Core, dc:rights = the licence notice, a ccREL cc:license
                              link, schema.org accessibility metadata, manifest and spine
    OEBPS/rights.xhtml        title page, licence notice and credits (first in the spine)
    OEBPS/nav.xhtml           table of contents and landmarks (in the spine too)
    OEBPS/<module>.xhtml      one page per module, the licence notice in its footer
    OEBPS/toc.ncx             the table of contents again, for EPUB 2 reading systems
    OEBPS/style.css           a small stylesheet
    OEBPS/media/…             the package's assets
    OEBPS/metadata.jsonld     schema.org/LRMI JSON-LD (in the manifest, not in the spine)

Every value from the package (titles, names, notices) reaches the output only as element text or
an attribute value set through lxml, so it can never become markup. HTML fragments are parsed
leniently, as browsers do, and rebuilt as well-formed XHTML element by element: MathML gets its
namespace, comments and anything active are dropped, links to other modules point to their
``.xhtml`` page and links to material the package does not carry are unlinked. Reading systems
may not load remote images or frames, so those become links. The same package always gives
byte-identical output.

The parts live in private modules: names inside the container and link resolution in
:mod:`~oerremix.writers._epub_names`, HTML as XHTML in :mod:`~oerremix.writers._xhtml`, the
package document, NCX, container and accessibility metadata in
:mod:`~oerremix.writers._epub_package`; this module makes the pages and puts the book together.
"""

from __future__ import annotations

import copy
import functools
import itertools
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from lxml import etree

from oerremix._markup import append_text, parse_own_xml, xml_text
from oerremix._parallel import ambient_jobs, ordered_map
from oerremix.errors import WriteError
from oerremix.writers import Entry, Package, PackageModule, ui_word, write_zip
from oerremix.writers._epub_names import (
    Links,
    asset_names,
    check_slug,
    content_renamed,
    page_names,
)
from oerremix.writers._epub_package import (
    ROOT,
    Item,
    accessibility,
    container,
    jsonld,
    ncx,
    opf,
    properties,
)
from oerremix.writers._xhtml import (
    EPUB,
    XHTML,
    XML_LANG,
    Converter,
    Found,
    first_heading,
    fragment_body,
    sanitised_xhtml,
    serialise,
)

__all__ = ["WRITER", "EpubWriter", "epub_entries"]

_STYLE = b"""\
body { margin: 0 1em; line-height: 1.4; }
figure { margin: 1em 0; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid currentColor; padding: 0.2em 0.5em; }
footer.licence { margin-top: 2em; border-top: 1px solid currentColor; font-size: 0.85em; }
"""


# --- documents ----------------------------------------------------------------------------------


def _xhtml_document(title: str, lang: str | None) -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": EPUB})  # type: ignore[dict-item]
    if lang:
        root.set("lang", lang)
        root.set(XML_LANG, lang)
    head = etree.SubElement(root, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}title").text = title
    etree.SubElement(head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css", href="style.css")
    return root, etree.SubElement(root, f"{{{XHTML}}}body")


@dataclass(frozen=True, slots=True)
class _Footer:
    """The licence notice every page ends with, converted once and copied onto each page."""

    element: etree._Element
    found: Found

    @classmethod
    def make(cls, notice_html: str, links: Links, lang: str | None) -> _Footer:
        found = Found()
        footer = etree.Element(f"{{{XHTML}}}footer", nsmap={None: XHTML})  # type: ignore[dict-item]
        footer.set("class", "licence")
        notice = fragment_body(notice_html, where="notice_html", sanitize=False)
        if notice is not None:
            Converter(links, found, "notice_html").children(notice, footer, XHTML)
        more = etree.SubElement(footer, f"{{{XHTML}}}p")
        link = etree.SubElement(more, f"{{{XHTML}}}a", href="rights.xhtml#credits")
        link.text = ui_word(lang, "rights_link")
        return cls(footer, found)

    def add(self, body: etree._Element, found: Found) -> None:
        body.append(copy.deepcopy(self.element))
        found.add(self.found)


def _module_page(
    module: PackageModule, links: Links, found: Found, *, lang: str | None, footer: _Footer
) -> etree._Element:
    where = f"module {module.id}"
    title = xml_text(module.title).strip() or xml_text(module.id)
    root, body = _xhtml_document(title, lang)
    content, converted = sanitised_xhtml(module.html, Converter(links, found, where), where)
    section = etree.SubElement(body, f"{{{XHTML}}}section")
    section.set(f"{{{EPUB}}}type", "chapter")
    heading = first_heading(content)
    if heading != " ".join(title.split()):
        etree.SubElement(section, f"{{{XHTML}}}h1").text = title
    if converted is not None:
        append_text(section, converted.text)
        section.extend(list(converted))
    if section.text is None and not len(section):
        section.text = ""
    footer.add(body, found)
    return root


def _rights_page(package: Package, links: Links, found: Found, lang: str | None) -> etree._Element:
    work = package.work
    title = xml_text(work.title).strip() or xml_text(package.slug)
    root, body = _xhtml_document(title, lang)
    converter = Converter(links, found, "rights page")
    front = etree.SubElement(body, f"{{{XHTML}}}section", id="titlepage")
    front.set(f"{{{EPUB}}}type", "titlepage")
    heading = etree.SubElement(front, f"{{{XHTML}}}h1")
    heading.set(f"{{{EPUB}}}type", "title")
    heading.text = title
    names = [xml_text(a.name).strip() for a in work.authors if xml_text(a.name).strip()]
    if names:
        etree.SubElement(front, f"{{{XHTML}}}p", {"class": "authors"}).text = ", ".join(names)
    if package.description and xml_text(package.description).strip():
        etree.SubElement(front, f"{{{XHTML}}}p").text = xml_text(package.description).strip()
    outcomes = [xml_text(o).strip() for o in package.learning_outcomes if xml_text(o).strip()]
    if outcomes:
        etree.SubElement(front, f"{{{XHTML}}}h2").text = ui_word(lang, "outcomes")
        listed = etree.SubElement(front, f"{{{XHTML}}}ul")
        for outcome in outcomes:
            etree.SubElement(listed, f"{{{XHTML}}}li").text = outcome

    licence = etree.SubElement(body, f"{{{XHTML}}}section", id="licence")
    licence.set(f"{{{EPUB}}}type", "copyright-page")
    etree.SubElement(licence, f"{{{XHTML}}}h2").text = ui_word(lang, "license")
    notice = fragment_body(package.notice_html, where="notice_html", sanitize=False)
    if notice is not None:
        converter.children(notice, licence, XHTML)
    else:
        etree.SubElement(licence, f"{{{XHTML}}}p").text = xml_text(package.notice_text)

    credits_section = etree.SubElement(body, f"{{{XHTML}}}section", id="credits")
    credits = fragment_body(package.credits_html, where="credits_html", sanitize=False)
    if first_heading(credits) is None:
        etree.SubElement(credits_section, f"{{{XHTML}}}h2").text = ui_word(lang, "credits")
    if credits is not None:
        converter.children(credits, credits_section, XHTML)
    return root


def _nav_page(toc: Sequence[tuple[str, str]], first_module: str | None, lang: str | None) -> bytes:
    title = ui_word(lang, "contents")
    root, body = _xhtml_document(title, lang)
    nav = etree.SubElement(body, f"{{{XHTML}}}nav", id="toc", role="doc-toc")
    nav.set(f"{{{EPUB}}}type", "toc")
    etree.SubElement(nav, f"{{{XHTML}}}h1").text = title
    items = etree.SubElement(nav, f"{{{XHTML}}}ol")
    for href, label in toc:
        entry = etree.SubElement(items, f"{{{XHTML}}}li")
        etree.SubElement(entry, f"{{{XHTML}}}a", href=href).text = label
    marks = etree.SubElement(body, f"{{{XHTML}}}nav", id="landmarks", hidden="hidden")
    marks.set(f"{{{EPUB}}}type", "landmarks")
    etree.SubElement(marks, f"{{{XHTML}}}h2").text = ui_word(lang, "landmarks")
    listed = etree.SubElement(marks, f"{{{XHTML}}}ol")
    landmarks = [("titlepage", "rights.xhtml", ui_word(lang, "title_page"))]
    landmarks.append(("toc", "nav.xhtml#toc", title))
    if first_module is not None:
        landmarks.append(("bodymatter", first_module, ui_word(lang, "start")))
    landmarks.append(("copyright-page", "rights.xhtml#licence", ui_word(lang, "license")))
    for kind, href, label in landmarks:
        entry = etree.SubElement(listed, f"{{{XHTML}}}li")
        link = etree.SubElement(entry, f"{{{XHTML}}}a", href=href)
        link.set(f"{{{EPUB}}}type", kind)
        link.text = label
    return serialise(root, html=True)


def _own_ids(root: etree._Element) -> set[str]:
    """Make ids unique in the page (the first keeps it); its ids."""
    seen: set[str] = set()
    for element in root.iter():
        value = element.get("id") if isinstance(element.tag, str) else None
        if value is None:
            continue
        if value in seen:
            del element.attrib["id"]
        else:
            seen.add(value)
    return seen


def _fragment_anchors(root: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    """``(anchor, path, fragment)`` of the page's links to a place in a page of the book."""
    for anchor in root.iter(f"{{{XHTML}}}a"):
        href = anchor.get("href")
        if href is None or "#" not in href or urlsplit(href).scheme:
            continue
        path, _, fragment = href.partition("#")
        yield anchor, path, fragment


def _broken(name: str, path: str, fragment: str, ids: dict[str, set[str]]) -> bool:
    target = unquote(path) or name
    return target in ids and unquote(fragment) not in ids[target]


def _fix_targets(name: str, root: etree._Element, ids: dict[str, set[str]]) -> None:
    """Make every link's fragment exist: one naming no element loses the fragment (the link
    opens the page); a link within the page to a fragment that does not exist is unlinked."""
    for anchor, path, fragment in list(_fragment_anchors(root)):
        if not _broken(name, path, fragment, ids):
            continue
        if path:
            anchor.set("href", path)
        else:
            for key in ("href", "rel", "target", "hreflang", "download", "type", "ping"):
                if key in anchor.attrib:
                    del anchor.attrib[key]


@dataclass(frozen=True, slots=True)
class _Made:
    """A page serialised, with its ids (made unique), the links it makes to a fragment of a
    page, and what it was found to contain."""

    data: bytes
    ids: set[str]
    links: list[tuple[str, str]]
    found: Found

    @classmethod
    def of(cls, root: etree._Element, found: Found) -> _Made:
        ids = _own_ids(root)
        links = [(path, fragment) for _anchor, path, fragment in _fragment_anchors(root)]
        return cls(serialise(root, html=True), ids, links, found)


_FOOTERS: list[tuple[Links, str, str | None, _Footer]] = []
"""The footer last made, with what it was made from."""


def _make_page(given: tuple[PackageModule, Links, str | None, str]) -> _Made:
    """A module's page (a worker process may make it): ``(module, links, language, the
    licence notice's HTML)``. The footer is converted once for all pages sharing them."""
    module, links, lang, notice_html = given
    last = _FOOTERS[0] if _FOOTERS else None  # one read: another thread may replace it
    if last is None or last[0] is not links or last[1:3] != (notice_html, lang):
        last = (links, notice_html, lang, _Footer.make(notice_html, links, lang))
        _FOOTERS[:] = [last]
    found = Found()
    return _Made.of(_module_page(module, links, found, lang=lang, footer=last[3]), found)


_BATCH = 64
"""Modules whose HTML is handed over at once (to the workers, if any)."""


class _Pages:
    """The XHTML pages, made one at a time and kept serialised (a page's tree weighs ten times
    its text), compressed once they weigh more than ``KEEP`` bytes together: links whose
    fragment another page lacks are fixed when each page is written, once every page's ids are
    known."""

    KEEP = 16 * 2**20
    """Bytes of pages kept as they are, past which pages are compressed (compressing and
    decompressing the 11 MiB of pages of a 500-chapter book took 0.12 s)."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {}
        self._pages: dict[str, tuple[bytes, bool, list[tuple[str, str]]]] = {}
        self._kept = 0

    def add(self, name: str, page: _Made) -> None:
        self.ids[name] = page.ids
        data = page.data
        packed = self._kept + len(data) > self.KEEP
        self._kept += 0 if packed else len(data)
        self._pages[name] = (zlib.compress(data, 1) if packed else data, packed, page.links)

    def entries(self) -> list[Entry]:
        return [(name, functools.partial(self._page, name)) for name in self._pages]

    def _page(self, name: str) -> bytes:
        stored, packed, links = self._pages[name]
        data = zlib.decompress(stored) if packed else stored
        if not any(_broken(name, path, fragment, self.ids) for path, fragment in links):
            return data
        root = parse_own_xml(data)
        _fix_targets(name, root, self.ids)
        return serialise(root, html=True)


def epub_entries(package: Package) -> list[Entry]:
    """Every file of the EPUB as ``(path in zip, bytes)``; :func:`write_zip` orders them.

    Pages and images are given as functions making their bytes when written.
    """
    work = package.work
    lang = xml_text(work.language).strip() or None
    title = xml_text(work.title).strip() or xml_text(package.slug)
    pages = page_names(package.modules)
    media_names = asset_names(package.assets)
    links = Links(
        pages={f"{module_id}.html": name for module_id, name in pages.items()},
        assets=media_names,
    )
    files: list[Entry] = []
    items: list[Item] = []
    found_all: list[Found] = []

    xhtml = "application/xhtml+xml"
    rights_found = Found()
    docs = _Pages()
    rights = _rights_page(package, links, rights_found, lang)
    docs.add("rights.xhtml", _Made.of(rights, rights_found))
    items.append(Item("rights", "rights.xhtml", xhtml, properties(rights_found)))
    found_all.append(rights_found)

    toc: list[tuple[str, str]] = [
        ("rights.xhtml", ui_word(lang, "title_page")),
        ("rights.xhtml#credits", ui_word(lang, "credits")),
    ]
    spine = ["rights", "nav"]
    modules = iter(package.modules)
    while batch := list(itertools.islice(modules, _BATCH)):
        given = [(module, links, lang, package.notice_html) for module in batch]
        made = ordered_map(_make_page, given, ambient_jobs(), where="the EPUB's pages")
        for module, page in zip(batch, made, strict=True):
            name = pages[module.id]
            docs.add(name, page)
            item_id = f"page-{len(spine) - 1}"
            items.append(Item(item_id, quote(name), xhtml, properties(page.found)))
            spine.append(item_id)
            toc.append((quote(name), xml_text(module.title).strip() or xml_text(module.id)))
            found_all.append(page.found)
    files.extend(docs.entries())

    first = quote(pages[package.modules[0].id]) if package.modules else None
    files.append(("nav.xhtml", _nav_page(toc, first, lang)))
    items.append(Item("nav", "nav.xhtml", xhtml, "nav"))
    files.append(("toc.ncx", ncx(package, toc, title, lang)))
    items.append(Item("ncx", "toc.ncx", "application/x-dtbncx+xml"))
    files.append(("style.css", _STYLE))
    items.append(Item("css", "style.css", "text/css"))
    files.append(("metadata.jsonld", jsonld(content_renamed(package.metadata, media_names))))
    items.append(Item("metadata", "metadata.jsonld", "application/ld+json"))
    for n, asset in enumerate(package.assets, start=1):
        name = media_names[asset.path]
        files.append((name, asset.content))
        items.append(Item(f"asset-{n}", quote(name), asset.media_type))

    document = opf(
        package, items, spine, accessibility(found_all, package.assets, lang), lang or "und"
    )
    entries: list[Entry] = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", container()),
    ]
    entries.append((f"{ROOT}/package.opf", document))
    entries.extend((f"{ROOT}/{name}", data) for name, data in files)
    return entries


class EpubWriter:
    """Writes ``<folder>/<slug>.epub``: EPUB 3.3, checked with EPUBCheck in the tests."""

    name: str = "epub"

    def write(self, package: Package, folder: Path) -> None:
        """Write the package as ``<slug>.epub`` into ``folder``."""
        path = Path(folder) / f"{check_slug(package.slug)}.epub"
        entries = epub_entries(package)
        try:
            write_zip(path, entries, first_stored="mimetype")
        except OSError as exc:
            raise WriteError(
                f"cannot write the EPUB: {exc.strerror or exc}", path=str(path)
            ) from None


WRITER = EpubWriter()
"""The EPUB writer, as :func:`oerremix.writers.writers` finds it."""
