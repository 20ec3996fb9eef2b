"""The media an oerremix package's own JSON-LD record credits, found by their file.

oerremix's writers put a ``metadata.jsonld`` in every package. Each item the credits name on
its own (an image under another licence than the book's, a trademark, an item used with
permission) is a ``hasPart`` object there (``ImageObject``, ``VideoObject``, ``AudioObject``,
``MediaObject``) whose ``contentUrl`` is the file's path in the package, relative to the
record. :func:`recorded_media` reads them; :func:`with_recorded` gives a medium a reader found
on a page what the record says of it. The record names such an item because the book's
licence does not cover it, so what it says wins over a licence assumed from the book's.

A record is input like any other: only the values of the types expected are read, a path must
stay inside the package (:func:`~oerremix._archive.resolve`), and licences are looked up in the
catalogue.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from oerremix._archive import resolve
from oerremix.model import Asset, Author
from oerremix.readers._schema_values import license_value, names, text_value

__all__ = ["RecordedMedium", "recorded_media", "with_recorded"]

_MEDIA_TYPES = frozenset({"ImageObject", "VideoObject", "AudioObject", "MediaObject"})
_MAX_URL = 2048


@dataclass(frozen=True, slots=True)
class RecordedMedium:
    """What a package's record says of one of its files."""

    license: str | None
    """Its licence id, or None when the record names none the catalogue knows (or two)."""
    title: str | None
    """Its title (``name``), or None."""
    authors: tuple[Author, ...]
    """Its creators (``author``)."""
    credit: str | None
    """Its credit as the record gives it (``creditText``), or None."""


def _objects(value: Any) -> Iterator[Mapping[str, Any]]:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Mapping):
            yield item


def _is_medium(node: Mapping[str, Any]) -> bool:
    value = node.get("@type")
    types = value if isinstance(value, list) else [value]
    return any(isinstance(t, str) and t.rsplit("/", 1)[-1] in _MEDIA_TYPES for t in types)


def recorded_media(record: Any, where: str) -> dict[str, RecordedMedium]:
    """The media a JSON-LD record credits, by their path in the package.

    ``where`` is the record's path in the package (``metadata.jsonld``,
    ``OEBPS/metadata.jsonld``): each ``contentUrl`` is resolved against its folder. Only the
    media of the work itself and of the works directly in its ``isBasedOn`` and ``hasPart`` are
    read, as oerremix writes them; deeper ones would be files of earlier packages. A file the
    record describes twice with two licences gets none.

    >>> nc = "https://creativecommons.org/licenses/by-nc/4.0/"
    >>> record = {"isBasedOn": [{"hasPart": [
    ...     {"@type": "ImageObject", "contentUrl": "media/a.png", "license": nc},
    ...     {"@type": "ImageObject", "contentUrl": "../../etc/passwd", "license": "CC0-1.0"}]}]}
    >>> {path: m.license for path, m in recorded_media(record, "OEBPS/metadata.jsonld").items()}
    {'OEBPS/media/a.png': 'CC-BY-NC-4.0'}
    """
    if not isinstance(record, Mapping):
        return {}
    folder = posixpath.dirname(where)
    base = folder + "/" if folder else ""
    works = [record, *_objects(record.get("isBasedOn")), *_objects(record.get("hasPart"))]
    found: dict[str, RecordedMedium] = {}
    for work in works:
        for node in _objects(work.get("hasPart")):
            url = node.get("contentUrl")
            if not _is_medium(node) or not isinstance(url, str) or len(url) > _MAX_URL:
                continue
            path = resolve(base, url)
            if path is None:
                continue
            medium = RecordedMedium(
                license=license_value(node.get("license")),
                title=text_value(node.get("name")),
                authors=tuple(names(node.get("author"))),
                credit=text_value(node.get("creditText")),
            )
            old = found.setdefault(path, medium)
            if old.license != medium.license:
                found[path] = RecordedMedium(None, old.title, old.authors, old.credit)
    return found


def with_recorded(asset: Asset, media: Mapping[str, RecordedMedium]) -> Asset:
    """``asset`` with what the record says of its file (``asset.source``, its path).

    The record's licence replaces one assumed from the book's (``license_inherited``) and an
    unknown one; a licence the page states for it stays if the record names the same, and
    becomes unknown if the record names another (or none): neither is taken on trust. A missing
    title, author or credit is taken from the record.
    """
    medium = media.get(asset.source)
    if medium is None:
        return asset
    license_id = medium.license
    if asset.license is not None and not asset.license_inherited and asset.license != license_id:
        license_id = None
    return asset.replace(
        license=license_id,
        license_inherited=False,
        title=asset.title or medium.title,
        authors=asset.authors or medium.authors,
        credit=asset.credit or medium.credit,
    )
