"""The pages of packaged formats (EPUB, OpenStax, IMS Common Cartridge): what one (X)HTML page
says about itself (title, licence statement, "except where otherwise noted", its media and their
captions), the Asset each medium becomes, and the schema.org JSON-LD record oerremix's own
packages carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from lxml import etree

from oerremix._changes_jsonld import CHANGES, changes_from_jsonld
from oerremix._json_input import load_json
from oerremix._markup import element_text as _text
from oerremix._markup import local_name as _local
from oerremix.detect import Detection, detect, detect_tree_text
from oerremix.errors import ReadError
from oerremix.model import Asset, AssetKind, Change, Evidence, Work
from oerremix.readers._licensing import (
    Claim,
    except_where_noted,
    find_credit,
    metadata_claim,
    page_claims,
    statement,
)
from oerremix.readers._recorded import RecordedMedium, recorded_media
from oerremix.readers._schema_values import based_on_values

__all__ = [
    "JsonldRecord",
    "PageMedia",
    "PageScan",
    "captioned",
    "jsonld_record",
    "media_asset",
    "media_evidence",
    "scan_page",
]

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_MEDIA: dict[str, AssetKind] = {
    "img": "image",
    "image": "image",
    "video": "video",
    "audio": "audio",
    "iframe": "embed",
}


_PARTS = ("h1", "h2", "h3", "h4", "h5", "h6", "title", "figure", *_MEDIA)
_PAGE_PARTS = etree.XPath(
    "|".join(f"//{prefix}{name}" for prefix in ("", "h:", "svg:") for name in _PARTS),
    namespaces={"h": "http://www.w3.org/1999/xhtml", "svg": "http://www.w3.org/2000/svg"},
)
"""What :func:`scan_page` looks at, in document order, picked out by libxml2 (HTML parser's
names, XHTML and SVG): a walk over every element in Python costs more than the parse."""


@dataclass(frozen=True, slots=True)
class PageMedia:
    """An image, video, audio or embed on a page, with what its figure caption says about it."""

    kind: AssetKind
    """``image``, ``video``, ``audio`` or ``embed`` (an ``<iframe>``)."""
    src: str
    """The ``src`` (or SVG ``href``) as written in the page."""
    credit: str | None
    """The credit line of its figure caption, or None."""
    detection: Detection | None
    """What the caption states about its licence, or None when it has no caption."""


@dataclass(frozen=True, slots=True)
class PageScan:
    """What one HTML page says about itself: title, licence and images."""

    title: str | None
    """The text of its first heading, else of its ``<title>``, or None."""
    statements: tuple[Claim, ...]
    """What it says about its licence outside figures: its licence statements (a licence notice,
    ``rel="license"`` links), and an "All rights reserved" or a restriction in prose beside
    them (:func:`~oerremix.readers._licensing.page_claims`, as the HTML reader weighs a page).
    :func:`~oerremix.readers._licensing.decide` says what they amount to."""
    except_noted: bool
    """True when the page's own text says "except where otherwise noted"."""
    media: tuple[PageMedia, ...]
    """Its images, videos, audio and embeds, in document order."""


def scan_page(root: etree._Element, *, where: str) -> PageScan:
    """Scan a parsed (X)HTML page; figures are cut out of ``root`` to scan the rest."""
    title = None
    head_title = None
    media: list[PageMedia] = []
    figures: list[etree._Element] = []
    found = _PAGE_PARTS(root)
    for el in found if isinstance(found, list) else ():
        if not isinstance(el, etree._Element):
            continue
        name = _local(el)
        if title is None and name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            title = _text(el) or None
        elif head_title is None and name == "title":
            head_title = _text(el) or None
        elif name == "figure":
            if not any(f in el.iterancestors() for f in figures):
                figures.append(el)
        elif name in _MEDIA:
            figure = next((a for a in el.iterancestors() if _local(a) == "figure"), None)
            for kind, src in _embedded(el, name):
                if not src.startswith("data:"):
                    media.append(_page_media(kind, src, figure))
    for figure in figures:
        parent = figure.getparent()
        if parent is not None:
            _drop_keeping_tail(parent, figure)
    detection, text = detect_tree_text(root)
    claims = page_claims(where, [statement(where, detection)], text)
    noted = except_where_noted(text)
    return PageScan(title or head_title, tuple(claims), noted, tuple(media))


def _embedded(el: etree._Element, name: str) -> list[tuple[AssetKind, str]]:
    """The files a media element shows: its own; for audio and video, every source, their
    text tracks (captions belong to the recording) and a video's poster (an image)."""
    kind = _MEDIA[name]
    own = el.get("src") or el.get(_XLINK_HREF) or el.get("href")
    files: list[tuple[AssetKind, str]] = [(kind, own)] if own else []
    if name in ("video", "audio"):
        files += [
            (kind, str(child.get("src")))
            for child in el
            if isinstance(child.tag, str)
            and _local(child) in ("source", "track")
            and child.get("src")
        ]
        if poster := el.get("poster"):
            files.append(("image", poster))
    return files


def _drop_keeping_tail(parent: etree._Element, child: etree._Element) -> None:
    tail = child.tail
    previous = child.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(child)


def _page_media(kind: AssetKind, src: str, figure: etree._Element | None) -> PageMedia:
    if figure is None:
        return PageMedia(kind, src, None, None)
    caption = next((c for c in figure.iter() if _local(c) == "figcaption"), None)
    if caption is None:
        return PageMedia(kind, src, None, None)
    return captioned(kind, src, _text(caption))


def captioned(kind: AssetKind, src: str, caption: str) -> PageMedia:
    """A medium described by ``caption``: its credit line, and the licence the caption states.

    A caption that names a licence but has no credit marker is the credit as a whole
    ("Jane Doe, CC BY 2.0").
    """
    credit = find_credit(caption)
    detection = detect(caption)
    if credit is None and detection.status != "none":
        credit = " ".join(caption.split())
    return PageMedia(kind, src, credit, detection)


def media_evidence(where: str, media: PageMedia) -> tuple[Evidence, ...]:
    """The licence statements of a medium's caption, as evidence found at ``where``."""
    if media.detection is None:
        return ()
    return statement(f"{where} caption of {media.src}", media.detection).evidence


def media_asset(
    source: str, media: PageMedia, *, inherit: str | None, title: str | None = None
) -> Asset:
    """The Asset for a medium: its caption's licence, else credit only, else inherited.

    ``inherit`` is the licence a medium with no statement of its own takes (the work's or the
    section's, where they cover it), or None. An embed (``<iframe>``) shows something hosted
    elsewhere and never inherits.
    """
    found = media.detection.license_id if media.detection is not None else None
    kind = media.kind
    if found is not None:
        return Asset(kind, source, title=title, license=found, credit=media.credit)
    if media.credit is not None or inherit is None or kind == "embed":
        return Asset(kind, source, title=title, credit=media.credit)
    return Asset(kind, source, title=title, license=inherit, license_inherited=True)


# --- schema.org JSON-LD records (oerremix's own packages carry one) ----------------------------


class JsonldRecord(NamedTuple):
    """What a schema.org JSON-LD record says of the work it describes."""

    based_on: tuple[Work, ...]
    """The works it is based on, each with its own sources and changes."""
    changes: tuple[Change, ...]
    """The changes the work records making to them."""
    claim: Claim | None
    """Its own licence, as a statement to weigh with the package's others."""
    media: Mapping[str, RecordedMedium] = {}
    """The media it credits on their own, by their path in the package
    (:func:`~oerremix.readers._recorded.with_recorded` gives them to the assets)."""


def jsonld_record(data: bytes, *, where: str, source: str) -> JsonldRecord:
    """What a schema.org JSON-LD record says: the works it is based on, and its own licence.

    ``isBasedOn`` entries become works with their name, URL, authors, licence and their own
    sources; the changes the work records making to them are read back (see
    :mod:`oerremix._changes_jsonld`); the record's ``license`` becomes a statement found at
    ``where`` (the file inside the package), weighed with the package's others; the media it
    credits on their own are given by their path in the package. Invalid JSON
    raises :class:`~oerremix.errors.ReadError` naming ``source``. oerremix's writers put such a
    record (``metadata.jsonld``) in every package they write.
    """
    try:
        record = load_json(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ReadError(f"not a valid JSON-LD record: {exc}", source=source) from None
    if not isinstance(record, dict):
        return JsonldRecord((), (), None)
    value = record.get("license")
    claim = metadata_claim(where, value, unknown="none") if value else None
    based_on = tuple(based_on_values(record.get("isBasedOn")))
    changes = changes_from_jsonld(record.get(CHANGES))
    return JsonldRecord(based_on, changes, claim, recorded_media(record, where))
