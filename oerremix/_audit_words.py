"""The words more than one part of the audit looks for, and the small text helpers they share.

The regular expressions here find links, file names and change notices in a book's text; the
helpers fold whitespace, shorten and quote what a book says for a finding's message, and compare
addresses. Used by :mod:`oerremix.audit` and its parts :mod:`oerremix._audit_assets`,
:mod:`oerremix._audit_content`, :mod:`oerremix._audit_online`, :mod:`oerremix._audit_sources` and
:mod:`oerremix._audit_verdict`; each keeps the words only it looks for.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["CHANGES", "FILE_NAME", "URL", "clean", "cut", "is_url", "norm_url", "quote"]

CHANGES = re.compile(
    r"\bchanges?(?:\s+made)?(?:\s+in\s+this\s+work)?\s*:"
    r"|\b(?:modified|modification\s+of|adapted\s+(?:from|by)|remix(?:ed)?\s+(?:of|from|by)"
    r"|derivative\s+of|translated\s+(?:from|by|into)|cropped|excerpted|abridged|revised\s+by)\b"
    r"|\b(?:änderungen|geändert|bearbeitet|verändert|übersetzt|adapté|modifié|traduit"
    r"|adaptado|modificado|traducido)",
    re.IGNORECASE,
)
URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
FILE_NAME = re.compile(r"[^\s\"'<>()/\\=]+\.[A-Za-z0-9]{2,5}\b")


def clean(text: str | None) -> str:
    """Whitespace folded to single spaces (``""`` for None)."""
    return " ".join((text or "").split())


def cut(text: str | None, limit: int = 120) -> str:
    """The text cleaned and, when longer than ``limit``, cut short with an ellipsis."""
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote(text: str | None, limit: int = 100) -> str:
    """The text cut to ``limit`` in quotation marks, as a finding quotes what a book says."""
    return f"“{cut(text, limit)}”"


def is_url(value: str | None) -> bool:
    """Whether a value is an http(s) address."""
    return bool(value) and str(value).lower().startswith(("http://", "https://"))


def norm_url(url: str) -> str:
    """An address as compared with others: lowercase, no scheme, no ``www.``, no final slash."""
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}".lower()
