"""Building remixes from recipes: licence decisions, refusals, atomicity, pinning, lineage."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import textwrap
import zipfile
from pathlib import Path

import lxml.html
import pytest
import yaml

from oerremix import IncompatibleLicensesError, ReadError, RecipeError, detect, read
from oerremix.fetch import Fetcher
from oerremix.remix import build
from tests.httpserver import Reply
from tests.imscc_validate import check_cartridge
from tests.test_writer_epub import epubcheck

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dc-circuits-ontario"


def chapter(folder: Path, name: str, license_id: str | None, body: str = "Some text.") -> Path:
    """A Markdown source with YAML front matter stating its licence."""
    front = f"license: {license_id}\n" if license_id else ""
    path = folder / f"{name}.md"
    path.write_text(
        f"---\ntitle: {name.title()}\nauthor: Jo Writer\n{front}---\n\n# {name.title()}\n\n{body}\n",
        encoding="utf-8",
    )
    return path


def recipe(
    folder: Path, sources: str, license_id: str = "CC-BY-SA-4.0", outline: str | None = None
) -> Path:
    outline = outline or "  - title: One\n    parts:\n      - markdown: Hello.\n"
    text = (
        "work: {title: Remix, authors: [Ana Silva], language: en, license: " + license_id + "}\n"
        f"sources:\n{textwrap.indent(textwrap.dedent(sources), '  ')}"
        f"outline:\n{outline}"
        "outputs: [html, markdown]\n"
    )
    path = folder / "recipe.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def example_build(tmp_path_factory) -> Path:
    """The bundled example (the README's first command builds it), built once."""
    work = tmp_path_factory.mktemp("example")
    shutil.copytree(EXAMPLE, work / "dc", ignore=shutil.ignore_patterns("build", "*.lock.json"))
    out = work / "out"
    build(work / "dc" / "recipe.yaml", out)  # every format the recipe asks for
    return out


class TestExample:
    """The Ontario DC-circuits module: OpenStax (CC BY-NC-SA 4.0) + Lessons In Electric Circuits."""

    def test_every_page_carries_the_module_licence(self, example_build):
        pages = sorted((example_build / "html").glob("*.html"))
        assert {p.name for p in pages} == {
            "index.html", "intro.html", "series-parallel.html", "colour-codes.html", "credits.html",
        }  # fmt: skip
        for page in pages:
            text = page.read_text(encoding="utf-8")
            # BY-NC-SA material adapted: the module must be BY-NC-SA 4.0 (ShareAlike, LC §3(b)(1))
            assert detect(text).license_id == "CC-BY-NC-SA-4.0", page.name
            assert 'rel="license"' in text

    def test_credits_name_both_sources_and_the_decision(self, example_build):
        credits = (example_build / "html" / "credits.html").read_text(encoding="utf-8")
        assert "University Physics Volume 2" in credits
        assert "Lessons in Electronic Circuits" in credits  # the title its metadata.yaml gives
        assert "https://creativecommons.org/licenses/by/4.0/" in credits  # decided licence
        assert "decided by Ana Silva" in credits

    def test_each_source_s_credit_lists_its_own_changes(self, example_build):
        """The notice lists every change; each source's credit only those made to it (CC 4.0
        §3(a)(1)(B): indicate if *the licensed material* was modified)."""
        page = lxml.html.parse(str(example_build / "html" / "credits.html")).getroot()
        notice = page.xpath("string(//p[@class='oerremix-notice'])")
        openstax, lessons = (
            page.xpath(f"string(//li[@about='{url}'])")
            for url in (
                "https://openstax.org/details/books/university-physics-volume-2",
                "https://github.com/Leeds-Beckett-Engineering/lessons_elec",
            )
        )
        assert "Resistors in Series and Parallel" in notice and "Color Codes" in notice
        assert "Resistors in Series and Parallel" in openstax and "Color Codes" not in openstax
        assert "Color Codes" in lessons and "Resistors in Series and Parallel" not in lessons
        assert "Canadian Electric Code" in lessons and "Canadian Electric Code" not in openstax

    def test_localisation_applied_and_recorded(self, example_build):
        page = (example_build / "html" / "colour-codes.html").read_text(encoding="utf-8")
        main = (
            lxml.html.fromstring(page).find(".//main").text_content()
        )  # the footer quotes the old words
        assert "Resistor Colour Codes" in main and "Color" not in main
        assert "Canadian Electrical Code" in main and "Canadian Electric Code" not in main
        credits = (example_build / "html" / "credits.html").read_text(encoding="utf-8")
        assert "Changed spelling to Canadian English" in credits

    def test_epub_passes_epubcheck(self, example_build):
        (epub,) = (example_build / "epub").glob("*.epub")
        counts, messages = epubcheck(epub)
        assert counts["error"] == counts["warning"] == counts["fatal"] == 0, messages
        assert read(epub).license == "CC-BY-NC-SA-4.0"

    def test_cartridge_passes_the_ims_schemas(self, example_build):
        (cartridge,) = (example_build / "imscc").glob("*.imscc")
        assert check_cartridge(cartridge) == []
        with zipfile.ZipFile(cartridge) as archive:
            manifest = archive.read("imsmanifest.xml").decode("utf-8")
        assert "creativecommons.org/licenses/by-nc-sa/4.0" in manifest  # lomimscc:rights

    def test_markdown_front_matter(self, example_build):
        text = (example_build / "markdown" / "03-colour-codes.md").read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---")[1])
        assert front["license"] == "CC-BY-NC-SA-4.0" and front["language"] == "en-CA"

    @pytest.mark.parametrize(
        "package", ["markdown", "epub/*.epub", "imscc/*.imscc", "html", "html/index.html"]
    )
    def test_every_package_reads_back_with_its_licence_and_sources(self, example_build, package):
        # a remix of this module starts by reading it: its licence and both sources must come
        # back (the Markdown folder's README also names the sources' licences, CC BY 4.0
        # among them: its metadata.jsonld says which licence is the module's)
        (path,) = example_build.glob(package)
        work = read(path)
        assert (work.license, work.provenance.license_status) == ("CC-BY-NC-SA-4.0", "found")
        assert [(s.title, s.license) for s in work.based_on] == [
            ("University Physics Volume 2", "CC-BY-NC-SA-4.0"),
            ("Lessons in Electronic Circuits: Reference", "CC-BY-4.0"),
        ]
        # what a remix of it must keep: the sources' copyright notices (the Lessons volume's
        # metadata.yaml: "(c) July 2001") and this module's changes, each naming its source
        lessons = work.based_on[1]
        assert (lessons.copyright, lessons.year) == ("(c) July 2001", 2001)
        units = "Quantities are given in SI (metric) units; conductor sizes follow the Canadian"
        titles = {s.url: s.title for s in work.based_on}
        assert {c.source for c in work.changes} == set(titles)
        assert all(c.what.startswith(f"{titles[c.source]}: ") for c in work.changes)
        assert sum(units in c.what for c in work.changes) == 2  # the recipe's note, per source
        assert any("Canadian Electric Code" in c.what for c in work.changes)  # the glossary

    def test_images_copied_into_media(self, example_build):
        media = sorted(p.name for p in (example_build / "html" / "media").iterdir())
        assert any(name.endswith("CNX_UPhysics_27_01_SeriesRes.jpg") for name in media)
        assert any(name.endswith("11066.png") for name in media)  # the resistor colour code chart


class TestRefusals:
    def test_forbidden_remix_writes_nothing(self, tmp_path):
        chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
        chapter(tmp_path, "photo", "CC-BY-NC-4.0")
        path = recipe(
            tmp_path,
            "wiki: {path: wiki.md}\nphoto: {path: photo.md}\n",
            outline="  - title: One\n    parts:\n      - {source: wiki}\n      - {source: photo}\n",
        )
        with pytest.raises(IncompatibleLicensesError) as info:
            build(path, tmp_path / "out")
        # CHART: BY-SA + BY-NC cannot be adapted together
        assert "cannot be adapted together" in str(info.value)
        assert not info.value.verdict.allowed
        assert not (tmp_path / "out").exists()

    def test_existing_output_untouched_when_refused(self, tmp_path):
        chapter(tmp_path, "nd", "CC-BY-ND-4.0")
        out = tmp_path / "out"
        (out / "html").mkdir(parents=True)
        (out / "html" / "keep.txt").write_text("previous build")
        path = recipe(
            tmp_path,
            "nd: {path: nd.md}\n",
            outline="  - title: One\n    parts:\n      - {source: nd}\n",
        )
        with pytest.raises(IncompatibleLicensesError, match="NoDerivatives"):
            build(path, out)
        assert [p.relative_to(out).as_posix() for p in out.rglob("*")] == ["html", "html/keep.txt"]

    def test_intended_licence_not_allowed(self, tmp_path):
        chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
        path = recipe(tmp_path, "wiki: {path: wiki.md}\n", license_id="CC-BY-4.0",
                      outline="  - title: One\n    parts:\n      - {source: wiki}\n")  # fmt: skip
        with pytest.raises(IncompatibleLicensesError, match=r"CC BY 4\.0 is not allowed"):
            build(path, tmp_path / "out")

    def test_unknown_licence_stops_the_build(self, tmp_path):
        chapter(tmp_path, "mystery", None)
        path = recipe(tmp_path, "mystery: {path: mystery.md}\n",
                      outline="  - title: One\n    parts:\n      - {source: mystery}\n")  # fmt: skip
        with pytest.raises(IncompatibleLicensesError, match="unknown or ambiguous"):
            build(path, tmp_path / "out")

    def test_expected_licence_mismatch(self, tmp_path):
        chapter(tmp_path, "wiki", "CC-BY-SA-3.0")
        path = recipe(tmp_path, "wiki: {path: wiki.md, expect_license: CC-BY-SA-4.0}\n")
        with pytest.raises(
            RecipeError, match=r"expects CC-BY-SA-4.0, but the source states CC BY-SA 3.0"
        ):
            build(path, tmp_path / "out")

    def test_unknown_section(self, tmp_path):
        chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
        path = recipe(tmp_path, "wiki: {path: wiki.md}\n",
                      outline="  - title: One\n    parts:\n      - {source: wiki, section: nope}\n")  # fmt: skip
        with pytest.raises(ReadError, match="no section 'nope'"):
            build(path, tmp_path / "out")


class TestOutputs:
    def test_two_builds_are_byte_identical(self, tmp_path):
        chapter(tmp_path, "wiki", "CC-BY-SA-4.0", "Color and center.")
        path = recipe(tmp_path, "wiki: {path: wiki.md}\n",
                      outline="  - title: One\n    parts:\n      - {source: wiki}\n")  # fmt: skip
        build(path, tmp_path / "one")
        build(path, tmp_path / "two")
        assert files(tmp_path / "one") == files(tmp_path / "two")

    def test_failed_writer_leaves_old_output(self, tmp_path, monkeypatch):
        chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
        path = recipe(tmp_path, "wiki: {path: wiki.md}\n")
        out = tmp_path / "out"
        build(path, out)
        before = files(out)
        from oerremix.writers import markdown

        def broken(package, folder):
            (folder / "half.md").write_text("half")
            raise OSError("disk full")

        monkeypatch.setattr(markdown.WRITER, "write", broken)
        with pytest.raises(OSError, match="disk full"):
            build(path, out)
        assert files(out) == before

    def test_unusable_temporary_folder_is_a_write_error(self, tmp_path, monkeypatch):
        """Modules and media wait in a temporary folder during a build; when it cannot be
        made, the build stops with a WriteError naming it, and the old output stays."""
        import tempfile

        from oerremix.errors import WriteError

        chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
        path = recipe(tmp_path, "wiki: {path: wiki.md}\n")
        out = tmp_path / "out"
        build(path, out)
        before = files(out)
        not_a_folder = tmp_path / "tmp-is-a-file"
        not_a_folder.write_text("")
        monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
        with pytest.raises(WriteError, match="temporary files") as caught:
            build(path, out)
        assert str(not_a_folder) in caught.value.path
        assert files(out) == before

    @pytest.mark.parametrize("out", [".", "", "sources", "recipe.yaml", "notes"])
    def test_an_output_that_is_not_a_build_s_is_refused(self, tmp_path, monkeypatch, out):
        """A build replaces its whole output folder: ``-o .`` (or ``-o ""``), ``-o sources``
        or a file would delete the recipe and the sources, so it is refused, nothing touched."""
        from oerremix.errors import WriteError

        (tmp_path / "sources").mkdir()
        chapter(tmp_path / "sources", "wiki", "CC-BY-SA-4.0")
        (tmp_path / "notes").mkdir()
        (tmp_path / "notes" / "todo.txt").write_text("mine")
        recipe(tmp_path, "wiki: {path: sources/wiki.md}\n")
        monkeypatch.chdir(tmp_path)
        before = files(tmp_path)
        with pytest.raises(WriteError, match=r"what no build wrote|is a file"):
            build("recipe.yaml", out)
        assert files(tmp_path) == before

    def test_a_previous_build_s_folder_is_replaced(self, tmp_path):
        chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
        path = recipe(tmp_path, "wiki: {path: wiki.md}\n")
        build(path, tmp_path / "out")
        (tmp_path / "out" / ".DS_Store").write_bytes(b"")  # a file manager showed it
        build(path, tmp_path / "out", formats=["html"])
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["html"]

    @pytest.mark.skipif(os.name != "posix", reason="processes are asked about on POSIX only")
    def test_a_killed_build_s_temporary_folder_is_removed_by_the_next(self, tmp_path, monkeypatch):
        """A build killed with SIGKILL leaves its temporary folder behind; the next build
        removes it, and leaves alone the folder of a build that is still running."""
        import tempfile

        from tests.test_writers import ended_process

        chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
        path = recipe(tmp_path, "wiki: {path: wiki.md}\n")
        temp = tmp_path / "temp"
        temp.mkdir()
        monkeypatch.setattr(tempfile, "tempdir", str(temp))
        killed = temp / f"oerremix-build-{ended_process()}-abc123"
        (killed / "media").mkdir(parents=True)
        (killed / "media" / "0").write_bytes(b"an image")
        running = temp / f"oerremix-build-{os.getppid()}-def456"
        running.mkdir()
        someone_else = temp / "oerremix-build-notes"
        someone_else.mkdir()
        build(path, tmp_path / "out")
        assert not killed.exists()
        assert running.exists()
        assert someone_else.exists()
        assert sorted(p.name for p in temp.iterdir()) == sorted([running.name, someone_else.name])


class TestPinning:
    def test_lock_file_and_frozen(self, tmp_path, routes):
        body = {
            "text": b"---\ntitle: Remote\nauthor: Jo Writer\nlicense: CC-BY-4.0\n---\n\n# Remote\n\nFirst.\n"
        }

        def page(request):
            return Reply(200, body["text"], (("Content-Type", "text/markdown"),))

        url = routes.add("/remote.md", page)
        path = recipe(tmp_path, f"remote: {{url: '{url}'}}\n",
                      outline="  - title: One\n    parts:\n      - {source: remote}\n")  # fmt: skip
        with Fetcher(allow_private=True, cache_dir=tmp_path / "cache") as fetcher:
            build(path, tmp_path / "out", fetcher=fetcher)
            lock = (tmp_path / "recipe.yaml.lock.json").read_text()
            assert url in lock and hashlib.sha256(body["text"]).hexdigest() in lock
            build(path, tmp_path / "out", fetcher=fetcher, frozen=True)  # unchanged: fine
            body["text"] = body["text"].replace(b"First.", b"Changed upstream.")
            with pytest.raises(ReadError, match="changed since it was locked"):
                build(path, tmp_path / "out", fetcher=fetcher, frozen=True)
            build(path, tmp_path / "out", fetcher=fetcher)  # not frozen: the lock follows
            assert (
                hashlib.sha256(body["text"]).hexdigest()
                in (tmp_path / "recipe.yaml.lock.json").read_text()
            )

    def test_what_is_built_is_what_is_pinned(self, tmp_path, routes):
        """A server answering the lock's download and the reader's differently cannot slip
        other bytes past --frozen: the source is downloaded once, and those bytes are read."""
        text = b"---\ntitle: Remote\nauthor: Jo Writer\nlicense: CC-BY-4.0\n---\n\nFirst.\n"
        pinned, other = Reply(200, text, ()), Reply(200, text.replace(b"First", b"Other"), ())
        url = routes.add("/remote.md", pinned)
        path = recipe(tmp_path, f"remote: {{url: '{url}', format: markdown}}\n",
                      outline="  - title: One\n    parts:\n      - {source: remote}\n")  # fmt: skip
        with Fetcher(allow_private=True, cache_dir=tmp_path / "cache") as fetcher:
            build(path, tmp_path / "out", fetcher=fetcher)
            routes.add("/remote.md", [pinned, other])  # the first answer, then another
            build(path, tmp_path / "out", fetcher=fetcher, frozen=True)
        built = (tmp_path / "out" / "markdown" / "01-one.md").read_text(encoding="utf-8")
        assert "First." in built and "Other." not in built
        assert len(routes.log()) == 2  # one download per build

    def test_a_hand_broken_lock_entry_counts_as_not_locked(self, tmp_path, routes):
        text = b"---\ntitle: Remote\nauthor: Jo Writer\nlicense: CC-BY-4.0\n---\n\nFirst.\n"
        url = routes.add("/remote.md", lambda request: Reply(200, text, ()))
        path = recipe(tmp_path, f"remote: {{url: '{url}', format: markdown}}\n",
                      outline="  - title: One\n    parts:\n      - {source: remote}\n")  # fmt: skip
        lock = tmp_path / "recipe.yaml.lock.json"
        lock.write_text('{"sources": {"remote": "not an entry"}}', encoding="utf-8")
        with Fetcher(allow_private=True) as fetcher:
            with pytest.raises(ReadError, match="is not in the lock file"):
                build(path, tmp_path / "out", fetcher=fetcher, frozen=True)
            build(path, tmp_path / "out", fetcher=fetcher)  # not frozen: the lock is rewritten
        assert json.loads(lock.read_text())["sources"]["remote"]["url"] == url

    def test_a_lock_file_that_cannot_be_written_is_a_write_error(self, tmp_path):
        from oerremix.errors import WriteError

        chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
        path = recipe(tmp_path, "wiki: {path: wiki.md}\n")
        (tmp_path / "recipe.yaml.lock.json").mkdir()  # in the way
        with pytest.raises(WriteError) as caught:
            build(path, tmp_path / "out")
        assert caught.value.path == str(tmp_path / "recipe.yaml.lock.json")
        assert not (tmp_path / "recipe.yaml.lock.json.tmp").exists()


def test_remix_of_a_remix_keeps_the_chain(tmp_path):
    """Generation 1 adapts A; generation 2 adapts generation 1's package; the credits of
    generation 2 still name A (cc-rules §4.3: every link of the chain keeps its credit), and
    generation 1's changes to A (CC BY 4.0 §3(a)(1)(B): "retain an indication of any previous
    modifications")."""
    chapter(tmp_path, "origin", "CC-BY-4.0", "The original text.")
    gen1 = tmp_path / "gen1"
    gen1.mkdir()
    shutil.copy(tmp_path / "origin.md", gen1 / "origin.md")
    path1 = recipe(gen1, "origin: {path: origin.md}\n", license_id="CC-BY-SA-4.0",
                   outline="  - title: First remix\n    parts:\n      - {source: origin}\n")  # fmt: skip
    with path1.open("a", encoding="utf-8") as handle:
        handle.write("localise: {units: Lengths are given in metres.}\n")
    build(path1, gen1 / "out", formats=["html"])
    first = read(gen1 / "out" / "html" / "index.html")
    assert [w.title for _d, w in first.lineage()] == ["Origin"]

    previous = gen1 / "out" / "html"
    for n, title in ((2, "Second remix"), (3, "Third remix")):
        folder = tmp_path / f"gen{n}"
        shutil.copytree(previous, folder / "source")
        path = recipe(folder, "prev: {path: source/index.html}\n", license_id="CC-BY-SA-4.0",
                      outline=f"  - title: {title}\n    parts:\n      - {{source: prev}}\n")  # fmt: skip
        text = path.read_text().replace("title: Remix", f"title: Remix {n}")
        path.write_text(text)
        build(path, folder / "out", formats=["html"])
        previous = folder / "out" / "html"

    third = read(previous / "index.html")
    assert [(d, w.title) for d, w in third.lineage()] == [
        (1, "Remix 2"),
        (2, "Remix"),
        (3, "Origin"),
    ]
    credits = (previous / "credits.html").read_text(encoding="utf-8")
    for name in ("Remix 2", "Origin"):
        assert name in credits
    page = lxml.html.fromstring(credits)
    (origin,) = page.xpath("//section[@class='oerremix-credits']//li[starts-with(., '\"Origin\"')]")
    assert "Lengths are given in metres." in origin.text_content()  # made in generation 1
    assert [c.what for c in third.based_on[0].based_on[0].changes if "metres" in c.what] == [
        "Origin: Lengths are given in metres."
    ]


class TestCli:
    def test_build_refused_exits_1_and_writes_nothing(self, tmp_path, capsys):
        from oerremix.cli import main

        chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
        chapter(tmp_path, "photo", "CC-BY-NC-4.0")
        path = recipe(tmp_path, "wiki: {path: wiki.md}\nphoto: {path: photo.md}\n",
                      outline="  - title: One\n    parts:\n      - {source: wiki}\n      - {source: photo}\n")  # fmt: skip
        code = main(["build", str(path), "-o", str(tmp_path / "out"), "-q"])
        err = capsys.readouterr().err
        assert code == 1
        assert err.startswith("oerremix: the build is refused") and "Traceback" not in err
        assert not (tmp_path / "out").exists()

    def test_build_invalid_recipe_exits_2(self, tmp_path, capsys):
        from oerremix.cli import main

        path = tmp_path / "recipe.yaml"
        path.write_text("work: {titel: x}\n", encoding="utf-8")
        assert main(["build", str(path), "-q"]) == 2
        assert "did you mean 'title'?" in capsys.readouterr().err

    def test_build_ok(self, tmp_path, capsys):
        from oerremix.cli import main

        chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
        path = recipe(tmp_path, "wiki: {path: wiki.md}\n")
        assert (
            main(["build", str(path), "-o", str(tmp_path / "out"), "-q", "--format", "html"]) == 0
        )
        assert "licensed under CC BY-SA 4.0" in capsys.readouterr().out
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["html"]

    def test_inspect(self, capsys):
        from oerremix.cli import main

        assert main(["inspect", str(EXAMPLE / "sources" / "lessons-in-electric-circuits")]) == 0
        out = capsys.readouterr().out
        assert (
            "licence: unknown (conflict)" in out
        )  # DSL vs "Creative Commons License" vs CC BY 4.0
        assert "Design Science License" in out


def test_links_between_sections_follow_them_into_the_modules(tmp_path):
    """A link from one chapter to another points at the module that now holds it; a link to a
    chapter left out is unlinked (kept as text), never left broken."""
    book = tmp_path / "book"
    book.mkdir()
    (book / "one.md").write_text(
        "---\ntitle: One\nauthor: Jo\nlicense: CC-BY-4.0\n---\n\n# One\n\nSee [two](two.md) and [three](three.md).\n",
        encoding="utf-8",
    )
    (book / "two.md").write_text("# Two\n\nTarget.\n", encoding="utf-8")
    (book / "three.md").write_text("# Three\n\nLeft out.\n", encoding="utf-8")
    (book / "LICENSE.md").write_text(
        "Licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).\n",
        encoding="utf-8",
    )
    sections = [s.id for s in read(book).sections]
    first = next(s for s in sections if "one" in s)
    second = next(s for s in sections if "two" in s)
    path = recipe(
        tmp_path,
        "book: {path: book/}\n",
        outline=(
            f"  - title: First\n    id: first\n    parts:\n      - {{source: book, section: '{first}'}}\n"
            f"  - title: Second\n    id: second\n    parts:\n      - {{source: book, section: '{second}'}}\n"
        ),
    )
    build(path, tmp_path / "out", formats=["html"])
    page = lxml.html.fromstring(
        (tmp_path / "out" / "html" / "first.html").read_text(encoding="utf-8")
    )
    links = {a.text_content(): a.get("href") for a in page.find(".//main").iter("a")}
    assert links["two"] == "second.html"
    assert links["three"] is None  # not in the module: text only


def test_images_in_the_authors_own_markdown_are_copied(tmp_path):
    from tests.test_writer_epub import tiny_png

    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "panel.png").write_bytes(tiny_png())
    (tmp_path / "intro.md").write_text(
        "# Intro\n\n![A panel board](figures/panel.png)\n", encoding="utf-8"
    )
    chapter(tmp_path, "wiki", "CC-BY-4.0")
    path = recipe(
        tmp_path,
        "wiki: {path: wiki.md}\n",
        license_id="CC-BY-4.0",
        outline="  - title: Intro\n    parts:\n      - file: intro.md\n      - source: wiki\n",
    )
    build(path, tmp_path / "out")
    media = list((tmp_path / "out" / "html" / "media").iterdir())
    assert len(media) == 1 and media[0].name.endswith("panel.png")
    page = tmp_path / "out" / "html" / "intro.html"
    assert f'src="media/{media[0].name}"' in page.read_text(encoding="utf-8")


def test_builds_a_while_apart_are_byte_identical(tmp_path, monkeypatch):
    """The time a source is read at must not leak into the output (it used to, through the
    build's fingerprint): a rebuild a minute later gives the same bytes."""
    import datetime as real

    import oerremix.readers as readers_module
    import oerremix.remix as remix_module

    def at(minute):
        class Clock(real.datetime):
            @classmethod
            def now(cls, tz=None):
                return real.datetime(2026, 11, 29, 10, minute, tzinfo=tz)

        monkeypatch.setattr(remix_module, "datetime", Clock)
        monkeypatch.setattr(
            readers_module.Input, "now", staticmethod(lambda: f"2026-11-29T10:{minute:02}:00Z")
        )

    chapter(tmp_path, "wiki", "CC-BY-SA-4.0")
    path = recipe(
        tmp_path,
        "wiki: {path: wiki.md}\n",
        outline="  - title: One\n    parts:\n      - {source: wiki}\n",
    )
    at(0)
    build(path, tmp_path / "one")
    at(1)
    build(path, tmp_path / "two")
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_a_web_site_as_a_source(tmp_path, monkeypatch):
    """A folder of web pages (the site reader): pages at its top have the base "", which is the
    site's folder, not the working folder the build runs in; figures and links written from
    the site's root (/media/…) are found inside it."""
    from tests.test_reader_site import page

    site = tmp_path / "site"
    page(site, "index.html", "<h1>Waves</h1><ol><li><a href='/intro.html'>Intro</a></li>"
         "<li><a href='/parts/deep.html'>Deep</a></li><li><a href='summary.html'>Summary</a></li>"
         "</ol><p>Except where otherwise noted, "
         "licensed under <a rel='license' href='https://creativecommons.org/licenses/by/4.0/'>"
         "CC BY 4.0</a>.</p>")  # fmt: skip
    page(site, "intro.html", "<h1>Intro</h1><img src='/media/a wave.png' alt='A wave'>"
         "<p><a href='/parts/deep.html'>On to deep water</a>, <a href='summary.html'>sum</a></p>")  # fmt: skip
    page(site, "parts/deep.html", "<h1>Deep</h1><img src='../media/a%20wave.png' alt='Again'>")
    page(site, "summary.html", "<h1>Summary</h1><p><a href='intro.html'>Back</a></p>")
    (site / "media").mkdir()
    shutil.copy(EXAMPLE / "sources" / "lessons-in-electric-circuits" / "src_pandoc" /
                "Ref" / "media" / "11066.png", site / "media" / "a wave.png")  # fmt: skip
    path = recipe(tmp_path, "waves: {path: site, format: site}\n", license_id="CC-BY-4.0",
                  outline="  - title: Intro\n    parts:\n      - {source: waves, section: intro}\n"
                          "  - title: Deep\n    parts:\n      - {source: waves, section: parts-deep}\n"
                          "  - title: Summary\n    parts:\n      - {source: waves, section: summary}\n")  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    build(path, tmp_path / "out", formats=["html"])
    html = tmp_path / "out" / "html"
    (image,) = (html / "media").iterdir()
    assert image.read_bytes() == (site / "media" / "a wave.png").read_bytes()
    intro = lxml.html.parse(str(html / "intro.html")).getroot()
    deep = lxml.html.parse(str(html / "deep.html")).getroot()
    assert (
        intro.xpath("//main//img/@src") == deep.xpath("//main//img/@src") == [f"media/{image.name}"]
    )
    assert "deep.html" in intro.xpath("//main//a[contains(., 'On to deep water')]/@href")
    # pages in one folder are told apart: each link goes to the module holding its page
    assert intro.xpath("//main//a[. = 'sum']/@href") == ["summary.html"]
    summary = lxml.html.parse(str(html / "summary.html")).getroot()
    assert summary.xpath("//main//a[. = 'Back']/@href") == ["intro.html"]


def test_an_image_whose_name_has_a_space_or_an_accent_is_copied(tmp_path):
    """Markdown writes the file "fig 1.png" as the URL "fig%201.png": the build copies the file."""
    media = tmp_path / "media"
    media.mkdir()
    png = (EXAMPLE / "sources" / "lessons-in-electric-circuits" / "src_pandoc" / "Ref" / "media"
           / "11066.png").read_bytes()  # fmt: skip
    (media / "fig 1.png").write_bytes(png)
    (media / "schéma.png").write_bytes(png + b"\0")
    credit = '"Photo: Jo Writer, CC BY 4.0"'
    chapter(tmp_path, "circuits", "CC-BY-4.0",
            f"![A circuit](<media/fig 1.png> {credit})\n\n![Un schéma](media/schéma.png {credit})")  # fmt: skip
    path = recipe(tmp_path, "circuits: {path: circuits.md}\n", license_id="CC-BY-4.0",
                  outline="  - title: Circuits\n    parts:\n      - {source: circuits}\n")  # fmt: skip
    build(path, tmp_path / "out", formats=["html"])
    copied = sorted(p.read_bytes() for p in (tmp_path / "out" / "html" / "media").iterdir())
    assert copied == sorted([png, png + b"\0"])


def test_a_site_s_own_video_and_audio_are_copied(tmp_path):
    """A page's own video (with its poster and subtitles) and audio are files of the package,
    as its images are; a video hosted elsewhere stays where it is (the EPUB links to it)."""
    from tests.test_reader_site import page

    site = tmp_path / "site"
    page(site, "index.html", "<h1>Waves</h1><ol><li><a href='lab.html'>Lab</a></li></ol><p>Except "
         "where otherwise noted, licensed under <a rel='license' "
         "href='https://creativecommons.org/licenses/by/4.0/'>CC BY 4.0</a>.</p>")  # fmt: skip
    page(site, "lab.html", "<h1>Lab</h1><video controls poster='media/wave.png'>"
         "<source src='media/wave.mp4#t=1,2' type='video/mp4'><source src='media/wave.webm?v=2' "
         "type='video/webm'><track kind='captions' src='media/wave.vtt' srclang='en' "
         "label='English'></video><audio controls><source src='media/wave.mp3' "
         "type='audio/mpeg'></audio>"
         "<video controls src='HTTPS://www.youtube.com/embed/x' title='Elsewhere'></video>")  # fmt: skip
    media = site / "media"
    media.mkdir()
    shutil.copy(EXAMPLE / "sources" / "lessons-in-electric-circuits" / "src_pandoc" /
                "Ref" / "media" / "11066.png", media / "wave.png")  # fmt: skip
    (media / "wave.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (media / "wave.webm").write_bytes(b"\x1a\x45\xdf\xa3")
    (media / "wave.mp3").write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00")
    (media / "wave.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nA wave\n")
    path = recipe(tmp_path, "waves: {path: site, format: site}\n", license_id="CC-BY-4.0",
                  outline="  - title: Lab\n    parts:\n      - {source: waves, section: lab}\n")  # fmt: skip
    text = path.read_text().replace("outputs: [html, markdown]", "outputs: [html, epub]")
    path.write_text(text)
    build(path, tmp_path / "out")
    html = tmp_path / "out" / "html"
    copied = {p.suffix: p.name for p in (html / "media").iterdir()}
    assert sorted(copied) == [".mp3", ".mp4", ".png", ".vtt", ".webm"]
    lab = lxml.html.parse(str(html / "lab.html")).getroot()
    assert lab.xpath("//main//video[1]/source/@src") == [
        f"media/{copied['.mp4']}#t=1,2",  # a media fragment stays; a query does not
        f"media/{copied['.webm']}",
    ]
    assert lab.xpath("//main//video[1]/@poster") == [f"media/{copied['.png']}"]
    assert lab.xpath("//main//video[1]/track/@src") == [f"media/{copied['.vtt']}"]
    assert lab.xpath("//main//audio/source/@src") == [f"media/{copied['.mp3']}"]
    (book,) = (tmp_path / "out" / "epub").glob("*.epub")
    counts, messages = epubcheck(book)
    assert counts == {"fatal": 0, "error": 0, "warning": 0}, messages
    with zipfile.ZipFile(book) as z:
        page_xhtml = next(z.read(n).decode() for n in z.namelist() if n.endswith("lab.xhtml"))
    assert "https://www.youtube.com/embed/x" in page_xhtml.lower()  # a link to the video elsewhere


def _web_lab(tmp_path, routes, body: bytes):
    """A recipe adapting one web page (served on loopback) stating CC BY 4.0 around ``body``."""
    page_html = (
        b"<!doctype html><html lang='en'><head><title>Lab</title></head><body><main>"
        b"<h1>Lab</h1>" + body + b"<p>Licensed under <a rel='license' "
        b"href='https://creativecommons.org/licenses/by/4.0/'>CC BY 4.0</a>.</p></main></body></html>"
    )
    url = routes.add(
        "/lab.html", lambda request: Reply(200, page_html, (("Content-Type", "text/html"),))
    )
    return recipe(tmp_path, f"lab: {{url: '{url}', use: adapted}}\n", license_id="CC-BY-4.0",
                  outline="  - title: Lab\n    parts:\n      - {source: lab}\n")  # fmt: skip


def test_a_web_page_s_own_video_is_fetched_and_its_licence_checked(tmp_path, routes):
    """A video of a page read over the web is copied like its images, so its licence is
    checked: one with no known licence stops the build (never hot-linked unchecked)."""
    path = _web_lab(tmp_path, routes, b"<video controls src='clip.mp4'></video>")
    routes.add("/clip.mp4", lambda request: Reply(200, b"\x00\x00\x00\x18ftypmp42", (("Content-Type", "video/mp4"),)))  # fmt: skip
    with (
        Fetcher(allow_private=True, cache_dir=tmp_path / "cache") as fetcher,
        pytest.raises(RecipeError, match=r"clip\.mp4 has no known licence"),
    ):
        build(path, tmp_path / "out", formats=["html"], fetcher=fetcher)


def test_a_media_address_naming_the_page_itself_copies_nothing(tmp_path, routes):
    path = _web_lab(tmp_path, routes, b"<video controls src='#here'></video>")
    with Fetcher(allow_private=True, cache_dir=tmp_path / "cache") as fetcher:
        build(path, tmp_path / "out", formats=["html"], fetcher=fetcher)
    media = tmp_path / "out" / "html" / "media"
    assert not media.exists() or not any(media.iterdir())


class TestSectionsWithTheirOwnLicence:
    """A book under CC BY whose second chapter says CC BY-NC-SA 4.0 in its own front matter:
    what is taken from that chapter is CC BY-NC-SA material (the book's "except where otherwise
    noted"), and the module's licence must allow it (cc-rules.md §3.9 7: per item, not per
    book)."""

    @pytest.fixture
    def book(self, tmp_path: Path) -> Path:
        folder = tmp_path / "book"
        folder.mkdir()
        (folder / "metadata.yaml").write_text(
            "title: Field Book\nauthor: Ana\nlicense: CC-BY-4.0\n", encoding="utf-8"
        )
        (folder / "01-one.md").write_text("---\ntitle: One\n---\n\n# One\n\nText one.\n", "utf-8")
        (folder / "02-two.md").write_text(
            "---\ntitle: Two\nlicense: CC-BY-NC-SA-4.0\n---\n\n# Two\n\nText two.\n", "utf-8"
        )
        return tmp_path

    def _recipe(self, folder: Path, license_id: str, sections: list[str]) -> Path:
        parts = "".join(f"      - {{source: book, section: {s}}}\n" for s in sections)
        return recipe(folder, "book: {path: book/, home: 'https://example.org/field-book'}\n",
                      license_id=license_id, outline=f"  - title: Taken\n    parts:\n{parts}")  # fmt: skip

    def test_a_cc_by_module_of_the_nc_sa_chapter_is_refused(self, book: Path) -> None:
        with pytest.raises(IncompatibleLicensesError) as info:
            build(self._recipe(book, "CC-BY-4.0", ["02-two"]), book / "out", formats=["html"])
        assert "CC BY-NC-SA 4.0" in str(info.value) and "“Field Book” (sources.book" in str(
            info.value
        )
        assert not (book / "out").exists()

    def test_the_chapter_is_credited_under_its_own_licence(self, book: Path) -> None:
        result = build(self._recipe(book, "CC-BY-NC-SA-4.0", ["02-two"]), book / "out",
                       formats=["html"])  # fmt: skip
        assert [(w.title, w.license) for w in result.work.based_on] == [
            ("Field Book", "CC-BY-NC-SA-4.0")
        ]

    def test_chapters_under_two_licences_are_credited_once_each(self, book: Path) -> None:
        result = build(self._recipe(book, "CC-BY-NC-SA-4.0", ["01-one", "02-two"]),
                       book / "out", formats=["html"])  # fmt: skip
        assert [(w.title, w.license) for w in result.work.based_on] == [
            ("Field Book: “One”", "CC-BY-4.0"),
            ("Field Book: “Two”", "CC-BY-NC-SA-4.0"),
        ]
        credits = (book / "out" / "html" / "credits.html").read_text(encoding="utf-8")
        assert "Field Book: “Two”" in credits and "Selected “Two”" in credits
        # the CC BY chapter alone is fine as CC BY
        build(self._recipe(book, "CC-BY-4.0", ["01-one"]), book / "out2", formats=["html"])
