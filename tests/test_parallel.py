"""Reading a long book in several processes (``jobs``) gives exactly what one process gives."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from oerremix import read
from oerremix._parallel import MIN_PER_JOB, jobs_for, ordered_map
from oerremix.errors import OerRemixError, ReadError, RecipeError, UnknownLicenseError

ROOT = Path(__file__).resolve().parent.parent
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
    book = _long_book(tmp_path, copies=2 * MIN_PER_JOB)
    one = read(book)
    assert pools == []  # jobs=1: no process started
    two = read(book, jobs=2)
    assert pools == [2]
    assert len(one.content.sections) >= 2 * MIN_PER_JOB
    assert one.assets, "the chapters' figures are found"
    assert _summary(two) == _summary(one)


def test_an_error_in_a_worker_is_the_error_one_process_raises(tmp_path: Path) -> None:
    book = _long_book(tmp_path, copies=2 * MIN_PER_JOB)
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
    items = list(range(2 * MIN_PER_JOB))
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

    book = _long_book(tmp_path, copies=2 * MIN_PER_JOB)
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
        ordered_map(_die, list(range(2 * MIN_PER_JOB)), jobs=2, where="book/")
    assert raised.value.where == "book/"


def test_a_wrong_number_of_jobs_is_refused_before_reading(tmp_path: Path) -> None:
    from oerremix.remix import build

    with pytest.raises(ValueError, match="positive number"):
        read(tmp_path / "missing.md", jobs=-1)  # not "cannot read": the argument is wrong
    with pytest.raises(ValueError, match="positive number"):
        build(tmp_path / "missing.yaml", tmp_path / "out", jobs=-2)
    assert not (tmp_path / "out").exists()
