"""Property-based fuzzing: whatever the bytes, only oerremix's own errors come out.

Detection, recipe loading and every reader get arbitrary bytes and mutated copies of real files
from ``tests/data`` (bytes deleted, inserted, replaced, duplicated, cut short; for packages, one
member of the zip mutated and the package rebuilt). Each work read is consumed whole: every
section's content is loaded, since readers parse sections lazily. Any exception that is not an
:class:`~oerremix.errors.OerRemixError` is a bug: fix the reader and add the input as an
``@example``.

Each test runs ``OERREMIX_FUZZ_EXAMPLES`` examples (default 25), so the whole file stays well
under a minute in the normal run; ``OERREMIX_FUZZ_EXAMPLES=2000 pytest tests/security/test_fuzz.py``
digs deeper.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from oerremix import OerRemixError, detect, read
from oerremix.recipe import load_recipe

DATA = Path(__file__).resolve().parent.parent / "data"
EXAMPLES = int(os.environ.get("OERREMIX_FUZZ_EXAMPLES", "25"))

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_COMMONS = json.loads((DATA / "mediawiki-api-responses" / "responses.json").read_text())[0]["body"]

# One real file per reader (single files; packages are handled below), with the reader's name.
SEEDS: dict[str, list[tuple[str, bytes]]] = {
    "html": [(p.name, p.read_bytes()) for p in sorted((DATA / "html").glob("*.html"))],
    "markdown": [
        (
            "REF_5.md",
            (DATA / "lessons-in-electric-circuits-ref-md/src_pandoc/Ref/REF_5.md").read_bytes(),
        ),
        (
            "Holzarten_01.md",
            (DATA / "diagnostik-liascript-holz-raum-maler/courses/Holzarten_01.md").read_bytes(),
        ),
    ],
    "openstax": [
        (
            "index.cnxml",
            (DATA / "openstax-university-physics-vol2/modules/m58453/index.cnxml").read_bytes(),
        ),
        (
            "book.collection.xml",
            (
                DATA
                / "openstax-university-physics-vol2/collections/university-physics-volume-2.collection.xml"
            ).read_bytes(),
        ),
    ],
    "pressbooks": [
        (
            "export.xml",
            (
                DATA
                / "pressbooks-wxr-integration-test/Pressbooks-Integration-Testing-1537214020.xml"
            ).read_bytes(),
        ),
        ("metadata.json", (DATA / "pressbooks-rest-api-book/metadata.json").read_bytes()),
    ],
    "commons": [("file.json", json.dumps(_COMMONS).encode())],
}


def _zip_members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist()]


PACKAGES: dict[str, tuple[str, list[tuple[str, bytes]]]] = {
    "epub": ("book.epub", _zip_members(DATA / "ebooklib-test-epub3" / "test01.epub")),
    "imscc": (
        "course.imscc",
        [
            (p.relative_to(root).as_posix(), p.read_bytes())
            for root in [DATA / "cc2olx-imscc-fixtures" / "imscc_files" / "main"]
            for p in sorted(root.rglob("*"))
            if p.is_file()
        ],
    ),
}
READERS = ["epub", "imscc", "openstax", "pressbooks", "commons", "markdown", "site", "html"]


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few edits: the shapes that break parsers (cut tags, stray bytes)."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]))
        span = draw(st.integers(1, 64))
        if kind == "delete":
            del data[at : at + span]
        elif kind == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=16),
                    st.sampled_from(
                        [b"<", b">", b"&", b"]]>", b"<!--", b"\x00", b"\xff\xfe", b'"', b"</",
                         b"<![CDATA[", b"&#0;", b"&#x110000;", b"\n---\n", b"{", b"[", b"%"]
                    ),
                )
            )  # fmt: skip
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "duplicate":
            data[at:at] = data[at : at + span]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


def consume(path: Path, format: str | None) -> None:
    """Read the work and every section of it; oerremix's own errors are fine."""
    try:
        work = read(path, format=format)
        if work.content is not None:
            for section in work.content:
                assert isinstance(section.html, str)
    except OerRemixError:
        pass


def in_tmp(name: str, data: bytes, run: Callable[[Path], None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        run(path)


def rezip(members: list[tuple[str, bytes]], index: int, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i, (name, original) in enumerate(members):
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data if i == index else original, compress_type=method)
    return buffer.getvalue()


def _shifted_zip() -> bytes:
    """Regression (found by test_reader_mutated_package_bytes): one byte deleted before the
    central directory puts the first entry at offset -1; zipfile raised ValueError."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in (("mimetype", b"application/epub+zip"), ("a.txt", b"hello")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), body)
    data = buffer.getvalue()
    at = data.index(b"application/epub+zip")
    return data[:at] + data[at + 1 :]


MALFORMED_URLS = ["http://[::1", "https://[oops]/x", "//[/"]


def _page_with(url: str) -> str:
    """A web page with ``url`` in every place the HTML reader takes a URL from."""
    jsonld = json.dumps(
        {
            "@context": "https://schema.org",
            "url": url,
            "license": url,
            "author": {"name": "A", "url": url},
            "isBasedOn": {"name": "B", "url": url, "license": url},
        }
    )
    return f"""<!DOCTYPE html><html lang="en"><head><title>T</title>
<link rel="canonical" href="{url}"><meta property="og:url" content="{url}">
<script type="application/ld+json">{jsonld}</script></head><body><main><h1>T</h1>
<p>Adapted from <a href="{url}">B</a>.
<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></p>
<figure><img src="{url}" alt="x"><figcaption>Photo by <a href="{url}">X</a>, CC BY 4.0
</figcaption></figure><video src="{url}"></video><iframe src="{url}"></iframe></main></body></html>
"""


# --- detection ----------------------------------------------------------------------------------


@fuzz
@given(st.text(max_size=2000))
@example("<a rel='license' href='https://creativecommons.org/licenses/by/4.0/'>")
@example("\x00<html><body>CC BY-SA 4.0 &#0;</body>")
def test_detect_any_text(text: str) -> None:
    with contextlib.suppress(OerRemixError):
        detect(text)


@fuzz
@given(st.data())
def test_detect_mutated_pages(data: st.DataObject) -> None:
    _name, original = data.draw(st.sampled_from(SEEDS["html"]))
    text = data.draw(mutated(original)).decode("utf-8", errors="replace")
    with contextlib.suppress(OerRemixError):
        detect(text)


# --- recipes ------------------------------------------------------------------------------------

_RECIPE = (
    Path(__file__).resolve().parent.parent.parent
    / "examples"
    / "dc-circuits-ontario"
    / "recipe.yaml"
)


def _load(path: Path) -> None:
    with contextlib.suppress(OerRemixError):
        load_recipe(path)


@fuzz
@given(st.binary(max_size=4000))
@example(b"work: !!binary AAAA\n")
@example(b"outline: [{title: x, parts: [{range: [a]}]}]\n")
def test_recipe_any_bytes(data: bytes) -> None:
    in_tmp("recipe.yaml", data, _load)


@fuzz
@given(st.data())
def test_recipe_mutated(data: st.DataObject) -> None:
    in_tmp("recipe.yaml", data.draw(mutated(_RECIPE.read_bytes())), _load)


# --- readers ------------------------------------------------------------------------------------


@fuzz
@given(format=st.sampled_from([*READERS, None]), data=st.binary(max_size=4000))
@example(format="epub", data=b"PK\x03\x04")
@example(format=None, data=_shifted_zip())
@example(format="html", data=_page_with("http://[::1").encode())  # urllib's ValueError
@example(format="pressbooks", data=b"\xff\xfe<\x00r\x00s\x00s\x00")
def test_readers_any_bytes(format: str | None, data: bytes) -> None:
    in_tmp("input", data, lambda path: consume(path, format))


@pytest.mark.parametrize("reader", sorted(SEEDS))
@fuzz
@given(data=st.data())
def test_reader_mutated_file(reader: str, data: st.DataObject) -> None:
    name, original = data.draw(st.sampled_from(SEEDS[reader]))
    mutant = data.draw(mutated(original))
    forced = data.draw(st.booleans())
    in_tmp(name, mutant, lambda path: consume(path, reader if forced else None))


@pytest.mark.parametrize("reader", sorted(PACKAGES))
@fuzz
@given(data=st.data())
def test_reader_mutated_package_member(reader: str, data: st.DataObject) -> None:
    name, members = PACKAGES[reader]
    index = data.draw(st.integers(0, len(members) - 1))
    mutant = data.draw(mutated(members[index][1]))
    in_tmp(name, rezip(members, index, mutant), lambda path: consume(path, None))


@pytest.mark.parametrize("reader", sorted(PACKAGES))
@fuzz
@given(data=st.data())
def test_reader_mutated_package_bytes(reader: str, data: st.DataObject) -> None:
    name, members = PACKAGES[reader]
    whole = rezip(members, -1, b"")
    in_tmp(name, data.draw(mutated(whole)), lambda path: consume(path, None))


@fuzz
@given(data=st.data())
def test_site_with_mutated_pages(data: st.DataObject) -> None:
    """A folder of pages (the site reader): a mutated index linking to mutated pages, one of
    them in a subfolder and one link leading out of the folder."""
    pages = SEEDS["html"]
    _, index = data.draw(st.sampled_from(pages))
    links = b'<a href="a.html">A</a><a href="sub/b.html#x">B</a><a href="../out.html">C</a>'
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "site"
        (folder / "sub").mkdir(parents=True)
        (folder / "index.html").write_bytes(data.draw(mutated(index.replace(b"</body>", links))))
        for name in ("a.html", "sub/b.html"):
            _, original = data.draw(st.sampled_from(pages))
            (folder / name).write_bytes(data.draw(mutated(original)))
        consume(folder, data.draw(st.sampled_from(["site", None])))


# --- regressions found by the fuzzing above, as plain tests ----------------------------------


@pytest.mark.parametrize("url", MALFORMED_URLS)
@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_malformed_urls_in_a_source(url: str, suffix: str, tmp_path: Path) -> None:
    # urllib raises ValueError on these; the HTML and Markdown readers used to let it out
    path = tmp_path / f"page{suffix}"
    text = _page_with(url)
    if suffix == ".md":
        text = (
            f'---\ntitle: T\nlicense: CC-BY-4.0\nurl: "{url}"\n---\n\n![x]({url}) [a]({url})\n\n'
            + text
        )
    path.write_text(text, encoding="utf-8")
    consume(path, None)


def test_malformed_url_in_a_source_does_not_crash_the_build(tmp_path: Path) -> None:
    from oerremix.fetch import Fetcher
    from oerremix.remix import build

    (tmp_path / "page.html").write_text(_page_with("http://[::1"), encoding="utf-8")
    (tmp_path / "recipe.yaml").write_text(
        "work: {title: T, authors: [A], language: en, license: CC-BY-4.0}\n"
        "sources:\n  p: {path: page.html, permissions: [{kind: decision, granted_by: X, "
        "scope: all, license: CC-BY-4.0}]}\n"
        "outline: [{title: One, parts: [{source: p}]}]\noutputs: [html]\n",
        encoding="utf-8",
    )
    with Fetcher(cache_dir=tmp_path / "cache") as fetcher, contextlib.suppress(OerRemixError):
        build(tmp_path / "recipe.yaml", tmp_path / "out", fetcher=fetcher)
