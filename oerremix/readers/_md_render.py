"""Markdown rendered for reading: CommonMark as HTML, parsed, with pandoc's attributes applied.

:func:`rendered` renders a text and parses it: a heading's ``{#id …}`` becomes its id,
``[text]{…}`` spans are unwrapped, and an image's ``{ #fig:1 width=75% }`` gives the image its
id. :func:`parsed` parses the HTML a text was rendered to earlier (a file is rendered once,
when it is read, and its HTML parsed again when its sections are asked for).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from oerremix._markdown import markdown_html
from oerremix._markup import xml_text
from oerremix.readers.html import parse_page

__all__ = ["IMAGE_ATTRIBUTES", "parsed", "rendered"]

_PANDOC_ID = re.compile(r"\s*\{\s*#([^\s}]+)[^{}]*\}\s*$")
_PANDOC_SPAN = re.compile(r"\[([^\[\]]*)\]\{[^{}]*\}")
IMAGE_ATTRIBUTES = re.compile(r"\{\s*(?:#([^\s}]+))?[^{}]*\}")
_SPAN_TAIL = re.compile(r"\]\{[^{}]*\}\s*$")


def _text_slots(el: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Where the text inside ``el`` lives (``(element, "text" | "tail")``, in reading order),
    code spans left out: the text Markdown's inline syntax can be written in."""
    slots: list[tuple[HtmlElement, str]] = []

    def walk(node: HtmlElement) -> None:
        if node.text is not None and node.tag != "code":
            slots.append((node, "text"))
        for child in node:
            if isinstance(child.tag, str) and child.tag != "code":
                walk(child)
            if child.tail is not None:
                slots.append((child, "tail"))

    walk(el)
    return slots


def _get(slot: tuple[HtmlElement, str]) -> str:
    el, where = slot
    return (el.text if where == "text" else el.tail) or ""


def _set(slot: tuple[HtmlElement, str], value: str) -> None:
    if value == _get(slot):
        return
    el, where = slot
    if where == "text":
        el.text = xml_text(value)
    else:
        el.tail = xml_text(value)


def _clean_heading(heading: HtmlElement) -> None:
    """Take pandoc's ``{#id …}`` off a heading (making it the heading's id) and unwrap
    ``[text]{…}`` spans."""
    slots = _text_slots(heading)
    if not slots:
        return
    match = _PANDOC_ID.search(_get(slots[-1]))
    if match:
        heading.set("id", xml_text(match.group(1)))
        _set(slots[-1], _get(slots[-1])[: match.start()])
    for _ in range(4):
        for slot in slots:
            before, text = None, _get(slot)
            while before != text:
                before, text = text, _PANDOC_SPAN.sub(r"\1", text)
            _set(slot, text)
        first, last = slots[0], slots[-1]
        tail = _SPAN_TAIL.search(_get(last))
        if first == last or not (_get(first).startswith("[") and tail):
            break
        _set(last, _get(last)[: tail.start()])
        _set(first, _get(first)[1:])


def rendered(text: str, *, source: str) -> HtmlElement:
    """Markdown rendered and parsed, with pandoc's heading ids and spans and image attributes
    (``![](a.png){ #fig:1 width=75% }``) applied."""
    root = parse_page(markdown_html(text).strip() or "<p></p>", source=source)
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        _clean_heading(heading)
    for image in root.iter("img"):
        attributes = IMAGE_ATTRIBUTES.match(image.tail or "")
        if attributes:
            if attributes.group(1):
                image.set("id", xml_text(attributes.group(1)))
            image.tail = xml_text((image.tail or "")[attributes.end() :])
    return root


def parsed(html: str, *, source: str) -> HtmlElement:
    """Parse the HTML a file was rendered to (an empty text gives an empty page)."""
    return parse_page(html.strip() or "<p></p>", source=source)
