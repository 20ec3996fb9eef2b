"""Pressbooks books: the REST API (a saved response, or a book's URL) and WXR exports.

Pressbooks states licences three ways, and this reader reads all of them:

- the book's licence (``pb_book_license``; ``license`` in the REST ``/metadata``), which covers
  the whole book "except where otherwise noted";
- a chapter's own licence (``pb_section_license``; ``metadata.license`` of each REST table-of-
  contents entry), which wins over the book's for that chapter;
- a media file's attribution (``pb_media_attribution_*``: title, author, source, adapter,
  licence), shown under each chapter as "Media Attributions".

Licences are given as Pressbooks slugs (``cc-by``) or as the URLs Pressbooks links them to. The
slugs carry no version: :data:`LICENSE_URLS` is Pressbooks's own table of what each one means
on that platform (the 4.0 licences), and is used only here, for input known to be Pressbooks.

Lineage comes from ``pb_is_based_on`` (schema.org ``isBasedOn``), a book cloned from another.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

from oerremix._json_input import load_json
from oerremix._markup import parse_html
from oerremix.errors import ReadError
from oerremix.model import Work
from oerremix.readers import Input
from oerremix.readers._pb_book import LICENSE_URLS
from oerremix.readers._pb_rest import _book_online, _read_json, _sniff_json
from oerremix.readers._pb_wxr import _is_wxr, _read_wxr

__all__ = ["LICENSE_URLS", "READER"]

_API_LINK = re.compile(rb"""<link[^>]+rel=["']https://api\.w\.org/["']""", re.IGNORECASE)


# --- the reader ----------------------------------------------------------------------------------


def _api_root_in_page(source: Input) -> str | None:
    assert source.data is not None
    page = parse_html(source.data, source=source.location)
    for found in page.xpath('//link[@rel="https://api.w.org/"]/@href'):
        href = str(found).strip()
        if href:
            api = urljoin(source.location, href)
            return api.split("/wp-json/", 1)[0] + "/" if "/wp-json" in api else None
    return None


class PressbooksReader:
    """Reads Pressbooks books: REST API responses, a book's URL, or a WXR export."""

    name = "pressbooks"

    def sniff(self, source: Input) -> int:
        data = source.data
        if not data:
            return 0
        if _is_wxr(data):
            pressbooks = b"pb_book_license" in data or b"pressbooks" in data[:65536].lower()
            return 95 if pressbooks else 20
        stripped = data.lstrip()[:1]
        if stripped in (b"{", b"["):
            try:
                return _sniff_json(load_json(data))
            except (ValueError, RecursionError):
                return 0
        head = data[:200_000]
        if _API_LINK.search(head) and b"pressbooks" in head.lower():
            return 85 if source.fetcher is not None else 40
        return 0

    def read(self, source: Input) -> Work:
        data = source.data
        if data is None:
            raise ReadError(
                "a Pressbooks book is a file or a URL, not a folder", source=source.location
            )
        if _is_wxr(data):
            return _read_wxr(source)
        if data.lstrip()[:1] in (b"{", b"["):
            try:
                parsed = load_json(data)
            except json.JSONDecodeError as exc:
                raise ReadError(
                    f"not valid JSON: {exc.msg}", source=source.location, line=exc.lineno
                ) from None
            except (ValueError, RecursionError) as exc:
                raise ReadError(f"not valid JSON: {exc}", source=source.location) from None
            return _read_json(parsed, source)
        root = _api_root_in_page(source)
        if root is None:
            raise ReadError(
                'not a Pressbooks book: no API link (rel="https://api.w.org/") in the page',
                source=source.location,
            )
        if source.fetcher is None:
            raise ReadError("reading a book's pages needs a fetcher", source=source.location)
        return _book_online(source, root, None)


READER = PressbooksReader()
"""The reader ``oerremix.readers.read`` uses for Pressbooks."""
