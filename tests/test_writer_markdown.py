"""The Markdown writer: front matter round-trips, converted content keeps its structure when
rendered back, hostile values stay text, two builds are identical.

Rendering uses markdown-it-py's ``commonmark`` preset, which passes raw HTML through (as
GitHub, GitLab and most static site generators do), with GFM tables switched on.
"""

from __future__ import annotations

import html
import json
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it import MarkdownIt

from oerremix import Author
from oerremix.errors import WriteError
from oerremix.writers import PackageModule, writers
from oerremix.writers.markdown import WRITER, front_matter, html_to_markdown
from tests.test_writer_site import (
    BY_NC_SA,
    HOSTILE,
    MODULE_1,
    MODULE_2,
    assert_inert,
    files_of,
    realistic_package,
    tiny_png,
)

MD = MarkdownIt("commonmark").enable("table")
COMMONMARK = MarkdownIt("commonmark")  # the default preset: raw HTML allowed, no tables


def render(markdown: str, md: MarkdownIt = MD) -> etree._Element:
    """Markdown → HTML (markdown-it-py) → an element tree."""
    data = f"<div>{md.render(markdown)}</div>".encode("ascii", "xmlcharrefreplace")
    return etree.fromstring(data, etree.HTMLParser()).find("body/div")


def split(text: str) -> tuple[dict, str]:
    """Split a file into its front matter (read with yaml.safe_load) and its body, the way a
    static site generator does: the first line ``---``, up to the next line ``---``."""
    assert text.startswith("---\n")
    head, sep, body = text[4:].partition("\n---\n")
    assert sep
    return yaml.safe_load(head), body


def build(package, folder):
    folder.mkdir()
    WRITER.write(package, folder)
    return folder


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build(realistic_package(), tmp_path_factory.mktemp("md") / "out")


class TestFolder:
    def test_files(self, out):
        assert sorted(files_of(out)) == [
            "01-ch1.md",
            "02-ch2.md",
            "CREDITS.md",
            "README.md",
            "media/resistor.png",
            "metadata.jsonld",
        ]

    def test_media_and_metadata(self, out):
        assert (out / "media/resistor.png").read_bytes() == tiny_png()
        metadata = (out / "metadata.jsonld").read_text(encoding="utf-8")
        assert json.loads(metadata) == realistic_package().metadata

    def test_registered_as_markdown(self):
        assert writers()["markdown"] is WRITER

    def test_two_builds_are_byte_identical(self, tmp_path):
        first = files_of(build(realistic_package(), tmp_path / "a"))
        second = files_of(build(realistic_package(), tmp_path / "b"))
        assert first == second

    def test_numbers_widen_past_99_modules(self, tmp_path):
        modules = tuple(PackageModule(f"m{n}", f"M{n}", "<p>x</p>") for n in range(100))
        folder = build(realistic_package(modules=modules), tmp_path / "out")
        names = sorted(p.name for p in folder.glob("*-m*.md"))
        assert names[0] == "001-m0.md" and names[-1] == "100-m99.md"

    def test_unsafe_module_id_refused(self, tmp_path):
        package = realistic_package(modules=(PackageModule("../x", "T", "<p>x</p>"),))
        with pytest.raises(WriteError):
            build(package, tmp_path / "out")


class TestFrontMatter:
    def test_fields(self, out):
        meta, body = split((out / "01-ch1.md").read_text(encoding="utf-8"))
        assert meta == {
            "title": "Current and resistance",
            "module": "ch1",
            "license": "CC-BY-NC-SA-4.0",
            "license_url": BY_NC_SA,
            "authors": [
                {"name": "Ana Lima", "url": "https://example.edu/~alima"},
                {"name": "Ben Okafor"},
            ],
            "language": "en",
        }
        assert body.lstrip().startswith("# Current and resistance\n")

    @pytest.mark.parametrize(
        "value",
        [
            *HOSTILE,
            "a\n---\nlicense: CC0-1.0",  # tries to close the front matter and add a key
            "title: x\n...\n",  # a YAML document end marker
            "a\u2028---\u2028b",  # U+2028: a line break to str.splitlines() and some YAML readers
            "a\x85b",  # NEL, which PyYAML folds into a space when written unescaped
            "!!python/object:os.system",  # a tag, which must stay text
            "- [x]",  # YAML flow syntax
            "",
            "Électricité et magnétisme",  # non-ASCII written as it is
        ],
    )
    def test_any_value_round_trips(self, value):
        text = front_matter({"title": value, "authors": [{"name": value}]})
        meta, body = split(text + "body\n")
        assert meta == {"title": value, "authors": [{"name": value}]}
        assert body == "body\n"
        assert [ln for ln in text.split("\n") if ln in ("---", "...")] == ["---", "---"]

    def test_non_ascii_kept_readable(self):
        assert "Électricité" in front_matter({"title": "Électricité"})

    def test_hostile_module_title_and_authors(self, tmp_path):
        evil = HOSTILE[0]
        package = realistic_package(
            work={"authors": (Author(evil, "javascript:alert(1)"),)},
            modules=(PackageModule("ch1", evil, "<p>x</p>"),),
        )
        meta, _ = split((build(package, tmp_path / "o") / "01-ch1.md").read_text())
        assert meta["title"] == evil
        assert meta["authors"] == [{"name": evil}]  # the javascript: link is dropped


class TestRenderedBack:
    """The converted modules, rendered by markdown-it-py, keep what the HTML said."""

    def test_headings(self, out):
        _, body = split((out / "02-ch2.md").read_text(encoding="utf-8"))
        root = render(body)
        assert [(h.tag, h.text) for h in root.iter("h1", "h2", "h3")] == [
            ("h1", "Power"),  # the content's h1 is the module title: not repeated
            ("h2", "Power in a resistor"),
        ]
        _, body = split((out / "01-ch1.md").read_text(encoding="utf-8"))
        assert [(h.tag, h.text) for h in render(body).iter("h1", "h2", "h3")] == [
            ("h1", "Current and resistance"),  # the title, written by the writer
            ("h2", "Ohm’s law"),
        ]

    def test_links_and_images(self, out):
        _, body = split((out / "01-ch1.md").read_text(encoding="utf-8"))
        root = render(body)
        assert [(a.get("href"), a.text) for a in root.iter("a")][:2] == [
            ("02-ch2.md#power", "power"),  # a link to another module follows it to its file
            ("https://en.wikipedia.org/wiki/Ohm%27s_law", "Ohm’s law"),
        ]
        assert [(i.get("src"), i.get("alt")) for i in root.iter("img")] == [
            ("media/resistor.png", "A resistor with four colour bands")
        ]
        assert "Figure 1. A carbon-film resistor." in root.xpath("string()")

    def test_table_cells_and_math(self, out):
        _, body = split((out / "02-ch2.md").read_text(encoding="utf-8"))
        root = render(body)
        assert [c.xpath("string()") for c in root.iter("th", "td")] == [
            "Material",
            "ρ (Ω·m)",
            "Copper",
            "1.68 × 10−8",
            "Silver",
            "1.59 × 10−8",
        ]
        assert root.find(".//td/sup").text == "−8"
        assert [m.get("display") for m in root.iter("math")] == ["block"]

    def test_every_local_link_resolves(self, out):
        for page in sorted(out.glob("*.md")):
            for el in render(page.read_text(encoding="utf-8")).iter("a", "img"):
                target = el.get("href") or el.get("src")
                if re.match(r"[a-z]+:", target):
                    continue
                assert (out / target.partition("#")[0]).is_file(), (page.name, target)

    @pytest.mark.parametrize("name", ["README.md", "01-ch1.md", "02-ch2.md", "CREDITS.md"])
    def test_notice_with_license_link_on_every_file(self, out, name):
        root = render((out / name).read_text(encoding="utf-8"))
        assert BY_NC_SA in [a.get("href") for a in root.iter("a")]
        assert "CREDITS.md" in [a.get("href") for a in root.iter("a")]

    def test_readme(self, out):
        root = render((out / "README.md").read_text(encoding="utf-8"))
        assert root.find("h1").text == "Electric Circuits for Technicians"
        assert [a.get("href") for a in root.find("ol").iter("a")] == [
            "01-ch1.md",
            "02-ch2.md",
            "CREDITS.md",
        ]
        assert [li.text for li in root.find("ul").iter("li")] == list(
            realistic_package().learning_outcomes
        )


class TestHostileValues:
    """Titles, names, description and outcomes never become Markdown or HTML."""

    @pytest.fixture(params=HOSTILE)
    def evil(self, request):
        return request.param

    @pytest.fixture
    def evil_out(self, evil, tmp_path):
        package = realistic_package(
            work={
                "title": evil,
                "authors": (Author(evil, "javascript:alert(1)"), Author("Ben", evil)),
            },
            description=evil,
            learning_outcomes=(evil, "1. " + evil, "- " + evil),
            modules=(PackageModule("ch1", evil, "<p>x</p>"), PackageModule("ch2", "2", "")),
        )
        return build(package, tmp_path / "out")

    def test_rendered_files_are_inert(self, evil_out):
        for page in evil_out.glob("*.md"):
            text = page.read_text(encoding="utf-8")
            for md in (MD, COMMONMARK):
                root = render(split(text)[1] if text.startswith("---\n") else text, md)
                assert_inert(root)
                assert root.find(".//script") is None

    def test_values_are_text(self, evil, evil_out):
        root = render((evil_out / "README.md").read_text(encoding="utf-8"))
        assert root.find("h1").xpath("string()") == evil
        assert [li.xpath("string()") for li in root.find("ul").iter("li")] == [
            evil,
            "1. " + evil,
            "- " + evil,
        ]
        assert evil in [p.xpath("string()") for p in root.iter("p")]  # the description
        assert root.find("ol/li/a").text == evil  # the contents entry
        _, body = split((evil_out / "01-ch1.md").read_text(encoding="utf-8"))
        assert render(body).find("h1").xpath("string()") == evil


# --- the converter ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        # headings keep their level unless the fragment has an h1
        ("<h2>A</h2><h3>B</h3>", "## A\n\n### B\n"),
        ("<h1>A</h1><h6>B</h6>", "## A\n\n###### B\n"),  # h6 stays the last level
        # emphasis: white space stays outside the markers, which * is safe for inside words
        ("<p>a<em> b </em>c<strong>d</strong>e</p>", "a *b* c**d**e\n"),
        ("<p><b><i>both</i></b></p>", "***both***\n"),
        # links: titles kept, unsafe schemes dropped, empty text replaced by the address
        (
            '<p><a href="https://x.org/" title="T &quot;q&quot;">x</a></p>',
            '[x](https://x.org/ "T \\"q\\"")\n',
        ),
        ('<p><a href="javascript:alert(1)">x</a></p>', "x\n"),
        ('<p><a href="https://x.org/a_(b)">x</a></p>', "[x](https://x.org/a_(b))\n"),
        ('<p><a href="a b.html">x</a></p>', "[x](a%20b.html)\n"),
        ('<p><a href="https://x.org/"></a></p>', "[https://x.org/](https://x.org/)\n"),
        # images keep alt and title
        ('<p><img src="media/a.png" alt="A [b]" title="t"></p>', '![A \\[b\\]](media/a.png "t")\n'),
        # hard line breaks; a break at the end of a paragraph is dropped
        ("<p>a<br>b<br></p>", "a\\\nb\n"),
        # code: a fence longer than any backtick run inside; language from the class
        ("<p><code>a`b</code></p>", "``a`b``\n"),
        (
            '<pre><code class="language-python">x = 1\n```\n</code></pre>',
            "````python\nx = 1\n```\n````\n",
        ),
        ("<blockquote><p>a</p><p>b</p></blockquote>", "> a\n>\n> b\n"),
        ("<hr>", "---\n"),
        # lists: tight, nested, ordered with a start, loose when items hold paragraphs
        ("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c\n"),
        ('<ol start="9"><li>a</li><li>b</li></ol>', "9. a\n10. b\n"),
        ("<ol><li><p>a</p><p>b</p></li><li><p>c</p></li></ol>", "1. a\n\n   b\n\n2. c\n"),
        # figures: the image, then the caption as a paragraph
        (
            '<figure><img src="media/a.png" alt="A"><figcaption>Fig. 1</figcaption></figure>',
            "![A](media/a.png)\n\nFig. 1\n",
        ),
        # a simple table becomes a pipe table; its caption a paragraph before it
        (
            "<table><caption>C</caption><tr><th>a|b</th><th>c</th></tr><tr><td><code>x|y</code></td></tr></table>",
            "C\n\n| a\\|b | c |\n| --- | --- |\n| `x\\|y` |  |\n",
        ),
        # merged cells, row headers, a table without a header row: kept as HTML
        (
            '<table><tr><th colspan="2">a</th></tr><tr><td>b</td><td>c</td></tr></table>',
            '<table>\n<tr><th colspan="2">a</th></tr><tr><td>b</td><td>c</td></tr>\n</table>\n',
        ),
        (
            '<table><tr><th>a</th></tr><tr><th scope="row">b</th></tr></table>',
            '<table>\n<tr><th>a</th></tr><tr><th scope="row">b</th></tr>\n</table>\n',
        ),
        ("<table><tr><td>a</td></tr></table>", "<table>\n<tr><td>a</td></tr>\n</table>\n"),
        # MathML is kept as HTML, its text escaped for Markdown too
        (
            "<p>so <math><mi>a</mi><mo>*</mo><mi>b_c</mi></math> holds</p>",
            "so <math><mi>a</mi><mo>&#42;</mo><mi>b&#95;c</mi></math> holds\n",
        ),
        # a definition list has no Markdown: kept, with no blank line to end the HTML block
        ("<dl><dt>a</dt><dd>b\n\nc</dd></dl>", "<dl>\n<dt>a</dt><dd>b&#10;\nc</dd>\n</dl>\n"),
        # inline elements without Markdown syntax keep their tags
        (
            '<p>H<sub>2</sub>O, <abbr title="x">X</abbr></p>',
            'H<sub>2</sub>O, <abbr title="x">X</abbr>\n',
        ),
        # text that looks like Markdown stays text
        (
            "<p>1. not a list</p><p>- nor this</p><p># nor a heading</p>",
            "1\\. not a list\n\n\\- nor this\n\n\\# nor a heading\n",
        ),
        ("", ""),
    ],
)
def test_converter(fragment, expected):
    assert html_to_markdown(fragment) == expected


def test_converter_realistic_modules_parse_back():
    for fragment in (MODULE_1, MODULE_2):
        root = render(html_to_markdown(fragment))
        assert root.findall(".//math")


TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffd")
    | st.sampled_from(list("\\`*_[]()<>&#!|~-+=.:0123456789 \n{}$\"'")),
    max_size=30,
)


def plain(root_or_html) -> str:
    if isinstance(root_or_html, str):
        data = f"<div>{root_or_html}</div>".encode("ascii", "xmlcharrefreplace")
        root_or_html = etree.fromstring(data, etree.HTMLParser())
    return "".join(root_or_html.xpath("string()").split())


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT)
def test_any_text_stays_text(a, b):
    """Law: whatever the text, rendering the converted Markdown gives back the same text."""
    a, b = html.escape(a), html.escape(b)
    for fragment in (
        f"<p>{a}<br>{b}</p>",
        f"<h2>{a}</h2>",
        f"<ul><li>{a}</li></ul><ol><li>{b}</li></ol>",
        f"<p><em>{a}</em> <code>{b}</code> <a href='x.html'>t{a}</a></p>",
        f"<table><tr><th>{a}</th></tr><tr><td>{b}</td></tr></table>",
        f"<blockquote><p>{a}</p></blockquote>",
    ):
        markdown = html_to_markdown(fragment)
        root = render(markdown)
        assert plain(root) == plain(fragment), (fragment, markdown)
        assert_inert(root)
