"""Faults: a build killed at any point, a corrupted cache, a read-only or full disk.

A real ``oerremix build`` subprocess is killed (SIGKILL) at each step it reports (after each
progress line) and between the two renames that swap the new output into place; the output
folder must be exactly as it was before, and the next build must clean up what the killed one
left. To kill at a known point, the subprocess runs the real CLI with one hook: after each
progress line (and inside the swap) it waits for a line on its standard input, so the test
chooses the moment.

A read-only output folder and a full disk are real when the tests run as root (a read-only
tmpfs, a 64 KiB tmpfs), simulated otherwise; either way the CLI exits with 2 and prints
``oerremix: … (path)`` with no traceback, and nothing is left behind.

(The corrupted cache entry is covered in ``tests/test_fetch.py``:
``TestCache.test_corrupted_entry_is_fetched_again`` and ``test_damaged_cache_file_is_replaced``.)
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from oerremix.cli import main

pytestmark = pytest.mark.slow

# The real CLI, with a pause after each progress line and inside the output swap.
_HOOKED = textwrap.dedent(
    """
    import os, select, sys
    import oerremix.cli, oerremix.writers

    class Paused:
        def __init__(self, inner):
            self.inner = inner
        def write(self, text):
            self.inner.write(text)
            self.inner.flush()
            if text.startswith("oerremix: ") and not text.startswith("oerremix: warning"):
                # wait for the go-ahead of the test; never for ever, should it be gone
                if select.select([sys.stdin], [], [], 60)[0]:
                    sys.stdin.readline()
            return len(text)
        def flush(self):
            self.inner.flush()
        def isatty(self):
            return False

    real_replace = os.replace
    def replace(src, dst, *args, **kwargs):
        real_replace(src, dst, *args, **kwargs)
        sys.stderr.write(f"oerremix: renamed {os.path.basename(src)}\\n")

    sys.stderr = Paused(sys.stderr)
    oerremix.writers.os.replace = replace
    sys.exit(oerremix.cli.main(sys.argv[1:]))
    """
)


def make_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("ohm", "power"):
        (folder / f"{name}.md").write_text(
            f"---\ntitle: {name.title()}\nauthor: Jo Writer\nlicense: CC-BY-4.0\n---\n\n"
            f"# {name.title()}\n\n" + "Some text about circuits. " * 200 + "\n",
            encoding="utf-8",
        )
    recipe = folder / "recipe.yaml"
    recipe.write_text(
        "work: {title: Circuits, authors: [Ana Silva], language: en, license: CC-BY-4.0}\n"
        "sources:\n  ohm: {path: ohm.md}\n  power: {path: power.md}\n"
        "outline:\n"
        "  - {title: Ohm, parts: [{source: ohm}]}\n"
        "  - {title: Power, parts: [{source: power}, {markdown: Our own words.}]}\n"
        "outputs: [html, epub, imscc, markdown]\n",
        encoding="utf-8",
    )
    return recipe


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "dir"
        for p in sorted(folder.rglob("*"))
    }


def start(recipe: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _HOOKED, "build", str(recipe), "-o", str(out)],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=recipe.parent,
    )


def steps(recipe: Path, out: Path) -> list[str]:
    """Every pause point of a whole build, by its line (the build is let through each)."""
    seen = []
    with start(recipe, out) as proc:
        assert proc.stdin is not None and proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("oerremix: ") and not line.startswith("oerremix: warning"):
                seen.append(line.strip())
                proc.stdin.write("\n")
                proc.stdin.flush()
        assert proc.wait(timeout=120) == 0, seen
    return seen


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A project, with the list of points a build of it can be killed at."""
    root = tmp_path_factory.mktemp("faults")
    recipe = make_project(root / "project")
    points = steps(recipe, root / "probe")
    return recipe, points


def test_the_build_reports_every_step(built: tuple[Path, list[str]]) -> None:
    _, points = built
    assert [p for p in points if p.startswith("oerremix: reading")] != []
    assert "oerremix: writing epub" in points
    assert any(p.startswith("oerremix: renamed .probe.new-") for p in points)


def kill_after(recipe: Path, out: Path, n: int) -> str | None:
    """Start a build of ``recipe`` into ``out``, let it through ``n`` pauses, kill it at the
    next one; return that step's line, or None when the build finished first."""
    with start(recipe, out) as proc:
        assert proc.stdin is not None and proc.stderr is not None
        reached: str | None = None
        for step in range(n + 1):
            line = proc.stderr.readline()
            if not line.startswith("oerremix: ") or line.startswith("oerremix: warning"):
                reached = None
                break
            reached = line.strip()
            if step < n:
                proc.stdin.write("\n")
                proc.stdin.flush()
        os.kill(proc.pid, signal.SIGKILL)  # paused right after that line (or already done)
        proc.wait(timeout=60)
    return reached


def test_killed_at_every_step_leaves_out_as_it_was(
    built: tuple[Path, list[str]], tmp_path: Path
) -> None:
    recipe, _ = built
    complete = set(snapshot(recipe.parent.parent / "probe"))  # the files a finished build writes
    problems: list[str] = []
    killed = 0
    for n in range(40):
        out = tmp_path / f"run{n}" / "out"
        (out / "html" / "media").mkdir(parents=True)  # a previous build's
        (out / "html" / "index.html").write_text("the old site", encoding="utf-8")
        (out / "html" / "media" / "photo.jpg").write_bytes(b"old photo")
        before = snapshot(out)
        reached = kill_after(recipe, out, n)
        if reached is None:
            break  # every step has had its kill
        killed += 1
        state = snapshot(out) if out.is_dir() else None
        # the old output, whole; or, once the swap is done, the new one, whole
        if state is None:
            problems.append(f"killed after {reached!r}: the output is gone")
        elif state != before and set(state) != complete:
            problems.append(f"killed after {reached!r}: the output is half old, half new")
        # the next build succeeds and leaves nothing of the killed one behind
        assert main(["build", str(recipe), "-o", str(out), "-q"]) == 0
        assert sorted(p.name for p in out.parent.iterdir()) == ["out"]
        assert set(snapshot(out)) == complete
    assert killed >= 8  # reading ×2, assembling ×2, writing ×4 at least
    assert problems == []


# --- a read-only output, a full disk ---------------------------------------------------------------


@contextlib.contextmanager
def tmpfs(folder: Path, options: str) -> Iterator[bool]:
    """Mount a tmpfs at ``folder`` with ``options`` when running as root; yield whether it was
    mounted (False: the caller simulates the fault)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        yield False
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        yield False
        return
    try:
        yield True
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_read_only_parent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = make_project(tmp_path / "project")
    parent = tmp_path / "readonly"
    with tmpfs(parent, "ro,size=1m") as real:
        if not real:
            if os.geteuid() == 0:  # root ignores permission bits: simulate the refusal
                import tempfile as tempfile_module

                def refused(*args: object, **kwargs: object) -> str:
                    raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(parent))

                monkeypatch.setattr(tempfile_module, "mkdtemp", refused)
            else:
                parent.chmod(0o555)
        try:
            code = main(["build", str(recipe), "-o", str(parent / "out"), "-q"])
        finally:
            if not real:
                parent.chmod(0o755)
        assert code == 2
        err = capsys.readouterr().err
        assert err.startswith("oerremix: ")
        assert f"({parent})" in err or f"({parent / 'out'})" in err
        assert "Traceback" not in err
        assert list(parent.iterdir()) == []


def test_full_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = make_project(tmp_path / "project")
    (tmp_path / "project" / "big.md").write_text(
        "---\ntitle: Big\nlicense: CC-BY-4.0\n---\n\n# Big\n\n" + "Lorem ipsum. " * 20_000,
        encoding="utf-8",
    )
    recipe.write_text(
        recipe.read_text(encoding="utf-8")
        .replace(
            "  power: {path: power.md}\n", "  power: {path: power.md}\n  big: {path: big.md}\n"
        )
        .replace("{markdown: Our own words.}", "{source: big}"),
        encoding="utf-8",
    )
    disk = tmp_path / "disk"
    with tmpfs(disk, "size=64k") as real:
        out = disk / "out"
        (out / "html").mkdir(parents=True)  # a previous build's
        (out / "html" / "index.html").write_text("the old site", encoding="utf-8")
        before = snapshot(out)
        if not real:  # simulate: every write of the build fails with ENOSPC
            real_write = Path.write_bytes

            def full(self: Path, data: bytes) -> int:
                if disk in self.parents:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
                return real_write(self, data)

            monkeypatch.setattr(Path, "write_bytes", full)
        code = main(["build", str(recipe), "-o", str(out), "-q"])
        err = capsys.readouterr().err
        assert code == 2, err
        assert err.startswith("oerremix: ") and "No space left on device" in err
        assert str(disk) in err
        assert "Traceback" not in err
        assert snapshot(out) == before
        assert sorted(p.name for p in disk.iterdir()) == ["out"]
