"""The tests' own IMS Common Cartridge 1.1 checker.

:func:`check_cartridge` reads a ``.imscc`` (a zip) and returns every problem found, as text; an
empty list means the cartridge passed. It checks, in this order:

1. ``imsmanifest.xml`` against the official CC 1.1 XML Schemas in ``tests/data/ims-cc-1.1-xsd``
   (lxml's XMLSchema; the ``xs:import``s resolve to the files beside it, never to the network);
2. the Schematron rules IMS embedded in those schemas (``xs:appinfo`` of the content-packaging
   profile and of the LOM manifest profile), run with lxml's ISO Schematron;
3. what XML Schema cannot say and the cartridge needs to import cleanly:

   - every ``identifierref`` (item or dependency) names a resource;
   - the organization is one root item without a resource, and an item pointing at a resource
     has no child items (CC 1.1 learning-object items are leaves);
   - an item points only at a resource that can be launched (it has an ``href``);
   - a resource's ``href`` is one of its own files; no file is listed twice in a resource; no
     resource depends on itself or twice on the same resource; web content depends only on
     web content;
   - every ``<file href>`` is a relative path inside the package and exists in the zip;
   - every file in the zip (but the manifest) is listed by some resource.
"""

from __future__ import annotations

import functools
import posixpath
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree, isoschematron

__all__ = ["CP", "LOMM", "XSD_DIR", "check_cartridge", "check_manifest"]

XSD_DIR = Path(__file__).resolve().parent / "data" / "ims-cc-1.1-xsd"
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOMM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
_NS = {"cp": CP}
_SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_RULE_SCHEMAS = ("ccv1p1_imscp_v1p2_v1p0.xsd", "ccv1p1_lommanifest_v1p0.xsd")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _load(name: str) -> etree._ElementTree:
    return etree.parse(str(XSD_DIR / name), _parser())


@functools.cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(_load("ccv1p1_imscp_v1p2_v1p0.xsd"))


@functools.cache
def _rules() -> tuple[isoschematron.Schematron, ...]:
    # IMS wrote these rules in the pre-ISO style (pattern/@name), so lxml must not check the
    # rule document itself against the ISO Schematron schema; the rules still run.
    return tuple(
        isoschematron.Schematron(_load(name), store_report=True, validate_schema=False)
        for name in _RULE_SCHEMAS
    )


def check_cartridge(path: str | Path) -> list[str]:
    """Every problem found in the cartridge at ``path`` (an empty list when there is none)."""
    with zipfile.ZipFile(path) as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
        if "imsmanifest.xml" not in names:
            return ["the package has no imsmanifest.xml at its root"]
        manifest = archive.read("imsmanifest.xml")
    return check_manifest(manifest, names)


def check_manifest(data: bytes, package_files: set[str]) -> list[str]:
    """Every problem in ``imsmanifest.xml`` (``data``) for a package holding ``package_files``."""
    try:
        doc = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        return [f"imsmanifest.xml is not well-formed XML: {exc}"]
    problems: list[str] = []
    schema = _schema()
    if not schema.validate(doc):
        problems += [f"schema, line {e.line}: {e.message}" for e in schema.error_log]
    for rules in _rules():
        if not rules.validate(doc):
            report = rules.validation_report
            for failed in report.iter(f"{_SVRL}failed-assert"):
                text = " ".join(failed.findtext(f"{_SVRL}text", "").split())
                problems.append(f"embedded rule: {text}")
    problems += _structure(doc, package_files)
    return problems


def _href(resource: etree._Element, href: str) -> str:
    """A file's path in the package: its href below the resource's ``xml:base``, if any."""
    base = resource.get("{http://www.w3.org/XML/1998/namespace}base") or ""
    return unquote(posixpath.join(base, href)) if base else unquote(href)


def _structure(doc: etree._Element, package_files: set[str]) -> list[str]:
    problems: list[str] = []
    resources = {r.get("identifier"): r for r in doc.iterfind("cp:resources/cp:resource", _NS)}

    counts = Counter(e.get("identifier") for e in doc.iter() if e.get("identifier") is not None)
    problems += [f"identifier {i!r} is used {n} times" for i, n in counts.items() if n > 1]

    for element in doc.iterfind(".//cp:item[@identifierref]", _NS):
        ref = element.get("identifierref")
        target = resources.get(ref)
        if target is None:
            problems.append(f"item {element.get('identifier')}: {ref!r} names no resource")
        elif target.get("href") is None:
            problems.append(f"item {element.get('identifier')}: resource {ref} has no href")
        if element.find("cp:item", _NS) is not None:
            problems.append(f"item {element.get('identifier')} has a resource and child items")

    for organization in doc.iterfind("cp:organizations/cp:organization", _NS):
        roots = organization.findall("cp:item", _NS)
        if len(roots) != 1:
            problems.append(f"organization has {len(roots)} root items, not 1")
        for root in roots:
            if root.get("identifierref") is not None or root.find("cp:title", _NS) is not None:
                problems.append("the root item must have neither a resource nor a title")

    listed: set[str] = set()
    for identifier, resource in resources.items():
        files = [f.get("href") or "" for f in resource.iterfind("cp:file", _NS)]
        for href, n in Counter(files).items():
            if n > 1:
                problems.append(f"resource {identifier}: file {href} is listed {n} times")
        href = resource.get("href")
        if href is not None and href not in files:
            problems.append(f"resource {identifier}: its href {href} is not one of its files")
        refs = [d.get("identifierref") for d in resource.iterfind("cp:dependency", _NS)]
        for ref, n in Counter(refs).items():
            if ref == identifier:
                problems.append(f"resource {identifier} depends on itself")
            if n > 1:
                problems.append(f"resource {identifier} depends {n} times on {ref}")
            target = resources.get(ref)
            if target is None:
                problems.append(f"resource {identifier}: dependency {ref!r} names no resource")
            elif resource.get("type") == "webcontent" and target.get("type") != "webcontent":
                problems.append(
                    f"resource {identifier}: web content must not depend on a "
                    f"{target.get('type')} resource ({ref})"
                )
        for raw in files:
            parts = urlsplit(raw)
            path = _href(resource, raw)
            if (
                parts.scheme
                or parts.netloc
                or path.startswith("/")
                or "\\" in path
                or ".." in path.split("/")
            ):
                problems.append(f"resource {identifier}: file {raw!r} is not inside the package")
                continue
            listed.add(path)
            if path not in package_files:
                problems.append(f"resource {identifier}: file {raw} is not in the package")

    for name in sorted(package_files - listed - {"imsmanifest.xml"}):
        problems.append(f"{name} is in the package but no resource lists it")
    return problems
