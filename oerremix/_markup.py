"""The only place oerremix builds lxml parsers.

Every parser here refuses to expand entities, load a DTD or touch the network, so hostile
markup cannot read local files (XXE) or blow up memory (billion laughs). Parse failures become
:class:`~oerremix.errors.ReadError` naming the source and line.
"""

from __future__ import annotations

import re

from lxml import etree, html

from oerremix.errors import ReadError, UnsafeContentError

__all__ = ["parse_html", "parse_xml"]

_DOCTYPE_ENTITY = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.IGNORECASE | re.DOTALL)


def _html_parser() -> html.HTMLParser:
    return html.HTMLParser(
        recover=True,
        no_network=True,
        remove_comments=False,
        remove_pis=True,
        huge_tree=False,
    )


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )


def parse_html(text: str | bytes, *, source: str = "<string>") -> html.HtmlElement:
    """Parse an HTML page or fragment leniently (as browsers do) into an element tree."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if not data.strip():
        raise ReadError("empty HTML document", source=source)
    try:
        root = html.document_fromstring(data, parser=_html_parser())
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"cannot parse HTML: {exc}", source=source) from None
    return root


def parse_xml(data: str | bytes, *, source: str = "<string>") -> etree._Element:
    """Parse an XML document strictly; entity declarations are refused as unsafe."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if _DOCTYPE_ENTITY.search(raw[:65536]):
        raise UnsafeContentError("XML entity declarations are not allowed", source=source)
    try:
        return etree.fromstring(raw, parser=_xml_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ReadError(f"not well-formed XML: {exc.msg}", source=source, line=line) from None
