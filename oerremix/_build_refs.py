"""What a section's HTML refers to: its images and media copied, its links pointed at modules.

:func:`_rewrite_refs` copies the images, and a source's own audio and video files, into
``media/`` (through :class:`~oerremix._build_media._Media`), each recorded as used with the asset
the reader found for it (of unknown licence when none); a link to another file of the source is
marked (:data:`_TARGET`), and once every module is assembled :func:`_link_modules` points it at
the module that holds its target, or unlinks it. :func:`_located`, :func:`_folders`,
:func:`_resolve` and :func:`_real` find a local file inside the source's own folder, never
outside it; they, and :func:`_path_key` behind :func:`_section_key`, are cached for one build
(:func:`oerremix.remix.build` clears them).

Part of the build's assembling: :mod:`oerremix._build_assemble` and remix.py import this module;
it imports only :mod:`oerremix._build_sources` and :mod:`oerremix._build_media`, neither of
which imports it, so there is no import cycle.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement

from oerremix._build_media import _Media
from oerremix._build_sources import _Source
from oerremix._markup import VIDEO_HOSTS, fragment_html, parse_fragment
from oerremix.errors import ReadError
from oerremix.model import Asset, AssetKind

__all__ = [
    "_SCHEME",
    "_TARGET",
    "_folders",
    "_link_modules",
    "_located",
    "_media_kind",
    "_path_key",
    "_player",
    "_real",
    "_relative",
    "_resolve",
    "_rewrite_refs",
    "_section_key",
]


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
