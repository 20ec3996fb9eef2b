"""The EPUB's package document, NCX and container, and the metadata they carry.

:func:`opf` writes ``package.opf`` (Dublin Core, dc:rights = the licence notice, a ccREL
cc:license link, schema.org accessibility metadata, manifest and spine); :func:`accessibility`
claims accessibility only as far as the content shows it. :func:`ncx` writes ``toc.ncx`` for
EPUB 2 reading systems, :func:`container` ``META-INF/container.xml`` and :func:`jsonld` the
inert ``metadata.jsonld``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from oerremix._markup import xml_text
from oerremix.catalog import load_catalog
from oerremix.errors import WriteError
from oerremix.writers import Package, PackageAsset, ui_word
from oerremix.writers._epub_names import Links
from oerremix.writers._xhtml import XML_LANG, Found, serialise

__all__ = [
    "ROOT",
    "Item",
    "accessibility",
    "container",
    "jsonld",
    "ncx",
    "opf",
    "properties",
    "rights_text",
]

_OPF = "http://www.idpf.org/2007/opf"
_DC = "http://purl.org/dc/elements/1.1/"
_NCX = "http://www.daisy.org/z3986/2005/ncx/"
_CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
_CC_PREFIX = "cc: http://creativecommons.org/ns#"

ROOT = "OEBPS"
"""The folder in the container that holds the package document and the content."""


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


def accessibility(
    found: Iterable[Found], assets: Sequence[PackageAsset], lang: str | None
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
class Item:
    """An item of the manifest."""

    id: str
    href: str
    media_type: str
    properties: str = ""


def opf(
    package: Package,
    items: Sequence[Item],
    spine: Sequence[str],
    accessibility_meta: Sequence[tuple[str, str]],
    lang: str,
) -> bytes:
    """``package.opf``: metadata, manifest and spine."""
    work = package.work
    root = etree.Element(
        f"{{{_OPF}}}package",
        nsmap={None: _OPF},  # type: ignore[dict-item]
        version="3.0",
        prefix=_CC_PREFIX,
    )
    root.set("unique-identifier", "pub-id")
    root.set(XML_LANG, lang)
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
    kind, work_url = Links({}, {}).resolve(xml_text(work.url))
    if kind == "remote" and work_url.startswith(("http://", "https://")):
        etree.SubElement(meta, f"{{{_OPF}}}link", rel="cc:attributionURL", href=work_url)
    for name, value in accessibility_meta:
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
    return serialise(root, html=False)


def jsonld(metadata: object) -> bytes:
    """JSON-LD that stays inert even if pasted into an HTML ``<script>`` element."""
    text = json.dumps(metadata, indent=2, ensure_ascii=False)
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, code)
    return (text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n").encode()


def properties(found: Found) -> str:
    """The manifest properties of a content document (``mathml``, ``svg``)."""
    props = []
    if found.mathml:
        props.append("mathml")
    if found.svg:
        props.append("svg")
    return " ".join(props)


# --- NCX and container --------------------------------------------------------------------------


def ncx(package: Package, toc: Sequence[tuple[str, str]], title: str, lang: str | None) -> bytes:
    """``toc.ncx``: the table of contents again, for EPUB 2 reading systems."""
    root = etree.Element(f"{{{_NCX}}}ncx", nsmap={None: _NCX}, version="2005-1")  # type: ignore[dict-item]
    if lang:
        root.set(XML_LANG, lang)
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
    return serialise(root, html=False)


def container() -> bytes:
    """``META-INF/container.xml``, pointing to the package document."""
    root = etree.Element(f"{{{_CONTAINER}}}container", nsmap={None: _CONTAINER}, version="1.0")  # type: ignore[dict-item]
    rootfiles = etree.SubElement(root, f"{{{_CONTAINER}}}rootfiles")
    etree.SubElement(
        rootfiles,
        f"{{{_CONTAINER}}}rootfile",
        {"full-path": f"{ROOT}/package.opf", "media-type": "application/oebps-package+xml"},
    )
    return serialise(root, html=False)
