"""What every writer relies on: atomic output and reproducible zips."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import zipfile

import pytest

from oerremix.writers import FIXED_ZIP_TIME, atomic_output, write_zip


def tree(folder):
    return sorted(
        (p.relative_to(folder).as_posix(), p.read_text()) for p in folder.rglob("*") if p.is_file()
    )


def ended_process() -> int:
    """The id of a process that has ended (free, until the system gives it out again)."""
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


class TestAtomicOutput:
    def test_new_output_appears_whole(self, tmp_path):
        out = tmp_path / "out"
        with atomic_output(out) as tmp:
            (tmp / "index.html").write_text("new")
            assert not out.exists()  # nothing visible until the swap
        assert tree(out) == [("index.html", "new")]
        assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left

    def test_replaces_old_output(self, tmp_path):
        out = tmp_path / "out"
        out.mkdir()
        (out / "stale.html").write_text("old")
        with atomic_output(out) as tmp:
            (tmp / "index.html").write_text("new")
        assert tree(out) == [("index.html", "new")]
        assert [p.name for p in tmp_path.iterdir()] == ["out"]

    def test_failure_leaves_old_output_untouched(self, tmp_path):
        out = tmp_path / "out"
        out.mkdir()
        (out / "index.html").write_text("old")

        def build():
            with atomic_output(out) as tmp:
                (tmp / "index.html").write_text("half")
                raise RuntimeError("build failed")

        with pytest.raises(RuntimeError):
            build()
        assert tree(out) == [("index.html", "old")]
        assert [p.name for p in tmp_path.iterdir()] == ["out"]

    def test_killed_process_leaves_old_output_untouched(self, tmp_path):
        out = tmp_path / "out"
        out.mkdir()
        (out / "index.html").write_text("old")
        script = textwrap.dedent(
            f"""
            import os, signal, sys, time
            from oerremix.writers import atomic_output
            with atomic_output({str(out)!r}) as tmp:
                (tmp / "index.html").write_text("half")
                print("writing", flush=True)
                time.sleep(30)
            """
        )
        with subprocess.Popen(
            [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
        ) as proc:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        assert tree(out) == [("index.html", "old")]
        # the next build cleans up what the killed one left
        with atomic_output(out) as tmp:
            (tmp / "index.html").write_text("new")
        assert [p.name for p in tmp_path.iterdir()] == ["out"]

    def test_kill_between_the_two_renames_is_recovered(self, tmp_path):
        out = tmp_path / "out"
        # the old output, set aside by a build that was killed before the new one arrived
        aside = tmp_path / f".out.old-{ended_process()}"
        aside.mkdir()
        (aside / "index.html").write_text("old")
        with atomic_output(out) as tmp:
            assert tree(out) == [("index.html", "old")]  # restored before anything else
            (tmp / "index.html").write_text("new")
        assert tree(out) == [("index.html", "new")]

    @pytest.mark.skipif(os.name != "posix", reason="processes are asked about on POSIX only")
    def test_a_build_running_at_the_same_time_keeps_its_folders(self, tmp_path):
        out = tmp_path / "out"
        running = os.getppid()  # alive: pytest's parent
        others = [tmp_path / f".out.new-{running}-abcd", tmp_path / f".out.old-{running}"]
        dead = [tmp_path / f".out.new-{ended_process()}-efgh", tmp_path / ".out.new-k3j2x9q1"]
        for folder in (*others, *dead):
            folder.mkdir()
        with atomic_output(out) as tmp:
            (tmp / "index.html").write_text("new")
        assert all(folder.is_dir() for folder in others)  # another build's work, untouched
        assert not any(folder.exists() for folder in dead)  # killed builds' (and old-style names)
        assert tree(out) == [("index.html", "new")]


class TestWriteZip:
    def test_reproducible_and_sorted(self, tmp_path):
        entries = [("b.txt", b"b"), ("mimetype", b"application/epub+zip"), ("a/c.txt", b"c")]
        write_zip(tmp_path / "one.zip", entries, first_stored="mimetype")
        write_zip(tmp_path / "two.zip", list(reversed(entries)), first_stored="mimetype")
        one, two = (
            hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("one.zip", "two.zip")
        )
        assert one == two
        with zipfile.ZipFile(tmp_path / "one.zip") as archive:
            infos = archive.infolist()
        assert [i.filename for i in infos] == ["mimetype", "a/c.txt", "b.txt"]
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert all(i.date_time == FIXED_ZIP_TIME for i in infos)
