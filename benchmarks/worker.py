"""One measured run, in a fresh process: ``python benchmarks/worker.py TASK ARG…``.

``benchmarks/run.py`` starts this once per measured run, so every run starts cold and its peak
memory is its own (the parent reads it with ``os.wait4``). The task's own time (imports done,
inputs on disk) is printed as JSON on the last line of stdout: ``{"seconds": …, …}``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, os.fspath(Path(__file__).resolve().parent.parent))


def _pages(folder: str) -> list[Path]:
    return sorted((Path(folder) / "OEBPS").glob("p*.xhtml"))


def read_pages(folder: str) -> dict[str, Any]:
    """Every chapter page read by ``oerremix.read`` (the HTML reader: licence, sections, assets)."""
    import oerremix

    pages = _pages(folder)
    start = time.perf_counter()
    found: dict[str, int] = {}
    for page in pages:
        work = oerremix.read(page)
        key = work.license or work.provenance.license_status
        found[key] = found.get(key, 0) + 1
    return {"seconds": time.perf_counter() - start, "licenses": found}


def parse_pages(folder: str) -> dict[str, Any]:
    """The same bytes, each page parsed by lxml's HTML parser and nothing else."""
    from lxml import html

    pages = _pages(folder)
    start = time.perf_counter()
    for page in pages:
        html.document_fromstring(page.read_bytes())
    return {"seconds": time.perf_counter() - start}


def read_book(folder: str) -> dict[str, Any]:
    """The unpacked EPUB read by ``oerremix.read`` as one book (every chapter scanned)."""
    import oerremix

    start = time.perf_counter()
    work = oerremix.read(folder)
    seconds = time.perf_counter() - start
    own = sum(1 for s in work.sections if s.license)
    return {"seconds": seconds, "sections": len(work.sections), "own_licence": own}


def parse_book(folder: str) -> dict[str, Any]:
    """The same bytes: the package document and every chapter parsed by lxml's XML parser."""
    from lxml import etree

    files = [Path(folder) / "OEBPS" / "package.opf", *_pages(folder)]
    start = time.perf_counter()
    for file in files:
        etree.fromstring(file.read_bytes())
    return {"seconds": time.perf_counter() - start}


def read_cnxml(folder: str) -> dict[str, Any]:
    """The OpenStax book repository read by ``oerremix.read`` (collection and every module)."""
    import oerremix

    start = time.perf_counter()
    work = oerremix.read(folder)
    return {"seconds": time.perf_counter() - start, "license": work.license}


def parse_cnxml(folder: str) -> dict[str, Any]:
    """The same bytes: the collection and every module parsed by lxml's XML parser."""
    from lxml import etree

    root = Path(folder)
    files = [*sorted((root / "collections").glob("*.xml"))]
    files += sorted((root / "modules").glob("*/index.cnxml"))
    start = time.perf_counter()
    for file in files:
        etree.fromstring(file.read_bytes())
    return {"seconds": time.perf_counter() - start}


def build(recipe: str, out: str, *formats: str) -> dict[str, Any]:
    """``oerremix.build`` of a recipe (the formats given, else the recipe's)."""
    import oerremix

    start = time.perf_counter()
    result = oerremix.build(recipe, out, formats=formats or None)
    return {"seconds": time.perf_counter() - start, "outputs": list(result.outputs)}


def audit(path: str) -> dict[str, Any]:
    """``oerremix.audit`` of a built book."""
    import oerremix

    start = time.perf_counter()
    report = oerremix.audit(path)
    seconds = time.perf_counter() - start
    findings = getattr(report, "findings", ())
    return {"seconds": seconds, "findings": len(findings)}


def fetch(urls_file: str, cache: str, mode: str) -> dict[str, Any]:
    """Fetch the URLs: ``many`` with ``Fetcher.fetch_many`` (``manyN``: concurrency N, else the
    default), ``one`` one after another with ``Fetcher.fetch``."""
    from oerremix.fetch import Fetcher

    urls = Path(urls_file).read_text().split()
    options: dict[str, Any] = {}
    if mode.startswith("many") and mode[4:]:
        options["concurrency"] = int(mode[4:])
    with Fetcher(allow_private=True, cache_dir=Path(cache), **options) as fetcher:
        start = time.perf_counter()
        if mode.startswith("many"):
            results = fetcher.fetch_many(urls)
        else:
            results = [fetcher.fetch(url) for url in urls]
        seconds = time.perf_counter() - start
    failed = [str(r) for r in results if isinstance(r, Exception)]
    cached = sum(1 for r in results if not isinstance(r, Exception) and r.from_cache)
    return {"seconds": seconds, "failed": failed[:3], "from_cache": cached}


def compat(total: str, runs: str) -> dict[str, Any]:
    """``check()`` over a lineage graph of ``total`` works, ``runs`` times in this process."""
    sys.path.insert(0, os.fspath(Path(__file__).resolve().parent))
    from run import lineage

    from oerremix import check, load_catalog

    catalog = load_catalog()
    sources = lineage(int(total))
    ids = [w.license for s in sources for w in (s, *(x for _d, x in s.lineage()))]
    check(sources[:1])  # warm the catalogue and its caches
    ours, base = [], []
    for _ in range(int(runs)):
        start = time.perf_counter()
        check(sources)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = None
        for lic_id in ids:
            allowed = catalog.adapter_licenses(lic_id)
            result = allowed if result is None else result & allowed
        base.append(time.perf_counter() - start)
    return {"seconds": ours, "baseline": base, "works": len(ids)}


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "read-pages": read_pages,
    "parse-pages": parse_pages,
    "read-book": read_book,
    "parse-book": parse_book,
    "read-cnxml": read_cnxml,
    "parse-cnxml": parse_cnxml,
    "build": build,
    "audit": audit,
    "fetch": fetch,
    "compat": compat,
}


def main(argv: list[str]) -> int:
    task, *args = argv
    result = TASKS[task](*args)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
