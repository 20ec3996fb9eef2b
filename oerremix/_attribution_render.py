"""Rendering an attribution record: the phrases, the Jinja2 templates, and JSON-LD.

:func:`~oerremix.attribution.render` writes a record with the templates
``templates/attribution.{html,md,txt}.j2`` (:data:`_TEMPLATES`). They say every sentence through
:func:`_phrases`: the words of the phrase file (``templates/strings/<lang>.yaml``, section
``attribution``), each value escaped for the format (markupsafe for HTML, :func:`_md` and
:func:`_md_url` for Markdown). :func:`_jsonld` writes the record as schema.org JSON-LD, its
``creditText`` from the text templates. :func:`_environment` is the one Jinja2 environment of
oerremix: the site writer and the audit report render their templates with it too.

The rendering of :mod:`oerremix.attribution`, which imports this module; this module imports
attribution.py for type checking only (it reads a record, never makes one), so there is no
import cycle.
"""

from __future__ import annotations

import functools
import json
import re
import string
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from oerremix._changes_jsonld import CHANGES, changes_to_jsonld
from oerremix._strings import phrase

if TYPE_CHECKING:
    from oerremix.attribution import Attribution, Credit

__all__ = [
    "_TEMPLATES",
    "_context",
    "_environment",
    "_jsonld",
    "_md",
]


_PLACEHOLDERS = (
    "work",
    "title",
    "authors",
    "license",
    "sources",
    "source",
    "changes",
    "what",
    "by",
    "date",
    "to",
    "scope",
    "basis",
    "copyright",
    "credit",
    "path",
    "item",
    "a",
    "b",
    "short",
    "name",
)


def _raw_phrase(key: str, lang: str) -> str:
    """The phrase ``attribution.key`` in ``lang`` with its ``{placeholders}`` left in."""
    return phrase("attribution", key, lang, **{name: "{" + name + "}" for name in _PLACEHOLDERS})


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&!#|~])")


def _md(text: object) -> str:
    """Escape text for Markdown: no value can become markup, a link or raw HTML."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _md_url(url: object) -> str:
    """Escape a (safe, percent-encoded) URL for a Markdown link destination."""
    return re.sub(r"([()\\<> ])", r"\\\1", str(url))


def _clause(text: object) -> str:
    """A value ending a clause the phrase closes itself: drop one trailing full stop."""
    value = str(text)
    return value[:-1] if value.endswith(".") and not value.endswith("..") else value


def _fill(template: str, esc: Callable[[str], str], start: bool, frags: Mapping[str, Any]) -> str:
    out = []
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        out.append(esc(literal))
        if field is not None:
            out.append(str(frags[field]))
    text = "".join(out)
    return text[:1].upper() + text[1:] if start and template[:1].isalpha() else text


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _phrases(lang: str, fmt: str) -> Callable[..., str]:
    def say(key: str, start: bool = False, **frags: Any) -> str:
        template = _raw_phrase(key, lang)
        if fmt == "html":
            safe = {k: v if isinstance(v, Markup) else escape(v) for k, v in frags.items()}
            return Markup(_fill(template, _html_text, start, safe))
        return _fill(template, _md if fmt == "markdown" else str, start, frags)

    return say


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("oerremix", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html.j2", "xhtml.j2", "xml.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md
    env.filters["mdurl"] = _md_url
    env.filters["clause"] = _clause
    return env


_TEMPLATES = {
    "html": "attribution.html.j2",
    "markdown": "attribution.md.j2",
    "text": "attribution.txt.j2",
}


def _context(record: Attribution, fmt: str, links: str) -> dict[str, Any]:
    def leads(key: str) -> bool:  # the phrase starts with the work: capitalise "this work"
        return _raw_phrase(key, record.lang).startswith("{work}")

    return {"record": record, "t": _phrases(record.lang, fmt), "leads": leads, "links": links}


def _text_module(record: Attribution) -> Any:
    """The text templates' macros, with links left out (for JSON-LD ``creditText``)."""
    template = _environment().get_template(_TEMPLATES["text"])
    return template.make_module(_context(record, "text", "none"))


def _jsonld(record: Attribution) -> str:
    text = _text_module(record)

    def node(credit: Credit, top: bool) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if top:
            data["@context"] = "https://schema.org"
        data["@type"] = _SCHEMA_TYPES[credit.kind]
        if credit.title:
            data["name"] = credit.title
        if credit.url:
            data["url"] = credit.url
        if credit.file:  # the package's copy: what a reader of the package matches its files to
            data["contentUrl"] = credit.file
        elif credit.path and not credit.url:
            data["contentUrl"] = credit.path
        if credit.authors:
            data["author"] = [
                {"name": a.name, "url": a.url} if a.url else {"name": a.name}
                for a in credit.authors
            ]
        if credit.license is not None:
            if credit.license.url:
                data["license"] = credit.license.url
            else:
                data["license"] = {  # the id lets a reader find it in any language
                    "@type": "CreativeWork",
                    "name": credit.license.name(record.lang),
                    "identifier": credit.license.id,
                }
        if credit.copyright:
            data["copyrightNotice"] = credit.copyright
        if credit.year is not None:
            data["datePublished"] = str(credit.year)
        if credit.language:
            data["inLanguage"] = credit.language
        credit_text = text.notice() if top else text.entry(credit)
        data["creditText"] = " ".join(str(credit_text).split())
        if credit.changes_made:
            data[CHANGES] = changes_to_jsonld(credit.changes_made)
        if credit.sources:
            data["isBasedOn"] = [node(s, False) for s in credit.sources]
        if credit.parts:
            data["hasPart"] = [node(p, False) for p in credit.parts]
        return data

    dumped = json.dumps(node(record.subject, True), indent=2, ensure_ascii=False)
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        dumped = dumped.replace(char, code)
    return dumped.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


_SCHEMA_TYPES = {
    "work": "CreativeWork",
    "image": "ImageObject",
    "video": "VideoObject",
    "audio": "AudioObject",
    "embed": "MediaObject",
}
