"""The only place oerremix builds lxml parsers.

Every parser here refuses to expand entities, load a DTD or touch the network, so hostile
markup cannot read local files (XXE) or blow up memory (billion laughs). Parse failures become
:class:`~oerremix.errors.ReadError` naming the source and line.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Collection
from html import escape as _escape
from typing import TYPE_CHECKING

from lxml import etree, html

from oerremix.errors import ReadError, UnsafeContentError

if TYPE_CHECKING:
    import nh3

__all__ = [
    "BLOCKS",
    "LINKING",
    "NOT_XML",
    "URL_ATTRIBUTES",
    "VIDEO_HOSTS",
    "append_text",
    "parse_html",
    "parse_own_xml",
    "parse_xml",
    "sanitize_html",
    "text_of",
    "xml_text",
    "xml_to_html",
]

_DOCTYPE_ENTITY = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.IGNORECASE | re.DOTALL)


def _html_parser(encoding: str | None = None) -> html.HTMLParser:
    return html.HTMLParser(
        encoding=encoding,
        recover=True,
        no_network=True,
        remove_comments=False,
        remove_pis=True,
        huge_tree=False,
    )


def _xml_parser(*, huge_tree: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge_tree,
        remove_pis=True,
    )


def parse_html(text: str | bytes, *, source: str = "<string>") -> html.HtmlElement:
    """Parse an HTML page or fragment leniently (as browsers do) into an element tree."""
    # text is decoded already: tell the parser so; bytes may declare their own charset
    encoding = "utf-8" if isinstance(text, str) else None
    data = text.encode("utf-8") if isinstance(text, str) else text
    if not data.strip():
        raise ReadError("empty HTML document", source=source)
    try:
        root = html.document_fromstring(data, parser=_html_parser(encoding))
        if _holds_void(root):  # a tag-filtered walk in C: milliseconds for 50 MB of pages
            # what follows a void element was parsed inside it, and the end tags it implies
            # (</p> before <h2>, </li> before <li>) were missed: parse it with them closed
            root = html.document_fromstring(_closed_void(data), parser=_html_parser(encoding))
            _unnest_void(root)  # what is left (inside <noscript>, whose text is not closed)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"cannot parse HTML: {exc}", source=source) from None
    if not _HEAD.search(data[:65536]):
        _into_body(root)
    return root


_IN_HEAD = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template"})
_HEAD = re.compile(rb"<head[\s>/]", re.IGNORECASE)


def _into_body(root: html.HtmlElement) -> None:
    """Move into ``<body>`` what libxml2 left in the head it implied, where browsers have it.

    libxml2 knows HTML 4 only: in a page with no ``<head>`` tag (a fragment, rendered
    Markdown), an element it does not know (``<figure>``, ``<section>``, ``<nav>`` …) met while
    the implied head is open stays in the head, with everything after it up to the first
    element it does know. Browsers end the head at the first element that does not belong
    there. (A page that writes its ``<head>`` is left as libxml2 parsed it: what it put in its
    head is not the page's content.)

    >>> page = parse_html('<meta charset="utf-8"><figure>F</figure><p>a</p>')
    >>> html.tostring(page.find("body"), encoding="unicode")
    '<body><figure>F</figure><p>a</p></body>'
    """
    head, body = root.find("head"), root.find("body")
    children = list(head) if head is not None else []
    stray = next(
        (n for n, el in enumerate(children) if isinstance(el.tag, str) and el.tag not in _IN_HEAD),
        None,
    )
    if stray is None:
        return
    if body is None:
        body = html.Element("body")
        root.append(body)
    moved = children[stray:]
    for offset, element in enumerate(moved):
        body.insert(offset, element)  # with its tail
    if body.text:  # it followed what was moved
        moved[-1].tail, body.text = (moved[-1].tail or "") + body.text, None


_CONTAINER_VOID = ("embed", "source", "track", "wbr")
"""Void HTML elements libxml2's HTML parser takes for containers: ``<source><source>`` nests
the second source in the first, as no browser does."""


_VOID_START_OR_RAW = re.compile(
    rb"<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)\b.*?</\1\s*>"
    rb"|<!--.*?-->|<(embed|source|track|wbr)\b[^>]*>",
    re.IGNORECASE | re.DOTALL,
)


def _holds_void(root: etree._Element) -> bool:
    return any(len(el) or el.text for el in root.iter(*_CONTAINER_VOID))


def _closed_void(data: bytes) -> bytes:
    """``data`` with an end tag after each void element libxml2 would leave open (outside
    scripts, styles, titles and comments, whose text is not markup).

    >>> _closed_void(b"<p>a<wbr>b<!-- <wbr> --><script>'<wbr>'</script>")
    b"<p>a<wbr></wbr>b<!-- <wbr> --><script>'<wbr>'</script>"
    """

    def close(match: re.Match[bytes]) -> bytes:
        tag = match.group(2)
        return match.group(0) + b"</" + tag + b">" if tag else match.group(0)

    return _VOID_START_OR_RAW.sub(close, data)


def _unnest_void(root: etree._Element) -> None:
    """Move what libxml2 put inside a void element out after it, where browsers have it.

    >>> page = parse_html('<video><source src="a.mp4"><source src="a.webm">Old</video>')
    >>> etree.tostring(page.find("body/video"), encoding="unicode")
    '<video><source src="a.mp4"/><source src="a.webm"/>Old</video>'
    """
    for element in reversed(list(root.iter(*_CONTAINER_VOID))):  # the innermost first
        children = list(element)
        text, tail = element.text, element.tail
        parent = element.getparent()
        if (text is None and not children) or parent is None:
            continue
        element.text = None
        index = parent.index(element)
        for offset, child in enumerate(children, start=1):
            parent.insert(index + offset, child)  # with its tail
        if children:
            element.tail = text
            children[-1].tail = ((children[-1].tail or "") + (tail or "")) or None
        else:
            element.tail = ((text or "") + (tail or "")) or None


def parse_fragment(fragment: str) -> html.HtmlElement:
    """Parse an HTML fragment into a ``<div>`` holding it (see :func:`fragment_html`)."""
    root = parse_html(f"<div>{fragment}</div>")
    body = root.find("body")
    container: html.HtmlElement = body[0] if body is not None and len(body) else root
    return container


def fragment_html(container: etree._Element) -> str:
    """The HTML inside ``container``, as :func:`parse_fragment` received it (after edits).

    >>> fragment_html(parse_fragment("1 &lt; 2 <b>bold</b> &amp; more"))
    '1 &lt; 2 <b>bold</b> &amp; more'
    >>> fragment_html(parse_html('<body class="c">a &lt; b<p>x</p></body>').find("body"))
    'a &lt; b<p>x</p>'
    """
    whole = str(html.tostring(container, encoding="unicode", with_tail=False))
    start, end = f"<{container.tag}>", f"</{container.tag}>"
    if whole.startswith(start) and whole.endswith(end):  # one serialisation, in C
        return whole[len(start) : -len(end)]
    text = _escape(container.text, quote=False) if container.text else ""
    return text + "".join(html.tostring(child, encoding="unicode") for child in container)


def parse_xml(data: str | bytes, *, source: str = "<string>") -> etree._Element:
    """Parse an XML document strictly; entity declarations are refused as unsafe."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if _DOCTYPE_ENTITY.search(raw[:65536]):
        raise UnsafeContentError("XML entity declarations are not allowed", source=source)
    try:
        root = etree.fromstring(raw, parser=_xml_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ReadError(f"not well-formed XML: {exc.msg}", source=source, line=line) from None
    # The byte pattern above misses declarations in UTF-16 or behind a "]" in a comment; the
    # parsed DTD does not (they were recorded, never expanded nor loaded).
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # type: ignore[union-attr]
        raise UnsafeContentError("XML entity declarations are not allowed", source=source)
    return root


def parse_own_xml(data: bytes) -> etree._Element:
    """Parse XML oerremix itself serialised (a page being written): no entities, no network,
    and none of the depth and size limits meant for untrusted input (what passed them once
    may nest a few wrappers deeper now)."""
    return etree.fromstring(data, parser=_xml_parser(huge_tree=True))


# --- writing parsed XML (XHTML, or a tree built without namespaces) as HTML -----------------------

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
     "wbr"}
)  # fmt: skip
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def local_name(el: etree._Element) -> str:
    """An element's tag without its namespace (``""`` for comments and processing instructions)."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def element_text(el: etree._Element | None) -> str:
    """All the text inside an element, whitespace folded (``""`` for None)."""
    if el is None:
        return ""
    return " ".join("".join(str(t) for t in el.itertext()).split())


_XHTML = "http://www.w3.org/1999/xhtml"
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character XML 1.0 cannot carry (NUL, most C0 controls, lone surrogates); lxml refuses to
set text or attributes holding one."""


def xml_text(value: str | None) -> str:
    """``value`` without the characters XML 1.0 cannot carry.

    >>> xml_text("\\x01Chapter\\x00 5")
    'Chapter 5'
    """
    return NOT_XML.sub("", value or "")


def append_text(parent: etree._Element, text: str | None) -> None:
    """Append ``text`` (as XML can carry it) after the last child of ``parent``, or to its
    text when it has none.

    >>> p = etree.fromstring("<p>a<b>b</b></p>")
    >>> append_text(p, "c\x01"); etree.tostring(p)
    b'<p>a<b>b</b>c</p>'
    """
    text = xml_text(text)
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


BLOCKS = (
    *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
    *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
    *("hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"),
)
"""The elements whose text stands apart from its neighbours' (see :func:`text_of`):
``<td>Lessons</td><td>CC BY 4.0</td>`` reads as two lines, not ``LessonsCC BY 4.0``."""
_TEXT_SHEETS = threading.local()


def _text_sheet(skip: tuple[str, ...], blocks: tuple[str, ...]) -> etree.XSLT:
    """A stylesheet giving the text without ``skip`` elements, blocks on lines of their own.

    Compiled once per thread (lxml's XSLT objects are not shared between threads).
    """
    sheets: dict[tuple[tuple[str, ...], tuple[str, ...]], etree.XSLT]
    sheets = _TEXT_SHEETS.__dict__.setdefault("sheets", {})
    if (skip, blocks) not in sheets:

        def match(names: tuple[str, ...]) -> str:  # HTML parser: bare names; XHTML: namespaced
            return "|".join([*names, *(f"h:{n}" for n in names)])

        block = (
            f'<xsl:template match="{match(blocks)}"><xsl:text>&#10;</xsl:text>'
            "<xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>"
            if blocks
            else ""
        )
        sheets[(skip, blocks)] = etree.XSLT(
            etree.XML(
                '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"'
                f' xmlns:h="{_XHTML}"><xsl:output method="text"/>'
                + (f'<xsl:template match="{match(skip)}"/>' if skip else "")
                + f"{block}</xsl:stylesheet>"
            )
        )
    return sheets[(skip, blocks)]


def _text_walk(el: etree._Element, skip: Collection[str], blocks: Collection[str]) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = local_name(node)
        if tag in skip:
            return
        block = tag in blocks
        if block:
            parts.append("\n")
        if tag and node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(el)
    return "".join(parts)


def text_of(el: etree._Element, *, skip: tuple[str, ...] = (), blocks: tuple[str, ...] = ()) -> str:
    """The text inside ``el`` (HTML or XHTML), leaving out ``skip`` elements and comments, with
    a line break before and after each of the ``blocks`` elements. The tree is not changed.

    libxslt walks the tree, several times faster than Python; a tree nested deeper than it
    recurses is walked in Python.

    >>> root = parse_html("<div>A<script>x()</script><p>B</p>C</div>")
    >>> text_of(root, skip=("script",), blocks=("p",))
    'A\\nB\\nC'
    """
    try:
        return str(_text_sheet(skip, blocks)(el))
    except etree.XSLTApplyError:
        return _text_walk(el, frozenset(skip), frozenset(blocks))


def _write(el: etree._Element, out: list[str]) -> None:
    tag = el.tag
    if isinstance(tag, str):
        name = _local(tag)
        attrs: list[str] = []
        if name == "math":
            attrs.append(f' xmlns="{_MATHML_NS}"')
        for raw_key, value in el.attrib.items():
            key = "lang" if raw_key == _XML_LANG else str(raw_key)
            if key.startswith("{") or key == "xmlns":
                continue  # epub:type, xsi:…: meaningless in HTML
            attrs.append(f' {key}="{_escape(str(value), quote=True)}"')
        out.append(f"<{name}{''.join(attrs)}>")
        if el.text:
            out.append(_escape(el.text, quote=False))
        for child in el:
            _write(child, out)
        if name not in _VOID:
            out.append(f"</{name}>")
    if el.tail:
        out.append(_escape(el.tail, quote=False))


def xml_to_html(element: etree._Element, *, inner: bool = True) -> str:
    """Write an element parsed as XML (XHTML, MathML, or a tree built without namespaces) as HTML.

    Namespaces are dropped from names (``<math>`` gets its ``xmlns`` back), ``xml:lang`` becomes
    ``lang``, other namespaced attributes, comments and processing instructions go, and empty
    elements get an end tag unless HTML says they are void: ``<div/>`` in XHTML would otherwise
    swallow what follows it. ``inner=True`` writes only what is inside ``element``. The result
    is not sanitised: pass it to :func:`sanitize_html`.

    >>> root = parse_xml('<body xmlns="http://www.w3.org/1999/xhtml"><p>a<br/>b</p><div/></body>')
    >>> xml_to_html(root)
    '<p>a<br>b</p><div></div>'
    """
    out: list[str] = []
    if inner:
        if element.text:
            out.append(_escape(element.text, quote=False))
        for child in element:
            _write(child, out)
    else:
        tail, element.tail = element.tail, None
        try:
            _write(element, out)
        finally:
            element.tail = tail
    return "".join(out)


# --- sanitising HTML from outside ----------------------------------------------------------------
# nh3 (Rust's ammonia) is allowlist-based: anything not named here is dropped. lxml-html-clean is
# blocklist-based, which is the wrong default for content republished on institutions' sites.

_MATHML = {
    "math", "maction", "annotation", "annotation-xml", "menclose", "merror", "mfenced", "mfrac",
    "mi", "mmultiscripts", "mn", "mo", "mover", "mpadded", "mphantom", "mprescripts", "mroot",
    "mrow", "ms", "mspace", "msqrt", "mstyle", "msub", "msubsup", "msup", "mtable", "mtd",
    "mtext", "mtr", "munder", "munderover", "none", "semantics",
}  # fmt: skip
_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    "audio", "video", "source", "track", "iframe", "aside", "article", "header", "footer",
} | _MATHML  # fmt: skip
_COMMON = {"id", "class", "title", "lang", "dir"}
_ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "time": {"datetime"},
    "audio": {"src", "controls"},
    "video": {"src", "controls", "poster", "width", "height"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label"},
    "iframe": {"src", "width", "height", "allowfullscreen"},
    **{tag: {"display", "mathvariant", "xmlns", "encoding", "mathsize"} for tag in _MATHML},
    # a formula's text alternative, for readers who cannot see it (MathML 3, 2.2.1)
    "math": {"display", "mathvariant", "xmlns", "encoding", "mathsize", "alttext"},
}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
VIDEO_HOSTS = frozenset(
    {
        "www.youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "h5p.org",
        "fast.wistia.net",
    }
)
"""Hosts whose embeds (``<iframe src>``, and remote ``<video>``/``<audio>`` sources and posters)
survive sanitising; other iframes and remote media lose their source."""


_URL_ATTRIBUTES = frozenset({"href", "src", "poster"})
URL_ATTRIBUTES = tuple(sorted(_URL_ATTRIBUTES))
"""The attributes holding an address that sanitised HTML keeps."""
LINKING = tuple(sorted(tag for tag, names in _ATTRIBUTES.items() if names & _URL_ATTRIBUTES))
"""The elements that keep an address (in :data:`URL_ATTRIBUTES`) once sanitised."""
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _unsafe_when_decoded(value: str) -> bool:
    """Whether a URL nh3 let through becomes a control character or another scheme once
    percent-decoded: ``javascript%3A…`` and ``jav%09ascript:…`` are harmless relative URLs to
    a browser, but not to code that decodes links before using them."""
    from urllib.parse import unquote

    decoded = unquote(value)
    if _CONTROL.search(decoded):
        return True
    scheme = _SCHEME.match(decoded.strip())
    return scheme is not None and scheme.group(1).lower() not in _URL_SCHEMES


_MEDIA = frozenset({"video", "audio", "source", "track"})


def _embeddable(value: str) -> bool:
    """Whether media at ``value`` may play inside a page: a file of the package (a relative
    URL), or one from an allowlisted video host. Anything else would have every reader's
    browser call a third party when the page opens."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if not parts.scheme and not parts.netloc:
        return True
    return parts.scheme == "https" and parts.hostname in VIDEO_HOSTS


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    try:
        return _check_attribute(tag, attr, value)
    except ValueError:  # a malformed URL (http://[::1): dropped quietly, not printed by nh3
        return None


def _check_attribute(tag: str, attr: str, value: str) -> str | None:
    if tag == "iframe" and attr == "src":
        from urllib.parse import urlsplit

        parts = urlsplit(value)
        return value if parts.scheme == "https" and parts.hostname in VIDEO_HOSTS else None
    if attr in _URL_ATTRIBUTES and _unsafe_when_decoded(value):
        return None
    if tag in _MEDIA and attr in ("src", "poster") and not _embeddable(value):
        return None
    return value


def sanitize_html(fragment: str) -> str:
    """Clean an HTML fragment from outside: keep the markup OER needs, drop everything active.

    Scripts, event handlers, ``javascript:`` and ``data:`` URLs (percent-encoded ones too),
    styles, forms, ``<base>``, ``<meta>`` refreshes, and iframes and remote audio and video
    from hosts not in :data:`VIDEO_HOSTS` go; tables, figures, MathML, code and alt text stay.

    >>> sanitize_html('<p onclick="x()">Ohm<script>alert(1)</script> <a href="javascript:x">law')
    '<p>Ohm <a rel="noopener noreferrer">law</a></p>'
    """
    return _cleaner().clean(fragment)


@functools.cache
def _cleaner() -> nh3.Cleaner:
    """The sanitiser, configured once: ``nh3.clean`` converts its whole allowlist on every call,
    which cost more than cleaning the small fragments of a sectioned book."""
    import nh3

    return nh3.Cleaner(
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=set(_URL_SCHEMES),
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
