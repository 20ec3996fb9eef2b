"""The audit's online checks, run only when asked (``check_links=True``).

:func:`check_source_links` fetches every source link and flags dead ones; :func:`check_commons`
asks Wikimedia Commons who made each Commons file and flags a credit to its uploader;
:func:`file_differs` compares a NoDerivatives asset's file with its original. Each takes the
:class:`oerremix.audit._Auditor` whose work it checks and records findings through it; used by
:func:`oerremix.audit.audit`.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, cast
from urllib.parse import unquote, urlencode

from oerremix._audit_content import text
from oerremix._audit_words import URL, is_url, quote
from oerremix._markup import parse_html
from oerremix.catalog import License
from oerremix.errors import FetchError, OerRemixError
from oerremix.model import Asset

if TYPE_CHECKING:
    from oerremix.audit import _Auditor
    from oerremix.fetch import Fetcher

__all__ = ["check_commons", "check_source_links", "file_differs"]

_OERREMIX_MEDIA = re.compile(r"(?:^|/)([0-9a-f]{10})-[^/]+$")
_COMMONS_PAGE = re.compile(r"^(https?://[^/]+(?:/[^/]+)*?)/wiki/((?:File|Image|Datei|Fichier):.+)$")
_UPLOAD = re.compile(
    r"^https?://upload\.wikimedia\.org/wikipedia/commons/(?:thumb/)?\w/\w\w/([^/]+)"
)


def _dimensions(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF, JPEG or WebP image, from its header."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return cast("tuple[int, int]", struct.unpack(">II", data[16:24]))
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return cast("tuple[int, int]", struct.unpack("<HH", data[6:10]))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        if data[12:16] == b"VP8X":
            return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(
                data[27:30], "little"
            )
        if data[12:16] == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    i = 2 if data[:2] == b"\xff\xd8" else len(data)
    while i + 9 < len(data):
        marker = data[i + 1]
        if data[i] != 0xFF or marker == 0xFF:
            i += 1
        elif marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            i += 2
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        else:
            i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return None


def check_source_links(auditor: _Auditor, fetcher: Fetcher) -> None:
    """Fetch every source link (the book's, its sources', its assets', those in credits)."""
    work = auditor.work
    owners: dict[str, str | None] = {}
    candidates: list[tuple[str, str | None]] = [(work.url or "", None)]
    candidates += [(s.url or "", f"source:{n}") for n, s in enumerate(work.based_on, 1)]
    candidates += [(p.url or "", f"part:{n}") for n, p in enumerate(work.parts, 1)]
    for n, asset in enumerate(work.assets, 1):
        for url in (asset.source, *URL.findall(asset.credit or "")):
            candidates.append((url.rstrip(".,;"), f"asset:{n}"))
    for url, owner in candidates:
        if is_url(url) and auditor.catalog.find(url) is None:
            owners.setdefault(url, owner)
    urls = list(owners)
    if not urls:
        return
    auditor.say(f"checking {len(urls)} links")
    for url, result in zip(urls, fetcher.fetch_many(urls), strict=True):
        if not isinstance(result, FetchError):
            continue
        owner = owners[url]
        found = auditor.find(owner) if owner else None
        at = found.location if found else auditor.at(url)
        refused = "limit" in result.message or "refusing" in result.message
        auditor.flag(
            "link-unchecked" if refused else "link-dead",
            "link",
            at,
            owner,
            url=url,
            reason=result.message,
        )


def _commons_page(asset: Asset) -> tuple[str, str] | None:
    """The wiki and the file title of an asset from Wikimedia Commons (or another MediaWiki)."""
    for url in (asset.source, *URL.findall(asset.credit or "")):
        if match := _COMMONS_PAGE.match(url):
            return match.group(1), unquote(match.group(2))
        if upload := _UPLOAD.match(url):
            return "https://commons.wikimedia.org", f"File:{unquote(upload.group(1))}"
    return None


def check_commons(auditor: _Auditor, fetcher: Fetcher) -> None:
    """Ask the file's wiki for its Artist and uploaders; flag a credit to an uploader."""
    for n, asset in enumerate(auditor.work.assets, start=1):
        page = _commons_page(asset)
        credited = " ".join([asset.credit or "", *(a.name for a in asset.authors)]).lower()
        if page is None or not credited.strip():
            continue
        query = urlencode(
            {
                "action": "query",
                "format": "json",
                "prop": "imageinfo",
                "iiprop": "user|extmetadata",
                "iilimit": "50",
                "titles": page[1],
            }
        )
        try:
            data = fetcher.fetch_json(f"{page[0]}/w/api.php?{query}")
            pages = data["query"]["pages"].values()
            infos = [i for p in pages for i in p.get("imageinfo") or []]
            artist_html = str(infos[0]["extmetadata"]["Artist"]["value"])
        except (OerRemixError, KeyError, TypeError, AttributeError, IndexError):
            continue
        artist = text(parse_html(f'<meta charset="utf-8"><div>{artist_html}</div>'))
        uploaders = list(dict.fromkeys(str(i["user"]) for i in infos if i.get("user")))
        if not artist or artist.lower() in credited:
            continue
        if any(a.name.lower() in artist.lower() for a in asset.authors):
            continue
        uploader = next(
            (u for u in uploaders if u.lower() in credited and u.lower() not in artist.lower()),
            None,
        )
        if uploader is not None:
            item_id = f"asset:{n}"
            found = auditor.find(item_id)
            what = f"The {asset.kind} {quote(asset.title or page[1], 60)}"
            auditor.flag(
                "uploader-credited",
                "commons",
                found.location if found else auditor.at(),
                item_id,
                what=what,
                page=f"{page[0]}/wiki/{page[1]}",
                uploader=uploader,
                artist=artist,
            )


def file_differs(
    auditor: _Auditor, fetcher: Fetcher | None
) -> Callable[[Asset, License], str | None]:
    """How a NoDerivatives asset's file differs from its recorded source: oerremix's packages
    name each media file after the SHA-256 of the original; online, the original at the URL
    its credit gives."""

    def differs(asset: Asset, lic: License) -> str | None:
        if lic.permits_derivative_works:
            return None
        data = auditor.asset_bytes(asset)
        if data is None:
            return None
        recorded = _OERREMIX_MEDIA.search(asset.source)
        if recorded and hashlib.sha256(data).hexdigest()[:10] != recorded.group(1):
            return "its file is not the one recorded when the package was built"
        urls = [u for u in URL.findall(asset.credit or "") if auditor.catalog.find(u) is None]
        if fetcher is None or not urls:
            return None
        try:
            original = fetcher.fetch(urls[0]).content
        except OerRemixError:
            return None
        mine, theirs = _dimensions(data), _dimensions(original)
        if original == data or mine is None or theirs is None:
            return None
        if mine != theirs:
            return (
                f"its dimensions ({mine[0]}×{mine[1]}) differ from its source's "
                f"({theirs[0]}×{theirs[1]}) at {urls[0]}"
            )
        return f"its bytes differ from its source at {urls[0]} (same dimensions: re-encoded?)"

    return differs
