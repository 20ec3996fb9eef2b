"""Run a recipe: read the sources, decide the licence, assemble, credit, write the packages.

``build(recipe)`` is what ``oerremix build`` calls. It refuses before writing anything when the
remix is not allowed (:class:`~oerremix.errors.IncompatibleLicensesError`, with the verdict),
when a source's licence is unclear and no decision is recorded, or when a source's licence is
not the one the recipe expects. Otherwise it writes every output atomically into one folder:
``html/``, ``epub/``, ``imscc/`` and ``markdown/``. Remote sources are pinned in a lock file
next to the recipe (``<recipe>.lock.json``); ``frozen=True`` refuses to build when one changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from oerremix._build_assemble import _WINDOW, _load_window, _module_html
from oerremix._build_media import _SPOOL, _Media, _remove_stale_spools, _temporary_files
from oerremix._build_refs import _folders, _link_modules, _located, _path_key, _real, _resolve
from oerremix._build_sources import (
    Progress,
    _check_expected,
    _decide,
    _decide_used,
    _read_lock,
    _read_sources,
    _Source,
    _write_lock,
)
from oerremix._parallel import jobs_for, shared_workers
from oerremix.attribution import attribution_record, render
from oerremix.compat import Verdict
from oerremix.errors import RecipeError, WriteError
from oerremix.fetch import Fetcher
from oerremix.model import Asset, Change, Work
from oerremix.recipe import Recipe, load_recipe
from oerremix.writers import (
    Package,
    PackageModule,
    SpooledModules,
    atomic_output,
    writers,
)

__all__ = ["BuildResult", "build"]


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What :func:`build` did."""

    out: Path
    """The output folder (one subfolder per format)."""
    work: Work
    """The new work, with its sources as ``based_on`` and unchanged items as ``parts``."""
    verdicts: tuple[Verdict, ...]
    """The licence decisions (the adaptation, then the whole as a collection)."""
    outputs: tuple[str, ...]
    """The formats written."""
    warnings: tuple[str, ...]
    """Attribution problems and licence warnings worth reading."""


# --- the output folder ------------------------------------------------------------------------

_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
"""What a file manager leaves in a folder it showed: no reason to refuse to replace it."""


def _check_out(target: Path, formats: Iterable[str]) -> None:
    """Refuse an output a build would destroy: a build replaces the whole folder, so ``target``
    must be new, empty or a previous build's (only format folders in it) — not a file, the
    recipe's own folder or a source's (``-o .``, ``-o sources``)."""
    if not target.exists() and not target.is_symlink():
        return
    if not target.is_dir():
        raise WriteError("the output must be a folder, and this is a file", path=str(target))
    try:
        foreign = sorted(p.name for p in target.iterdir() if p.name not in {*formats, *_LITTER})
    except OSError as exc:
        raise WriteError(
            f"cannot list the output folder: {exc.strerror}", path=str(target)
        ) from None
    if foreign:
        shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
        raise WriteError(
            f"the output folder holds what no build wrote ({shown}), and a build replaces the"
            " whole folder: choose a new or empty folder, or a previous build's",
            path=str(target),
        )


# --- the new work and its package ----------------------------------------------------------------


def _settle_assets(recipe: Recipe, sources: list[_Source]) -> None:
    """Apply a source's recorded decision to its items of unknown licence; refuse the rest."""
    problems: list[tuple[int | None, str]] = []
    for src in sources:
        decision = next((p for p in src.spec.permissions if p.kind == "decision"), None)
        for key, asset in list(src.used_assets.items()):
            if asset.license is not None:
                continue
            if decision is not None and decision.license:
                src.used_assets[key] = asset.replace(
                    license=decision.license, permissions=(*asset.permissions, decision)
                )
                continue
            credit = f" (credit: {asset.credit})" if asset.credit else ""
            problems.append(
                (
                    src.spec.line,
                    f"sources.{src.spec.name}: {asset.source}{credit} has no known licence; "
                    "drop it with a selector, or record a decision (permissions: kind: decision, "
                    "license, granted_by, scope, basis, evidence_url) for this source",
                )
            )
    if problems:
        raise RecipeError(str(recipe.path), problems)


def _new_work(recipe: Recipe, sources: list[_Source]) -> Work:
    adapted: list[Work] = []
    unchanged: list[Work] = []
    changes: list[Change] = []
    for src in sources:
        # the credits name what was used: the source's items actually taken, under the licence
        # they were taken under (see _Source.credited)
        credited = src.credited()
        if src.spec.use == "adapted":
            adapted.extend(credited)
            # entries sharing the source's address share its changes: name them once
            for used in credited[:1] if credited[0].url else credited:
                name = used.title or src.spec.name
                changes.extend(  # the source by its address first: two sources may share a title
                    Change(f"{name}: {c.what}", source=used.url or used.title)
                    for c in dict.fromkeys(src.changes)
                )
        else:
            unchanged.extend(credited)
    return recipe.work.replace(
        based_on=tuple(adapted),
        parts=tuple(unchanged),
        changes=tuple(changes),
        kind="adaptation" if adapted else "collection",
    )


def _copies(sources: list[_Source], media: _Media) -> dict[Asset, str]:
    """Each item used to its copy in ``media/``: the JSON-LD names the copy (``contentUrl``), so
    that whoever reads the package back finds each file's own licence there."""
    return {
        asset: path
        for src in sources
        for location, asset in src.used_assets.items()
        if (path := media.path_of(location)) is not None
    }


def _metadata(recipe: Recipe, work: Work, jsonld: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(jsonld)
    data["inLanguage"] = work.language
    if recipe.description:
        data["description"] = recipe.description
    if recipe.subject:
        data["keywords"] = list(recipe.subject)
    if recipe.audience:
        data["audience"] = {"@type": "EducationalAudience", "educationalRole": recipe.audience}
    if recipe.learning_outcomes:
        data["teaches"] = list(recipe.learning_outcomes)
    data["learningResourceType"] = "Module"
    return data


def _timeless(data: Any) -> Any:
    """``data`` without the times sources were read at: they do not change what is built."""
    if isinstance(data, dict):
        return {k: _timeless(v) for k, v in data.items() if k != "retrieved"}
    if isinstance(data, list):
        return [_timeless(v) for v in data]
    return data


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "module"


def _modified(lock: dict[str, Any], fingerprint: str) -> str:
    """The build time, kept while the inputs are unchanged so rebuilds are byte-identical."""
    if lock.get("fingerprint") == fingerprint and isinstance(lock.get("modified"), str):
        return str(lock["modified"])
    now = datetime.now(UTC).replace(microsecond=0)
    lock["fingerprint"] = fingerprint
    lock["modified"] = now.isoformat().replace("+00:00", "Z")
    return str(lock["modified"])


def build(
    recipe: Recipe | str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    formats: Iterable[str] | None = None,
    fetcher: Fetcher | None = None,
    frozen: bool = False,
    progress: Progress | None = None,
    jobs: int | None = 1,
) -> BuildResult:
    """Build the packages a recipe asks for into ``out`` (default: ``build/`` beside the recipe).

    Raises :class:`~oerremix.errors.IncompatibleLicensesError` (nothing written) when the remix
    is not allowed, :class:`~oerremix.errors.RecipeError` for a recipe or licence expectation
    problem, :class:`~oerremix.errors.ReadError`/:class:`~oerremix.errors.FetchError` for a
    source that cannot be read, and :class:`~oerremix.errors.WriteError` when the output cannot
    be written. An existing ``out`` is replaced only once everything succeeded, and only when it
    is empty or a previous build's (a :class:`~oerremix.errors.WriteError` otherwise, before
    anything is read: ``out`` holding the recipe or a source would delete them).

    ``jobs`` is how many processes a long book may use (0 or None: one per CPU, at most 8; see
    :func:`oerremix.read`): the same processes read it, cut it into sections and make the
    EPUB's pages. The default, 1, starts none.
    """
    jobs_for(jobs)  # a wrong number is refused before anything is read
    _resolve.cache_clear()  # files may have moved since the last build in this process
    _located.cache_clear()
    _folders.cache_clear()
    _path_key.cache_clear()
    _real.cache_clear()
    say = progress or (lambda _message: None)
    recipe = recipe if isinstance(recipe, Recipe) else load_recipe(recipe)
    target = Path(out) if out is not None else recipe.folder / "build"
    chosen = tuple(formats) if formats is not None else recipe.outputs
    available = writers()
    unknown = [f for f in chosen if f not in available]
    if unknown:
        raise RecipeError(
            str(recipe.path), [(None, f"unknown output format(s): {', '.join(unknown)}")]
        )
    _check_out(target, available)  # before any source is read or fetched
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher()
    stack = contextlib.ExitStack()
    stack.enter_context(shared_workers(jobs))  # the read's workers make the pages too
    try:
        lock = _read_lock(recipe)
        sources = _read_sources(recipe, fetcher, lock, frozen=frozen, progress=say, jobs=jobs)
        _check_expected(recipe, sources)
        verdicts = _decide(recipe, sources)
        with _temporary_files():  # a full or read-only temporary folder: a WriteError
            _remove_stale_spools()
            prefix = f"{_SPOOL}{os.getpid()}-"
            spool = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
            media = _Media(fetcher, spool / "media")
            by_name = {s.spec.name: s for s in sources}
            modules = SpooledModules(spool / "modules")
            placed: dict[str, str] = {}  # where each section used now lives: its base -> module id
            outline = recipe.outline
            for first in range(0, len(outline), _WINDOW):
                window = outline[first : first + _WINDOW]
                loaded = _load_window(window, by_name, recipe)
                for n, module in enumerate(window, start=first + 1):
                    say(f"[{n}/{len(outline)}] assembling {module.title}")
                    html, changes = _module_html(recipe, module.id, module.parts,
                                                 sources=by_name, media=media, placed=placed,
                                                 loaded=loaded)  # fmt: skip
                    modules.append(PackageModule(module.id, module.title, html, tuple(changes)))
            digests: list[str] = []

            def link(html: str) -> str:
                linked = _link_modules(html, placed)
                digests.append(hashlib.sha256(linked.encode()).hexdigest())
                return linked

            modules.rewrite(link)
            _settle_assets(recipe, sources)
            verdicts = _decide_used(recipe, sources)  # what was taken, item by item
            work = _new_work(recipe, sources)
            record = attribution_record(
                work, lang=recipe.work.language or "en", files=_copies(sources, media)
            )
            notice_only = replace(record, credits=())
            fingerprint = hashlib.sha256(
                json.dumps(
                    [_timeless(work.to_dict()), digests, sorted(media.files)], sort_keys=True
                ).encode()
            ).hexdigest()
            package = Package(
                work=work,
                slug=_slug(work.title or "module"),
                identifier=f"urn:uuid:{fingerprint[:8]}-{fingerprint[8:12]}-{fingerprint[12:16]}-"
                f"{fingerprint[16:20]}-{fingerprint[20:32]}",
                modified=_modified(lock, fingerprint),
                modules=modules,
                assets=tuple(media.files[p] for p in sorted(media.files)),
                notice_html=render(notice_only, "html"),
                notice_text=render(notice_only, "text").strip(),
                credits_html=render(record, "html"),
                credits_markdown=render(record, "markdown"),
                metadata=_metadata(recipe, work, render(record, "jsonld")),
                description=recipe.description,
                learning_outcomes=recipe.learning_outcomes,
            )
        with atomic_output(target) as tmp:
            for name in chosen:
                say(f"writing {name}")
                folder = tmp / name
                folder.mkdir()
                available[name].write(package, folder)
        _write_lock(recipe, lock)
    finally:
        stack.close()
        if own_fetcher:
            fetcher.close()
    warnings = list(record.warnings) + [w for v in verdicts for w in v.warnings]
    return BuildResult(target, work, verdicts, chosen, tuple(dict.fromkeys(warnings)))
