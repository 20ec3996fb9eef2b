"""The HTML site writer: every page parses, carries the licence notice, links resolve, the
metadata round-trips, two builds are identical, and hostile metadata stays text.

The package is built by hand to look like a real build: a CC BY-NC-SA 4.0 adaptation of
OpenStax *University Physics Volume 2* (CC BY 4.0), two modules with a figure, a table and
MathML, one small PNG, and a notice marked up as Creative Commons' licence chooser does.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from oerremix import Asset, Author, Change, Work, detect
from oerremix._markup import parse_html
from oerremix.errors import WriteError
from oerremix.writers import Package, PackageAsset, PackageModule, writers
from oerremix.writers.site import WRITER, arrange_headings, check_package, http_url, jsonld_text

BY_NC_SA = "https://creativecommons.org/licenses/by-nc-sa/4.0/"  # CC's deed of CC BY-NC-SA 4.0
BY = "https://creativecommons.org/licenses/by/4.0/"  # CC's deed of CC BY 4.0
BOOK = "https://example.edu/circuits"
SOURCE = "https://openstax.org/details/books/university-physics-volume-2"


def tiny_png() -> bytes:
    """A valid 1×1 white PNG, built here so the test needs no binary fixture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # filter byte, one white pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


NOTICE = (
    '<p xmlns:cc="http://creativecommons.org/ns#" xmlns:dct="http://purl.org/dc/terms/" '
    f'about="{BOOK}"><a property="dct:title" rel="cc:attributionURL" href="{BOOK}">'
    "Electric Circuits for Technicians</a> by "
    '<span property="cc:attributionName">Ana Lima</span> is licensed under '
    f'<a rel="license" href="{BY_NC_SA}">CC BY-NC-SA 4.0</a>. Adapted from '
    f'<a rel="dct:source" href="{SOURCE}">University Physics Volume 2</a> by OpenStax, '
    f'<span about="{SOURCE}"><a rel="license" href="{BY}">CC BY 4.0</a></span>.</p>'
)

# As oerremix's attribution templates mark credits up: each item is its own RDFa subject.
CREDITS = (
    '<div class="oerremix-attribution" prefix="cc: http://creativecommons.org/ns# '
    f'dct: http://purl.org/dc/terms/" about="{BOOK}">\n'
    '<section class="oerremix-credits">\n<h2>Credits</h2>\n<h3>Adapted</h3>\n<ul>\n'
    f'<li about="{SOURCE}">“<a property="dct:title" rel="cc:attributionURL" href="{SOURCE}">'
    "University Physics Volume 2</a>” by "
    '<span property="cc:attributionName">OpenStax</span> is licensed under '
    f'<a rel="license" href="{BY}">CC BY 4.0</a>. Changes: chapters 9 and 10 shortened.</li>\n'
    f'<li about="#c2">“<span property="dct:title">Resistor colour bands</span>” by '
    '<span property="cc:attributionName">Jane Doe</span> is licensed under '
    f'<a rel="license" href="{BY}">CC BY 4.0</a>. Cropped.</li>\n'
    "</ul>\n</section>\n</div>\n"
)

MODULE_1 = """<p>Current is the rate at which charge flows: <math xmlns="http://www.w3.org/1998/Math/MathML"><mi>I</mi><mo>=</mo><mfrac><mrow><mi>d</mi><mi>Q</mi></mrow><mrow><mi>d</mi><mi>t</mi></mrow></mfrac></math>.</p>
<figure id="fig-1"><img src="media/resistor.png" alt="A resistor with four colour bands" width="320" height="120"><figcaption>Figure 1. A carbon-film resistor.</figcaption></figure>
<h2 id="ohm">Ohm’s law</h2>
<p>See <a href="ch2.html#power">power</a> and <a href="https://en.wikipedia.org/wiki/Ohm%27s_law">Ohm’s law</a>.</p>"""

MODULE_2 = """<h1>Power</h1>
<h2 id="power">Power in a resistor</h2>
<table><caption>Resistivity at 20 °C</caption><thead><tr><th scope="col">Material</th><th scope="col">ρ (Ω·m)</th></tr></thead><tbody><tr><td>Copper</td><td>1.68 × 10<sup>−8</sup></td></tr><tr><td>Silver</td><td>1.59 × 10<sup>−8</sup></td></tr></tbody></table>
<p><math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><mi>P</mi><mo>=</mo><msup><mi>I</mi><mn>2</mn></msup><mi>R</mi></math></p>
<p><img src="media/resistor.png" alt="The same resistor, again"></p>"""


def realistic_package(**changes):
    """A package as a build would compute it; ``changes`` replace fields (tests of hostile
    values)."""
    work_changes = changes.pop("work", {})
    source = Work(
        title="University Physics Volume 2",
        url=SOURCE,
        authors=(Author("OpenStax", "https://openstax.org"),),
        license="CC-BY-4.0",
        language="en",
    )
    work = Work(
        title="Electric Circuits for Technicians",
        url=BOOK,
        authors=(Author("Ana Lima", "https://example.edu/~alima"), Author("Ben Okafor")),
        license="CC-BY-NC-SA-4.0",
        language="en",
        kind="adaptation",
        based_on=(source,),
        changes=(Change("Chapters 9 and 10 shortened."),),
        assets=(
            Asset(
                kind="image",
                source="media/resistor.png",
                title="Resistor colour bands",
                authors=(Author("Jane Doe"),),
                license="CC-BY-4.0",
                changes=(Change("Cropped."),),
            ),
        ),
    ).replace(**work_changes)
    metadata = {
        "@context": "https://schema.org",
        "@type": "Book",
        "name": work.title,
        "url": BOOK,
        "inLanguage": "en",
        "license": BY_NC_SA,
        "author": [{"@type": "Person", "name": a.name} for a in work.authors],
        "isBasedOn": [
            {
                "@type": "Book",
                "name": "University Physics Volume 2",
                "url": SOURCE,
                "license": BY,
                "author": [{"@type": "Organization", "name": "OpenStax"}],
            }
        ],
        "educationalUse": "instruction",
        "dateModified": "2024-05-31T12:00:00Z",
    }
    fields = {
        "work": work,
        "slug": "electric-circuits",
        "identifier": "urn:uuid:3f1c6d0e-8f0b-5b7e-9a51-2f4d7c1e0a11",
        "modified": "2024-05-31T12:00:00Z",
        "modules": (
            PackageModule("ch1", "Current and resistance", MODULE_1),
            PackageModule("ch2", "Power", MODULE_2, changes=(Change("Shortened."),)),
        ),
        "assets": (PackageAsset("media/resistor.png", tiny_png(), "image/png", work.assets[0]),),
        "notice_html": NOTICE,
        "notice_text": "Electric Circuits for Technicians by Ana Lima is licensed under CC BY-NC-SA 4.0.",
        "credits_html": CREDITS,
        "credits_markdown": "## Credits\n\n- “University Physics Volume 2” by OpenStax is licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n",
        "metadata": metadata,
        "description": "A first course in DC and AC circuits for electrical technicians.",
        "learning_outcomes": (
            "Apply Ohm’s law to series and parallel circuits.",
            "Calculate the power dissipated in a resistor.",
        ),
    }
    fields.update(changes)
    return Package(**fields)


def build(package, folder: Path) -> Path:
    folder.mkdir()
    WRITER.write(package, folder)
    return folder


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def parse(path: Path) -> etree._Element:
    """Parse a page strictly: libxml2's HTML parser without recovery fails on a stray end tag."""
    return etree.fromstring(path.read_bytes(), etree.HTMLParser(recover=False))


def pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(realistic_package(), tmp_path_factory.mktemp("site") / "out")


HOSTILE = [
    "</title><script>alert(1)</script>",
    '" onmouseover="x',
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "</script><script>alert(2)</script>",
    "<!-- -->&amp; {{ 7*7 }}",
]


def assert_inert(root: etree._Element) -> None:
    """No script but the JSON-LD, no event handler, no ``javascript:`` URL anywhere."""
    scripts = root.findall(".//script")
    assert all(s.get("type") == "application/ld+json" for s in scripts)
    assert len(scripts) <= 1
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in ("iframe", "object", "embed", "base", "form")
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            compact = "".join(value.split()).lower()
            assert not compact.startswith(("javascript:", "data:", "vbscript:")), (el.tag, name)


class TestFolder:
    """What the folder holds."""

    def test_files(self, site):
        assert sorted(files_of(site)) == [
            "ch1.html",
            "ch2.html",
            "credits.html",
            "index.html",
            "media/resistor.png",
            "metadata.jsonld",
            "style.css",
        ]

    def test_media_bytes_kept(self, site):
        assert (site / "media/resistor.png").read_bytes() == tiny_png()

    def test_registered_as_html(self):
        assert writers()["html"] is WRITER

    def test_two_builds_are_byte_identical(self, tmp_path):
        first = files_of(build(realistic_package(), tmp_path / "a"))
        second = files_of(build(realistic_package(), tmp_path / "b"))
        assert first == second

    def test_only_modified_is_a_date(self, site, tmp_path):
        """Changing ``modified`` changes index.html and nothing else."""
        other = files_of(build(realistic_package(modified="2025-01-02T03:04:05Z"), tmp_path / "o"))
        changed = sorted(k for k, v in files_of(site).items() if other[k] != v)
        assert changed == ["index.html"]


class TestEveryPage:
    """Each page parses, is accessible and carries the licence notice."""

    @pytest.fixture(params=["index.html", "ch1.html", "ch2.html", "credits.html"])
    def page(self, request, site):
        return site / request.param

    def test_parses_strictly(self, page):
        assert parse(page).tag == "html"

    def test_language_and_one_h1(self, page):
        root = parse(page)
        assert (root.get("lang"), root.get("dir")) == ("en", "ltr")
        assert len(root.findall(".//h1")) == 1
        assert root.findtext(".//title").strip()

    def test_landmarks_and_skip_link(self, page):
        body = parse(page).find("body")
        landmarks = [el.tag for el in body if el.tag in ("header", "nav", "main", "footer")]
        assert landmarks[0] == "header" and landmarks[-1] == "footer"
        assert "main" in landmarks
        assert body.findall(".//nav")
        skip = body[0]
        assert skip.tag == "a" and skip.get("href") == "#main"
        assert body.find(".//main").get("id") == "main"

    def test_viewport_and_stylesheet_only(self, page):
        head = parse(page).find("head")
        assert head.find("meta[@name='viewport']") is not None
        assert [link.get("href") for link in head.findall("link[@rel='stylesheet']")] == [
            "style.css"
        ]

    def test_notice_in_footer_with_license_link(self, page):
        footer = parse(page).find(".//footer")
        licenses = [a.get("href") for a in footer.iter("a") if a.get("rel") == "license"]
        assert licenses[0] == BY_NC_SA  # the work's own licence comes first
        assert footer.find(".//p[@about]").get("about") == BOOK  # ccREL RDFa kept
        assert "credits.html" in [a.get("href") for a in footer.iter("a")]

    def test_head_states_the_license(self, page):
        head = parse(page).find("head")
        assert head.find("link[@rel='license']").get("href") == BY_NC_SA

    @pytest.mark.parametrize("name", ["index.html", "ch1.html", "ch2.html", "credits.html"])
    def test_detected_license_is_the_package_license(self, site, name):
        assert detect((site / name).read_text(encoding="utf-8")).license_id == "CC-BY-NC-SA-4.0"

    def test_no_javascript(self, page):
        assert_inert(parse(page))

    def test_alt_text_kept(self, page):
        for img in parse(page).iter("img"):
            assert img.get("alt")


class TestLinks:
    """Navigation links and media references resolve."""

    def test_every_local_link_resolves(self, site):
        for page in pages(site):
            root = parse(page)
            for el in root.iter():
                for attr in ("href", "src"):
                    value = el.get(attr)
                    if value is None or urlsplit(value).scheme:
                        continue
                    path, _, fragment = value.partition("#")
                    target = site / path if path else page
                    assert target.is_file(), f"{page.name}: {value}"
                    if fragment and target.suffix == ".html":
                        assert parse(target).xpath("//*[@id=$f]", f=fragment), (
                            f"{page.name}: {value}"
                        )

    def test_media_referenced_exist(self, site):
        srcs = {img.get("src") for page in pages(site) for img in parse(page).iter("img")}
        assert srcs == {"media/resistor.png"}
        assert all((site / src).is_file() for src in srcs)

    def test_contents_list_every_module_in_order(self, site):
        toc = parse(site / "index.html").find(".//nav[@class='toc']")
        assert [(a.get("href"), a.text) for a in toc.iter("a")] == [
            ("ch1.html", "Current and resistance"),
            ("ch2.html", "Power"),
            ("credits.html", "Credits"),
        ]

    @pytest.mark.parametrize(
        ("name", "prev", "next"),
        [
            ("ch1.html", None, "ch2.html"),  # first module: no previous page
            ("ch2.html", "ch1.html", None),  # last module: no next page
            ("credits.html", "ch2.html", None),  # credits follow the last module
        ],
    )
    def test_previous_and_next(self, site, name, prev, next):
        pager = parse(site / name).find(".//nav[@class='pager']")
        rels = {a.get("rel"): a.get("href") for a in pager.iter("a")}
        assert rels.get("prev") == prev
        assert rels.get("next") == next
        assert "index.html#contents" in rels.values()


class TestContent:
    """Module content is written as it came, headings kept below the page's h1."""

    def test_figure_table_and_mathml_kept(self, site):
        one, two = parse(site / "ch1.html"), parse(site / "ch2.html")
        assert one.find(".//figure/figcaption").text == "Figure 1. A carbon-film resistor."
        assert two.find(".//table/caption").text == "Resistivity at 20 °C"
        assert [th.text for th in two.iter("th")] == ["Material", "ρ (Ω·m)"]
        maths = [el for page in (one, two) for el in page.iter() if el.tag == "math"]
        assert len(maths) == 2

    def test_content_opening_with_the_title_gives_the_h1(self, site):
        root = parse(site / "ch2.html")
        assert [(h.tag, h.text) for h in root.iter("h1", "h2", "h3")] == [
            ("h1", "Power"),  # the content's own h1, which is the module title: not repeated
            ("h2", "Power in a resistor"),
        ]
        assert root.find(".//h2").get("id") == "power"

    def test_fragment_without_h1_untouched(self, site):
        text = (site / "ch1.html").read_text(encoding="utf-8")
        assert MODULE_1 in text

    def test_credits_page(self, site):
        root = parse(site / "credits.html")
        assert root.find(".//h1").text == "Credits"
        assert root.find(".//main//section[@class='oerremix-credits']") is not None


@pytest.mark.parametrize(
    ("fragment", "title", "has_title", "levels"),
    [
        # no h1: headings stay, the page writes the title
        ("<h2>A</h2><h3>B</h3>", "T", False, ["h2", "h3"]),
        # an h1 that is not the title: everything one level down, h6 stays h6
        ("<h1>A</h1><h2>B</h2><h6>C</h6>", "T", False, ["h2", "h3", "h6"]),
        # opens with the title (white space aside): it becomes the h1, the rest follow below
        ("<h1>The  title</h1><h2>B</h2>", "The title", True, ["h1", "h2"]),
        ("<section><h2>T</h2><h3>B</h3></section>", "T", True, ["h1", "h2"]),
        # a later heading at the title's level goes below the h1, its sub-headings with it
        ("<h2>T</h2><h3>B</h3><h2>C</h2><h3>D</h3>", "T", True, ["h1", "h3", "h2", "h3"]),
        # text before the heading: it does not open the content
        ("<p>x</p><h1>T</h1>", "T", False, ["h2"]),
        ("<p>x</p>", "T", False, []),
    ],
)
def test_arrange_headings(fragment, title, has_title, levels):
    body = parse_html(fragment).body
    assert arrange_headings(body, title) is has_title
    assert [h.tag for h in body.iter("h1", "h2", "h3", "h4", "h5", "h6")] == levels


class TestMetadata:
    """metadata.jsonld and the JSON-LD in index.html are the package metadata."""

    def test_file_equals_package_metadata(self, site):
        text = (site / "metadata.jsonld").read_text(encoding="utf-8")
        assert json.loads(text) == realistic_package().metadata
        assert text.startswith('{\n  "@context"')  # indented, keys sorted

    def test_embedded_equals_file(self, site):
        scripts = parse(site / "index.html").findall(".//script")
        assert [s.get("type") for s in scripts] == ["application/ld+json"]
        assert json.loads(scripts[0].text) == realistic_package().metadata
        assert scripts[0].text.strip() == (site / "metadata.jsonld").read_text().strip()

    def test_script_cannot_be_closed_from_inside(self):
        text = jsonld_text({"name": "</script><script>alert(1)</script>", "x": "a & b <!--"})
        assert not re.search(r"[<>&]", text)
        assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


class TestHostileMetadata:
    """Titles, names, descriptions and outcomes are text, whatever they contain."""

    @pytest.fixture(params=HOSTILE)
    def evil(self, request):
        return request.param

    @pytest.fixture
    def evil_site(self, evil, tmp_path):
        package = realistic_package(
            work={
                "title": evil,
                "authors": (
                    Author(evil, "javascript:alert(1)"),
                    Author("Ben", " JaVaScRiPt:alert(1)"),
                    Author("Cy", "data:text/html,<script>alert(1)</script>"),
                ),
            },
            description=evil,
            learning_outcomes=(evil,),
            modules=(
                PackageModule("ch1", evil, "<p>one</p>"),
                PackageModule("ch2", "Two", "<p>two</p>"),
            ),
            metadata={"@context": "https://schema.org", "name": evil, "description": evil},
        )
        return build(package, tmp_path / "out")

    def test_pages_stay_inert(self, evil_site):
        for page in pages(evil_site):
            assert_inert(parse(page))

    def test_values_are_text(self, evil, evil_site):
        index = parse(evil_site / "index.html")
        assert index.findtext(".//title") == evil
        assert index.find(".//h1").text == evil
        assert index.find(".//p[@class='description']").text == evil
        assert index.find(".//meta[@name='description']").get("content") == evil
        assert index.find(".//section/ul/li").text == evil
        assert index.find(".//p[@class='authors']").xpath("string()").count(evil) == 1
        assert json.loads(index.find(".//script").text)["name"] == evil
        module = parse(evil_site / "ch1.html")
        assert module.find(".//h1").text == evil
        assert module.findtext(".//title") == f"{evil} – {evil}"
        # the next page's link names this one in ch2's pager
        pager = parse(evil_site / "ch2.html").find(".//nav[@class='pager']")
        assert evil in pager.xpath("string()")

    def test_unsafe_author_links_dropped(self, evil_site):
        authors = parse(evil_site / "index.html").find(".//p[@class='authors']")
        assert authors.findall(".//a") == []


class TestLanguage:
    """The lang attribute follows the work; the fixed words say when they are English."""

    def test_unknown_language(self, tmp_path):
        site = build(realistic_package(work={"language": None}), tmp_path / "out")
        assert parse(site / "index.html").get("lang") == "und"

    def test_right_to_left_language(self, tmp_path):
        site = build(realistic_package(work={"language": "ar-EG"}), tmp_path / "out")
        assert parse(site / "index.html").get("dir") == "rtl"

    def test_other_language_marks_english_words(self, tmp_path):
        site = build(realistic_package(work={"language": "de"}), tmp_path / "out")
        root = parse(site / "ch1.html")
        assert root.get("lang") == "de"
        assert root.find(".//a[@class='skip']").get("lang") == "en"
        assert root.find(".//nav[@class='pager']").get("lang") == "en"
        assert root.find(".//h1").get("lang") is None  # the module title is the work's

    def test_french_words_for_a_french_book(self, tmp_path):
        site = build(realistic_package(work={"language": "fr-CA"}), tmp_path / "out")
        root = parse(site / "ch1.html")
        skip = root.find(".//a[@class='skip']")
        assert (skip.text, skip.get("lang")) == ("Aller au contenu", None)
        assert root.find(".//nav[@class='pager']").get("lang") is None
        assert "Suivant" in "".join(root.find(".//nav[@class='pager']").itertext())


class TestRefused:
    """Ids and paths that cannot safely become file names are refused before writing."""

    @pytest.mark.parametrize(
        "module_id",
        [
            "../escape",  # outside the folder
            "a/b",  # a sub-folder
            "index",  # would overwrite the home page
            "Credits",  # …or the credits page on a case-insensitive disk
            ".hidden",  # hidden file
            "",  # no name
        ],
    )
    def test_bad_module_id(self, module_id, tmp_path):
        package = realistic_package(modules=(PackageModule(module_id, "T", "<p>x</p>"),))
        with pytest.raises(WriteError):
            build(package, tmp_path / "out")
        assert list((tmp_path / "out").iterdir()) == []

    def test_duplicate_module_id(self):
        module = PackageModule("ch1", "T", "<p>x</p>")
        with pytest.raises(WriteError, match="two modules"):
            check_package(realistic_package(modules=(module, module)))

    @pytest.mark.parametrize(
        "path",
        [
            "resistor.png",  # not under media/
            "media/../index.html",  # climbs out of media/
            "/etc/passwd",  # absolute
            "media\\x.png",  # a Windows separator
            "media/",  # no file name
        ],
    )
    def test_bad_asset_path(self, path):
        asset = realistic_package().assets[0]
        package = realistic_package(assets=(PackageAsset(path, b"x", "image/png", asset.asset),))
        with pytest.raises(WriteError):
            check_package(package)


class TestStylesheet:
    """Readable on a phone, nothing fetched from elsewhere."""

    def test_no_external_resources(self, site):
        css = (site / "style.css").read_text(encoding="utf-8")
        assert "@import" not in css and "url(" not in css and "@font-face" not in css
        assert "@media (max-width" in css and "max-width: 100%" in css
        for page in pages(site):
            root = parse(page)
            for el in root.iter("link", "script", "img"):
                for attr in ("href", "src"):
                    value = el.get(attr) or ""
                    if el.tag == "link" and el.get("rel") == "license":
                        continue
                    assert not urlsplit(value).scheme, (page.name, value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/", "https://example.org/"),
        ("http://example.org/x", "http://example.org/x"),
        ("javascript:alert(1)", None),
        ("java\nscript:alert(1)", None),  # control characters removed first
        ("//example.org/", None),  # no scheme
        ("mailto:a@example.org", None),  # not a web page
        (None, None),
    ],
)
def test_http_url(url, expected):
    assert http_url(url) == expected
