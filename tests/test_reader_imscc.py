"""The IMS Common Cartridge reader, on cc2olx's test cartridges and on cartridges built here.

``tests/data/cc2olx-imscc-fixtures/imscc_files/{main,corner_cases}`` are the unpacked CC 1.3
cartridges of Open edX's cc2olx tests (see SOURCE.md there). Expected titles, items and licence
evidence were written from reading their ``imsmanifest.xml`` and the files it names. They state
no CC licence, so licences and credits are tested on small cartridges written here.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import Asset, Author, Evidence, Section, Work
from oerremix.readers import Input, read
from oerremix.readers.imscc import READER

FIXTURES = Path(__file__).parent / "data" / "cc2olx-imscc-fixtures" / "imscc_files"
MAIN = FIXTURES / "main"
CORNER = FIXTURES / "corner_cases"


def zipped(files: dict[str, bytes]) -> bytes:
    """A zip of ``files``, the same bytes every time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def folder_zip(folder: Path) -> bytes:
    return zipped(
        {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    )


def given(data: bytes, name: str = "course.imscc") -> Input:
    return Input(name, Path(name), data, None, None)


class TestCc2olxMain:
    """cc2olx's main cartridge: a Canvas-style CC 1.3 export with every resource type."""

    @pytest.fixture(scope="class")
    @classmethod
    def work(cls) -> Work:
        return read(MAIN)

    def test_metadata(self, work: Work) -> None:
        # <lomimscc:general><lomimscc:title><lomimscc:string>Course</…>; lifeCycle date 2018-08-13
        assert work.title == "Course"
        assert work.year == 2018
        assert work.authors == ()
        assert work.language is None

    def test_licence_stays_unknown(self, work: Work) -> None:
        # rights: copyrightAndOtherRestrictions "yes", description "Public Domain -
        # http://en.wikipedia.org/wiki/Public_domain": a status claim in words, not a licence;
        # Canvas's course_settings.xml says <license>public</license>, a Canvas slug
        assert work.license is None
        assert work.provenance is not None
        assert work.provenance.license_status == "none"
        assert work.provenance.license_evidence == (
            Evidence(
                "statement",
                "Public Domain - http://en.wikipedia.org/wiki/Public_domain",
                "imsmanifest.xml <rights><description>",
            ),
            Evidence(
                "lom-rights", "copyrightAndOtherRestrictions: yes", "imsmanifest.xml <rights>"
            ),
            Evidence("canvas-license", "public", "course_settings/course_settings.xml"),
        )

    def test_sections_follow_the_organization(self, work: Work) -> None:
        # the untitled root item "LearningModules" is skipped; "video" is used twice as an item
        # identifier in the manifest, the second becomes "video-2"
        assert [(s.id, s.title, s.level) for s in work.sections] == [
            ("sequence", "Sequence", 1),
            ("vertical", "Vertical", 2),
            ("lti", "LTI", 2),
            ("lti_no_secure_launch_url", "LTI no secure launch URL", 2),
            ("qti", "QTI", 2),
            ("qti_no_items", "QTI No Items", 2),
            ("discussion_topic_item", "Discussion", 2),
            ("image_file", "Image File Webcontent", 2),
            ("wiki_content", "Wiki Content", 2),
            ("canvas_content", "Canvas Content", 2),
            ("video", "Video", 2),
            ("video-2", "Video With Other Content", 2),
            ("pdf_web_resource", "PDF from Web Resources", 2),
            ("pdf_outside_resource", "PDF Outside of Web Resources", 2),
            ("web_link_content", "Web Link Content", 2),
            ("youtube_web_link", "Django for beginners", 2),
            ("web_link_to_pdf", "Web Link to PDF file", 2),
            ("web_link_to_google_document", "Web Link to Google document file", 2),
            ("web_link_to_google_presentation", "Web Link to Google presentation file", 2),
            ("web_link_to_google_drawings", "Web Link to Google drawings file", 2),
            ("web_link_to_google_docs_home_page", "Web Link to Google docs home page", 2),
            ("sequence2", "Sequence2", 1),
            ("vertical1", "Vertical", 2),
            ("subheader1", "Sub Header 1", 2),
            ("subheader1_vertical", "Vertical", 2),
            ("subheader2", "Sub Header 2", 2),
            ("subheader2_vertical", "Vertical", 2),
            ("external_tool", "External Tool", 2),
            ("external_tool_retrieve", "External Tool Retrieve Iframe", 2),
            ("assignment_1", "Assignment 1. University education scope essay", 2),
            ("assignment_2", "Assignment 2. Television role in education composition", 2),
        ]
        assert all(s.license is None for s in work.sections)

    def test_assets(self, work: Work) -> None:
        kaltura = (
            "https://cdnapisec.kaltura.com/p/2019031/sp/201903100/embedIframeJs/uiconf_id/"
            "43123921/partner_id/2019031?iframeembed=true&playerId=kaltura_player"
            "&entry_id=1_zeqnrfgw"
        )
        # vertical.html shows $IMS-CC-FILEBASE$/QuizImages/fractal.jpg; resource_5_image_file
        # is web_resources/elearning.png; iframe.html embeds a Kaltura player. None has a credit
        # and the cartridge states no licence: nothing is known about them.
        assert work.assets == (
            Asset("image", "web_resources/QuizImages/fractal.jpg"),
            Asset("image", "web_resources/elearning.png"),
            Asset("embed", kaltura),
        )

    @pytest.mark.parametrize(
        ("section", "base", "fragment"),
        [
            # webcontent HTML: its body; Canvas's file token now points at web_resources/
            pytest.param(
                "vertical",
                "",
                '<img src="web_resources/QuizImages/fractal.jpg" alt="fractal.jpg"',
                id="page",
            ),
            # a webcontent image: shown
            pytest.param(
                "image_file",
                "web_resources/",
                '<img src="elearning.png" alt="Image File Webcontent">',
                id="image",
            ),
            # a webcontent PDF without href: its first file, linked
            pytest.param(
                "pdf_web_resource", "web_resources/", '<a href="PEP_8.pdf"', id="pdf-link"
            ),
            # imswl: weblinks/web_link_to_pdf.xml's title and url
            pytest.param(
                "web_link_to_pdf",
                "weblinks/",
                '<a href="https://pdf.storage.com/python/proposals/PEP_312.pdf"'
                ' rel="noopener noreferrer">PEP 312 – Simple Implicit Lambda</a>',
                id="weblink",
            ),
            # imsdt: the discussion topic's HTML text, sanitised (no style attributes)
            pytest.param(
                "discussion_topic_item",
                "",
                "<p><span>Math Journal</span><br>Is 70 thousand written",
                id="discussion",
            ),
            # Canvas assignment: its text
            pytest.param(
                "assignment_1", "assignments/", "<p>Some argue that university", id="assignment"
            ),
            # LTI: a link to the tool (resource_2_lti.xml: secure_launch_url)
            pytest.param(
                "lti",
                "",
                '<a href="https://lti.local/launch" rel="noopener noreferrer">'
                "External tool (LTI): Learning Tools Interoperability</a>",
                id="lti",
            ),
            # QTI: not converted, and said so
            pytest.param(
                "qti",
                "",
                "Not converted: a resource of type imsqti_xmlv1p2/imscc_xmlv1p1/assessment.",
                id="qti",
            ),
            # href "wiki_content/external_tool_retrieve" is missing; its <file> has ".html"
            pytest.param(
                "external_tool_retrieve", "wiki_content/", '<iframe height="402"', id="fallback"
            ),
        ],
    )
    def test_content(self, work: Work, section: str, base: str, fragment: str) -> None:
        assert work.content is not None
        part = work.content.get(section)
        assert part.base == base
        assert fragment in part.html

    def test_heading_items_have_no_body(self, work: Work) -> None:
        assert work.content is not None
        assert work.content.get("subheader1").html == ""

    def test_dangling_resource(self, work: Work) -> None:
        assert work.content is not None
        # item "external_tool" has identifierref="external_tool"; no resource has that id
        with pytest.raises(ReadError, match="resource 'external_tool', which the manifest lacks"):
            work.content.get("external_tool")

    def test_zipped(self) -> None:
        data = folder_zip(MAIN)
        work = READER.read(given(data))
        assert work.title == "Course"
        assert len(work.sections) == 31
        assert work.assets == read(MAIN).assets
        assert work.provenance is not None
        assert work.provenance.sha256 == hashlib.sha256(data).hexdigest()
        assert work.content is not None
        assert "fractal.jpg" in work.content.get("vertical").html


class TestCc2olxCornerCases:
    """cc2olx's corner cases: unknown resource types, a missing page, a text file."""

    def test_corner_cases(self) -> None:
        work = read(CORNER)
        assert work.title == "Corner cases Common Cartridge"
        assert work.sections == (
            Section("i86204944-b9e4-4d98-a386-9affbe9efe49", "Wild animals world", 1),
            Section(
                "migration_patterns", "Migration Patterns: Why Animals Travel Long Distances", 2
            ),
            Section("unknown_resource_without_link", "Unknown content", 2),
            Section("unknown_resource_with_link", "Unknown content with link", 2),
            Section(
                "not_supported_webcontent",
                "Survival Strategies: How Wild Animals Avoid Predators",
                2,
            ),
            Section("unknown_qti_assessment", "Strange QTI", 2),
        )
        assert work.content is not None
        # migration_patterns_R names web_resources/migration_patterns.html, not in the fixture
        with pytest.raises(ReadError, match="'migration_patterns_R' is missing") as caught:
            work.content.get("migration_patterns")
        assert caught.value.source.endswith("migration_patterns.html")
        unknown = work.content.get("unknown_resource_with_link").html
        assert "Not converted: a resource of type imsunknwn_xmlv1p3." in unknown
        text = work.content.get("not_supported_webcontent")
        assert '<a href="survival_strategies.txt"' in text.html


MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
    xmlns:lom="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
    xmlns:lomimscc="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest">
  <metadata>
    <schema>IMS Common Cartridge</schema><schemaversion>1.1.0</schemaversion>
    <lomimscc:lom>
      <lomimscc:general>
        <lomimscc:title><lomimscc:string language="en">Wiring Basics</lomimscc:string></lomimscc:title>
        <lomimscc:language>en</lomimscc:language>
      </lomimscc:general>
      <lomimscc:lifeCycle><lomimscc:contribute>
        <lomimscc:role><lomimscc:source>LOMv1.0</lomimscc:source>
          <lomimscc:value>author</lomimscc:value></lomimscc:role>
        <lomimscc:entity>BEGIN:VCARD
VERSION:3.0
FN:Jane Doe
N:Doe;Jane;;;
END:VCARD</lomimscc:entity>
        <lomimscc:date><lomimscc:dateTime>2022-09-01</lomimscc:dateTime></lomimscc:date>
      </lomimscc:contribute></lomimscc:lifeCycle>
      <lomimscc:rights>
        <lomimscc:copyrightAndOtherRestrictions><lomimscc:value>yes</lomimscc:value>
        </lomimscc:copyrightAndOtherRestrictions>
        <lomimscc:description><lomimscc:string>{rights}</lomimscc:string></lomimscc:description>
      </lomimscc:rights>
    </lomimscc:lom>
  </metadata>
  <organizations><organization identifier="org" structure="rooted-hierarchy">
    <item identifier="root">
      <item identifier="week1"><title>Week 1</title>
        <item identifier="intro" identifierref="r_intro"><title>Introduction</title></item>
        <item identifier="panel" identifierref="r_panel"><title>The panel</title></item>
      </item>
    </item>
  </organization></organizations>
  <resources>
    <resource identifier="r_intro" type="webcontent" href="pages/intro.html">
      <file href="pages/intro.html"/>
    </resource>
    <resource identifier="r_panel" type="webcontent" href="web_resources/panel.jpg">
      <metadata><lom:lom><lom:rights><lom:description>
        <lom:string>Photo: Sam Roe, CC BY-SA 4.0</lom:string>
      </lom:description></lom:rights></lom:lom></metadata>
      <file href="web_resources/panel.jpg"/>
    </resource>
  </resources>
</manifest>"""

INTRO = """<html><head><title>Introduction</title></head><body>
<h2>Introduction</h2>
<p>A circuit breaker protects a circuit.</p>
<figure><img src="$IMS-CC-FILEBASE$/breaker.jpg" alt="A breaker"/>
  <figcaption>A breaker. (credit: John Smith)</figcaption></figure>
<img src="../web_resources/wire.png" alt="A wire"/>
</body></html>"""


def _cartridge_files() -> dict[str, bytes]:
    return {
        "pages/intro.html": INTRO.encode(),
        "web_resources/panel.jpg": b"\xff\xd8 a jpeg",
        "web_resources/breaker.jpg": b"\xff\xd8 a jpeg",
        "web_resources/wire.png": b"\x89PNG",
    }


def cartridge(rights: str, **extra: bytes) -> bytes:
    files = {"imsmanifest.xml": MANIFEST.format(rights=rights).encode(), **_cartridge_files()}
    files.update(extra)
    return zipped(files)


class TestLicences:
    """Licences of the course, of a resource, and of each medium."""

    def test_course_licence_with_exceptions(self) -> None:
        rights = "Except where otherwise noted, this course is licensed under CC BY 4.0."
        work = READER.read(given(cartridge(rights)))
        assert work.title == "Wiring Basics"
        assert work.language == "en"
        assert work.authors == (Author("Jane Doe"),)
        assert work.year == 2022
        assert work.license == "CC-BY-4.0"
        assert work.provenance is not None
        assert work.provenance.license_status == "found"
        assert work.sections == (
            Section("week1", "Week 1", 1),
            Section("intro", "Introduction", 2),
            # the resource's own LOM rights
            Section("panel", "The panel", 2, license="CC-BY-SA-4.0"),
        )
        assert work.assets == (
            # a caption credit without a licence: credit only
            Asset("image", "web_resources/breaker.jpg", credit="credit: John Smith"),
            # nothing of its own; the course says "except where otherwise noted"
            Asset("image", "web_resources/wire.png", license="CC-BY-4.0", license_inherited=True),
            # a webcontent image with its own rights, which are its credit too
            Asset(
                "image",
                "web_resources/panel.jpg",
                license="CC-BY-SA-4.0",
                credit="Photo: Sam Roe, CC BY-SA 4.0",
            ),
        )

    def test_lineage_from_a_json_ld_record(self) -> None:
        record = (
            b'{"@context": "https://schema.org", "license": '
            b'"https://creativecommons.org/licenses/by/4.0/", "isBasedOn": [{"name": '
            b'"Lessons In Electric Circuits", "license": "https://creativecommons.org/licenses/by/1.0/"}]}'
        )
        manifest = MANIFEST.replace(
            '<file href="pages/intro.html"/>',
            '<file href="pages/intro.html"/><file href="metadata.jsonld"/>',
        ).format(rights="Licensed under CC BY 4.0.")
        files = {"imsmanifest.xml": manifest.encode(), "metadata.jsonld": record}
        work = READER.read(given(zipped({**_cartridge_files(), **files})))
        assert work.based_on == (Work(title="Lessons In Electric Circuits", license="CC-BY-1.0"),)
        assert work.kind == "adaptation"
        assert work.license == "CC-BY-4.0"
        assert work.provenance is not None
        assert work.provenance.license_status == "found"

    def test_no_inheritance_without_except_where_noted(self) -> None:
        work = READER.read(given(cartridge("Licensed under CC BY 4.0.")))
        assert work.license == "CC-BY-4.0"
        wire = next(a for a in work.assets if a.source.endswith("wire.png"))
        assert (wire.license, wire.license_inherited) == (None, False)

    @pytest.mark.parametrize(
        "prose",
        [
            # "All rights reserved" is licensed to no one; CC BY 4.0 grants commercial use and
            # adaptations (LC-BY-4.0 §2(a)(1))
            pytest.param("© 2022 Acme College. All rights reserved.", id="all-rights-reserved"),
            pytest.param("Not for commercial use.", id="not-for-commercial-use"),
        ],
    )
    def test_a_page_contradicting_its_licence_is_a_conflict(self, prose: str) -> None:
        page = INTRO.replace("</body>", f"<p>This page is licensed CC BY 4.0. {prose}</p></body>")
        work = READER.read(
            given(cartridge("Licensed under CC BY 4.0.", **{"pages/intro.html": page.encode()}))
        )
        assert work.provenance is not None
        assert (work.license, work.provenance.license_status) == (None, "conflict")

    @pytest.mark.parametrize(
        ("rights", "status"),
        [
            # two licences in one statement: which one is meant is not known
            pytest.param("CC BY 4.0 or CC BY-SA 4.0, at your choice.", "ambiguous", id="two"),
            # no version
            pytest.param("Creative Commons Attribution", "ambiguous", id="no-version"),
            # all rights reserved: no licence
            pytest.param("Copyright 2022 Acme College. All rights reserved.", "none", id="arr"),
        ],
    )
    def test_course_statements(self, rights: str, status: str) -> None:
        work = READER.read(given(cartridge(rights)))
        assert work.license is None
        assert work.provenance is not None
        assert work.provenance.license_status == status


class TestErrors:
    """Malformed and hostile cartridges raise a ReadError naming the file and entry."""

    def test_malformed_manifest(self) -> None:
        data = zipped({"imsmanifest.xml": b"<manifest>\n<organizations>\n</manifest>"})
        with pytest.raises(ReadError, match="not well-formed XML") as caught:
            READER.read(given(data))
        assert caught.value.source == "course.imscc!/imsmanifest.xml"
        assert caught.value.line == 3

    def test_no_manifest(self) -> None:
        with pytest.raises(ReadError, match=r"no imsmanifest.xml.*\(course.imscc\)"):
            READER.read(given(zipped({"page.html": b"<p>hi</p>"})))

    def test_entities_refused(self) -> None:
        evil = (
            b'<!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest>&x;</manifest>'
        )
        with pytest.raises(UnsafeContentError, match="entity"):
            READER.read(given(zipped({"imsmanifest.xml": evil})))

    def test_zip_slip_refused(self) -> None:
        data = cartridge("CC BY 4.0", **{"../../.bashrc": b"rm -rf ~"})
        with pytest.raises(UnsafeContentError, match=r"'../../.bashrc'.*\(course.imscc\)"):
            READER.read(given(data))

    def test_not_a_cartridge(self) -> None:
        with pytest.raises(ReadError, match=r"not a zip archive or an imsmanifest.xml"):
            READER.read(given(b"hello"))


class TestSniff:
    """Cartridges are recognised by their manifest's namespaces."""

    @pytest.mark.parametrize(
        ("data", "score"),
        [
            # a zipped CC 1.1 cartridge
            pytest.param(cartridge("CC BY 4.0"), 95, id="cc"),
            # a plain IMS Content Package: same manifest shape, no CC profile
            pytest.param(
                zipped(
                    {
                        "imsmanifest.xml": b'<manifest xmlns="http://www.imsglobal.org/xsd/'
                        b'imscp_v1p1"/>'
                    }
                ),
                50,
                id="content-package",
            ),
            # a zip without a manifest (an EPUB, say)
            pytest.param(zipped({"mimetype": b"application/epub+zip"}), 0, id="other-zip"),
            # not a zip
            pytest.param(b"<html/>", 0, id="html"),
        ],
    )
    def test_sniff_bytes(self, data: bytes, score: int) -> None:
        assert READER.sniff(given(data, "x.bin")) == score

    def test_sniff_folder(self) -> None:
        assert READER.sniff(Input(str(MAIN), MAIN, None, None, None)) == 95
