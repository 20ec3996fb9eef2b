"""The Commons reader on real MediaWiki API responses (``tests/data/mediawiki-api-responses``).

``responses.json`` holds ten recorded requests with their bodies. Saved bodies are read as
files; for the URL path the same bodies are served from the loopback server at their recorded
request paths, and a file page URL on that server is read through the fetcher. Expected values
were written from reading the responses.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from oerremix.errors import FetchError, ReadError
from oerremix.fetch import Fetcher
from oerremix.model import Author
from oerremix.readers import Input, read, readers
from oerremix.readers.commons import READER, api_url
from tests.httpserver import Reply, Routes

RESPONSES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "mediawiki-api-responses" / "responses.json").read_text(
        encoding="utf-8"
    )
)


def _body(title_fragment: str, prop: str = "imageinfo") -> dict[str, Any]:
    """A copy of the recorded body whose request asked for ``prop`` on that title."""
    for response in RESPONSES:
        if title_fragment in response["url"] and response["url"].endswith(f"prop={prop}"):
            return copy.deepcopy(response["body"])
    raise LookupError(title_fragment)


def _input(body: Any, location: str = "response.json") -> Input:
    return Input(location, None, json.dumps(body).encode("utf-8"), None, None)


def _meta(body: dict[str, Any]) -> dict[str, Any]:
    (page,) = body["query"]["pages"].values()
    meta: dict[str, Any] = page["imageinfo"][0]["extmetadata"]
    return meta


LISA = "File%3AApple_Lisa2-IMG_1517.jpg"
FOOBAR = "File%3AFoobar.jpg"
FISCHER = "File%3AHelene_Fischer_2010.jpg"
BAMBERG = "File%3A1_FC_Bamberg"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            LISA,
            {
                "title": "Apple Lisa2-IMG 1517",
                "url": "https://commons.wikimedia.org/wiki/File:Apple_Lisa2-IMG_1517.jpg",
                "authors": (
                    Author("Rama & Musée Bolo", "https://commons.wikimedia.org/wiki/User:Rama"),
                ),
                "license": "CC-BY-SA-2.0-FR",
                "status": "found",
                "year": None,
                "file": "https://upload.wikimedia.org/wikipedia/commons/b/bc/Apple_Lisa2-IMG_1517.jpg",
                "credit": "Photograph by Rama, Wikimedia Commons, Cc-by-sa-2.0-fr",
            },
            id="cc-by-sa-2.0-fr",  # URL, short name and template slug all say CC BY-SA 2.0 France
        ),
        pytest.param(
            FOOBAR,
            {
                "title": "Foobar",
                "url": "https://commons.wikimedia.org/wiki/File:Foobar.jpg",
                "authors": (Author("Kaldari", "https://commons.wikimedia.org/wiki/User:Kaldari"),),
                "license": "CC0-1.0",
                "status": "found",
                "year": 2011,
                "file": "https://upload.wikimedia.org/wikipedia/commons/3/3a/Foobar.jpg",
                "credit": "Own work",
            },
            id="cc0",  # "CC0", "cc0" and the publicdomain/zero/1.0 deed
        ),
        pytest.param(
            FISCHER,
            {
                "title": "Helene Fischer 2010",
                "url": "https://commons.wikimedia.org/wiki/File:Helene_Fischer_2010.jpg",
                # The artist's user page does not exist: the red link becomes the page's URL.
                "authors": (Author("Fleyx24", "https://commons.wikimedia.org/wiki/User:Fleyx24"),),
                "license": "CC-BY-SA-3.0",
                "status": "found",
                "year": 2010,
                "file": "https://upload.wikimedia.org/wikipedia/commons/8/84/Helene_Fischer_2010.jpg",
                "credit": "Own work",
            },
            id="cc-by-sa-3.0",  # LicenseUrl without a trailing slash
        ),
        pytest.param(
            BAMBERG,
            {
                "title": "1 FC Bamberg - 1 FC Nürnberg 1901",
                "url": "https://de.wikipedia.org/wiki/Datei:1_FC_Bamberg_-_1_FC_N%C3%BCrnberg_1901.jpg",
                "authors": (Author("unbekannt"),),
                # "PD-alt-100", yet Copyrighted is "True" and the terms say "vermutlich": the
                # metadata does not state public domain unreservedly, so the licence is unknown.
                "license": None,
                "status": "ambiguous",
                "year": 1901,
                "file": "https://upload.wikimedia.org/wikipedia/de/f/fb/1_FC_Bamberg_-_1_FC_N%C3%BCrnberg_1901.jpg",
                "credit": "Scan aus Die Legende vom Club. Die Geschichte des 1. FC Nürnberg,"
                " Verlag Die Werkstatt, Göttingen 2006, Seite 14",
            },
            id="pd-alt-100-not-confirmed",
        ),
    ],
)
def test_recorded_files(title: str, expected: dict[str, Any]) -> None:
    work = READER.read(_input(_body(title)))
    assert work.title == expected["title"]
    assert work.url == expected["url"]
    assert work.authors == expected["authors"]
    assert work.license == expected["license"]
    assert work.year == expected["year"]
    assert work.provenance is not None
    assert work.provenance.license_status == expected["status"]
    (asset,) = work.assets
    assert (asset.kind, asset.source, asset.title) == ("image", expected["file"], work.title)
    assert (asset.license, asset.license_inherited) == (expected["license"], False)
    assert asset.authors == expected["authors"]
    assert asset.credit == expected["credit"]


def test_evidence_is_kept() -> None:
    work = READER.read(_input(_body(LISA)))
    assert work.provenance is not None
    assert [(e.where, e.match) for e in work.provenance.license_evidence] == [
        ("LicenseUrl", "https://creativecommons.org/licenses/by-sa/2.0/fr/deed.en"),
        ("LicenseShortName", "CC BY-SA 2.0 fr"),
        ("License", "cc-by-sa-2.0-fr"),
        ("UsageTerms", "Creative Commons Attribution-Share Alike 2.0 fr"),
        ("Copyrighted", "True"),
    ]


class TestVariants:
    """The recorded metadata with one field changed, to show one rule each."""

    def test_uploader_is_never_the_author(self) -> None:
        body = _body(FOOBAR)
        (page,) = body["query"]["pages"].values()
        page["imageinfo"][0]["user"] = "SomeUploader"  # what iiprop=user would add
        work = READER.read(_input(body))
        assert work.authors == (
            Author("Kaldari", "https://commons.wikimedia.org/wiki/User:Kaldari"),
        )
        assert "SomeUploader" not in json.dumps(work.to_dict())

    def test_a_malformed_author_link_is_dropped(self) -> None:
        """urllib refuses ``//[host`` (an unclosed IPv6 bracket); the fuzz test found it."""
        body = _body(FOOBAR)
        artist = _meta(body)["Artist"]
        artist["value"] = artist["value"].replace('href="//', 'href="//[', 1)
        work = READER.read(_input(body))
        assert work.authors == (Author("Kaldari"),)

    def test_public_domain_stated_explicitly(self) -> None:
        body = _body(BAMBERG)
        _meta(body)["Copyrighted"]["value"] = "False"
        work = READER.read(_input(body))
        assert (work.license, work.assets[0].license) == ("PUBLIC-DOMAIN-EXPIRED",) * 2
        assert work.provenance is not None
        assert work.provenance.license_status == "found"

    def test_public_domain_words(self) -> None:
        body = _body(BAMBERG)
        _meta(body)["LicenseShortName"]["value"] = "Public domain"
        _meta(body)["Copyrighted"]["value"] = "False"
        assert READER.read(_input(body)).license == "PUBLIC-DOMAIN-EXPIRED"

    def test_conflicting_statements(self) -> None:
        body = _body(LISA)
        _meta(body)["LicenseUrl"]["value"] = "https://creativecommons.org/licenses/by/4.0/"
        work = READER.read(_input(body))
        assert work.license is None
        assert work.provenance is not None
        assert work.provenance.license_status == "conflict"

    def test_versionless_name_fits_the_url(self) -> None:
        body = _body(FISCHER)
        _meta(body)["LicenseShortName"]["value"] = "CC BY-SA"
        assert READER.read(_input(body)).license == "CC-BY-SA-3.0"

    def test_no_licence_fields(self) -> None:
        body = _body(FOOBAR)
        for key in ("LicenseUrl", "LicenseShortName", "License", "UsageTerms"):
            del _meta(body)[key]
        work = READER.read(_input(body))
        assert work.license is None
        assert work.provenance is not None
        assert work.provenance.license_status == "none"

    def test_trademark_restriction(self) -> None:
        body = _body(FOOBAR)
        _meta(body)["Restrictions"]["value"] = "trademarked"
        assert READER.read(_input(body)).assets[0].trademark is True


class TestMalformed:
    """Responses that are not one file's metadata: a ReadError naming the input."""

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            pytest.param(_body(LISA, "templates"), "has no imageinfo", id="prop=templates"),
            pytest.param(
                _body("K%C3%B6nigsberg_in_Bayern"), "has no imageinfo", id="an article, not a file"
            ),
            pytest.param(
                next(r["body"] for r in RESPONSES if "iiurlwidth" in r["url"]),
                "describes 31 pages",
                id="thirty-one files at once",
            ),
            pytest.param(
                {"query": {"pages": {"-1": {"ns": 6, "title": "File:Nope.jpg", "missing": ""}}}},
                "no such file: File:Nope.jpg",
                id="missing file (the API's shape for it)",
            ),
            pytest.param(
                {"error": {"code": "badvalue", "info": "Unrecognized value"}},
                "answered with an error: Unrecognized value",
                id="API error",
            ),
        ],
    )
    def test_shapes(self, body: Any, message: str) -> None:
        with pytest.raises(ReadError, match=message) as info:
            READER.read(_input(body, "saved.json"))
        assert info.value.source == "saved.json"

    def test_not_json(self) -> None:
        with pytest.raises(ReadError, match="not valid JSON") as info:
            READER.read(Input("saved.json", None, b'{"query":\n  {"pages": }', None, None))
        assert info.value.line == 2


def test_sniff() -> None:
    lisa = _input(_body(LISA))
    scores = {name: reader.sniff(lisa) for name, reader in readers().items()}
    assert max(scores, key=lambda name: scores[name]) == "commons"
    assert READER.sniff(_input({"parts": [], "front-matter": []})) == 0


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    with Fetcher(cache_dir=tmp_path / "cache", allow_private=True, retries=0) as f:
        yield f


def _serve(routes: Routes) -> None:
    """Every recorded response, at its recorded path and query, under this test's prefix."""
    for response in RESPONSES:
        parts = urlsplit(response["url"])
        body = json.dumps(response["body"]).encode("utf-8")
        routes.add(f"{parts.path}?{parts.query}", Reply(body=body))


class TestFilePageUrl:
    """A file page URL: the API URL is derived from it and fetched."""

    def test_api_url(self) -> None:
        # The request the wmde attribution generator sent, recorded in responses.json.
        assert (
            api_url("https://commons.wikimedia.org/wiki/File:Apple_Lisa2-IMG_1517.jpg")
            == (RESPONSES[0]["url"])
        )
        assert (
            api_url("https://de.wikipedia.org/wiki/File:1_FC_Bamberg_-_1_FC_N%C3%BCrnberg_1901.jpg")
            == (RESPONSES[6]["url"])
        )
        assert api_url("https://commons.wikimedia.org/wiki/Main_Page") is None

    def test_read_through_the_fetcher(self, routes: Routes, fetcher: Fetcher) -> None:
        _serve(routes)
        page = routes.url("/wiki/File:Apple_Lisa2-IMG_1517.jpg")
        # The file page itself, hand-written: MediaWiki pages carry their namespace in RLCONF.
        html = b'<html><script>RLCONF={"wgCanonicalNamespace":"File"};</script></html>'
        routes.add("/wiki/File:Apple_Lisa2-IMG_1517.jpg", Reply(body=html))
        work = read(page, fetcher=fetcher)
        assert work.license == "CC-BY-SA-2.0-FR"
        assert work.url == "https://commons.wikimedia.org/wiki/File:Apple_Lisa2-IMG_1517.jpg"
        assert work.provenance is not None
        assert work.provenance.source == page
        recorded = urlsplit(RESPONSES[0]["url"])
        assert [r.path for r in routes.log()] == [
            urlsplit(page).path,
            f"{routes.prefix}{recorded.path}?{recorded.query}",
        ]

    def test_missing_page_on_the_server(self, routes: Routes, fetcher: Fetcher) -> None:
        page = routes.url("/wiki/File:Nothing_here.jpg")
        routes.add("/wiki/File:Nothing_here.jpg", Reply(body=b"<html></html>"))
        with pytest.raises(FetchError, match="HTTP 404"):
            READER.read(Input(page, None, b"<html></html>", "text/html", fetcher))
