"""What a book's content says, for the audit: credits, change notices, where each asset is shown.

:func:`scan` reads one parsed page into a :class:`Content`: the media elements (matched to the
book's assets by an :class:`AssetIndex`, through :func:`resolve`), the ccREL groups and the
entries of credits sections (:class:`Entry`, looked up by an :class:`EntryIndex`), and the
change notices. Used by :mod:`oerremix.audit`, which reads the content one section at a time.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from oerremix._audit_report import Location
from oerremix._audit_words import CHANGES, FILE_NAME, clean, is_url, norm_url
from oerremix.model import Asset

__all__ = [
    "AssetIndex",
    "Content",
    "Entry",
    "EntryIndex",
    "is_credits_title",
    "resolve",
    "scan",
    "text",
]

# --- words ------------------------------------------------------------------------------------

_CREDITS_HEADING = re.compile(
    r"(?:(?:image|photo|media|figure|picture)\s+)?(?:credits?|attributions?|sources?)"
    r"|licen[cs]es?\s+and\s+(?:credits|attributions?)|(?:credits|attributions?)\s+and\s+"
    r"licen[cs]es?|bildnachweis|bildquellen|quellen(?:angaben)?|abbildungsverzeichnis|crédits",
    re.IGNORECASE,
)
_CREDITS_CLASS = re.compile(r"credit|attribution|bildnachweis", re.IGNORECASE)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ENTRY_TAGS = ("li", "p", "dd", "tr", "figcaption")
_MEDIA_TAGS = ("img", "video", "audio", "iframe", "source", "embed", "object")
_CHANGE_NOTICE = re.compile(  # a statement about the book's own changes, anywhere in it
    r"\bchanges?(?:\s+made)?(?:\s+in\s+this\s+work)?\s*:|\b(?:adapted|modified|remixed|"
    r"translated)\s+from\b|\bis\s+(?:an\s+adaptation|a\s+derivative|a\s+remix)\s+of\b"
    r"|\bbased\s+on\b.{0,200}\blicen[cs]ed\b|\bänderungen\s*:|\bbearbeitet\s+von\b"
    r"|\badapté\s+de\b|\badaptado\s+de\b",
    re.IGNORECASE | re.DOTALL,
)
_WP_SIZE = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")

# --- what the content says --------------------------------------------------------------------


@dataclass(slots=True)
class Entry:
    """A place in the text that may credit something: the elements of a ccREL ``about`` group,
    or one entry (list item, paragraph, row) of a credits section."""

    text: str
    hrefs: list[str]
    license_hrefs: list[str]
    names: list[str]
    titles: list[str]
    about: str | None
    lower: str = ""

    def __post_init__(self) -> None:
        self.lower = self.text.lower()


class EntryIndex:
    """The credits entries by what may name an item: ``about``, a link, a file name."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.about: dict[str, list[Entry]] = {}
        self.links: dict[str, list[Entry]] = {}
        self.names: dict[str, list[Entry]] = {}
        self.plain: list[Entry] = []
        for e in entries:
            if e.about:
                key = norm_url(e.about) if is_url(e.about) else e.about
                self.about.setdefault(key, []).append(e)
                continue
            self.plain.append(e)
            for href in {norm_url(h) for h in e.hrefs if is_url(h)}:
                self.links.setdefault(href, []).append(e)
            for name in {n.lower() for n in FILE_NAME.findall(e.text)}:
                self.names.setdefault(posixpath.basename(name), []).append(e)


@dataclass(slots=True)
class Content:
    """What the content says, collected page by page: where each asset is shown (by its number)
    or only named in the text, the credits entries, how many pages carry a change notice, and
    the sections that could not be read."""

    placements: dict[int, Location] = field(default_factory=dict)
    named_in: dict[int, Location] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    seen: set[tuple[object, ...]] = field(default_factory=set)
    """Entries already collected: every page of a book repeats its licence notice, which
    would otherwise be kept once per page."""
    changes: int = 0
    unreadable: list[str] = field(default_factory=list)


def is_credits_title(text: str) -> bool:
    """Whether a heading is the title of a credits section ("Credits", "5 Media Attributions")."""
    return bool(_CREDITS_HEADING.fullmatch(re.sub(r"^[\d.\s]+|[\s:.]+$", "", text)))


def _tokens(el: etree._Element, attr: str) -> set[str]:
    return {t.lower() for t in str(el.get(attr) or "").split()}


def text(el: etree._Element) -> str:
    """All the text inside an element, whitespace folded."""
    return clean(" ".join(str(t) for t in el.itertext()))


def _entry(elements: Sequence[etree._Element], about: str | None) -> Entry:
    links = [a for el in elements for a in el.iter("a") if a.get("href")]
    every = [e for el in elements for e in el.iter() if isinstance(e.tag, str)]
    return Entry(
        " ".join(text(el) for el in elements),
        [str(a.get("href")) for a in links],
        [str(a.get("href")) for a in links if "license" in _tokens(a, "rel")],
        [text(e) for e in every if "cc:attributionname" in _tokens(e, "property")],
        [text(e) for e in every if "dct:title" in _tokens(e, "property")],
        about,
    )


def _credits_blocks(root: etree._Element, whole: bool) -> list[etree._Element]:
    """The parts of a fragment that are credits: blocks classed so, or what follows a heading
    such as "Credits", "Media Attributions", "Bildnachweis" (up to the next such heading)."""
    if whole:
        return [root]
    blocks: list[etree._Element] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _CREDITS_CLASS.search(str(el.get("class") or "")):
            blocks.append(el)
        elif el.tag in _HEADINGS and is_credits_title(text(el)):
            sibling = el.getnext()
            while sibling is not None:
                tag = sibling.tag if isinstance(sibling.tag, str) else ""
                if tag in _HEADINGS and tag <= el.tag:
                    break
                blocks.append(sibling)
                sibling = sibling.getnext()
    return blocks


def scan(
    content: Content,
    root: etree._Element,
    media: Callable[[str, str], None],
    whole_is_credits: bool,
) -> None:
    """Collect from a parsed fragment: media elements, ccREL groups, credits entries and
    change notices."""
    for el in root.iter(*_MEDIA_TAGS):
        src = el.get("src") or el.get("data")
        if src:
            media(str(src), str(el.tag))
    groups: dict[str, list[etree._Element]] = {}
    for el in root.iter():
        about = str(el.get("about") or "").strip() if isinstance(el.tag, str) else ""
        if about and about != "#":
            groups.setdefault(about, []).append(el)
    new_entries = [_entry(elements, about) for about, elements in groups.items()]
    for block in _credits_blocks(root, whole_is_credits):
        for el in block.iter(*_ENTRY_TAGS):
            found = _entry([el], None)
            if found.text:
                new_entries.append(found)
    for entry in new_entries:
        key = (
            entry.text,
            tuple(entry.hrefs),
            tuple(entry.license_hrefs),
            tuple(entry.names),
            tuple(entry.titles),
            entry.about,
        )
        if key not in content.seen:
            content.seen.add(key)
            content.entries.append(entry)
    # a change notice: in so many words anywhere, or any change word in a credits entry
    if _CHANGE_NOTICE.search(text(root)) or any(CHANGES.search(e.text) for e in new_entries):
        content.changes += 1


# --- matching assets to the elements that show them -------------------------------------------


def resolve(base: str, src: str) -> str:
    """An element's ``src`` read from its page's ``base`` (a file, folder or address): an address,
    or a normalised path like the assets' sources."""
    src = src.strip()
    if src.startswith("//"):
        return "https:" + src
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src):
        return src
    if is_url(base):
        return urljoin(base, src)
    folder = base
    if base and not base.endswith("/"):  # a file ("ch1.md"), else a folder
        folder = posixpath.dirname(base) + "/" if "." in base.rsplit("/", 1)[-1] else base + "/"
    return posixpath.normpath(posixpath.join(folder, unquote(urlsplit(src).path)))


class AssetIndex:
    """Finds the asset an element's ``src`` shows, however the reader wrote its source."""

    def __init__(self, assets: Sequence[Asset]) -> None:
        self.exact: dict[str, int] = {}
        self.names: dict[str, list[int]] = {}
        self.paths: list[tuple[str, int]] = []
        for n, asset in enumerate(assets, start=1):
            source = asset.source.strip()
            key = source if is_url(source) else posixpath.normpath(unquote(source))
            self.exact.setdefault(key, n)
            self.exact.setdefault(_WP_SIZE.sub("", key), n)
            if not is_url(source):
                self.paths.append((key, n))
            name = posixpath.basename(urlsplit(source).path)
            if name:
                self.names.setdefault(name, []).append(n)

    def find(self, resolved: str) -> int | None:
        for key in (resolved, _WP_SIZE.sub("", resolved)):
            if key in self.exact:
                return self.exact[key]
        if not is_url(resolved):
            for path, n in self.paths:
                if resolved.endswith("/" + path) or path.endswith("/" + resolved):
                    return n
        found = self.names.get(_WP_SIZE.sub("", posixpath.basename(urlsplit(resolved).path)), [])
        return found[0] if len(found) == 1 else None
