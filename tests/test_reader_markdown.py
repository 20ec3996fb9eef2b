"""The Markdown reader: real LiaScript courses and a real pandoc book, plus small hand-made files.

Real files are in ``tests/data/diagnostik-liascript-holz-raum-maler/`` and
``tests/data/lessons-in-electric-circuits-ref-md/`` (see each SOURCE.md). Folders are read from a
copy in ``tmp_path`` made without our SOURCE.md, so the reader sees the files as upstream has
them. Expected values are written from reading the files. The hand-made ``metadata.yml`` follows
the AMB profile's documented shape (https://github.com/dini-ag-kim/amb, ``draft/examples``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import Work
from oerremix.readers import Input
from oerremix.readers import markdown as markdown_reader
from oerremix.readers.markdown import READER

DATA = Path(__file__).parent / "data"
LIA = DATA / "diagnostik-liascript-holz-raum-maler"
LEC = DATA / "lessons-in-electric-circuits-ref-md"
RAW = "https://raw.githubusercontent.com/Ifi-DiAgnostiK-Project/LiaScript-Courses/refs/heads/main/"
TITLE_IMAGE_CREDIT = (
    "Title Image by Martin Vorel, CC BY-SA 4.0 <https://creativecommons.org/licenses/by-sa/4.0>,"
    " via Wikimedia Commons"
)


def read(path: Path) -> Work:
    data = None if path.is_dir() else path.read_bytes()
    return READER.read(Input(str(path), path, data, None, None))


def upstream(corpus: Path, target: Path, *, only: tuple[str, ...] = ()) -> Path:
    """Copy a corpus folder as upstream has it (without our SOURCE.md), or only some files."""
    if only:
        for name in only:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(corpus / name, target / name)
    else:
        shutil.copytree(corpus, target, ignore=shutil.ignore_patterns("SOURCE.md"))
    return target


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def assets(work: Work) -> dict[str, tuple[object, ...]]:
    return {a.source: (a.license, a.credit, a.license_inherited) for a in work.assets}


class TestLiaScriptCourse:
    """One LiaScript course read on its own (Holzarten_01.md)."""

    @pytest.fixture(scope="class")
    @classmethod
    def work(cls) -> Work:
        return read(LIA / "courses" / "Holzarten_01.md")

    def test_header(self, work):
        assert work.title == "Holzarten I"  # the header's title:, not the first heading
        assert [a.name for a in work.authors] == ["Jan Franke", "Volker Göhler", "Hilke Domsch"]
        assert (work.language, work.year) == ("de", 2025)

    def test_no_licence_of_its_own(self, work):
        # the only licence statement (CC BY-SA 4.0) is the title image's credit
        assert work.license is None
        assert work.provenance.license_status == "none"
        assert work.provenance.license_evidence == ()

    @pytest.mark.parametrize(
        ("src", "expected"),
        [
            # logo + attribute: "Title Image by Martin Vorel, CC BY-SA 4.0 <…>, via Wikimedia …"
            (
                "https://upload.wikimedia.org/wikipedia/commons/5/59/Dry_wood_texture.jpg",
                ("CC-BY-SA-4.0", TITLE_IMAGE_CREDIT, False),
            ),
            # the caption line under the image: a credit without a licence
            (RAW + "courses/img/bretter.jpg", (None, "_Quelle: Pixabay, antmoreton_", False)),
            # the same after an image followed by a LiaScript style comment
            ("img/colorfull_jumping.jpg", (None, "_Quelle: Pixabay, geralt_", False)),
        ],
    )
    def test_assets(self, work, src, expected):
        assert assets(work)[src] == expected
        assert len(work.assets) == 3

    def test_sections_follow_the_headings(self, work):
        # "## …" before "Teil 1\n===" (a setext h1): levels as written, non-ASCII slugs kept
        assert [(s.id, s.level) for s in work.sections][:3] == [
            ("überprüfen-sie-ihr-wissen-zu-den-holzarten-i", 2),
            ("teil-1", 1),
            ("welche-holzart-erkennen-sie", 1),
        ]
        part = work.content.get("teil-1")
        assert part.html.startswith('<h1 id="teil-1">Teil 1</h1>')
        assert "<!--" not in part.html  # the header and LiaScript comments are not content


class TestLiaScriptCourseWithQuotedHeader:
    """Raumausstatter_Holzverbindungen.md: quoted values, credits in image titles and raw HTML."""

    @pytest.fixture(scope="class")
    @classmethod
    def work(cls) -> Work:
        return read(LIA / "courses" / "Raumausstatter_Holzverbindungen.md")

    def test_header(self, work):
        assert work.title == "R3/06 Holzverbindungen im Polstermöbelbau - Überblickswissen"
        assert [a.name for a in work.authors] == ["Hilke Domsch"]
        assert work.year == 2026

    @pytest.mark.parametrize(
        ("src", "credit"),
        [
            # attribute: "Quelle Titlebild: pixabay" belongs to the logo: credit, no licence
            ("img/woodwall_corner.png", "Quelle Titlebild: pixabay"),
            # the image title is the credit, kept as written (Markdown link included)
            (
                "img/Holzverb_Couchrahmen.webp",
                "[_Quelle: Sudenn Holzbearbeitung_](https://sudenn-holzbearbeitung.de/)",
            ),
            # an image inside a raw HTML <div>: still an image of the course
            ("img/Holzverb_duebel_zoom.png", "_Quelle:HWK Dresden, Florian Riefling_"),
            # no space before the title ("…jpg"_Quelle…"), inside raw HTML
            ("img/Holzverb_zapfen.jpg", "_Quelle: HWK Dresden, Florian Riefling_"),
            # an AI-generated image, credited as such
            ("img/Holzverb_Stuhl.png", "_Quelle: KI generiert, bearbeitet GKZ_"),
        ],
    )
    def test_credits_without_licences(self, work, src, credit):
        assert assets(work)[src] == (None, credit, False)

    def test_every_image_is_found_once(self, work):
        assert len(work.assets) == 17
        assert len({a.source for a in work.assets}) == 17


class TestCourseRepository:
    """The course with the repository's README and LICENSE: the repository's licence applies."""

    @pytest.fixture
    def work(self, tmp_path) -> Work:
        files = ("README.md", "LICENSE", "courses/Holzarten_01.md")
        return read(upstream(LIA, tmp_path / "repo", only=files))

    def test_licence_from_the_repository_files(self, work):
        assert work.license == "CC0-1.0"
        assert work.provenance.license_status == "found"
        places = {e.where.split(":")[0] for e in work.provenance.license_evidence}
        assert places == {"LICENSE", "README.md"}

    def test_the_one_course_describes_the_book(self, work):
        assert work.title == "Holzarten I"
        assert [a.name for a in work.authors] == ["Jan Franke", "Volker Göhler", "Hilke Domsch"]
        assert work.language == "de"
        assert [s.id for s in work.sections][:2] == ["Holzarten_01", "Holzarten_01/teil-1"]
        assert work.sections[0].title == "Holzarten I"

    def test_assets_keep_their_own_statements(self, work):
        # CC0 for the course does not reach the credited images (no "except where otherwise
        # noted"); paths are relative to the folder
        found = assets(work)
        logo = "https://upload.wikimedia.org/wikipedia/commons/5/59/Dry_wood_texture.jpg"
        assert found[logo] == ("CC-BY-SA-4.0", TITLE_IMAGE_CREDIT, False)
        assert found["courses/img/colorfull_jumping.jpg"] == (
            None,
            "_Quelle: Pixabay, geralt_",
            False,
        )

    def test_provenance_hashes_the_files_read(self, work):
        assert work.provenance.sha256 is not None and len(work.provenance.sha256) == 64


class TestCourseCollection:
    """Both courses with the README and LICENSE: chapters in natural order, one licence."""

    def test_two_courses(self, tmp_path):
        work = read(upstream(LIA, tmp_path / "repo"))
        assert work.license == "CC0-1.0"
        assert work.title == "DiAgnostiK_LiaScript"  # the README's heading: no single course
        assert [s.id for s in work.sections if s.level == 1] == [
            "Holzarten_01",
            "Raumausstatter_Holzverbindungen",
        ]
        assert [a.name for a in work.authors] == ["Jan Franke", "Volker Göhler", "Hilke Domsch"]
        assert "courses/img/woodwall_corner.png" in assets(work)


class TestLessonsInElectricCircuits:
    """The pandoc book whose licence statements contradict each other."""

    @pytest.fixture
    def folder(self, tmp_path) -> Path:
        return upstream(LEC, tmp_path / "lessons")

    def test_conflict_is_reported_with_every_statement(self, folder):
        # LICENSE.md: the Design Science License; both READMEs: "the Creative Commons License"
        # (a CC licence of unknown type); Appendix 3 "CC BY License": CC BY 4.0. A CC licence
        # and the DSL cannot both be the book's licence.
        work = read(folder)
        assert work.license is None
        assert work.provenance.license_status == "conflict"
        places = {e.where.split(":")[0] for e in work.provenance.license_evidence}
        assert places == {
            "LICENSE.md",
            "README.md",
            "src_pandoc/README.md",
            "src_pandoc/Ref/REF_A3.md",
        }
        kinds = {(e.where.split(":")[0], e.match) for e in work.provenance.license_evidence}
        assert ("LICENSE.md", "Design Science License") in kinds
        assert ("README.md", "Creative Commons License") in kinds
        assert ("src_pandoc/Ref/REF_A3.md", "CC BY 4.0") in kinds

    def test_metadata_file(self, folder):
        # src_pandoc/Ref/metadata.yaml (never closed with ---); "(c) July 2001" is not an author
        work = read(folder)
        assert work.title == "Lessons in Electronic Circuits: Reference"
        assert [a.name for a in work.authors] == ["Tony Kuphaldt"]
        assert (work.copyright, work.year) == ("(c) July 2001", 2001)

    def test_chapters_in_natural_order_with_pandoc_ids(self, folder):
        work = read(folder)
        chapters = [(s.id, s.title) for s in work.sections if s.level == 1]
        assert chapters == [
            ("REF_5", "Chapter 5: Trigonometry Reference"),
            ("REF_10", "Chapter 10: Periodic Table of the Elements"),
            ("REF_A3", "Appendix 3: CC BY License"),
        ]
        titles = {s.id: (s.title, s.level) for s in work.sections}
        # "## … { #sec:xtocid15784580 }": the id pandoc gives it
        assert titles["sec:xtocid15784580"] == ("Right triangle trigonometry", 2)
        assert titles["sec:xtocid15784581"] == ("Trigonometric identities", 3)
        # "## [[Non-right triangle trigonometry]{#xtocid15784583}]{.underline}": spans unwrapped
        assert titles["REF_5/non-right-triangle-trigonometry"][0] == (
            "Non-right triangle trigonometry"
        )

    def test_figures_have_no_licence_of_their_own(self, folder):
        work = read(folder)
        assert len(work.assets) == 10  # 8 figures in REF_5, 2 in REF_10
        found = assets(work)
        assert found["src_pandoc/Ref/media/01064.png"] == (None, None, False)
        titles = {a.source: a.title for a in work.assets}
        assert titles["src_pandoc/Ref/media/01064.png"] == "Periodic table of chemical elements."

    @pytest.mark.parametrize("keep", [None, 0], ids=["kept", "compressed"])
    def test_sections_hold_what_was_read(self, folder, keep, monkeypatch):
        """The content is the one whose licence and sections were read, even if a file
        changes or goes away afterwards (each chapter's HTML is kept, compressed past a
        budget)."""
        if keep is not None:
            monkeypatch.setattr(markdown_reader._BookLoader, "KEEP", keep)
        work = read(folder)
        (folder / "src_pandoc" / "Ref" / "REF_10.md").unlink()
        (folder / "src_pandoc" / "Ref" / "REF_5.md").write_text("# Something else\n")
        first = work.content.get("REF_5")
        assert first.html.startswith('<h1 id="REF_5">Chapter 5: Trigonometry Reference</h1>')
        assert first.base.endswith("REF_5.md")
        section = work.content.get("sec:xtocid15784580")
        assert '<img src="media/01001.png" alt="" id="fig:01001">' in section.html
        assert work.content.get("REF_10").html.startswith('<h1 id="REF_10">')

    def test_sections_loaded_together_are_the_sections_loaded_one_by_one(self, folder):
        """get_many parses each chapter once for all its sections asked for, in any order."""
        content = read(folder).content
        ids = [s.id for s in content.sections]
        asked = ids[::-1] + ids[:2]  # backwards, across chapters, and one asked twice
        assert content.get_many(asked) == [content.get(i) for i in asked]
        with pytest.raises(KeyError):
            content.get_many(["no-such-section"])

    def test_the_licence_appendix_alone_states_cc_by(self):
        work = read(LEC / "src_pandoc" / "Ref" / "REF_A3.md")
        assert (work.license, work.provenance.license_status) == ("CC-BY-4.0", "found")
        assert work.title == "Appendix 3: CC BY License"


FRONT_MATTER_LICENSES = [
    # an id from the catalogue
    pytest.param("license: CC-BY-SA-4.0", "CC-BY-SA-4.0", "found", id="id"),
    # a deed URL in any of its forms
    pytest.param(
        "license: https://creativecommons.org/licenses/by-sa/4.0/deed.de",
        "CC-BY-SA-4.0",
        "found",
        id="deed-url",
    ),
    # the AMB shape: an object with id
    pytest.param(
        "license:\n  id: https://creativecommons.org/licenses/by/4.0/",
        "CC-BY-4.0",
        "found",
        id="amb",
    ),
    # a short name
    pytest.param('licence: "CC BY-NC 4.0"', "CC-BY-NC-4.0", "found", id="short-name"),
    # no version: any CC BY version
    pytest.param("license: CC BY", None, "ambiguous", id="no-version"),
    # a value that names no licence oerremix knows: stated, but not identified
    pytest.param("license: proprietary", None, "ambiguous", id="unknown"),
    # two different licences in one list
    pytest.param("license: [CC-BY-4.0, CC0-1.0]", None, "conflict", id="two"),
]


class TestFrontMatter:
    """YAML front matter of a single file."""

    def test_fields(self, tmp_path):
        path = write(
            tmp_path / "intro.md",
            "---\n"
            "title: Soil and Water\n"
            "authors:\n  - Maria Santos\n  - name: Tom Baker\n    url: https://example.org/tb\n"
            "license: CC-BY-4.0\n"
            "lang: pt-BR\n"
            "date: 2024-03-01\n"
            "description: An introduction.\n"
            "isBasedOn:\n"
            "  - name: Soils and Society\n"
            "    id: https://library.example.org/soils\n"
            "    license: {id: 'https://creativecommons.org/licenses/by/3.0/'}\n"
            "---\n"
            "# Water in soil\n\nText.\n",
        )
        work = read(path)
        assert work.title == "Soil and Water"
        assert [(a.name, a.url) for a in work.authors] == [
            ("Maria Santos", None),
            ("Tom Baker", "https://example.org/tb"),
        ]
        assert (work.license, work.language, work.year) == ("CC-BY-4.0", "pt-BR", 2024)
        (source_work,) = work.based_on
        assert (source_work.title, source_work.url, source_work.license) == (
            "Soils and Society",
            "https://library.example.org/soils",
            "CC-BY-3.0",
        )
        assert work.kind == "adaptation"
        # the front matter is not content
        (part,) = work.content
        assert part.html.strip() == '<h1 id="water-in-soil">Water in soil</h1>\n<p>Text.</p>'

    @pytest.mark.parametrize(("line", "license_id", "status"), FRONT_MATTER_LICENSES)
    def test_license_values(self, tmp_path, line, license_id, status):
        work = read(write(tmp_path / "a.md", f"---\n{line}\n---\n# A\n"))
        assert (work.license, work.provenance.license_status) == (license_id, status)

    def test_front_matter_outranks_the_text(self, tmp_path):
        # a machine-readable statement decides; a licence met in the text is not a claim then
        work = read(
            write(
                tmp_path / "a.md",
                "---\nlicense: CC-BY-4.0\n---\nSee also CC BY-SA 4.0 material elsewhere.\n",
            )
        )
        assert (work.license, work.provenance.license_status) == ("CC-BY-4.0", "found")

    def test_unclosed_front_matter_is_a_thematic_break(self, tmp_path):
        work = read(write(tmp_path / "a.md", "---\ntitle: x\n\n# Heading\n"))
        assert work.title == "Heading"


class TestImages:
    """Images get the credit written next to them and inherit only where the work says so."""

    BODY = (
        "---\nlicense: CC-BY-4.0\n---\n"
        "All content is CC BY 4.0 except where otherwise noted.\n\n"
        "![Own diagram](img/own.png)\n\n"
        "![Soil pit](img/pit.jpg)\n"
        "*Photo by Lena Berg, CC BY-SA 4.0*\n\n"
        "![Field kit](img/kit.jpg)\n\n"
        "_Photo courtesy of the Soil Lab._\n\n"
        '![Gauge](https://images.example.com/gauge.png "Source: Example Images")\n\n'
        "![Map](https://maps.example.com/map.png)\n\n"
        "![Demo](media/demo.mp4)\n"
    )

    @pytest.mark.parametrize(
        ("src", "expected"),
        [
            # no statement, part of the work, "except where otherwise noted": inherited
            ("img/own.png", ("CC-BY-4.0", None, True)),
            # the line right under the image (same paragraph) credits it, with a licence
            ("img/pit.jpg", ("CC-BY-SA-4.0", "*Photo by Lena Berg, CC BY-SA 4.0*", False)),
            # the next paragraph credits it, without a licence: credit only
            ("img/kit.jpg", (None, "_Photo courtesy of the Soil Lab._", False)),
            # the credit in the image's title
            ("https://images.example.com/gauge.png", (None, "Source: Example Images", False)),
            # an image from another site is not covered by the work's licence
            ("https://maps.example.com/map.png", (None, None, False)),
            # a video file is a video asset, inherited like any part of the work
            ("media/demo.mp4", ("CC-BY-4.0", None, True)),
        ],
    )
    def test_credits_and_inheritance(self, tmp_path, src, expected):
        work = read(write(tmp_path / "page.md", self.BODY))
        assert assets(work)[src] == expected

    def test_credit_lines_are_not_the_work_s_licence(self, tmp_path):
        work = read(write(tmp_path / "page.md", "# Page\n\n![x](a.png)\n*Image: Ann, CC0 1.0*\n"))
        assert work.license is None
        assert assets(work)["a.png"] == ("CC0-1.0", "*Image: Ann, CC0 1.0*", False)

    def test_kinds(self, tmp_path):
        work = read(write(tmp_path / "page.md", self.BODY))
        kinds = {a.source: a.kind for a in work.assets}
        assert kinds["media/demo.mp4"] == "video"
        assert kinds["img/own.png"] == "image"

    def test_captions_in_lists_cells_and_pandoc_attributes(self, tmp_path):
        text = (
            "- ![Meter](img/meter.png)\n  Photo by Ann Lee, CC BY 4.0\n  - a nested item\n\n"
            '| Figure | Note |\n|---|---|\n| ![Coil](img/coil.png "Image: Bo Chen, CC0") | x |\n\n'
            "![](img/bands.png){ #fig:bands width=75% }\n\n"
            "Image: Resistor bands by Kuphaldt, CC BY 4.0\n\n"
            "![](<img/fig 2 é.png>)\n\n"
            '<div>\n![Logo](img/logo.png "Logo by Dee, CC BY-SA 4.0")\n</div>\n'
        )
        work = read(write(tmp_path / "page.md", text))
        found = assets(work)
        # a tight list item: the line under the image, not the nested list, is its credit
        assert found["img/meter.png"] == ("CC-BY-4.0", "Photo by Ann Lee, CC BY 4.0", False)
        assert found["img/coil.png"] == ("CC0-1.0", "Image: Bo Chen, CC0", False)
        # pandoc's {#fig:… width=…} after an image does not stop the next paragraph crediting it
        assert found["img/bands.png"] == (
            "CC-BY-4.0",
            "Image: Resistor bands by Kuphaldt, CC BY 4.0",
            False,
        )
        # the same address the page's <img src> has (percent-encoded), so the image is one asset
        assert "img/fig%202%20%C3%A9.png" in found
        assert not any(" " in source for source in found)
        # a Markdown image inside raw HTML (LiaScript layouts)
        assert found["img/logo.png"] == ("CC-BY-SA-4.0", "Logo by Dee, CC BY-SA 4.0", False)
        assert work.license is None  # credits are the figures' licences, not the page's
        content = work.content
        assert content is not None
        html = content.get(work.sections[0].id).html
        assert 'id="fig:bands"' in html
        assert "{ #fig" not in html

    def test_only_the_paragraph_right_after_an_image_is_its_caption(self, tmp_path):
        text = (
            # a heading comes between: the paragraph after it is no caption
            "![Pit](pit.png)\n\n## Photos by the Soil Lab\n\nPhoto by Ann Lee, CC BY 4.0\n\n"
            # "![" only in a code span: the next paragraph has no image and is the caption
            "![Kit](kit.png)\n\n`![x](not.png)` by Bo Chen, CC0\n\n"
            # the next paragraph starts with an image: no caption for either
            "![Gauge](gauge.png)\n\n![Map](map.png) Photo by Dee, CC BY-SA 4.0\n"
        )
        work = read(write(tmp_path / "page.md", text))
        assert assets(work) == {
            "pit.png": (None, None, False),
            "kit.png": ("CC0-1.0", "`![x](not.png)` by Bo Chen, CC0", False),
            "gauge.png": (None, None, False),
            "map.png": (None, None, False),
        }

    def test_raw_html_media_follow_the_markdown_images(self, tmp_path):
        text = (
            "![Diagram](img/diagram.png)\n\n"
            '<figure><img src="img/raw.png" alt="Raw">'
            "<figcaption>Photo by Ann Lee, CC BY 4.0</figcaption></figure>\n\n"
            '<video src="media/clip.mp4"></video>\n\n'
            '<img src="img/diagram.png" alt="the Markdown image again">\n'
        )
        work = read(write(tmp_path / "page.md", text))
        # the Markdown image once, then what the raw HTML adds, in the page's order
        assert [(a.source, a.kind, a.title) for a in work.assets] == [
            ("img/diagram.png", "image", "Diagram"),
            ("img/raw.png", "image", "Raw"),
            ("media/clip.mp4", "video", None),
        ]
        assert assets(work)["img/raw.png"] == ("CC-BY-4.0", "Photo by Ann Lee, CC BY 4.0", False)

    def test_a_media_attributions_list_in_raw_html_credits_its_item(self, tmp_path):
        text = (
            "# Soils\n\n"
            '<div class="media-attributions"><ul><li about="https://example.org/pit.jpg">'
            "Photo by Ann Lee, CC BY 4.0</li></ul></div>\n"
        )
        work = read(write(tmp_path / "page.md", text))
        assert assets(work) == {
            "https://example.org/pit.jpg": ("CC-BY-4.0", "Photo by Ann Lee, CC BY 4.0", False)
        }

    def test_an_image_in_an_image_s_alt_text_is_text(self, tmp_path):
        # CommonMark renders the inner image as alt text of the outer one: one image, c.png
        work = read(write(tmp_path / "page.md", '![a ![b](b.png) c](c.png "Photo: Ann, CC0")\n'))
        assert assets(work) == {"c.png": ("CC0-1.0", "Photo: Ann, CC0", False)}
        assert [a.title for a in work.assets] == ["a b c"]

    def test_a_destination_in_pointy_brackets_is_one_image(self, tmp_path):
        # CommonMark keeps the spaces inside <…> (spec 0.31, "link destination"): the page's
        # <img src> is "%20x.png%20", and the figure scan must name the same image, not a
        # second, stripped "x.png"
        text = '![a](< x.png > "Photo: Ann, CC0")\n\n![b](<y z.png>)\n'
        work = read(write(tmp_path / "page.md", text))
        assert [a.source for a in work.assets] == ["%20x.png%20", "y%20z.png"]
        assert work.assets[0].license == "CC0-1.0"

    def test_a_table_of_licences_is_read_cell_by_cell(self, tmp_path):
        # the rendered table has no whitespace between cells: "LessonsCC BY 4.0" hid the licence
        text = "| Part | Licence |\n|---|---|\n| Lessons | CC BY 4.0 |\n| OpenStax | CC BY-NC-SA 4.0 |\n"
        work = read(write(tmp_path / "page.md", text))
        assert work.license is None
        assert work.provenance.license_status == "ambiguous"
        statements = {e.match for e in work.provenance.license_evidence}
        assert {"CC BY 4.0", "CC BY-NC-SA 4.0"} <= statements


AMB = """\
'@context': https://w3id.org/kim/amb/context.jsonld
type: [LearningResource]
name: Einführung in die Bodenkunde
id: https://example.org/bodenkunde
creator:
  - type: Person
    givenName: Maria
    familyName: Santos
  - type: Organization
    name: Bodenlabor Beispielstadt
license:
  id: https://creativecommons.org/licenses/by/4.0/
inLanguage: [de]
datePublished: '2024-02-29'
isBasedOn:
  - id: https://example.org/soils-and-society
    name: Soils and Society
    creator: [{type: Person, name: Tom Baker}]
    license: {id: https://creativecommons.org/licenses/by/3.0/}
"""


class TestBookFolders:
    """Folders: AMB metadata, tables of contents, README/LICENSE agreement."""

    def test_amb_metadata(self, tmp_path):
        write(tmp_path / "metadata.yml", AMB)
        write(tmp_path / "01-einleitung.md", "# Einleitung\n\nText.\n")
        write(tmp_path / "02-boden.md", "# Boden\n\n## Horizonte\n\nText.\n")
        write(tmp_path / "README.md", "# Bodenkunde\n\nLizenz: CC BY 4.0\n")
        work = read(tmp_path)
        assert work.title == "Einführung in die Bodenkunde"
        assert [a.name for a in work.authors] == ["Maria Santos", "Bodenlabor Beispielstadt"]
        assert (work.url, work.language, work.year) == (
            "https://example.org/bodenkunde",
            "de",
            2024,
        )
        # metadata.yml and the README agree
        assert (work.license, work.provenance.license_status) == ("CC-BY-4.0", "found")
        (source_work,) = work.based_on
        assert (source_work.title, source_work.license) == ("Soils and Society", "CC-BY-3.0")
        assert [a.name for a in source_work.authors] == ["Tom Baker"]
        assert [(s.id, s.level) for s in work.sections] == [
            ("01-einleitung", 1),
            ("02-boden", 1),
            ("02-boden/horizonte", 2),
        ]

    def test_json_ld_metadata(self, tmp_path):
        # schema.org JSON-LD, the vocabulary the AMB profile uses: a README that also names the
        # source's licence leaves two candidates, the metadata says which is the book's
        write(
            tmp_path / "metadata.jsonld",
            """{
  "@context": "https://schema.org",
  "@type": "CreativeWork",
  "name": "Soil Science for Trades",
  "author": [{"name": "Maria Santos"}],
  "license": "https://creativecommons.org/licenses/by-sa/4.0/",
  "inLanguage": "en-CA",
  "copyrightNotice": "© 2025 Bodenlabor Beispielstadt",
  "isBasedOn": [{"@type": "CreativeWork", "name": "Soils and Society",
                 "url": "https://example.org/soils", "license": "https://creativecommons.org/licenses/by/4.0/"}]
}""",
        )
        write(
            tmp_path / "README.md",
            "# Soil Science for Trades\n\nCC BY-SA 4.0. Adapted from Soils and Society (CC BY 4.0).\n",
        )
        write(tmp_path / "01-soil.md", "# Soil\n\nText.\n")
        work = read(tmp_path)
        assert (work.license, work.provenance.license_status) == ("CC-BY-SA-4.0", "found")
        assert work.title == "Soil Science for Trades"
        assert [a.name for a in work.authors] == ["Maria Santos"]
        assert work.language == "en-CA"
        assert work.copyright == "© 2025 Bodenlabor Beispielstadt"
        assert [(s.title, s.license) for s in work.based_on] == [("Soils and Society", "CC-BY-4.0")]

    def test_readme_and_license_disagree(self, tmp_path):
        write(tmp_path / "LICENSE.md", "Creative Commons Attribution-ShareAlike 4.0 International")
        write(tmp_path / "README.md", "# Book\n\nThis book is licensed under CC BY 4.0.\n")
        write(tmp_path / "chapter.md", "# One\n")
        work = read(tmp_path)
        assert (work.license, work.provenance.license_status) == (None, "conflict")

    def test_chapter_front_matter_licence_is_the_section_s(self, tmp_path):
        write(tmp_path / "LICENSE", "SPDX-License-Identifier: CC-BY-4.0\n")
        write(tmp_path / "a.md", "# A\n")
        write(tmp_path / "b.md", "---\nlicense: CC-BY-SA-4.0\n---\n# B\n")
        write(tmp_path / "c.md", "---\nlicense: CC-BY-4.0\n---\n# C\n")
        work = read(tmp_path)
        assert work.license == "CC-BY-4.0"
        # only a licence that differs from the book's is recorded on the section
        assert [(s.id, s.license) for s in work.sections] == [
            ("a", None),
            ("b", "CC-BY-SA-4.0"),
            ("c", None),
        ]

    def test_summary_md_sets_the_order(self, tmp_path):
        write(tmp_path / "SUMMARY.md", "# Summary\n\n- [Zweitens](b.md)\n- [Erstens](a/a.md)\n")
        write(tmp_path / "a" / "a.md", "# A\n")
        write(tmp_path / "b.md", "# B\n")
        write(tmp_path / "unlisted.md", "# Not in the book\n")
        assert [s.id for s in read(tmp_path).sections] == ["b", "a"]

    def test_jupyter_book_toc(self, tmp_path):
        write(
            tmp_path / "_toc.yml",
            "format: jb-book\nroot: intro\nchapters:\n- file: part/second\n- file: first\n",
        )
        write(tmp_path / "intro.md", "# Intro\n")
        write(tmp_path / "first.md", "# First\n")
        write(tmp_path / "part" / "second.md", "# Second\n")
        assert [s.id for s in read(tmp_path).sections] == ["intro", "second", "first"]

    def test_index_lists_the_chapters(self, tmp_path):
        write(tmp_path / "index.md", "# Course\n\n1. [Water](units/water.md)\n2. [Air](air.md)\n")
        write(tmp_path / "air.md", "# Air\n")
        write(tmp_path / "units" / "water.md", "# Water\n")
        write(tmp_path / "notes.md", "# Notes, not listed\n")
        assert [s.id for s in read(tmp_path).sections] == ["index", "water", "air"]

    def test_summary_listing_a_missing_file(self, tmp_path):
        write(tmp_path / "SUMMARY.md", "# Summary\n\n- [A](a.md)\n- [Gone](gone.md)\n")
        write(tmp_path / "a.md", "# A\n")
        with pytest.raises(ReadError, match=r"gone\.md") as caught:
            read(tmp_path)
        assert (caught.value.source, caught.value.line) == (str(tmp_path / "SUMMARY.md"), 4)

    def test_summary_pointing_outside_the_folder(self, tmp_path):
        book = tmp_path / "book"
        write(tmp_path / "secret.md", "# Not yours\n")
        write(book / "SUMMARY.md", "- [Escape](../secret.md)\n")
        with pytest.raises(UnsafeContentError, match="outside the folder"):
            read(book)

    def test_a_folder_without_markdown(self, tmp_path):
        write(tmp_path / "notes.txt", "text")
        with pytest.raises(ReadError, match="no Markdown files"):
            read(tmp_path)


class TestErrors:
    """Malformed input raises ReadError naming the file and line; no YAML error escapes."""

    @pytest.mark.parametrize(
        ("text", "error", "message", "line"),
        [
            # an unclosed quote: YAML gives up at the end of the front matter (line 4)
            ('---\ntitle: "Soil\nlicense: CC-BY-4.0\n---\n# x\n', ReadError, "not valid YAML", 4),
            # a mapping value where a key was expected
            ("---\ntitle: a: b\n---\n", ReadError, "not valid YAML", 2),
            # a list is not front matter
            ("---\n- a\n- b\n---\n", ReadError, "must be a mapping", 2),
            # anchors and aliases are refused (the "billion laughs" shape)
            ("---\na: &x [1, 2]\nb: [*x, *x]\n---\n", UnsafeContentError, "anchors", 2),
        ],
    )
    def test_front_matter(self, tmp_path, text, error, message, line):
        path = write(tmp_path / "bad.md", text)
        with pytest.raises(error, match=message) as caught:
            read(path)
        assert (caught.value.source, caught.value.line) == (str(path), line)

    @pytest.mark.parametrize(
        ("name", "text", "message", "line"),
        [
            ("metadata.yml", "name: x\nlicense: [unclosed\n", "not valid YAML", 3),
            ("metadata.jsonld", '{"name": "x",\n "license": }\n', "not valid JSON", 2),
        ],
    )
    def test_metadata_file_in_a_folder(self, tmp_path, name, text, message, line):
        write(tmp_path / name, text)
        write(tmp_path / "a.md", "# A\n")
        with pytest.raises(ReadError, match=message) as caught:
            read(tmp_path)
        assert (caught.value.source, caught.value.line) == (str(tmp_path / name), line)

    def test_huge_front_matter_is_refused(self, tmp_path):
        path = write(tmp_path / "big.md", "---\n" + "k: v\n" * 20000 + "---\n")
        with pytest.raises(UnsafeContentError, match="larger than"):
            read(path)

    @pytest.mark.parametrize(
        ("content", "message", "line"),
        [
            (b"# Titel\n\nGr\xfc\xdfe\n", "not UTF-8", 3),  # Latin-1 bytes
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary data", None),  # an image
        ],
    )
    def test_not_text(self, tmp_path, content, message, line):
        path = tmp_path / "x.md"
        path.write_bytes(content)
        with pytest.raises(ReadError, match=message) as caught:
            read(path)
        assert (caught.value.source, caught.value.line) == (str(path), line)

    def test_a_chapter_error_names_the_chapter(self, tmp_path):
        write(tmp_path / "a.md", "# A\n")
        write(tmp_path / "b.md", "---\ntitle: [\n---\n")
        with pytest.raises(ReadError) as caught:
            read(tmp_path)
        assert caught.value.source == str(tmp_path / "b.md")


class TestSniff:
    """Content decides; a .md name helps."""

    @pytest.mark.parametrize(
        ("name", "content", "score"),
        [
            ("a.md", b"---\ntitle: x\n---\nText\n", 90),  # front matter, .md
            ("a.txt", b"---\ntitle: x\n---\nText\n", 70),  # front matter alone
            ("course", (LIA / "courses" / "Holzarten_01.md").read_bytes(), 75),  # LiaScript
            ("a", b"# Heading\n\nText.", 40),  # an ATX heading
            ("a", b"Heading\n=======\n\nText.", 40),  # a setext heading
            ("a.md", b"Just a line.", 20),  # the name only
            ("a.html", b"<!DOCTYPE html><html></html>", 0),  # HTML is not Markdown
            ("a.json", b'{"a": 1}', 0),  # nor JSON
            ("a.md", b"\x00\x01", 0),  # nor binary data
        ],
    )
    def test_files(self, name, content, score):
        assert READER.sniff(Input(name, None, content, None, None)) == score

    def test_folders(self, tmp_path):
        assert READER.sniff(Input(str(tmp_path), tmp_path, None, None, None)) == 0
        write(tmp_path / "docs" / "a.md", "# A\n")
        assert READER.sniff(Input(str(tmp_path), tmp_path, None, None, None)) == 50
        write(tmp_path / "SUMMARY.md", "- [A](docs/a.md)\n")
        assert READER.sniff(Input(str(tmp_path), tmp_path, None, None, None)) == 70


def test_a_chapter_starting_with_a_raw_figure_keeps_it(tmp_path):
    """Rendered Markdown has no <head>: a leading HTML5 element (here <figure>) once stayed in
    the head libxml2 implied, and the chapter lost it with its image and credit."""
    chapter = write(
        tmp_path / "ch1.md",
        '<figure><img src="img/kit.jpg" alt="Field kit">'
        "<figcaption>Photo by Lena Berg, CC BY-SA 4.0</figcaption></figure>\n\n"
        "# Soil sampling\n\nDig a pit.\n",
    )
    work = read(chapter)
    assert [(a.source, a.license) for a in work.assets] == [("img/kit.jpg", "CC-BY-SA-4.0")]
    html = work.content.get(work.sections[0].id).html
    assert '<img src="img/kit.jpg"' in html and "Lena Berg" in html
