"""The audit: every corpus item, every rule, the policy file, the report shapes and the CLI.

The findings expected from each corpus item were written down from reading the item (its files
and SOURCE.md), not from running the code; the comment on each says what in the item causes it.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import oerremix
from oerremix import Asset, Author, Change, Permission, Section, Work, audit
from oerremix.audit import (
    RULES,
    Finding,
    Policy,
    Report,
    format_html,
    format_json,
    format_text,
    load_policy,
)
from oerremix.cli import main
from oerremix.errors import ReadError
from oerremix.fetch import Fetcher
from oerremix.readers import Input
from oerremix.readers.commons import READER as COMMONS
from tests.httpserver import Reply, Routes

DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).parent.parent / "examples" / "dc-circuits-ontario"
REST = DATA / "pressbooks-rest-api"
WXR = DATA / "pressbooks-wxr-integration-test" / "Pressbooks-Integration-Testing-1537214020.xml"


def rules(report: Report, severity: str | None = None) -> Counter[str]:
    """How many findings of each rule (of one severity, or all)."""
    return Counter(f.rule for f in report.findings if severity in (None, f.severity))


def of(report: Report, rule: str) -> list[Finding]:
    return [f for f in report.findings if f.rule == rule]


def copy_without_source_md(name: str, tmp: Path) -> Path:
    """A corpus folder copied into ``tmp``, without our SOURCE.md (a reader would read it)."""
    target = tmp / name
    shutil.copytree(DATA / name, target, ignore=shutil.ignore_patterns("SOURCE.md"))
    return target


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    with Fetcher(cache_dir=tmp_path / "cache", allow_private=True, retries=0) as f:
        yield f


def _commons(title: str) -> Work:
    """A Wikimedia file read from its recorded API answer."""
    for recorded in json.loads((DATA / "mediawiki-api-responses/responses.json").read_text()):
        if "extmetadata" in recorded["url"] and title in recorded["url"]:
            body = recorded["body"]
            data = (body if isinstance(body, str) else json.dumps(body)).encode()
            return COMMONS.read(Input(recorded["url"], None, data, "application/json", None))
    raise LookupError(title)


# --- the corpus ----------------------------------------------------------------------------------
# Each report is computed once per module; the tests only read it.


@pytest.fixture(scope="module")
def openstax() -> Report:
    return audit(DATA / "openstax-university-physics-vol2")


@pytest.fixture(scope="module")
def diagnostik(tmp_path_factory: pytest.TempPathFactory) -> Report:
    tmp = tmp_path_factory.mktemp("diagnostik")
    return audit(copy_without_source_md("diagnostik-liascript-holz-raum-maler", tmp))


@pytest.fixture(scope="module")
def wxr() -> Report:
    return audit(WXR)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/dc-circuits-ontario built by oerremix (HTML and EPUB)."""
    folder = tmp_path_factory.mktemp("example") / "dc"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build", "*.lock.json"))
    oerremix.build(folder / "recipe.yaml", folder / "out", formats=["html", "epub"])
    return folder / "out"


class TestOpenStax:
    """University Physics Volume 2: CC BY-NC-SA 4.0, 17 figures, four credited to third
    parties in their captions with no licence (SOURCE.md lists them)."""

    def test_book(self, openstax: Report) -> None:
        assert (openstax.license, openstax.license_status) == ("CC-BY-NC-SA-4.0", "found")
        book = openstax.item("book")
        assert book.basis == "stated"
        # the collection's md:license, the README and the LICENSE: every statement is kept
        assert {e.where.split()[0] for e in book.evidence} >= {"README.md,", "LICENSE,"}

    def test_third_party_figures_have_no_licence(self, openstax: Report) -> None:
        missing = {f.location.element for f in of(openstax, "license-missing")}
        assert missing == {
            '<img src="../../media/CNX_UPhysics_27_03_Voltage.jpg">',
            '<img src="../../media/CNX_UPhysics_27_03_Tester.jpg">',
            '<img src="../../media/CNX_UPhysics_27_04_Voltmeters.jpg">',
            '<img src="../../media/CNX_UPhysics_27_04_DigAn.jpg">',
        }
        voltage = next(f for f in of(openstax, "license-missing") if "Voltage" in str(f.location))
        assert voltage.location.section == "m58453"
        assert "modification of work by Stig Nygaard" in voltage.message
        assert voltage.severity == "error"

    def test_own_figures_carry_the_book_licence(self, openstax: Report) -> None:
        assets = [i for i in openstax.items if i.kind == "asset"]
        inherited = [i for i in assets if i.basis == "inherited"]
        assert len(assets) == 17 and len(inherited) == 13
        assert {i.license for i in inherited} == {"CC-BY-NC-SA-4.0"}
        # "modification of work by …": the credit says the photo was changed
        voltage = next(i for i in assets if "Voltage" in (i.title or ""))
        assert voltage.changes is None  # no licence: what it requires is unknown
        assert voltage.credit is not None and "modification of work" in voltage.credit

    def test_everything_else(self, openstax: Report) -> None:
        assert rules(openstax) == Counter(
            {
                "license-missing": 4,  # the four credited figures
                "creator-missing": 1,  # the repository names no author or rights holder
                "content-unreadable": 1,  # most modules are absent from the test copy
            }
        )
        assert of(openstax, "creator-missing")[0].severity == "warning"
        assert openstax.verdict.undetermined == ("asset:2", "asset:9", "asset:12", "asset:15")
        assert openstax.verdict.may_carry is None  # nothing else in it constrains the choice

    def test_commercial_policy(self) -> None:
        report = audit(DATA / "openstax-university-physics-vol2", policy=Policy(allow_nc=False))
        nc = of(report, "nc-commercial")
        assert [f.item for f in nc] == ["book"]
        assert "offered for commercial use" in nc[0].message


class TestLessons:
    """Lessons In Electric Circuits: LICENSE.md is the Design Science License, both READMEs say
    "the Creative Commons License", appendix A3 says CC BY 4.0."""

    def test_contradiction(self, tmp_path: Path) -> None:
        report = audit(copy_without_source_md("lessons-in-electric-circuits-ref-md", tmp_path))
        assert (report.license, report.license_status) == (None, "conflict")
        (conflict,) = of(report, "license-conflict")
        assert conflict.severity == "error" and conflict.item == "book"
        assert "LICENSE.md says Design Science License" in conflict.message
        assert "README.md says “Creative Commons License” (a Creative Commons" in conflict.message
        assert "src_pandoc/Ref/REF_A3.md says CC BY 4.0" in conflict.message
        assert "LICENSE.md" in str(conflict.location)
        # the figures state nothing: they are the book's, whose licence is unknown
        assert rules(report) == Counter({"license-conflict": 1, "license-assumed": 10})
        assumed = of(report, "license-assumed")[0]
        assert assumed.location.file == "src_pandoc/Ref/REF_10.md"
        assert assumed.location.element is not None and assumed.location.element.startswith("<img")

    def test_a_decision_settles_it(self, tmp_path: Path) -> None:
        work = oerremix.read(
            copy_without_source_md("lessons-in-electric-circuits-ref-md", tmp_path)
        )
        decided = work.replace(
            permissions=(
                Permission(
                    granted_by="Ana Silva",
                    granted_to=None,
                    scope="the whole volume",
                    date="2026-11-29",
                    evidence_url=None,
                    basis="Appendix A3 states CC BY 4.0.",
                    kind="decision",
                    license="CC-BY-4.0",
                ),
            )
        )
        report = audit(decided)
        assert report.license == "CC-BY-4.0" and report.item("book").basis == "decided"
        assert rules(report, "error") == Counter()
        assert "Appendix A3" in of(report, "license-decided")[0].message


class TestDiAgnostiK:
    """A CC0 repository whose course shows a CC BY-SA 4.0 title image by Martin Vorel and
    images credited to Pixabay, HWK Dresden, a company site and an AI, with no licence."""

    def test_title_image(self, diagnostik: Report) -> None:
        logo = next(i for i in diagnostik.items if i.license == "CC-BY-SA-4.0")
        assert logo.basis == "stated"
        assert logo.credit is not None and "Martin Vorel" in logo.credit
        assert logo.attribution is not None and logo.attribution.complete  # 4.0: no title needed
        assert logo.attribution.found_in == ("caption",)

    def test_credited_without_licence(self, diagnostik: Report) -> None:
        missing = of(diagnostik, "license-missing")
        assert len(missing) == 19  # every image of both courses but the title image
        said = " ".join(f.message for f in missing)
        for credit in (
            "Pixabay, antmoreton",
            "Pixabay, geralt",
            "Quelle Titlebild: pixabay",
            "HWK Dresden, Florian Riefling",
            "Sudenn Holzbearbeitung",
            "KI generiert",
        ):
            assert credit in said, credit
        assert all(f.severity == "error" for f in missing)

    def test_cc0_cannot_cover_the_title_image(self, diagnostik: Report) -> None:
        (declared,) = of(diagnostik, "declared-license-not-allowed")
        assert declared.severity == "warning"  # a collection: fine once the image is marked
        assert "CC0 1.0" in declared.message and "“Title image” (CC BY-SA 4.0)" in declared.message
        assert "except where otherwise noted" in declared.fix
        assert diagnostik.verdict.declared_allowed is False
        assert diagnostik.verdict.collection is not None
        assert "CC-BY-SA-4.0" in diagnostik.verdict.collection.may_license_as
        assert rules(diagnostik) == Counter(
            {"license-missing": 19, "declared-license-not-allowed": 1}
        )

    def test_one_course_alone(self) -> None:
        # read alone, the course states no licence: its only statement is the image's credit
        diagnostik = audit(DATA / "diagnostik-liascript-holz-raum-maler/courses/Holzarten_01.md")
        assert diagnostik.license is None
        assert of(diagnostik, "license-missing")[0].item == "book"


def test_ebooklib_epub() -> None:
    # EbookLib's test book: no dc:rights, no licence metadata, no images
    report = audit(DATA / "ebooklib-test-epub3" / "test01.epub")
    assert rules(report) == Counter({"license-missing": 1})
    assert of(report, "license-missing")[0].item == "book"
    assert [i.id for i in report.items] == [
        "book",
        "section:nav",
        "section:chapter_0",
        "section:chapter_1",
    ]


class TestPressbooksExport:
    """The WXR export: pb_book_license public-domain (Pressbooks' Public Domain Mark), every
    section cloned from pbtest.pressbooks.com, trombone.jpg credited with no licence."""

    def test_public_domain_book(self, wxr: Report) -> None:
        assert wxr.license == "CC-PDM-1.0"
        (claim,) = of(wxr, "public-domain-claim")
        assert claim.item == "book" and claim.severity == "warning"
        assert "Public Domain Mark 1.0" in claim.message and "CC0 1.0" in claim.fix
        assert "pb_book_license" in str(claim.location)

    def test_media(self, wxr: Report) -> None:
        trombone = next(f for f in of(wxr, "license-missing") if f.location.section)
        assert trombone.location.section == "chapter-26"
        assert "Test Image © Test Image Author" in trombone.message
        monkey = next(i for i in wxr.items if i.title == "monkey")
        assert (monkey.basis, monkey.license) == ("inherited", "CC-PDM-1.0")

    def test_cloned_sections(self, wxr: Report) -> None:
        sources = [f for f in of(wxr, "license-missing") if f.item and f.item.startswith("source:")]
        assert len(sources) == 9
        assert all("pbtest.pressbooks.com" in str(f.location) for f in sources)
        # the default cover (pb_cover_image) is outside the book's licence: flagged as such
        assert rules(wxr) == Counter(
            {"license-missing": 10, "public-domain-claim": 1, "trademark": 1}
        )


class TestPressbooksApi:
    """Saved REST API answers of three books."""

    def test_toc_with_mixed_licences(self) -> None:
        # 32 sections CC0, chapter 64 CC BY 4.0, chapter 60 the Public Domain Mark; no book licence
        report = audit(REST / "pb_toc1.json")
        (unclear,) = of(report, "license-unclear")
        assert "CC BY 4.0, PDM 1.0, CC0 1.0" in unclear.message
        (mark,) = of(report, "public-domain-claim")
        assert mark.location.section == "chapter-60"
        sections = {i.id: i for i in report.items if i.kind == "section"}
        assert sections["section:chapter-64"].license == "CC-BY-4.0"
        assert sections["section:chapter-64"].evidence[0].where.startswith("toc chapter 64")
        assert rules(report) == Counter({"license-unclear": 1, "public-domain-claim": 1})

    def test_cloned_handbook(self) -> None:
        # CC BY-NC-SA 4.0, every section cloned from "programhandbook" with no licence stated
        report = audit(REST / "pb_toc2.json")
        assert report.license == "CC-BY-NC-SA-4.0"
        assert rules(report) == Counter({"license-missing": 23})
        assert {f.item for f in report.findings} == {f"source:{n}" for n in range(1, 24)}
        assert "programhandbook" in report.findings[0].location.file  # type: ignore[operator]

    def test_chapter_without_licence(self) -> None:
        # license: [] and pb_section_license "": no licence; its three images are the book's
        # own uploads (listed by title only in Media Attributions)
        report = audit(REST / "pb_chapters.json")
        assert rules(report) == Counter({"license-missing": 1, "license-assumed": 3})
        assert of(report, "license-missing")[0].item == "book"
        assert {f.location.section for f in of(report, "license-assumed")} == {"chapter-5"}

    def test_chapter_metadata(self) -> None:
        # CC BY 4.0 with its author: nothing to report
        report = audit(REST / "pb_chapter_5_metadata.json")
        assert report.findings == () and not report.fails("warning")

    def test_book_from_its_address(self, routes: Routes, fetcher: Fetcher) -> None:
        # The handbook served whole (table of contents, /metadata, media library, chapter 24),
        # as tests/test_reader_pressbooks.py serves it; other chapters answer 404.
        book = DATA / "pressbooks-rest-api-book"
        api = "/2023prehealth/wp-json/pressbooks/v2/"
        routes.add(api + "toc", Reply(body=(REST / "pb_toc2.json").read_bytes()))
        routes.add(api + "metadata", Reply(body=(book / "metadata.json").read_bytes()))
        routes.add(
            "/2023prehealth/wp-json/wp/v2/media?per_page=100&page=1",
            Reply(body=(book / "media.json").read_bytes()),
        )
        chapter = json.loads((REST / "pb_chapters.json").read_text(encoding="utf-8"))[0]
        routes.add(api + "chapters/24", Reply(body=json.dumps(chapter).encode()))
        seen: list[str] = []
        report = audit(routes.url(api + "toc"), fetcher=fetcher, progress=seen.append)
        assert report.license == "CC-BY-NC-SA-4.0"
        assets = {i.title: i for i in report.items if i.kind == "asset"}
        # "Stethoscope © A. Photographer … CC BY-SA": complete, and kept unchanged (a collection)
        stethoscope = assets["Stethoscope"]
        assert stethoscope.license == "CC-BY-SA-4.0"
        assert stethoscope.attribution is not None and stethoscope.attribution.complete
        assert assets["Campus map"].basis == "inherited"
        # "Lab safety poster © Health Sciences Office adapted by Gina Marshall": no licence
        lab = next(f for f in of(report, "license-missing") if f.item and "asset" in f.item)
        assert "Lab safety poster" in lab.message
        assert report.item(lab.item or "").changes is None
        assert not of(report, "sa-incompatible")  # the BY-SA photo is not adapted
        assert report.verdict.collection is not None
        assert report.verdict.declared_allowed is True
        assert of(report, "content-unreadable")[0].message.startswith("30 of 31 sections")
        assert any(m.startswith("[31/31]") for m in seen)


class TestWikimedia:
    """Recorded MediaWiki answers: three licensed files and a "PD-alt-100" one."""

    @pytest.mark.parametrize("title", ["Apple_Lisa2", "Foobar.jpg", "Helene_Fischer"])
    def test_licensed_files_are_clean(self, title: str) -> None:
        report = audit(_commons(title))
        assert report.findings == ()
        (image,) = [i for i in report.items if i.kind == "asset"]
        if image.attribution is not None:  # CC0 needs none
            assert image.attribution.complete
            assert "metadata" in image.attribution.found_in

    def test_title_required_before_4(self) -> None:
        # CC BY-SA 2.0 FR: the title is part of a complete credit
        image = next(i for i in audit(_commons("Apple_Lisa2")).items if i.kind == "asset")
        assert image.attribution is not None
        assert image.attribution.required == ("creator", "title", "license", "source")

    def test_public_domain_template(self) -> None:
        report = audit(_commons("1_FC_Bamberg"))
        assert rules(report) == Counter(
            {"license-unclear": 1, "license-missing": 1, "public-domain-claim": 1}
        )
        assert "PD-alt-100" in of(report, "public-domain-claim")[0].message


def test_cc2olx_cartridge() -> None:
    # LOM rights "Public Domain - http://en.wikipedia.org/wiki/Public_domain", Canvas "public";
    # a Kaltura player embedded from another site; one item points at a missing resource
    report = audit(DATA / "cc2olx-imscc-fixtures" / "imscc_files" / "main")
    assert rules(report) == Counter(
        {
            "license-missing": 2,  # the course, and the Kaltura embed
            "public-domain-claim": 1,  # "Public Domain" in words
            "content-unreadable": 1,  # external_tool
            "license-assumed": 2,  # fractal.jpg and elearning.png state nothing
        }
    )
    book = next(f for f in of(report, "license-missing") if f.item == "book")
    assert "Public Domain - http://en.wikipedia.org/wiki/Public_domain" in book.message
    embed = next(f for f in of(report, "license-missing") if f.item != "book")
    assert "hosted elsewhere" in embed.message


def test_cc2olx_corner_cases() -> None:
    # no rights at all; web_resources/migration_patterns.html is named but not in the folder
    report = audit(DATA / "cc2olx-imscc-fixtures" / "imscc_files" / "corner_cases")
    assert rules(report) == Counter({"license-missing": 1, "content-unreadable": 1})
    assert "migration_patterns" in of(report, "content-unreadable")[0].message


def test_pressbooks_default_cover(wxr: Report) -> None:
    assert of(wxr, "trademark")


class TestOwnPackage:
    """A package oerremix built (examples/dc-circuits-ontario) audits clean."""

    def test_epub(self, built: Path) -> None:
        (epub,) = (built / "epub").glob("*.epub")
        report = audit(epub)
        assert not report.fails("warning"), format_text(report)
        assert report.verdict.declared_allowed is True
        assert report.verdict.may_carry == ("CC-BY-NC-SA-4.0",)
        sources = [i for i in report.items if i.kind == "source"]
        assert [i.license for i in sources] == ["CC-BY-NC-SA-4.0", "CC-BY-4.0"]
        for source in sources:
            assert source.attribution is not None and source.attribution.complete
            assert source.changes is not None and source.changes.indicated

    def test_every_html_page(self, built: Path) -> None:
        pages = sorted((built / "html").glob("*.html"))
        assert len(pages) == 5
        for page in pages:
            report = audit(page)
            assert not report.fails("warning"), format_text(report)
            assert report.verdict.declared_allowed is True, page.name
        # the chapter pages name their sources' licences only in the footer's ccREL notice
        chapter = audit(built / "html" / "series-parallel.html")
        assert {i.basis for i in chapter.items if i.kind == "source"} == {"credits"}

    def test_an_edited_nd_file_is_caught(self, built: Path, tmp_path: Path) -> None:
        site = tmp_path / "site"
        shutil.copytree(built / "html", site)
        work = oerremix.read(site / "series-parallel.html")
        image = work.assets[0]
        (site / image.source).write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)  # "cropped"
        nd = work.replace(
            assets=(
                image.replace(
                    license="CC-BY-ND-4.0", authors=(Author("X"),), credit="By X, CC BY-ND 4.0"
                ),
            )
        )
        report = audit(nd)
        (modified,) = of(report, "nd-modified")
        assert "not the one recorded when the package was built" in modified.message
        assert of(report, "changes-not-indicated")[0].item == "asset:1"


# --- each rule, on small works ----------------------------------------------------------------


def book(*assets: Asset, **fields: object) -> Work:
    values: dict[str, object] = {
        "title": "Soils",
        "license": "CC-BY-4.0",
        "authors": (Author("Ana Silva"),),
        "assets": assets,
    }
    values.update(fields)
    return Work(**values)  # type: ignore[arg-type]


def photo(license: str | None = "CC-BY-4.0", **fields: object) -> Asset:
    values: dict[str, object] = {
        "kind": "image",
        "source": "https://example.org/photos/soil.jpg",
        "title": "Soil profile",
        "authors": (Author("Lee Wong"),),
        "license": license,
        "credit": f"Soil profile by Lee Wong, {license}",
    }
    values.update(fields)
    return Asset(**values)  # type: ignore[arg-type]


class TestRules:
    def test_clean(self) -> None:
        report = audit(book(photo()))
        assert report.findings == ()
        assert report.verdict.declared_allowed is True

    def test_noncommercial_item_in_a_commercial_book(self) -> None:
        report = audit(book(photo("CC-BY-NC-4.0")))
        (nc,) = of(report, "nc-commercial")
        assert nc.item == "asset:1" and "CC BY 4.0 allows commercial use" in nc.message

    def test_noncommercial_book_may_hold_nc_items(self) -> None:
        report = audit(book(photo("CC-BY-NC-4.0"), license="CC-BY-NC-4.0"))
        assert not of(report, "nc-commercial")
        assert of(
            audit(
                book(photo("CC-BY-NC-4.0"), license="CC-BY-NC-4.0"), policy=Policy(allow_nc=False)
            ),
            "nc-commercial",
        )

    def test_nd_item_declared_changed(self) -> None:
        cropped = photo("CC-BY-ND-4.0", changes=(Change("Cropped"),))
        report = audit(book(cropped))
        (nd,) = of(report, "nd-modified")
        assert "NoDerivatives" in nd.message and nd.severity == "error"
        assert report.item("asset:1").changes is not None
        assert report.item("asset:1").changes.indicated  # type: ignore[union-attr]

    def test_nd_item_whose_credit_says_modified(self) -> None:
        report = audit(
            book(photo("CC-BY-ND-4.0", credit="Modified from a photo by Lee Wong, CC BY-ND 4.0"))
        )
        assert of(report, "nd-modified")

    def test_nd_source_adapted(self) -> None:
        source = Work(
            title="Rocks",
            url="https://example.org/rocks",
            license="CC-BY-ND-4.0",
            authors=(Author("Kim"),),
        )
        report = audit(book(based_on=(source,), kind="adaptation", changes=(Change("Shortened"),)))
        assert [f.item for f in of(report, "nd-modified")] == ["source:1"]
        assert report.verdict.adaptation is not None and not report.verdict.adaptation.allowed
        assert of(report, "declared-license-not-allowed")[0].severity == "error"

    def test_share_alike_source_adapted(self) -> None:
        source = Work(
            title="Rocks",
            url="https://example.org/rocks",
            license="CC-BY-SA-4.0",
            authors=(Author("Kim"),),
        )
        report = audit(book(based_on=(source,), changes=(Change("Shortened"),)))
        (sa,) = of(report, "sa-incompatible")
        assert sa.item == "source:1" and "is adapted by the book" in sa.message
        assert report.verdict.may_carry == ("CC-BY-SA-4.0",)
        assert (
            audit(
                book(based_on=(source,), changes=(Change("Shortened"),), license="CC-BY-SA-4.0")
            ).findings
            == ()
        )

    def test_noncommercial_source(self) -> None:
        source = Work(
            title="Rocks",
            url="https://example.org/rocks",
            license="CC-BY-NC-4.0",
            authors=(Author("Kim"),),
        )
        report = audit(book(based_on=(source,), changes=(Change("Shortened"),)))
        assert [f.item for f in of(report, "nc-commercial")] == ["source:1"]

    def test_nd_unchanged_is_fine(self) -> None:
        assert audit(book(photo("CC-BY-ND-4.0"))).findings == ()

    def test_share_alike_changed_into_a_by_book(self) -> None:
        report = audit(book(photo("CC-BY-SA-4.0", changes=(Change("Labels translated"),))))
        (sa,) = of(report, "sa-incompatible")
        assert "CC BY 4.0 cannot carry it" in sa.message and "CC BY-SA 4.0" in sa.fix
        assert report.verdict.adaptation is not None
        assert report.verdict.adaptation.may_license_as[0] == "CC-BY-SA-4.0"

    def test_share_alike_unchanged_is_a_collection_item(self) -> None:
        report = audit(book(photo("CC-BY-SA-4.0")))
        assert not of(report, "sa-incompatible") and report.verdict.declared_allowed is True

    def test_attribution_title_before_4(self) -> None:
        report = audit(book(photo("CC-BY-3.0", title=None, credit="By Lee Wong, CC BY 3.0")))
        (incomplete,) = of(report, "attribution-incomplete")
        assert "the title" in incomplete.message and "CC BY 3.0" in incomplete.message
        check = report.item("asset:1").attribution
        assert check is not None and check.missing == ("title",)

    def test_attribution_no_title_needed_in_4(self) -> None:
        report = audit(book(photo(title=None, credit="By Lee Wong, CC BY 4.0")))
        assert report.findings == ()

    def test_attribution_without_creator(self) -> None:
        report = audit(book(photo(authors=(), credit="CC BY 4.0")))
        assert "the creator's name" in of(report, "attribution-incomplete")[0].message

    def test_attribution_in_a_credits_section(self) -> None:
        # the credit is not next to the image but in the book's credits page, which names it
        from oerremix.document import Document, SectionContent

        sections = (Section(id="ch1", title="Soils"), Section(id="credits", title="Image credits"))
        pages = {
            "ch1": '<p>Text.</p><img src="img/profile.jpg" alt="">',
            "credits": "<ul><li>profile.jpg: “Soil profile” by Lee Wong, "
            '<a href="https://example.org/soil">source</a>, '
            '<a rel="license" href="https://creativecommons.org/licenses/by/3.0/">CC BY 3.0</a></li></ul>',
        }
        image = Asset("image", "img/profile.jpg")
        work = book(image, sections=sections)
        object.__setattr__(
            work, "content", Document(sections, lambda s: SectionContent(s, pages[s.id], base=""))
        )
        report = audit(work)
        item = report.item("asset:1")
        assert (item.license, item.basis) == ("CC-BY-3.0", "credits")
        assert item.attribution is not None and item.attribution.complete
        assert item.attribution.found_in == ("credits",)
        assert item.location.section == "ch1"
        assert report.findings == ()

    def test_source_link(self) -> None:
        local = photo(
            source="img/soil.jpg", authors=(Author("Lee Wong"),), credit="By Lee Wong, CC BY 4.0"
        )
        (finding,) = audit(book(local)).findings
        assert (finding.rule, finding.severity) == ("source-link-missing", "warning")

    def test_changes_not_indicated(self) -> None:
        source = Work(
            title="Rocks",
            url="https://example.org/rocks",
            license="CC-BY-4.0",
            authors=(Author("Kim"),),
        )
        report = audit(book(based_on=(source,), kind="adaptation"))
        (changes,) = of(report, "changes-not-indicated")
        assert changes.item == "book" and "CC BY 4.0" in changes.message
        assert audit(book(based_on=(source,), changes=(Change("Shortened"),))).findings == ()

    def test_changes_stated_in_the_book(self) -> None:
        from oerremix.document import Document, SectionContent

        source = Work(
            title="Rocks",
            url="https://example.org/rocks",
            license="CC-BY-4.0",
            authors=(Author("Kim"),),
        )
        sections = (Section(id="ch1", title="Genes"),)

        def with_text(text: str) -> Work:
            work = book(based_on=(source,), sections=sections)
            object.__setattr__(
                work, "content", Document(sections, lambda s: SectionContent(s, text, base=""))
            )
            return work

        # "modified" in the body says nothing about the book's own changes
        unsaid = audit(with_text("<p>The gene was modified in 1990.</p>"))
        assert [f.rule for f in unsaid.findings] == ["changes-not-indicated"]
        said = audit(with_text("<p>Adapted from “Rocks” by Kim; examples localised.</p>"))
        assert said.findings == ()

    def test_unknown_asset_licence(self) -> None:
        report = audit(book(photo("Soil Lab Licence 1")))
        assert [(f.rule, f.item) for f in report.findings] == [("license-unclear", "asset:1")]
        assert report.item("asset:1").license_label == "Unknown (Soil Lab Licence 1)"

    def test_uploader_in_the_credit(self) -> None:
        report = audit(book(photo(credit="Soil profile, uploaded by SoilFan, CC BY 4.0")))
        assert "uploaded by SoilFan" in of(report, "uploader-credited")[0].message

    def test_public_domain_mislabelled_as_cc0(self) -> None:
        report = audit(book(photo("CC0-1.0", credit="Soil profile (public domain), Wikimedia")))
        (mislabel,) = of(report, "public-domain-mislabelled")
        assert "public domain" in mislabel.message and mislabel.severity == "error"
        assert not of(
            audit(book(photo("CC0-1.0", credit="Soil profile, CC0 (public domain)"))),
            "public-domain-mislabelled",
        )

    def test_public_domain_claim_without_licence(self) -> None:
        report = audit(book(photo(None, credit="Public domain, via Wikimedia Commons")))
        assert of(report, "public-domain-claim") and not of(report, "license-missing")
        assert report.verdict.undetermined == ("asset:1",)

    def test_trademark(self) -> None:
        logo = Asset("image", "img/logo.png", title="Logo", trademark=True)
        assert [f.rule for f in audit(book(logo)).findings] == ["trademark"]
        cover = Asset(
            "image", "OEBPS/cover.jpg", title="cover", license="CC-BY-4.0", license_inherited=True
        )
        assert [f.rule for f in audit(book(cover)).findings] == ["trademark"]

    @pytest.mark.parametrize(
        ("mode", "credit", "severity"),
        [
            ("forbidden", "Map © Atlas Inc., used under fair dealing", "error"),
            ("allowed_with_note", None, "warning"),
            ("allowed_with_note", "Map © Atlas Inc., used under fair dealing", "info"),
            ("allowed", None, "info"),
        ],
    )
    def test_fair_dealing(self, mode: str, credit: str | None, severity: str) -> None:
        item = Asset("image", "img/map.png", license="FAIR-DEALING", credit=credit)
        report = audit(book(item), policy=Policy(fair_dealing=mode))  # type: ignore[arg-type]
        assert [(f.rule, f.severity) for f in report.findings] == [("fair-dealing", severity)]

    def test_used_with_and_without_permission(self) -> None:
        item = Asset("image", "img/map.png", license="ALL-RIGHTS-RESERVED", credit="© Atlas")
        assert of(audit(book(item)), "not-openly-licensed")[0].severity == "error"
        granted = item.replace(
            permissions=(Permission("Atlas Inc.", None, "this map, online", "2024", None),)
        )
        assert of(audit(book(granted)), "not-openly-licensed")[0].severity == "info"

    def test_unknown_book_licence_id(self) -> None:
        report = audit(book(license="House Licence 2"))
        assert "House Licence 2" in of(report, "license-unclear")[0].message

    def test_section_licence(self) -> None:
        report = audit(
            book(sections=(Section("1", "Intro"), Section("2", "Data", license="CC-BY-SA-4.0")))
        )
        (own,) = of(report, "section-license")
        assert own.location.section == "2" and "CC BY-SA 4.0" in own.message

    def test_policy_target(self) -> None:
        report = audit(
            book(photo("CC-BY-SA-4.0", changes=(Change("Recoloured"),))),
            policy=Policy(target="CC-BY-4.0"),
        )
        assert {f.message.split(";")[0] for f in of(report, "policy-target")} == {
            "The policy requires CC BY 4.0, which the material in the book does not allow "
            "(it allows CC BY-SA 4.0)."
        }
        report = audit(book(license="CC-BY-SA-4.0"), policy=Policy(target="CC-BY-4.0"))
        assert of(report, "policy-target")[0].message.startswith("The policy requires CC BY 4.0;")

    def test_policy_severity_and_ignore(self) -> None:
        work = book(photo(source="img/soil.jpg", credit="By Lee Wong, CC BY 4.0"))
        raised = audit(work, policy=Policy(severity=(("source-link-missing", "error"),)))
        assert raised.findings[0].severity == "error" and raised.fails("error")
        assert audit(work, policy=Policy(ignore=("source-link-missing",))).findings == ()

    def test_every_rule_has_its_words(self) -> None:
        from oerremix.audit import _messages

        assert set(_messages()) == set(RULES)
        for variants in _messages().values():
            for words in variants.values():
                assert set(words) == {"message", "fix"}


class TestOnline:
    """``check_links``: dead links, and who the author of a Commons file is."""

    def test_dead_links(self, routes: Routes, fetcher: Fetcher) -> None:
        routes.add("/photos/soil.jpg", Reply(body=b"GIF89a"))
        routes.add("/gone.jpg", Reply(404, b"gone"))
        work = book(
            photo(source=routes.url("/photos/soil.jpg")),
            photo(source=routes.url("/gone.jpg"), title="Gone"),
        )
        report = audit(work, fetcher=fetcher, check_links=True)
        (dead,) = of(report, "link-dead")
        assert dead.item == "asset:2" and "HTTP 404" in dead.message
        assert not of(audit(work), "link-dead")  # offline unless asked

    def test_commons_file_credited_to_its_uploader(self, routes: Routes, fetcher: Fetcher) -> None:
        # the recorded answer for File:Foobar.jpg (Artist: Kaldari), with the uploader field
        # MediaWiki adds when iiprop asks for "user"
        answer = json.loads(json.dumps(_answer("Foobar.jpg")))
        info = next(iter(answer["query"]["pages"].values()))["imageinfo"][0]
        info["user"] = "SomeUploader"
        routes.add("/w/api.php", Reply(body=json.dumps(answer).encode()))
        page = routes.url("/wiki/File:Foobar.jpg")
        uploader = Asset(
            "image", page, title="Foobar", license="CC0-1.0", credit="Foobar by SomeUploader, CC0"
        )
        artist = uploader.replace(credit="Foobar by Kaldari, CC0")
        report = audit(book(uploader, artist), fetcher=fetcher, check_links=True)
        (credited,) = of(report, "uploader-credited")
        assert credited.item == "asset:1"
        assert "SomeUploader, who uploaded it; its author is Kaldari" in credited.message
        asked = [r.path for r in routes.log() if "api.php" in r.path]
        assert asked and "iiprop=user%7Cextmetadata" in asked[0]


def _answer(title: str) -> dict[str, object]:
    for recorded in json.loads((DATA / "mediawiki-api-responses/responses.json").read_text()):
        if "extmetadata" in recorded["url"] and title in recorded["url"]:
            body = recorded["body"]
            return json.loads(body) if isinstance(body, str) else dict(body)
    raise LookupError(title)


# --- the policy file ------------------------------------------------------------------------------


class TestPolicy:
    def test_read(self, tmp_path: Path) -> None:
        path = tmp_path / "policy.yaml"
        path.write_text(
            "target: CC BY 4.0\nallow_nc: false\nfair_dealing: forbidden\n"
            "fail_on: warning\nignore: [link-dead]\n",
            encoding="utf-8",
        )
        policy = load_policy(path)
        assert policy == Policy(
            target="CC-BY-4.0",
            allow_nc=False,
            fair_dealing="forbidden",
            fail_on="warning",
            ignore=("link-dead",),
            source=str(path),
        )

    def test_every_problem_with_its_line(self, tmp_path: Path) -> None:
        path = tmp_path / "policy.yaml"
        path.write_text(
            "target: CC-BY-4\nallow_nc: maybe\nfairdealing: allowed\n", encoding="utf-8"
        )
        with pytest.raises(ReadError) as info:
            load_policy(path)
        text = str(info.value)
        assert "invalid policy, 3 problems" in text
        assert f"{path}:1: target: unknown licence 'CC-BY-4'; did you mean CC-BY-4.0?" in text
        assert f"{path}:2: allow_nc: expected true or false, got 'maybe'" in text
        assert f"{path}:3: fairdealing: unknown key; did you mean 'fair_dealing'?" in text

    def test_audit_takes_a_policy_file_s_path(self, tmp_path: Path) -> None:
        path = tmp_path / "policy.yaml"
        path.write_text("target: CC-BY-4.0\nallow_nc: false\n", encoding="utf-8")
        book = REST / "pb_chapter_5_metadata.json"
        assert audit(book, policy=path).policy == audit(book, policy=load_policy(path)).policy
        assert audit(book, policy=str(path)).policy.target == "CC-BY-4.0"
        with pytest.raises(TypeError, match="policy must be a Policy or a path, not dict"):
            audit(book, policy={"target": "CC-BY-4.0"})  # type: ignore[arg-type]

    def test_bad_yaml(self, tmp_path: Path) -> None:
        path = tmp_path / "policy.yaml"
        path.write_text("target: [\n", encoding="utf-8")
        with pytest.raises(ReadError, match="not valid YAML") as info:
            load_policy(path)
        assert info.value.line == 2

    def test_the_documented_policy(self, tmp_path: Path) -> None:
        import re

        docs = (Path(__file__).parent.parent / "docs" / "audit.md").read_text(encoding="utf-8")
        block = re.search(r"```yaml\n(# policy.yaml.*?)```", docs, re.DOTALL)
        assert block is not None
        (tmp_path / "policy.yaml").write_text(block.group(1), encoding="utf-8")
        policy = load_policy(tmp_path / "policy.yaml")
        assert (policy.target, policy.allow_nc, policy.ignore) == (
            "CC-BY-4.0",
            False,
            ("link-dead",),
        )

    def test_empty(self, tmp_path: Path) -> None:
        (tmp_path / "p.yaml").write_text("", encoding="utf-8")
        assert load_policy(tmp_path / "p.yaml") == Policy(source=str(tmp_path / "p.yaml"))


# --- the report ----------------------------------------------------------------------------------


class TestReport:
    def test_json_shape(self) -> None:
        report = audit(book(photo("CC-BY-NC-4.0")))
        data = json.loads(format_json(report))
        assert list(data) == [
            "audit",
            "source",
            "title",
            "license",
            "license_status",
            "summary",
            "verdict",
            "license_mix",
            "policy",
            "items",
            "findings",
        ]
        assert data["summary"] == {
            "error": 1,
            "warning": 1,
            "info": 0,
            "sections": 0,
            "assets": 1,
            "sources": 0,
        }
        assert list(data["findings"][0]) == [
            "rule",
            "severity",
            "message",
            "fix",
            "location",
            "item",
        ]
        assert list(data["findings"][0]["location"]) == ["file", "section", "element"]
        assert list(data["items"][1]) == [
            "id",
            "kind",
            "title",
            "location",
            "license",
            "license_label",
            "basis",
            "evidence",
            "credit",
            "attribution",
            "changes",
        ]
        assert list(data["verdict"]) == [
            "declared",
            "may_carry",
            "declared_allowed",
            "adaptation",
            "collection",
            "undetermined",
        ]
        assert data["license_mix"] == [{"license": "CC BY-NC 4.0", "count": 1}]

    def test_text(self) -> None:
        text = format_text(audit(book(photo("CC-BY-NC-4.0"))))
        assert "findings: 1 errors, 1 warnings, 0 info" in text
        assert "error: nc-commercial: Soils, image https://example.org/photos/soil.jpg" in text
        assert "  fix: " in text

    def test_html_is_safe(self) -> None:
        from lxml import html

        evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
        work = book(photo(credit=evil, title=evil), title=evil)
        page = format_html(audit(work))
        assert "<script>" not in page and "onerror=alert" not in page.replace(
            "onerror=alert(2)&gt;", ""
        )
        tree = html.document_fromstring(page)
        assert not tree.xpath("//script") and not tree.xpath("//@onerror")
        csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]
        assert evil in tree.xpath("string(//p[@class='book'])")
        assert not tree.xpath("//*[@href][starts-with(@href, 'javascript')]")

    def test_fails(self) -> None:
        report = audit(book(photo(source="img/a.jpg", credit="By Lee Wong, CC BY 4.0")))
        assert not report.fails("error") and report.fails("warning")


# --- the command line ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class TestCli:
    def test_clean_book_exits_0(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, "audit", str(REST / "pb_chapter_5_metadata.json"))
        assert code == 0 and "findings: 0 errors, 0 warnings, 0 info" in out

    def test_findings_exit_1(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = run(capsys, "audit", str(DATA / "ebooklib-test-epub3" / "test01.epub"))
        assert code == 1 and "error: license-missing" in out
        assert "oerremix: [3/3] chapter_1 About this book" in err  # progress, on stderr

    def test_progress_of_a_path_with_one_slash(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # "reading book/test01.epub" is not a counted step "[n/total]": it once crashed the CLI
        (tmp_path / "book").mkdir()
        shutil.copy(DATA / "ebooklib-test-epub3" / "test01.epub", tmp_path / "book")
        monkeypatch.chdir(tmp_path)
        code, out, err = run(capsys, "audit", "book/test01.epub")
        assert code == 1 and "error: license-missing" in out
        assert "oerremix: reading book/test01.epub\n" in err and "Traceback" not in err

    def test_fail_on_warning(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        path = copy_without_source_md("diagnostik-liascript-holz-raum-maler", tmp_path)
        course = path / "courses" / "Holzarten_01.md"
        text = course.read_text(encoding="utf-8")
        course.write_text(
            text.replace("_Quelle: Pixabay", "_Quelle: Pixabay, CC0 1.0"), encoding="utf-8"
        )
        (path / "courses" / "Raumausstatter_Holzverbindungen.md").unlink()
        code, out, _ = run(capsys, "audit", "-q", str(path))
        assert code == 0, out  # only the warning about CC0 and the BY-SA title image is left
        code, _, _ = run(capsys, "audit", "-q", "--fail-on", "warning", str(path))
        assert code == 1

    def test_json_and_html(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        target = tmp_path / "report.html"
        code, out, err = run(capsys, "audit", "--json", "--html", str(target), "-q", str(WXR))
        data = json.loads(out)
        assert code == 1 and err == ""
        assert data["license"] == "CC-PDM-1.0" and data["summary"]["error"] == 10
        assert "Content-Security-Policy" in target.read_text(encoding="utf-8")

    def test_policy(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        policy = tmp_path / "policy.yaml"
        policy.write_text("target: CC-BY-4.0\nallow_nc: false\n", encoding="utf-8")
        code, out, _ = run(
            capsys,
            "audit",
            "--json",
            "-q",
            "--policy",
            str(policy),
            str(REST / "pb_chapter_5_metadata.json"),
        )
        assert code == 0 and json.loads(out)["policy"]["target"] == "CC-BY-4.0"
        code, out, _ = run(
            capsys, "audit", "-q", "--policy", str(policy), str(REST / "pb_toc2.json")
        )
        assert code == 1 and "nc-commercial" in out and "policy-target" in out

    def test_errors(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        code, _, err = run(capsys, "audit", "-q", str(tmp_path / "missing"))
        assert code == 2 and err.startswith("oerremix: No such file or directory (")
        bad = tmp_path / "policy.yaml"
        bad.write_text("targt: CC-BY-4.0\n", encoding="utf-8")
        code, _, err = run(capsys, "audit", "--policy", str(bad), str(WXR))
        assert code == 2 and "unknown key; did you mean 'target'?" in err
        assert "Traceback" not in err
        code, _, err = run(capsys, "audit", "--fail-on", "info", str(WXR))
        assert code == 2 and "invalid choice" in err
        code, _, err = run(
            capsys, "audit", "-q", "--html", str(tmp_path / "no" / "r.html"), str(WXR)
        )
        assert code == 2 and err.startswith("oerremix: No such file or directory")

    @pytest.mark.parametrize("given", ["book", "policy"])
    def test_the_report_never_replaces_the_book_or_the_policy(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, given: str
    ) -> None:
        book = tmp_path / "book.xml"
        shutil.copyfile(WXR, book)
        policy = tmp_path / "policy.yaml"
        policy.write_text("allow_nc: false\n", encoding="utf-8")
        before = {p: p.read_bytes() for p in (book, policy)}
        report = str(book if given == "book" else policy)
        code, out, err = run(
            capsys, "audit", "-q", "--policy", str(policy), "--html", report, str(book)
        )
        assert (code, out) == (2, "")
        assert err.startswith("oerremix: the HTML report would replace") and report in err
        assert {p: p.read_bytes() for p in (book, policy)} == before
