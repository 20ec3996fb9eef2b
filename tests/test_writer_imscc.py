"""The IMS Common Cartridge 1.1 writer, checked against the official CC 1.1 schemas.

``tests/imscc_validate.py`` validates ``imsmanifest.xml`` with the XSDs copied into
``tests/data/ims-cc-1.1-xsd`` and the Schematron rules embedded in them, and checks the package
structure (references resolve, every file listed exists, every file present is listed).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html

from oerremix.errors import WriteError
from oerremix.model import Asset
from oerremix.writers import FIXED_ZIP_TIME, Package, PackageAsset, PackageModule, writers
from oerremix.writers.imscc import WRITER
from tests.imscc_validate import CP, LOMM, check_cartridge, check_manifest
from tests.test_writer_epub import HOSTILE, LICENSE_URL, make_package, tiny_png, xml

NS = {"cp": CP, "lom": LOMM}
NOTICE = (
    "DC Circuits by Ana Silva is licensed under CC BY-NC-SA 4.0 "
    "(https://creativecommons.org/licenses/by-nc-sa/4.0/)"
)


def build(package: Package, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    WRITER.write(package, folder)
    return folder / f"{package.slug}.imscc"


def read(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def page(data: bytes) -> html.HtmlElement:
    return html.document_fromstring(data)


@pytest.fixture(scope="module")
def cartridge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(make_package(), tmp_path_factory.mktemp("imscc"))


@pytest.fixture(scope="module")
def files(cartridge: Path) -> dict[str, bytes]:
    return read(cartridge)


@pytest.fixture(scope="module")
def manifest(files: dict[str, bytes]) -> etree._Element:
    return xml(files["imsmanifest.xml"])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    package = make_package(HOSTILE, HOSTILE)
    modules = (dataclasses.replace(package.modules[0], title=HOSTILE), *package.modules[1:])
    asset = package.assets[0].asset.replace(title=HOSTILE, credit=HOSTILE)
    assets = (dataclasses.replace(package.assets[0], asset=asset),)
    package = dataclasses.replace(
        package,
        modules=modules,
        assets=assets,
        description=HOSTILE,
        learning_outcomes=(HOSTILE,),
    )
    return build(package, tmp_path_factory.mktemp("hostile"))


class TestValid:
    """Zero problems from the schemas, their embedded rules and the structure checks."""

    def test_realistic_package(self, cartridge: Path) -> None:
        assert check_cartridge(cartridge) == []

    def test_hostile_metadata(self, hostile: Path) -> None:
        assert check_cartridge(hostile) == []

    def test_awkward_content(self, tmp_path: Path) -> None:
        package = make_package()
        modules = (
            *package.modules,
            PackageModule("électricité 3.2", "Électricité", '<img src="media/Ohm%27s%20law.png">'),
            PackageModule("credits", "", ""),
        )
        odd = PackageAsset(
            "media/Ohm's law.png", tiny_png(2, 2), "image/png", package.assets[0].asset
        )
        unused = PackageAsset(
            "media/unused.png", tiny_png(1, 1), "image/png", Asset(kind="image", source="u")
        )
        package = dataclasses.replace(
            package,
            modules=modules,
            assets=(*package.assets, odd, unused),
            work=package.work.replace(language=None, license="CC0-1.0", based_on=()),
        )
        assert check_cartridge(build(package, tmp_path)) == []

    def test_no_modules(self, tmp_path: Path) -> None:
        assert check_cartridge(build(make_package(modules=(), assets=()), tmp_path)) == []


class TestValidatorCatchesProblems:
    """The checker is only worth its zero if it reports real faults."""

    def test_each_kind_of_fault(self, files: dict[str, bytes]) -> None:
        broken = (
            files["imsmanifest.xml"]
            .replace(b'<file href="series.html">', b'<file href="serie.html">')
            .replace(
                b'<dependency identifierref="RES_MEDIA_1"/>',
                b'<dependency identifierref="RES_PAGE_1"/><dependency identifierref="NOPE"/>',
            )
            .replace(
                b"<lomimscc:value>yes</lomimscc:value>",
                b"<lomimscc:value>maybe</lomimscc:value>",
                1,
            )
        )
        problems = check_manifest(broken, set(files) | {"stray.txt"})
        text = "\n".join(problems)
        assert "schema" in text and "'maybe'" in text  # XSD enumeration
        assert "[RULE 7a]" in text  # IMS's embedded Schematron
        assert "[RULE 10b]" in text
        assert "depends on itself" in text
        assert "'NOPE' names no resource" in text
        assert "file serie.html is not in the package" in text
        assert "series.html is in the package but no resource lists it" in text
        assert "stray.txt is in the package but no resource lists it" in text

    def test_item_with_children_and_resource(self, files: dict[str, bytes]) -> None:
        broken = files["imsmanifest.xml"].replace(
            b'<item identifier="ITEM_1" identifierref="RES_PAGE_1">',
            b'<item identifier="ITEM_1" identifierref="RES_PAGE_1"><title>x</title>'
            b'<item identifier="ITEM_X" identifierref="RES_PAGE_2"><title>y</title></item>',
        )
        problems = "\n".join(check_manifest(broken, set(files)))
        assert "[RULE 8b]" in problems
        assert "ITEM_1 has a resource and child items" in problems

    def test_path_outside_the_package(self, files: dict[str, bytes]) -> None:
        broken = files["imsmanifest.xml"].replace(
            b'<file href="metadata.jsonld">', b'<file href="../metadata.jsonld">'
        )
        problems = check_manifest(broken, set(files))
        assert (
            "resource RES_METADATA: file '../metadata.jsonld' is not inside the package" in problems
        )


class TestManifest:
    def test_namespaces_and_version(self, manifest: etree._Element) -> None:
        assert manifest.tag == f"{{{CP}}}manifest"
        assert manifest.findtext("cp:metadata/cp:schema", namespaces=NS) == "IMS Common Cartridge"
        assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.1.0"
        assert manifest.nsmap["lomimscc"] == LOMM
        assert manifest.nsmap["lom"] == "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"

    def test_lom_general(self, manifest: etree._Element) -> None:
        general = manifest.find("cp:metadata/lom:lom/lom:general", NS)
        assert general.findtext("lom:title/lom:string", namespaces=NS) == "DC Circuits"
        assert general.find("lom:title/lom:string", NS).get("language") == "en"
        assert general.findtext("lom:description/lom:string", namespaces=NS) == (
            "A short course on direct-current circuits."
        )
        assert general.findtext("lom:language", namespaces=NS) == "en"
        assert general.findtext("lom:identifier/lom:entry", namespaces=NS) == (
            make_package().identifier
        )

    def test_rights_in_the_manifest(self, manifest: etree._Element) -> None:
        rights = manifest.find("cp:metadata/lom:lom/lom:rights", NS)
        assert (
            rights.findtext("lom:copyrightAndOtherRestrictions/lom:value", namespaces=NS) == "yes"
        )
        description = rights.findtext("lom:description/lom:string", namespaces=NS)
        assert description == NOTICE
        assert LICENSE_URL in description

    def test_authors_and_sources(self, manifest: etree._Element) -> None:
        lom = manifest.find("cp:metadata/lom:lom", NS)
        (entity,) = lom.iterfind("lom:lifeCycle/lom:contribute/lom:entity", NS)
        assert "FN:Ana Silva" in entity.text.splitlines()
        (relation,) = lom.iterfind("lom:relation", NS)
        assert relation.findtext("lom:kind/lom:value", namespaces=NS) == "isbasedon"
        assert relation.findtext("lom:resource/lom:identifier/lom:entry", namespaces=NS) == (
            "https://www.ibiblio.org/kuphaldt/electricCircuits/"
        )

    def test_learning_outcomes(self, manifest: etree._Element) -> None:
        lom = manifest.find("cp:metadata/lom:lom", NS)
        found = [
            (c.findtext("lom:purpose/lom:value", namespaces=NS),
             c.findtext("lom:description/lom:string", namespaces=NS))
            for c in lom.iterfind("lom:classification", NS)
        ]  # fmt: skip
        assert found == [
            ("educational objective", outcome) for outcome in make_package().learning_outcomes
        ]

    def test_rights_on_every_file(self, manifest: etree._Element) -> None:
        rights = {
            f.get("href"): f.findtext(
                "cp:metadata/lom:lom/lom:rights/lom:description/lom:string", namespaces=NS
            )
            for f in manifest.iter(f"{{{CP}}}file")
        }
        assert set(rights) == {
            "ohms-law.html",
            "series.html",
            "credits.html",
            "metadata.jsonld",
            "media/resistor.png",
        }
        # each page names the licence and the credits page; the notice (which grows with every
        # source and change) is the cartridge's own rights, not repeated on every file
        page_rights = (
            "CC BY-NC-SA 4.0 (https://creativecommons.org/licenses/by-nc-sa/4.0/). "
            "Licence and credits: credits.html"
        )
        assert rights["ohms-law.html"] == rights["credits.html"] == page_rights
        assert rights["metadata.jsonld"] == page_rights
        assert rights["media/resistor.png"] == (
            "Resistor; Jane Doe; https://commons.wikimedia.org/wiki/File:Resistor.png; "
            "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"
        )

    def test_public_domain_has_no_restrictions(self, tmp_path: Path) -> None:
        package = make_package()
        package = dataclasses.replace(package, work=package.work.replace(license="CC0-1.0"))
        manifest = xml(read(build(package, tmp_path))["imsmanifest.xml"])
        value = "cp:metadata/lom:lom/lom:rights/lom:copyrightAndOtherRestrictions/lom:value"
        assert manifest.findtext(value, namespaces=NS) == "no"

    def test_registered_as_a_writer(self) -> None:
        assert writers()["imscc"] is WRITER


class TestOrganization:
    """The organization mirrors the modules: root item, one folder, one item per module."""

    def test_mirrors_the_modules(self, manifest: etree._Element) -> None:
        (organization,) = manifest.iterfind("cp:organizations/cp:organization", NS)
        assert organization.get("structure") == "rooted-hierarchy"
        (root,) = organization.iterfind("cp:item", NS)
        assert root.get("identifierref") is None and root.find("cp:title", NS) is None
        (folder,) = root.iterfind("cp:item", NS)
        assert folder.findtext("cp:title", namespaces=NS) == "DC Circuits"
        titles = [i.findtext("cp:title", namespaces=NS) for i in folder.iterfind("cp:item", NS)]
        assert titles == ["Ohm's law", "Series circuits", "Licence and credits"]
        resources = {r.get("identifier"): r for r in manifest.iter(f"{{{CP}}}resource")}
        hrefs = [
            resources[i.get("identifierref")].get("href") for i in folder.iterfind("cp:item", NS)
        ]
        assert hrefs == ["ohms-law.html", "series.html", "credits.html"]

    def test_page_depends_on_the_media_it_shows(self, manifest: etree._Element) -> None:
        resources = {r.get("href"): r for r in manifest.iter(f"{{{CP}}}resource")}
        deps = [
            d.get("identifierref") for d in resources["ohms-law.html"].iter(f"{{{CP}}}dependency")
        ]
        assert deps == ["RES_MEDIA_1"]
        assert list(resources["series.html"].iter(f"{{{CP}}}dependency")) == []


class TestFiles:
    def test_every_file_referenced_and_present(
        self, files: dict[str, bytes], manifest: etree._Element
    ) -> None:
        listed = {f.get("href") for f in manifest.iter(f"{{{CP}}}file")}
        assert listed == set(files) - {"imsmanifest.xml"}

    def test_reproducible(self, tmp_path: Path) -> None:
        one = build(make_package(), tmp_path / "one").read_bytes()
        two = build(make_package(), tmp_path / "two").read_bytes()
        assert hashlib.sha256(one).digest() == hashlib.sha256(two).digest()
        with zipfile.ZipFile(tmp_path / "one" / "dc-circuits.imscc") as archive:
            assert all(i.date_time == FIXED_ZIP_TIME for i in archive.infolist())

    def test_metadata_jsonld(self, files: dict[str, bytes]) -> None:
        assert json.loads(files["metadata.jsonld"]) == make_package().metadata

    def test_module_page_is_a_complete_document_with_the_notice(
        self, files: dict[str, bytes]
    ) -> None:
        assert files["ohms-law.html"].startswith(b"<!DOCTYPE html>")
        doc = page(files["ohms-law.html"])
        assert doc.get("lang") == "en"
        assert doc.findtext("head/title") == "Ohm's law"
        assert doc.find("head/link[@rel='license']").get("href") == LICENSE_URL
        footer = doc.find("body/footer")
        assert "is licensed under" in footer.text_content()
        hrefs = [a.get("href") for a in footer.iter("a")]
        assert "credits.html" in hrefs and any(h.startswith(LICENSE_URL) for h in hrefs)
        assert doc.find(".//img").get("src") == "media/resistor.png"
        assert doc.find(".//math") is not None and doc.find(".//table/caption") is not None

    def test_links(self, files: dict[str, bytes]) -> None:
        doc = page(files["series.html"])
        anchors = {a.text_content(): a.get("href") for a in doc.iter("a")}
        assert anchors["the note"] == "ohms-law.html#note"
        assert "parallel circuits" not in anchors  # left out of the remix: unlinked
        assert "parallel circuits" in doc.text_content()

    def test_scripts_are_dropped(self, tmp_path: Path) -> None:
        """From module HTML and, should they ever carry one, from the notice and credits."""
        active = "<p onclick='x()'>a<script>alert(1)</script></p>"
        package = make_package(
            modules=(PackageModule("s", "S", active),),
            notice_html=make_package().notice_html + active,
            credits_html=active,
        )
        files = read(build(package, tmp_path))
        for name in ("s.html", "credits.html"):
            doc = page(files[name])
            assert doc.find(".//script") is None, name
            assert not any(k.startswith("on") for e in doc.iter() for k in e.attrib), name

    def test_credits_page(self, files: dict[str, bytes]) -> None:
        doc = page(files["credits.html"])
        text = doc.text_content()
        assert "is licensed under" in text
        assert "Tony R. Kuphaldt" in text and "Jane Doe" in text


class TestHostileMetadata:
    def test_manifest_keeps_them_as_text(self, hostile: Path) -> None:
        manifest = xml(read(hostile)["imsmanifest.xml"])
        general = manifest.find("cp:metadata/lom:lom/lom:general", NS)
        assert general.findtext("lom:title/lom:string", namespaces=NS) == HOSTILE
        assert general.findtext("lom:description/lom:string", namespaces=NS) == HOSTILE
        titles = [t.text for t in manifest.iter(f"{{{CP}}}title")]
        assert titles[:2] == [HOSTILE, HOSTILE]  # the folder (work) and the first module
        outcome = manifest.find("cp:metadata/lom:lom/lom:classification", NS)
        assert outcome.findtext("lom:description/lom:string", namespaces=NS) == HOSTILE
        media = manifest.find(".//cp:file[@href='media/resistor.png']", NS)
        assert media.findtext(".//lom:string", namespaces=NS).startswith(HOSTILE)

    def test_pages_keep_them_as_text(self, hostile: Path) -> None:
        files = read(hostile)
        for name in ("ohms-law.html", "series.html", "credits.html"):
            doc = page(files[name])
            assert doc.find(".//script") is None, name
            assert doc.find(".//b") is None, name
        assert page(files["ohms-law.html"]).findtext("head/title") == HOSTILE


class TestRefused:
    @pytest.mark.parametrize(
        "changes",
        [
            {"slug": "a/b"},
            {
                "assets": (
                    PackageAsset(
                        "media/../../x", b"x", "text/plain", Asset(kind="image", source="x")
                    ),
                )
            },
            {"modules": (PackageModule("a", "A", '<video src="media/missing.mp4"></video>'),)},
        ],
    )
    def test_refused(self, tmp_path: Path, changes: dict[str, object]) -> None:
        with pytest.raises(WriteError):
            WRITER.write(make_package(**changes), tmp_path)
        assert list(tmp_path.iterdir()) == []


class TestWithTheAttributionModule:
    """The notice and credits as oerremix's own attribution module renders them."""

    def test_valid_and_rdfa_kept(self, tmp_path: Path) -> None:
        from rdflib import URIRef

        from oerremix.attribution import attribution_record, render
        from tests.test_writer_epub import XHV_LICENSE, rdf

        package = make_package()
        markup = render(attribution_record(package.work), "html")
        package = dataclasses.replace(package, notice_html=markup, credits_html=markup)
        path = build(package, tmp_path)
        assert check_cartridge(path) == []
        graph = rdf(
            read(path)["ohms-law.html"], "https://example.org/course/ohms-law.html", "text/html"
        )
        work = URIRef("https://example.org/dc-circuits")
        assert set(graph.objects(work, URIRef(XHV_LICENSE))) == {URIRef(LICENSE_URL)}
