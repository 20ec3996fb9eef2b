"""The EPUB reader: a real EbookLib EPUB 3, and small EPUBs built here for licences and errors.

``tests/data/ebooklib-test-epub3/test01.epub`` is EbookLib's own test book (see SOURCE.md there).
Its expected metadata were written from reading its ``EPUB/content.opf``, ``nav.xhtml`` and
``toc.ncx`` (``python -m zipfile -e`` into a scratch folder), not from running the reader. The
other books are built in memory by :func:`epub`, deterministically, to state licences and
credits that test01 does not have.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import Asset, Author, Section, Work
from oerremix.readers import Input, read
from oerremix.readers.epub import READER

DATA = Path(__file__).parent / "data" / "ebooklib-test-epub3"
TEST01 = DATA / "test01.epub"

CONTAINER = """<?xml version="1.0"?>
<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""

XHTML = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>{title}</title></head>
<body>{body}</body>
</html>"""


def epub(files: dict[str, str | bytes], *, mimetype_first: bool = True) -> bytes:
    """An EPUB zip of ``files`` (plus mimetype and container.xml), the same bytes every time."""
    entries: list[tuple[str, str | bytes]] = [("META-INF/container.xml", CONTAINER)]
    entries += sorted(files.items())
    mimetype = ("mimetype", "application/epub+zip")
    entries = [mimetype, *entries] if mimetype_first else [*entries, mimetype]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def opf(metadata: str, manifest: str, spine: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{metadata}</metadata>
  <manifest>{manifest}</manifest>
  <spine>{spine}</spine>
</package>"""


def chapter(title: str, body: str) -> str:
    return XHTML.format(title=title, body=body)


def given(data: bytes, name: str = "book.epub") -> Input:
    return Input(name, Path(name), data, None, None)


NAV = chapter(
    "Contents",
    """<nav epub:type="toc"><ol>
      <li><a href="text/ch1.xhtml">1. Ohm's law</a>
        <ol><li><a href="text/ch2.xhtml#start">1.1 Power</a></li></ol></li>
    </ol></nav>""",
)
CH1 = chapter(
    "Ohm",
    """<h1>Ohm's law</h1>
    <p>Voltage equals current times resistance.</p>
    <figure><img src="../images/meter.png" alt="A multimeter"/>
      <figcaption>A digital multimeter. Photo by Jane Doe, CC BY 2.0</figcaption></figure>
    <figure><img src="../images/panel.png" alt="A breaker panel"/>
      <figcaption>A breaker panel. (credit: John Smith)</figcaption></figure>
    <p><img src="../images/diagram.png" alt="A circuit diagram"/></p>""",
)
CH2 = chapter(
    "Power",
    """<h1 id="start">Power</h1><p>P = VI.</p>
    <p>This chapter is licensed under CC BY 4.0.</p>
    <p><img src="../images/diagram.png" alt="The same diagram again"/></p>""",
)
MANIFEST = """
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ch1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>
    <item id="cover" href="images/cover.png" media-type="image/png" properties="cover-image"/>
    <item id="meter" href="images/meter.png" media-type="image/png"/>"""
SPINE = '<itemref idref="ch1"/><itemref idref="ch2"/>'
METADATA = """
    <dc:identifier id="id">https://example.org/books/circuits</dc:identifier>
    <dc:title>Electric Circuits for the Trades</dc:title>
    <dc:creator id="c1">Ada Lovelace</dc:creator>
    <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
    <dc:creator id="c2">Calibre</dc:creator>
    <meta refines="#c2" property="role" scheme="marc:relators">bkp</meta>
    <dc:language>en</dc:language>
    <dc:date>2021-03-04</dc:date>
    <dc:rights>This work is licensed under CC BY-SA 4.0, except where otherwise noted.</dc:rights>
    <dc:source>https://openstax.org/details/books/university-physics-volume-2</dc:source>"""


def licensed_book(metadata: str = METADATA) -> bytes:
    return epub(
        {
            "OEBPS/content.opf": opf(metadata, MANIFEST, SPINE),
            "OEBPS/nav.xhtml": NAV,
            "OEBPS/text/ch1.xhtml": CH1,
            "OEBPS/text/ch2.xhtml": CH2,
        }
    )


class TestRealEpub:
    """EbookLib's test01.epub: an EPUB 3 that states no licence."""

    def test_metadata(self) -> None:
        work = read(TEST01)
        # content.opf: <dc:title>Sample book</dc:title>, <dc:creator>Aleksandar Erkalovic</…>,
        # <dc:language>en</dc:language>; no dc:date (only dcterms:modified), no dc:rights
        assert work.title == "Sample book"
        assert work.authors == (Author("Aleksandar Erkalovic"),)
        assert work.language == "en"
        assert work.year is None
        assert work.based_on == ()

    def test_no_licence(self) -> None:
        work = read(TEST01)
        # the OPF states no licence (SOURCE.md): unknown, never guessed
        assert work.license is None
        assert work.provenance is not None
        assert work.provenance.license_status == "none"
        assert work.provenance.license_evidence == ()
        assert work.provenance.source == str(TEST01)
        assert work.provenance.sha256 == hashlib.sha256(TEST01.read_bytes()).hexdigest()

    def test_sections_follow_the_spine(self) -> None:
        work = read(TEST01)
        # spine: nav, chapter_0, chapter_1. nav.xhtml is not in its own toc: its first heading
        # is <h2>Sample book</h2>. The nav toc lists intro.xhtml at the top level and
        # about.xhtml inside "Languages", one level down.
        assert work.sections == (
            Section("nav", "Sample book", 1),
            Section("chapter_0", "Introduction", 1),
            Section("chapter_1", "About this book", 2),
        )
        assert work.assets == ()

    def test_content(self) -> None:
        work = read(TEST01)
        assert work.content is not None
        intro = work.content.get("chapter_0")
        # intro.xhtml's body, as written
        assert "<h1>Introduction</h1>" in intro.html
        assert "<p>Introduction paragraph where i explain what is happening.</p>" in intro.html
        assert intro.base == "EPUB/"
        about = work.content.get("chapter_1")
        assert "Helou, this is my book!" in about.html
        assert "<link" not in about.html  # the stylesheet link in <head> is not content

    def test_unpacked_folder(self, tmp_path: Path) -> None:
        with zipfile.ZipFile(TEST01) as archive:
            archive.extractall(tmp_path)  # a trusted file from the repository, for this test
        work = read(tmp_path)
        assert work.title == "Sample book"
        assert [s.id for s in work.sections] == ["nav", "chapter_0", "chapter_1"]
        assert work.provenance is not None
        assert work.provenance.sha256 is not None

    def test_sniff(self) -> None:
        # test01.epub stores "mimetype" first, uncompressed, as EPUB requires
        assert READER.sniff(given(TEST01.read_bytes())) == 100


class TestLicences:
    """Licences of the book, of a chapter, and of each image."""

    def test_book_licence_and_metadata(self) -> None:
        work = READER.read(given(licensed_book()))
        assert work.title == "Electric Circuits for the Trades"
        # the book producer (role bkp) is software, not an author
        assert work.authors == (Author("Ada Lovelace"),)
        assert work.license == "CC-BY-SA-4.0"
        assert work.year == 2021
        assert work.language == "en"
        assert work.url == "https://example.org/books/circuits"
        assert work.based_on == (
            Work(url="https://openstax.org/details/books/university-physics-volume-2"),
        )
        assert work.kind == "adaptation"
        assert work.provenance is not None
        assert work.provenance.license_status == "found"
        rights = [e for e in work.provenance.license_evidence if "<dc:rights>" in e.where]
        assert [e.match for e in rights] == ["CC BY-SA 4.0"]

    def test_sections(self) -> None:
        work = READER.read(given(licensed_book()))
        assert work.sections == (
            Section("ch1", "1. Ohm's law", 1),
            # the chapter's own statement differs from the book's
            Section("ch2", "1.1 Power", 2, license="CC-BY-4.0"),
        )

    def test_assets(self) -> None:
        work = READER.read(given(licensed_book()))
        assert work.assets == (
            # the caption names a licence: its own
            Asset(
                "image",
                "OEBPS/images/meter.png",
                license="CC-BY-2.0",
                credit="Photo by Jane Doe, CC BY 2.0",
            ),
            # a credit with no licence: credit only, licence unknown
            Asset("image", "OEBPS/images/panel.png", credit="credit: John Smith"),
            # no statement of its own; the book says "except where otherwise noted"
            Asset(
                "image", "OEBPS/images/diagram.png", license="CC-BY-SA-4.0", license_inherited=True
            ),
            Asset(
                "image",
                "OEBPS/images/cover.png",
                title="cover",
                license="CC-BY-SA-4.0",
                license_inherited=True,
            ),
        )

    def test_caption_evidence_is_kept(self) -> None:
        work = READER.read(given(licensed_book()))
        assert work.provenance is not None
        captions = [e for e in work.provenance.license_evidence if "caption of" in e.where]
        assert [(e.match, e.where.split(",")[0]) for e in captions] == [
            ("CC BY 2.0", "OEBPS/text/ch1.xhtml caption of ../images/meter.png")
        ]

    def test_no_inheritance_without_except_where_noted(self) -> None:
        metadata = METADATA.replace(", except where otherwise noted", "")
        work = READER.read(given(licensed_book(metadata)))
        assert work.license == "CC-BY-SA-4.0"
        diagram = next(a for a in work.assets if a.source.endswith("diagram.png"))
        assert diagram.license is None
        assert not diagram.license_inherited

    @pytest.mark.parametrize(
        ("metadata", "status", "license"),
        [
            # dc:rights and a dcterms:license URL agree
            pytest.param(
                "<dc:rights>CC BY-SA 4.0</dc:rights>"
                '<meta property="dcterms:license">https://creativecommons.org/licenses/by-sa/4.0/'
                "</meta>",
                "found",
                "CC-BY-SA-4.0",
                id="agree",
            ),
            # dc:rights says one licence, the metadata another: both kept, a conflict
            pytest.param(
                "<dc:rights>CC BY 4.0</dc:rights>"
                '<meta property="dcterms:license">https://creativecommons.org/licenses/by-sa/4.0/'
                "</meta>",
                "conflict",
                None,
                id="conflict",
            ),
            # a licence link element (cc:license) disagreeing with dc:rights
            pytest.param(
                "<dc:rights>CC BY-NC 4.0</dc:rights>"
                '<link rel="cc:license" href="https://creativecommons.org/licenses/by/4.0/"/>',
                "conflict",
                None,
                id="link-conflict",
            ),
            # no version: which CC BY-SA is not known
            pytest.param(
                "<dc:rights>Licensed under CC BY-SA.</dc:rights>",
                "ambiguous",
                None,
                id="no-version",
            ),
            # a version-less name that fits a definite statement: found
            pytest.param(
                "<dc:rights>Creative Commons Attribution-ShareAlike</dc:rights>"
                '<meta property="dcterms:license">https://creativecommons.org/licenses/by-sa/4.0/'
                "</meta>",
                "found",
                "CC-BY-SA-4.0",
                id="versionless-agrees",
            ),
            # a copyright notice alone is no licence
            pytest.param(
                "<dc:rights>© 2020 Example Press. All rights reserved.</dc:rights>",
                "none",
                None,
                id="all-rights-reserved",
            ),
        ],
    )
    def test_book_statements(self, metadata: str, status: str, license: str | None) -> None:
        book = epub(
            {
                "OEBPS/content.opf": opf(
                    f"<dc:title>T</dc:title>{metadata}",
                    '<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
                    '<itemref idref="c"/>',
                ),
                "OEBPS/c.xhtml": chapter("C", "<p>Text.</p>"),
            }
        )
        work = READER.read(given(book))
        assert work.provenance is not None
        assert (work.provenance.license_status, work.license) == (status, license)
        if status == "none":
            assert work.copyright == "© 2020 Example Press. All rights reserved."
            kinds = [e.kind for e in work.provenance.license_evidence]
            assert kinds == ["statement"]  # the words as written, kept


RECORD = {
    "@context": "https://schema.org",
    "@type": "Book",
    "name": "Electric Circuits for the Trades",
    "license": "https://creativecommons.org/licenses/by-sa/4.0/",
    "isBasedOn": [
        {
            "@type": "Book",
            "name": "University Physics Volume 2",
            "url": "https://openstax.org/details/books/university-physics-volume-2",
            "author": [{"@type": "Organization", "name": "OpenStax"}],
            "license": {
                "@type": "CreativeWork",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            },
            "isBasedOn": {"@type": "Book", "name": "Physics", "license": "CC BY 3.0"},
        }
    ],
}


def book_with_record(record: str) -> bytes:
    manifest = MANIFEST + (
        '<item id="meta" href="metadata.jsonld" media-type="application/ld+json"/>'
    )
    return epub(
        {
            "OEBPS/content.opf": opf(METADATA, manifest, SPINE),
            "OEBPS/nav.xhtml": NAV,
            "OEBPS/text/ch1.xhtml": CH1,
            "OEBPS/text/ch2.xhtml": CH2,
            "OEBPS/metadata.jsonld": record,
        }
    )


class TestJsonLdRecord:
    """A schema.org record in the book (oerremix's writers add one) gives lineage and licence."""

    def test_lineage_from_the_record(self) -> None:
        work = READER.read(given(book_with_record(json.dumps(RECORD))))
        # the record's isBasedOn, fuller than dc:source, with its own source in turn
        assert work.based_on == (
            Work(
                title="University Physics Volume 2",
                url="https://openstax.org/details/books/university-physics-volume-2",
                authors=(Author("OpenStax"),),
                license="CC-BY-4.0",
                based_on=(Work(title="Physics", license="CC-BY-3.0"),),
            ),
        )
        # the record's licence agrees with dc:rights
        assert work.license == "CC-BY-SA-4.0"
        assert work.provenance is not None
        wheres = {e.where.split(",")[0] for e in work.provenance.license_evidence}
        assert "OEBPS/metadata.jsonld: license" in wheres  # as front matter says it

    @pytest.mark.parametrize("named", [{"@type": "CreativeWork"}, [None], {"identifier": "x"}])
    def test_a_record_licence_naming_nothing_leaves_dc_rights_alone(self, named) -> None:
        record = dict(RECORD, license=named)
        work = READER.read(given(book_with_record(json.dumps(record))))
        assert work.license == "CC-BY-SA-4.0"  # what dc:rights says

    def test_record_disagreeing_with_dc_rights(self) -> None:
        record = dict(RECORD, license="https://creativecommons.org/licenses/by-nc/4.0/")
        work = READER.read(given(book_with_record(json.dumps(record))))
        assert work.provenance is not None
        assert (work.license, work.provenance.license_status) == (None, "conflict")

    def test_invalid_record(self) -> None:
        with pytest.raises(ReadError, match="not a valid JSON-LD record") as caught:
            READER.read(given(book_with_record("{not json")))
        assert caught.value.source == "book.epub!/OEBPS/metadata.jsonld"


class TestLaziness:
    """Chapters are parsed one at a time when their content is asked for."""

    def test_one_parse_per_section_asked(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import oerremix.readers.epub as module

        work = READER.read(given(licensed_book()))
        parsed: list[str] = []
        real = module.parse_xml

        def counting(data: bytes, *, source: str = "<string>") -> object:
            parsed.append(source)
            return real(data, source=source)

        monkeypatch.setattr(module, "parse_xml", counting)
        assert work.content is not None
        sections = iter(work.content)
        first = next(sections)
        assert parsed == ["book.epub!/OEBPS/text/ch1.xhtml"]
        assert "Voltage equals current times resistance." in first.html
        assert first.base == "OEBPS/text/"
        assert '<img src="../images/meter.png" alt="A multimeter">' in first.html
        second = next(sections)
        assert parsed[-1] == "book.epub!/OEBPS/text/ch2.xhtml"
        assert second.section.id == "ch2"


class TestErrors:
    """Malformed and hostile books raise a ReadError naming the file (and entry, line)."""

    def test_a_malformed_image_address_is_not_an_entry(self) -> None:
        # urllib refuses "http://[::1" with ValueError; it is nobody's file in the package
        broken = chapter("Broken", '<h1>Broken</h1><p><img src="http://[::1" alt="x"/></p>')
        book = epub(
            {
                "OEBPS/content.opf": opf(METADATA, MANIFEST, SPINE),
                "OEBPS/nav.xhtml": NAV,
                "OEBPS/text/ch1.xhtml": broken,
                "OEBPS/text/ch2.xhtml": CH2,
            }
        )
        work = READER.read(given(book))
        assert "http://[::1" in {a.source for a in work.assets}

    def test_malformed_package_document(self) -> None:
        book = epub({"OEBPS/content.opf": "<package><metadata></package>"})
        with pytest.raises(ReadError) as caught:
            READER.read(given(book))
        assert not isinstance(caught.value, UnsafeContentError)
        assert caught.value.source == "book.epub!/OEBPS/content.opf"
        assert caught.value.line == 1
        assert "not well-formed XML" in str(caught.value)

    @pytest.mark.parametrize(
        ("files", "message"),
        [
            # no container.xml: not an EPUB
            pytest.param(None, r"no META-INF/container.xml", id="no-container"),
            # the container names a package document that is not there
            pytest.param(
                {"OEBPS/other.opf": "<package/>"}, r"'OEBPS/content.opf' is missing", id="no-opf"
            ),
            # a package document without a spine
            pytest.param(
                {"OEBPS/content.opf": '<package xmlns="http://www.idpf.org/2007/opf"/>'},
                r"no <spine>",
                id="no-spine",
            ),
            # the spine names an item the manifest lacks
            pytest.param(
                {"OEBPS/content.opf": opf("", "", '<itemref idref="ghost"/>')},
                r"spine item 'ghost' is not in the manifest",
                id="dangling-idref",
            ),
        ],
    )
    def test_broken_structure(self, files: dict[str, str | bytes] | None, message: str) -> None:
        data = _without_container() if files is None else epub(files)
        with pytest.raises(ReadError, match=message) as caught:
            READER.read(given(data))
        assert caught.value.source.startswith("book.epub")

    def test_entities_refused(self) -> None:
        evil = (
            '<?xml version="1.0"?><!DOCTYPE package [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<package xmlns="http://www.idpf.org/2007/opf">&x;</package>'
        )
        with pytest.raises(UnsafeContentError, match=r"entity") as caught:
            READER.read(given(epub({"OEBPS/content.opf": evil})))
        assert caught.value.source == "book.epub!/OEBPS/content.opf"

    def test_zip_slip_refused(self) -> None:
        book = epub({"../../evil.xhtml": "x"})
        with pytest.raises(UnsafeContentError, match=r"'../../evil.xhtml'.*\(book.epub\)"):
            READER.read(given(book))

    def test_not_a_zip(self) -> None:
        with pytest.raises(ReadError, match=r"not a readable zip archive.*\(book.epub\)"):
            READER.read(given(b"PK\x03\x04 but not really a zip"))


def _without_container() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", (2024, 1, 1, 0, 0, 0)), "application/epub+zip")
    return buffer.getvalue()


class TestSniff:
    """EPUBs are recognised by their content, not their name."""

    @pytest.mark.parametrize(
        ("data", "score"),
        [
            # mimetype first and stored, as the OCF spec requires
            pytest.param(epub({}), 100, id="spec"),
            # mimetype present but not first: still an EPUB, less certain
            pytest.param(epub({}, mimetype_first=False), 95, id="mimetype-later"),
            # some other zip: no mimetype entry
            pytest.param(_without_container().replace(b"mimetype", b"mimetypx"), 0, id="zip"),
            # not a zip at all
            pytest.param(b"<html></html>", 0, id="html"),
        ],
    )
    def test_sniff(self, data: bytes, score: int) -> None:
        assert READER.sniff(given(data, name="x.bin")) == score


def book_with_chapter_two(body: str) -> bytes:
    """The licensed book (CC BY-SA 4.0 except where otherwise noted) with another chapter 2."""
    return epub(
        {
            "OEBPS/content.opf": opf(METADATA, MANIFEST, SPINE),
            "OEBPS/nav.xhtml": NAV,
            "OEBPS/text/ch1.xhtml": CH1,
            "OEBPS/text/ch2.xhtml": chapter("Power", f'<h1 id="start">Power</h1>{body}'),
        }
    )


class TestWhatAChapterSaysBesideItsLicence:
    """A chapter that states a licence and, in its own words, something that cannot be true of
    it: its licence is unknown, so the book's is not settled either (the HTML reader's rule)."""

    @pytest.mark.parametrize(
        "prose",
        [
            # "All rights reserved" is not licensed to anyone; CC BY 4.0 is (LC-BY-4.0 §2(a)(1))
            pytest.param("© 2021 Jane Doe. All rights reserved.", id="all-rights-reserved"),
            # CC BY 4.0 grants commercial use and adaptations (LC-BY-4.0 §2(a)(1))
            pytest.param("Non-commercial use only.", id="non-commercial-only"),
            pytest.param("No derivatives may be made.", id="no-derivatives"),
        ],
    )
    def test_a_chapter_contradicting_its_licence_is_a_conflict(self, prose: str) -> None:
        body = f"<p>This chapter is licensed under CC BY 4.0. {prose}</p>"
        work = READER.read(given(book_with_chapter_two(body)))
        assert work.provenance is not None
        assert (work.license, work.provenance.license_status) == (None, "conflict")
        matches = " ".join(e.match for e in work.provenance.license_evidence)
        assert prose.rsplit(". ", maxsplit=1)[-1].rstrip(".") in matches

    def test_no_medium_of_a_contradictory_chapter_takes_a_licence(self) -> None:
        body = (
            "<p>This chapter is licensed under CC BY 4.0, except where otherwise noted. "
            'Not for commercial use.</p><p><img src="../images/graph.png" alt="A graph"/></p>'
        )
        work = READER.read(given(book_with_chapter_two(body)))
        graph = next(a for a in work.assets if a.source.endswith("graph.png"))
        assert (graph.license, graph.license_inherited) == (None, False)

    def test_a_restriction_the_licence_carries_agrees_with_it(self) -> None:
        # CC BY-NC 4.0 grants use "for NonCommercial purposes only" (LC-BY-NC-4.0 §2(a)(1))
        body = "<p>This chapter is licensed under CC BY-NC 4.0. Non-commercial use only.</p>"
        work = READER.read(given(book_with_chapter_two(body)))
        assert work.provenance is not None
        assert (work.license, work.provenance.license_status) == ("CC-BY-SA-4.0", "found")
        assert work.sections[1].license == "CC-BY-NC-4.0"

    def test_a_caption_speaks_for_its_image_not_the_chapter(self) -> None:
        body = (
            "<p>This chapter is licensed under CC BY 4.0.</p><figure>"
            '<img src="../images/meter.png" alt="A meter"/><figcaption>Photo © Getty Images. '
            "All rights reserved. Not for commercial use.</figcaption></figure>"
        )
        work = READER.read(given(book_with_chapter_two(body)))
        assert work.provenance is not None
        assert (work.license, work.provenance.license_status) == ("CC-BY-SA-4.0", "found")
        assert work.sections[1].license == "CC-BY-4.0"
