"""The site reader: a folder of web pages with an index.html, read as a book.

The pages are written here (a small site as static-site generators and OER platforms export
them); expected values are what the pages say. oerremix's own HTML package is read back in
tests/test_remix.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oerremix import read
from oerremix.readers import Input
from oerremix.readers.site import READER

BY = "https://creativecommons.org/licenses/by/4.0/"
BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"


def page(folder: Path, name: str, body: str, head: str = "", title: str | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<!doctype html><html lang='en'><head><title>{title or name}</title>{head}</head>"
        f"<body><nav>Site navigation</nav><main>{body}</main><footer>Footer</footer></body></html>",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    page(
        tmp_path,
        "index.html",
        "<h1>Soil Science for Trades</h1><p>By Maria Santos.</p>"
        "<ol><li><a href='soils.html'>Soils</a></li><li><a href='chapters/water.html#top'>"
        "Water</a></li><li><a href='https://example.org/elsewhere.html'>Elsewhere</a></li>"
        "<li><a href='../outside.html'>Outside</a></li></ol>"
        f"<p>This book is licensed under <a rel='license' href='{BY}'>CC BY 4.0</a>, except "
        "where otherwise noted.</p>",
        head=f"<link rel='license' href='{BY}'>",
        title="Soil Science for Trades",
    )
    page(
        tmp_path,
        "soils.html",
        "<h1>Soils</h1><figure><img src='media/pit.jpg' alt='A soil pit'><figcaption>Photo by "
        "Lena Berg, CC BY-SA 4.0</figcaption></figure><img src='media/own.png' alt='Diagram'>",
    )
    page(
        tmp_path,
        "chapters/water.html",
        "<h1>Water</h1><img src='../media/rain.png' alt='Rain'>"
        f"<p>This chapter is licensed under <a rel='license' href='{BY_SA}'>CC BY-SA 4.0</a>.</p>",
    )
    page(tmp_path, "unlisted.html", "<h1>Draft</h1>")
    return tmp_path


def test_the_index_speaks_for_the_book(site: Path) -> None:
    work = read(site)
    assert (work.license, work.provenance.license_status) == ("CC-BY-4.0", "found")
    assert work.title == "Soil Science for Trades"
    wheres = {e.where for e in work.provenance.license_evidence}
    assert any(w.startswith("index.html: ") for w in wheres), wheres
    assert not any(w.startswith("page") for w in wheres)


def test_the_pages_the_index_links_to_are_the_sections_in_its_order(site: Path) -> None:
    work = read(site)
    assert [(s.id, s.title, s.license) for s in work.sections] == [
        ("soils", "Soils", None),
        ("chapters-water", "Water", "CC-BY-SA-4.0"),  # the chapter states its own licence
    ]


def test_images_with_their_credits_and_inheritance(site: Path) -> None:
    assets = {a.source: (a.license, a.credit, a.license_inherited) for a in read(site).assets}
    assert assets["media/pit.jpg"] == ("CC-BY-SA-4.0", "Photo by Lena Berg, CC BY-SA 4.0", False)
    # "except where otherwise noted": an image of the book with no statement takes its licence
    assert assets["media/own.png"] == ("CC-BY-4.0", None, True)
    assert "media/rain.png" in assets  # written as ../media/rain.png in chapters/water.html


def test_a_section_s_content_is_its_main_part(site: Path) -> None:
    work = read(site)
    assert work.content is not None
    content = work.content.get("soils")
    assert content.html.startswith("<h1>Soils</h1>")
    assert "Site navigation" not in content.html and "Footer" not in content.html
    # the base is the page itself: links between pages of one folder are told apart
    assert content.base == "soils.html"
    assert work.content.get("chapters-water").base == "chapters/water.html"


def test_an_index_without_links_takes_every_page_in_natural_order(tmp_path: Path) -> None:
    page(tmp_path, "index.html", f"<h1>Notes</h1><p><a rel='license' href='{BY}'>CC BY</a></p>")
    for name in ("part10.html", "part2.html", "part1.html"):
        page(tmp_path, name, f"<h1>{name}</h1>")
    assert [s.id for s in read(tmp_path).sections] == ["part1", "part2", "part10"]


@pytest.mark.parametrize(
    ("files", "score"),
    [
        (["index.html", "a.html"], 30),
        (["index.html"], 0),  # one page: the HTML reader reads it
        (["a.html", "b.html"], 0),  # no index
    ],
)
def test_sniff(tmp_path: Path, files: list[str], score: int) -> None:
    for name in files:
        page(tmp_path, name, "<h1>x</h1>")
    assert READER.sniff(Input(str(tmp_path), tmp_path, None, None, None)) == score


def test_a_markdown_book_with_an_index_html_is_still_read_as_markdown(tmp_path: Path) -> None:
    page(tmp_path, "index.html", "<h1>x</h1>")
    page(tmp_path, "other.html", "<h1>y</h1>")
    (tmp_path / "01-intro.md").write_text("# Intro\n\nText.\n", encoding="utf-8")
    assert next(s.id for s in read(tmp_path).sections).startswith("01-intro")


def test_a_file_is_not_a_site(tmp_path: Path) -> None:
    from oerremix.errors import ReadError

    path = page(tmp_path, "index.html", "<h1>x</h1>")
    with pytest.raises(ReadError, match="not a folder of web pages") as caught:
        READER.read(Input(str(path), path, path.read_bytes(), None, None))
    assert caught.value.source == str(path)
    with pytest.raises(ReadError, match="not a folder of web pages"):
        READER.read(Input("https://example.org/", None, b"<html></html>", None, None))


def test_malformed_addresses_are_skipped(tmp_path: Path) -> None:
    # urllib raises ValueError on "http://[::1"; a hostile page must not stop the read
    page(tmp_path, "index.html", "<a href='http://[::1'>x</a><a href='a.html'>A</a>")
    page(tmp_path, "a.html", "<h1>A</h1><img src='http://[::1' alt='x'><img src='#' alt='y'>")
    work = read(tmp_path)
    assert [s.id for s in work.sections] == ["a"]


def test_links_from_the_site_root_are_followed_inside_the_folder(tmp_path: Path) -> None:
    """Static-site generators write links from the site's root (/media/a.png): the folder read
    is taken for that root, for the table of contents, the figures and the content."""
    figure = (
        "<figure><img src='/media/wave.png' alt='A wave'><figcaption>Wave. Photo: Ana Ruiz, "
        f"<a href='{BY_SA}'>CC BY-SA 4.0</a>.</figcaption></figure>"
    )
    page(
        tmp_path,
        "index.html",
        "<h1>Waves</h1><ol><li><a href='/intro.html'>Intro</a></li>"
        "<li><a href='/parts/deep.html#top'>Deep water</a></li></ol>"
        f"<p>Licensed under <a rel='license' href='{BY}'>CC BY 4.0</a>.</p>",
    )
    page(tmp_path, "intro.html", f"<h1>Intro</h1>{figure}<p><a href='/parts/deep.html'>On</a></p>")
    page(tmp_path, "parts/deep.html", "<h1>Deep water</h1><img src='/media/deep.png' alt='D'>")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "wave.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "media" / "deep.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    work = read(tmp_path, format="site")
    assert [s.title for s in work.content.sections] == ["Intro", "Deep water"]
    assets = {a.source: a for a in work.assets}
    assert assets["media/wave.png"].license == "CC-BY-SA-4.0"
    assert assets["media/wave.png"].credit is not None
    assert "media/deep.png" in assets
    intro, deep = list(work.content)
    assert 'src="media/wave.png"' in intro.html and 'href="parts/deep.html"' in intro.html
    assert 'src="../media/deep.png"' in deep.html and deep.base == "parts/deep.html"


def test_a_link_from_the_root_cannot_climb_out_of_the_folder(tmp_path: Path) -> None:
    page(
        tmp_path,
        "index.html",
        "<h1>Book</h1><a href='/../secret.html'>x</a><a href='/a.html'>A</a>",
    )
    page(
        tmp_path,
        "a.html",
        "<h1>A</h1><img src='/../../etc/passwd' alt='x'><img src='/%2Fetc/hosts' alt='y'>",
    )
    (tmp_path.parent / "secret.html").write_text("<h1>Secret</h1>", encoding="utf-8")
    work = read(tmp_path, format="site")
    assert [s.title for s in work.content.sections] == ["A"]
    # the image is named as written, never as a file of the folder, nor rewritten to one
    assert {a.source for a in work.assets} == {"/../../etc/passwd", "/%2Fetc/hosts"}
    (section,) = list(work.content)
    assert 'src="/../../etc/passwd"' in section.html and 'src="/%2Fetc/hosts"' in section.html


def test_the_record_s_chain_is_read_as_the_html_reader_reads_it() -> None:
    """metadata.jsonld's isBasedOn is read by the one reading of schema.org isBasedOn values
    (the HTML reader's): authors keep their URLs, an entry naming nothing is skipped, and each
    source's own sources follow."""
    import json

    from oerremix.model import Author, Work
    from oerremix.readers._pages import jsonld_record

    record = {
        "@context": "https://schema.org",
        "license": BY_SA,
        "isBasedOn": [
            {
                "@type": "CreativeWork",
                "name": "Soils",
                "url": "https://example.org/soils",
                "author": [{"name": "Maria Santos", "url": "https://example.org/maria"}],
                "license": BY,
                "isBasedOn": [{"name": "Origin of Soils"}],
            },
            {},
            {"@type": "CreativeWork", "license": BY, "creditText": "An untitled source"},
            "https://example.org/water",
        ],
    }
    found = jsonld_record(json.dumps(record).encode(), where="metadata.jsonld", source="x")
    assert found.claim is not None and found.claim.candidates == {"CC-BY-SA-4.0"}
    assert found.changes == ()
    assert found.based_on == (
        Work(
            title="Soils",
            url="https://example.org/soils",
            authors=(Author("Maria Santos", "https://example.org/maria"),),
            license="CC-BY-4.0",
            based_on=(Work(title="Origin of Soils"),),
        ),
        Work(license="CC-BY-4.0"),  # oerremix writes such entries for an untitled source
        Work(url="https://example.org/water"),
    )


def test_a_video_s_sources_captions_and_poster_are_assets(tmp_path: Path) -> None:
    """Every file a video or audio element shows is an asset: each source (not only the
    first), its text tracks, its poster; with no statement of their own, they take the page's
    licence where it says "except where otherwise noted"."""
    page(tmp_path, "index.html", f"<h1>Waves</h1><a href='lab.html'>Lab</a><p>Except where "
         f"otherwise noted, licensed under <a rel='license' href='{BY}'>CC BY 4.0</a>.</p>")  # fmt: skip
    page(tmp_path, "lab.html", "<h1>Lab</h1><video controls poster='wave.png'>"
         "<source src='wave.mp4' type='video/mp4'><source src='wave.webm' type='video/webm'>"
         "<track kind='captions' src='wave.vtt' srclang='en'></video>")  # fmt: skip
    kinds = {a.source: (a.kind, a.license, a.license_inherited) for a in read(tmp_path).assets}
    assert kinds == {
        "wave.mp4": ("video", "CC-BY-4.0", True),
        "wave.webm": ("video", "CC-BY-4.0", True),
        "wave.vtt": ("video", "CC-BY-4.0", True),
        "wave.png": ("image", "CC-BY-4.0", True),
    }


@pytest.mark.parametrize(
    "prose",
    [
        # "All rights reserved" is licensed to no one; CC BY-SA 4.0 grants commercial use and
        # adaptations (LC-BY-SA-4.0 §2(a)(1))
        pytest.param("All rights reserved.", id="all-rights-reserved"),
        pytest.param("For non-commercial purposes only.", id="non-commercial-only"),
    ],
)
def test_a_page_contradicting_its_licence_is_a_conflict(site: Path, prose: str) -> None:
    page(
        site,
        "chapters/water.html",
        "<h1>Water</h1>"
        f"<p>This chapter is licensed under <a rel='license' href='{BY_SA}'>CC BY-SA 4.0</a>. "
        f"{prose}</p>",
    )
    work = read(site)
    assert (work.license, work.provenance.license_status) == (None, "conflict")
