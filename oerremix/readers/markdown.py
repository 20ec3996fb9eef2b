"""Read Markdown: one file, or a folder of chapters (a book, a course repository).

A file may start with YAML front matter (``---`` … ``---``: ``title``, ``author``/``authors``,
``license``, ``lang``, ``date``, ``description``, ``isBasedOn`` …) or a LiaScript header (an HTML
comment of ``key: value`` lines: ``author``, ``email``, ``version``, ``language``, ``logo``,
``attribute`` …). Its text is rendered as CommonMark (tables, raw HTML; see
:mod:`oerremix._markdown`), then read as a page: headings become sections, images become assets
with the credit in their title or in the caption line that follows them, "adapted from …"
sentences with a link become lineage.

A folder is a book: its chapters are the files a ``SUMMARY.md`` (mdBook, GitBook), a
``_toc.yml`` (Jupyter Book) or an ``index.md`` (itself first) lists, else every Markdown file in
natural order (``REF_2`` before ``REF_10``), leaving out READMEs, LICENSE files and the like.
Each chapter is a section; headings inside it are sub-sections; chapters are read again only
when their content is asked for. The book's
licence comes from what speaks for the whole book: LICENSE/COPYING files, READMEs (at the top
and on the way to the chapters), a ``metadata.yml``/``metadata.yaml`` (pandoc metadata or the AMB
schema.org profile used in git-based OER) or a ``metadata.jsonld`` (schema.org, as oerremix's
own packages carry), a chapter about the licence ("Appendix 3: CC BY
License"), and the only chapter when there is one. Statements that disagree give
``license_status="conflict"`` with every statement kept as evidence. A chapter's own
machine-readable licence (front matter ``license``) is its section's licence.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from lxml import etree
from lxml.html import HtmlElement

from oerremix._markup import fragment_html
from oerremix._parallel import ambient_jobs, ordered_map
from oerremix.detect import detect, detect_tree
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import Asset, AssetKind, Author, Provenance, Section, Work
from oerremix.readers import MAX_FILE_BYTES, Input
from oerremix.readers._copyright import find_copyright
from oerremix.readers._licensing import (
    Claim,
    claim_from_detection,
    decide,
    except_where_noted,
    metadata_claim,
)
from oerremix.readers._lineage import find_lineage
from oerremix.readers._md_figures import Runs, images
from oerremix.readers._md_render import parsed, rendered
from oerremix.readers._page_assets import media_addresses, page_assets
from oerremix.readers._schema_values import based_on_values, split_names
from oerremix.readers._sections import (
    Outline,
    PageSections,
    natural_order,
    outline,
    plan_sections,
)
from oerremix.readers._urls import urljoin, urlsplit
from oerremix.readers.html import licence_tree, statement_claim

__all__ = ["MAX_FRONT_MATTER_BYTES", "READER", "MarkdownReader"]

MAX_FRONT_MATTER_BYTES = 64 * 1024
"""The largest front matter or metadata file read (YAML beyond it is refused as unsafe)."""

_MAX_FILES = 5000
_SUFFIXES = (".md", ".markdown")
_NOT_CHAPTERS = frozenset(
    {
        *("readme", "license", "licence", "copying", "contributing", "code_of_conduct"),
        *("changelog", "changes", "history", "summary", "security", "authors", "notice"),
        *("credits", "citation", "support", "governance", "maintainers"),
    }
)
_SKIPPED_DIRS = frozenset({"node_modules", "_build", "site", "vendor", "venv", ".venv", "build"})
_LICENSE_FILE = re.compile(r"^(?:licen[cs]e|copying)(?:[-._].*)?$", re.IGNORECASE)
_README = re.compile(r"^readme(?:\.(?:md|markdown|txt|rst))?$", re.IGNORECASE)
_NOTICE_CHAPTER = re.compile(r"licen[cs]|lizenz|licencia|copyright|nutzungsrecht", re.IGNORECASE)
_COPYRIGHT_ENTRY = re.compile(r"^\s*(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_LIASCRIPT_KEYS = frozenset(
    {"author", "email", "version", "language", "narrator", "comment", "logo", "attribute"}
)
_LIASCRIPT_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(.*)$")
_LOGO_CREDIT = re.compile(
    r"title\s*-?\s*(?:image|bild|picture)|titel\s*bild|titlebild|logo|cover", re.I
)
_VIDEO = re.compile(r"\.(?:mp4|webm|ogv|mov|m4v)(?:[?#].*)?$", re.IGNORECASE)
_AUDIO = re.compile(r"\.(?:mp3|ogg|oga|wav|m4a|flac|opus)(?:[?#].*)?$", re.IGNORECASE)


# --- YAML: front matter and metadata files -------------------------------------------------------


def _load_yaml(text: str, *, source: str, first_line: int) -> Any:
    """``yaml.safe_load`` with a size cap and no anchors or aliases; errors name the line."""
    if len(text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise UnsafeContentError(
            f"YAML metadata larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB",
            source=source,
            line=first_line,
        )
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise UnsafeContentError(
                    "YAML anchors and aliases (&name, *name) are not allowed in metadata",
                    source=source,
                    line=first_line + token.start_mark.line,
                )
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = "; ".join(p for p in (exc.context, exc.problem) if p) or "unreadable"
        line = None if mark is None else first_line + mark.line
        raise ReadError(f"not valid YAML: {problem}", source=source, line=line) from None
    except yaml.YAMLError as exc:
        raise ReadError(f"not valid YAML: {exc}", source=source, line=first_line) from None
    except RecursionError:
        raise UnsafeContentError("YAML nested too deeply", source=source, line=first_line) from None


def _front_matter(text: str, source: str) -> tuple[dict[str, Any] | None, int]:
    """The front matter mapping and the number of lines it takes (0 when there is none)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None, 0
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            data = _load_yaml("".join(lines[1:end]), source=source, first_line=2)
            if data is None:
                return {}, end + 1
            if not isinstance(data, dict):
                raise ReadError(
                    "front matter must be a mapping of keys to values", source=source, line=2
                )
            return data, end + 1
    return None, 0  # never closed: a thematic break, not front matter


def _liascript(text: str, offset: int) -> tuple[dict[str, list[list[str]]], int, int] | None:
    """A LiaScript header: its entries (each key may repeat) and its first and last line."""
    match = re.match(r"\s*<!--", text)
    if match is None:
        return None
    end = text.find("-->", match.end())
    if end < 0:
        return None
    entries: dict[str, list[list[str]]] = {}
    current: list[str] | None = None
    in_macro = False
    for line in text[match.end() : end].splitlines():
        stripped = line.strip()
        if in_macro:
            in_macro = stripped != "@end"
            continue
        if stripped.startswith("@"):
            in_macro = not re.match(r"@[\w.-]+\s*:", stripped)
            current = None
            continue
        key = _LIASCRIPT_LINE.match(line)
        if key:
            current = [key.group(2).strip()]
            entries.setdefault(key.group(1).lower(), []).append(current)
        elif current is not None and stripped and line[:1].isspace():
            current.append(stripped)
        else:
            current = None
    if not entries.keys() & _LIASCRIPT_KEYS:
        return None
    first = offset + text.count("\n", 0, match.start()) + 1
    last = offset + text.count("\n", 0, end) + 1
    return entries, first, last


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _lia_value(entries: Mapping[str, list[list[str]]], key: str) -> str | None:
    occurrences = entries.get(key)
    if not occurrences:
        return None
    text = _unquote(" ".join(part for part in occurrences[0] if part))
    return text or None


# --- one Markdown file -----------------------------------------------------------------------


@dataclass(slots=True)
class _Meta:
    """What a file (or a metadata file) says about the work, before the text is read."""

    title: str | None = None
    authors: list[Author] = field(default_factory=list)
    language: str | None = None
    year: int | None = None
    copyright: str | None = None
    url: str | None = None
    based_on: list[Work] = field(default_factory=list)
    claim: Claim | None = None
    noted: bool = False


def _year(value: object) -> int | None:
    match = re.search(r"\b(1[0-9]{3}|2[0-9]{3})\b", str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def _language(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, Mapping):
        value = value.get("code") or value.get("name")
    if not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-")
    return tag if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", tag) else None


def _authors(value: Any, *, commas: bool = False) -> tuple[list[Author], list[str]]:
    """Authors from a metadata value, and the entries that are copyright notes instead."""
    notes: list[str] = []
    authors: list[Author] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str) and _COPYRIGHT_ENTRY.match(item):
            notes.append(item.strip())
        elif isinstance(item, str):
            authors.extend(Author(n) for n in split_names(item, commas=commas))
        elif isinstance(item, Mapping):
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                parts = (item.get("givenName"), item.get("familyName"))
                name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
            url = next(
                (
                    v
                    for k in ("url", "id", "@id")
                    if isinstance(v := item.get(k), str) and re.match(r"https?://", v)
                ),
                None,
            )
            if name:
                authors.append(Author(" ".join(name.split()), url))
    return list(dict.fromkeys(authors)), notes


def _meta_from_mapping(data: Mapping[str, Any], where: str) -> _Meta:
    """Read front matter, pandoc metadata or an AMB ``metadata.yml``."""
    meta = _Meta()
    title = data.get("title") or data.get("name")
    meta.title = " ".join(title.split()) if isinstance(title, str) and title.strip() else None
    authors: list[Author] = []
    notes: list[str] = []
    for key in ("author", "authors", "creator"):
        if data.get(key):
            authors, notes = _authors(data[key])
            break
    meta.authors = authors
    meta.language = next(
        (lang for k in ("lang", "language", "inLanguage") if (lang := _language(data.get(k)))),
        None,
    )
    meta.year = next(
        (y for k in ("date", "datePublished", "year", "dateCreated") if (y := _year(data.get(k)))),
        None,
    )
    rights = next(
        (
            v
            for k in ("copyright", "rights", "copyrightNotice")
            if isinstance(v := data.get(k), str) and v.strip()
        ),
        None,
    )
    meta.copyright = rights.strip() if rights else (notes[0] if notes else None)
    meta.year = meta.year or _year(meta.copyright)
    url = next(
        (v for k in ("url", "id", "@id") if isinstance(v := data.get(k), str)),
        None,
    )
    meta.url = url if url and re.match(r"https?://", url) else None
    for key in ("isBasedOn", "is_based_on", "based_on", "basedOn"):
        meta.based_on += based_on_values(data.get(key))
    value = next((data[k] for k in ("license", "licence") if data.get(k)), None)
    if value is not None:
        meta.claim = metadata_claim(where, value)
    elif rights:
        meta.claim = claim_from_detection(where, detect(rights))
    meta.noted = any(
        isinstance(v, str) and except_where_noted(v)
        for v in (rights, value, data.get("description"))
    )
    return meta


def _meta_from_liascript(entries: Mapping[str, list[list[str]]]) -> _Meta:
    meta = _Meta()
    meta.title = _lia_value(entries, "title")
    author = _lia_value(entries, "author")
    meta.authors = [Author(n) for n in split_names(author, commas=True)] if author else []
    meta.language = _language(_lia_value(entries, "language"))
    meta.year = _year(_lia_value(entries, "date"))
    return meta


def _media_kind(source: str) -> AssetKind:
    return "video" if _VIDEO.search(source) else "audio" if _AUDIO.search(source) else "image"


@dataclass(frozen=True, slots=True)
class _File:
    """One Markdown file, read: its metadata, assets, licence statements and headings."""

    rel: str
    meta: _Meta
    html: str
    """The body rendered."""
    assets: tuple[Asset, ...]
    text_claim: Claim | None
    noted: bool
    lineage: tuple[Work, ...]
    copyright: str | None
    first_title: str | None
    outline: Outline
    """The rendered body's headings, for planning its sections."""


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReadError(f"not UTF-8 text: {exc.reason}", source=source, line=line) from None


@dataclass(frozen=True, slots=True)
class _Parts:
    """A file split into its front matter, its LiaScript header and the Markdown text."""

    front: dict[str, Any] | None
    header: dict[str, list[list[str]]] | None
    lines: list[str]
    """The text's lines, the front matter's and the header's blanked (line numbers stay)."""


def _split(data: bytes, source: str) -> _Parts:
    if b"\x00" in data[:4096]:
        raise ReadError("not a Markdown file: binary data", source=source)
    text = _decode(data, source).replace("\r\n", "\n")
    lines = text.split("\n")
    front, skip = _front_matter(text, source)
    for n in range(skip):
        lines[n] = ""
    found = _liascript("\n".join(lines[skip:]), skip)
    header = None
    if found is not None:
        header, first, last = found
        for n in range(first - 1, min(last, len(lines))):
            lines[n] = ""
    return _Parts(front, header, lines)


def _read_chapter(given: tuple[Path, str, str]) -> tuple[_File, str]:
    """A chapter of a book, read (a worker process may run this), and its file's SHA-256."""
    path, source, rel = given
    data = _read_bytes(path, source)
    return _read_file(data, source=source, rel=rel, base=rel), hashlib.sha256(data).hexdigest()


def _read_file(data: bytes, *, source: str, rel: str, base: str | None) -> _File:
    """Read one file; ``base`` resolves relative image paths (a path inside a book)."""
    parts = _split(data, source)
    lines = parts.lines
    meta = _meta_from_mapping(parts.front, f"{rel} front matter") if parts.front else _Meta()
    assets: list[Asset] = []
    if parts.header is not None:
        lia = _meta_from_liascript(parts.header)
        meta.title = meta.title or lia.title
        meta.authors = meta.authors or lia.authors
        meta.language = meta.language or lia.language
        meta.year = meta.year or lia.year
        assets.extend(_liascript_assets(parts.header, source=source, base=base))
    body = "\n".join(lines)
    # every Markdown image, in a paragraph or in raw HTML, is written with "!["
    figures = images(Runs(body).runs, lines, base) if "![" in body else []
    for image in figures:
        assets.append(
            Asset(
                kind=_media_kind(image.source),
                source=image.source,
                title=image.title,
                license=image.license,
                credit=image.credit,
            )
        )
    credit_lines = {n for image in figures for n in image.credit_lines}
    licence_text = "\n".join("" if n in credit_lines else line for n, line in enumerate(lines))
    whole = rendered(body, source=source)
    page = whole.find("body")
    html = fragment_html(page) if page is not None else ""
    root = whole if licence_text == body else rendered(licence_text, source=source)
    if not _figures_only(root, {image.address for image in figures}, base):
        assets.extend(page_assets(root, base=base))  # raw HTML's figures, videos, embeds
    text_claim = claim_from_detection(rel, detect_tree(licence_tree(root)))
    page_text = _plain(root)
    if text_claim is None:
        text_claim = statement_claim(rel, page_text) if _RESERVED.search(body) else None
    headings = list(root.iter("h1", "h2", "h3", "h4", "h5", "h6"))
    top = next((h for h in headings if h.tag == "h1"), headings[0] if headings else None)
    first_title = " ".join(top.text_content().split()) if top is not None else None
    unique: dict[str, Asset] = {}
    for asset in assets:
        unique.setdefault(asset.source, asset)
    return _File(
        rel=rel,
        meta=meta,
        html=html,
        assets=tuple(unique.values()),
        text_claim=text_claim,
        noted=except_where_noted(page_text) or meta.noted,
        lineage=tuple(find_lineage(root)),
        copyright=find_copyright(page_text),
        first_title=first_title or None,
        outline=outline(page) if page is not None else Outline(lead=True, headings=()),
    )


_RESERVED = re.compile(r"reserv|vorbehalten", re.IGNORECASE)


def _figures_only(root: HtmlElement, addresses: set[str], base: str | None) -> bool:
    """Whether :func:`page_assets` would find no asset in ``root`` that is not a figure
    already: every address it reads is a figure's (``addresses``), which it resolves as
    :func:`images` did when ``base`` names no scheme (an address with one is kept as it is)."""
    if base and urlsplit(base).scheme:
        return False
    found = media_addresses(root)
    return found is not None and all(address in addresses for address in found)


_TEXTS = etree.XPath("descendant::text()", smart_strings=False)
"""The text nodes under an element, as ``itertext()`` gives them (one XPath call in C, where
``itertext()`` steps through the tree from Python)."""


def _plain(root: HtmlElement) -> str:
    texts = cast("list[str]", _TEXTS(root))  # text nodes without smart strings: plain str
    return "\n".join(" ".join(t.split()) for t in texts if t.strip())


def _liascript_assets(
    entries: Mapping[str, list[list[str]]], *, source: str, base: str | None
) -> list[Asset]:
    """The ``attribute:`` credits of a LiaScript header, the title image's first of all."""
    logo = _lia_value(entries, "logo")
    credits = [_unquote(" ".join(p for p in parts if p)) for parts in entries.get("attribute", [])]
    credits = [c for c in credits if c]
    assets: list[Asset] = []
    logo_used = False
    for n, credit in enumerate(credits):
        links = [u for u in re.findall(r"https?://[^\s<>()\"']+", credit) if not _is_license(u)]
        # one attribute with a logo is the logo's credit (the title image is what LiaScript
        # courses credit there); with several, the one naming the title image is
        about_logo = (
            logo is not None
            and not logo_used
            and (len(credits) == 1 or bool(_LOGO_CREDIT.search(credit)))
        )
        if about_logo and logo is not None:
            target, logo_used = logo, True
        elif links:
            target = links[0].rstrip(".,;")
        else:
            target = f"{source}#attribute-{n + 1}"
        if base and not urlsplit(target).scheme and "#attribute-" not in target:
            target = urljoin(base, target)
        assets.append(
            Asset(
                kind="image" if target == logo or about_logo else _media_kind(target),
                source=target,
                title="Title image" if about_logo else None,
                license=detect(credit).license_id,
                credit=credit,
            )
        )
    if logo and not logo_used:
        target = urljoin(base, logo) if base and not urlsplit(logo).scheme else logo
        assets.append(Asset(kind="image", source=target, title="Title image"))
    return assets


def _is_license(url: str) -> bool:
    return bool(re.search(r"creativecommons\.org/(?:licenses|publicdomain)/", url, re.I))


def _inherit(assets: Sequence[Asset], license_id: str | None, noted: bool) -> tuple[Asset, ...]:
    """Give the work's licence to items with no statement of their own, where the work says so."""
    if license_id is None or not noted:
        return tuple(assets)
    return tuple(
        asset.replace(license=license_id, license_inherited=True)
        if asset.license is None
        and asset.credit is None
        and not urlsplit(asset.source).scheme
        and "#attribute-" not in asset.source
        else asset
        for asset in assets
    )


# --- the reader ----------------------------------------------------------------------------------


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _walk(root: Path) -> Iterator[Path]:
    """Every file under ``root`` (hidden and build folders left out), at most a few thousand."""
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(files):
            count += 1
            if count > _MAX_FILES * 4:
                raise UnsafeContentError(
                    f"more than {_MAX_FILES * 4} files in the folder", source=str(root)
                )
            yield Path(folder) / name


def _read_bytes(path: Path, location: str) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UnsafeContentError(
                f"file is larger than {MAX_FILE_BYTES // 2**20} MiB", source=location
            )
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(exc.strerror or "cannot read", source=location) from None


@dataclass(frozen=True, slots=True)
class _Toc:
    """Chapters in order and where the order came from."""

    chapters: tuple[Path, ...]
    file: Path | None
    title: str | None


def _summary(root: Path, summary: Path, display: str, *, index: bool = False) -> _Toc:
    """The chapters a ``SUMMARY.md`` links to, in order (an ``index.md`` is itself the first).

    A ``SUMMARY.md`` entry whose file is missing is an error; a broken link in an index is not.
    """
    text = _decode(_read_bytes(summary, display), display)
    chapters: list[Path] = [summary] if index else []
    title = None
    for number, line in enumerate(text.splitlines(), start=1):
        heading = re.match(r"#\s+(.+?)\s*#*$", line)
        if heading and title is None:
            title = heading.group(1).strip()
        for target in re.findall(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", line):
            if urlsplit(target).scheme or not target.split("#")[0].lower().endswith(_SUFFIXES):
                continue
            path = summary.parent / target.split("#")[0]
            if not _inside(root, path):
                raise UnsafeContentError(
                    f"{target!r} is outside the folder", source=display, line=number
                )
            if not path.is_file() and index:
                continue
            if not path.is_file():
                raise ReadError(
                    f"lists {target!r}, which does not exist", source=display, line=number
                )
            if path not in chapters:
                chapters.append(path)
    generic = title is None or title.casefold() in {"summary", "table of contents", "contents"}
    return _Toc(tuple(chapters), summary, None if generic else title)


def _jupyter_toc(root: Path, toc: Path, display: str) -> _Toc:
    data = _load_yaml(_decode(_read_bytes(toc, display), display), source=display, first_line=1)
    names: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            for key in ("root", "file"):
                if isinstance(value.get(key), str):
                    names.append(value[key])
            for key in ("parts", "chapters", "sections", "entries"):
                walk(value.get(key))
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    chapters: list[Path] = []
    for name in names:
        candidates = [toc.parent / name] + [toc.parent / f"{name}{s}" for s in _SUFFIXES]
        path = next((c for c in candidates if c.is_file() and c.suffix.lower() in _SUFFIXES), None)
        if path is None:
            if not any(c.exists() for c in [toc.parent / f"{name}.ipynb", toc.parent / name]):
                raise ReadError(f"lists {name!r}, which does not exist", source=display)
            continue  # a notebook or another format this reader does not read
        if not _inside(root, path):
            raise UnsafeContentError(f"{name!r} is outside the folder", source=display)
        if path not in chapters:
            chapters.append(path)
    return _Toc(tuple(chapters), toc, None)


def _chapters(root: Path, location: str, files: Sequence[Path]) -> _Toc:
    for name in ("SUMMARY.md", "src/SUMMARY.md", "docs/SUMMARY.md"):
        if (root / name).is_file():
            return _summary(root, root / name, os.path.join(location, name))
    for name in ("_toc.yml", "_toc.yaml"):
        if (root / name).is_file():
            return _jupyter_toc(root, root / name, os.path.join(location, name))
    for name in ("index.md", "index.markdown"):
        if (root / name).is_file():
            listed = _summary(root, root / name, os.path.join(location, name), index=True)
            if len(listed.chapters) > 2:  # the index and at least two chapters it lists
                return _Toc(listed.chapters, listed.file, None)
    chapters = [
        f
        for f in files
        if f.suffix.lower() in _SUFFIXES
        and f.stem.casefold() not in _NOT_CHAPTERS
        and _inside(root, f)
    ]
    if len(chapters) > _MAX_FILES:
        raise UnsafeContentError(f"more than {_MAX_FILES} Markdown files", source=location)
    chapters.sort(key=lambda f: natural_order(f.relative_to(root).as_posix()))
    return _Toc(tuple(chapters), None, None)


class MarkdownReader:
    """Reads a Markdown file or a folder of Markdown chapters (see the module documentation)."""

    name = "markdown"

    def sniff(self, source: Input) -> int:
        """Content decides: front matter or a LiaScript header 70–80, headings 40; ``.md`` helps."""
        if source.data is None:
            return self._sniff_folder(source.path)
        head = source.data[:16384]
        if b"\x00" in head[:4096]:
            return 0
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
        lower = text.lstrip().lower()
        if lower.startswith(("<!doctype", "<html", "<?xml", "{", "[{")):
            return 0
        named = source.name.lower().endswith(_SUFFIXES) or source.media_type in (
            "text/markdown",
            "text/x-markdown",
        )
        if re.match(r"---[ \t]*\r?\n", text) and re.search(r"\n(?:---|\.\.\.)[ \t]*\r?\n", text):
            score = 70
        elif _liascript(text, 0) is not None:
            score = 75
        elif re.search(r"^#{1,6}[ \t]+\S|^\S.*\r?\n(?:=+|-+)[ \t]*$", text, re.MULTILINE):
            score = 40
        elif re.search(r"!\[[^\]]*\]\([^)]+\)|\[[^\]]+\]\([^)]+\)|^```", text, re.MULTILINE):
            score = 20
        else:
            score = 0
        return min(95, score + 20) if named else score

    @staticmethod
    def _sniff_folder(path: Path | None) -> int:
        if path is None or not path.is_dir():
            return 0
        if any((path / name).exists() for name in ("imsmanifest.xml", "mimetype", "META-INF")):
            return 0
        if any((path / name).is_file() for name in ("SUMMARY.md", "_toc.yml", "_toc.yaml")):
            return 70
        try:
            for n, file in enumerate(_walk(path)):
                if file.suffix.lower() in _SUFFIXES:
                    return 50
                if n > 2000:
                    break
        except ReadError:
            return 0
        return 0

    def read(self, source: Input) -> Work:
        """Read a file or a folder; errors name the file (and line) at fault."""
        if source.data is not None:
            return self._read_one(source)
        if source.path is None or not source.path.is_dir():
            raise ReadError("nothing to read", source=source.location)
        return self._read_book(source.path, source.location, source.jobs)

    # --- one file ---

    @staticmethod
    def _read_one(source: Input) -> Work:
        assert source.data is not None
        file = _read_file(source.data, source=source.location, rel=source.name, base=None)
        meta = file.meta
        claims = [c for c in (meta.claim or file.text_claim,) if c is not None]
        license_id, status, evidence = decide(claims)
        noted = file.noted
        title = meta.title or file.first_title
        plan = plan_sections(file.outline, lead_title=title, used=set())
        sections = [section for section, _start, _end in plan]
        sources = _merge(meta.based_on + list(file.lineage))
        loader = _FileLoader(file.html, source.location, plan)
        return Work(
            title=title,
            url=meta.url or (source.location if re.match(r"https?://", source.location) else None),
            authors=tuple(meta.authors),
            license=license_id,
            year=meta.year or _year(meta.copyright or file.copyright),
            copyright=meta.copyright or file.copyright,
            language=meta.language,
            based_on=sources,
            assets=_inherit(file.assets, license_id, noted),
            sections=tuple(sections),
            provenance=Provenance(
                source=source.location,
                retrieved=Input.now(),
                sha256=source.sha256(),
                license_evidence=evidence,
                license_status=status,
            ),
            kind="adaptation" if sources else "work",
            content=Document(sections, loader),
        )

    # --- a folder ---

    @staticmethod
    def _read_book(root: Path, location: str, jobs: int | None = 1) -> Work:
        folder = _Folder(root, location)
        toc = _chapters(root, location, folder.files)
        if not toc.chapters:
            raise ReadError("no Markdown files in the folder", source=location)
        if toc.file is not None:
            folder.bytes_of(toc.file)
        given = [
            (path, folder.display(path), path.relative_to(root).as_posix()) for path in toc.chapters
        ]
        chapters: list[tuple[Path, _File]] = []
        for (path, _display, rel), (file, digest) in zip(
            given, ordered_map(_read_chapter, given, jobs, where=location), strict=True
        ):
            folder.hashes[rel] = digest
            chapters.append((path, file))
        dirs = {path.parent for path, _file in chapters}
        folders = {root} | {d for c in dirs for d in (c, *c.parents) if _inside(root, d)}
        book = _book_metadata(folder, folders)
        repo = _repository(folder, folders)
        claims = ([book.claim] if book.claim else []) + repo.claims
        noted = book.noted or repo.noted
        single = len(chapters) == 1
        for _path, file in chapters:
            # a chapter about the licence speaks for the book, and so does an only chapter
            named = file.meta.title or file.first_title or ""
            if file.text_claim is not None and (single or _NOTICE_CHAPTER.search(named)):
                claims.append(file.text_claim)
                noted = noted or file.noted
            if single and file.meta.claim is not None:
                claims.append(file.meta.claim)
                noted = noted or file.noted
        license_id, status, evidence = decide(claims)

        first = chapters[0][1]
        title = book.title or ((first.meta.title or first.first_title) if single else None)
        title = title or toc.title or repo.title
        authors = book.authors or list(
            dict.fromkeys(a for _p, f in chapters for a in f.meta.authors)
        )
        languages = {f.meta.language for _p, f in chapters if f.meta.language}
        language = book.language or (languages.pop() if len(languages) == 1 else None)
        notice = book.copyright or repo.copyright
        if notice is None and single:
            notice = first.meta.copyright or first.copyright
        plan = _book_sections(folder, chapters, license_id)
        unique: dict[str, Asset] = {}
        for asset in (a for _p, f in chapters for a in f.assets):
            unique.setdefault(asset.source, asset)
        sources = _merge(
            book.based_on
            + repo.lineage
            + [w for _p, f in chapters for w in (*f.meta.based_on, *f.lineage)]
        )
        sections = [section for section, _rel, _s, _e in plan]
        loader = _BookLoader(location, plan, {f.rel: f.html for _p, f in chapters})
        return Work(
            title=title,
            url=book.url,
            authors=tuple(authors),
            license=license_id,
            year=book.year or _year(notice),
            copyright=notice,
            language=language,
            based_on=sources,
            assets=_inherit(list(unique.values()), license_id, noted),
            sections=tuple(sections),
            provenance=Provenance(
                source=location,
                retrieved=Input.now(),
                sha256=folder.manifest_sha256(),
                license_evidence=evidence,
                license_status=status,
            ),
            kind="adaptation" if sources else "work",
            content=Document(sections, loader, loader.many),
        )


class _Folder:
    """The folder being read: its files, and the SHA-256 of each file read (for provenance)."""

    def __init__(self, root: Path, location: str) -> None:
        self.root = root
        self.location = location
        self.files = list(_walk(root))
        self.hashes: dict[str, str] = {}

    def display(self, path: Path) -> str:
        """The path as errors name it: the location given, then the path inside the folder."""
        return os.path.join(self.location, path.relative_to(self.root).as_posix())

    def bytes_of(self, path: Path) -> bytes:
        data = _read_bytes(path, self.display(path))
        self.hashes[path.relative_to(self.root).as_posix()] = hashlib.sha256(data).hexdigest()
        return data

    def manifest_sha256(self) -> str:
        """SHA-256 of the list of files read, each with its own SHA-256, sorted by path."""
        manifest = "".join(f"{rel}\0{digest}\n" for rel, digest in sorted(self.hashes.items()))
        return hashlib.sha256(manifest.encode("utf-8")).hexdigest()


def _book_metadata(folder: _Folder, folders: set[Path]) -> _Meta:
    """The first non-empty ``metadata.yml``/``metadata.yaml``, or schema.org JSON-LD in
    ``metadata.jsonld`` (what oerremix's own Markdown and HTML packages carry), from the top
    folder down."""
    for directory in sorted(folders, key=lambda d: (len(d.parts), d.as_posix())):
        for name in ("metadata.yml", "metadata.yaml", "metadata.jsonld"):
            path = directory / name
            if not path.is_file():
                continue
            display = folder.display(path)
            text = _decode(folder.bytes_of(path), display)
            if name.endswith(".jsonld"):
                loaded = _load_json(text, source=display)
            else:
                loaded = _load_yaml(text, source=display, first_line=1)
            if isinstance(loaded, Mapping) and loaded:
                return _meta_from_mapping(loaded, path.relative_to(folder.root).as_posix())
    return _Meta()


def _load_json(text: str, *, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno) from None
    except RecursionError:
        raise UnsafeContentError("JSON nested too deeply", source=source) from None


@dataclass(slots=True)
class _Repository:
    """What the LICENSE files and READMEs of a folder say about the whole of it."""

    claims: list[Claim] = field(default_factory=list)
    noted: bool = False
    title: str | None = None
    copyright: str | None = None
    lineage: list[Work] = field(default_factory=list)


def _repository(folder: _Folder, folders: set[Path]) -> _Repository:
    """LICENSE/COPYING files at the top, READMEs at the top and on the way to the chapters."""
    repo = _Repository()
    for path in folder.files:
        if not _inside(folder.root, path):
            continue
        top = path.parent == folder.root
        readme = bool(_README.match(path.name)) and path.parent in folders
        if not readme and not (top and _LICENSE_FILE.match(path.name)):
            continue
        text = _decode(folder.bytes_of(path), folder.display(path))
        claim = statement_claim(path.relative_to(folder.root).as_posix(), text)
        if claim is not None:
            repo.claims.append(claim)
        repo.noted = repo.noted or except_where_noted(text)
        if readme and top:
            heading = re.search(r"^#\s+(.+?)\s*#*$", text, re.MULTILINE)
            repo.title = repo.title or (heading.group(1).strip() if heading else None)
            repo.copyright = repo.copyright or find_copyright(text)
            repo.lineage += find_lineage(rendered(text, source=folder.display(path)))
    return repo


def _book_sections(
    folder: _Folder, chapters: Sequence[tuple[Path, _File]], license_id: str | None
) -> list[tuple[Section, str, int | None, int | None]]:
    """Each chapter as a section (id: its file name) and its headings as sub-sections."""
    used: set[str] = set()
    stems = [path.stem for path, _file in chapters]
    plan: list[tuple[Section, str, int | None, int | None]] = []
    for path, file in chapters:
        rel = path.relative_to(folder.root).as_posix()
        ident = path.stem if stems.count(path.stem) == 1 else rel.rsplit(".", 1)[0]
        own = file.meta.claim
        section_license = None
        if own is not None and own.status == "found" and len(own.candidates) == 1:
            (section_license,) = own.candidates
            section_license = None if section_license == license_id else section_license
        chapter_plan = plan_sections(
            file.outline,
            lead_title=file.meta.title or file.first_title or path.stem,
            used=used,
            prefix=f"{ident}/",
            lead_id=ident,
            chapter=True,
        )
        for n, (section, start, end) in enumerate(chapter_plan):
            # the first section is the chapter itself: it carries the chapter's own licence
            chapter = section.replace(license=section_license) if n == 0 else section
            plan.append((chapter, rel, start, end))
    return plan


def _merge(works: Sequence[Work]) -> tuple[Work, ...]:
    merged: dict[str, Work] = {}
    for work in works:
        key = (work.url or work.title or "").rstrip("/")
        old = merged.get(key)
        merged[key] = (
            work
            if old is None
            else old.replace(
                title=old.title or work.title,
                license=old.license or work.license,
                authors=old.authors or work.authors,
            )
        )
    return tuple(merged.values())


class _FileLoader:
    """Parses the file's HTML once, when a section is first asked for, and cuts it at its
    headings."""

    def __init__(
        self, html: str, location: str, plan: Sequence[tuple[Section, int | None, int | None]]
    ) -> None:
        self._html = html
        self._location = location
        self._plan = {section.id: (start, end) for section, start, end in plan}
        self._page: PageSections | None = None

    def __call__(self, section: Section) -> SectionContent:
        if self._page is None:
            self._page = PageSections(parsed(self._html, source=self._location))
        start, end = self._plan[section.id]
        return SectionContent(section, self._page.fragment(start, end, section.id), self._location)


class _BookLoader:
    """Parses one chapter's HTML at a time, keeping the last while its sections are read.

    The chapters' HTML, rendered when the book was read, is kept (rendering Markdown again
    would cost as much as the whole read): as it is up to ``KEEP`` characters, compressed past
    them (a sixth of its size).
    """

    KEEP = 16 * 2**20
    """Characters of HTML kept as they are (compressing and decompressing the 8 MiB of a
    500-chapter book took 0.1 s)."""

    def __init__(
        self,
        location: str,
        plan: Sequence[tuple[Section, str, int | None, int | None]],
        pages: Mapping[str, str],
    ) -> None:
        self._location = location
        self._plan = {section.id: (rel, start, end) for section, rel, start, end in plan}
        self._pages: dict[str, str | bytes] = {}
        kept = 0
        for rel, html in pages.items():
            kept += len(html)
            self._pages[rel] = html if kept <= self.KEEP else zlib.compress(html.encode(), 1)
        self._current: tuple[str, PageSections] | None = None

    def _html(self, rel: str) -> str:
        kept = self._pages[rel]
        return kept if isinstance(kept, str) else zlib.decompress(kept).decode()

    def __call__(self, section: Section) -> SectionContent:
        rel, start, end = self._plan[section.id]
        display = os.path.join(self._location, rel)
        if self._current is None or self._current[0] != rel:
            self._current = (rel, PageSections(parsed(self._html(rel), source=display)))
        return SectionContent(section, self._current[1].fragment(start, end, section.id), display)

    def many(self, sections: Sequence[Section]) -> list[SectionContent]:
        """Several sections, each chapter parsed once for all of its sections asked for; the
        chapters are cut in the build's worker processes, if it has some."""
        wanted: dict[str, list[Section]] = {}
        for section in sections:
            wanted.setdefault(self._plan[section.id][0], []).append(section)
        given = [
            (
                self._html(rel),
                [(s.id, *self._plan[s.id][1:]) for s in chapter],
                os.path.join(self._location, rel),
            )
            for rel, chapter in wanted.items()
        ]
        cut = ordered_map(_cut_sections, given, ambient_jobs(), where=self._location)
        found = {
            section.id: SectionContent(section, html, chapter[2])
            for chapter, asked, htmls in zip(given, wanted.values(), cut, strict=True)
            for section, html in zip(asked, htmls, strict=True)
        }
        return [found[section.id] for section in sections]


def _cut_sections(
    given: tuple[str, list[tuple[str, int | None, int | None]], str],
) -> list[str]:
    """The sanitised HTML of some sections of a chapter (a worker process may cut them):
    ``(its HTML, [(section id, start heading, end heading)], where it was read)``."""
    html, cuts, where = given
    page = PageSections(parsed(html, source=where))
    return [page.fragment(start, end, section_id) for section_id, start, end in cuts]


READER = MarkdownReader()
"""The Markdown reader, as :func:`oerremix.readers.read` uses it."""
