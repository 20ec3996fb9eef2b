"""A build's sources: what is known of each, reading and pinning them, deciding on the licence.

:class:`_Source` is one source of the recipe: the work read, and what the build takes of it (the
sections and items used, the changes made), from which it says what the credits name
(:meth:`_Source.credited`). :func:`_read_sources` reads every source and pins a remote one in the
lock file (:func:`_read_lock`, :func:`_write_lock`), reading the bytes it pinned;
:func:`_check_expected` refuses a source whose licence is not the one the recipe expects.
:func:`_decide` decides on the sources as wholes before anything is assembled, :func:`_decide_used`
again on what was taken, item by item; :func:`_refuse_unless_allowed` raises when a verdict does
not allow the remix.

Part of the build (:func:`oerremix.remix.build` runs these steps). This module imports no other
part of it; remix.py and the other parts (:mod:`oerremix._build_assemble`,
:mod:`oerremix._build_refs`) import it, so there is no import cycle.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oerremix.catalog import load_catalog
from oerremix.compat import Verdict, check
from oerremix.errors import IncompatibleLicensesError, ReadError, RecipeError, WriteError
from oerremix.fetch import Fetcher
from oerremix.model import Asset, Change, Section, Work
from oerremix.readers import Input, read, read_input
from oerremix.recipe import Recipe, SourceSpec

__all__ = [
    "Progress",
    "_Source",
    "_check_expected",
    "_decide",
    "_decide_used",
    "_lock_path",
    "_read_lock",
    "_read_sources",
    "_refuse_unless_allowed",
    "_write_lock",
]

Progress = Callable[[str], None]


@dataclass(slots=True)
class _Source:
    spec: SourceSpec
    work: Work
    used_assets: dict[str, Asset] = field(default_factory=dict)
    used_sections: dict[str, Section] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    assets_by_source: dict[str, Asset] = field(init=False)
    """The work's assets by their ``source`` (looked up for every image of every module)."""

    def __post_init__(self) -> None:
        self.assets_by_source = {a.source: a for a in self.work.assets}

    def license(self) -> str | None:
        """The work's licence, or the one a recorded decision settled when it stated none."""
        decided = next((p.license for p in self.spec.permissions if p.kind == "decision"), None)
        return self.work.license or decided

    def own_terms(self) -> tuple[Asset, ...]:
        """The items used that are credited on their own: those with a credit of their own, a
        trademark, or another licence than the work's. The others are covered by its credit."""
        license = self.license()
        used = dict.fromkeys(self.used_assets.values())
        return tuple(a for a in used if a.credit or a.trademark or a.license != license)

    def credited(self) -> list[Work]:
        """What the credits name for this source: the work, under the licence of what was used.

        A section with a licence of its own ("except where otherwise noted": a chapter under
        CC BY-NC-SA in a CC BY book) is used under that licence, not the work's. When every
        section used has one such licence, the work is credited under it; when the sections
        used carry several, the work is named once per licence, each time with the sections
        used under it.
        """
        license = self.license()
        base = self.work.replace(content=None, assets=self.own_terms(), license=license)
        groups: dict[str | None, list[Section]] = {}
        for section in self.used_sections.values():
            groups.setdefault(section.license or license, []).append(section)
        if len(groups) <= 1:
            return [base.replace(license=next(iter(groups), license))]
        title = base.title or self.spec.name
        entries = []
        for lic, sections in groups.items():
            names = ", ".join(f"“{s.title or s.id}”" for s in sections[:3])
            more = f" and {len(sections) - 3} more" if len(sections) > 3 else ""
            entries.append(base.replace(title=f"{title}: {names}{more}", license=lic, assets=()))
        entries[0] = entries[0].replace(assets=base.assets)
        return entries


# --- reading and pinning ------------------------------------------------------------------------


def _lock_path(recipe: Recipe) -> Path:
    return recipe.path.with_name(recipe.path.name + ".lock.json")


def _read_lock(recipe: Recipe) -> dict[str, Any]:
    path = _lock_path(recipe)
    if not path.is_file():
        return {"sources": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReadError(f"unreadable lock file: {exc}", source=str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
        return {"sources": {}}
    # a hand-edited entry that is not one is no pin: the source counts as not locked
    data["sources"] = {k: v for k, v in data["sources"].items() if isinstance(v, dict)}
    return data


def _write_lock(recipe: Recipe, lock: dict[str, Any]) -> None:
    path = _lock_path(recipe)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise WriteError(
            f"the packages were built, but the lock file cannot be written: {exc.strerror}",
            path=str(path),
        ) from None


def _read_sources(
    recipe: Recipe,
    fetcher: Fetcher,
    lock: dict[str, Any],
    *,
    frozen: bool,
    progress: Progress,
    jobs: int | None,
) -> list[_Source]:
    pinned: dict[str, Any] = lock["sources"]
    sources = []
    for spec in recipe.sources:
        progress(f"reading {spec.name}: {spec.location}")
        if spec.is_url:
            fetched = fetcher.fetch(spec.location)
            before = pinned.get(spec.name)
            if frozen and (before is None or before.get("sha256") != fetched.sha256):
                why = "is not in the lock file" if before is None else "changed since it was locked"
                raise ReadError(
                    f"source {spec.name!r} {why} (--frozen): review it, then build without "
                    "--frozen to update the lock",
                    source=spec.location,
                )
            pinned[spec.name] = {
                "url": spec.location,
                "retrieved": fetched.retrieved,
                "etag": fetched.etag,
                "sha256": fetched.sha256,
            }
            # the bytes pinned, not a second download that the server may answer differently
            given = Input(spec.location, None, fetched.content, fetched.media_type, fetcher, jobs)
            work = read_input(given, spec.format)
        else:
            work = read(spec.location, fetcher=fetcher, format=spec.format, jobs=jobs)
        # facts the author supplies for what the source itself does not state
        work = work.replace(
            title=work.title or spec.title,
            url=work.url or spec.home,
            authors=work.authors or spec.authors,
        )
        if spec.permissions:
            work = work.replace(permissions=work.permissions + spec.permissions)
        sources.append(_Source(spec, work))
    return sources


def _check_expected(recipe: Recipe, sources: list[_Source]) -> None:
    catalog = load_catalog()
    problems: list[tuple[int | None, str]] = []
    for src in sources:
        expected = src.spec.expect_license
        if expected is None:
            continue
        found = catalog.find(src.work.license) if src.work.license else None
        if found is None or found.id != catalog.get(expected).id:
            stated = found.short_name if found else "no single licence"
            problems.append(
                (
                    src.spec.line,
                    f"sources.{src.spec.name}: the recipe expects {expected}, but the source "
                    f"states {stated} ({src.spec.location})",
                )
            )
    if problems:
        raise RecipeError(str(recipe.path), problems)


# --- deciding ----------------------------------------------------------------------------------


def _decide(recipe: Recipe, sources: list[_Source]) -> tuple[Verdict, ...]:
    intended = recipe.work.license
    assert intended is not None  # the recipe schema requires it
    adapted = [s.work for s in sources if s.spec.use == "adapted"]
    unchanged = [s.work for s in sources if s.spec.use == "unchanged"]
    verdicts = []
    if adapted:
        verdict = check(adapted, "adaptation", intended)
        verdicts.append(verdict)
        _refuse_unless_allowed(verdict, "adapting the sources")
    whole = check([intended, *unchanged], "collection", intended)
    verdicts.append(whole)
    _refuse_unless_allowed(whole, "publishing the module with the sources used unchanged")
    return tuple(verdicts)


def _decide_used(recipe: Recipe, sources: list[_Source]) -> tuple[Verdict, ...]:
    """Decide again, on what was actually taken: the sections used, under their own licences
    where they have one, and every item credited on its own terms (an image under another
    licence, one used with permission), each kept as it is, so an item of the collection the
    module is (cc-rules.md §3.4, §3.9 7: computed per item, not per book; an NC image makes the
    whole NonCommercial). Trademarks are outside every licence and credited as such."""
    intended = recipe.work.license
    assert intended is not None  # the recipe schema requires it
    adapted: list[tuple[Work, str]] = []
    whole: list[tuple[str | Work, str]] = [(intended, "")]
    for src in sources:
        where = f"sources.{src.spec.name}"
        for work in src.credited():
            own = (
                "; under the licence of the sections used" if work.license != src.license() else ""
            )
            entry = (work, f"“{work.title or src.spec.name}” ({where}{own})")
            (adapted if src.spec.use == "adapted" else whole).append(entry)
        whole += [
            (Work(title=a.title or a.source, authors=a.authors, license=a.license,
                  permissions=a.permissions), f"{a.kind} “{a.title or a.source}” ({where})")
            for a in src.own_terms()
            if not a.trademark
        ]  # fmt: skip
    verdicts = []
    if adapted:
        verdict = check([w for w, _ in adapted], "adaptation", intended)
        verdicts.append(verdict)
        _refuse_unless_allowed(verdict, "adapting the sections used", [n for _, n in adapted])
    verdict = check([w for w, _ in whole], "collection", intended)
    verdicts.append(verdict)
    _refuse_unless_allowed(
        verdict, "publishing the module with the items kept under their own terms",
        [n for _, n in whole],
    )  # fmt: skip
    return tuple(verdicts)


def _refuse_unless_allowed(verdict: Verdict, doing: str, names: Sequence[str] = ()) -> None:
    """Raise unless ``verdict`` allows the intended licence; ``names`` says what each item the
    reasons number ("item 2") is, "" for one that needs no saying."""
    if verdict.allowed and verdict.intended_allowed is not False:
        return
    reasons = [c.reason + (f" {c.fix}" if c.fix else "") for c in verdict.conflicts]
    if verdict.allowed:
        reasons = list(verdict.intended_reasons)
    legend = "; ".join(f"item {n} is {name}" for n, name in enumerate(names, 1) if name)
    raise IncompatibleLicensesError(
        f"the build is refused: {doing} is not allowed.\n- "
        + "\n- ".join(reasons)
        + (f"\n({legend})" if legend else ""),
        verdict=verdict,
    )
