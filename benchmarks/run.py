"""oerremix benchmarks: ``python benchmarks/run.py [--quick]``.

Each benchmark runs oerremix and a baseline on the same input several times and prints the
medians side by side with their ratio (absolute times on a shared machine are noise; ratios are
what we track). ``--quick`` runs each once on tiny inputs: the test suite uses it so the
benchmarks cannot rot.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.fspath(ROOT))


def _time_command(cmd: Sequence[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_cli_startup(runs: int) -> list[tuple[str, float, float]]:
    """A CLI call that loads the whole catalogue vs starting Python and importing our deps."""
    exe = shutil.which("oerremix", path=str(Path(sys.executable).parent)) or ""
    ours = [exe] if exe else [sys.executable, "-m", "oerremix"]
    baseline = [sys.executable, "-c", "import lxml.html, yaml, json"]
    base = _time_command(baseline, runs)
    return [
        (name, _time_command(ours + args, runs), base)
        for name, args in [
            ("license show CC-BY-4.0", ["license", "show", "CC-BY-4.0"]),
            ("license list", ["license", "list"]),
            ("detect (example)", ["detect", str(_example())]),
        ]
    ]


def _lineage(total: int) -> list[object]:
    """``total`` works: top-level sources, each the root of a three-level lineage tree."""
    from oerremix import Work

    licenses = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CC-BY-3.0", "CC-BY-SA-3.0-US"]
    per_tree = 100
    sources = []
    for t in range(max(1, total // per_tree)):
        leaves = [Work(title=f"w{t}-{i}", license=licenses[i % 5]) for i in range(per_tree - 10)]
        middle = [
            Work(title=f"m{t}-{j}", license="CC-BY-SA-4.0", based_on=tuple(leaves[j::9]))
            for j in range(9)
        ]
        sources.append(Work(title=f"t{t}", license="CC-BY-SA-4.0", based_on=tuple(middle)))
    return sources


def bench_compat(runs: int) -> list[tuple[str, float, float]]:
    """check() over a lineage graph vs intersecting the adapter sets of its licences by hand."""
    from oerremix import check, load_catalog

    catalog = load_catalog()
    total = 1_000 if runs == 1 else 10_000
    sources = _lineage(total)
    ids = [w.license for s in sources for w in (s, *(x for _d, x in s.lineage()))]  # type: ignore[attr-defined]

    def ours() -> None:
        check(sources)  # type: ignore[arg-type]

    def baseline() -> None:
        result = None
        for lic_id in ids:
            allowed = catalog.adapter_licenses(lic_id)
            result = allowed if result is None else result & allowed

    check(sources[:1])  # type: ignore[arg-type]  # warm the catalogue and its caches
    label = f"check, lineage of {len(ids)} works"
    return [(label, _time_call(ours, runs), _time_call(baseline, runs))]


def _time_call(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _example() -> Path:
    return (
        ROOT
        / "examples/openstax-university-physics-vol2/university-physics-volume-2.collection.xml"
    )


BENCHMARKS: dict[str, Callable[[int], list[tuple[str, float, float]]]] = {
    "cli-startup": bench_cli_startup,
    "compat": bench_compat,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run each, tiny inputs")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("names", nargs="*", help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    runs = 1 if args.quick else args.runs
    print(f"{'benchmark':<44} {'oerremix':>10} {'baseline':>10} {'ratio':>8}")
    for name in args.names or list(BENCHMARKS):
        for label, ours, base in BENCHMARKS[name](runs):
            ratio = ours / base if base else float("inf")
            print(f"{name + ': ' + label:<44} {ours:>9.4f}s {base:>9.4f}s {ratio:>7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
