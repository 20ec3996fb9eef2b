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
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import posixpath
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast
from urllib.parse import SplitResult, quote, unquote, urlsplit, urlunsplit

from lxml import etree

from oerremix._markup import NOT_XML, parse_html, parse_own_xml, sanitize_html, xml_text
from oerremix.catalog import load_catalog
from oerremix.errors import WriteError
from oerremix.writers import Entry, Package, PackageAsset, PackageModule, ui_word, write_zip

__all__ = ["WRITER", "EpubWriter", "epub_entries"]

_XHTML = "http://www.w3.org/1999/xhtml"
_EPUB = "http://www.idpf.org/2007/ops"
_MATHML = "http://www.w3.org/1998/Math/MathML"
_SVG = "http://www.w3.org/2000/svg"
_OPF = "http://www.idpf.org/2007/opf"
_DC = "http://purl.org/dc/elements/1.1/"
_NCX = "http://www.daisy.org/z3986/2005/ncx/"
_CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CC_PREFIX = "cc: http://creativecommons.org/ns#"

_ROOT = "OEBPS"
_RESERVED = frozenset({"nav", "rights", "toc", "package", "style", "metadata"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
     "wbr"}
)  # fmt: skip
_DROPPED = frozenset(
    {"script", "style", "noscript", "template", "object", "embed", "applet", "form", "input",
     "button", "select", "textarea", "base", "meta", "link", "head", "title", "frame", "frameset"}
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_REWRITTEN_NAMES = ("a", "img", "iframe", "audio", "video", "source", "track")
"""The elements :meth:`_Converter._rewrite` adjusts for EPUB."""
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_UNSAFE_FILE = re.compile(r"[^A-Za-z0-9._-]+")
_SPACE = re.compile(r"\s")

_STYLE = b"""\
body { margin: 0 1em; line-height: 1.4; }
figure { margin: 1em 0; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid currentColor; padding: 0.2em 0.5em; }
footer.licence { margin-top: 2em; border-top: 1px solid currentColor; font-size: 0.85em; }
"""

# --- names inside the container -----------------------------------------------------------------


def _check_slug(slug: str) -> str:
    if (
        not slug
        or slug.startswith(".")
        or any(c in slug for c in '/\\:*?"<>|')
        or NOT_XML.search(slug)
    ):
        raise WriteError(f"the package slug {slug!r} is not a safe file name", path=slug)
    return slug


def _unique(stem: str, used: set[str]) -> str:
    candidate, n = stem, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate.lower())
    return candidate


def _page_names(
    modules: Sequence[PackageModule], extension: str = ".xhtml", reserved: Iterable[str] = _RESERVED
) -> dict[str, str]:
    """Module id -> file name (``<id><extension>``, made safe and unique, never reserved)."""
    used = {name.lower() for name in reserved}
    names: dict[str, str] = {}
    for module in modules:
        if module.id in names:
            raise WriteError(f"two modules have the id {module.id!r}", path=module.id)
        stem = _UNSAFE_FILE.sub("-", module.id).strip("-.") or "module"
        names[module.id] = _unique(stem, used) + extension
    return names


def _asset_names(assets: Sequence[PackageAsset]) -> dict[str, str]:
    """Asset path (``media/…``) -> the path written (safe characters, unique)."""
    used: set[str] = set()
    names: dict[str, str] = {}
    for asset in assets:
        path = asset.path
        parts = path.split("/")
        if (
            len(parts) < 2
            or parts[0] != "media"
            or any(p in ("", ".", "..") for p in parts)
            or "\\" in path
            or NOT_XML.search(path)
        ):
            raise WriteError(f"asset path {path!r} is not a relative path under media/", path=path)
        if path in names:
            raise WriteError(f"two assets have the path {path!r}", path=path)
        folders = [_UNSAFE_FILE.sub("-", p).strip("-.") or "x" for p in parts[1:-1]]
        stem, dot, ext = parts[-1].rpartition(".")
        if not dot:
            stem, ext = ext, ""
        stem = _UNSAFE_FILE.sub("-", stem).strip("-.") or "file"
        ext = _UNSAFE_FILE.sub("", ext).lower()
        base = "/".join(["media", *folders, stem])
        unique = _unique(base, used)
        names[path] = f"{unique}.{ext}" if ext else unique
    return names


# --- links ---------------------------------------------------------------------------------------

_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URL_SAFE = "/:@!$&'()*+,;=~-._%"


def _clean_url(parts: SplitResult) -> str | None:
    """A remote URL as a valid URL: spaces and other characters percent-encoded, a stray ``%``
    escaped, an internationalised host name in its ASCII (IDNA) form; None when impossible."""
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    netloc = parts.netloc
    host = parts.hostname or ""
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        userinfo, at, hostport = netloc.rpartition("@")
        _, colon, port = hostport.partition(":")  # a non-ASCII host is no IPv6 literal
        netloc = f"{userinfo}{at}{ascii_host}{colon}{port}"
    if any(c.isspace() or c in '<>"{}|\\^`' for c in netloc):
        return None

    def part(text: str, safe: str) -> str:
        return quote(_BAD_PERCENT.sub("%25", text), safe=safe)

    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            part(parts.path, _URL_SAFE),
            part(parts.query, _URL_SAFE + "?"),
            part(parts.fragment, _URL_SAFE + "?"),
        )
    )


_Kind = Literal["fragment", "page", "asset", "remote", "none"]


@dataclass(frozen=True, slots=True)
class _Links:
    """How a URL found in a page resolves inside this package."""

    pages: dict[str, str]
    """``<module id>.html`` -> the page file written."""
    assets: dict[str, str]
    """``media/…`` -> the asset file written."""

    def resolve(self, url: str) -> tuple[_Kind, str]:
        url = url.strip()
        if not url:
            return "none", ""
        if url.startswith("#"):
            return "fragment", url
        if url.startswith("//"):
            url = "https:" + url
        try:
            parts = urlsplit(url)
        except ValueError:
            return "none", ""
        if parts.scheme:
            if parts.scheme.lower() in {"http", "https", "mailto"}:
                clean = _clean_url(parts)
                return ("remote", clean) if clean else ("none", "")
            return "none", ""
        path = posixpath.normpath(unquote(parts.path)) if parts.path else ""
        fragment = f"#{quote(unquote(parts.fragment), safe='')}" if parts.fragment else ""
        if path in self.pages:
            return "page", quote(self.pages[path]) + fragment
        if path in self.assets:
            return "asset", quote(self.assets[path])
        return "none", path


# --- HTML fragment -> XHTML ----------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    """What a content document turned out to contain (manifest properties, accessibility)."""

    mathml: bool = False
    svg: bool = False
    images: int = 0
    images_without_alt: int = 0
    timed_media: bool = False

    def add(self, other: _Found) -> None:
        """Count what ``other`` found too (a part added to the same page)."""
        self.mathml = self.mathml or other.mathml
        self.svg = self.svg or other.svg
        self.images += other.images
        self.images_without_alt += other.images_without_alt
        self.timed_media = self.timed_media or other.timed_media


def _add_text(parent: etree._Element, text: str | None) -> None:
    text = xml_text(text)
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _prefixes(attrs: dict[str, str]) -> dict[str | None, str]:
    """RDFa prefixes written as ``xmlns:cc="…"`` attributes in HTML, as XML declarations."""
    found: dict[str | None, str] = {}
    for key, value in attrs.items():
        if key.startswith("xmlns:"):
            prefix = key[6:]
            uri = xml_text(value).strip()
            if _NAME.match(prefix) and ":" not in prefix and uri:
                if prefix.lower().startswith("xml") or prefix == "epub":
                    continue
                found[prefix] = uri
    return found


class _Converter:
    """Rebuilds a parsed HTML fragment as XHTML (with MathML/SVG) for one content document."""

    def __init__(self, links: _Links, found: _Found, where: str) -> None:
        self.links = links
        self.found = found
        self.where = where

    def children(self, src: etree._Element, dst: etree._Element, ns: str) -> None:
        _add_text(dst, src.text)
        for child in src:
            self.element(child, dst, ns)

    def element(self, src: etree._Element, dst: etree._Element, ns: str) -> None:
        tag = src.tag
        if not isinstance(tag, str):  # comment, processing instruction
            _add_text(dst, src.tail)
            return
        name = tag.rsplit("}", 1)[-1].lower() if ns == _XHTML else tag.rsplit("}", 1)[-1]
        if name.lower() in _DROPPED:
            _add_text(dst, src.tail)
            return
        if not _NAME.match(name):
            self.children(src, dst, ns)  # keep the content of an element XML cannot name
            _add_text(dst, src.tail)
            return
        if name == "math":
            ns = _MATHML
            self.found.mathml = True
        elif name == "svg":
            ns = _SVG
            self.found.svg = True
        attrs = {str(k): str(v) for k, v in src.attrib.items()}
        if ns == _XHTML and not self._rewrite(name, attrs, src, dst):
            _add_text(dst, src.tail)
            return
        nsmap = _prefixes(attrs)
        if name in ("math", "svg") and dst.nsmap.get(None) != ns:
            nsmap[None] = ns  # <math xmlns="…">, as reading systems expect, not <ns0:math>
        out = etree.SubElement(dst, f"{{{ns}}}{name}", nsmap=nsmap or None)  # type: ignore[arg-type]
        for key, value in attrs.items():
            if key.startswith(("xmlns", "on")) or key in ("style", "target"):
                continue
            if key == "xml:lang":
                out.set(_XML_LANG, xml_text(value))
            elif key == "epub:type":
                out.set(f"{{{_EPUB}}}type", xml_text(value))
            elif key == "id" and (not value or _SPACE.search(value)):
                continue  # HTML ids are non-empty and have no spaces
            elif _NAME.match(key) and ":" not in key:
                out.set(key, xml_text(value))
        self.children(src, out, ns)
        if ns == _XHTML and name not in _VOID and out.text is None and not len(out):
            out.text = ""  # <p></p>, never <p/>
        _add_text(dst, src.tail)

    def _rewrite(
        self, name: str, attrs: dict[str, str], src: etree._Element, dst: etree._Element
    ) -> bool:
        """Adjust ``attrs`` for EPUB; return False when the element was replaced or dropped."""
        if name == "a":
            href = attrs.pop("href", None)
            if href is not None:
                kind, target = self.links.resolve(href)
                if kind in ("fragment", "page", "remote"):
                    attrs["href"] = target
            if "href" not in attrs:
                for key in ("rel", "target", "hreflang", "download", "type", "ping"):
                    attrs.pop(key, None)
            return True
        if name == "img":
            kind, target = self._media(attrs.get("src", ""))
            alt = attrs.get("alt")
            if kind == "asset":
                attrs["src"] = target
                self.found.images += 1
                if not (alt or "").strip():
                    self.found.images_without_alt += 1
                return True
            label = (alt or "").strip() or (target if kind == "remote" else "")
            if kind == "remote":
                link = etree.SubElement(dst, f"{{{_XHTML}}}a", href=target)
                link.text = xml_text(label)
            else:
                _add_text(dst, label)
            return False
        if name == "iframe":
            kind, target = self._media(attrs.get("src", ""))
            if kind == "remote":
                link = etree.SubElement(dst, f"{{{_XHTML}}}a", href=target)
                link.text = xml_text(attrs.get("title") or target)
            return False
        if name in ("audio", "video"):
            sources = [attrs.get("src", "")]
            sources += [str(c.get("src", "")) for c in src if c.tag in ("source", _SOURCE)]
            resolved = [self._media(url) for url in sources if url]
            if resolved and all(kind == "remote" for kind, _ in resolved):
                # remote audio and video need their media type declared in advance, and many
                # reading systems refuse them: link to them instead
                link = etree.SubElement(dst, f"{{{_XHTML}}}a", href=resolved[0][1])
                link.text = xml_text(attrs.get("title") or resolved[0][1])
                return False
            self.found.timed_media = True
        if name in ("audio", "video", "source", "track"):
            for key in ("src", "poster"):
                if key in attrs:
                    kind, target = self._media(attrs[key])
                    if kind != "asset":
                        if name in ("source", "track"):
                            return False  # only the package's own files play offline
                        del attrs[key]
                    else:
                        attrs[key] = target
            return True
        return True

    def rewrite_in_place(self, element: etree._Element) -> None:
        """:meth:`_rewrite` for an element of a tree already in XHTML: its attributes are
        adjusted, or it is replaced (by a link or its label) where it stands."""
        attrs = {str(k): str(v) for k, v in element.attrib.items()}
        holder = etree.Element("holder")
        if self._rewrite(etree.QName(element).localname, attrs, element, holder):
            element.attrib.clear()
            for key, value in attrs.items():
                element.set(key, value)
            return
        _add_text(holder, element.tail)
        parent = element.getparent()
        assert parent is not None
        index, before = parent.index(element), element.getprevious()
        parent.remove(element)
        if holder.text:
            if before is not None:
                before.tail = (before.tail or "") + holder.text
            else:
                parent.text = (parent.text or "") + holder.text
        for offset, child in enumerate(list(holder)):
            parent.insert(index + offset, child)

    def _media(self, url: str) -> tuple[_Kind, str]:
        """Resolve an embedded resource: a package asset, a remote URL or nothing usable."""
        kind, target = self.links.resolve(url)
        if kind == "asset":
            return kind, target
        if kind == "remote" and not target.lower().startswith("mailto:"):
            return kind, target
        if kind in ("page", "none") and target and not target.startswith("#"):
            raise WriteError(
                f"{url!r} is embedded but the package does not carry it under media/",
                path=self.where,
            )
        return "none", ""


def _parse_fragment(fragment: str, *, where: str, sanitize: bool) -> etree._Element | None:
    """The ``<body>`` of a parsed HTML fragment, or None when it is empty."""
    text = xml_text(sanitize_html(fragment) if sanitize else fragment)
    if not text.strip():
        return None
    body: etree._Element | None = parse_html(text, source=where).find("body")
    return body


_SOURCE = f"{{{_XHTML}}}source"
_REWRITTEN = tuple(f"{{{_XHTML}}}{name}" for name in _REWRITTEN_NAMES)
_EMPTY = ".//x:*[not(node())]"
_XMLNS_OR_PREFIXED = ".//*[@xmlns or @*[contains(name(), ':')]]"


def _sanitised_xhtml(
    fragment: str, converter: _Converter, where: str
) -> tuple[etree._Element | None, etree._Element | None]:
    """A fragment from outside, sanitised, as parsed HTML (for its first heading) and as the
    XHTML :class:`_Converter` would build from it.

    Sanitising leaves only the allowlisted elements and attributes (valid XML names; no
    scripts, styles, comments or handlers), so once prefixed attributes are dropped (nh3 lets
    ``xlink:title`` through as ``title``) the page can be serialised as XML and parsed again in
    the XHTML namespace, in C, rather than rebuilt element by element; links and media are then
    rewritten as the converter does. Should XML still refuse it, the converter rebuilds it.
    """
    text = xml_text(sanitize_html(fragment))
    if not text.strip():
        return None, None
    body = parse_html(text, source=where).find("body")
    if body is None:
        return None, None
    for element in cast(list[etree._Element], body.xpath(_XMLNS_OR_PREFIXED)):
        for key in [k for k in element.attrib if k == "xmlns" or (":" in k and k != "xml:lang")]:
            del element.attrib[key]  # namespaces are the writer's to declare (xml: is XML's)
    body.set("xmlns", _XHTML)
    for element in body.iter("math", "svg"):
        element.set("xmlns", _MATHML if element.tag == "math" else _SVG)
    data = etree.tostring(body, method="xml", encoding="UTF-8", with_tail=False)
    try:
        converted = parse_own_xml(data)
    except etree.XMLSyntaxError:
        rebuilt = etree.Element(f"{{{_XHTML}}}body", nsmap={None: _XHTML})  # type: ignore[dict-item]
        converter.children(body, rebuilt, _XHTML)
        return body, rebuilt
    for element in converted.iterfind(".//*[@id]"):
        value = element.get("id", "")
        if not value or _SPACE.search(value):
            del element.attrib["id"]  # HTML ids are non-empty and have no spaces
    for element in list(converted.iter(*_REWRITTEN)):
        if _detached(element, converted):
            continue  # inside media replaced by a link
        converter.rewrite_in_place(element)
    found = converter.found  # what is left once media were replaced by links
    found.mathml = found.mathml or converted.find(f".//{{{_MATHML}}}math") is not None
    found.svg = found.svg or converted.find(f".//{{{_SVG}}}svg") is not None
    empty = cast(list[etree._Element], converted.xpath(_EMPTY, namespaces={"x": _XHTML}))
    for element in empty:
        if etree.QName(element).localname not in _VOID:
            element.text = ""  # <p></p>, never <p/>
    return body, converted


def _detached(element: etree._Element, root: etree._Element) -> bool:
    while element is not root:
        parent = element.getparent()
        if parent is None:
            return True
        element = parent
    return False


# --- documents ----------------------------------------------------------------------------------


def _xhtml_document(title: str, lang: str | None) -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{_XHTML}}}html", nsmap={None: _XHTML, "epub": _EPUB})  # type: ignore[dict-item]
    if lang:
        root.set("lang", lang)
        root.set(_XML_LANG, lang)
    head = etree.SubElement(root, f"{{{_XHTML}}}head")
    etree.SubElement(head, f"{{{_XHTML}}}title").text = title
    etree.SubElement(head, f"{{{_XHTML}}}link", rel="stylesheet", type="text/css", href="style.css")
    return root, etree.SubElement(root, f"{{{_XHTML}}}body")


def _serialise(root: etree._Element, *, html: bool) -> bytes:
    if html:
        return etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", doctype="<!DOCTYPE html>"
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


_WRAPPERS = frozenset({"section", "div", "header", "article", "hgroup"})


def _first_heading(body: etree._Element | None) -> str | None:
    """The text of the fragment's first heading, when nothing but wrappers comes before it."""
    element = body
    while element is not None and not (element.text or "").strip():
        first = next((c for c in element if isinstance(c.tag, str)), None)
        if first is None:
            return None
        name = first.tag.lower()
        if name in _HEADINGS:
            return " ".join("".join(str(t) for t in first.itertext()).split())
        element = first if name in _WRAPPERS else None
    return None


@dataclass(frozen=True, slots=True)
class _Footer:
    """The licence notice every page ends with, converted once and copied onto each page."""

    element: etree._Element
    found: _Found

    @classmethod
    def make(cls, package: Package, links: _Links, lang: str | None) -> _Footer:
        found = _Found()
        footer = etree.Element(f"{{{_XHTML}}}footer", nsmap={None: _XHTML})  # type: ignore[dict-item]
        footer.set("class", "licence")
        notice = _parse_fragment(package.notice_html, where="notice_html", sanitize=False)
        if notice is not None:
            _Converter(links, found, "notice_html").children(notice, footer, _XHTML)
        more = etree.SubElement(footer, f"{{{_XHTML}}}p")
        link = etree.SubElement(more, f"{{{_XHTML}}}a", href="rights.xhtml#credits")
        link.text = ui_word(lang, "rights_link")
        return cls(footer, found)

    def add(self, body: etree._Element, found: _Found) -> None:
        body.append(copy.deepcopy(self.element))
        found.add(self.found)


def _module_page(
    module: PackageModule,
    package: Package,
    links: _Links,
    found: _Found,
    *,
    lang: str | None,
    footer: _Footer,
) -> etree._Element:
    where = f"module {module.id}"
    title = xml_text(module.title).strip() or xml_text(module.id)
    root, body = _xhtml_document(title, lang)
    content, converted = _sanitised_xhtml(module.html, _Converter(links, found, where), where)
    section = etree.SubElement(body, f"{{{_XHTML}}}section")
    section.set(f"{{{_EPUB}}}type", "chapter")
    heading = _first_heading(content)
    if heading != " ".join(title.split()):
        etree.SubElement(section, f"{{{_XHTML}}}h1").text = title
    if converted is not None:
        _add_text(section, converted.text)
        section.extend(list(converted))
    if section.text is None and not len(section):
        section.text = ""
    footer.add(body, found)
    return root


def _rights_page(
    package: Package, links: _Links, found: _Found, lang: str | None
) -> etree._Element:
    work = package.work
    title = xml_text(work.title).strip() or xml_text(package.slug)
    root, body = _xhtml_document(title, lang)
    converter = _Converter(links, found, "rights page")
    front = etree.SubElement(body, f"{{{_XHTML}}}section", id="titlepage")
    front.set(f"{{{_EPUB}}}type", "titlepage")
    heading = etree.SubElement(front, f"{{{_XHTML}}}h1")
    heading.set(f"{{{_EPUB}}}type", "title")
    heading.text = title
    names = [xml_text(a.name).strip() for a in work.authors if xml_text(a.name).strip()]
    if names:
        etree.SubElement(front, f"{{{_XHTML}}}p", {"class": "authors"}).text = ", ".join(names)
    if package.description and xml_text(package.description).strip():
        etree.SubElement(front, f"{{{_XHTML}}}p").text = xml_text(package.description).strip()
    outcomes = [xml_text(o).strip() for o in package.learning_outcomes if xml_text(o).strip()]
    if outcomes:
        etree.SubElement(front, f"{{{_XHTML}}}h2").text = ui_word(lang, "outcomes")
        listed = etree.SubElement(front, f"{{{_XHTML}}}ul")
        for outcome in outcomes:
            etree.SubElement(listed, f"{{{_XHTML}}}li").text = outcome

    licence = etree.SubElement(body, f"{{{_XHTML}}}section", id="licence")
    licence.set(f"{{{_EPUB}}}type", "copyright-page")
    etree.SubElement(licence, f"{{{_XHTML}}}h2").text = ui_word(lang, "license")
    notice = _parse_fragment(package.notice_html, where="notice_html", sanitize=False)
    if notice is not None:
        converter.children(notice, licence, _XHTML)
    else:
        etree.SubElement(licence, f"{{{_XHTML}}}p").text = xml_text(package.notice_text)

    credits_section = etree.SubElement(body, f"{{{_XHTML}}}section", id="credits")
    credits = _parse_fragment(package.credits_html, where="credits_html", sanitize=False)
    if _first_heading(credits) is None:
        etree.SubElement(credits_section, f"{{{_XHTML}}}h2").text = ui_word(lang, "credits")
    if credits is not None:
        converter.children(credits, credits_section, _XHTML)
    return root


def _nav_page(toc: Sequence[tuple[str, str]], first_module: str | None, lang: str | None) -> bytes:
    title = ui_word(lang, "contents")
    root, body = _xhtml_document(title, lang)
    nav = etree.SubElement(body, f"{{{_XHTML}}}nav", id="toc", role="doc-toc")
    nav.set(f"{{{_EPUB}}}type", "toc")
    etree.SubElement(nav, f"{{{_XHTML}}}h1").text = title
    items = etree.SubElement(nav, f"{{{_XHTML}}}ol")
    for href, label in toc:
        entry = etree.SubElement(items, f"{{{_XHTML}}}li")
        etree.SubElement(entry, f"{{{_XHTML}}}a", href=href).text = label
    marks = etree.SubElement(body, f"{{{_XHTML}}}nav", id="landmarks", hidden="hidden")
    marks.set(f"{{{_EPUB}}}type", "landmarks")
    etree.SubElement(marks, f"{{{_XHTML}}}h2").text = ui_word(lang, "landmarks")
    listed = etree.SubElement(marks, f"{{{_XHTML}}}ol")
    landmarks = [("titlepage", "rights.xhtml", ui_word(lang, "title_page"))]
    landmarks.append(("toc", "nav.xhtml#toc", title))
    if first_module is not None:
        landmarks.append(("bodymatter", first_module, ui_word(lang, "start")))
    landmarks.append(("copyright-page", "rights.xhtml#licence", ui_word(lang, "license")))
    for kind, href, label in landmarks:
        entry = etree.SubElement(listed, f"{{{_XHTML}}}li")
        link = etree.SubElement(entry, f"{{{_XHTML}}}a", href=href)
        link.set(f"{{{_EPUB}}}type", kind)
        link.text = label
    return _serialise(root, html=True)


def _ncx(package: Package, toc: Sequence[tuple[str, str]], title: str, lang: str | None) -> bytes:
    root = etree.Element(f"{{{_NCX}}}ncx", nsmap={None: _NCX}, version="2005-1")  # type: ignore[dict-item]
    if lang:
        root.set(_XML_LANG, lang)
    head = etree.SubElement(root, f"{{{_NCX}}}head")
    for name, content in (
        ("dtb:uid", xml_text(package.identifier)),
        ("dtb:depth", "1"),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ):
        etree.SubElement(head, f"{{{_NCX}}}meta", name=name, content=content)
    doc_title = etree.SubElement(root, f"{{{_NCX}}}docTitle")
    etree.SubElement(doc_title, f"{{{_NCX}}}text").text = title
    nav_map = etree.SubElement(root, f"{{{_NCX}}}navMap")
    for n, (href, label) in enumerate(toc, start=1):
        point = etree.SubElement(
            nav_map, f"{{{_NCX}}}navPoint", id=f"navpoint-{n}", playOrder=str(n)
        )
        nav_label = etree.SubElement(point, f"{{{_NCX}}}navLabel")
        etree.SubElement(nav_label, f"{{{_NCX}}}text").text = label
        etree.SubElement(point, f"{{{_NCX}}}content", src=href)
    return _serialise(root, html=False)


def _container() -> bytes:
    root = etree.Element(f"{{{_CONTAINER}}}container", nsmap={None: _CONTAINER}, version="1.0")  # type: ignore[dict-item]
    rootfiles = etree.SubElement(root, f"{{{_CONTAINER}}}rootfiles")
    etree.SubElement(
        rootfiles,
        f"{{{_CONTAINER}}}rootfile",
        {"full-path": f"{_ROOT}/package.opf", "media-type": "application/oebps-package+xml"},
    )
    return _serialise(root, html=False)


# --- package document ---------------------------------------------------------------------------


def _modified(value: str) -> str:
    """``package.modified`` as EPUB wants it: ``CCYY-MM-DDThh:mm:ssZ``."""
    try:
        moment = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise WriteError(
            f"the build timestamp {value!r} is not an ISO 8601 date and time", path="modified"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def rights_text(package: Package) -> str:
    """The licence notice as plain text, with the licence URL (added when the text lacks it)."""
    text = " ".join(xml_text(package.notice_text).split())
    url = _license_url(package)
    if url and url not in text:
        text = f"{text} ({url})" if text else url
    return text


def _license_url(package: Package) -> str | None:
    if package.work.license is None:
        return None
    return load_catalog().get(package.work.license).url


_ANIMATED = {"image/gif", "image/webp"}


def _animated(asset: PackageAsset) -> bool:
    if asset.media_type in _ANIMATED:
        return True
    return asset.media_type == "image/png" and b"acTL" in asset.data.split(b"IDAT", 1)[0]


def _accessibility(
    found: Iterable[_Found], assets: Sequence[PackageAsset], lang: str | None
) -> list[tuple[str, str]]:
    """schema.org accessibility metadata claimed only as far as the content shows it."""
    images = without_alt = 0
    mathml = timed = svg = False
    for doc in found:
        images += doc.images
        without_alt += doc.images_without_alt
        mathml = mathml or doc.mathml
        timed = timed or doc.timed_media
        svg = svg or doc.svg
    visual = images > 0 or timed or svg
    # every image described, and nothing (video, inline SVG) whose description we cannot check
    all_alt = images > 0 and without_alt == 0 and not (timed or svg)
    meta = [("schema:accessMode", "textual")]
    if visual:
        meta.append(("schema:accessMode", "visual"))
    if timed:
        meta.append(("schema:accessMode", "auditory"))
        meta.append(("schema:accessModeSufficient", "auditory,textual,visual"))
    elif visual:
        meta.append(("schema:accessModeSufficient", "textual,visual"))
    if not visual or all_alt:
        meta.append(("schema:accessModeSufficient", "textual"))
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if all_alt:
        features.append("alternativeText")
    if mathml:
        features.append("MathML")
    meta.extend(("schema:accessibilityFeature", f) for f in features)
    risky = timed or svg or any(_animated(a) for a in assets)
    meta.append(("schema:accessibilityHazard", "unknown" if risky else "none"))
    summary = ui_word(
        lang,
        "summary",
        alt=ui_word(lang, "summary_alt") if all_alt else "",
        math=ui_word(lang, "summary_math") if mathml else "",
    )
    meta.append(("schema:accessibilitySummary", summary))
    return meta


@dataclass(frozen=True, slots=True)
class _Item:
    id: str
    href: str
    media_type: str
    properties: str = ""


def _opf(
    package: Package,
    items: Sequence[_Item],
    spine: Sequence[str],
    accessibility: Sequence[tuple[str, str]],
    lang: str,
) -> bytes:
    work = package.work
    root = etree.Element(
        f"{{{_OPF}}}package",
        nsmap={None: _OPF},  # type: ignore[dict-item]
        version="3.0",
        prefix=_CC_PREFIX,
    )
    root.set("unique-identifier", "pub-id")
    root.set(_XML_LANG, lang)
    meta = etree.SubElement(root, f"{{{_OPF}}}metadata", nsmap={"dc": _DC})

    def dc(name: str, value: str, **attrs: str) -> etree._Element:
        element = etree.SubElement(meta, f"{{{_DC}}}{name}", attrs)
        element.text = value
        return element

    def prop(name: str, value: str, **attrs: str) -> None:
        element = etree.SubElement(meta, f"{{{_OPF}}}meta", {"property": name, **attrs})
        element.text = value

    identifier = xml_text(package.identifier).strip()
    if not identifier:
        raise WriteError("the package has no identifier", path="identifier")
    dc("identifier", identifier, id="pub-id")
    dc("title", xml_text(work.title).strip() or xml_text(package.slug), id="title")
    names = [xml_text(a.name).strip() for a in work.authors if xml_text(a.name).strip()]
    for n, name in enumerate(names, start=1):
        dc("creator", name, id=f"creator-{n}")
        prop("role", "aut", refines=f"#creator-{n}", scheme="marc:relators")
    dc("language", lang)
    if package.description and xml_text(package.description).strip():
        dc("description", " ".join(xml_text(package.description).split()))
    if work.year is not None:
        dc("date", f"{work.year:04d}")
    for source in work.based_on:
        if source.url and xml_text(source.url).strip():
            dc("source", xml_text(source.url).strip())
    dc("rights", rights_text(package))
    prop("dcterms:modified", _modified(package.modified))
    url = _license_url(package)
    if url:
        etree.SubElement(meta, f"{{{_OPF}}}link", rel="cc:license", href=url)
    if names:
        prop("cc:attributionName", ", ".join(names))
    kind, work_url = _Links({}, {}).resolve(xml_text(work.url))
    if kind == "remote" and work_url.startswith(("http://", "https://")):
        etree.SubElement(meta, f"{{{_OPF}}}link", rel="cc:attributionURL", href=work_url)
    for name, value in accessibility:
        prop(name, value)

    manifest = etree.SubElement(root, f"{{{_OPF}}}manifest")
    for item in items:
        attrs = {"id": item.id, "href": item.href, "media-type": item.media_type}
        if item.properties:
            attrs["properties"] = item.properties
        etree.SubElement(manifest, f"{{{_OPF}}}item", attrs)
    spine_el = etree.SubElement(root, f"{{{_OPF}}}spine", toc="ncx")
    for idref in spine:
        etree.SubElement(spine_el, f"{{{_OPF}}}itemref", idref=idref)
    return _serialise(root, html=False)


def _jsonld(metadata: object) -> bytes:
    """JSON-LD that stays inert even if pasted into an HTML ``<script>`` element."""
    text = json.dumps(metadata, indent=2, ensure_ascii=False)
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, code)
    return (text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n").encode()


def _properties(found: _Found) -> str:
    props = []
    if found.mathml:
        props.append("mathml")
    if found.svg:
        props.append("svg")
    return " ".join(props)


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
    for anchor in root.iter(f"{{{_XHTML}}}a"):
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


class _Pages:
    """The XHTML pages, made one at a time and kept serialised and compressed (a page's tree
    weighs ten times its text): links whose fragment another page lacks are fixed when each
    page is written, once every page's ids are known."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {}
        self._pages: dict[str, tuple[bytes, list[tuple[str, str]]]] = {}

    def add(self, name: str, root: etree._Element) -> None:
        self.ids[name] = _own_ids(root)
        links = [(path, fragment) for _anchor, path, fragment in _fragment_anchors(root)]
        self._pages[name] = (zlib.compress(_serialise(root, html=True), 1), links)

    def entries(self) -> list[Entry]:
        return [(name, functools.partial(self._page, name)) for name in self._pages]

    def _page(self, name: str) -> bytes:
        packed, links = self._pages[name]
        data = zlib.decompress(packed)
        if not any(_broken(name, path, fragment, self.ids) for path, fragment in links):
            return data
        root = parse_own_xml(data)
        _fix_targets(name, root, self.ids)
        return _serialise(root, html=True)


def epub_entries(package: Package) -> list[Entry]:
    """Every file of the EPUB as ``(path in zip, bytes)``; :func:`write_zip` orders them.

    Pages and images are given as functions making their bytes when written.
    """
    work = package.work
    lang = xml_text(work.language).strip() or None
    title = xml_text(work.title).strip() or xml_text(package.slug)
    pages = _page_names(package.modules)
    asset_names = _asset_names(package.assets)
    links = _Links(
        pages={f"{module_id}.html": name for module_id, name in pages.items()},
        assets=asset_names,
    )
    files: list[Entry] = []
    items: list[_Item] = []
    found_all: list[_Found] = []

    xhtml = "application/xhtml+xml"
    rights_found = _Found()
    docs = _Pages()
    docs.add("rights.xhtml", _rights_page(package, links, rights_found, lang))
    items.append(_Item("rights", "rights.xhtml", xhtml, _properties(rights_found)))
    found_all.append(rights_found)

    toc: list[tuple[str, str]] = [
        ("rights.xhtml", ui_word(lang, "title_page")),
        ("rights.xhtml#credits", ui_word(lang, "credits")),
    ]
    spine = ["rights", "nav"]
    footer = _Footer.make(package, links, lang)
    for n, module in enumerate(package.modules, start=1):
        found = _Found()
        name = pages[module.id]
        docs.add(name, _module_page(module, package, links, found, lang=lang, footer=footer))
        item_id = f"page-{n}"
        items.append(_Item(item_id, quote(name), xhtml, _properties(found)))
        spine.append(item_id)
        toc.append((quote(name), xml_text(module.title).strip() or xml_text(module.id)))
        found_all.append(found)
    files.extend(docs.entries())

    first = quote(pages[package.modules[0].id]) if package.modules else None
    files.append(("nav.xhtml", _nav_page(toc, first, lang)))
    items.append(_Item("nav", "nav.xhtml", xhtml, "nav"))
    files.append(("toc.ncx", _ncx(package, toc, title, lang)))
    items.append(_Item("ncx", "toc.ncx", "application/x-dtbncx+xml"))
    files.append(("style.css", _STYLE))
    items.append(_Item("css", "style.css", "text/css"))
    files.append(("metadata.jsonld", _jsonld(package.metadata)))
    items.append(_Item("metadata", "metadata.jsonld", "application/ld+json"))
    for n, asset in enumerate(package.assets, start=1):
        name = asset_names[asset.path]
        files.append((name, asset.content))
        items.append(_Item(f"asset-{n}", quote(name), asset.media_type))

    opf = _opf(
        package, items, spine, _accessibility(found_all, package.assets, lang), lang or "und"
    )
    entries: list[Entry] = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", _container()),
    ]
    entries.append((f"{_ROOT}/package.opf", opf))
    entries.extend((f"{_ROOT}/{name}", data) for name, data in files)
    return entries


class EpubWriter:
    """Writes ``<folder>/<slug>.epub``: EPUB 3.3, checked with EPUBCheck in the tests."""

    name: str = "epub"

    def write(self, package: Package, folder: Path) -> None:
        """Write the package as ``<slug>.epub`` into ``folder``."""
        path = Path(folder) / f"{_check_slug(package.slug)}.epub"
        entries = epub_entries(package)
        try:
            write_zip(path, entries, first_stored="mimetype")
        except OSError as exc:
            raise WriteError(
                f"cannot write the EPUB: {exc.strerror or exc}", path=str(path)
            ) from None


WRITER = EpubWriter()
"""The EPUB writer, as :func:`oerremix.writers.writers` finds it."""
