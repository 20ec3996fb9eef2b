"""Markdown: the one CommonMark parser oerremix uses, for sources and recipe text alike.

pyromark binds pulldown-cmark, the Rust CommonMark parser behind rustdoc and mdBook: it renders
a 500-chapter book in a fraction of a second, where a Python parser takes seconds, and it can
also list a text's parts with their positions (:func:`markdown_events`), which the Markdown
reader uses to find each image's caption line.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyromark
from pyromark.event import Event, Range

__all__ = ["href", "markdown_events", "markdown_html"]

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_SUBSCRIPT
)
_MARKDOWN = pyromark.Markdown(options=_OPTIONS)
_HREF_SAFE = frozenset(
    b"!#$%&'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ^_abcdefghijklmnopqrstuvwxyz~"
)


def markdown_html(text: str) -> str:
    """Render CommonMark with GitHub's tables and ``~~strikethrough~~``; a single ``~`` never
    strikes text through (pandoc writes subscripts with it). Raw HTML is kept: clean the result
    with :func:`oerremix._markup.sanitize_html` before it reaches a page.

    >>> markdown_html("# Ohm's law\\n\\nH~2~O is ~~not~~ water.")
    "<h1>Ohm's law</h1>\\n<p>H~2~O is <del>not</del> water.</p>\\n"
    """
    return _MARKDOWN.html(text)


def markdown_events(text: str) -> Iterator[tuple[Event, Range]]:
    """The parts of a Markdown text as :func:`markdown_html` sees them, in order, each with
    its place in the text (offsets into ``text.encode()``): ``{"Start": "Paragraph"}``,
    ``{"Text": "…"}``, ``"SoftBreak"``, ``{"End": "Image"}`` …"""
    return _MARKDOWN.events_with_range(text, merge_text=True)


def href(destination: str) -> str:
    """A link destination as :func:`markdown_html` writes it in ``href`` and ``src``: every
    byte outside a small safe set percent-encoded.

    >>> href("media/fig 1 é.png")
    'media/fig%201%20%C3%A9.png'
    """
    return "".join(
        chr(byte) if byte in _HREF_SAFE else f"%{byte:02X}" for byte in destination.encode()
    )
