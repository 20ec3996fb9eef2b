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
from collections.abc import Callable, Iterator, Sequence
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
    address: str
    """The address as written (percent-encoded as the rendered page has it), before it is
    resolved into ``source``."""


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
    ``("hardbreak", None)``, ``("html_inline", …)``, ``("open"|"close", tag)``, ``("code", …)``;
    none for a paragraph passed over (see :class:`Runs`)."""
    raw: str = ""
    next: _Run | None = None
    """The paragraph right after this block, if one follows it directly (for a block whose
    source holds ``![``)."""


def _tag(value: Any) -> str:
    return value if isinstance(value, str) else next(iter(value))


def _item(run: _Run | None, start: int, end: int, line: Callable[[int], int]) -> _Run:
    """The run of a tight list item's text (which has no paragraph): opened by its first
    inline part, grown by each."""
    if run is None:
        run = _Run("Item", line(start), line(start) + 1)
    run.end = max(run.end, line(max(end - 1, start)) + 1)
    return run


class Runs:
    """Walks a text's parse events into :class:`_Run` s, in reading order.

    Only a block whose source holds ``![`` can hold an image (every image is written so): any
    other paragraph, heading or table cell is passed over, its events skipped, and is no run;
    a paragraph passed over right after a block that holds ``![`` is still that block's
    ``next``, with its lines (where a caption is looked for) but no items.
    """

    def __init__(self, text: str) -> None:
        data = text.encode("utf-8")
        starts = [0, *(m.end() for m in re.finditer(b"\n", data))]

        def line(offset: int) -> int:
            return bisect.bisect_right(starts, offset) - 1

        runs: list[_Run] = []
        run: _Run | None = None  # the block being read
        image: tuple[str, str, list[str]] | None = None  # an image being read, its alt text
        nested = 0  # images inside an image's alt text (part of the alt, not images)
        linked: _Run | None = None  # a block holding "![" that the last event ended
        skipped: str | None = None  # a block being passed over, until its end
        event: Any
        for event, span in markdown_events(text):
            if skipped is not None:
                if isinstance(event, dict) and "End" in event and _tag(event["End"]) == skipped:
                    skipped = None
                continue
            start, end = span["start"], span["end"]
            previous, linked = linked, None
            if isinstance(event, str):  # SoftBreak, HardBreak, Rule
                if event in ("SoftBreak", "HardBreak") and image is None:
                    if run is None or run.kind == "Item":
                        run = _item(run, start, end, line)
                    run.items.append((event.lower(), None))
                elif event == "Rule" and run is not None:
                    runs.append(run)
                    run = None
                continue
            ((kind, value),) = event.items()
            if kind == "Start":
                tag = _tag(value)
                if tag in _INLINE_TAGS:  # Image among them
                    if tag == "Image" and image is not None:
                        nested += 1
                    elif image is None:
                        if run is None or run.kind == "Item":
                            run = _item(run, start, end, line)
                        if tag == "Image":
                            image = (value["Image"]["dest_url"], value["Image"]["title"], [])
                        else:
                            run.items.append(("open", tag))
                    continue
                if run is not None:  # any other block ends the one being read
                    runs.append(run)
                    run = None
                if tag == "HtmlBlock":
                    run = _Run("html", line(start), line(max(end - 1, start)) + 1)
                elif tag in _INLINE_BLOCKS:
                    holds = data.find(b"![", start, end) >= 0
                    follows = previous if tag == "Paragraph" else None
                    if holds or follows is not None:
                        block = _Run(tag, line(start), line(max(end - 1, start)) + 1)
                        if follows is not None:
                            follows.next = block
                        if holds:
                            run = block
                    if not holds:
                        skipped = tag
            elif kind == "End":
                tag = _tag(value)
                if tag == "Image" and nested:
                    nested -= 1
                elif tag == "Image" and image is not None:
                    assert run is not None
                    run.items.append(("image", (image[0], image[1], "".join(image[2]))))
                    image = None
                elif tag in _INLINE_TAGS:
                    if image is None and run is not None:
                        run.items.append(("close", tag))
                else:  # a block ends, and with it the one being read
                    if run is not None:
                        runs.append(run)
                    linked = run if tag in _INLINE_BLOCKS else None
                    run = None
            elif kind == "Html" and run is not None and run.kind == "html":
                run.raw += value
            elif image is not None:
                if kind in ("Text", "Code"):
                    image[2].append(value)
            else:
                if run is None or run.kind == "Item":
                    run = _item(run, start, end, line)
                items = run.items
                if kind == "Text":
                    if items and items[-1][0] == "image":
                        attributes = IMAGE_ATTRIBUTES.match(value)  # pandoc's {#fig:1 width=75%}
                        value = value[attributes.end() :] if attributes else value
                    items.append(("text", value))
                elif kind == "Code":
                    items.append(("code", value))
                else:  # InlineHtml, and what the enabled extensions never give
                    items.append(("html_inline" if kind == "InlineHtml" else kind, value))
        if run is not None:
            runs.append(run)
        self.runs = runs


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
        yield _Image(_resolve(raw, base), alt.strip() or None, credit, license_id, used, raw)


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
            address = href(src)
            found.append(_Image(_resolve(address, base), name, credit, license_id, used, address))
    return found
