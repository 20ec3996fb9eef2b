"""Figures in Markdown: a text's images and their credits, found in the parser's events.

:class:`Runs` walks the parse events into runs, each one block's inline content (a paragraph, a
heading, a table cell, a tight list item's text) or a raw HTML block. :func:`images` finds the
images in them, each with the credit in its title or in the caption line that follows it, and
the lines that credit took (so that the licence statements of the text leave them out). Images
written inside raw HTML blocks (LiaScript layouts) are found too.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from oerremix._markdown import href, markdown_events
from oerremix.detect import detect
from oerremix.readers._licensing import CREDIT_CUES
from oerremix.readers._md_render import IMAGE_ATTRIBUTES
from oerremix.readers._urls import urljoin, urlsplit

__all__ = ["Runs", "images"]

_RAW_IMAGE = re.compile(r'!\[([^\]]*)\]\(\s*<?([^)\s>"]+)>?\s*(?:"([^"]*)")?\s*\)')
_INLINE_BLOCKS = frozenset({"Paragraph", "Heading", "TableCell"})
_INLINE_TAGS = frozenset(
    {"Emphasis", "Strong", "Strikethrough", "Subscript", "Superscript", "Link", "Image"}
)


@dataclass(frozen=True, slots=True)
class _Image:
    source: str
    title: str | None
    credit: str | None
    license: str | None
    credit_lines: tuple[int, ...]


def _resolve(raw: str, base: str | None) -> str:
    """A relative path made relative to the folder read (``base`` is the chapter's path)."""
    return urljoin(base, raw) if base and not urlsplit(raw).scheme else raw


def _credited(title: str | None) -> str | None:
    return title if title and CREDIT_CUES.search(title) else None


@dataclass(slots=True)
class _Run:
    """One block's inline content as the parser saw it — a paragraph, heading, table cell or
    tight list item's text — or a raw HTML block (``kind="html"``, its text in ``raw``)."""

    kind: str
    first: int
    """Its first line, counted from 0."""
    end: int
    """The line after its last."""
    items: list[tuple[str, Any]] = field(default_factory=list)
    """``("image", (src, title, alt))``, ``("text", …)``, ``("softbreak", None)``,
    ``("hardbreak", None)``, ``("html_inline", …)``, ``("open"|"close", tag)``, ``("code", …)``."""
    raw: str = ""
    next: _Run | None = None
    """The paragraph right after this block, if one follows it directly."""


def _tag(value: Any) -> str:
    return value if isinstance(value, str) else next(iter(value))


class Runs:
    """Walks a text's parse events into :class:`_Run` s, in reading order."""

    def __init__(self, text: str) -> None:
        data = text.encode("utf-8")
        self._starts = [0, *(m.end() for m in re.finditer(b"\n", data))]
        self.runs: list[_Run] = []
        self._run: _Run | None = None
        self._image: tuple[str, str, list[str]] | None = None
        self._nested = 0  # images inside an image's alt text (part of the alt, not images)
        self._linked: _Run | None = None  # a paragraph-like block that just ended
        for event, span in markdown_events(text):
            self._event(event, span["start"], span["end"])
        self._close()

    def _line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset) - 1

    def _close(self) -> _Run | None:
        run, self._run = self._run, None
        if run is not None:
            self.runs.append(run)
        return run

    def _inline(self, start: int, end: int) -> _Run:
        if self._run is None:  # the text of a tight list item
            self._run = _Run("Item", self._line(start), self._line(start) + 1)
        if self._run.kind == "Item":
            self._run.end = max(self._run.end, self._line(max(end - 1, start)) + 1)
        return self._run

    def _event(self, event: Any, start: int, end: int) -> None:
        linked, self._linked = self._linked, None
        if isinstance(event, str):  # SoftBreak, HardBreak, Rule
            if event in ("SoftBreak", "HardBreak") and self._image is None:
                self._inline(start, end).items.append((event.lower(), None))
            elif event == "Rule":
                self._close()
            return
        ((kind, value),) = event.items()
        if kind == "Start":
            self._start(_tag(value), value, start, end, linked)
        elif kind == "End":
            self._end(_tag(value))
        elif kind == "Html" and self._run is not None and self._run.kind == "html":
            self._run.raw += value
        elif self._image is not None:
            if kind in ("Text", "Code"):
                self._image[2].append(value)
        elif kind == "Text":
            run = self._inline(start, end)
            if run.items and run.items[-1][0] == "image":
                attributes = IMAGE_ATTRIBUTES.match(value)  # pandoc's {#fig:1 width=75%}
                value = value[attributes.end() :] if attributes else value
            run.items.append(("text", value))
        elif kind == "Code":
            self._inline(start, end).items.append(("code", value))
        else:  # InlineHtml, and what the enabled extensions never give
            self._inline(start, end).items.append(
                ("html_inline" if kind == "InlineHtml" else kind, value)
            )

    def _start(self, tag: str, value: Any, start: int, end: int, linked: _Run | None) -> None:
        if tag == "Image" and self._image is not None:
            self._nested += 1
        elif tag == "Image":
            self._inline(start, end)
            image = value["Image"]
            self._image = (image["dest_url"], image["title"], [])
        elif tag in _INLINE_TAGS:
            if self._image is None:
                self._inline(start, end).items.append(("open", tag))
        elif tag in _INLINE_BLOCKS:
            self._close()
            self._run = _Run(tag, self._line(start), self._line(max(end - 1, start)) + 1)
            if linked is not None and tag == "Paragraph":
                linked.next = self._run
        elif tag == "HtmlBlock":
            self._close()
            self._run = _Run("html", self._line(start), self._line(max(end - 1, start)) + 1)
        else:  # another block: a list, an item, a quote, code
            self._close()

    def _end(self, tag: str) -> None:
        if tag == "Image" and self._nested:
            self._nested -= 1
        elif tag == "Image" and self._image is not None:
            src, title, alt = self._image
            self._image = None
            assert self._run is not None
            self._run.items.append(("image", (src, title, "".join(alt))))
        elif tag in _INLINE_TAGS:
            if self._image is None and self._run is not None:
                self._run.items.append(("close", tag))
        elif tag in _INLINE_BLOCKS:
            self._linked = self._close()
        else:
            self._close()


def _blank(item: tuple[str, Any]) -> bool:
    return item[0] == "text" and not str(item[1]).strip()


def _credit_of(lines: Sequence[str], numbers: range) -> tuple[str | None, tuple[int, ...]]:
    text = " ".join(lines[n].strip() for n in numbers if n < len(lines)).strip()
    if text and len(text) < 400 and CREDIT_CUES.search(text):
        return text, tuple(numbers)
    return None, ()


def _caption(run: _Run, k: int, lines: Sequence[str]) -> tuple[str | None, tuple[int, ...]]:
    """A credit line right under image ``k`` of ``run``: the rest of its paragraph, or the next
    paragraph when the image stands alone in its own."""
    items = run.items
    image_line = run.first + sum(1 for kind, _ in items[:k] if kind in ("softbreak", "hardbreak"))
    rest = [item for item in items[k + 1 :] if not _blank(item)]
    if rest and rest[0][0] == "html_inline":
        rest = rest[1:]
    if rest and rest[0][0] in ("softbreak", "hardbreak"):
        return _credit_of(lines, range(image_line + 1, run.end))
    alone = all(
        kind in ("image", "html_inline", "softbreak") or _blank((kind, v)) for kind, v in items
    )
    following = run.next
    if rest or not alone or following is None:
        return None, ()
    if any(kind == "image" for kind, _ in following.items):
        return None, ()  # the next paragraph is another image, not a caption
    return _credit_of(lines, range(following.first, following.end))


def _raw_images(run: _Run, base: str | None) -> Iterator[_Image]:
    """Markdown images written inside a raw HTML block (LiaScript layouts): CommonMark leaves
    them as text, but they are still images of the course. A credit in the image's title is
    on the image's own lines."""
    for match in _RAW_IMAGE.finditer(run.raw):
        alt, raw, title = match.group(1, 2, 3)
        credit = _credited((title or "").strip())
        license_id = detect(credit).license_id if credit else None
        first = run.first + run.raw.count("\n", 0, match.start())
        last = run.first + run.raw.count("\n", 0, match.end())
        used = tuple(range(first, last + 1)) if credit else ()
        yield _Image(_resolve(raw, base), alt.strip() or None, credit, license_id, used)


def images(runs: Sequence[_Run], lines: Sequence[str], base: str | None) -> list[_Image]:
    """Markdown images with the credit in their title or in the caption line that follows."""
    found: list[_Image] = []
    for run in runs:
        if run.kind == "html":
            found.extend(_raw_images(run, base))
            continue
        for k, (kind, value) in enumerate(run.items):
            if kind != "image" or not value[0].strip():
                continue
            src, title_text, alt_text = value
            title = title_text.strip() or None
            credit = _credited(title)
            used: tuple[int, ...] = ()
            if credit is None:
                credit, used = _caption(run, k, lines)
            license_id = detect(credit).license_id if credit else None
            alt = " ".join(alt_text.split()) or None
            name = alt if credit == title else title or alt
            source = _resolve(href(src.strip()), base)
            found.append(_Image(source, name, credit, license_id, used))
    return found
