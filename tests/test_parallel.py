"""Reading a long book in several processes (``jobs``) gives exactly what one process gives."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from oerremix import read
from oerremix._parallel import jobs_for, ordered_map
from oerremix.errors import OerRemixError, ReadError, RecipeError, UnknownLicenseError

ROOT = Path(__file__).resolve().parent.parent
PER_JOB = 16
"""Items per new worker in these tests (the real threshold, 128, would make their books long)."""


@pytest.fixture(autouse=True)
def _few_items_per_job(monkeypatch: pytest.MonkeyPatch) -> None:
    from oerremix import _parallel

    monkeypatch.setattr(_parallel, "MIN_PER_JOB", PER_JOB)  # decided in the calling process


LESSONS = ROOT / "examples" / "dc-circuits-ontario" / "sources" / "lessons-in-electric-circuits"


def _long_book(tmp_path: Path, copies: int) -> Path:
    """The example's Lessons volume with each chapter copied ``copies`` times."""
    book = tmp_path / "lessons"
    shutil.copytree(LESSONS, book)
    chapters = book / "src_pandoc" / "Ref"
    for chapter in sorted(chapters.glob("REF_*.md")):
        for n in range(1, copies):
            shutil.copy(chapter, chapter.with_name(f"{chapter.stem}_copy{n}.md"))
    return book


def _summary(work) -> tuple:
    content = work.content
    assert content is not None
    facts = work.to_dict()
    del facts["provenance"]["retrieved"]  # the time of reading, to the second
    return (
        facts,
        [(s.section.id, s.section.title, s.html, s.base) for s in content],
    )


def test_a_book_read_in_two_processes_is_the_book_read_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ProcessPoolExecutor

    from oerremix import _parallel

    pools: list[int | None] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, max_workers: int | None = None, **kwargs) -> None:
            pools.append(max_workers)
            super().__init__(max_workers, **kwargs)

    monkeypatch.setattr(_parallel, "ProcessPoolExecutor", Counted)
    book = _long_book(tmp_path, copies=2 * PER_JOB)
    one = read(book)
    assert pools == []  # jobs=1: no process started
    two = read(book, jobs=2)
    assert pools == [2]
    assert len(one.content.sections) >= 2 * PER_JOB
    assert one.assets, "the chapters' figures are found"
    assert _summary(two) == _summary(one)


def test_an_error_in_a_worker_is_the_error_one_process_raises(tmp_path: Path) -> None:
    book = _long_book(tmp_path, copies=2 * PER_JOB)
    bad = book / "src_pandoc" / "Ref" / "REF_2_copy7.md"
    bad.write_text("---\ntitle: [unclosed\n---\n# Chapter\n", encoding="utf-8")
    with pytest.raises(ReadError) as serial:
        read(book)
    with pytest.raises(ReadError) as spread:
        read(book, jobs=2)
    assert type(spread.value) is type(serial.value)
    assert str(spread.value) == str(serial.value)
    assert "REF_2_copy7.md" in str(spread.value)
    assert (spread.value.source, spread.value.line) == (serial.value.source, serial.value.line)


def _negate(n: int) -> int:
    if n == 40:
        raise ReadError("forty", source="item-40", line=4)
    return -n


def test_ordered_map_keeps_the_order_and_raises_the_workers_error() -> None:
    items = list(range(2 * PER_JOB))
    assert ordered_map(_negate, items, jobs=2) == [-n for n in items]
    with pytest.raises(ReadError, match="forty") as raised:
        ordered_map(_negate, list(range(50)), jobs=2)
    assert (raised.value.source, raised.value.line) == ("item-40", 4)


def test_jobs() -> None:
    assert jobs_for(4) == 4
    assert jobs_for(0) >= 1 and jobs_for(None) == jobs_for(0)
    with pytest.raises(ValueError, match="positive"):
        jobs_for(-1)


@pytest.mark.parametrize(
    "error",
    [
        ReadError("bad front matter", source="ch1.md", line=3),
        RecipeError("recipe.yaml", [(2, "no title"), (None, "no sources")]),
        UnknownLicenseError("CC-BY-9.0", ["CC-BY-4.0"]),
        OerRemixError("plain", where="here"),
    ],
)
def test_errors_survive_pickling(error: OerRemixError) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error)
    assert vars(again) == vars(error)


def test_the_cli_takes_jobs(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "oerremix", "build", "recipe.yaml", "--jobs"]
    for wrong in ("0", "two", "-1"):
        done = subprocess.run(
            [*run, wrong], check=False, capture_output=True, text=True, cwd=tmp_path
        )
        assert done.returncode == 2
        assert "positive number or auto" in done.stderr


def test_an_audit_in_two_processes_is_the_audit_in_one(tmp_path: Path) -> None:
    from oerremix import audit

    book = _long_book(tmp_path, copies=2 * PER_JOB)
    one, two = audit(book).to_dict(), audit(book, jobs=2).to_dict()
    assert one["findings"] and two == one


def test_the_audit_command_takes_jobs(tmp_path: Path) -> None:
    book = _long_book(tmp_path, copies=2)
    run = [sys.executable, "-m", "oerremix", "audit", str(book), "--json", "-q"]
    one = subprocess.run(run, check=False, capture_output=True, text=True)
    two = subprocess.run([*run, "-j", "2"], check=False, capture_output=True, text=True)
    assert one.returncode == two.returncode and one.stdout == two.stdout and one.stdout
    wrong = subprocess.run([*run, "-j", "none"], check=False, capture_output=True, text=True)
    assert wrong.returncode == 2 and "positive number or auto" in wrong.stderr


def test_chapters_are_read_one_after_another_in_one_process(tmp_path: Path) -> None:
    """With one process, a chapter is read and parsed before the next is opened: the first
    faulty chapter is the one reported (a later one too large to read does not hide it)."""
    book = _long_book(tmp_path, copies=2)
    chapters = book / "src_pandoc" / "Ref"
    (chapters / "REF_2.md").write_text("---\ntitle: [unclosed\n---\n# A\n", encoding="utf-8")
    from oerremix.readers import MAX_FILE_BYTES

    with (chapters / "REF_A3_copy1.md").open("wb") as too_large:  # sparse: no disk used
        too_large.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ReadError) as raised:
        read(book)
    assert "REF_2.md" in str(raised.value)


def _die(n: int) -> int:
    if n == 20:
        os._exit(3)  # a worker killed, as the out-of-memory killer would
    return n


def test_a_worker_that_dies_is_a_named_error() -> None:
    with pytest.raises(OerRemixError, match="worker process stopped abruptly") as raised:
        ordered_map(_die, list(range(2 * PER_JOB)), jobs=2, where="book/")
    assert raised.value.where == "book/"


def test_a_wrong_number_of_jobs_is_refused_before_reading(tmp_path: Path) -> None:
    from oerremix.remix import build

    with pytest.raises(ValueError, match="positive number"):
        read(tmp_path / "missing.md", jobs=-1)  # not "cannot read": the argument is wrong
    with pytest.raises(ValueError, match="positive number"):
        build(tmp_path / "missing.yaml", tmp_path / "out", jobs=-2)
    assert not (tmp_path / "out").exists()


def test_a_build_uses_one_pool_for_reading_and_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers started to read the book cut its chapters into sections and make the EPUB's
    pages too, and the EPUB is the one a single process writes, byte for byte."""
    from concurrent.futures import ProcessPoolExecutor

    from oerremix import _parallel
    from oerremix.remix import build

    pools: list[int | None] = []
    mapped: list[str] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, max_workers: int | None = None, **kwargs) -> None:
            pools.append(max_workers)
            super().__init__(max_workers, **kwargs)

        def map(self, fn, *iterables, **kwargs):
            mapped.append(fn.__name__)
            return super().map(fn, *iterables, **kwargs)

    monkeypatch.setattr(_parallel, "ProcessPoolExecutor", Counted)
    book = _long_book(tmp_path, copies=2 * PER_JOB)
    chapters = sorted(p.stem for p in (book / "src_pandoc" / "Ref").glob("REF_*.md"))
    outline = "\n".join(
        f"  - title: {stem}\n    parts:\n      - source: lessons\n        section: {stem}"
        for stem in chapters
    )
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text(
        "recipe: 1\nwork:\n  title: Long book\n  authors: [{name: The tests}]\n  license: CC-BY-4.0\n"
        "  language: en\n"
        f"sources:\n  lessons:\n    path: {book}\n    use: adapted\n"
        "    permissions:\n      - kind: decision\n        license: CC-BY-4.0\n"
        "        granted_by: The tests\n        scope: every chapter\n"
        "        date: 2026-11-30\n        basis: Appendix A3 states CC BY 4.0.\n"
        f"outline:\n{outline}\n",
        encoding="utf-8",
    )
    build(recipe, tmp_path / "one", formats=["epub"])
    assert pools == []
    build(recipe, tmp_path / "two", formats=["epub"], jobs=2)
    assert pools == [2]  # one pool: the book read, its chapters cut into sections, the pages
    assert sorted(set(mapped), key=mapped.index) == ["read_chapter", "_cut_sections", "_make_page"]
    assert len(chapters) >= 2 * PER_JOB
    (first,) = (tmp_path / "one" / "epub").glob("*.epub")
    (second,) = (tmp_path / "two" / "epub").glob("*.epub")
    assert first.read_bytes() == second.read_bytes()


def test_where_processes_cannot_start_the_items_are_mapped_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No sem_open (some serverless hosts): the pool cannot be made; nothing fails."""
    from oerremix import _parallel

    def refuse(workers: int):
        raise OSError(38, "Function not implemented: sem_open")

    monkeypatch.setattr(_parallel, "_pool", refuse)
    items = list(range(2 * PER_JOB))
    assert ordered_map(_negate, items, jobs=2) == [-n for n in items]
    with _parallel.shared_workers(2):
        assert ordered_map(_negate, items, jobs=2) == [-n for n in items]
    with pytest.raises(ReadError, match="forty"):  # the function's own errors still rise
        ordered_map(_negate, list(range(50)), jobs=2)


def _oserror(n: int) -> int:
    if n == 30:
        raise FileNotFoundError(2, "No such file", f"item-{n}")
    return n


def test_an_os_error_in_a_worker_is_raised_not_taken_for_a_failed_start() -> None:
    with pytest.raises(FileNotFoundError, match="item-30"):
        ordered_map(_oserror, list(range(2 * PER_JOB)), jobs=2)


def test_the_commands_use_every_cpu_unless_told_otherwise() -> None:
    """`oerremix build` and `oerremix audit` default to -j auto (one per CPU, at most 8)."""
    from oerremix._parallel import AUTO_MAX
    from oerremix.cli import _parser

    parser = _parser()
    for command in (["build", "recipe.yaml"], ["audit", "book/"]):
        assert parser.parse_args(command).jobs == 0
        assert parser.parse_args([*command, "-j", "1"]).jobs == 1
    assert 1 <= jobs_for(0) <= AUTO_MAX


def _pid(_item: int) -> int:
    return os.getpid()


def test_the_shared_pool_grows_for_a_call_with_items_for_more_workers() -> None:
    """A build whose first book is short must not keep its later long book to two workers."""
    from oerremix import _parallel

    with _parallel.shared_workers(4):
        shared = _parallel._SHARED.get()
        assert shared is not None
        small = set(ordered_map(_pid, list(range(2 * PER_JOB)), 4))
        assert shared.size == 2 and os.getpid() not in small
        ordered_map(_pid, list(range(4 * PER_JOB)), 4)
        assert shared.size == 4
        again = set(ordered_map(_pid, list(range(3)), 4))  # running workers take a few items
        assert shared.size == 4 and os.getpid() not in again


def _interrupt_self(n: int) -> int:
    os.kill(os.getpid(), signal.SIGINT)
    return n


def test_workers_leave_ctrl_c_to_the_calling_process() -> None:
    """Ctrl-C reaches every process of the group: a worker ignores it (the calling process
    stops the pool), rather than dying with a traceback of its own."""
    items = list(range(2 * PER_JOB))
    assert ordered_map(_interrupt_self, items, jobs=2) == items
