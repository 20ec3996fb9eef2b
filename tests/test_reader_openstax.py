"""The OpenStax CNXML reader, on a real subset of *University Physics Volume 2*.

``tests/data/openstax-university-physics-vol2/`` holds the book's collection, README, LICENSE,
``META-INF/books.xml`` and three modules of the chapter "Direct-Current Circuits" (m58736,
m58453, m58456) with the images they show; the chapter's other modules are absent (see
SOURCE.md there). Expected titles, licences and credits below were written from reading those
files. Small books for the cases the real files do not show (a module with its own licence,
authors, lineage, disagreeing statements, broken files) are written into ``tmp_path`` here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import Asset, Author, Section, Work
from oerremix.readers import Input, read
from oerremix.readers.openstax import READER

BOOK = Path(__file__).parent / "data" / "openstax-university-physics-vol2"
COLLECTION = BOOK / "collections" / "university-physics-volume-2.collection.xml"
LICENSE = "CC-BY-NC-SA-4.0"


def given(path: Path) -> Input:
    data = None if path.is_dir() else path.read_bytes()
    return Input(str(path), path, data, None, None)


def inherited(name: str) -> Asset:
    """An image with no credit: the book's licence, inherited."""
    return Asset("image", f"media/{name}", license=LICENSE, license_inherited=True)


def credited(name: str, credit: str) -> Asset:
    """An image credited to someone: credit only, licence unknown."""
    return Asset("image", f"media/{name}", credit=credit)


# The images of m58736, m58453 and m58456, in collection order, with the credits their figure
# captions give ("(credit …)"); figures without a credit and images in exercises inherit.
EXPECTED_ASSETS = (
    inherited("CNX_UPhysics_27_00_Amplifier.png"),
    credited(
        "CNX_UPhysics_27_03_Voltage.jpg",
        "credit a: modification of work by Stig Nygaard; "
        'credit b: modification of work by "vadimpl"/Wikimedia Commons; '
        'credit c: modification of work by "The tdog"/Wikimedia Commons; '
        'credit d: modification of work by "Itrados"/Wikimedia Commons',
    ),
    inherited("CNX_UPhysics_27_03_emf_sour.jpg"),
    inherited("CNX_UPhysics_27_03_LeadCell.jpg"),
    inherited("CNX_UPhysics_27_03_AnodeCath.jpg"),
    inherited("CNX_UPhysics_27_03_InternalR.jpg"),
    inherited("CNX_UPhysics_27_03_SourceLoad.jpg"),
    inherited("CNX_UPhysics_27_03_VoltLoadR.jpg"),
    credited(
        "CNX_UPhysics_27_03_Tester.jpg",
        "credit a: modification of work by Jason A. Johnston; "
        "credit b: modification of work by Keith Williamson",
    ),
    inherited("CNX_UPhysics_27_03_Charger.jpg"),
    inherited("CNX_UPhysics_27_04_P4ans_img.jpg"),
    credited("CNX_UPhysics_27_04_Voltmeters.jpg", "credit: Christian Giersing"),
    inherited("CNX_UPhysics_27_04_Ammeter1.jpg"),
    inherited("CNX_UPhysics_27_04_Parallel.jpg"),
    credited("CNX_UPhysics_27_04_DigAn.jpg", "credit: modification of works by Joseph J. Trout"),
    inherited("CNX_UPhysics_27_04_P3_img.jpg"),
    inherited("CNX_UPhysics_27_04_P4_img.jpg"),
)


class TestBook:
    """The book read from its repository folder."""

    @pytest.fixture(scope="class")
    @classmethod
    def work(cls) -> Work:
        return read(BOOK)

    def test_metadata(self, work: Work) -> None:
        # collection: <md:title>University Physics Volume 2</md:title>, <md:language>en</…>,
        # <md:slug>university-physics-volume-2</md:slug>; the README links the book's page
        assert work.title == "University Physics Volume 2"
        assert work.language == "en"
        assert work.url == "https://openstax.org/details/books/university-physics-volume-2"
        assert work.authors == ()  # the collection names none (the book page does)
        assert work.based_on == ()
        assert work.kind == "work"

    def test_licence(self, work: Work) -> None:
        # md:license url=".../by-nc-sa/4.0/" and its name; the README's version-less
        # "Creative Commons Attribution-NonCommercial-ShareAlike License" and the LICENSE legal
        # code agree with it
        assert work.license == LICENSE
        assert work.provenance is not None
        assert work.provenance.license_status == "found"
        places = {e.where.split(",")[0] for e in work.provenance.license_evidence}
        assert places == {
            "collections/university-physics-volume-2.collection.xml <md:license url>",
            "collections/university-physics-volume-2.collection.xml <md:license>",
            "README.md",
            "LICENSE",
        }
        assert work.provenance.source == str(BOOK)
        assert work.provenance.sha256 is not None

    def test_sections_follow_the_collection(self, work: Work) -> None:
        sections = work.sections
        # the volume opens with the preface module m62204, then unit "Thermodynamics"
        assert sections[:3] == (
            Section("m62204", None, 1),
            Section("thermodynamics", "Thermodynamics", 1),
            Section("temperature-and-heat", "Temperature and Heat", 2),
        )
        start = sections.index(Section("direct-current-circuits", "Direct-Current Circuits", 2))
        # the chapter's seven modules; titles of the modules present come from their md:title
        assert sections[start + 1 : start + 8] == (
            Section("m58736", "Introduction", 3),
            Section("m58453", "Electromotive Force", 3),
            Section("m58454", None, 3),
            Section("m58455", None, 3),
            Section("m58456", "Electrical Measuring Instruments", 3),
            Section("m58457", None, 3),
            Section("m58458", None, 3),
        )
        unit = Section("electricity-and-magnetism", "Electricity and Magnetism", 1)
        assert unit in sections
        assert len({s.id for s in sections}) == len(sections)

    def test_assets_and_credits(self, work: Work) -> None:
        assert work.assets == EXPECTED_ASSETS

    def test_module_content(self, work: Work) -> None:
        assert work.content is not None
        part = work.content.get("m58456")
        html = part.html
        assert part.base == "modules/m58456/"
        # md:abstract: the learning objectives
        assert "<li>Describe the use of an ohmmeter</li>" in html
        # <section><title>DC Voltmeters and Ammeters</title>
        assert "<h2>DC Voltmeters and Ammeters</h2>" in html
        # <figure> with <media alt=…><image src=…/> and its <caption>
        assert (
            '<img id="fs-id1172099922507" src="../../media/CNX_UPhysics_27_04_Voltmeters.jpg"'
            ' alt="The figure shows photo of fuel and temperature gauges.">'
        ) in html
        assert "(credit: Christian Giersing)</figcaption>" in html
        # <link target-id="CNX_UPhysics_27_04_Voltmeters"/> has no text: "Figure"
        assert (
            '<a href="#CNX_UPhysics_27_04_Voltmeters" rel="noopener noreferrer">Figure</a>' in html
        )
        # <link url="https://openstax.org/l/21cirreslabsim">simulation</link>
        assert 'href="https://openstax.org/l/21cirreslabsim"' in html
        # MathML stays MathML
        assert '<math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><msub><mi>R</mi>' in html
        # <emphasis effect="bold">s</emphasis> after a term
        assert '<dfn id="term-00001">voltmeter</dfn><strong>s</strong>' in html

    def test_link_to_another_module(self, work: Work) -> None:
        assert work.content is not None
        html = work.content.get("m58736").html
        # <link document="m58591">Condensed Matter Physics</link>
        assert '<a href="../m58591/index.cnxml" rel="noopener noreferrer">' in html

    def test_chapter_sections_have_no_body(self, work: Work) -> None:
        assert work.content is not None
        assert work.content.get("direct-current-circuits").html == ""

    def test_missing_module(self, work: Work) -> None:
        assert work.content is not None
        with pytest.raises(ReadError, match="m58454 is listed in the collection") as caught:
            work.content.get("m58454")
        assert caught.value.source == str(BOOK / "modules" / "m58454" / "index.cnxml")

    def test_modules_are_parsed_one_at_a_time(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import oerremix.readers.openstax as module

        work = read(BOOK)
        parsed: list[str] = []
        real = module.parse_xml

        def counting(data: bytes, *, source: str = "<string>") -> object:
            parsed.append(source)
            return real(data, source=source)

        monkeypatch.setattr(module, "parse_xml", counting)
        assert work.content is not None
        work.content.get("m58453")
        assert parsed == [str(BOOK / "modules" / "m58453" / "index.cnxml")]

    def test_collection_file(self) -> None:
        work = read(COLLECTION)
        assert work.license == LICENSE
        assert work.assets == EXPECTED_ASSETS
        assert work.provenance is not None
        assert work.provenance.license_status == "found"

    def test_sniff(self) -> None:
        assert READER.sniff(given(BOOK)) == 95
        assert READER.sniff(given(COLLECTION)) == 95
        assert READER.sniff(given(BOOK / "modules" / "m58453" / "index.cnxml")) == 95
        assert READER.sniff(given(BOOK / "README.md")) == 0


class TestSingleModule:
    """A module read alone: no collection, so no book licence to inherit."""

    def test_module(self) -> None:
        work = read(BOOK / "modules" / "m58453" / "index.cnxml")
        assert work.title == "Electromotive Force"
        assert work.sections == (Section("m58453", "Electromotive Force", 1),)
        # the module's metadata carry no md:license
        assert work.license is None
        assert work.provenance is not None
        assert work.provenance.license_status == "none"
        voltage = work.assets[0]
        assert voltage.source == "media/CNX_UPhysics_27_03_Voltage.jpg"
        assert voltage.credit is not None
        assert voltage.credit.startswith("credit a: modification of work by Stig Nygaard")
        emf = work.assets[1]
        assert (emf.license, emf.license_inherited, emf.credit) == (None, False, None)
        assert work.content is not None
        assert work.content.get("m58453").base == "modules/m58453/"


COLLXML = """<col:collection xmlns="http://cnx.rice.edu/collxml" xmlns:md="http://cnx.rice.edu/mdml"
    xmlns:col="http://cnx.rice.edu/collxml">
  <metadata mdml-version="0.5">
    <md:title>Circuits for Electricians</md:title>
    <md:language>en</md:language>
    <md:license url="http://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0
      International License</md:license>
    <md:actors>
      <md:person userid="jdoe"><md:firstname>Jane</md:firstname><md:surname>Doe</md:surname>
        <md:fullname>Jane Doe</md:fullname></md:person>
      <md:organization userid="acme"><md:fullname>Acme College</md:fullname></md:organization>
    </md:actors>
    <md:roles>
      <md:role type="author">jdoe</md:role>
      <md:role type="licensor">acme</md:role>
    </md:roles>
    <md:derived-from url="https://cnx.org/content/col12074/1.9">
      <md:title>University Physics Volume 2</md:title>
    </md:derived-from>
  </metadata>
  <col:content>
    <col:subcollection><md:title>Basics</md:title><col:content>
      <col:module document="m1"/>
      <col:module document="m2"/>
    </col:content></col:subcollection>
  </col:content>
</col:collection>"""

MODULE = """<document xmlns="http://cnx.rice.edu/cnxml" xmlns:md="http://cnx.rice.edu/mdml">
  <title>{title}</title>
  <metadata><md:content-id>{id}</md:content-id><md:title>{title}</md:title>{license}</metadata>
  <content>
    <figure id="f1"><media alt="A photo"><image mime-type="image/jpeg" src="../../media/a.jpg"/>
    </media><caption>A breaker. (credit: NASA, CC BY 2.0)</caption></figure>
    <figure id="f2"><media alt="A diagram"><image mime-type="image/png" src="../../media/{id}.png"/>
    </media><caption>A diagram.</caption></figure>
  </content>
</document>"""

BY_SA = '<md:license url="http://creativecommons.org/licenses/by-sa/4.0/"/>'


def small_book(root: Path, *, readme: str | None = None, m2_license: str = BY_SA) -> Path:
    (root / "collections").mkdir(parents=True)
    (root / "collections" / "circuits.collection.xml").write_text(COLLXML)
    for module, title, license in (("m1", "Ohm", ""), ("m2", "Power", m2_license)):
        (root / "modules" / module).mkdir(parents=True)
        text = MODULE.format(id=module, title=title, license=license)
        (root / "modules" / module / "index.cnxml").write_text(text)
    if readme is not None:
        (root / "README.md").write_text(readme)
    return root


class TestStatements:
    """Licences stated in a module, authors, lineage, and statements that disagree."""

    def test_module_licence_authors_lineage(self, tmp_path: Path) -> None:
        work = read(small_book(tmp_path))
        assert work.title == "Circuits for Electricians"
        assert work.license == "CC-BY-4.0"
        assert work.authors == (Author("Jane Doe"),)
        assert work.copyright == "Acme College"
        assert work.based_on == (
            Work(title="University Physics Volume 2", url="https://cnx.org/content/col12074/1.9"),
        )
        assert work.kind == "adaptation"
        assert work.sections == (
            Section("basics", "Basics", 1),
            Section("m1", "Ohm", 2),
            # the module states a licence of its own
            Section("m2", "Power", 2, license="CC-BY-SA-4.0"),
        )
        assert work.assets == (
            # a credit that states its licence
            Asset("image", "media/a.jpg", license="CC-BY-2.0", credit="credit: NASA, CC BY 2.0"),
            # no credit: the book's licence in m1, the module's own in m2
            Asset("image", "media/m1.png", license="CC-BY-4.0", license_inherited=True),
            Asset("image", "media/m2.png", license="CC-BY-SA-4.0", license_inherited=True),
        )

    @pytest.mark.parametrize(
        ("readme", "status", "license"),
        [
            # the README names the same licence: found
            pytest.param("Licensed under CC BY 4.0.", "found", "CC-BY-4.0", id="agree"),
            # the README names the same licence without a version: still found
            pytest.param("Shared under a CC BY license.", "found", "CC-BY-4.0", id="no-version"),
            # the README says another licence: both kept, a conflict
            pytest.param("Licensed under CC BY-NC 4.0.", "conflict", None, id="conflict"),
            # a README that states nothing changes nothing
            pytest.param("A physics book.", "found", "CC-BY-4.0", id="silent"),
        ],
    )
    def test_readme(self, tmp_path: Path, readme: str, status: str, license: str | None) -> None:
        work = read(small_book(tmp_path, readme=readme))
        assert work.provenance is not None
        assert (work.provenance.license_status, work.license) == (status, license)
        if status == "conflict":
            wheres = {e.where.split(",")[0] for e in work.provenance.license_evidence}
            assert "README.md" in wheres
            # an uncredited image inherits nothing when the book's licence is unknown …
            m1 = next(a for a in work.assets if a.source == "media/m1.png")
            assert (m1.license, m1.license_inherited) == (None, False)
            # … but its module's own licence when the module states one
            m2 = next(a for a in work.assets if a.source == "media/m2.png")
            assert (m2.license, m2.license_inherited) == ("CC-BY-SA-4.0", True)


class TestErrors:
    """Malformed books raise a ReadError naming the file (and line)."""

    def test_malformed_collection(self, tmp_path: Path) -> None:
        small_book(tmp_path)
        path = tmp_path / "collections" / "circuits.collection.xml"
        path.write_text(COLLXML.replace("</col:content>\n</col:collection>", ""))
        with pytest.raises(ReadError, match="not well-formed XML") as caught:
            read(tmp_path)
        assert caught.value.source == str(path)
        assert caught.value.line is not None

    def test_malformed_module(self, tmp_path: Path) -> None:
        small_book(tmp_path)
        path = tmp_path / "modules" / "m2" / "index.cnxml"
        path.write_text("<document><content><para>unclosed</content></document>")
        with pytest.raises(ReadError, match="not well-formed XML") as caught:
            read(tmp_path)
        assert caught.value.source == str(path)

    def test_module_reference_leaving_the_folder(self, tmp_path: Path) -> None:
        small_book(tmp_path)
        path = tmp_path / "collections" / "circuits.collection.xml"
        path.write_text(COLLXML.replace('document="m1"', 'document="../../etc"'))
        with pytest.raises(ReadError, match=r"'\.\./\.\./etc' is not a module id"):
            read(tmp_path)

    def test_entities_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "evil.cnxml"
        path.write_text(
            '<!DOCTYPE document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<document xmlns="http://cnx.rice.edu/cnxml">&x;</document>'
        )
        with pytest.raises(UnsafeContentError, match="entity"):
            READER.read(given(path))

    def test_two_books_in_one_folder(self, tmp_path: Path) -> None:
        small_book(tmp_path)
        shutil.copy(
            tmp_path / "collections" / "circuits.collection.xml",
            tmp_path / "collections" / "other.collection.xml",
        )
        with pytest.raises(ReadError, match="this folder holds 2 books"):
            read(tmp_path)

    def test_not_cnxml(self, tmp_path: Path) -> None:
        path = tmp_path / "x.xml"
        path.write_text("<html/>")
        with pytest.raises(ReadError, match="not a CNXML collection or document"):
            READER.read(given(path))
