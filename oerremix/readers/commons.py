"""Wikimedia Commons (and any MediaWiki) files, through the MediaWiki API's ``extmetadata``.

A file page URL such as ``https://commons.wikimedia.org/wiki/File:Foobar.jpg`` is turned into
an API request (``/w/api.php?action=query&prop=imageinfo&iiprop=url|extmetadata|mediatype``) on
the same site; a saved API response (JSON) is read as it is.

The work is the one file: its title (``ObjectName``), its file page, its artist (``Artist``,
never the uploader), its licence (``LicenseUrl``, ``LicenseShortName`` and the licence template
name, which must agree), and one asset, the original file, with the same licence and the
``Attribution`` or ``Credit`` text. A public-domain statement is taken only when the metadata
says so explicitly (a public-domain licence name *and* ``Copyrighted`` false); otherwise the
licence is unknown and the statements are kept as evidence.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from oerremix._json_input import load_json
from oerremix._markup import parse_html
from oerremix.catalog import load_catalog
from oerremix.detect import detect
from oerremix.errors import ReadError
from oerremix.model import Asset, AssetKind, Author, Evidence, LicenseStatus, Work
from oerremix.readers import Input
from oerremix.readers._licensing import Claim, decide

__all__ = ["READER", "api_url"]

_FILE_PAGE = re.compile(r"^(.*?)/wiki/((?:File|Image|Datei|Fichier|Archivo|Bestand):.+)$")
_PUBLIC_DOMAIN = re.compile(r"^(?:pd\b|pd-|public domain\b)", re.IGNORECASE)
_PUBLIC_DOMAIN_ID = "PUBLIC-DOMAIN-EXPIRED"  # the catalogue's status for an expired copyright
_MEDIA_KINDS: dict[str, AssetKind] = {"VIDEO": "video", "AUDIO": "audio"}
_LICENSE_FIELDS = ("LicenseUrl", "LicenseShortName", "License")


def api_url(file_page: str) -> str | None:
    """The API request for a file page URL on a MediaWiki site, or None if it is not one.

    >>> api_url("https://commons.wikimedia.org/wiki/File:Foobar.jpg")
    'https://commons.wikimedia.org/w/api.php?action=query&format=json&iiprop=url%7Cextmetadata%7Cmediatype&iilimit=1&iiurlheight=300&titles=File%3AFoobar.jpg&prop=imageinfo'
    """
    parts = urlsplit(file_page)
    match = _FILE_PAGE.match(parts.path)
    if parts.scheme not in ("http", "https") or not match:
        return None
    query = {
        "action": "query",
        "format": "json",
        "iiprop": "url|extmetadata|mediatype",
        "iilimit": "1",
        "iiurlheight": "300",
        "titles": unquote(match.group(2)),
        "prop": "imageinfo",
    }
    # A wiki installed under a path (…/mywiki/wiki/File:…) has its API under it too.
    return f"{parts.scheme}://{parts.netloc}{match.group(1)}/w/api.php?{urlencode(query)}"


def _value(meta: dict[str, Any], key: str) -> str | None:
    entry = meta.get(key)
    value = entry.get("value") if isinstance(entry, dict) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return (value.strip() or None) if isinstance(value, str) else None


def _plain(html: str, where: str) -> tuple[str, list[str]]:
    """The text of an HTML fragment, whitespace collapsed, and the links in it."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split()), []
    # The charset keeps lxml from reading the UTF-8 bytes parse_html passes it as Latin-1.
    tree = parse_html(f'<meta charset="utf-8"><div>{html}</div>', source=where)
    text = " ".join(tree.text_content().split())
    return text, [str(href) for href in tree.xpath("//a/@href")]


def _page_url(href: str, base: str) -> str | None:
    """An absolute link; a MediaWiki red link (page not yet written) becomes the page's URL.
    A malformed link (``//[host``: urllib refuses it) is no link: None."""
    try:
        parts = urlsplit(href if "://" in href else f"{urlsplit(base).scheme}:{href}")
    except ValueError:
        return None
    query = parse_qs(parts.query)
    if query.get("redlink") == ["1"] and query.get("title"):
        return f"{parts.scheme}://{parts.netloc}/wiki/{query['title'][0].replace(' ', '_')}"
    return parts.geturl()


@dataclass(frozen=True, slots=True)
class _Licence:
    license: str | None
    status: LicenseStatus
    evidence: tuple[Evidence, ...]


def _licence(meta: dict[str, Any]) -> _Licence:
    """What the licence fields amount to: every statement that names a licence must agree."""
    evidence: list[Evidence] = []
    claims: list[Claim] = []
    for key in _LICENSE_FIELDS:
        value = _value(meta, key)
        if value is None:
            continue
        evidence.append(Evidence(kind="extmetadata", match=value, where=key))
        if key == "LicenseUrl":
            found = load_catalog().find(value if "://" in value else f"https:{value}")
            if found is not None:
                claims.append(Claim(key, "found", frozenset({found.id}), None, ()))
            continue
        detection = detect(value)
        if detection.status == "found" and detection.license_id:
            claims.append(Claim(key, "found", frozenset({detection.license_id}), None, ()))
        elif detection.status == "ambiguous" and detection.candidates:
            claims.append(Claim(key, "ambiguous", frozenset(detection.candidates), None, ()))
    for key in ("UsageTerms", "Copyrighted", "Restrictions"):
        value = _value(meta, key)
        text = _plain(value, key)[0] if value is not None else None
        if text:
            evidence.append(Evidence(kind="extmetadata", match=text, where=key))
    license_id, status, _ = decide(claims)
    if status != "none":
        return _Licence(license_id, status, tuple(evidence))
    names = [_value(meta, key) or "" for key in ("LicenseShortName", "License")]
    if any(_PUBLIC_DOMAIN.match(name) for name in names):
        if (_value(meta, "Copyrighted") or "").lower() == "false":
            return _Licence(_PUBLIC_DOMAIN_ID, "found", tuple(evidence))
        return _Licence(None, "ambiguous", tuple(evidence))  # public domain not confirmed
    return _Licence(None, "none", tuple(evidence))


def _page(data: Any, location: str) -> dict[str, Any]:
    """The one file page of an ``action=query&prop=imageinfo`` response."""
    query = data.get("query") if isinstance(data, dict) else None
    pages = query.get("pages") if isinstance(query, dict) else None
    if isinstance(data, dict) and "error" in data:
        error = data["error"]
        info = error.get("info") if isinstance(error, dict) else error
        raise ReadError(f"the MediaWiki API answered with an error: {info}", source=location)
    if not isinstance(pages, (dict, list)):
        raise ReadError("not a MediaWiki API query response (no query.pages)", source=location)
    entries = list(pages.values()) if isinstance(pages, dict) else pages
    if len(entries) != 1:
        raise ReadError(
            f"the response describes {len(entries)} pages; expected one file", source=location
        )
    page = entries[0]
    if not isinstance(page, dict):
        raise ReadError("not a MediaWiki API query response", source=location)
    title = page.get("title", "?")
    if "missing" in page or "invalid" in page:
        raise ReadError(f"no such file: {title}", source=location)
    infos = page.get("imageinfo")
    if not isinstance(infos, list) or not infos or not isinstance(infos[0], dict):
        raise ReadError(f"{title} has no imageinfo: it is not a file page", source=location)
    if not isinstance(infos[0].get("extmetadata"), dict):
        raise ReadError(f"{title} has no extmetadata (request iiprop=extmetadata)", source=location)
    return page


def _work(data: Any, source: Input, location: str, raw: bytes) -> Work:
    page = _page(data, location)
    info = page["imageinfo"][0]
    meta: dict[str, Any] = info["extmetadata"]
    page_url = info.get("descriptionurl") if isinstance(info.get("descriptionurl"), str) else None
    base = page_url or (location if location.startswith(("http://", "https://")) else "https:")
    file_name = str(page.get("title", "")).split(":", 1)[-1] or None
    title = _value(meta, "ObjectName")
    if title:
        title = _plain(title, f"{location} ObjectName")[0] or None
    authors: tuple[Author, ...] = ()
    artist = _value(meta, "Artist")
    if artist:
        name, links = _plain(artist, f"{location} Artist")
        if name:
            url = _page_url(links[0], base) if len(links) == 1 else None
            authors = (Author(name, url),)
    credit = None
    for key in ("Attribution", "Credit"):
        value = _value(meta, key)
        if value:
            credit = _plain(value, f"{location} {key}")[0] or None
            if credit:
                break
    year = None
    when = _value(meta, "DateTimeOriginal")
    if when:
        found = re.search(r"\b(\d{4})\b", _plain(when, f"{location} DateTimeOriginal")[0])
        year = int(found.group(1)) if found and int(found.group(1)) > 0 else None
    licence = _licence(meta)
    restrictions = (_value(meta, "Restrictions") or "").lower()
    file_url = info.get("url") if isinstance(info.get("url"), str) else None
    kind = _MEDIA_KINDS.get(str(info.get("mediatype", "")).upper(), "image")
    assets: tuple[Asset, ...] = ()
    if file_url:
        assets = (
            Asset(
                kind=kind,
                source=file_url,
                title=title or file_name,
                authors=authors,
                license=licence.license,
                credit=credit,
                trademark="trademark" in restrictions,
            ),
        )
    return Work(
        title=title or file_name,
        url=page_url or (location if location.startswith(("http://", "https://")) else None),
        authors=authors,
        license=licence.license,
        year=year,
        assets=assets,
        provenance=source.provenance(
            licence.evidence,
            licence.status,
            sha256=None if raw is source.data else _sha256(raw),
        ),
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_query(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("query"), dict)


class CommonsReader:
    """Reads one Wikimedia Commons (or other MediaWiki) file: its page URL or an API response."""

    name = "commons"

    def sniff(self, source: Input) -> int:
        if source.data and source.data.lstrip()[:1] == b"{":
            try:
                data = load_json(source.data)
            except (ValueError, RecursionError):
                return 0
            if not _is_query(data):
                return 0
            pages = data["query"].get("pages")
            entries = list(pages.values()) if isinstance(pages, dict) else []
            with_metadata = any(
                isinstance(e, dict)
                and isinstance(e.get("imageinfo"), list)
                and any(isinstance(i, dict) and "extmetadata" in i for i in e["imageinfo"])
                for e in entries
            )
            return 95 if with_metadata else 30  # read() explains what is missing
        if api_url(source.location) is not None:
            page = source.data or b""
            return 95 if b'"wgCanonicalNamespace":"File"' in page else 80
        return 0

    def read(self, source: Input) -> Work:
        request = api_url(source.location)
        if request is not None and not (source.data or b"").lstrip().startswith(b"{"):
            if source.fetcher is None:
                raise ReadError("reading a file page needs a fetcher", source=source.location)
            fetched = source.fetcher.fetch(request)
            try:
                data = load_json(fetched.content)
            except (ValueError, RecursionError) as exc:
                raise ReadError(f"not valid JSON: {exc}", source=fetched.url) from None
            work = _work(data, source, fetched.url, fetched.content)
            return work
        if source.data is None:
            raise ReadError("expected a MediaWiki API response (JSON)", source=source.location)
        try:
            data = load_json(source.data)
        except json.JSONDecodeError as exc:
            raise ReadError(
                f"not valid JSON: {exc.msg}", source=source.location, line=exc.lineno
            ) from None
        except (ValueError, RecursionError) as exc:
            raise ReadError(f"not valid JSON: {exc}", source=source.location) from None
        return _work(data, source, source.location, source.data)


READER = CommonsReader()
"""The reader ``oerremix.readers.read`` uses for Wikimedia Commons files."""
