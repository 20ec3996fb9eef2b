"""Sections: a page cut at its headings, each cut served as sanitised HTML.

The HTML and Markdown readers plan a page's sections from its :func:`outline` with
:func:`plan_sections` — ``(section, start heading, end heading)`` — and serve them with
:class:`PageSections`. Section ids come from :func:`slugify` and :func:`unique_id` (which
the EPUB and OpenStax readers use too).
"""

from __future__ import annotations

import copy
import html as html_text
import re
from dataclasses import dataclass

from lxml.html import HtmlElement, tostring

from oerremix._markup import sanitize_html
from oerremix.model import Section

__all__ = [
    "SKIPPED",
    "Outline",
    "PageSections",
    "classes",
    "heading_elements",
    "in_apparatus",
    "natural_order",
    "outline",
    "plan_sections",
    "section_fragment",
    "slugify",
    "squash",
    "unique_id",
    "with_class",
]

SKIPPED = ("script", "style", "template", "noscript")
"""Elements whose text is not the page's text."""


def squash(text: str | None) -> str:
    """``text`` with its runs of whitespace folded to single spaces, trimmed."""
    return " ".join((text or "").split())


def natural_order(path: str) -> tuple[tuple[tuple[int, int | str], ...], ...]:
    """A sort key putting ``REF_2`` before ``REF_10`` (numbers by value, letters by case-folded
    text), folder by folder: how chapter files and pages are ordered when nothing lists them.

    >>> sorted(["ch10.md", "ch2.md", "A/ch1.md"], key=natural_order)
    ['A/ch1.md', 'ch2.md', 'ch10.md']
    """
    return tuple(
        tuple(
            (0, int(t)) if t.isdigit() else (1, t.casefold()) for t in re.split(r"(\d+)", part) if t
        )
        for part in path.split("/")
    )


def slugify(text: str) -> str:
    """A lower-case id made of the letters and digits of ``text``, words joined by ``-``.

    >>> slugify("2.3: Chemical Bonds — Ionic & Covalent")
    '2-3-chemical-bonds-ionic-covalent'
    >>> slugify("Überprüfen Sie Ihr Wissen")
    'überprüfen-sie-ihr-wissen'
    """
    words = re.findall(r"\w+", text.casefold().replace("_", " "))
    return "-".join(words)[:80].strip("-")


def unique_id(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not in ``used`` yet; it is added."""
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    used.add(candidate)
    return candidate


def classes(el: HtmlElement) -> set[str]:
    """The element's class names."""
    return set((el.get("class") or "").split())


def with_class(name: str, under: str = "//") -> str:
    """XPath for the elements ``under`` a path whose class list holds ``name`` (reached from
    the attribute, which libxml2 finds three times faster than testing every element)."""
    return f"{under}@class[contains(concat(' ', ., ' '), ' {name} ')]/.."


def in_apparatus(el: HtmlElement) -> bool:
    """Inside navigation, a figure, or a licence or credits block (not the running content)."""
    node: HtmlElement | None = el
    while node is not None:
        if node.tag in ("nav", "figure") or classes(node) & {
            "media-attributions",
            "license-attribution",
        }:
            return True
        node = node.getparent()
    return False


def heading_elements(root: HtmlElement) -> list[HtmlElement]:
    """The ``<h1>``–``<h3>`` of ``root`` that start sections, in document order."""
    return [h for h in root.iter("h1", "h2", "h3") if not in_apparatus(h)]


def _subtree_ends(elements: list[HtmlElement]) -> list[int]:
    position = {el: i for i, el in enumerate(elements)}
    size = [1] * len(elements)
    for i in range(len(elements) - 1, 0, -1):
        parent = elements[i].getparent()
        if parent is not None and parent in position:
            size[position[parent]] += size[i]
    return [i + size[i] - 1 for i in range(len(elements))]


def _slice(root: HtmlElement, start: int | None, end: int | None) -> HtmlElement:
    """A copy of ``root`` holding only what lies from heading ``start`` up to heading ``end``.

    ``start``/``end`` index :func:`heading_elements`; ``None`` means the beginning or the end.
    Elements around the cut keep their tags, so nesting (``<section>``, lists) stays valid.
    """
    headings = heading_elements(root)
    originals = list(root.iter())
    position = {el: i for i, el in enumerate(originals)}
    s = position[headings[start]] if start is not None else 0
    e = position[headings[end]] if end is not None else len(originals)
    last = _subtree_ends(originals)
    cut: HtmlElement = copy.deepcopy(root)
    copies = list(cut.iter())
    if s > 0:
        cut.text = None
    doomed: list[HtmlElement] = []
    skip_to = -1
    for i in range(1, len(copies)):
        if i <= skip_to:
            continue
        el = copies[i]
        if last[i] < s or i >= e:
            doomed.append(el)
            skip_to = last[i]
            continue
        if i < s:
            el.text = None
        if last[i] >= e:
            el.tail = None
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    return cut


def _inner_html(el: HtmlElement) -> str:
    head = html_text.escape(el.text) if el.text and isinstance(el.tag, str) else ""
    return head + "".join(tostring(child, encoding="unicode") for child in el)


_CONTENT_TAGS = frozenset({"img", "iframe", "video", "audio", "table", "math", "svg"})


def _content_before(root: HtmlElement, heading: HtmlElement) -> bool:
    """Is there text (outside scripts and styles) or a medium or table before ``heading``?

    Walks only what precedes the heading, rather than cutting a copy of the page.
    """
    if (root.text or "").strip():
        return True

    def walk(node: HtmlElement) -> bool | None:  # None: neither content nor the heading yet
        for child in node:
            if child is heading:
                return False
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _CONTENT_TAGS:
                return True
            if tag in SKIPPED:
                for inner in child.iterdescendants():
                    if inner is heading:
                        return False
                    if inner.tag in _CONTENT_TAGS:
                        return True
            else:
                if tag and (child.text or "").strip():
                    return True
                found = walk(child)
                if found is not None:
                    return found
            if (child.tail or "").strip():
                return True
        return None

    return bool(walk(root))


@dataclass(frozen=True, slots=True)
class Outline:
    """What planning a page's sections needs of it (see :func:`outline`); it outlives the
    page's tree, and can cross to another process."""

    lead: bool
    """Whether the page has content before its first heading, or no heading at all."""
    headings: tuple[tuple[str | None, str | None, int], ...]
    """The :func:`heading_elements`, each as ``(its text, its id, its level)``."""


def outline(root: HtmlElement) -> Outline:
    """The outline of ``root``, for :func:`plan_sections`."""
    headings = heading_elements(root)
    return Outline(
        not headings or _content_before(root, headings[0]),
        tuple((squash(h.text_content()) or None, h.get("id"), int(h.tag[1])) for h in headings),
    )


def plan_sections(
    page: Outline,
    *,
    lead_title: str | None,
    used: set[str],
    prefix: str = "",
    lead_id: str | None = None,
    chapter: bool = False,
) -> list[tuple[Section, int | None, int | None]]:
    """The sections of a page (its :func:`outline`): ``(section, start heading, end heading)``
    in reading order, the headings counted among its :func:`heading_elements`.

    For a page, content before the first heading (or a page with no heading) is a section of
    its own, titled ``lead_title``; every ``<h1>``–``<h3>`` starts a section at its own level.
    For a ``chapter`` (of a book), the first section is always the chapter itself, titled
    ``lead_title`` at level 1: the content before the first heading, or the opening heading
    when the chapter starts with one; its other headings become sub-sections (level 2 or more).
    Ids are ``lead_id`` for the lead section, else the heading's ``id`` or ``prefix`` + a slug
    of its text, made unique against ``used``.
    """
    headings = page.headings
    levels = [level for _title, _id, level in headings]
    planned: list[tuple[Section, int | None, int | None]] = []
    lead = page.lead
    first, base = 0, min(levels, default=1) - 1
    if chapter and not lead:
        first, base = 1, levels[0]
    if lead or chapter:
        ident = lead_id or prefix + (slugify(lead_title or "") or "start")
        start, end = (None, 0) if lead else (0, 1)
        planned.append(
            (
                Section(id=unique_id(ident, used), title=lead_title, level=1),
                start,
                end if end < len(headings) else None,
            )
        )
    for k in range(first, len(headings)):
        title, own_id, heading_level = headings[k]
        ident = own_id or prefix + (slugify(title or "") or f"section-{k + 1}")
        level = 1 + max(1, heading_level - base) if chapter else heading_level
        section = Section(id=unique_id(ident, used), title=title, level=min(64, level))
        planned.append((section, k, k + 1 if k + 1 < len(headings) else None))
    return planned


def _bare_body(el: HtmlElement | None, root: HtmlElement, to_end: bool) -> bool:
    """Is ``el`` the ``<body>`` of ``root`` (whose tags sanitising drops), with nothing after
    it when the section runs ``to_end``?"""
    if el is None or el.tag != "body" or el.getparent() is not root:
        return False
    return not to_end or (not (el.tail or "").strip() and next(el.itersiblings(), None) is None)


class PageSections:
    """One parsed page, serving its planned sections as sanitised HTML (see :func:`plan_sections`).

    Keep one for as long as the page's sections are being read: it finds the headings, and the
    position of each of the page's blocks, once (a chapter of 20 sections and 200 blocks would
    otherwise list its blocks 20 times).
    """

    def __init__(self, root: HtmlElement) -> None:
        self.root = root
        self.headings = heading_elements(root)
        self._positions: dict[HtmlElement, tuple[list[HtmlElement], dict[HtmlElement, int]]] = {}

    def _children(self, parent: HtmlElement) -> tuple[list[HtmlElement], dict[HtmlElement, int]]:
        if parent not in self._positions:
            children = list(parent)
            self._positions[parent] = (children, {el: n for n, el in enumerate(children)})
        return self._positions[parent]

    def fragment(self, start: int | None, end: int | None, section_id: str) -> str:
        """The sanitised HTML of one planned section; its heading carries the section's id."""
        root, headings = self.root, self.headings
        first = headings[start] if start is not None else None
        last = headings[end] if end is not None else None
        parent = first.getparent() if first is not None else root
        if parent is not root and not _bare_body(parent, root, last is None):
            parent = None
        if parent is None or (last is not None and last.getparent() is not parent):
            return _sliced_fragment(root, start, end, section_id)
        # the usual page (rendered Markdown above all): headings among the root's children,
        # so the section is a run of them, serialised without copying the page
        children, position = self._children(parent)
        begin = position[first] if first is not None else 0
        stop = position[last] if last is not None else len(children)
        lead = html_text.escape(root.text) if first is None and root.text else ""
        added = first if first is not None and not first.get("id") else None
        if added is not None:
            added.set("id", section_id)
        try:
            body = "".join(tostring(child, encoding="unicode") for child in children[begin:stop])
        finally:
            if added is not None:
                del added.attrib["id"]
        return sanitize_html(lead + body)


def section_fragment(root: HtmlElement, start: int | None, end: int | None, section_id: str) -> str:
    """The sanitised HTML of one planned section of ``root`` (to serve several sections of one
    page, keep a :class:`PageSections`)."""
    return PageSections(root).fragment(start, end, section_id)


def _sliced_fragment(root: HtmlElement, start: int | None, end: int | None, section_id: str) -> str:
    """:func:`section_fragment` for any page: a copy of the page cut to the section."""
    cut = _slice(root, start, end)
    if start is not None:
        heading = heading_elements(cut)[0] if heading_elements(cut) else None
        if heading is not None and not heading.get("id"):
            heading.set("id", section_id)
    return sanitize_html(_inner_html(cut))


# --- lineage -------------------------------------------------------------------------------------
