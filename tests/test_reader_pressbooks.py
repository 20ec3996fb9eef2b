"""The Pressbooks reader on real REST API responses and a real WXR export.

Expected values were written from reading the files (see each directory's SOURCE.md), not from
running the code. The whole-book URL path is served from the loopback server: the real table of
contents of the Centennial College handbook (``pb_toc2.json``), the hand-made ``/metadata`` and
``/wp/v2/media`` responses of ``tests/data/pressbooks-rest-api-book/``, and as chapter content
the one real chapter object we have (``pb_chapters.json``, from another book).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from oerremix.errors import FetchError, ReadError, UnsafeContentError
from oerremix.fetch import Fetcher
from oerremix.model import Asset, Author, Work
from oerremix.readers import Input, read, readers
from oerremix.readers.pressbooks import LICENSE_URLS, READER
from tests.httpserver import Reply, Routes

DATA = Path(__file__).parent / "data"
REST = DATA / "pressbooks-rest-api"
BOOK = DATA / "pressbooks-rest-api-book"
WXR = DATA / "pressbooks-wxr-integration-test" / "Pressbooks-Integration-Testing-1537214020.xml"


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    with Fetcher(cache_dir=tmp_path / "cache", allow_private=True, retries=0) as f:
        yield f


def _input(data: bytes, location: str = "book.json") -> Input:
    return Input(location, None, data, None, None)


class TestSniff:
    """Recognised by content: JSON shape, WXR namespace, the API link of a book's page."""

    @pytest.mark.parametrize(
        "path",
        [
            REST / "pb_toc1.json",  # a table of contents
            REST / "pb_toc2.json",  # a table of contents
            REST / "pb_chapter_5_metadata.json",  # schema.org Chapter with a licence
            REST / "pb_chapters.json",  # the chapters collection
            BOOK / "metadata.json",  # schema.org Book with a licence
            WXR,  # a WordPress export with pb_book_license
        ],
    )
    def test_pressbooks_wins(self, path: Path) -> None:
        given = Input(str(path), path, path.read_bytes(), None, None)
        scores = {name: reader.sniff(given) for name, reader in readers().items()}
        assert max(scores, key=lambda name: scores[name]) == "pressbooks"

    @pytest.mark.parametrize(
        "data",
        [
            b'{"query": {"pages": {}}}',  # a MediaWiki API response
            b'{"@type": "Book", "name": "No licence"}',  # schema.org without a licence
            b"[1, 2, 3]",  # any JSON list
            b"<html><body>a page</body></html>",  # a page without the WordPress API link
            b"",  # nothing
        ],
    )
    def test_not_pressbooks(self, data: bytes) -> None:
        assert READER.sniff(_input(data)) == 0


class TestRestFiles:
    """Saved REST API responses, read offline."""

    def test_toc_with_mixed_licences(self) -> None:
        work = read(REST / "pb_toc1.json")
        assert work.title == "Resources for Teaching: Inspiration and Sources from IUPUI and Beyond"
        assert work.url == "https://iu.pressbooks.pub/resourceconveniencestore/"
        assert work.authors == (Author("Rachel Wheeler"),)
        assert work.language == "en"
        # No book licence in a table of contents, and its sections differ: no single licence.
        assert work.license is None
        assert work.provenance is not None
        assert work.provenance.license_status == "ambiguous"
        assert len(work.provenance.license_evidence) == 34
        licences = {s.id: s.license for s in work.sections}
        assert len(licences) == 37  # 1 front matter, 3 parts, 32 chapters, 1 back matter
        assert licences["chapter-64"] == "CC-BY-4.0"
        assert licences["chapter-60"] == "CC-PDM-1.0"
        assert licences["front-matter-193"] == licences["back-matter-6"] == "CC0-1.0"
        assert [licences[f"part-{n}"] for n in (37, 39, 41)] == [None, None, None]
        assert sum(1 for lic in licences.values() if lic == "CC0-1.0") == 32
        assert work.content is None  # a table of contents has no chapter text

    def test_toc_with_one_licence(self) -> None:
        work = read(REST / "pb_toc2.json")
        assert work.title == "2023-2024 Pre-Health Program Handbook"
        assert work.license == "CC-BY-NC-SA-4.0"
        assert work.provenance is not None
        assert work.provenance.license_status == "found"
        assert work.authors == (Author("Gina Marshall"), Author("Centennial College"))
        assert (work.year, work.copyright) == (2021, "Copyright © 2021 by Centennial College")
        # Every section is the book's licence, so none has one of its own.
        assert {s.license for s in work.sections} == {None}
        first = work.sections[0]
        assert (first.id, first.title, first.level) == (
            "front-matter-17",
            "WELCOME TO CENTENNIAL COLLEGE",
            1,
        )
        assert [(s.id, s.level) for s in work.sections[4:6]] == [("part-23", 1), ("chapter-24", 2)]
        assert work.sections[-1].id == "back-matter-83"
        assert work.sections[-1].title is None  # its title is ""
        # Each section says which section of the "programhandbook" book it was cloned from.
        assert work.kind == "adaptation"
        sources = [w.url for w in work.based_on]
        assert len(sources) == 23
        assert "https://ecampusontario.pressbooks.pub/programhandbook/chapter/chapter-1/" in sources

    def test_chapter_metadata(self) -> None:
        work = read(REST / "pb_chapter_5_metadata.json")
        assert work.title == "Chapter 1: Introduction to Communication Situations"
        assert work.license == "CC-BY-4.0"
        assert work.authors == (Author("Jane Doe"),)
        assert (work.year, work.language) == (2025, "en")
        assert work.copyright == "Copyright © 2025 by WisTech Open"
        assert work.provenance is not None
        (evidence,) = work.provenance.license_evidence
        assert evidence.match == "https://creativecommons.org/licenses/by/4.0/"

    def test_chapter_without_licence(self) -> None:
        work = read(REST / "pb_chapters.json")
        assert work.title == "Chapter 1: Introduction to Communication Situations"
        assert work.url == "https://wtcs.pressbooks.pub/communications/chapter/chapter-1/"
        # pb_section_license is "" and license [] : the chapter object states no licence.
        assert work.license is None
        assert work.provenance is not None
        assert work.provenance.license_status == "none"
        uploads = "https://wtcs.pressbooks.pub/app/uploads/sites/74/2025/04/"
        assert [(a.source, a.title) for a in work.assets] == [
            (uploads + "Linear_Communication.png", "Linear_Communication"),
            (uploads + "Screenshot-2025-06-05-205442.png", "Screenshot 2025-06-05 205442"),
            (uploads + "Screenshot-2025-06-05-212535-1024x755.png", "Screenshot 2025-06-05 212535"),
        ]
        # Titles only: no credit, no licence, and no book licence to inherit.
        assert {(a.license, a.credit, a.license_inherited) for a in work.assets} == {
            (None, None, False)
        }
        assert work.content is not None
        (chapter,) = work.content
        assert "Communication is the foundation of human interaction" in chapter.html
        assert "about:blank" not in chapter.html  # sanitised: the empty H5P frames lose src
        assert chapter.base == work.url


def _wxr(**replacements: str) -> Input:
    """The real export, with a few bytes changed to state something else (one per test row)."""
    text = WXR.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new, 1)
    return Input(str(WXR), WXR, text.encode("utf-8"), None, None)


BOOK_LICENSE = (
    "<wp:meta_key><![CDATA[pb_book_license]]></wp:meta_key>\n"
    "\t\t\t\t<wp:meta_value><![CDATA[public-domain]]></wp:meta_value>"
)
BOOK_TERM = (
    '<category domain="license" nicename="public-domain"><![CDATA[Public Domain]]></category>'
)
LOREM_META = (
    "<wp:meta_value><![CDATA[https://pbtest.pressbooks.com/chapter/lorem-ipsum/]]></wp:meta_value>"
)
TROMBONE_LICENSE = (
    "<wp:meta_key><![CDATA[pb_media_attribution_license]]></wp:meta_key>\n"
    "\t\t\t\t<wp:meta_value><![CDATA[]]></wp:meta_value>"
)


class TestWxr:
    """The Pressbooks integration-test book, exported as WXR."""

    def test_book(self) -> None:
        work = READER.read(_wxr())
        assert work.title == "Pressbooks Integration Testing"
        assert work.url == "https://dev.pressbooks.pub/pbtest"
        assert work.language == "en"  # pb_language, over the channel's "en-US"
        assert work.authors == (Author("Nobody"),)  # pb_authors "nobody", category "Nobody"
        # pb_book_license "public-domain" means the Public Domain Mark on Pressbooks.
        assert work.license == "CC-PDM-1.0"
        assert work.provenance is not None
        assert work.provenance.license_status == "found"
        assert [e.kind for e in work.provenance.license_evidence] == [
            "pressbooks-book-license",
            "pressbooks-license-term",
        ]

    def test_sections_in_book_order(self) -> None:
        work = READER.read(_wxr())
        assert [(s.id, s.title, s.level, s.license) for s in work.sections] == [
            ("front-matter-17", "Introduction", 1, None),
            ("part-18", "Main Body", 1, None),
            ("chapter-19", "Lorem Ipsum", 2, None),
            ("chapter-21", "Internal Links", 2, None),
            ("part-23", "Media", 1, None),
            ("chapter-24", "Hosted Video", 2, None),
            ("chapter-26", "Hosted Image", 2, None),
            ("chapter-28", "YouTube", 2, None),
            ("back-matter-30", "Conclusion", 1, None),
        ]

    def test_lineage(self) -> None:
        work = READER.read(_wxr())
        assert work.kind == "adaptation"
        assert len(work.based_on) == 9  # every section has its own pb_is_based_on
        assert work.based_on[0].url == "https://pbtest.pressbooks.com/front-matter/introduction/"

    def test_media(self) -> None:
        uploads = "https://dev.pressbooks.pub/app/uploads/sites/156/"
        assert READER.read(_wxr()).assets == (
            # pb_cover_image: Pressbooks' default cover (part of the GPL plugin), outside the
            # book's licence like any publisher's cover
            Asset(
                kind="image",
                source="https://dev.pressbooks.pub/app/plugins/pressbooks/assets/dist/images/default-book-cover.jpg",
                title="Book cover",
                trademark=True,
            ),
            # No attribution at all: covered by the book's licence, "except where otherwise noted".
            Asset(
                kind="video",
                source=uploads + "2018/08/monkey.mp4",
                title="monkey",
                license="CC-PDM-1.0",
                license_inherited=True,
            ),
            # An author but an empty licence: credit only, licence unknown.
            Asset(
                kind="image",
                source=uploads + "2022/11/trombone.jpg",
                title="Test Image",
                authors=(Author("Test Image Author"),),
                credit="Test Image © Test Image Author",
            ),
        )

    def test_content(self) -> None:
        work = READER.read(_wxr())
        assert work.content is not None
        chapter = work.content.get("chapter-19")
        assert chapter.html.startswith("<p>Lorem ipsum dolor sit amet")
        assert chapter.base == "https://dev.pressbooks.pub/pbtest/chapter/lorem-ipsum/"
        assert work.content.get("front-matter-17").html == "<p>Hello, my name is Pressbooks.</p>"

    @pytest.mark.parametrize(
        ("replacements", "license", "status", "sections"),
        [
            pytest.param(
                {
                    LOREM_META: LOREM_META + "</wp:postmeta><wp:postmeta><wp:meta_key>"
                    "pb_section_license</wp:meta_key><wp:meta_value>cc-by</wp:meta_value>"
                },
                "CC-PDM-1.0",
                "found",
                {"chapter-19": "CC-BY-4.0"},
                id="section-licence-wins",  # pb_section_license overrides the book for one chapter
            ),
            pytest.param(
                {BOOK_TERM: BOOK_TERM.replace("public-domain", "cc-by-sa")},
                None,
                "conflict",
                {},
                id="meta-and-term-disagree",  # pb_book_license vs the licence taxonomy term
            ),
            pytest.param(
                {
                    BOOK_LICENSE: BOOK_LICENSE.replace("public-domain", "all-rights-reserved"),
                    BOOK_TERM: BOOK_TERM.replace("public-domain", "all-rights-reserved"),
                },
                "ALL-RIGHTS-RESERVED",
                "found",
                {},
                id="all-rights-reserved",  # Pressbooks's no-licence slug
            ),
            pytest.param(
                {
                    BOOK_LICENSE: BOOK_LICENSE.replace("public-domain", "house-licence"),
                    BOOK_TERM: BOOK_TERM.replace("public-domain", "house-licence"),
                },
                None,
                "ambiguous",
                {},
                id="custom-term",  # a book's own licence term, whose name names no licence
            ),
        ],
    )
    def test_licence_variants(
        self,
        replacements: dict[str, str],
        license: str | None,
        status: str,
        sections: dict[str, str],
    ) -> None:
        work = READER.read(_wxr(**replacements))
        assert work.license == license
        assert work.provenance is not None
        assert work.provenance.license_status == status
        assert {s.id: s.license for s in work.sections if s.license} == sections

    def test_media_licence(self) -> None:
        work = READER.read(_wxr(**{TROMBONE_LICENSE: TROMBONE_LICENSE.replace("[]", "[cc-by-sa]")}))
        (trombone,) = [a for a in work.assets if a.source.endswith("trombone.jpg")]
        assert (trombone.license, trombone.license_inherited) == ("CC-BY-SA-4.0", False)
        assert trombone.credit == (
            "Test Image © Test Image Author is licensed under a"
            " CC BY-SA (Attribution ShareAlike) license"
        )


class TestMalformed:
    """Every failure is a ReadError naming the input; no parser exception escapes."""

    def test_truncated_wxr(self) -> None:
        data = WXR.read_bytes()[:20000]
        with pytest.raises(ReadError, match="not well-formed XML") as info:
            READER.read(_input(data, "cut.xml"))
        assert info.value.source == "cut.xml"
        assert info.value.line is not None

    def test_entities_refused(self) -> None:
        data = WXR.read_bytes().replace(
            b"<rss", b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss', 1
        )
        with pytest.raises(UnsafeContentError):
            READER.read(_input(data, "evil.xml"))

    def test_bad_json(self) -> None:
        with pytest.raises(ReadError, match="not valid JSON") as info:
            READER.read(_input(b'{"front-matter": [\n  {"id": 1,,}\n]}', "toc.json"))
        assert (info.value.source, info.value.line) == ("toc.json", 2)

    def test_json_of_another_shape(self) -> None:
        with pytest.raises(ReadError, match="not a Pressbooks API response"):
            READER.read(_input(b'{"hello": "world"}'))

    def test_chapter_list_with_junk(self) -> None:
        with pytest.raises(ReadError, match="entry 1 is not a Pressbooks chapter"):
            READER.read(_input(b'[{"id": 1, "content": {"rendered": "<p>a</p>"}}, "junk"]'))


def _serve_book(routes: Routes) -> str:
    """The Centennial College handbook on the loopback server; returns the book's URL."""
    root = "/2023prehealth/"
    api = root + "wp-json/pressbooks/v2/"
    routes.add(api + "toc", Reply(body=(REST / "pb_toc2.json").read_bytes()))
    routes.add(api + "metadata", Reply(body=(BOOK / "metadata.json").read_bytes()))
    media = (BOOK / "media.json").read_bytes()
    routes.add(root + "wp-json/wp/v2/media?per_page=100&page=1", Reply(body=media))
    chapter = json.loads((REST / "pb_chapters.json").read_text(encoding="utf-8"))[0]
    routes.add(api + "chapters/24", Reply(body=json.dumps(chapter).encode()))
    # The book's home page: WordPress's API discovery link
    # (https://developer.wordpress.org/rest-api/using-the-rest-api/discovery/), hand-written.
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>2023-2024 Pre-Health Program Handbook</title>"
        f'<link rel="https://api.w.org/" href="{routes.url(root)}wp-json/" />'
        '<meta name="generator" content="Pressbooks 6.4.0" /></head>'
        "<body><h1>2023-2024 Pre-Health Program Handbook</h1></body></html>"
    )
    routes.add(root, Reply(body=page.encode(), headers=(("Content-Type", "text/html"),)))
    return routes.url(root)


class TestBookUrl:
    """A book read through the API: TOC, metadata and media at once, chapters when asked."""

    def _check(self, work: Work, root: str, routes: Routes) -> None:
        assert work.title == "2023-2024 Pre-Health Program Handbook"
        assert work.url == root
        assert work.license == "CC-BY-NC-SA-4.0"  # from /metadata
        assert work.provenance is not None
        assert work.provenance.license_status == "found"
        assert {s.license for s in work.sections} == {None}
        assert work.assets == (
            Asset(
                kind="image",
                source="https://example.org/uploads/2023/06/campus-map.png",
                title="Campus map",
                license="CC-BY-NC-SA-4.0",
                license_inherited=True,
            ),
            Asset(
                kind="image",
                source="https://example.org/uploads/2023/06/stethoscope.jpg",
                title="Stethoscope",
                authors=(Author("A. Photographer", "https://example.org/a-photographer"),),
                license="CC-BY-SA-4.0",
                credit="Stethoscope © A. Photographer is licensed under a"
                " CC BY-SA (Attribution ShareAlike) license",
            ),
            Asset(
                kind="image",
                source="https://example.org/uploads/2023/06/lab-safety.png",
                title="Lab safety poster",
                authors=(Author("Health Sciences Office"),),
                credit="Lab safety poster © Health Sciences Office adapted by Gina Marshall",
                changes=(work.assets[2].changes[0],),
            ),
        )
        assert work.assets[2].changes[0].by == "Gina Marshall"
        assert not [r for r in routes.log() if "/chapters/" in r.path]  # nothing loaded yet
        assert work.content is not None
        chapter = work.content.get("chapter-24")
        assert "Communication is the foundation of human interaction" in chapter.html
        assert (
            chapter.base == "https://ecampusontario.pressbooks.pub/2023prehealth/chapter/chapter-1/"
        )
        assert [r.path for r in routes.log() if "/chapters/" in r.path] == [
            routes.prefix + "/2023prehealth/wp-json/pressbooks/v2/chapters/24"
        ]

    def test_from_home_page(self, routes: Routes, fetcher: Fetcher) -> None:
        root = _serve_book(routes)
        self._check(read(root, fetcher=fetcher), root, routes)

    def test_from_toc_url(self, routes: Routes, fetcher: Fetcher) -> None:
        root = _serve_book(routes)
        work = read(root + "wp-json/pressbooks/v2/toc", fetcher=fetcher)
        self._check(work, root, routes)
        assert not [r for r in routes.log() if r.path.endswith("/2023prehealth/")]

    def test_missing_endpoint(self, routes: Routes, fetcher: Fetcher) -> None:
        root = _serve_book(routes)
        routes.add("/2023prehealth/wp-json/pressbooks/v2/metadata", Reply(404, b"{}"))
        with pytest.raises(FetchError, match="HTTP 404") as info:
            read(root, fetcher=fetcher)
        assert "metadata" in str(info.value)


def test_slug_table_is_pressbooks_own() -> None:
    # Pressbooks inc/class-licensing.php: the slugs and the 4.0 URLs they stand for.
    assert LICENSE_URLS["cc-by-nc-nd"] == "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    assert LICENSE_URLS["public-domain"] == "https://creativecommons.org/publicdomain/mark/1.0/"
    assert len(LICENSE_URLS) == 9
