"""IMS Common Cartridge 1.1 writer: a :class:`~oerremix.writers.Package` as ``<slug>.imscc``.

What the cartridge holds (paths inside the zip)::

    imsmanifest.xml     CC 1.1 manifest: LOM metadata (title, description, language, authors,
                        rights = the licence notice with the licence URL, the works it is
                        based on), one organization, the resources
    <module>.html       one complete HTML page per module, the licence notice in its footer
    credits.html        the licence notice and the credits
    metadata.jsonld     schema.org/LRMI JSON-LD
    media/…             the package's assets

The organization follows the outline: the root item holds one folder item named after the
work (LMSs turn it into a module or section), which holds one item per module and then the
credits page. Every file is a ``webcontent`` resource; a page depends on the media it embeds.

Rights per file: the CC 1.1 profile of LOM for resources allows only ``educational``, so the
licence of each file travels as LOM ``rights`` (the manifest profile) in that ``<file>``'s
``<metadata>``, which the CC 1.1 content-packaging schema accepts: the work's notice for the
pages, the asset's own licence and credit for each media file.

Every value from the package is set as element text or attribute value through lxml, never
spliced into markup. The same package always gives byte-identical output.
"""

from __future__ import annotations

import functools
import hashlib
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from lxml import etree, html

from oerremix._markup import parse_html, sanitize_html, xml_text
from oerremix.catalog import License, load_catalog
from oerremix.errors import WriteError
from oerremix.writers import Entry, Package, PackageAsset, PackageModule, ui_word, write_zip
from oerremix.writers._epub_names import (
    Links,
    asset_names,
    check_slug,
    content_renamed,
    page_names,
)
from oerremix.writers._epub_package import jsonld, rights_text
from oerremix.writers._xhtml import DROPPED, first_heading

__all__ = ["CP_NAMESPACE", "LOM_MANIFEST_NAMESPACE", "WRITER", "ImsccWriter", "imscc_entries"]

CP_NAMESPACE = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
"""The namespace of a CC 1.1 ``imsmanifest.xml``."""
LOM_MANIFEST_NAMESPACE = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
"""The namespace of CC 1.1's LOM profile for the manifest (it has ``rights``)."""
_LOMR = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = " ".join(
    (
        CP_NAMESPACE,
        "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd",
        LOM_MANIFEST_NAMESPACE,
        "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd",
        _LOMR,
        "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd",
    )
)
_RESERVED = frozenset({"credits", "imsmanifest", "metadata"})
_WEB = "webcontent"


def _cp(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CP_NAMESPACE}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _lom(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{LOM_MANIFEST_NAMESPACE}}}{name}")
    if text is not None:
        element.text = text
    return element


def _lang_string(parent: etree._Element, name: str, text: str, lang: str | None) -> None:
    string = _lom(_lom(parent, name), "string", text)
    if lang:
        string.set("language", lang)


def _vcard(name: str) -> str:
    """A minimal vCard 4.0 for LOM ``entity``, with the name escaped as RFC 6350 says."""
    escaped = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    escaped = " ".join(escaped.split())
    return f"BEGIN:VCARD\nVERSION:4.0\nFN:{escaped}\nEND:VCARD"


def _rights(parent: etree._Element, restricted: bool, text: str, lang: str | None) -> None:
    rights = _lom(parent, "rights")
    _lom(_lom(rights, "copyrightAndOtherRestrictions"), "value", "yes" if restricted else "no")
    if text:
        _lang_string(rights, "description", text, lang)


def _restricted(license_id: str | None) -> bool:
    """Whether copyright (or another restriction) applies: yes unless public domain."""
    lic = load_catalog().find(license_id) if license_id else None
    return lic is None or lic.category != "public-domain"


def _named(lic: License) -> str:
    """A licence as rights text names it: ``CC BY 4.0 (https://…)``."""
    return f"{lic.short_name} ({lic.url})" if lic.url else lic.short_name


def _file_rights(package: Package, lang: str | None) -> str:
    """The LOM rights of each page, the credits page and the metadata: the work's licence and
    where its full notice is. The notice itself (every source, every change) is in the
    cartridge's own metadata and on the credits page: repeated on every file it made the
    manifest grow as files × sources (12 MB for a 288-chapter book of 32 sources)."""
    lic = load_catalog().find(package.work.license) if package.work.license else None
    if lic is None:
        return rights_text(package)
    return f"{_named(lic)}. {ui_word(lang, 'rights_link')}: credits.html"


def _asset_rights(item: PackageAsset) -> str:
    """One line for an asset's LOM rights: its credit as recorded, and its licence with URL."""
    asset = item.asset
    lic = load_catalog().find(asset.license) if asset.license else None
    if asset.credit and xml_text(asset.credit).strip():
        pieces = [xml_text(asset.credit).strip()]
    else:
        pieces = [xml_text(asset.title).strip()]
        pieces.append(", ".join(xml_text(a.name).strip() for a in asset.authors))
        if asset.source.startswith(("http://", "https://")):
            pieces.append(xml_text(asset.source))
    text = "; ".join(p for p in pieces if p)
    if lic is not None:
        if (lic.url or lic.short_name) not in text:
            text = f"{text}; {_named(lic)}" if text else _named(lic)
    elif asset.license:
        text = f"{text}; {xml_text(asset.license)}" if text else xml_text(asset.license)
    return " ".join(text.split())


# --- pages ---------------------------------------------------------------------------------------


def _page(title: str, package: Package) -> tuple[etree._Element, etree._Element]:
    """A complete HTML page: ``(root, <body>)``; the licence link goes in the head."""
    root = etree.Element("html")
    lang = xml_text(package.work.language).strip()
    if lang:
        root.set("lang", lang)
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    etree.SubElement(head, "title").text = title
    url = _license_url(package)
    if url:
        etree.SubElement(head, "link", rel="license", href=url)
    return root, etree.SubElement(root, "body")


def _license_url(package: Package) -> str | None:
    return load_catalog().get(package.work.license).url if package.work.license else None


def _html_bytes(root: etree._Element) -> bytes:
    text = etree.tostring(root, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
    return (text + "\n").encode("utf-8")


def _append(target: etree._Element, body: html.HtmlElement | None) -> None:
    """Move the children (and leading text) of a parsed fragment's body into ``target``."""
    if body is None:
        return
    if body.text:
        if len(target):
            target[-1].tail = (target[-1].tail or "") + body.text
        else:
            target.text = (target.text or "") + body.text
    for child in list(body):
        target.append(child)


def _fragment(
    fragment: str, *, where: str, links: Links, embeds: set[str], sanitize: bool
) -> html.HtmlElement | None:
    """Parse a fragment and point its links and embeds at this cartridge's files."""
    text = sanitize_html(fragment) if sanitize else fragment
    if not text.strip():
        return None
    body = parse_html(text, source=where).find("body")
    if body is None:
        return None
    for element in list(body.iter()):  # what sanitising removes, should a fragment carry it
        if not isinstance(element.tag, str) or element.tag.lower() in DROPPED:
            element.drop_tree()
            continue
        for key in [k for k in element.attrib if str(k).lower().startswith("on")]:
            del element.attrib[key]
    for element in list(body.iter("a", "img", "iframe", "audio", "video", "source", "track")):
        tag = element.tag
        if tag == "a":
            href = element.get("href")
            if href is None:
                continue
            kind, target = links.resolve(href)
            if kind in ("fragment", "remote", "page"):
                element.set("href", target)
            elif kind == "asset":
                element.set("href", target)
                embeds.add(unquote(target))
            else:
                element.drop_tag()  # a link to something the cartridge does not carry
            continue
        for key in ("src", "poster"):
            url = element.get(key)
            if url is None:
                continue
            kind, target = links.resolve(url)
            if kind == "asset":
                element.set(key, target)
                embeds.add(unquote(target))
            elif kind == "remote" and not target.lower().startswith("mailto:"):
                element.set(key, target)
            elif kind in ("page", "none") and target:
                raise WriteError(
                    f"{url!r} is embedded but the package does not carry it under media/",
                    path=where,
                )
            else:
                del element.attrib[key]
    return body


def _footer(
    footer: etree._Element, package: Package, links: Links, embeds: set[str], lang: str | None
) -> None:
    notice = _fragment(
        package.notice_html, where="notice_html", links=links, embeds=embeds, sanitize=False
    )
    _append(footer, notice)
    more = etree.SubElement(footer, "p")
    etree.SubElement(more, "a", href="credits.html").text = ui_word(lang, "rights_link")


def _module_page(module: PackageModule, package: Package, links: Links, embeds: set[str]) -> bytes:
    where = f"module {module.id}"
    lang = xml_text(package.work.language).strip() or None
    title = xml_text(module.title).strip() or xml_text(module.id)
    root, body = _page(title, package)
    main = etree.SubElement(body, "main")
    footer = etree.SubElement(body, "footer", {"class": "licence"})
    content = _fragment(module.html, where=where, links=links, embeds=embeds, sanitize=True)
    if first_heading(content) != " ".join(title.split()):
        etree.SubElement(main, "h1").text = title
    _append(main, content)
    _footer(footer, package, links, embeds, lang)
    return _html_bytes(root)


def _credits_page(package: Package, links: Links, embeds: set[str]) -> bytes:
    lang = xml_text(package.work.language).strip() or None
    work_title = xml_text(package.work.title).strip() or xml_text(package.slug)
    root, body = _page(f"{ui_word(lang, 'rights_link')}: {work_title}", package)
    main = etree.SubElement(body, "main")
    etree.SubElement(main, "h1").text = ui_word(lang, "rights_link")
    licence = etree.SubElement(main, "section", id="licence")
    etree.SubElement(licence, "h2").text = ui_word(lang, "license")
    notice = _fragment(
        package.notice_html, where="notice_html", links=links, embeds=embeds, sanitize=False
    )
    if notice is None:
        etree.SubElement(licence, "p").text = rights_text(package)
    _append(licence, notice)
    section = etree.SubElement(main, "section", id="credits")
    credits = _fragment(
        package.credits_html, where="credits_html", links=links, embeds=embeds, sanitize=False
    )
    if first_heading(credits) is None:
        etree.SubElement(section, "h2").text = ui_word(lang, "credits")
    _append(section, credits)
    return _html_bytes(root)


# --- manifest ------------------------------------------------------------------------------------


def _manifest_metadata(root: etree._Element, package: Package, lang: str | None) -> None:
    work = package.work
    metadata = _cp(root, "metadata")
    _cp(metadata, "schema", "IMS Common Cartridge")
    _cp(metadata, "schemaversion", "1.1.0")
    lom = etree.SubElement(metadata, f"{{{LOM_MANIFEST_NAMESPACE}}}lom")
    general = _lom(lom, "general")
    identifier = _lom(general, "identifier")
    _lom(identifier, "catalog", "URI")
    _lom(identifier, "entry", xml_text(package.identifier))
    _lang_string(general, "title", xml_text(work.title).strip() or xml_text(package.slug), lang)
    if lang:
        _lom(general, "language", lang)
    if package.description and xml_text(package.description).strip():
        _lang_string(general, "description", " ".join(xml_text(package.description).split()), lang)
    names = [xml_text(a.name).strip() for a in work.authors if xml_text(a.name).strip()]
    if names:
        life = _lom(lom, "lifeCycle")
        for name in names:
            contribute = _lom(life, "contribute")
            _lom(_lom(contribute, "role"), "value", "author")
            _lom(contribute, "entity", _vcard(name))
    _rights(lom, _restricted(work.license), rights_text(package), lang)
    for source in work.based_on:
        url = xml_text(source.url).strip()
        if not url:
            continue
        relation = _lom(lom, "relation")
        _lom(_lom(relation, "kind"), "value", "isbasedon")
        resource = _lom(relation, "resource")
        ident = _lom(resource, "identifier")
        _lom(ident, "catalog", "URI")
        _lom(ident, "entry", url)
        if source.title and xml_text(source.title).strip():
            _lang_string(resource, "description", xml_text(source.title).strip(), None)
    for outcome in package.learning_outcomes:
        if xml_text(outcome).strip():
            classification = _lom(lom, "classification")
            _lom(_lom(classification, "purpose"), "value", "educational objective")
            _lang_string(classification, "description", xml_text(outcome).strip(), lang)


def _file(
    resource: etree._Element, href: str, restricted: bool, rights: str, lang: str | None
) -> None:
    file = _cp(resource, "file", href=href)
    lom = etree.SubElement(_cp(file, "metadata"), f"{{{LOM_MANIFEST_NAMESPACE}}}lom")
    _rights(lom, restricted, rights, lang)


def _manifest_id(identifier: str) -> str:
    return "M_" + hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class _Resource:
    """One ``<resource>`` of the manifest, made only when the manifest is written."""

    identifier: str
    file: str
    restricted: bool
    rights: str
    href: str | None = None
    dependencies: tuple[str, ...] = ()

    def element(self, holder: etree._Element, lang: str | None) -> etree._Element:
        resource = _cp(holder, "resource", identifier=self.identifier, type=_WEB)
        if self.href is not None:
            resource.set("href", self.href)
        _file(resource, self.file, self.restricted, self.rights, lang)
        for identifier in self.dependencies:
            _cp(resource, "dependency", identifierref=identifier)
        return resource


def _write_manifest(
    root: etree._Element, resources: Sequence[_Resource], lang: str | None, path: Path
) -> None:
    """Write the manifest: ``root`` (its metadata and organisation), then each resource, made
    and written one at a time (a book's images alone can number thousands)."""
    with etree.xmlfile(str(path), encoding="UTF-8") as xf:
        xf.write_declaration()
        attrib = {str(k): str(v) for k, v in root.attrib.items()}
        with xf.element(root.tag, attrib=attrib, nsmap=root.nsmap):
            for child in root:
                xf.write(child, pretty_print=True)
            with xf.element(f"{{{CP_NAMESPACE}}}resources"):
                for resource in resources:
                    holder = etree.Element(f"{{{CP_NAMESPACE}}}resources", nsmap=root.nsmap)  # type: ignore[arg-type]
                    xf.write(resource.element(holder, lang), pretty_print=True)


def imscc_entries(package: Package, workspace: Path) -> list[Entry]:
    """Every file of the cartridge as ``(path in zip, bytes)``; :func:`write_zip` orders them.

    Pages wait compressed (they are made first: the manifest lists what each embeds) and
    images on disk; both are given as functions making their bytes when written. The
    manifest is written into ``workspace`` and given as that file.
    """
    work = package.work
    lang = xml_text(work.language).strip() or None
    pages = page_names(package.modules, ".html", _RESERVED)
    media_names = asset_names(package.assets)
    links = Links(
        pages={f"{module_id}.html": name for module_id, name in pages.items()},
        assets=media_names,
    )
    work_rights = _file_rights(package, lang)
    work_restricted = _restricted(work.license)

    root = etree.Element(
        f"{{{CP_NAMESPACE}}}manifest",
        nsmap={None: CP_NAMESPACE, "lomimscc": LOM_MANIFEST_NAMESPACE, "lom": _LOMR, "xsi": _XSI},  # type: ignore[dict-item]
        identifier=_manifest_id(xml_text(package.identifier)),
    )
    root.set(f"{{{_XSI}}}schemaLocation", _SCHEMA_LOCATION)
    _manifest_metadata(root, package, lang)
    organization = _cp(
        _cp(root, "organizations"), "organization", identifier="ORG_1", structure="rooted-hierarchy"
    )
    top = _cp(_cp(organization, "item", identifier="ROOT"), "item", identifier="ITEM_WORK")
    _cp(top, "title", xml_text(work.title).strip() or xml_text(package.slug))
    resources: list[_Resource] = []

    media_ids = {
        media_names[asset.path]: f"RES_MEDIA_{n}" for n, asset in enumerate(package.assets, 1)
    }
    entries: list[Entry] = []
    for n, module in enumerate(package.modules, start=1):
        embeds: set[str] = set()
        name = pages[module.id]
        packed = zlib.compress(_module_page(module, package, links, embeds), 1)
        entries.append((name, functools.partial(zlib.decompress, packed)))
        item = _cp(top, "item", identifier=f"ITEM_{n}", identifierref=f"RES_PAGE_{n}")
        _cp(item, "title", xml_text(module.title).strip() or xml_text(module.id))
        resources.append(
            _Resource(
                f"RES_PAGE_{n}",
                quote(name),
                work_restricted,
                work_rights,
                href=quote(name),
                dependencies=tuple(media_ids[path] for path in sorted(embeds)),
            )
        )

    credits_embeds: set[str] = set()
    entries.append(("credits.html", _credits_page(package, links, credits_embeds)))
    item = _cp(top, "item", identifier="ITEM_CREDITS", identifierref="RES_CREDITS")
    _cp(item, "title", ui_word(lang, "rights_link"))
    resources.append(
        _Resource(
            "RES_CREDITS",
            "credits.html",
            work_restricted,
            work_rights,
            href="credits.html",
            dependencies=tuple(media_ids[path] for path in sorted(credits_embeds)),
        )
    )

    entries.append(("metadata.jsonld", jsonld(content_renamed(package.metadata, media_names))))
    resources.append(_Resource("RES_METADATA", "metadata.jsonld", work_restricted, work_rights))

    for asset in package.assets:
        name = media_names[asset.path]
        entries.append((name, asset.content))
        resources.append(
            _Resource(
                media_ids[name],
                quote(name),
                _restricted(asset.asset.license),
                _asset_rights(asset),
            )
        )

    manifest = workspace / "imsmanifest.xml"
    _write_manifest(root, resources, lang, manifest)
    entries.append(("imsmanifest.xml", manifest))
    return entries


class ImsccWriter:
    """Writes ``<folder>/<slug>.imscc``: IMS Common Cartridge 1.1, checked against its schemas."""

    name: str = "imscc"

    def write(self, package: Package, folder: Path) -> None:
        """Write the package as ``<slug>.imscc`` into ``folder``."""
        path = Path(folder) / f"{check_slug(package.slug)}.imscc"
        try:
            with tempfile.TemporaryDirectory(prefix="oerremix-imscc-") as workspace:
                write_zip(path, imscc_entries(package, Path(workspace)))
        except OSError as exc:
            message = f"cannot write the cartridge: {exc.strerror or exc}"
            raise WriteError(message, path=str(path)) from None


WRITER = ImsccWriter()
"""The IMS Common Cartridge writer, as :func:`oerremix.writers.writers` finds it."""
