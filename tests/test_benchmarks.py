"""A tiny run of the benchmarks, so they cannot rot (they are not timed here).

``--quick`` builds its inputs from files inside the repository (tests/data, examples/), runs
every benchmark once and skips a baseline tool that is not installed, saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def quick_run() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=600,
    )


@pytest.mark.slow
def test_benchmarks_quick_run(quick_run):
    assert quick_run.returncode == 0, quick_run.stderr
    lines = quick_run.stdout.splitlines()
    assert lines[0].split() == [
        "benchmark",
        "oerremix",
        "baseline",
        "ratio",
        "peak-ours",
        "peak-base",
        "target",
    ]
    assert any(line.startswith("cli-startup: license list") for line in lines)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cli-startup", "read", "epub", "fetch", "compat", "scale"])
def test_every_benchmark_reports(quick_run, name):
    """Each benchmark prints at least one row with a time and a peak memory."""
    table = quick_run.stdout.split("\n\n", 1)[0].splitlines()  # the notes follow a blank line
    rows = [line for line in table if line.startswith(f"{name}: ")]
    assert rows, quick_run.stdout
    assert all("MiB" in row for row in rows)


@pytest.mark.slow
def test_a_missing_baseline_tool_is_skipped_and_said(quick_run):
    if shutil.which("pandoc"):
        assert "epub: pandoc is not installed" not in quick_run.stdout
    else:
        assert "epub: pandoc is not installed: the pandoc comparison was skipped" in (
            quick_run.stdout
        )


@pytest.mark.slow
def test_the_machine_is_described(quick_run):
    machine = next(line for line in quick_run.stdout.splitlines() if line.startswith("machine: "))
    for part in ("CPUs", "memory", "Python", "lxml"):
        assert part in machine


def test_unknown_benchmark_is_a_usage_error():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "nonsense"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "unknown benchmark(s): nonsense" in done.stderr


def test_a_full_run_without_the_corpus_fails_clearly(tmp_path):
    env = {**__import__("os").environ, "OERREMIX_CORPUS": str(tmp_path / "absent")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "read"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode != 0
    assert "the corpus is missing" in done.stderr
