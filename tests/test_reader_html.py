"""The HTML reader: pages built from Pressbooks', LibreTexts' and CC's chooser markup, and a table
of small pages for each licensing rule.

The pages in ``tests/data/html/`` are described in its SOURCE.md (what each states, and which
platform code or documentation their markup follows). Expected values are written from reading
those files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oerremix.errors import ReadError
from oerremix.model import Work
from oerremix.readers import Input
from oerremix.readers import _md_render as md_render
from oerremix.readers import _sections as sections
from oerremix.readers import html as html_reader
from oerremix.readers.html import READER

DATA = Path(__file__).parent / "data" / "html"
PB = "https://pressbooks.example.org/fieldhydrology/"
UPLOADS = PB + "wp-content/uploads/sites/12/2021/03/"


def source(path: Path) -> Input:
    return Input(str(path), path, path.read_bytes(), None, None)


def read(path: Path) -> Work:
    return READER.read(source(path))


def page(tmp_path: Path, body: str, *, name: str = "page.html") -> Work:
    path = tmp_path / name
    path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    return read(path)


def by_source(work: Work) -> dict[str, tuple[object, ...]]:
    return {
        a.source: (a.kind, a.license, a.credit, a.license_inherited, a.title) for a in work.assets
    }


class TestPressbooksChapter:
    """A Pressbooks web-book chapter: JSON-LD, licence block, media attributions, embeds."""

    @pytest.fixture(scope="class")
    @classmethod
    def work(cls) -> Work:
        return read(DATA / "pressbooks-chapter.html")

    def test_metadata(self, work):
        # the JSON-LD name is the chapter's; <title> also carries the book's name
        assert work.title == "Measuring Rainfall"
        assert work.url == PB + "chapter/measuring-rainfall/"
        assert [a.name for a in work.authors] == ["Amara Okafor", "Lena Fischer"]
        assert work.language == "en-CA"
        assert work.year == 2021
        # the licence block writes "&copy;2021" with no space
        assert work.copyright == "Copyright ©2021 by Amara Okafor and Lena Fischer"

    def test_licence_is_the_chapter_s_not_an_image_s(self, work):
        assert work.license == "CC-BY-4.0"
        assert work.provenance is not None
        assert work.provenance.license_status == "found"
        kinds = {e.kind for e in work.provenance.license_evidence}
        assert {"json-ld", "rel-license"} <= kinds
        # the media attribution's CC BY-SA 4.0 link is the image's, not evidence for the page
        matches = " ".join(e.match for e in work.provenance.license_evidence)
        assert "by-sa" not in matches
        assert work.provenance.source.endswith("pressbooks-chapter.html")
        assert work.provenance.sha256 is not None and len(work.provenance.sha256) == 64
        assert work.provenance.retrieved is not None

    def test_lineage(self, work):
        # JSON-LD isBasedOn and the "adapted from" sentence name the same chapter: one source
        assert work.kind == "adaptation"
        (source_work,) = work.based_on
        assert source_work.title == "Precipitation"
        assert source_work.url == "https://openbooks.example.edu/hydrology/chapter/precipitation/"
        assert source_work.license == "CC-BY-4.0"

    @pytest.mark.parametrize(
        ("src", "expected"),
        [
            # media attribution 1: title, author, its own licence (the <li> pairs with image 1)
            (
                UPLOADS + "rain-gauge.jpg",
                (
                    "image",
                    "CC-BY-SA-4.0",
                    "Rain gauge © Kofi Mensah is licensed under a CC BY-SA (Attribution "
                    "ShareAlike) license",
                    False,
                    "Rain gauge",
                ),
            ),
            # an H5P activity on the book's own site with no statement: "except where
            # otherwise noted" gives it the chapter's licence
            (
                PB + "wp-admin/admin-ajax.php?action=h5p_embed&id=2",
                ("embed", "CC-BY-4.0", None, True, "Reading a rain gauge"),
            ),
            # a YouTube video lives on another site: the chapter's licence does not reach it
            (
                "https://www.youtube.com/embed/q1Wx3mRainG?feature=oembed",
                ("video", None, None, False, "How a tipping-bucket gauge works"),
            ),
            # media attribution 2: a credit without a licence stays "credit only"
            (
                UPLOADS + "station-map.png",
                (
                    "image",
                    None,
                    "Station map © Regional Water Authority",
                    False,
                    "Map of rain gauge stations",
                ),
            ),
            # media attribution 3 is a bare title: no statement, so the chapter's licence applies
            (
                UPLOADS + "hyetograph.png",
                ("image", "CC-BY-4.0", None, True, "Hyetograph of the March 2021 storm"),
            ),
        ],
    )
    def test_assets(self, work, src, expected):
        assert by_source(work)[src] == expected

    def test_licence_icon_is_not_an_asset(self, work):
        assert len(work.assets) == 5
        assert not any("cc-by.svg" in a.source for a in work.assets)

    def test_sections(self, work):
        # the chapter <section>: its h1 (with the chapter number), then h2/h3 with their ids;
        # the "Media Attributions" heading is part of the credits, not a section
        assert [(s.id, s.title, s.level) for s in work.sections] == [
            ("3-measuring-rainfall", "3 Measuring Rainfall", 1),
            ("gauges", "Rain gauges", 2),
            ("networks", "Station networks", 2),
            ("storm-hyetographs", "Storm hyetographs", 3),
        ]

    def test_content_is_sanitised_and_cut_at_headings(self, work):
        assert work.content is not None
        parts = list(work.content)
        assert [p.section.id for p in parts] == [s.id for s in work.sections]
        assert parts[1].html.startswith('<h2 id="gauges">Rain gauges</h2>')
        assert "Station networks" not in parts[1].html
        assert "Media Attributions" in parts[3].html  # the credits stay with the content
        assert "<script" not in "".join(p.html for p in parts)
        assert parts[0].base == str(DATA / "pressbooks-chapter.html")


class TestLibreTextsPage:
    """A LibreTexts page: licence in the page tags and the info bar, credits in captions."""

    @pytest.fixture(scope="class")
    @classmethod
    def work(cls) -> Work:
        return read(DATA / "libretexts-page.html")

    def test_metadata(self, work):
        assert work.title == "2.3: Chemical Bonds"  # og:title
        assert work.url.startswith("https://bio.libretexts.org/Bookshelves/")
        assert [a.name for a in work.authors] == ["jroe"]  # the authorname: tag, as written
        assert work.language == "en"

    def test_licence_from_tags_and_info_bar(self, work):
        assert work.license == "CC-BY-NC-SA-4.0"
        assert work.provenance.license_status == "found"
        evidence = {(e.kind, e.match) for e in work.provenance.license_evidence}
        assert ("platform-tag", "license:ccbyncsa") in evidence
        assert ("platform-tag", "licenseversion:40") in evidence
        # OpenStax's CC BY 4.0 (a caption, and the source's licence) is not the page's
        assert not any("CC BY 4.0" in e.match for e in work.provenance.license_evidence)

    def test_lineage(self, work):
        (source_work,) = work.based_on
        assert source_work.title == "2.1 Atoms, Isotopes, Ions, and Molecules"
        assert [a.name for a in source_work.authors] == ["OpenStax"]
        assert source_work.license == "CC-BY-4.0"

    @pytest.mark.parametrize(
        ("name", "license_id", "credit"),
        [
            # "(CC BY 4.0; OpenStax)" in the caption
            (
                "ionic.png",
                "CC-BY-4.0",
                "Figure 2.3.1: Sodium gives up an electron to chlorine. (CC BY 4.0; OpenStax)",
            ),
            # "Public domain" names no licence or tool: a credit, licence unknown
            (
                "H2_covalent_bond.svg",
                None,
                "Figure 2.3.2: A covalent bond in hydrogen. (Public domain; Jane Smith via "
                "Wikimedia Commons)",
            ),
            # no caption and no "except where otherwise noted": unknown, not inherited
            ("bond-energies.png", None, None),
            ("Pol4rB0nd01", None, None),
        ],
    )
    def test_assets(self, work, name, license_id, credit):
        (asset,) = [a for a in work.assets if a.source.endswith(name)]
        assert (asset.license, asset.credit, asset.license_inherited) == (license_id, credit, False)

    def test_lead_section_for_content_before_the_first_heading(self, work):
        # the page title is outside the content container: the first paragraph gets a section
        assert [s.id for s in work.sections] == [
            "2-3-chemical-bonds",
            "ionic-bonds",
            "covalent-bonds",
            "polar-covalent-bonds",
        ]
        assert work.content.get("2-3-chemical-bonds").html.strip().startswith("<p>Atoms hold")


class TestChooserPage:
    """A generic page: Dublin Core, JSON-LD and the legacy CC chooser's RDFa."""

    @pytest.fixture(scope="class")
    @classmethod
    def work(cls) -> Work:
        return read(DATA / "chooser-page.html")

    def test_metadata(self, work):
        assert work.title == "Introduction to Soil Science"  # DC.title before <title>
        assert work.authors[0].name == "Maria Santos"  # JSON-LD author before DC.creator
        assert work.authors[0].url == "https://example.net/msantos"
        assert work.year == 2023
        assert work.copyright == "© 2023 Maria Santos"

    def test_licence_ignores_the_source_s_licence_in_json_ld(self, work):
        # JSON-LD isBasedOn.license is CC BY 3.0: the source's, not the page's
        assert work.license == "CC-BY-SA-4.0"
        assert work.provenance.license_status == "found"
        assert all("3.0" not in e.match for e in work.provenance.license_evidence)

    def test_lineage_merges_json_ld_and_dct_source(self, work):
        (source_work,) = work.based_on
        assert (source_work.title, source_work.url, source_work.license) == (
            "Soils and Society",
            "https://library.example.org/soils-and-society",
            "CC-BY-3.0",
        )
        assert [a.name for a in source_work.authors] == ["Tom Baker"]

    @pytest.mark.parametrize(
        ("src", "expected"),
        [
            # a caption crediting the photo with a licence link
            (
                "images/soil-profile.png",
                (
                    "image",
                    "CC-BY-SA-4.0",
                    "A soil profile. Photo by Lena Berg, CC BY-SA 4.0.",
                    False,
                    "Soil horizons in a pit",
                ),
            ),
            # credit only
            (
                "images/field-kit.jpg",
                ("image", None, "Photo courtesy of the Soil Lab.", False, "Field sampling kit"),
            ),
            # nothing stated and no "except where otherwise noted": unknown
            (
                "images/texture-triangle.svg",
                ("image", None, None, False, "Soil texture triangle"),
            ),
            ("media/infiltration.mp4", ("video", None, None, False, "Infiltration test")),
            # <audio> with a <source> child
            ("media/interview.mp3", ("audio", None, None, False, None)),
        ],
    )
    def test_assets_keep_the_page_s_relative_paths(self, work, src, expected):
        assert by_source(work)[src] == expected

    def test_duplicate_headings_get_unique_ids(self, work):
        assert [s.id for s in work.sections] == [
            "introduction-to-soil-science",
            "soil-horizons",
            "exercises",
            "texture",
            "exercises-2",
        ]


LICENSE_ROWS = [
    # rel="license" and a licence <meta> disagree: two machine-readable statements for the page
    pytest.param(
        '<p><a rel="license" href="https://creativecommons.org/licenses/by-nc/4.0/">x</a></p>',
        '<meta name="dcterms.license" content="https://creativecommons.org/licenses/by/4.0/">',
        None,
        "conflict",
        id="meta-vs-rel-license",
    ),
    # two licences named only in the running text may be about different things: ambiguous
    pytest.param(
        "<p>Our text is CC BY 4.0.</p><p>The quoted poem is CC BY-SA 4.0.</p>",
        "",
        None,
        "ambiguous",
        id="two-in-text",
    ),
    # nothing about a licence at all
    pytest.param("<p>Hello.</p>", "", None, "none", id="nothing"),
    # an image's title and alt text describe the image: its credit is not the page's licence
    pytest.param(
        '<p>Hello.</p><img src="coil.png" title="Image: Bo Chen, CC0" alt="Coil, CC BY 4.0">',
        "",
        None,
        "none",
        id="image-title-and-alt",
    ),
    # a minified table: each cell is read on its own ("LessonsCC BY 4.0" named no licence)
    pytest.param(
        "<table><tr><td>Lessons</td><td>CC BY 4.0</td></tr>"
        "<tr><td>OpenStax</td><td>CC BY-NC-SA 4.0</td></tr></table>",
        "",
        None,
        "ambiguous",
        id="licences-in-table-cells",
    ),
    # "CC BY" without a version: every version is possible, so no licence is chosen
    pytest.param(
        "<p>This page is licensed under CC BY.</p>", "", None, "ambiguous", id="no-version"
    ),
    # a plain "All rights reserved" is a statement of that status
    pytest.param(
        "<footer>© 2020 Example Press. All rights reserved.</footer>",
        "",
        "ALL-RIGHTS-RESERVED",
        "found",
        id="all-rights-reserved",
    ),
    # a CC licence link and "All rights reserved" for the page cannot both be true: "All rights
    # reserved" is not licensed to downstream users (cc-rules.md §2), the badge says CC BY 4.0
    # (§5.5 "link says one licence, text says another … report both")
    pytest.param(
        '<footer><a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
        '<img alt="Creative Commons License" src="https://i.creativecommons.org/l/by/4.0/88x31.png">'
        "</a> © 2021 Jane Doe. All rights reserved.</footer>",
        "",
        None,
        "conflict",
        id="cc-badge-and-all-rights-reserved",
    ),
    # the same in French, with the licence named in the text
    pytest.param(
        "<p>Ce cours est sous licence CC BY-SA 4.0.</p><footer>© 2022 Université X. "
        "Tous droits réservés.</footer>",
        "",
        None,
        "conflict",
        id="cc-text-and-tous-droits-reserves",
    ),
    # "All rights reserved" in an image's credit is the image's, not the page's
    pytest.param(
        '<p>Licensed under <a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
        'CC BY 4.0</a>.</p><figure><img src="a.png"><figcaption>Photo © Getty Images. All rights '
        "reserved.</figcaption></figure>",
        "",
        "CC-BY-4.0",
        "found",
        id="all-rights-reserved-in-a-caption",
    ),
    # LibreTexts tag without licenseversion and nothing else: every BY-SA version
    pytest.param(
        '<div id="pageTagsHolder">["license:ccbysa"]</div>',
        "",
        None,
        "ambiguous",
        id="libretexts-tag-without-version",
    ),
    # LibreTexts tag says one licence, the page's licence link another
    pytest.param(
        '<div id="pageTagsHolder">["license:ccby","licenseversion:40"]</div>'
        '<a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA</a>',
        "",
        None,
        "conflict",
        id="libretexts-tag-vs-link",
    ),
    # a versionless LibreTexts tag made exact by the page's link
    pytest.param(
        '<div id="pageTagsHolder">["license:ccbyncsa"]</div>'
        '<a href="https://creativecommons.org/licenses/by-nc-sa/4.0/">licence</a>',
        "",
        "CC-BY-NC-SA-4.0",
        "found",
        id="libretexts-tag-and-link",
    ),
    # LibreTexts' "gnudsl" tag links to the GNU page of the Design Science License
    pytest.param(
        '<div id="pageTagsHolder">["license:gnudsl"]</div>',
        "",
        "Design-Science-License",
        "found",
        id="libretexts-dsl",
    ),
    # the licence of an image in its caption is not the page's
    pytest.param(
        '<figure><img src="a.png"><figcaption>Photo: Ann, CC BY-SA 4.0</figcaption></figure>',
        "",
        None,
        "none",
        id="caption-only",
    ),
]


def _footer(url: str, prose: str) -> str:
    """A page footer linking the licence at ``url`` with ``prose`` beside the link."""
    return f'<footer>Licensed <a rel="license" href="{url}">licence</a> {prose}</footer>'


BY = "https://creativecommons.org/licenses/by/4.0/"
BY_NC = "https://creativecommons.org/licenses/by-nc/4.0/"
BY_ND = "https://creativecommons.org/licenses/by-nd/4.0/"

# CC BY 4.0 grants the right to reproduce, Share and adapt for any purpose, commercial ones
# included (LC-BY-4.0 §2(a)(1)); a page that links it and also says, in its own words, that
# commercial use or derivatives are not allowed says two things that cannot both be true.
PROSE_ROWS = [
    *(
        pytest.param(_footer(BY, prose), "", None, "conflict", id=f"cc-by-and-{name}")
        for name, prose in [
            ("non-commercial-only", "— non-commercial use only."),
            ("not-for-commercial-use", "Not for commercial use."),
            ("educational-non-commercial", "For educational, non-commercial purposes only."),
            ("no-derivatives-may-be-made", "No derivatives may be made."),
            ("commercial-use-prohibited", "Commercial use is prohibited."),
            ("fr-non-commerciale-uniquement", "Utilisation non commerciale uniquement."),
            ("de-nur-nicht-kommerziell", "Nur für nicht-kommerzielle Zwecke."),
            ("es-solo-uso-no-comercial", "Solo para uso no comercial."),
        ]
    ),
    # the restriction is found however far down a long page it is, among many words like it
    pytest.param(
        "<p>"
        + "Adapted, modified and derived for commercial readers. " * 300
        + "</p>"
        + _footer(BY, "No derivatives may be made."),
        "",
        None,
        "conflict",
        id="cc-by-and-no-derivatives-after-a-long-text",
    ),
    # a page whose licence carries the restriction says the same thing twice: no conflict
    # (LC-BY-NC-4.0 §2(a)(1): "for NonCommercial purposes only"; LC-BY-ND-4.0 §2(a)(1)(B):
    # Adapted Material may be produced, not Shared)
    pytest.param(
        _footer(BY_NC, "— non-commercial use only."),
        "",
        "CC-BY-NC-4.0",
        "found",
        id="cc-by-nc-and-non-commercial-only",
    ),
    pytest.param(
        _footer(BY_NC, "— nur für nicht-kommerzielle Zwecke."),
        "",
        "CC-BY-NC-4.0",
        "found",
        id="cc-by-nc-and-de-nur-nicht-kommerziell",
    ),
    pytest.param(
        _footer(BY_ND, "No derivatives may be made."),
        "",
        "CC-BY-ND-4.0",
        "found",
        id="cc-by-nd-and-no-derivatives",
    ),
    # CC BY-NC grants adapting and sharing adaptations (LC-BY-NC-4.0 §2(a)(1)(B)): "no
    # derivatives" is not part of it
    pytest.param(
        _footer(BY_NC, "No derivatives may be made."),
        "",
        None,
        "conflict",
        id="cc-by-nc-and-no-derivatives",
    ),
    # pages explaining licences, or allowing commercial use, restrict nothing
    *(
        pytest.param(_footer(BY, prose), "", "CC-BY-4.0", "found", id=f"cc-by-and-{name}")
        for name, prose in [
            ("explaining-nc", ". Unlike NonCommercial licences, CC BY allows commercial use."),
            ("whether-or-not-commercial", ": use it whether or not for commercial purposes."),
            ("commercial-use-permitted", ". Commercial use is permitted."),
            ("not-only-non-commercial", ". It is not only for non-commercial use."),
            ("no-derivative-restrictions", ". There are no restrictions on derivatives."),
            (
                "fr-explaining",
                ". Contrairement aux licences Pas d'Utilisation Commerciale, CC BY permet "
                "l'utilisation commerciale.",
            ),
            (
                "de-explaining",
                ". Anders als Lizenzen mit dem Modul Nicht kommerziell oder Keine "
                "Bearbeitungen erlaubt CC BY die kommerzielle Nutzung.",
            ),
            (
                "es-explaining",
                ". A diferencia de las licencias NoComercial y SinDerivadas, CC BY permite el "
                "uso comercial.",
            ),
        ]
    ),
    # an image's caption speaks for the image, which has its own licence
    pytest.param(
        _footer(BY, ".")
        + '<figure><img src="a.png"><figcaption>Photo: Ann, CC BY-NC 2.0, non-commercial use '
        "only.</figcaption></figure>",
        "",
        "CC-BY-4.0",
        "found",
        id="restriction-in-a-caption",
    ),
    # with no licence stated, a restriction alone names none
    pytest.param(
        "<footer>Non-commercial use only.</footer>", "", None, "none", id="restriction-alone"
    ),
]


class TestLicenceRules:
    """What the statements on a page amount to."""

    @pytest.mark.parametrize(("body", "head", "license_id", "status"), LICENSE_ROWS + PROSE_ROWS)
    def test_page_licence(self, tmp_path, body, head, license_id, status):
        path = tmp_path / "page.html"
        path.write_text(f"<html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
        work = read(path)
        assert (work.license, work.provenance.license_status) == (license_id, status)

    def test_conflict_keeps_every_statement(self, tmp_path):
        work = page(
            tmp_path,
            '<a rel="license" href="https://creativecommons.org/licenses/by-nc/4.0/">x</a>'
            '<span property="cc:license" resource="https://creativecommons.org/licenses/by/4.0/">'
            "</span>",
        )
        matches = {e.match for e in work.provenance.license_evidence}
        assert "https://creativecommons.org/licenses/by-nc/4.0/" in matches
        assert "https://creativecommons.org/licenses/by/4.0/" in matches


NOTED = (
    '<p>This page is licensed under <a rel="license" '
    'href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>, except where otherwise '
    "noted.</p>"
)


class TestInheritance:
    """Assets take the page's licence only where the page says so, and only the site's own."""

    @pytest.mark.parametrize(
        ("body", "license_id", "inherited", "credit"),
        [
            # no statement of its own, page says "except where otherwise noted": inherited
            (NOTED + '<img src="img/a.png">', "CC-BY-4.0", True, None),
            # the same without the phrase: unknown
            (NOTED.replace(", except where otherwise noted", "") + '<img src="img/a.png">',
             None, False, None),
            # a credit line without a licence: "otherwise noted", so not inherited
            (NOTED + '<figure><img src="img/a.png"><figcaption>Photo by Ann Lee.</figcaption>'
             "</figure>", None, False, "Photo by Ann Lee."),
            # an image on another site is not part of the licensed page
            (NOTED + '<img src="https://images.example.com/a.png">', None, False, None),
            # its own licence wins over the page's
            (NOTED + '<figure><img src="img/a.png"><figcaption>By Ann Lee, CC0 1.0'
             "</figcaption></figure>", "CC0-1.0", False, "By Ann Lee, CC0 1.0"),
            # a credit element next to the image (not a <figure>) is its caption too
            (NOTED + '<p><img src="img/a.png"></p><p class="image-credit">Image by Ann Lee,'
             " CC BY-SA 4.0</p>", "CC-BY-SA-4.0", False, "Image by Ann Lee, CC BY-SA 4.0"),
            # the same phrase in German
            ('<p>Lizenz: <a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
             "CC BY 4.0</a>, sofern nicht anders angegeben.</p>" + '<img src="a.png">',
             "CC-BY-4.0", True, None),
        ],
    )  # fmt: skip
    def test_inheritance(self, tmp_path, body, license_id, inherited, credit):
        (asset,) = page(tmp_path, body).assets
        assert (asset.license, asset.license_inherited, asset.credit) == (
            license_id,
            inherited,
            credit,
        )


class TestSniff:
    """HTML is the fallback reader: a low score, higher for the platforms it knows."""

    @pytest.mark.parametrize(
        ("content", "score"),
        [
            (b"<!DOCTYPE html><html><body><p>x</p></body></html>", 30),  # a whole page
            (b"<!-- saved --><html lang='en'><p>x</p></html>", 30),  # after a comment
            (b"<p>A fragment.</p>", 20),  # a fragment
            (b"# Title\n\nSome *Markdown*.", 0),  # not HTML
            (b'{"title": "json"}', 0),  # JSON
            (b"\x89PNG\r\n\x1a\n\x00\x00", 0),  # binary
            ((DATA / "pressbooks-chapter.html").read_bytes(), 65),  # Pressbooks markup
            ((DATA / "libretexts-page.html").read_bytes(), 65),  # LibreTexts markup
        ],
    )
    def test_sniff(self, content, score):
        assert READER.sniff(Input("x", None, content, None, None)) == score

    def test_folders_are_not_html(self, tmp_path):
        assert READER.sniff(Input(str(tmp_path), tmp_path, None, None, None)) == 0


class TestErrors:
    """Unreadable input raises ReadError naming the file; nothing else escapes."""

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "empty HTML document"),  # nothing to read
            (b"   \n\t", "empty HTML document"),  # whitespace only
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),  # an image, not a page
            (b"\x00\x01\x02<html>", "binary data"),  # NUL bytes
        ],
    )
    def test_malformed_input(self, tmp_path, content, message):
        path = tmp_path / "broken.html"
        path.write_bytes(content)
        with pytest.raises(ReadError, match=message) as caught:
            read(path)
        assert caught.value.source == str(path)
        assert str(path) in str(caught.value)

    def test_a_folder_is_refused(self, tmp_path):
        with pytest.raises(ReadError, match="folder"):
            READER.read(Input(str(tmp_path), tmp_path, None, None, None))

    def test_an_unrecognised_input_names_the_readers(self, tmp_path):
        from oerremix import read as read_anything

        (tmp_path / "notes.txt").write_text("nothing a reader knows")
        with pytest.raises(ReadError, match=r"the readers are .*site.*--format on the command"):
            read_anything(tmp_path)

    def test_broken_json_ld_and_unclosed_tags_are_read_leniently(self, tmp_path):
        work = page(
            tmp_path,
            '<script type="application/ld+json">{"name": "x",</script><h1>Title<p>Text',
        )
        assert work.title == "Title"
        assert work.provenance.license_status == "none"

    def test_utf8_without_a_declared_encoding(self, tmp_path):
        path = tmp_path / "page.html"
        path.write_bytes("<html lang='de'><h1>Über Böden</h1></html>".encode())
        work = read(path)
        assert (work.title, work.language, work.sections[0].id) == (
            "Über Böden",
            "de",
            "über-böden",
        )


def _pages_to_cut():
    data = Path(__file__).resolve().parent / "data"
    pages = [*(data / "html").rglob("*.htm*"), *(data / "pressbooks-rest-api-book").rglob("*.htm*")]
    for path in sorted(pages):
        yield (
            path.name,
            html_reader._content_root(html_reader.parse_page(path.read_bytes(), source=str(path))),
        )
    for path in sorted((data / "lessons-in-electric-circuits-ref-md").rglob("*.md")):
        yield (
            path.name,
            md_render.rendered(path.read_text(encoding="utf-8"), source=str(path)),
        )


@pytest.mark.parametrize(
    ("name", "root"), list(_pages_to_cut()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_sections_are_cut_as_the_copying_slicer_cuts_them(name, root):
    """section_fragment serialises runs of headings' siblings where it can; every section of
    the real pages and rendered chapters comes out as the copy-and-prune cut gives it."""
    plans = [
        sections.plan_sections(sections.outline(root), lead_title=name, used=set()),
        sections.plan_sections(
            sections.outline(root), lead_title=name, used=set(), prefix="c/", chapter=True
        ),
    ]
    for section, start, end in (step for plan in plans for step in plan):
        fast = sections.section_fragment(root, start, end, section.id)
        assert fast == sections._sliced_fragment(root, start, end, section.id), section.id


@pytest.mark.parametrize(
    ("markup", "expected"),
    [  # what an HTML5 parser (a browser) builds: these elements are void, and close nothing
        ("<ul><li>a<wbr>b<li>c</ul>", "<ul><li>a<wbr/>b</li><li>c</li></ul>"),
        ("<p>a<wbr><p>b</p>", "<p>a<wbr/></p><p>b</p>"),
        ("<p>x<embed><div>y</div>", "<p>x<embed/></p><div>y</div>"),
        ("<p>Intro<wbr>text<h2>Two</h2>", "<p>Intro<wbr/>text</p><h2>Two</h2>"),
        (
            "<video><source src=a.mp4><source src=b.webm><track src=c.vtt>Old</video><p>after",
            '<video><source src="a.mp4"/><source src="b.webm"/><track src="c.vtt"/>Old</video>'
            "<p>after</p>",
        ),
        ("<p>a<!-- <wbr> --><script>x='<wbr>'</script>b</p>", None),  # left as they were
    ],
)
def test_void_elements_libxml2_does_not_know_are_parsed_as_browsers_do(markup, expected):
    from lxml import etree

    from oerremix._markup import parse_html

    body = parse_html(markup).find("body")
    got = "".join(etree.tostring(child, encoding="unicode") for child in body)
    if expected is None:
        assert "<wbr>" in body.find("p/script").text and "<wbr>" in got  # the comment's text
    else:
        assert got == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [  # what an HTML5 parser (a browser) builds: the head it implies ends at the first element
        # that does not belong in it
        ("<figure>F</figure><p>a</p>", "<figure>F</figure><p>a</p>"),
        (
            '<meta charset="utf-8"><section><h2>S</h2></section> x <nav>N</nav><p>a</p>',
            "<section><h2>S</h2></section> x <nav>N</nav><p>a</p>",
        ),
        (
            "<title>T</title><!-- c --><figure>F</figure>tail<p>a</p>",
            "<figure>F</figure>tail<p>a</p>",
        ),
    ],
)
def test_html5_elements_before_the_body_stay_in_it(markup, expected):
    from lxml import etree

    from oerremix._markup import parse_html

    root = parse_html(markup)
    body = root.find("body")
    got = (body.text or "") + "".join(etree.tostring(c, encoding="unicode") for c in body)
    assert got == expected
    head = root.find("head")
    assert (
        [el.tag for el in head if isinstance(el.tag, str)] in ([], ["meta"], ["title"])
        if (head is not None)
        else True
    )


def test_a_page_that_writes_its_head_keeps_it_out_of_its_sections(tmp_path):
    """An element libxml2 does not know inside a written <head> (an SVG sprite) does not bring
    the title and a tracking pixel's <noscript> into the page's content."""
    path = tmp_path / "page.html"
    path.write_text(
        '<!doctype html><html><head><meta charset="utf-8"><svg style="display:none"></svg>'
        "<title>Soil Science 101 | Open Course</title>"
        '<noscript><img src="https://px.example/t.gif"></noscript></head>'
        "<body><h1>Soils</h1><p>Soil is a mixture.</p></body></html>",
        encoding="utf-8",
    )
    work = read(path)
    assert [s.title for s in work.sections] == ["Soils"]
    assert "px.example" not in work.content.get(work.sections[0].id).html


def test_a_page_without_a_head_starting_with_a_section_keeps_it(tmp_path):
    """No <html>/<head> tags: the reader adds <meta charset>, which used to pull a leading
    <section> and all the page's content into the head, where nothing read it."""
    path = tmp_path / "page.html"
    path.write_text(
        "<section><h1>Ohm's law</h1><p>Current is proportional to voltage.</p></section>"
        '<p>Licensed under <a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
        "CC BY 4.0</a>.</p>",
        encoding="utf-8",
    )
    work = read(path)
    assert work.license == "CC-BY-4.0"
    assert [s.title for s in work.sections] == ["Ohm's law"]
    assert "proportional to voltage" in work.content.get(work.sections[0].id).html
