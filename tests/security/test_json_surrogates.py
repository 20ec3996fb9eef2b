"""JSON that spells a lone UTF-16 surrogate (``"\\ud800"``), in every place oerremix reads JSON.

``json.loads`` turns such an escape into a code point no UTF-8 text can hold, which the model
refuses; a hostile page or package must not turn that into a traceback from deep inside the
readers. Each lone surrogate becomes U+FFFD, as a UTF-8 decoder does with bytes it cannot read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import oerremix
from oerremix.detect import detect
from oerremix.errors import OerRemixError

DATA = Path(__file__).parent.parent / "data"
LONE = "\\ud800"  # as written in the JSON text: backslash, u, d800
REPLACED = "\ufffd"


def test_a_page_s_json_ld(tmp_path: Path) -> None:
    record = (
        '{"@context": "https://schema.org", "@type": "CreativeWork",'
        f' "name": "Soils {LONE}", "author": {{"name": "Ana {LONE}"}},'
        ' "license": "https://creativecommons.org/licenses/by/4.0/",'
        f' "isBasedOn": {{"name": "Origin {LONE}", "copyrightNotice": "(c) {LONE}"}},'
        f' "https://oerremix.invalid/ns#changes": [{{"description": "Cut {LONE}"}}]}}'
    )
    page = tmp_path / "page.html"
    page.write_text(
        f'<html><head><script type="application/ld+json">{record}</script></head>'
        "<body><h1>Soils</h1><p>Text.</p></body></html>",
        encoding="utf-8",
    )
    work = oerremix.read(page)
    assert work.license == "CC-BY-4.0"
    assert [a.name for a in work.authors] == [f"Ana {REPLACED}"]
    assert [(s.title, s.copyright) for s in work.based_on] == [
        (f"Origin {REPLACED}", f"(c) {REPLACED}")
    ]
    assert [c.what for c in work.changes] == [f"Cut {REPLACED}"]
    assert detect(page.read_text(encoding="utf-8")).license_id == "CC-BY-4.0"


def test_the_record_of_an_oerremix_package(tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    (book / "index.html").write_text(
        '<html lang="en"><head><title>Book</title>'
        '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/"></head>'
        '<body><h1>Book</h1><a href="one.html">One</a></body></html>',
        encoding="utf-8",
    )
    (book / "one.html").write_text("<html><body><h1>One</h1></body></html>", encoding="utf-8")
    (book / "metadata.jsonld").write_text(
        '{"@context": "https://schema.org", "name": "Book",'
        ' "license": "https://creativecommons.org/licenses/by/4.0/",'
        f' "isBasedOn": [{{"name": "Source {LONE}", "author": [{{"name": "{LONE}"}}]}}]}}',
        encoding="utf-8",
    )
    work = oerremix.read(book)
    assert [s.title for s in work.based_on] == [f"Source {REPLACED}"]
    assert [a.name for a in work.based_on[0].authors] == [REPLACED]


def test_a_pressbooks_chapter(tmp_path: Path) -> None:
    path = tmp_path / "chapter.json"
    text = (DATA / "pressbooks-rest-api" / "pb_chapter_5_metadata.json").read_text("utf-8")
    name = "Chapter 1: Introduction to Communication Situations"
    assert f'"name": "{name}"' in text
    path.write_text(text.replace(f'"name": "{name}"', f'"name": "{name} {LONE}"'), "utf-8")
    work = oerremix.read(path)
    assert work.title == f"{name} {REPLACED}"


def test_a_commons_api_response(tmp_path: Path) -> None:
    recorded = json.loads((DATA / "mediawiki-api-responses" / "responses.json").read_text("utf-8"))
    body = json.dumps(recorded[0]["body"])
    assert "Apple Lisa2" in body  # in the file's title, URLs and description
    path = tmp_path / "api.json"
    path.write_text(body.replace("Apple Lisa2", f"Apple {LONE}Lisa2"), "utf-8")
    work = oerremix.read(path)
    assert work.title is not None and f"Apple {REPLACED}Lisa2" in work.title


@pytest.mark.parametrize("name", ["chapter.json", "api.json"])
def test_json_nested_too_deeply_is_a_clear_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text('{"a": ' * 200_000 + "1" + "}" * 200_000, encoding="utf-8")
    with pytest.raises(OerRemixError) as info:
        oerremix.read(path)
    assert str(path) in str(info.value)
