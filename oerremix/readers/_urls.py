"""URLs from outside, split and joined without raising: a malformed address stays as it is.

The readers split and resolve whatever addresses a page or a book gives (``src``, ``href``,
``<base>``, a JSON-LD ``url``); :func:`urllib.parse.urlsplit` and :func:`urllib.parse.urljoin`
raise ValueError on some of them (``http://[::1``), which these two do not.
"""

from __future__ import annotations

from urllib.parse import SplitResult
from urllib.parse import urljoin as _urljoin
from urllib.parse import urlsplit as _urlsplit

__all__ = ["urljoin", "urlsplit"]


def urlsplit(url: str) -> SplitResult:
    """:func:`urllib.parse.urlsplit` for URLs from outside: a malformed one (``http://[::1``,
    which the standard function refuses with ValueError) comes back whole, as an opaque value
    of the scheme ``invalid``: not a host, not a relative path."""
    try:
        return _urlsplit(url)
    except ValueError:
        return SplitResult("invalid", "", url, "", "")


def urljoin(base: str, url: str) -> str:
    """:func:`urllib.parse.urljoin`, leaving ``url`` as it is when either is malformed."""
    try:
        return _urljoin(base, url)
    except ValueError:
        return url
