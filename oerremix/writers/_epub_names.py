"""Names inside an EPUB or a cartridge, and how a page's links resolve among them.

:func:`page_names` gives each module its page file and :func:`asset_names` each asset its path
(safe characters, unique, never a reserved name), which :func:`content_renamed` writes into the
JSON-LD record too; :class:`Links` resolves a URL found in a page to a fragment, another page,
an asset, a clean remote URL or nothing.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import SplitResult, quote, unquote, urlsplit, urlunsplit

from oerremix._markup import NOT_XML
from oerremix.errors import WriteError
from oerremix.writers import PackageAsset, PackageModule

__all__ = ["Kind", "Links", "asset_names", "check_slug", "content_renamed", "page_names"]

_RESERVED = frozenset({"nav", "rights", "toc", "package", "style", "metadata"})
_UNSAFE_FILE = re.compile(r"[^A-Za-z0-9._-]+")

# --- names inside the container -----------------------------------------------------------------


def check_slug(slug: str) -> str:
    """``slug`` when it is a safe file name; a :class:`WriteError` otherwise."""
    if (
        not slug
        or slug.startswith(".")
        or any(c in slug for c in '/\\:*?"<>|')
        or NOT_XML.search(slug)
    ):
        raise WriteError(f"the package slug {slug!r} is not a safe file name", path=slug)
    return slug


def _unique(stem: str, used: set[str]) -> str:
    candidate, n = stem, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate.lower())
    return candidate


def page_names(
    modules: Sequence[PackageModule], extension: str = ".xhtml", reserved: Iterable[str] = _RESERVED
) -> dict[str, str]:
    """Module id -> file name (``<id><extension>``, made safe and unique, never reserved)."""
    used = {name.lower() for name in reserved}
    names: dict[str, str] = {}
    for module in modules:
        if module.id in names:
            raise WriteError(f"two modules have the id {module.id!r}", path=module.id)
        stem = _UNSAFE_FILE.sub("-", module.id).strip("-.") or "module"
        names[module.id] = _unique(stem, used) + extension
    return names


def asset_names(assets: Sequence[PackageAsset]) -> dict[str, str]:
    """Asset path (``media/…``) -> the path written (safe characters, unique)."""
    used: set[str] = set()
    names: dict[str, str] = {}
    for asset in assets:
        path = asset.path
        parts = path.split("/")
        if (
            len(parts) < 2
            or parts[0] != "media"
            or any(p in ("", ".", "..") for p in parts)
            or "\\" in path
            or NOT_XML.search(path)
        ):
            raise WriteError(f"asset path {path!r} is not a relative path under media/", path=path)
        if path in names:
            raise WriteError(f"two assets have the path {path!r}", path=path)
        folders = [_UNSAFE_FILE.sub("-", p).strip("-.") or "x" for p in parts[1:-1]]
        stem, dot, ext = parts[-1].rpartition(".")
        if not dot:
            stem, ext = ext, ""
        stem = _UNSAFE_FILE.sub("-", stem).strip("-.") or "file"
        ext = _UNSAFE_FILE.sub("", ext).lower()
        base = "/".join(["media", *folders, stem])
        unique = _unique(base, used)
        names[path] = f"{unique}.{ext}" if ext else unique
    return names


def content_renamed(value: Any, names: Mapping[str, str]) -> Any:
    """The JSON-LD ``value`` with each file's ``contentUrl`` renamed as :func:`asset_names`
    renamed the file, so that a reader of the package finds each file's own licence.

    >>> record = {"hasPart": [{"contentUrl": "media/a.PNG"}]}
    >>> content_renamed(record, {"media/a.PNG": "media/a.png"})
    {'hasPart': [{'contentUrl': 'media/a.png'}]}
    """
    if isinstance(value, dict):
        return {
            key: names.get(item, item)
            if key == "contentUrl" and isinstance(item, str)
            else content_renamed(item, names)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [content_renamed(item, names) for item in value]
    return value


# --- links ---------------------------------------------------------------------------------------

_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URL_SAFE = "/:@!$&'()*+,;=~-._%"


def _clean_url(parts: SplitResult) -> str | None:
    """A remote URL as a valid URL: spaces and other characters percent-encoded, a stray ``%``
    escaped, an internationalised host name in its ASCII (IDNA) form; None when impossible."""
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    netloc = parts.netloc
    host = parts.hostname or ""
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        userinfo, at, hostport = netloc.rpartition("@")
        _, colon, port = hostport.partition(":")  # a non-ASCII host is no IPv6 literal
        netloc = f"{userinfo}{at}{ascii_host}{colon}{port}"
    if any(c.isspace() or c in '<>"{}|\\^`' for c in netloc):
        return None

    def part(text: str, safe: str) -> str:
        return quote(_BAD_PERCENT.sub("%25", text), safe=safe)

    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            part(parts.path, _URL_SAFE),
            part(parts.query, _URL_SAFE + "?"),
            part(parts.fragment, _URL_SAFE + "?"),
        )
    )


Kind = Literal["fragment", "page", "asset", "remote", "none"]


@dataclass(frozen=True, slots=True)
class Links:
    """How a URL found in a page resolves inside this package."""

    pages: dict[str, str]
    """``<module id>.html`` -> the page file written."""
    assets: dict[str, str]
    """``media/…`` -> the asset file written."""

    def resolve(self, url: str) -> tuple[Kind, str]:
        url = url.strip()
        if not url:
            return "none", ""
        if url.startswith("#"):
            return "fragment", url
        if url.startswith("//"):
            url = "https:" + url
        try:
            parts = urlsplit(url)
        except ValueError:
            return "none", ""
        if parts.scheme:
            if parts.scheme.lower() in {"http", "https", "mailto"}:
                clean = _clean_url(parts)
                return ("remote", clean) if clean else ("none", "")
            return "none", ""
        path = posixpath.normpath(unquote(parts.path)) if parts.path else ""
        fragment = f"#{quote(unquote(parts.fragment), safe='')}" if parts.fragment else ""
        if path in self.pages:
            return "page", quote(self.pages[path]) + fragment
        if path in self.assets:
            return "asset", quote(self.assets[path])
        return "none", path
