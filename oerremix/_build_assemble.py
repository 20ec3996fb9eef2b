"""Assembling a module: the sections each part of it takes, loaded a window at a time.

:func:`_taken` finds the sections a part of the outline selects, and :func:`_load_window` loads
the content of every section a window of :data:`_WINDOW` modules takes. :func:`_module_html`
makes a module's HTML from its parts, and records what was used and what was changed: the
sections a source gives (their references rewritten by
:func:`~oerremix._build_refs._rewrite_refs`, selected and localised as the recipe says), the
author's own Markdown with its images (:func:`_own_images`), or an item used as a whole
(:func:`_unchanged_item`).

Part of the build (:func:`oerremix.remix.build` assembles the modules with it). remix.py imports
this module; it imports :mod:`oerremix._build_sources`, :mod:`oerremix._build_media` and
:mod:`oerremix._build_refs`, none of which imports it, so there is no import cycle.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import cast
from urllib.parse import unquote

from oerremix._build_media import _Media
from oerremix._build_refs import _SCHEME, _rewrite_refs, _section_key
from oerremix._build_sources import _Source
from oerremix._markdown import markdown_html
from oerremix._markup import fragment_html, parse_fragment, sanitize_html
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError, RecipeError
from oerremix.model import Asset, Change, Section
from oerremix.recipe import Module, Part, Recipe
from oerremix.transform import localise, select_fragment

__all__ = [
    "_WINDOW",
    "_load_window",
    "_module_html",
    "_own_images",
    "_taken",
    "_unchanged_item",
]


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
