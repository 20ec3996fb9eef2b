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
import functools
import hashlib
import itertools
import json
import mimetypes
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement

from oerremix._markdown import markdown_html
from oerremix._markup import VIDEO_HOSTS, fragment_html, parse_fragment, sanitize_html
from oerremix._parallel import jobs_for, shared_workers
from oerremix._processes import gone, pid_after
from oerremix.attribution import attribution_record, render
from oerremix.catalog import load_catalog
from oerremix.compat import Verdict, check
from oerremix.document import Document, SectionContent
from oerremix.errors import (
    IncompatibleLicensesError,
    OerRemixError,
    ReadError,
    RecipeError,
    WriteError,
)
from oerremix.fetch import Fetcher
from oerremix.model import Asset, AssetKind, Change, Section, Work
from oerremix.readers import Input, read, read_input
from oerremix.recipe import Module, Part, Recipe, SourceSpec, load_recipe
from oerremix.transform import localise, select_fragment
from oerremix.writers import (
    Package,
    PackageAsset,
    PackageModule,
    SpooledModules,
    atomic_output,
    writers,
)

__all__ = ["BuildResult", "build"]

Progress = Callable[[str], None]


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


# --- assembling ----------------------------------------------------------------------------------


def _taken(doc: Document, part: Part, where: str) -> list[Section]:
    """The sections a part selects; a selected section brings its subsections along."""
    sections = doc.sections

    def span(start: int, stop: int) -> list[Section]:
        end = stop + 1
        while end < len(sections) and sections[end].level > sections[stop].level:
            end += 1
        return list(sections[start:end])

    def position(section_id: str) -> int | None:
        try:
            return doc.position(section_id)
        except KeyError:
            return None

    if part.section is not None:
        at = position(part.section)
        if at is None:
            shown = ", ".join(s.id for s in sections[:12])
            raise ReadError(f"no section {part.section!r} (sections: {shown} …)", source=where)
        return span(at, at)
    if part.heading is not None:
        wanted = part.heading.casefold().strip()
        for i, section in enumerate(sections):
            if (section.title or "").casefold().strip() == wanted:
                return span(i, i)
        raise ReadError(f"no section with the heading {part.heading!r}", source=where)
    if part.range is not None:
        first, last = (position(section_id) for section_id in part.range)
        if first is None or last is None or first > last:
            raise ReadError(f"no section range {part.range[0]!r}..{part.range[1]!r}", source=where)
        return span(first, last)
    return list(sections)


_WINDOW = 64
"""Modules whose sections are loaded together (cut in worker processes when the build has
some): the sections of a window wait in memory, not the whole book's."""


def _load_window(
    modules: Sequence[Module], sources: dict[str, _Source], recipe: Recipe
) -> dict[tuple[str, str], SectionContent]:
    """The content of every section the ``modules`` take, by ``(source, section id)``."""
    wanted: dict[str, dict[str, None]] = {}
    for module in modules:
        for part in module.parts:
            doc = sources[part.source].work.content if part.source is not None else None
            if doc is None or not doc.sections:
                continue
            where = f"{recipe.path}:{part.line}"
            wanted.setdefault(cast(str, part.source), {}).update(
                dict.fromkeys(s.id for s in _taken(doc, part, where))
            )
    loaded: dict[tuple[str, str], SectionContent] = {}
    for name, ids in wanted.items():
        doc = cast(Document, sources[name].work.content)
        for content in doc.get_many(list(ids)):
            loaded[(name, content.section.id)] = content
    return loaded


class _Media:
    """Copies the images a module uses into ``media/``, once each, and rewrites their paths."""

    def __init__(self, fetcher: Fetcher, spool: Path) -> None:
        self.fetcher = fetcher
        self.files: dict[str, PackageAsset] = {}
        self._spool = spool  # the files wait here, not in memory, until the writers copy them
        self._paths: dict[str, str] = {}  # a file's location -> its path in media/
        spool.mkdir(parents=True, exist_ok=True)

    def add(self, location: str, asset: Asset, data: bytes | None = None) -> str:
        if data is None:
            if location in self._paths:  # a book uses one figure in many modules
                return self._paths[location]
            data = self._load(location)
            self._paths[location] = self._store(location, asset, data)
            return self._paths[location]
        return self._store(location, asset, data)

    def path_of(self, location: str) -> str | None:
        """The path in ``media/`` of the file copied from ``location``, or None."""
        return self._paths.get(location)

    def _store(self, location: str, asset: Asset, data: bytes) -> str:
        name = posixpath.basename(urlsplit(location).path) or "file"
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", name)[-60:]
        path = f"media/{hashlib.sha256(data).hexdigest()[:10]}-{name}"
        if path not in self.files:
            media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            file = self._spool / str(len(self.files))
            file.write_bytes(data)
            self.files[path] = PackageAsset(path, file, media_type, asset)
        return path

    def _load(self, location: str) -> bytes:
        if location.startswith(("http://", "https://")):
            return self.fetcher.fetch(location).content
        try:
            return Path(location).read_bytes()
        except OSError as exc:
            raise ReadError(exc.strerror or "cannot read", source=location) from None


_SPOOL = "oerremix-build-"
"""The prefix of a build's temporary folder, followed by the building process's id."""


def _remove_stale_spools() -> None:
    """Remove the temporary folders of builds whose process is gone (killed with SIGKILL, or
    the machine lost power): nothing else would, and a CI runner's disk fills up with them.
    Only where that can be asked (POSIX); a folder whose process still runs — or another
    user's — is left alone."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_SPOOL}*-*"):
        pid = pid_after(folder.name, _SPOOL)
        if pid is not None and pid != os.getpid() and gone(pid):
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _temporary_files() -> Iterator[None]:
    """Report trouble with the build's temporary files (modules and media wait there) as a
    :class:`~oerremix.errors.WriteError` naming the temporary folder."""
    try:
        yield
    except OerRemixError:
        raise
    except OSError as exc:
        where = exc.filename or tempfile.gettempdir()
        raise WriteError(
            f"cannot write the build's temporary files: {exc.strerror or exc} (free some space"
            " there, or set TMPDIR to a folder you can write to)",
            path=str(where),
        ) from None


@functools.lru_cache(maxsize=4096)
def _located(base: str, root: str) -> tuple[Path, Path]:
    """The source's own folder (``root`` resolved) and the path ``base`` names.

    Readers give a section's base relative to the source itself (``""`` for its top folder,
    ``chapters/``), or as a path of their own (a single file's location as the user gave it):
    the source's folder is asked first, so that what the working folder holds never decides.
    """
    top = Path(root).resolve()
    top = top.parent if top.is_file() else top
    inside = top / base
    own = Path(base)
    named = own if own.is_absolute() or (not inside.exists() and own.exists()) else inside
    return top, named


@functools.lru_cache(maxsize=1024)
def _folders(base: str, root: str) -> tuple[Path, Path]:
    """The source's own folder (``root`` resolved) and the folder ``base`` names in it."""
    top, named = _located(base, root)
    return top, named.parent if named.is_file() else named


@functools.lru_cache(maxsize=16384)
def _resolve(base: str, src: str, root: str) -> str:
    """Where an image referenced as ``src`` from ``base`` is; local files must stay inside the
    source's own folder (``root``)."""
    if src.startswith(("http://", "https://")) or base.startswith(("http://", "https://")):
        return urljoin(base, src)
    location = _real(*_folders(base, root), src)
    if location is None:
        raise ReadError(f"image {src!r} points outside the source's folder", source=base)
    return location


@functools.lru_cache(maxsize=16384)
def _real(top: Path, folder: Path, src: str) -> str | None:
    """``src`` in ``folder`` with its links followed, or None when that is outside ``top``
    (every chapter of a book shares a folder, so a figure used by many chapters is looked up
    once)."""
    location = (folder / src).resolve()
    return str(location) if location.is_relative_to(top) else None


def _relative(location: str, src: _Source) -> str:
    """``location`` relative to the source's folder (how readers name their assets)."""
    top = _located("", src.spec.location)[0]
    try:
        return Path(location).relative_to(top).as_posix()
    except ValueError:
        return location


def _player(url: str) -> bool:
    """Whether ``url`` is a page of a video host the sanitiser lets pages embed."""
    parts = urlsplit(url)
    return parts.scheme.lower() == "https" and parts.hostname in VIDEO_HOSTS


def _media_kind(element: HtmlElement, attribute: str) -> AssetKind:
    """What an embedded file is: a poster or an ``<img>`` is an image; a ``<source>`` or
    ``<track>`` belongs to its ``<video>`` or ``<audio>``."""
    if element.tag == "img" or attribute == "poster":
        return "image"
    owner = element if element.tag in ("video", "audio") else element.getparent()
    return "audio" if owner is not None and owner.tag == "audio" else "video"


_TARGET = "data-oerremix-target"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _rewrite_refs(html: str, base: str, src: _Source, media: _Media) -> str:
    """Copy the images, and the source's own audio and video files, into ``media/`` and mark
    links to other files of the source, which :func:`_link_modules` later points at the module
    that includes them (or unlinks)."""
    if not any(mark in html for mark in ("<img", "href", "<video", "<audio")):
        return html
    container = parse_fragment(html)
    by_source = src.assets_by_source
    on_web = base.startswith(("http://", "https://"))
    for element in container.iter("img", "video", "audio", "source", "track"):
        for attribute in ("src", "poster"):
            ref = (element.get(attribute) or "").strip()
            if not ref:
                continue
            if ref.startswith("//"):
                ref = "https:" + ref  # scheme-relative: a web address
            try:
                parts = urlsplit(ref)
            except ValueError:
                continue  # a malformed address, left as written (the writers drop it)
            if not (parts.scheme or parts.netloc or parts.path):
                continue  # "#x", "?x": the page itself, nothing to copy
            kind = _media_kind(element, attribute)
            suffix = ""
            if on_web or parts.scheme.lower() in ("http", "https"):
                location = urljoin(base, ref)
                if kind != "image" and _player(location):
                    element.set(attribute, location)  # a video host's player: not a file
                    continue
            elif parts.scheme:
                continue  # no other scheme survives sanitising on media
            else:
                # the file has the decoded name ("fig%201.png" is "fig 1.png"); a media
                # fragment (#t=10,20) stays on the address, a query is the server's business
                location = _resolve(base, unquote(parts.path), src.spec.location)
                suffix = f"#{parts.fragment}" if parts.fragment else ""
            asset = (
                by_source.get(ref)
                or by_source.get(location)
                or by_source.get(_relative(location, src))
            )
            if asset is None:  # the reader found no statement about it: its licence is unknown
                title = element.get("alt") or element.get("title") or None
                asset = Asset(kind=kind, source=location, title=title)
            element.set(attribute, media.add(location, asset) + suffix)
            src.used_assets[location] = asset
    for link in container.iter("a"):
        href = unquote(link.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        if _SCHEME.match(href):
            link.set("href", href)  # absolute (http, https, mailto: sanitised already)
            continue
        path, _, fragment = href.partition("#")
        try:
            target = _resolve(base, path, src.spec.location) if path else base
        except ReadError:
            target = ""  # outside the source: nothing of ours to point at
        link.attrib.pop("href", None)
        link.set(_TARGET, f"{target}#{fragment}")
    return fragment_html(container)


def _section_key(base: str, src: _Source) -> str:
    """The file or folder a section was read from, as an absolute path (a URL stays a URL)."""
    if base.startswith(("http://", "https://")):
        return base
    return _path_key(base, src.spec.location)


@functools.lru_cache(maxsize=4096)
def _path_key(base: str, location: str) -> str:
    """:func:`_section_key` for a path (asked once per section, answered once per file)."""
    return str(_located(base, location)[1].resolve())


def _link_modules(html: str, placed: dict[str, str]) -> str:
    """Point the marked links at the module that now holds their target; unlink the others."""
    if _TARGET not in html:
        return html
    container = parse_fragment(html)
    for link in container.iter("a"):
        marked = link.attrib.pop(_TARGET, None)
        if marked is None:
            continue
        target, _, fragment = marked.partition("#")
        module = placed.get(target) or placed.get(os.path.dirname(target))
        if module is not None:
            link.set("href", f"{module}.html" + (f"#{fragment}" if fragment else ""))
    return fragment_html(container)


def _module_html(
    recipe: Recipe,
    module_id: str,
    parts: Iterable[Part],
    *,
    sources: dict[str, _Source],
    media: _Media,
    placed: dict[str, str],
    loaded: dict[tuple[str, str], SectionContent],
) -> tuple[str, list[Change]]:
    """A module's HTML and what was changed in it; ``loaded`` holds its sections' content."""
    pieces: list[str] = []
    changes: list[Change] = []
    for part in parts:
        if part.source is None:
            html = sanitize_html(markdown_html(part.markdown or ""))
            folder = part.file.parent if part.file is not None else recipe.folder
            pieces.append(_own_images(html, folder, recipe, media))
            continue
        src = sources[part.source]
        where = f"{recipe.path}:{part.line}"
        if src.work.content is None or not src.work.content.sections:
            pieces.append(_unchanged_item(src, media))
            continue
        taken = [loaded[(part.source, s.id)] for s in _taken(src.work.content, part, where)]
        for s in taken:
            placed[_section_key(s.base, src)] = module_id
            src.used_sections[s.section.id] = s.section
        html = "".join(
            _rewrite_refs("".join(s.html for s in run), base, src, media)
            for base, run in itertools.groupby(taken, key=lambda s: s.base)
        )
        if part.select is not None:
            try:
                html = select_fragment(html, part.select)
            except ValueError as exc:
                raise RecipeError(str(recipe.path), [(part.line, str(exc))]) from None
        if src.spec.use == "adapted":
            first = taken[0].section
            more = f" and the {len(taken) - 1} sections that follow it" if len(taken) > 1 else ""
            src.changes.append(Change(f"Selected “{first.title or first.id}”{more}."))
            html, local = localise(html, recipe.localise)
            src.changes.extend(local)
            changes.extend(local)
        pieces.append(html)
    return "".join(pieces), changes


def _own_images(html: str, folder: Path, recipe: Recipe, media: _Media) -> str:
    """Copy the images of the author's own Markdown (inside the recipe's folder) into media/."""
    if "<img" not in html:
        return html
    container = parse_fragment(html)
    top = recipe.folder.resolve()
    for img in container.iter("img"):
        ref = unquote(img.get("src") or "")
        if not ref or _SCHEME.match(ref):
            continue  # remote images stay links: the writers decide what a package may load
        location = (folder / ref).resolve()
        if not location.is_relative_to(top) or not location.is_file():
            raise RecipeError(
                str(recipe.path),
                [(None, f"image {ref!r} is not a file inside the recipe's folder")],
            )
        own = Asset(kind="image", source=str(location), license=recipe.work.license)
        img.set("src", media.add(str(location), own))
    return fragment_html(container)


def _unchanged_item(src: _Source, media: _Media) -> str:
    """An item used as a whole (a Commons image): the file with its credit as caption."""
    figures = []
    for asset in src.work.assets:
        path = media.add(asset.source, asset)
        src.used_assets[asset.source] = asset
        caption = asset.credit or src.work.title or ""
        alt = asset.title or src.work.title or ""
        figures.append(
            sanitize_html(
                f'<figure><img src="{escape(path)}" alt="{escape(alt)}">'
                f"<figcaption>{escape(caption)}</figcaption></figure>"
            )
        )
    return "".join(figures)


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
            for used in credited if len(credited) == 1 or not credited[0].url else credited[:1]:
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
