"""Lineage sentences: the works a page says it is adapted from, based on, a remix of.

:func:`find_lineage` reads ``rel="dct:source"`` links and sentences such as "adapted from …"
(also in German, French and Spanish) that a link follows; :func:`lineage_links` gives each
with the block of its sentence, which the page's licence is not read from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml.html import HtmlElement

from oerremix._fastre import Lowered
from oerremix._markup import BLOCKS
from oerremix.catalog import load_catalog
from oerremix.detect import detect_tree
from oerremix.model import Author, Work
from oerremix.readers._page_assets import in_caption
from oerremix.readers._schema_values import split_names
from oerremix.readers._sections import in_apparatus, squash
from oerremix.readers._urls import urljoin, urlsplit

__all__ = ["find_lineage", "lineage_links", "merge_sources"]

_LINEAGE = re.compile(
    r"(?:\badapted|\bremixed|\bderived|\bmodified|\btranslated|\brevised)\s+(?:\w+\s+){0,3}?from\b"
    r"|\bbased\s+(?:up)?on\b|\badaptation\s+of\b|\bremix\s+of\b|\bderivative\s+of\b"
    r"|\bbasiert\s+auf\b|\badaptiert\s+(?:von|aus|nach)\b|\bbearbeitet\s+nach\b"
    r"|\badapt[ée]e?s?\s+(?:de|d['’])|\bbas[ée]e?s?\s+sur\b|\bd['’]apr[èe]s\b|\badaptad[oa]\s+de\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]]{2})[.!?](?:\s|$)")
_NOT_A_SOURCE = re.compile(r"\b(?:by|von|par|por|in|im|of|aus|dans|en|©)\s*$", re.IGNORECASE)
_CONTAINERS = frozenset(BLOCKS) - {"br", "hr"}


def _is_license_link(href: str) -> bool:
    return load_catalog().find(href) is not None or bool(
        re.search(r"creativecommons\.org/(?:licenses|publicdomain)/", href, re.IGNORECASE)
    )


def _text_before(block: HtmlElement, target: HtmlElement) -> str:
    parts: list[str] = []

    def walk(el: HtmlElement) -> bool:
        if el is target:
            return True
        if isinstance(el.tag, str) and el.text:
            parts.append(el.text)
        for child in el:
            if walk(child):
                return True
            if child.tail:
                parts.append(child.tail)
        return False

    walk(block)
    return squash("".join(parts))


def _text_after(block: HtmlElement, target: HtmlElement) -> str:
    whole = squash(block.text_content())
    before = _text_before(block, target)
    link = squash(target.text_content())
    start = len(before) + len(link) + (1 if before else 0)
    return whole[start:] if whole.startswith(before) else ""


def _block_of(el: HtmlElement) -> HtmlElement:
    node = el.getparent()
    while node is not None and node.tag not in _CONTAINERS:
        node = node.getparent()
    return node if node is not None else el


def _is_url_text(text: str, href: str) -> bool:
    host = urlsplit(href).hostname or ""
    bare = text.lower().removeprefix("www.").rstrip("/")
    return not text or "://" in text or bare == host.removeprefix("www.") or bare == href.lower()


def merge_sources(works: Iterable[Work]) -> tuple[Work, ...]:
    """``works`` with those of one address (or title) merged into one, in order."""
    merged: dict[str, Work] = {}
    for work in works:
        key = (work.url or work.title or "").rstrip("/")
        if key in merged:
            old = merged[key]
            merged[key] = old.replace(
                title=old.title or work.title,
                license=old.license or work.license,
                authors=old.authors or work.authors,
            )
        else:
            merged[key] = work
    return tuple(merged.values())


def lineage_links(root: HtmlElement, base: str | None) -> list[tuple[Work, HtmlElement | None]]:
    """Each source found, with the block of the sentence that names it (None for dct:source)."""
    found: list[tuple[Work, HtmlElement | None]] = []
    wording: dict[HtmlElement, bool] = {}  # per block: could it hold a lineage phrase?
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        rel = {t.lower() for t in (link.get("rel") or "").split()}
        is_source = bool(rel & {"dct:source", "dc:source", "dcterms:source"})
        if not is_source:
            block = _block_of(link)
            if block not in wording:
                wording[block] = _may_hold_lineage(block)
            if not wording[block]:
                continue
        if _is_license_link(href) or in_apparatus(link) or in_caption(link):
            continue
        url: str | None = urljoin(base, href) if base else href
        text = squash(link.text_content())
        title = None if _is_url_text(text, href) else text
        if not re.match(r"https?://", url or ""):
            url = None  # a relative link in a local file: the source's address is unknown
            if title is None:
                continue
        if is_source:
            found.append((Work(title=title, url=url), None))
            continue
        block = _block_of(link)
        before = _text_before(block, link)
        phrases = list(_LINEAGE.finditer(before))
        if not phrases:
            continue
        between = before[phrases[-1].end() :]
        if _SENTENCE_END.search(between) or _NOT_A_SOURCE.search(between):
            continue
        by = re.match(
            r"\s*,?\s*(?:by|von|par|por)\s+([^,.;()]+?)(?=\s*(?:[,.;()]|$|is\b|are\b))",
            _text_after(block, link),
        )
        authors = tuple(Author(n) for n in split_names(by.group(1))) if by else ()
        stated = detect_tree(block).license_id
        found.append((Work(title=title, url=url, authors=authors, license=stated), block))
    return found


_LINEAGE_WORDS = (
    "adapt",
    "remix",
    "deriv",
    "modified",
    "translated",
    "revised",
    "bas",
    "bearbeitet",
    "apr",
)
"""Every match of _LINEAGE holds one of these, in lowercase."""


def _may_hold_lineage(block: HtmlElement) -> bool:
    """False only when no text of ``block`` can match _LINEAGE (a quick test before the
    sentence around each link is cut out and searched)."""
    low = Lowered(block.text_content()).low
    return low is None or any(word in low for word in _LINEAGE_WORDS)


def find_lineage(root: HtmlElement, base: str | None = None) -> list[Work]:
    """Works ``root`` says it is based on: ``rel="dct:source"`` links and linked sentences.

    A sentence counts when it says "adapted from", "based on", "remix of" … (also in German,
    French and Spanish) and a link follows in the same sentence; links to licences, links
    introduced by "by"/"in" (an author, the book a chapter is in) and links inside figure
    captions or credit lists are not sources. The licence is read from the sentence's block
    when it states exactly one.
    """
    return list(merge_sources(work for work, _block in lineage_links(root, base)))
