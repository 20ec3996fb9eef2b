"""One Markdown file read: its front matter or LiaScript header, its rendered page, its
licence statements, figures (with their credits), lineage and headings.

:mod:`oerremix.readers.markdown` reads a file or a book of them with these; a book's chapters
may be read in worker processes (:func:`read_chapter`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
from lxml import etree
from lxml.html import HtmlElement

from oerremix._changes_jsonld import CHANGES, changes_from_jsonld
from oerremix._markup import fragment_html
from oerremix.detect import detect, detect_tree
from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import Asset, AssetKind, Author, Change, Work
from oerremix.readers import file_bytes
from oerremix.readers._copyright import find_copyright
from oerremix.readers._licensing import (
    Claim,
    claim_from_detection,
    except_where_noted,
    metadata_claim,
)
from oerremix.readers._lineage import find_lineage
from oerremix.readers._md_figures import Runs, images
from oerremix.readers._md_render import rendered
from oerremix.readers._page_assets import media_addresses, page_assets
from oerremix.readers._recorded import RecordedMedium
from oerremix.readers._schema_values import (
    based_on_values,
    language_value,
    split_names,
    year_value,
)
from oerremix.readers._sections import (
    Outline,
    outline,
)
from oerremix.readers._urls import urljoin, urlsplit
from oerremix.readers.html import licence_tree, statement_claim

__all__ = [
    "MAX_FRONT_MATTER_BYTES",
    "File",
    "Meta",
    "decode",
    "inherit",
    "liascript",
    "load_yaml",
    "meta_from_mapping",
    "read_chapter",
    "read_file",
]

MAX_FRONT_MATTER_BYTES = 64 * 1024
"""The largest front matter or metadata file read (YAML beyond it is refused as unsafe)."""

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


def load_yaml(text: str, *, source: str, first_line: int) -> Any:
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
            data = load_yaml("".join(lines[1:end]), source=source, first_line=2)
            if data is None:
                return {}, end + 1
            if not isinstance(data, dict):
                raise ReadError(
                    "front matter must be a mapping of keys to values", source=source, line=2
                )
            return data, end + 1
    return None, 0  # never closed: a thematic break, not front matter


def liascript(text: str, offset: int) -> tuple[dict[str, list[list[str]]], int, int] | None:
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
class Meta:
    """What a file (or a metadata file) says about the work, before the text is read."""

    title: str | None = None
    authors: list[Author] = field(default_factory=list)
    language: str | None = None
    year: int | None = None
    copyright: str | None = None
    url: str | None = None
    based_on: list[Work] = field(default_factory=list)
    changes: tuple[Change, ...] = ()
    claim: Claim | None = None
    noted: bool = False
    media: dict[str, RecordedMedium] = field(default_factory=dict)
    """The media a ``metadata.jsonld`` credits on their own, by their path in the folder."""


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


def meta_from_mapping(data: Mapping[str, Any], where: str) -> Meta:
    """Read front matter, pandoc metadata or an AMB ``metadata.yml``."""
    meta = Meta()
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
        (lang for k in ("lang", "language", "inLanguage") if (lang := language_value(data.get(k)))),
        None,
    )
    meta.year = next(
        (
            y
            for k in ("date", "datePublished", "year", "dateCreated")
            if (y := year_value(data.get(k)))
        ),
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
    meta.year = meta.year or year_value(meta.copyright)
    url = next(
        (v for k in ("url", "id", "@id") if isinstance(v := data.get(k), str)),
        None,
    )
    meta.url = url if url and re.match(r"https?://", url) else None
    for key in ("isBasedOn", "is_based_on", "based_on", "basedOn"):
        meta.based_on += based_on_values(data.get(key))
    meta.changes = changes_from_jsonld(data.get(CHANGES))  # oerremix's own metadata.jsonld
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


def _meta_from_liascript(entries: Mapping[str, list[list[str]]]) -> Meta:
    meta = Meta()
    meta.title = _lia_value(entries, "title")
    author = _lia_value(entries, "author")
    meta.authors = [Author(n) for n in split_names(author, commas=True)] if author else []
    meta.language = language_value(_lia_value(entries, "language"))
    meta.year = year_value(_lia_value(entries, "date"))
    return meta


def _media_kind(source: str) -> AssetKind:
    return "video" if _VIDEO.search(source) else "audio" if _AUDIO.search(source) else "image"


@dataclass(frozen=True, slots=True)
class File:
    """One Markdown file, read: its metadata, assets, licence statements and headings."""

    rel: str
    meta: Meta
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


def decode(data: bytes, source: str) -> str:
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
    text = decode(data, source).replace("\r\n", "\n")
    lines = text.split("\n")
    front, skip = _front_matter(text, source)
    for n in range(skip):
        lines[n] = ""
    found = liascript("\n".join(lines[skip:]), skip)
    header = None
    if found is not None:
        header, first, last = found
        for n in range(first - 1, min(last, len(lines))):
            lines[n] = ""
    return _Parts(front, header, lines)


def read_chapter(given: tuple[Path, str, str]) -> tuple[File, str]:
    """A chapter of a book, read (a worker process may run this), and its file's SHA-256."""
    path, source, rel = given
    data = file_bytes(path, source)
    return read_file(data, source=source, rel=rel, base=rel), hashlib.sha256(data).hexdigest()


def read_file(data: bytes, *, source: str, rel: str, base: str | None) -> File:
    """Read one file; ``base`` resolves relative image paths (a path inside a book)."""
    parts = _split(data, source)
    lines = parts.lines
    meta = meta_from_mapping(parts.front, f"{rel} front matter") if parts.front else Meta()
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
    return File(
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


def inherit(assets: Sequence[Asset], license_id: str | None, noted: bool) -> tuple[Asset, ...]:
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
