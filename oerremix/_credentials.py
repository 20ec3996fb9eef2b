"""URLs that carry a user name or password (``https://alice:s3cret@example.org/book.epub``).

oerremix does not log in (docs/fetching.md). Such a URL is refused where it is given — a
recipe, a fetch, a redirect — and a link read from a source that carries one is not published,
so the secret never reaches a request, a lock file, a log, an error message or a credits page.
Messages name the URL with its user name and password replaced by ``…``.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["hidden_credentials"]


def hidden_credentials(url: str) -> str | None:
    """``url`` with its user name and password shown as ``…``, or None when it has neither.

    >>> hidden_credentials("https://alice:s3cret@example.org/book.epub")
    'https://…@example.org/book.epub'
    >>> hidden_credentials("https://example.org/@alice") is None
    True
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL at all: nothing to hide, and nothing anyone can log in with
        return None
    if "@" not in parts.netloc:
        return None
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"…@{host}", parts.path, parts.query, parts.fragment))
