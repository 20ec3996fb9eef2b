"""HTML fragments as XHTML for EPUB content documents, and XML documents serialised.

HTML is parsed leniently, as browsers do, and rebuilt as well-formed XHTML: :class:`Converter`
rebuilds it element by element; :func:`sanitised_xhtml` serialises a sanitised fragment as XML
and parses it again in the XHTML namespace, then rewrites its links and media as the converter
does. MathML and SVG get their namespaces, comments and anything active are dropped, and
:class:`Found` records what a document turned out to contain (for the manifest and the
accessibility metadata).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from lxml import etree

from oerremix._markup import append_text, parse_html, parse_own_xml, sanitize_html, xml_text
from oerremix.errors import WriteError
from oerremix.writers._epub_names import Kind, Links

__all__ = [
    "DROPPED",
    "EPUB",
    "XHTML",
    "XML_LANG",
    "Converter",
    "Found",
    "first_heading",
    "fragment_body",
    "sanitised_xhtml",
    "serialise",
]

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
_MATHML = "http://www.w3.org/1998/Math/MathML"
_SVG = "http://www.w3.org/2000/svg"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
     "wbr"}
)  # fmt: skip
DROPPED = frozenset(
    {"script", "style", "noscript", "template", "object", "embed", "applet", "form", "input",
     "button", "select", "textarea", "base", "meta", "link", "head", "title", "frame", "frameset"}
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_REWRITTEN_NAMES = ("a", "img", "iframe", "audio", "video", "source", "track")
"""The elements :meth:`Converter._rewrite` adjusts for EPUB."""
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_SPACE = re.compile(r"\s")


# --- HTML fragment -> XHTML ----------------------------------------------------------------------


@dataclass(slots=True)
class Found:
    """What a content document turned out to contain (manifest properties, accessibility)."""

    mathml: bool = False
    svg: bool = False
    images: int = 0
    images_without_alt: int = 0
    timed_media: bool = False

    def add(self, other: Found) -> None:
        """Count what ``other`` found too (a part added to the same page)."""
        self.mathml = self.mathml or other.mathml
        self.svg = self.svg or other.svg
        self.images += other.images
        self.images_without_alt += other.images_without_alt
        self.timed_media = self.timed_media or other.timed_media


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


class Converter:
    """Rebuilds a parsed HTML fragment as XHTML (with MathML/SVG) for one content document."""

    def __init__(self, links: Links, found: Found, where: str) -> None:
        self.links = links
        self.found = found
        self.where = where

    def children(self, src: etree._Element, dst: etree._Element, ns: str) -> None:
        append_text(dst, src.text)
        for child in src:
            self.element(child, dst, ns)

    def element(self, src: etree._Element, dst: etree._Element, ns: str) -> None:
        tag = src.tag
        if not isinstance(tag, str):  # comment, processing instruction
            append_text(dst, src.tail)
            return
        name = tag.rsplit("}", 1)[-1].lower() if ns == XHTML else tag.rsplit("}", 1)[-1]
        if name.lower() in DROPPED:
            append_text(dst, src.tail)
            return
        if not _NAME.match(name):
            self.children(src, dst, ns)  # keep the content of an element XML cannot name
            append_text(dst, src.tail)
            return
        if name == "math":
            ns = _MATHML
            self.found.mathml = True
        elif name == "svg":
            ns = _SVG
            self.found.svg = True
        attrs = {str(k): str(v) for k, v in src.attrib.items()}
        if ns == XHTML and not self._rewrite(name, attrs, src, dst):
            append_text(dst, src.tail)
            return
        nsmap = _prefixes(attrs)
        if name in ("math", "svg") and dst.nsmap.get(None) != ns:
            nsmap[None] = ns  # <math xmlns="…">, as reading systems expect, not <ns0:math>
        out = etree.SubElement(dst, f"{{{ns}}}{name}", nsmap=nsmap or None)  # type: ignore[arg-type]
        for key, value in attrs.items():
            if key.startswith(("xmlns", "on")) or key in ("style", "target"):
                continue
            if key == "xml:lang":
                out.set(XML_LANG, xml_text(value))
            elif key == "epub:type":
                out.set(f"{{{EPUB}}}type", xml_text(value))
            elif key == "id" and (not value or _SPACE.search(value)):
                continue  # HTML ids are non-empty and have no spaces
            elif _NAME.match(key) and ":" not in key:
                out.set(key, xml_text(value))
        self.children(src, out, ns)
        if ns == XHTML and name not in _VOID and out.text is None and not len(out):
            out.text = ""  # <p></p>, never <p/>
        append_text(dst, src.tail)

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
                link = etree.SubElement(dst, f"{{{XHTML}}}a", href=target)
                link.text = xml_text(label)
            else:
                append_text(dst, label)
            return False
        if name == "iframe":
            kind, target = self._media(attrs.get("src", ""))
            if kind == "remote":
                link = etree.SubElement(dst, f"{{{XHTML}}}a", href=target)
                link.text = xml_text(attrs.get("title") or target)
            return False
        if name in ("audio", "video"):
            sources = [attrs.get("src", "")]
            sources += [str(c.get("src", "")) for c in src if c.tag in ("source", _SOURCE)]
            resolved = [self._media(url) for url in sources if url]
            if resolved and all(kind == "remote" for kind, _ in resolved):
                # remote audio and video need their media type declared in advance, and many
                # reading systems refuse them: link to them instead
                link = etree.SubElement(dst, f"{{{XHTML}}}a", href=resolved[0][1])
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
        append_text(holder, element.tail)
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

    def _media(self, url: str) -> tuple[Kind, str]:
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


def fragment_body(fragment: str, *, where: str, sanitize: bool) -> etree._Element | None:
    """The ``<body>`` of a parsed HTML fragment, or None when it is empty."""
    text = xml_text(sanitize_html(fragment) if sanitize else fragment)
    if not text.strip():
        return None
    body: etree._Element | None = parse_html(text, source=where).find("body")
    return body


_SOURCE = f"{{{XHTML}}}source"
_REWRITTEN = tuple(f"{{{XHTML}}}{name}" for name in _REWRITTEN_NAMES)
_EMPTY = ".//x:*[not(node())]"
_XMLNS_OR_PREFIXED = ".//*[@xmlns or @*[contains(name(), ':')]]"


def sanitised_xhtml(
    fragment: str, converter: Converter, where: str
) -> tuple[etree._Element | None, etree._Element | None]:
    """A fragment from outside, sanitised, as parsed HTML (for its first heading) and as the
    XHTML :class:`Converter` would build from it.

    Sanitising leaves only the allowlisted elements and attributes (valid XML names; no
    scripts, styles, comments or handlers), so once prefixed attributes are dropped (nh3 lets
    ``xlink:title`` through as ``title``) the page can be serialised as XML and parsed again in
    the XHTML namespace, in C, rather than rebuilt element by element; links and media are then
    rewritten as the converter does. Should XML still refuse it, the converter rebuilds it.
    """
    text = xml_text(sanitize_html(fragment))
    body = fragment_body(text, where=where, sanitize=False)
    if body is None:
        return None, None
    # the sanitiser writes the only prefixed attributes it keeps (SVG's and MathML's) as
    # xlink:…, xml:… or xmlns…: without those words the page has none
    prefixed = any(word in text for word in ("xmlns", "xlink:", "xml:"))
    for element in cast(list[etree._Element], body.xpath(_XMLNS_OR_PREFIXED) if prefixed else []):
        for key in [k for k in element.attrib if k == "xmlns" or (":" in k and k != "xml:lang")]:
            del element.attrib[key]  # namespaces are the writer's to declare (xml: is XML's)
    body.set("xmlns", XHTML)
    for element in body.iter("math", "svg"):
        element.set("xmlns", _MATHML if element.tag == "math" else _SVG)
    data = etree.tostring(body, method="xml", encoding="UTF-8", with_tail=False)
    try:
        converted = parse_own_xml(data)
    except etree.XMLSyntaxError:
        rebuilt = etree.Element(f"{{{XHTML}}}body", nsmap={None: XHTML})  # type: ignore[dict-item]
        converter.children(body, rebuilt, XHTML)
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
    empty = cast(list[etree._Element], converted.xpath(_EMPTY, namespaces={"x": XHTML}))
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


_WRAPPERS = frozenset({"section", "div", "header", "article", "hgroup"})


def first_heading(body: etree._Element | None) -> str | None:
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


# --- XML documents ------------------------------------------------------------------------------


def serialise(root: etree._Element, *, html: bool) -> bytes:
    """The document as bytes: XHTML with ``<!DOCTYPE html>``, other XML pretty-printed."""
    if html:
        return etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", doctype="<!DOCTYPE html>"
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
