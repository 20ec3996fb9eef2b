"""The Markdown writer (output name ``markdown``): a folder of CommonMark files.

What it writes (see docs/outputs-markdown.md)::

    README.md         title, authors, description, learning outcomes, contents, licence notice
    01-<id>.md …      one file per module, in order: YAML front matter, then the content
    CREDITS.md        every source and third-party item (``Package.credits_markdown``)
    metadata.jsonld   schema.org/LRMI metadata, keys sorted (the same file as the HTML site's)
    media/…           the package's files

Every file ends with the licence notice of the new work (its links kept) and links to the
credits and the metadata. The front matter is written by :func:`yaml.safe_dump`, so a value is
always a YAML string, whatever it holds. Untrusted text (titles, names, description, outcomes)
is escaped so that no character of it becomes Markdown or HTML. The same package always gives
byte-identical files.

The module content, sanitised HTML, is converted by :func:`html_to_markdown`: headings,
paragraphs, emphasis, links, images, lists, code, quotations, simple tables (as GFM pipe
tables) and figures (the image, then the caption) become Markdown; what Markdown cannot say
(MathML, tables with merged cells, row headers or block content, definition lists, media
players) is kept as HTML, which Markdown allows.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from lxml import html as lxml_html

from oerremix._attribution_render import _md as md_text
from oerremix._markup import parse_html
from oerremix.catalog import load_catalog
from oerremix.writers import Package
from oerremix.writers.site import (
    arrange_headings,
    check_package,
    http_url,
    jsonld_text,
    ui_words,
    write_media,
)

__all__ = ["WRITER", "MarkdownWriter", "html_to_markdown"]

_Mode = Literal["normal", "heading", "table"]

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CONTAINERS = frozenset(
    {"div", "section", "article", "aside", "header", "footer", "main", "nav", "figure",
     "figcaption", "body"}
)  # fmt: skip
"""Blocks written as their content: figure captions become a paragraph after the image."""
_RAW_BLOCKS = frozenset(
    {"dl", "details", "video", "audio", "iframe", "object", "embed", "canvas", "svg", "form",
     "fieldset", "address", "hgroup", "menu", "search", "dialog", "noscript", "template"}
)  # fmt: skip
"""Blocks Markdown has no syntax for: kept as HTML."""
_BLOCKS = frozenset(
    {"p", "ul", "ol", "li", "pre", "blockquote", "table", "hr", *_HEADINGS, *_CONTAINERS,
     *_RAW_BLOCKS}
)  # fmt: skip
_RAW_INLINE = frozenset(
    {"sub", "sup", "u", "mark", "small", "abbr", "q", "s", "del", "ins", "time", "dfn", "cite",
     "bdi", "bdo", "kbd", "samp", "var"}
)  # fmt: skip
"""Inline elements without Markdown syntax: their tags are kept around converted content."""
_VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "source", "track", "wbr"})
_NOT_IN_CELL = frozenset(
    {"ul", "ol", "table", "pre", "blockquote", "figure", "hr", *_HEADINGS, *_RAW_BLOCKS}
)
_URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite", "data", "action", "formaction"})
_SCHEMES = ("http", "https", "mailto")
_SPACE = re.compile(r"[ \t\n\r\f]+")
_LIST_START = re.compile(r"(\d{1,9})([.)])")
_TEXT_ENTITIES = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "*": "&#42;", "_": "&#95;",
    "`": "&#96;", "[": "&#91;", "]": "&#93;", "\\": "&#92;", "|": "&#124;", "~": "&#126;",
}  # fmt: skip
_RAW_ESCAPE = re.compile("[" + re.escape("".join(_TEXT_ENTITIES)) + "]")


def _entities(text: str) -> str:
    """Escape text inside kept HTML so neither HTML nor Markdown reads anything in it."""
    return _RAW_ESCAPE.sub(lambda m: _TEXT_ENTITIES[m.group(0)], text)


def _safe_url(url: str) -> bool:
    scheme = urllib.parse.urlsplit(url.strip()).scheme.lower()
    return not scheme or scheme in _SCHEMES


def _md_url(url: str) -> str:
    """A link destination: characters a destination cannot hold percent-encoded; in angle
    brackets only when its parentheses are unbalanced.

    >>> _md_url("media/a b.png"), _md_url("https://w.org/A_(b)"), _md_url("x)")
    ('media/a%20b.png', 'https://w.org/A_(b)', '<x)>')
    """
    encoded = "".join(
        f"%{ord(ch):02X}" if ch in " <>\\|`" or ord(ch) < 32 or ord(ch) == 127 else ch
        for ch in url.strip()
    )
    depth = 0
    for ch in encoded:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            break
    return encoded if depth == 0 else f"<{encoded}>"


def _md_title(title: str | None, mode: _Mode) -> str:
    """A link or image title (empty without one); in a table ``|`` is escaped too."""
    if not title:
        return ""
    specials = '\\"|' if mode == "table" else '\\"'
    escaped = "".join("\\" + ch if ch in specials else ch for ch in _SPACE.sub(" ", title))
    return f' "{escaped}"'


def _code_span(code: str, mode: _Mode) -> str:
    code = _SPACE.sub(" ", code)
    if not code.strip():
        return md_text(code)
    if mode == "table":
        code = code.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    if code.startswith(("`", " ")) or code.endswith(("`", " ")):
        code = f" {code} "
    return f"{fence}{code}{fence}"


def _emphasis(inner: str, mark: str) -> str:
    """Wrap converted content in ``mark``, leaving its outer white space outside."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _protect_blank_lines(text: str) -> str:
    """HTML blocks end at a blank line: write each newline before one as ``&#10;``."""
    return re.sub(r"\n(?=[ \t]*(?:\n|$))", "&#10;", text)


def _paragraph(inline: str) -> str:
    """Tidy converted inline content into paragraph lines; make line starts inert.

    Only a ``<br>`` puts a line break (``\\`` + newline) into converted inline content.
    """
    segments = inline.split("\n")
    lines = []
    for segment in [s.removesuffix("\\") for s in segments[:-1]] + segments[-1:]:
        line = segment.strip()
        if line[:1] in ("-", "+", "="):
            line = "\\" + line  # a bullet, or a setext heading underline
        elif m := _LIST_START.match(line):
            line = f"{m.group(1)}\\{line[m.end(1) :]}"  # an ordered-list marker
        if line:
            lines.append(line)
    return "\\\n".join(lines)


class _Converter:
    """Sanitised HTML to Markdown; ``links`` maps module pages to their Markdown files."""

    def __init__(self, links: Mapping[str, str]) -> None:
        self.links = links

    # -- blocks ------------------------------------------------------------------------------

    def blocks(self, container: lxml_html.HtmlElement) -> list[str]:
        """Convert what ``container`` holds; loose inline content becomes paragraphs."""
        out: list[str] = []
        run: list[str] = []

        def flush() -> None:
            if text := _paragraph("".join(run)):
                out.append(text)
            run.clear()

        if container.text:
            run.append(self.text(container.text))
        for child in container:
            if isinstance(child.tag, str):
                if child.tag in _BLOCKS:
                    flush()
                    out.extend(block for block in self.block(child) if block)
                else:
                    run.append(self.inline(child, "normal"))
            if child.tail:
                run.append(self.text(child.tail))
        flush()
        return out

    def block(self, el: lxml_html.HtmlElement) -> list[str]:
        tag = el.tag
        if tag in _HEADINGS:
            content = self.inline_content(el, "heading").strip()
            return [f"{'#' * _HEADINGS[tag]} {content}"] if content else []
        if tag == "p":
            text = _paragraph(self.inline_content(el, "normal"))
            return [text] if text else []
        if tag in ("ul", "ol"):
            return [self.list_block(el)]
        if tag == "li":  # outside a list: its content
            return self.blocks(el)
        if tag == "pre":
            return [self.pre(el)]
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(el))
            return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
        if tag == "table":
            return self.table(el)
        if tag == "hr":
            return ["---"]
        if tag in _CONTAINERS:
            return self.blocks(el)
        return [self.raw_block(el)]

    def list_block(self, el: lxml_html.HtmlElement) -> str:
        ordered = el.tag == "ol"
        start_attr = (el.get("start") or "1").strip()
        start = int(start_attr) if ordered and start_attr.isdigit() else 1
        items = [child for child in el if isinstance(child.tag, str)]
        tight = not any(
            sub.tag in _BLOCKS and sub.tag not in ("ul", "ol")
            for item in items
            for sub in item
            if isinstance(sub.tag, str)
        )
        rendered = []
        for n, item in enumerate(items):
            marker = f"{start + n}." if ordered else "-"
            if item.tag == "li":
                parts = self.blocks(item)
            elif item.tag in _BLOCKS:
                parts = self.block(item)
            else:
                parts = [_paragraph(self.inline(item, "normal"))]
            body = ""
            for part in parts:
                if not body:
                    body = part
                elif tight and not (_LIST_START.match(part) and not part.startswith("1.")):
                    body += "\n" + part  # a nested list in a tight item
                else:
                    body += "\n\n" + part
            indent = " " * (len(marker) + 1)
            lines = body.split("\n")
            first = f"{marker} {lines[0]}" if lines[0] else marker
            rendered.append("\n".join([first, *(indent + ln if ln else "" for ln in lines[1:])]))
        return ("\n" if tight else "\n\n").join(rendered)

    def pre(self, el: lxml_html.HtmlElement) -> str:
        children = [child for child in el if isinstance(child.tag, str)]
        code = children[0] if len(children) == 1 and children[0].tag == "code" else el
        language = ""
        for name in (code.get("class") or "").split():
            if name.startswith("language-") and re.fullmatch(r"[\w+#.-]+", name[9:]):
                language = name[9:]
                break
        text = el.text_content()
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}{language}\n{text if text.endswith(chr(10)) else text + chr(10)}{fence}"

    def table(self, el: lxml_html.HtmlElement) -> list[str]:
        head = el.xpath("./thead/tr")
        rows = el.xpath("./thead/tr | ./tbody/tr | ./tr | ./tfoot/tr")
        cells = [[c for c in row if c.tag in ("td", "th")] for row in rows]
        header = cells[0] if cells else []
        simple = (
            bool(header)
            and len(head) <= 1
            and (len(head) == 1 or all(c.tag == "th" for c in header))
            and not any(c.tag == "th" for row in cells[1:] for c in row)
            and all(
                (c.get("colspan") or "1").strip() == "1"
                and (c.get("rowspan") or "1").strip() == "1"
                and not c.xpath(".//*[" + " or ".join(f"self::{t}" for t in _NOT_IN_CELL) + "]")
                and len(c.findall(".//p")) <= 1
                for row in cells
                for c in row
            )
        )
        if not simple:
            return [self.raw_block(el)]
        width = max(len(row) for row in cells)

        def line(row: list[lxml_html.HtmlElement]) -> str:
            texts = [self.inline_content(c, "table").strip() for c in row]
            texts += [""] * (width - len(texts))
            return "| " + " | ".join(texts) + " |"

        table = "\n".join(
            [line(header), "| " + " | ".join(["---"] * width) + " |", *map(line, cells[1:])]
        )
        caption = el.find("caption")
        if caption is not None and (text := _paragraph(self.inline_content(caption, "normal"))):
            return [text, table]
        return [table]

    # -- inline ------------------------------------------------------------------------------

    def text(self, text: str) -> str:
        return md_text(_SPACE.sub(" ", text))

    def inline_content(self, el: lxml_html.HtmlElement, mode: _Mode) -> str:
        out = [self.text(el.text)] if el.text else []
        for child in el:
            if isinstance(child.tag, str):
                out.append(self.inline(child, mode))
            if child.tail:
                out.append(self.text(child.tail))
        return "".join(out)

    def inline(self, el: lxml_html.HtmlElement, mode: _Mode) -> str:
        tag = el.tag
        if tag == "br":
            return {"normal": "\\\n", "heading": " ", "table": "<br>"}[mode]
        if tag == "wbr":
            return ""
        if tag == "img":
            return self.image(el, mode)
        if tag == "code":
            return _code_span(el.text_content(), mode)
        if tag == "math":
            return self.raw(el, inline=True)
        inner = self.inline_content(el, mode)
        if tag == "a":
            return self.link(el, inner, mode)
        if tag in ("em", "i"):
            return _emphasis(inner, "*")
        if tag in ("strong", "b"):
            return _emphasis(inner, "**")
        if tag in _RAW_INLINE or (tag == "span" and (el.get("lang") or el.get("dir"))):
            return f"{self.start_tag(el)}{inner}</{tag}>"
        return inner

    def link(self, el: lxml_html.HtmlElement, inner: str, mode: _Mode) -> str:
        href = (el.get("href") or "").strip()
        if not href or not _safe_url(href):
            return inner
        parts = urllib.parse.urlsplit(href)
        if not parts.scheme and not parts.netloc and parts.path in self.links:
            href = urllib.parse.urlunsplit(parts._replace(path=self.links[parts.path]))
        if not inner.strip():
            inner = md_text(href)
        return f"[{inner}]({_md_url(href)}{_md_title(el.get('title'), mode)})"

    def image(self, el: lxml_html.HtmlElement, mode: _Mode) -> str:
        src = (el.get("src") or "").strip()
        alt = md_text(_SPACE.sub(" ", el.get("alt") or "").strip())
        if not src or not _safe_url(src):
            return alt
        return f"![{alt}]({_md_url(src)}{_md_title(el.get('title'), mode)})"

    # -- HTML kept as it is ------------------------------------------------------------------

    def start_tag(self, el: lxml_html.HtmlElement) -> str:
        attrs = []
        for name, value in el.attrib.items():
            key = str(name).lower()
            if key.startswith("on") or key == "style" or not re.fullmatch(r"[a-z_:][\w.:-]*", key):
                continue
            if key in _URL_ATTRIBUTES and not _safe_url(value):
                continue
            attrs.append(f' {key}="{_entities(value).replace(chr(10), "&#10;")}"')
        return f"<{el.tag}{''.join(attrs)}>"

    def raw(self, el: lxml_html.HtmlElement, *, inline: bool) -> str:
        """``el`` as HTML, every text escaped for HTML and Markdown alike."""
        out = [self.start_tag(el)]
        if el.text:
            out.append(_entities(_SPACE.sub(" ", el.text) if inline else el.text))
        for child in el:
            if isinstance(child.tag, str):
                out.append(self.raw(child, inline=inline))
            if child.tail:
                out.append(_entities(_SPACE.sub(" ", child.tail) if inline else child.tail))
        if el.tag not in _VOID:
            out.append(f"</{el.tag}>")
        return "".join(out)

    def raw_block(self, el: lxml_html.HtmlElement) -> str:
        """An HTML block: the start tag alone on its first line (so CommonMark sees a block
        whatever the element), no blank line inside."""
        inner = self.raw(el, inline=False)
        start = self.start_tag(el)
        body = inner[len(start) :]
        if el.tag not in _VOID and body.endswith(f"</{el.tag}>"):
            body = body[: -len(f"</{el.tag}>")] + f"\n</{el.tag}>"
        return _protect_blank_lines(f"{start}\n{body.strip(chr(10))}".rstrip("\n"))


def html_to_markdown(fragment: str, *, links: Mapping[str, str] | None = None) -> str:
    """Convert a sanitised HTML fragment to CommonMark (with GFM pipe tables).

    ``links`` maps link targets (``ch2.html``) to the files they became (``02-ch2.md``). If
    the fragment has an ``<h1>``, every heading moves one level down, so the file's own title
    stays its only top-level heading. Escaped text stays text:

    >>> html = '<h2>Ohm’s *law*</h2><p>V = <em>I</em>R, see <a href="ch2.html#p">power</a>.</p>'
    >>> print(html_to_markdown(html, links={"ch2.html": "02-ch2.md"}))
    ## Ohm’s \\*law\\*
    <BLANKLINE>
    V = *I*R, see [power](02-ch2.md#p).
    <BLANKLINE>
    """
    return _convert(fragment, links or {}, None)[0]


def _convert(fragment: str, links: Mapping[str, str], title: str | None) -> tuple[str, bool]:
    """The Markdown of ``fragment``, and whether it opens with ``title`` as its top heading
    (then the file must not repeat the title; see :func:`~oerremix.writers.site.arrange_headings`).
    """
    if not fragment.strip():
        return "", False
    body = parse_html(fragment).body
    has_title = arrange_headings(body, title)
    blocks = _Converter(links).blocks(body)
    return ("\n\n".join(blocks) + "\n" if blocks else ""), has_title


def front_matter(data: Mapping[str, Any]) -> str:
    """``data`` as a YAML front matter block, by :func:`yaml.safe_dump`.

    Non-ASCII text is written as it is, unless a value holds a character some readers take for
    a line break (U+0085, U+2028, U+2029): then everything non-ASCII is escaped.
    """
    text = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True)
    if any(ch in text for ch in "\x85\u2028\u2029"):
        text = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=False)
    return f"---\n{text}---\n"


def _link(text: str, target: str) -> str:
    return f"[{md_text(text)}]({_md_url(target)})"


def _list(items: Iterable[str], *, ordered: bool = False) -> str:
    return "\n".join(
        f"{n}. {item}" if ordered else f"- {item}" for n, item in enumerate(items, start=1)
    )


def _inline_text(text: str) -> str:
    """Untrusted text as one inert Markdown paragraph line."""
    return _paragraph(md_text(_SPACE.sub(" ", text)))


class MarkdownWriter:
    """Writes a :class:`~oerremix.writers.Package` as a folder of Markdown files."""

    name = "markdown"

    def write(self, package: Package, folder: Path) -> None:
        """Write the Markdown files into ``folder`` (which exists and is empty)."""
        check_package(package)
        work = package.work
        words = ui_words(work.language or "und")[0]
        title = work.title or package.slug
        lic = load_catalog().get(work.license) if work.license is not None else None
        width = max(2, len(str(len(package.modules))))
        names = [f"{n:0{width}d}-{m.id}.md" for n, m in enumerate(package.modules, start=1)]
        titles = [m.title or m.id for m in package.modules]
        links = {f"{m.id}.html": name for m, name in zip(package.modules, names, strict=True)}
        links |= {"index.html": "README.md", "credits.html": "CREDITS.md"}

        notice = html_to_markdown(package.notice_html, links=links).strip()
        if lic is not None and lic.url and lic.url not in notice:
            notice += f"\n\n{md_text(words['license'])}: {_link(lic.short_name, lic.url)}"
        footer = (
            f"---\n\n{notice}\n\n{_link(words['credits'], 'CREDITS.md')} · "
            f"{_link(words['metadata'], 'metadata.jsonld')}\n"
        )

        def write(name: str, text: str) -> None:
            (folder / name).write_bytes(text.encode("utf-8"))

        readme = [f"# {_inline_text(title)}"]
        if work.authors:
            people = ", ".join(
                _link(a.name, url) if (url := http_url(a.url)) else md_text(a.name)
                for a in work.authors
            )
            readme.append(f"{md_text(words['authors'])}: {people}")
        if package.description and (text := _inline_text(package.description)):
            readme.append(text)
        if package.learning_outcomes:
            readme.append(f"## {md_text(words['outcomes'])}")
            readme.append(_list(_inline_text(o) for o in package.learning_outcomes))
        readme.append(f"## {md_text(words['contents'])}")
        readme.append(
            _list(
                [
                    *(_link(t, n) for t, n in zip(titles, names, strict=True)),
                    _link(words["credits"], "CREDITS.md"),
                ],
                ordered=True,
            )
        )
        readme.append(f"{md_text(words['updated'])}: {md_text(package.modified)}")
        write("README.md", "\n\n".join(readme) + "\n\n" + footer)

        authors = [
            {"name": a.name, **({"url": url} if (url := http_url(a.url)) else {})}
            for a in work.authors
        ]
        for n, module in enumerate(package.modules):
            meta = {
                "title": module.title,
                "module": module.id,
                "license": work.license,
                "license_url": lic.url if lic is not None else None,
                "authors": authors,
                "language": work.language,
            }
            pager = [
                f"{md_text(words['previous'])}: {_link(titles[n - 1], names[n - 1])}"
                if n > 0
                else "",
                _link(words["contents"], "README.md"),
                f"{md_text(words['next'])}: {_link(titles[n + 1], names[n + 1])}"
                if n + 1 < len(names)
                else "",
            ]
            body, has_title = _convert(module.html, links, module.title)
            heading = "" if has_title else f"# {_inline_text(titles[n])}\n\n"
            write(
                names[n],
                f"{front_matter(meta)}\n{heading}"
                + (f"{body}\n" if body else "")
                + f"{' · '.join(p for p in pager if p)}\n\n{footer}",
            )
        credits = package.credits_markdown.strip()
        write(
            "CREDITS.md",
            f"# {md_text(words['credits'])}\n\n" + (f"{credits}\n\n" if credits else "") + footer,
        )
        write("metadata.jsonld", jsonld_text(package.metadata))
        write_media(package, folder)


WRITER = MarkdownWriter()
"""The ``markdown`` writer."""
