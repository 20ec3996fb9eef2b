"""The HTML site writer (output name ``html``): a folder any static web host can serve.

What it writes (see docs/outputs-html.md)::

    index.html        title, authors, description, learning outcomes, contents, JSON-LD
    <id>.html         one page per module, with previous / contents / next links
    credits.html      every source and third-party item (``Package.credits_html``)
    metadata.jsonld   schema.org/LRMI metadata, keys sorted, the same as embedded in index.html
    style.css         system fonts, responsive, light and dark; no JavaScript, no downloads
    media/…           the package's files

Every page carries the licence notice of the new work (``Package.notice_html``, with
``rel="license"`` and ccREL RDFa) in its footer, with a link to the credits, and a
``<link rel="license">`` in its head. Untrusted text (titles, names, description, outcomes) is
escaped by the templates' autoescape; only the package's sanitised HTML is written as markup.
The same package always gives byte-identical files: the only date written is
``Package.modified``.

The module also holds what the Markdown writer shares with it: :func:`check_package`,
:func:`jsonld_text`, :func:`http_url` and :func:`ui_words`.
"""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.parse
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import html as lxml_html
from markupsafe import Markup, escape

# The one Jinja2 environment of oerremix (ARCHITECTURE.md, convention 14) is built in
# _attribution_render.py (for attribution); the site templates are rendered with it.
from oerremix._attribution_render import _environment
from oerremix._markup import parse_html
from oerremix._strings import has_phrase
from oerremix.catalog import load_catalog
from oerremix.errors import WriteError
from oerremix.writers import Package, ui_word

__all__ = [
    "WRITER",
    "SiteWriter",
    "arrange_headings",
    "check_package",
    "http_url",
    "jsonld_text",
    "ui_words",
    "write_media",
]

_RESERVED = frozenset({"index", "credits"})
"""Module ids that would overwrite a page the site writes itself."""

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_HEADING = re.compile(r"<h[1-6][\s>]", re.IGNORECASE)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_WRAPPERS = frozenset({"section", "div", "header", "article", "hgroup"})

_RTL = frozenset({"ar", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"})
"""Languages written right to left (their usual script): the pages get ``dir="rtl"``."""

_WORDS = (
    *("skip", "contents", "pages", "previous", "next", "credits", "metadata", "authors"),
    *("outcomes", "updated", "license"),
)
"""The fixed words the site and the Markdown folder use (``writers`` in the phrase files)."""


def ui_words(lang: str) -> tuple[dict[str, str], str | None]:
    """The fixed words of the outputs in ``lang``, and the language they are really in when
    that is not ``lang`` (a language whose phrase file has no ``writers`` section gets the
    English words, which the pages mark as English), else None.

    >>> words, fallback = ui_words("fr")
    >>> words["contents"], fallback
    ('Table des matières', None)
    >>> ui_words("de")[1]
    'en'
    """
    complete = all(has_phrase("writers", key, lang) for key in _WORDS)
    return {key: ui_word(lang, key) for key in _WORDS}, None if complete else "en"


def http_url(url: str | None) -> str | None:
    """``url`` if it is an absolute ``http`` or ``https`` URL, else None (no ``javascript:``).

    >>> http_url(" https://example.org/a b "), http_url("javascript:alert(1)")
    ('https://example.org/a b', None)
    """
    if url is None:
        return None
    cleaned = "".join(ch for ch in url if unicodedata.category(ch) != "Cc").strip()
    parts = urllib.parse.urlsplit(cleaned)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return cleaned


def jsonld_text(metadata: Mapping[str, Any]) -> str:
    """The package metadata as JSON text: indented, keys sorted, safe inside ``<script>``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026`` (and the two
    line separators JavaScript rejects as ``\\u2028``/``\\u2029``), so no value can close the
    ``<script type="application/ld+json">`` element it is embedded in; it is still the same JSON.

    >>> print(jsonld_text({"name": "</script>", "@context": "https://schema.org"}), end="")
    {
      "@context": "https://schema.org",
      "name": "\\u003c/script\\u003e"
    }
    """
    text = json.dumps(metadata, indent=2, sort_keys=True, ensure_ascii=False)
    for char, code in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, code)
    return text + "\n"


def check_package(package: Package, *, reserved: Collection[str] = ()) -> None:
    """Refuse a package whose module ids or asset paths cannot safely become file names.

    Module ids must be unique, start with a letter or digit and hold only letters, digits,
    ``.``, ``_`` and ``-``, and not be one of ``reserved``; asset paths must be relative,
    under ``media/``, unique, with no ``..``. Raises :class:`~oerremix.errors.WriteError`.
    """
    seen: set[str] = set()
    for module in package.modules:
        if not _SAFE_ID.match(module.id) or ".." in module.id:
            raise WriteError(
                f"module id {module.id!r} cannot be a file name: use letters, digits, "
                "'.', '_' and '-'",
                path=module.id,
            )
        if module.id.lower() in reserved:
            raise WriteError(
                f"module id {module.id!r} would overwrite a page of the output; rename it",
                path=module.id,
            )
        if module.id.lower() in seen:
            raise WriteError(f"two modules have the id {module.id!r}", path=module.id)
        seen.add(module.id.lower())
    paths: set[str] = set()
    for asset in package.assets:
        path = PurePosixPath(asset.path)
        if (
            path.is_absolute()
            or "\\" in asset.path
            or len(path.parts) < 2
            or path.parts[0] != "media"
            or any(part in ("", ".", "..") for part in asset.path.split("/"))
        ):
            raise WriteError(
                f"asset path {asset.path!r} must be a relative path under media/",
                path=asset.path,
            )
        if asset.path.lower() in paths:
            raise WriteError(f"two assets have the path {asset.path!r}", path=asset.path)
        paths.add(asset.path.lower())


def write_media(package: Package, folder: Path) -> None:
    """Write every asset of ``package`` to its path under ``folder``."""
    for asset in package.assets:
        target = folder / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.data)


def _level(heading: lxml_html.HtmlElement) -> int:
    return int(heading.tag[1])


def _leading_heading(body: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The fragment's first heading when only wrapper elements come before it."""
    element = body
    while not (element.text or "").strip():
        first = next((c for c in element if isinstance(c.tag, str)), None)
        if first is None:
            return None
        if first.tag in _HEADINGS:
            return first
        if first.tag not in _WRAPPERS:
            return None
        element = first
    return None


def arrange_headings(body: lxml_html.HtmlElement, title: str | None) -> bool:
    """Renumber the headings of a parsed fragment so its page has exactly one ``<h1>``.

    When the fragment opens with a heading that reads ``title`` (as a chapter's content often
    does), that heading becomes the ``<h1>``, the others move below it, and True is returned:
    the page must not repeat the title. Otherwise False is returned and no heading is left at
    level 1 (all move one level down if one was), for the page to write the title as ``<h1>``.
    """
    headings = list(body.iter(*_HEADINGS))
    if not headings:
        return False
    lead = _leading_heading(body)
    if lead is not None and title is not None and _words(lead.text_content()) == _words(title):
        base = _level(lead)
        others = [h for h in headings if h is not lead]
        extra = 1 if any(_level(h) <= base for h in others) else 0
        for heading in others:
            heading.tag = f"h{min(max(_level(heading) - base + 1 + extra, 2), 6)}"
        lead.tag = "h1"
        return True
    if any(_level(h) == 1 for h in headings):
        for heading in headings:
            heading.tag = f"h{min(_level(heading) + 1, 6)}"
    return False


def _words(text: str) -> str:
    return " ".join(text.split())


def _page_content(fragment: str, title: str | None) -> tuple[str, bool]:
    """A trusted fragment with its headings arranged (see :func:`arrange_headings`), and
    whether it opens with ``title``; a fragment without headings is returned as it is."""
    if not _HEADING.search(fragment):
        return fragment, False
    body = parse_html(fragment).body
    before = [h.tag for h in body.iter(*_HEADINGS)]
    has_title = arrange_headings(body, title)
    if [h.tag for h in body.iter(*_HEADINGS)] == before:
        return fragment, has_title
    head = str(escape(body.text)) if body.text else ""
    return head + "".join(
        lxml_html.tostring(child, encoding="unicode", method="html") for child in body
    ), has_title


@dataclass(frozen=True, slots=True)
class _Page:
    href: str
    title: str


class SiteWriter:
    """Writes a :class:`~oerremix.writers.Package` as a static HTML site."""

    name = "html"

    def write(self, package: Package, folder: Path) -> None:
        """Write the site into ``folder`` (which exists and is empty)."""
        check_package(package, reserved=_RESERVED)
        work = package.work
        lang = work.language or "und"
        words, fallback = ui_words(lang)
        site_title = work.title or package.slug
        license_url = None
        if work.license is not None:
            license_url = load_catalog().get(work.license).url
        jsonld = jsonld_text(package.metadata)
        pages = [_Page(f"{m.id}.html", m.title or m.id) for m in package.modules]
        common: dict[str, Any] = {
            "lang": lang,
            "dir": "rtl" if lang.split("-", maxsplit=1)[0].lower() in _RTL else "ltr",
            "ui": Markup(f' lang="{fallback}"') if fallback else "",
            "words": words,
            "site_title": site_title,
            "license_url": license_url,
            "notice": Markup(package.notice_html),
            "jsonld": None,
            "description": None,
            "prev": None,
            "next": None,
        }
        env = _environment()

        def render(name: str, target: str, **context: Any) -> None:
            text = env.get_template(f"site/{name}").render({**common, **context})
            (folder / target).write_bytes(text.encode("utf-8"))

        render(
            "index.html.j2",
            "index.html",
            page_title=site_title,
            jsonld=Markup(jsonld),
            description=package.description,
            authors=[(a.name, http_url(a.url)) for a in work.authors],
            outcomes=package.learning_outcomes,
            modules=pages,
            modified=package.modified,
        )
        for i, module in enumerate(package.modules):
            content, has_title = _page_content(module.html, module.title)
            render(
                "module.html.j2",
                pages[i].href,
                page_title=f"{pages[i].title} – {site_title}",
                title=None if has_title else pages[i].title,
                content=Markup(content),
                prev=pages[i - 1] if i > 0 else None,
                next=pages[i + 1] if i + 1 < len(pages) else None,
            )
        render(
            "credits.html.j2",
            "credits.html",
            page_title=f"{words['credits']} – {site_title}",
            credits=Markup(_page_content(package.credits_html, None)[0]),
            prev=pages[-1] if pages else None,
        )
        (folder / "metadata.jsonld").write_bytes(jsonld.encode("utf-8"))
        css = files("oerremix") / "templates" / "site" / "style.css"
        (folder / "style.css").write_bytes(css.read_bytes())
        write_media(package, folder)


WRITER = SiteWriter()
"""The ``html`` writer."""
