"""Audit a book: every licence in it, every credit, every change, and what the whole may carry.

:func:`audit` takes anything oerremix reads (a book folder, an EPUB, an IMS Common Cartridge, a
Pressbooks export or address, an OpenStax collection, a LiaScript course, oerremix's own
packages) or a :class:`~oerremix.model.Work` already read, and returns a :class:`Report`: for the
book, each section, asset and source the licence found (with its evidence), whether its credit
is complete for that licence version, and whether changes are indicated where the licence
requires it; findings with a severity, a location and a fix; and the book-level verdict of the
compatibility engine. The rules are defined in ``docs/audit.md``; formatting is separate
(:func:`format_text`, :func:`format_json`, :func:`format_html`)::

    >>> from oerremix import Asset, Author, Work, audit
    >>> book = Work(title="Soils", license="CC-BY-4.0", authors=(Author("Ana Silva"),), assets=(
    ...     Asset("image", "img/map.png", credit="Map: Soil Lab"),
    ...     Asset("image", "img/profile.jpg", license="CC-BY-NC-4.0", authors=(Author("Lee Wong"),),
    ...           credit="Profile by Lee Wong, CC BY-NC 4.0"),
    ... ))
    >>> report = audit(book)
    >>> for f in report.findings:
    ...     print(f.severity, f.rule, f.item)
    error license-missing asset:1
    error nc-commercial asset:2
    warning declared-license-not-allowed None
    warning source-link-missing asset:2
    >>> report.verdict.declared_allowed, report.fails("error")
    (False, True)

The audit never guesses a licence: what a reader could not establish stays unknown and is
reported. The content is read one section at a time (to place each asset in its section, and to
find credits sections and change notices); ``progress`` hears about each. Nothing is fetched
unless asked (``check_links=True``).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import posixpath
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast
from urllib.parse import unquote, urlencode, urljoin, urlsplit

import yaml
from lxml import etree

from oerremix._audit_report import (
    RULES,
    SEVERITIES,
    AttributionCheck,
    Basis,
    BookVerdict,
    ChangesCheck,
    FairDealing,
    Finding,
    Item,
    ItemKind,
    Location,
    Policy,
    Report,
    Severity,
    VerdictView,
    _names,
    _short,
    format_html,
    format_json,
    format_text,
)
from oerremix._markup import parse_html
from oerremix.catalog import Catalog, License, load_catalog
from oerremix.compat import check
from oerremix.detect import detect
from oerremix.errors import FetchError, OerRemixError, ReadError
from oerremix.model import Asset, Evidence, Work

if TYPE_CHECKING:
    from oerremix._archive import Archive
    from oerremix.fetch import Fetcher

__all__ = [
    "RULES",
    "Finding",
    "Item",
    "Location",
    "Policy",
    "Report",
    "audit",
    "format_html",
    "format_json",
    "format_text",
    "load_policy",
]

Progress = Callable[[str], None]
Kind = Literal["adaptation", "collection"]
_Input = tuple[str, "Work | str"]  # an item id and what the compatibility engine weighs for it

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
_CHANGES = re.compile(
    r"\bchanges?(?:\s+made)?(?:\s+in\s+this\s+work)?\s*:"
    r"|\b(?:modified|modification\s+of|adapted\s+(?:from|by)|remix(?:ed)?\s+(?:of|from|by)"
    r"|derivative\s+of|translated\s+(?:from|by|into)|cropped|excerpted|abridged|revised\s+by)\b"
    r"|\b(?:änderungen|geändert|bearbeitet|verändert|übersetzt|adapté|modifié|traduit"
    r"|adaptado|modificado|traducido)",
    re.IGNORECASE,
)
_CHANGE_NOTICE = re.compile(  # a statement about the book's own changes, anywhere in it
    r"\bchanges?(?:\s+made)?(?:\s+in\s+this\s+work)?\s*:|\b(?:adapted|modified|remixed|"
    r"translated)\s+from\b|\bis\s+(?:an\s+adaptation|a\s+derivative|a\s+remix)\s+of\b"
    r"|\bbased\s+on\b.{0,200}\blicen[cs]ed\b|\bänderungen\s*:|\bbearbeitet\s+von\b"
    r"|\badapté\s+de\b|\badaptado\s+de\b",
    re.IGNORECASE | re.DOTALL,
)
_PUBLIC_DOMAIN = re.compile(
    r"public[\s-]+domain|\bgemeinfrei|domaine\s+public|dominio\s+p[uú]blico|^\s*pd(?:-|\b)",
    re.IGNORECASE | re.MULTILINE,
)
_CC0 = re.compile(r"\bcc0\b|cc\s*zero|creative\s+commons\s+zero|publicdomain/zero", re.IGNORECASE)
_UPLOADED_BY = re.compile(
    r"\b(?:uploaded\s+by|uploader|hochgeladen\s+von|téléversé\s+par|importé\s+par|subido\s+por)"
    r"\s*:?\s*[^,;()\n]+",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“„«‘]([^\"”“«»’]{3,})[\"”“»’]")
_CREDIT_WORDS = re.compile(
    r"\b(?:credits?|photo(?:graph)?s?|images?|pictures?|figures?|title\s+image|titel?bild|"
    r"bild|foto|quelle|sources?|by|von|via|from|courtesy(?:\s+of)?|copyright|all\s+rights\s+"
    r"reserved|is\s+licen[cs]ed\s+under|licen[cs]ed\s+under|licen[cs]e|used\s+under|adapted|"
    r"modifications?\s+of\s+works?|modified|used\s+with\s+permission|creative\s+commons|"
    r"attribution|share\s*alike|non\s*commercial|no\s*deriv\w*|international|unported|generic|"
    r"cc|sa|nc|nd|zero|public\s+domain|wikimedia\s+commons|own\s+work|[a-d])\b|\(c\)|©|[\d.]+",
    re.IGNORECASE,
)
_FILE_NAME = re.compile(r"[^\s\"'<>()/\\=]+\.[A-Za-z0-9]{2,5}\b")
_OERREMIX_MEDIA = re.compile(r"(?:^|/)([0-9a-f]{10})-[^/]+$")
_WP_SIZE = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_COMMONS_PAGE = re.compile(r"^(https?://[^/]+(?:/[^/]+)*?)/wiki/((?:File|Image|Datei|Fichier):.+)$")
_UPLOAD = re.compile(
    r"^https?://upload\.wikimedia\.org/wikipedia/commons/(?:thumb/)?\w/\w\w/([^/]+)"
)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _cut(text: str | None, limit: int = 120) -> str:
    text = _clean(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text: str | None, limit: int = 100) -> str:
    return f"“{_cut(text, limit)}”"


def _is_url(value: str | None) -> bool:
    return bool(value) and str(value).lower().startswith(("http://", "https://"))


def _norm_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}".lower()


@functools.cache
def _messages() -> dict[str, dict[str, dict[str, str]]]:
    path = files("oerremix") / "templates" / "audit" / "messages.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return cast("dict[str, dict[str, dict[str, str]]]", data)


# --- the policy file --------------------------------------------------------------------------

_POLICY_KEYS = ("target", "allow_nc", "fair_dealing", "fail_on", "severity", "ignore")
_FAIR_DEALING: tuple[FairDealing, ...] = ("forbidden", "allowed_with_note", "allowed")


def load_policy(path: str | os.PathLike[str], *, catalog: Catalog | None = None) -> Policy:
    """Read a policy file (YAML), e.g.::

        target: CC-BY-4.0            # the licence the book must be published under
        allow_nc: false              # the book is offered for commercial use
        fair_dealing: allowed_with_note

    Every problem is reported at once, each with its line, in one
    :class:`~oerremix.errors.ReadError` naming the file.
    """
    source = os.fspath(path)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ReadError("not UTF-8 text", source=source) from None
    except OSError as exc:
        raise ReadError(exc.strerror or "cannot read", source=source) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ReadError(f"not valid YAML: {problem}", source=source, line=line) from None
    if root is None:
        return Policy(source=source)
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        raise ReadError("a policy is a mapping of keys to values", source=source, line=1)
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in root.value}
    problems: list[str] = []
    cat = catalog or load_catalog()
    values: dict[str, Any] = {"source": source}
    for key, value in data.items():
        where = f"{source}:{lines.get(str(key), 1)}: {key}"
        if key == "target":
            lic = cat.find(value) if isinstance(value, str) else None
            if lic is None:
                close = cat.suggest(value)[:1] if isinstance(value, str) else []
                problems.append(
                    f"{where}: unknown licence {value!r}"
                    + (f"; did you mean {close[0]}?" if close else "")
                )
            else:
                values[key] = lic.id
        elif key == "allow_nc":
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.append(f"{where}: expected true or false, got {value!r}")
        elif key in ("fair_dealing", "fail_on"):
            allowed: tuple[str, ...] = _FAIR_DEALING if key == "fair_dealing" else SEVERITIES[:2]
            if value in allowed:
                values[key] = value
            else:
                problems.append(f"{where}: expected one of {', '.join(allowed)}, got {value!r}")
        elif key == "severity":
            pairs = value.items() if isinstance(value, dict) else []
            if not isinstance(value, dict):
                problems.append(f"{where}: expected a mapping of rule ids to a severity")
            bad = [str(r) for r, level in pairs if r not in RULES or level not in SEVERITIES]
            if bad:
                problems.append(f"{where}: unknown rule or severity for {', '.join(bad)}")
            values[key] = tuple(
                (str(r), level) for r, level in pairs if r in RULES and level in SEVERITIES
            )
        elif key == "ignore":
            rules = value if isinstance(value, list) else [value]
            unknown = [str(r) for r in rules if r not in RULES]
            if unknown:
                problems.append(f"{where}: unknown rule(s) {', '.join(unknown)}")
            values[key] = tuple(str(r) for r in rules if r in RULES)
        else:
            near = difflib.get_close_matches(str(key), _POLICY_KEYS, n=1)
            hint = f"did you mean {near[0]!r}?" if near else "expected " + ", ".join(_POLICY_KEYS)
            problems.append(f"{where}: unknown key; {hint}")
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ReadError(f"invalid policy, {count}:\n" + "\n".join(problems), source=source)
    return Policy(**values)


# --- what the content says --------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
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


class _EntryIndex:
    """The credits entries by what may name an item: ``about``, a link, a file name."""

    def __init__(self, entries: Sequence[_Entry]) -> None:
        self.about: dict[str, list[_Entry]] = {}
        self.links: dict[str, list[_Entry]] = {}
        self.names: dict[str, list[_Entry]] = {}
        self.plain: list[_Entry] = []
        for e in entries:
            if e.about:
                key = _norm_url(e.about) if _is_url(e.about) else e.about
                self.about.setdefault(key, []).append(e)
                continue
            self.plain.append(e)
            for href in {_norm_url(h) for h in e.hrefs if _is_url(h)}:
                self.links.setdefault(href, []).append(e)
            for name in {n.lower() for n in _FILE_NAME.findall(e.text)}:
                self.names.setdefault(posixpath.basename(name), []).append(e)


@dataclass(slots=True)
class _Content:
    placements: dict[int, Location] = field(default_factory=dict)
    named_in: dict[int, Location] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)
    seen: set[tuple[object, ...]] = field(default_factory=set)
    """Entries already collected: every page of a book repeats its licence notice, which
    would otherwise be kept once per page."""
    changes: int = 0
    unreadable: list[str] = field(default_factory=list)


def _is_credits_title(text: str) -> bool:
    """Whether a heading is the title of a credits section ("Credits", "5 Media Attributions")."""
    return bool(_CREDITS_HEADING.fullmatch(re.sub(r"^[\d.\s]+|[\s:.]+$", "", text)))


def _tokens(el: etree._Element, attr: str) -> set[str]:
    return {t.lower() for t in str(el.get(attr) or "").split()}


def _text(el: etree._Element) -> str:
    return _clean(" ".join(str(t) for t in el.itertext()))


def _entry(elements: Sequence[etree._Element], about: str | None) -> _Entry:
    links = [a for el in elements for a in el.iter("a") if a.get("href")]
    every = [e for el in elements for e in el.iter() if isinstance(e.tag, str)]
    return _Entry(
        " ".join(_text(el) for el in elements),
        [str(a.get("href")) for a in links],
        [str(a.get("href")) for a in links if "license" in _tokens(a, "rel")],
        [_text(e) for e in every if "cc:attributionname" in _tokens(e, "property")],
        [_text(e) for e in every if "dct:title" in _tokens(e, "property")],
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
        elif el.tag in _HEADINGS and _is_credits_title(_text(el)):
            sibling = el.getnext()
            while sibling is not None:
                tag = sibling.tag if isinstance(sibling.tag, str) else ""
                if tag in _HEADINGS and tag <= el.tag:
                    break
                blocks.append(sibling)
                sibling = sibling.getnext()
    return blocks


def _scan(
    content: _Content,
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
    if _CHANGE_NOTICE.search(_text(root)) or any(_CHANGES.search(e.text) for e in new_entries):
        content.changes += 1


# --- matching assets to the elements that show them -------------------------------------------


def _resolve(base: str, src: str) -> str:
    src = src.strip()
    if src.startswith("//"):
        return "https:" + src
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src):
        return src
    if _is_url(base):
        return urljoin(base, src)
    folder = base
    if base and not base.endswith("/"):  # a file ("ch1.md"), else a folder
        folder = posixpath.dirname(base) + "/" if "." in base.rsplit("/", 1)[-1] else base + "/"
    return posixpath.normpath(posixpath.join(folder, unquote(urlsplit(src).path)))


class _AssetIndex:
    """Finds the asset an element's ``src`` shows, however the reader wrote its source."""

    def __init__(self, assets: Sequence[Asset]) -> None:
        self.exact: dict[str, int] = {}
        self.names: dict[str, list[int]] = {}
        self.paths: list[tuple[str, int]] = []
        for n, asset in enumerate(assets, start=1):
            source = asset.source.strip()
            key = source if _is_url(source) else posixpath.normpath(unquote(source))
            self.exact.setdefault(key, n)
            self.exact.setdefault(_WP_SIZE.sub("", key), n)
            if not _is_url(source):
                self.paths.append((key, n))
            name = posixpath.basename(urlsplit(source).path)
            if name:
                self.names.setdefault(name, []).append(n)

    def find(self, resolved: str) -> int | None:
        for key in (resolved, _WP_SIZE.sub("", resolved)):
            if key in self.exact:
                return self.exact[key]
        if not _is_url(resolved):
            for path, n in self.paths:
                if resolved.endswith("/" + path) or path.endswith("/" + resolved):
                    return n
        found = self.names.get(_WP_SIZE.sub("", posixpath.basename(urlsplit(resolved).path)), [])
        return found[0] if len(found) == 1 else None


def _dimensions(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF, JPEG or WebP image, from its header."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return cast("tuple[int, int]", struct.unpack(">II", data[16:24]))
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return cast("tuple[int, int]", struct.unpack("<HH", data[6:10]))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        if data[12:16] == b"VP8X":
            return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(
                data[27:30], "little"
            )
        if data[12:16] == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    i = 2 if data[:2] == b"\xff\xd8" else len(data)
    while i + 9 < len(data):
        marker = data[i + 1]
        if data[i] != 0xFF or marker == 0xFF:
            i += 1
        elif marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            i += 2
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        else:
            i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return None


# --- the audit ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Credit:
    """What was found about one item's credit (TASL) and changes."""

    creator: bool = False
    title: bool = False
    source: bool = False
    license: License | None = None
    changes: bool = False
    found_in: tuple[str, ...] = ()
    statements: tuple[str, ...] = ()


def _before_4(lic: License) -> bool:
    if lic.family != "creative-commons" or not lic.version:
        return False
    return lic.version.split(".")[0].isdigit() and int(lic.version.split(".")[0]) < 4


def _has_name(text: str, title: str | None) -> bool:
    """Whether a credit names someone, once licence words, links and the title are gone."""
    rest = _URL.sub(" ", text)
    if title:
        rest = rest.replace(title, " ")
    return bool(re.search(r"[^\W\d_]{2,}", _CREDIT_WORDS.sub(" ", rest)))


def _evidence_file(where: str) -> str:
    match = re.match(r"^\s*([^\s:,<]+)", where)
    return match.group(1) if match else where


def _evidence_where(evidence: Sequence[Evidence]) -> str | None:
    """Where the statements are: each one if there are few, else the files they are in."""
    wheres = list(dict.fromkeys(e.where for e in evidence))
    if len(wheres) <= 3:
        return "; ".join(wheres) or None
    found = list(dict.fromkeys(_evidence_file(w) for w in wheres))
    if len(found) == 1:
        return f"{wheres[0]} and {len(wheres) - 1} more"
    return ", ".join(found[:4]) + (f" and {len(found) - 4} more" if len(found) > 4 else "")


def _said_by_file(evidence: Sequence[Evidence], catalog: Catalog) -> str:
    """What each file says: ``LICENSE.md says Design Science License; README.md says …``."""
    said: dict[str, list[str]] = {}
    for ev in evidence:
        lic = catalog.find(ev.match)
        if lic is None:
            detection = detect(ev.match, catalog=catalog)
            lic = detection.license if detection.status == "found" else None
        if lic is not None:
            name = lic.short_name
        elif ev.kind == "generic" or re.search(r"creative\s+commons", ev.match, re.IGNORECASE):
            name = (
                f"{_quote(ev.match, 50)} (a Creative Commons licence of unstated type or version)"
            )
        else:
            name = _quote(ev.match, 50)
        names = said.setdefault(_evidence_file(ev.where), [])
        if name not in names:
            names.append(name)
    return "; ".join(f"{where} says {' and '.join(names)}" for where, names in said.items())


class _Auditor:
    """One audit: walks the work, collects items and findings, then weighs the verdict."""

    def __init__(
        self,
        work: Work,
        *,
        source: str,
        path: Path | None,
        catalog: Catalog,
        policy: Policy,
        progress: Progress,
    ) -> None:
        self.work, self.source, self.path = work, source, path
        self.catalog, self.policy, self.say = catalog, policy, progress
        self.items: list[Item] = []
        self.findings: list[Finding] = []
        self.content = _Content()
        self.unknown: list[str] = []  # third-party items whose licence is unknown
        self.inputs: list[tuple[str, Work | str, bool]] = []  # (item, licence, adapted)
        self._archive: Archive | bool | None = False
        self._entries: _EntryIndex | None = None
        self.decision = next((p for p in work.permissions if p.kind == "decision"), None)
        lic_id = work.license or (self.decision.license if self.decision else None)
        self.book = catalog.find(lic_id) if lic_id else None
        self.commercial = not policy.allow_nc or (
            self.book is not None
            and self.book.category == "license"
            and not self.book.prohibits_commercial_use
        )

    # findings and items

    def flag(
        self,
        rule: str,
        variant: str,
        location: Location,
        item: str | None = None,
        *,
        severity: Severity | None = None,
        **values: object,
    ) -> None:
        """Record a finding in the words of ``messages.yaml``, at the policy's severity for the
        rule, else ``severity``, else the rule's own; rules the policy ignores are dropped."""
        if rule in self.policy.ignore:
            return
        words = _messages()[rule][variant]
        level = dict(self.policy.severity).get(rule, severity or RULES[rule].severity)
        message, fix = (words[k].format_map(values) for k in ("message", "fix"))
        self.findings.append(Finding(rule, level, message, fix, location, item))

    def item(
        self,
        item_id: str,
        kind: ItemKind,
        title: str | None,
        location: Location,
        *,
        license: str | None,
        lic: License | None,
        basis: Basis,
        **extra: Any,
    ) -> None:
        label = (
            lic.short_name
            if lic
            else ("Unknown" if license is None else f"Unknown ({_cut(license, 40)})")
        )
        self.items.append(
            Item(
                item_id,
                kind,
                title,
                location,
                license or (lic.id if lic else None),
                label,
                basis,
                **extra,
            )
        )

    def inside(self, base: str) -> str:
        """A section's file or folder, as a path inside the book when it is one."""
        prefix = self.source.rstrip("/") + "/"
        if base.startswith(prefix) and len(base) > len(prefix):
            return base[len(prefix) :]
        return base or self.source

    def find(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def at(self, element: str | None = None) -> Location:
        return Location(self.source, None, element)

    # reading the content

    def scan_content(self) -> None:
        assets = self.work.assets
        index = _AssetIndex(assets)
        names: dict[str, list[int]] = {}
        for k, asset in enumerate(assets, start=1):
            name = posixpath.basename(urlsplit(asset.source).path)
            if len(name) >= 5:
                names.setdefault(name, []).append(k)
        document = self.work.content
        sections = document.sections if document is not None else ()
        for n, section in enumerate(sections, start=1):
            self.say(f"[{n}/{len(sections)}] {section.id} {section.title or ''}".rstrip())
            try:
                loaded = document.get(section.id) if document is not None else None
            except OerRemixError:  # a missing module, a chapter the site no longer serves …
                self.content.unreadable.append(section.id)
                continue
            if loaded is None or not loaded.html.strip():
                continue
            here = Location(self.inside(loaded.base), section.id, None)
            # assets named in the text only (an image in raw HTML that Markdown kept as text)
            for name in set(_FILE_NAME.findall(loaded.html)) & names.keys():
                for k in names[name]:
                    self.content.named_in.setdefault(
                        k, Location(here.file, here.section, assets[k - 1].source)
                    )

            def media(src: str, tag: str, base: str = loaded.base, at: Location = here) -> None:
                found = index.find(_resolve(base, src))
                if found is not None and found not in self.content.placements:
                    self.content.placements[found] = Location(
                        at.file, at.section, f'<{tag} src="{_cut(src, 100)}">'
                    )

            try:
                root = parse_html(f'<meta charset="utf-8"><div>{loaded.html}</div>')
            except ReadError:
                continue
            whole = _is_credits_title(section.title or "")
            _scan(self.content, root, media, whole)
        page = self.whole_page()
        if page is not None:
            _scan(self.content, page, lambda _src, _tag: None, False)

    def whole_page(self) -> etree._Element | None:
        """A single local web page is also read whole: its footer carries the licence notice
        and credits that readers leave out of the content."""
        path = self.path
        if path is None or path.suffix.lower() not in (".html", ".htm", ".xhtml"):
            return None
        try:
            root: etree._Element = parse_html(path.read_bytes(), source=str(path))
        except (OSError, ReadError):
            return None
        for el in list(root.iter("main", "script", "style", "template")):
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
        return root

    def asset_bytes(self, asset: Asset) -> bytes | None:
        """An asset's file, from the book's folder, EPUB or cartridge."""
        if self._archive is False:
            from oerremix._archive import FolderArchive, ZipArchive

            path, self._archive = self.path, None
            try:
                if path is not None and path.is_dir():
                    self._archive = FolderArchive(path, source=str(path))
                elif path is not None and path.is_file() and zipfile.is_zipfile(path):
                    self._archive = ZipArchive(path.read_bytes(), source=str(path))
                elif path is not None and path.is_file():
                    self._archive = FolderArchive(path.parent, source=str(path.parent))
            except (OSError, OerRemixError):
                self._archive = None
        archive = cast("Archive | None", self._archive)
        name = posixpath.normpath(unquote(asset.source.strip()))
        if archive is None or _is_url(asset.source):
            return None
        try:
            return archive.read(name) if name in archive else None
        except OerRemixError:
            return None

    # credits

    def entries_for(
        self, urls: Iterable[str], names: Iterable[str], title: str | None
    ) -> list[_Entry]:
        """The ccREL groups about an item (strong), else the shortest credits entry naming it
        by its address, its file name or its title."""
        if self._entries is None:  # indexed once, when every section has been read
            self._entries = _EntryIndex(self.content.entries)
        index = self._entries
        keys = {_norm_url(u) for u in urls if _is_url(u)}
        paths = {n for n in names if n}
        strong = [e for k in (*keys, *paths) for e in index.about.get(k, ())]
        if strong:
            return strong
        weak = [e for k in keys for e in index.links.get(k, ())]
        for name in paths:
            base = posixpath.basename(name).lower()
            weak += index.names.get(base, []) if len(base) >= 5 else []
        wanted = (title or "").strip().lower()
        if not weak and len(wanted) >= 6:
            weak = [e for e in index.plain if wanted in e.lower]
        return sorted(weak, key=lambda e: len(e.text))[:1]

    def credit_of(
        self,
        *,
        text: str | None,
        title: str | None,
        authors: bool,
        urls: Sequence[str | None],
        entries: Sequence[_Entry],
        metadata: bool,
    ) -> _Credit:
        """What an item's caption, credits entries and recorded fields say about its credit."""
        texts = [t for t in (text, *(e.text for e in entries)) if t]
        found_in = (("caption",) if text else ()) + (("credits",) if entries else ())
        found_in += ("metadata",) if metadata else ()
        links = [u for u in urls if u and _is_url(u)]
        links += [u for t in texts for u in _URL.findall(t)]
        links += [h for e in entries for h in (*e.hrefs, e.about or "") if _is_url(h)]
        lic = None
        for e in entries:
            lic = lic or next(filter(None, map(self.catalog.find, e.license_hrefs)), None)
            if lic is None and (found := detect(e.text, catalog=self.catalog)).status == "found":
                lic = found.license
        # a credits entry repeating only the item's title (Pressbooks lists every image of its
        # media library so) credits no one
        named = [t for t in texts if _has_name(t, title)]
        return _Credit(
            creator=authors or any(e.names for e in entries) or bool(named),
            title=bool(title) or any(e.titles for e in entries) or any(map(_QUOTED.search, texts)),
            source=any(self.catalog.find(u) is None for u in links),
            license=lic,
            changes=any(map(_CHANGES.search, texts)),
            found_in=found_in,
            statements=tuple(t for t in texts if t == text or t in named),
        )

    def attribution(self, lic: License, credit: _Credit) -> AttributionCheck | None:
        """The TASL check for an item whose licence is known (stated for it)."""
        if not lic.requires_attribution:
            return None
        required = (
            ("creator", "title", "license", "source")
            if _before_4(lic)
            else ("creator", "license", "source")
        )
        have = {"creator": credit.creator, "title": credit.title, "source": credit.source}
        present = tuple(e for e in ("creator", "title", "license", "source") if have.get(e, True))
        return AttributionCheck(required, present, credit.found_in)

    def attribution_rules(
        self, check: AttributionCheck | None, lic: License, what: str, at: Location, item: str
    ) -> None:
        if check is None:
            return
        needs = {
            "creator": "the creator's name",
            "title": f"the title ({lic.short_name}, like every licence before 4.0, requires it)",
            "license": "the licence",
        }
        lacks = [needs[m] for m in check.missing if m in needs]
        if lacks:
            self.flag(
                "attribution-incomplete",
                "item",
                at,
                item,
                what=what,
                lacks="; ".join(lacks),
                license=lic.short_name,
                url=lic.url or "the licence",
            )
        if "source" in check.missing:
            self.flag("source-link-missing", "item", at, item, what=what, license=lic.short_name)

    # the rules that depend on a licence

    def license_rules(
        self,
        lic: License,
        what: str,
        at: Location,
        item: str,
        *,
        statements: Sequence[str] = (),
        changed: bool = False,
        adapted: bool = False,
    ) -> None:
        book = self.book
        if lic.prohibits_commercial_use and self.commercial and item != "book":
            offered = (
                f"the book's licence {book.short_name} allows commercial use"
                if book is not None and not book.prohibits_commercial_use
                else "the policy says the book is offered for commercial use"
            )
            self.flag(
                "nc-commercial",
                "item",
                at,
                item,
                what=what,
                license=lic.short_name,
                offered=offered,
            )
        if lic.category == "public-domain" and not lic.new_work and lic.family != "status":
            self.flag("public-domain-claim", "mark", at, item, what=what, name=lic.name())
        if lic.category == "public-domain" and lic.new_work:  # a dedication (CC0)
            claims = [s for s in statements if _PUBLIC_DOMAIN.search(s) and not _CC0.search(s)]
            if claims and not any(
                _CC0.search(s) or self.catalog.find(s) is lic for s in statements
            ):
                self.flag(
                    "public-domain-mislabelled",
                    "item",
                    at,
                    item,
                    what=what,
                    license=lic.short_name,
                    said=_quote(claims[0], 80),
                )
        if not (changed or adapted) or item == "book":
            return
        how = "was changed" if changed else "is adapted by the book"
        if not lic.permits_derivative_works:
            self.flag("nd-modified", "item", at, item, what=what, license=lic.short_name, how=how)
        elif lic.requires_share_alike and book is not None:
            allowed = sorted(self.catalog.adapter_licenses(lic, "recommended"))
            if book.id not in allowed:
                self.flag(
                    "sa-incompatible",
                    "item",
                    at,
                    item,
                    what=what,
                    how=how,
                    license=lic.short_name,
                    book=book.short_name,
                    allowed=_names(self.catalog, allowed),
                    best=_names(self.catalog, allowed[:1]),
                )

    def claim_rules(self, statements: Sequence[str], what: str, at: Location, item: str) -> bool:
        """A public-domain claim made in words for something with no licence; True if made."""
        claim = next((s for s in statements if _PUBLIC_DOMAIN.search(s)), None)
        if claim is not None:
            self.flag("public-domain-claim", "claim", at, item, what=what, said=_quote(claim, 80))
        return claim is not None

    # the book

    def audit_book(self) -> None:
        work, lic = self.work, self.book
        prov = work.provenance
        status = prov.license_status if prov else ("found" if work.license else "none")
        evidence = prov.license_evidence if prov else ()
        basis: Basis = "none"
        if lic is not None:
            basis = "stated" if work.license else "decided"
        elif status in ("ambiguous", "conflict"):
            basis = cast(Basis, status)
        self.item(
            "book",
            "book",
            work.title,
            self.at(),
            license=work.license,
            lic=lic,
            basis=basis,
            evidence=evidence,
            credit=work.copyright,
        )
        at = self.at(_evidence_where(evidence))
        said = _said_by_file(evidence, self.catalog)
        if work.license and lic is None:
            self.flag("license-unclear", "book", at, "book", license=_quote(work.license))
        elif lic is None and status == "conflict":
            self.flag("license-conflict", "book", at, "book", said=said)
        elif lic is None and status == "ambiguous":
            own = sorted({s.license for s in work.sections if s.license})
            if own:
                listed = ", ".join(_short(self.catalog, x) for x in own)
                self.flag("license-unclear", "sections", at, "book", licenses=listed)
            else:
                self.flag("license-unclear", "ambiguous", at, "book", said=said)
        elif lic is None:
            only = "; ".join(f"{e.where}: {_quote(e.match, 60)}" for e in evidence[:3])
            self.flag("license-missing", "book", at, "book", only=f" (only {only})" if only else "")
        if lic is None:
            self.claim_rules([e.match for e in evidence], "The book", at, "book")
            return
        if basis == "decided" and self.decision is not None:
            why = f": {_cut(self.decision.basis, 160)}" if self.decision.basis else ""
            self.flag(
                "license-decided",
                "book",
                at,
                "book",
                license=lic.short_name,
                by=self.decision.granted_by,
                basis=why,
            )
        if lic.prohibits_commercial_use and not self.policy.allow_nc:
            self.flag("nc-commercial", "book", at, "book", license=lic.short_name)
        if lic.category == "status":
            self.flag("not-openly-licensed", "book", at, "book", name=lic.name())
        if lic.requires_attribution and not work.authors and not work.copyright:
            self.flag("creator-missing", "book", self.at(), "book", license=lic.short_name)
        self.license_rules(lic, "The book", at, "book", statements=[e.match for e in evidence])
        target = self.policy.target
        if target is not None and lic.id != target:
            self.flag(
                "policy-target",
                "declared",
                at,
                "book",
                target=_short(self.catalog, target),
                license=lic.short_name,
            )

    def audit_sections(self) -> None:
        book, work = self.book, self.work
        evidence = work.provenance.license_evidence if work.provenance else ()
        for section in work.sections:
            item_id = f"section:{section.id}"
            at = Location(self.source, section.id, None)
            lic = self.catalog.find(section.license) if section.license else book
            basis: Basis = "stated" if section.license else ("inherited" if book else "none")
            key = section.id.lower()
            mine = tuple(
                e
                for e in evidence
                if section.license
                and (key in e.where.lower() or key.replace("-", " ") in e.where.lower())
            )
            self.item(
                item_id,
                "section",
                section.title,
                at,
                license=section.license or None,
                lic=lic,
                basis=basis,
                evidence=mine,
            )
            if not section.license:
                continue
            what = f"Section {_quote(section.title or section.id, 60)}"
            if lic is None:
                self.unknown.append(item_id)
                self.flag(
                    "license-unclear",
                    "item",
                    at,
                    item_id,
                    what=what,
                    license=_quote(section.license),
                )
                continue
            self.inputs.append((item_id, lic.id, False))
            self.license_rules(lic, what, at, item_id)
            if lic.category == "status":
                self.flag("not-openly-licensed", "item", at, item_id, what=what, name=lic.name())
            elif book is not None and lic.id != book.id:
                self.flag(
                    "section-license",
                    "section",
                    at,
                    item_id,
                    what=what,
                    license=lic.short_name,
                    book=book.short_name,
                )

    # assets

    def audit_assets(self, differs: Callable[[Asset, License], str | None]) -> None:
        for n, asset in enumerate(self.work.assets, start=1):
            item_id = f"asset:{n}"
            name = posixpath.basename(urlsplit(asset.source).path) or asset.source
            at = (
                self.content.placements.get(n)
                or self.content.named_in.get(n)
                or self.at(f"{asset.kind} {_cut(asset.source, 100)}")
            )
            what = f"The {asset.kind} {_quote(asset.title or name, 60)}"
            entries = self.entries_for([asset.source], [asset.source, name], asset.title)
            credit = self.credit_of(
                text=asset.credit,
                title=asset.title,
                authors=bool(asset.authors),
                urls=[asset.source, *(a.url for a in asset.authors)],
                entries=entries,
                metadata=bool(asset.authors) or (bool(asset.license) and not asset.credit),
            )
            decided = next((p for p in asset.permissions if p.kind == "decision"), None)
            lic: License | None = None
            basis: Basis = "none"
            if asset.license:
                lic = self.catalog.find(asset.license)
                basis = "inherited" if asset.license_inherited else "stated"
            elif decided is not None and decided.license:
                lic, basis = self.catalog.find(decided.license), "decided"
            elif credit.license is not None:
                lic, basis = credit.license, "credits"
            changed = bool(asset.changes) or credit.changes
            altered = differs(asset, lic) if lic is not None and basis != "inherited" else None
            check = self.attribution(lic, credit) if lic and basis != "inherited" else None
            changes = None
            if lic is not None and basis != "inherited" and (changed or altered):
                changes = ChangesCheck(lic.requires_attribution, changed)
            self.item(
                item_id,
                "asset",
                asset.title or name,
                at,
                license=asset.license,
                lic=lic,
                basis=basis,
                credit=asset.credit,
                attribution=check,
                changes=changes,
            )
            if asset.trademark or (asset.title or "").strip().lower() == "cover":
                kind = "trademark" if asset.trademark else "cover"
                self.flag("trademark", kind, at, item_id, what=what)
                if asset.trademark:
                    continue
            statements = credit.statements
            if lic is None and asset.license:
                self.unknown.append(item_id)
                self.flag(
                    "license-unclear", "item", at, item_id, what=what, license=_quote(asset.license)
                )
                continue
            if lic is None:
                self.asset_without_licence(asset, credit, what, at, item_id)
                continue
            if basis == "inherited":
                continue
            if lic.category == "status":
                self.status_item(asset, lic, what, at, item_id)
                continue
            self.inputs.append((item_id, lic.id, changed or bool(altered)))
            self.license_rules(lic, what, at, item_id, statements=statements, changed=changed)
            if altered is not None:
                rule = (
                    "nd-modified"
                    if "dimensions" in altered or "recorded" in altered
                    else ("nd-bytes-differ")
                )
                self.flag(
                    rule, "file", at, item_id, what=what, license=lic.short_name, differs=altered
                )
                if not changed and lic.requires_attribution:
                    self.flag(
                        "changes-not-indicated", "item", at, item_id, what=what, differs=altered
                    )
            self.attribution_rules(check, lic, what, at, item_id)
            uploaded = next(filter(None, map(_UPLOADED_BY.search, statements)), None)
            if uploaded is not None:
                self.flag(
                    "uploader-credited",
                    "text",
                    at,
                    item_id,
                    what=what,
                    said=_quote(uploaded.group(0), 60),
                )

    def asset_without_licence(
        self, asset: Asset, credit: _Credit, what: str, at: Location, item: str
    ) -> None:
        statements = list(dict.fromkeys(s for s in (asset.credit, *credit.statements) if s))
        if self.claim_rules(statements, what, at, item):
            self.unknown.append(item)
            return
        if statements or asset.authors or self.foreign(asset):
            self.unknown.append(item)
            said = f"credited {_quote(statements[0])}" if statements else "hosted elsewhere"
            if not statements and asset.authors:
                said = f"by {asset.authors[0].name}"
            self.flag("license-missing", "asset", at, item, what=what, said=said)
            return
        book = self.book
        variant = "covered" if book is not None else "unknown"
        self.flag(
            "license-assumed", variant, at, item, what=what, license=book.short_name if book else ""
        )

    def status_item(self, asset: Asset, lic: License, what: str, at: Location, item: str) -> None:
        """An item marked all rights reserved, used with permission or under fair dealing."""
        if lic.id == "FAIR-DEALING":
            mode = self.policy.fair_dealing
            if mode == "forbidden":
                self.flag("fair-dealing", "forbidden", at, item, severity="error", what=what)
            elif mode == "allowed_with_note" and not asset.credit:
                self.flag("fair-dealing", "unmarked", at, item, what=what)
            else:
                marked = " and marked so" if asset.credit else ""
                self.flag(
                    "fair-dealing", "allowed", at, item, severity="info", what=what, marked=marked
                )
            return
        permission = next((p for p in asset.permissions if p.kind == "permission"), None)
        if permission is not None:
            self.flag(
                "not-openly-licensed",
                "permission",
                at,
                item,
                severity="info",
                what=what,
                by=permission.granted_by,
                scope=_cut(permission.scope, 80),
            )
        else:
            self.flag("not-openly-licensed", "item", at, item, what=what, name=lic.name())

    def foreign(self, asset: Asset) -> bool:
        """Whether an asset is hosted on another site than the book (an embed, a hotlink)."""
        if not _is_url(asset.source):
            return False
        homes = {
            urlsplit(u).netloc.lower().removeprefix("www.")
            for u in (self.work.url, self.source)
            if u and _is_url(u)
        }
        return urlsplit(asset.source).netloc.lower().removeprefix("www.") not in homes

    # sources

    def audit_sources(self) -> None:
        """The works the book adapts (``based_on``) and collects (``parts``)."""
        indicated = bool(self.work.changes) or self.content.changes > 0
        unmarked: list[str] = []
        listed: list[tuple[str, ItemKind, Work]] = [
            (f"source:{n}", "source", w) for n, w in enumerate(self.work.based_on, 1)
        ]
        listed += [(f"part:{n}", "part", w) for n, w in enumerate(self.work.parts, 1)]
        for item_id, kind, source in listed:
            adapted = kind == "source"
            what = f"The {kind} {_quote(source.title or source.url or item_id, 80)}"
            urls = [source.url] if source.url else []
            entries = self.entries_for(urls, [], source.title)
            credit = self.credit_of(
                text=None,
                title=source.title,
                authors=bool(source.authors),
                urls=urls,
                entries=entries,
                metadata=bool(source.authors or source.license),
            )
            decided = next((p for p in source.permissions if p.kind == "decision"), None)
            lic: License | None = None
            basis: Basis = "none"
            if source.license:
                lic, basis = self.catalog.find(source.license), "stated"
            elif decided is not None and decided.license:
                lic, basis = self.catalog.find(decided.license), "decided"
            elif credit.license is not None:
                lic, basis = credit.license, "credits"
            at = Location(source.url or self.source, None, None)
            changes = None
            if adapted and lic is not None:
                required = lic.requires_attribution and lic.family == "creative-commons"
                changes = ChangesCheck(required, indicated or bool(source.changes))
                if required and not changes.indicated:
                    unmarked.append(lic.short_name)
            check = self.attribution(lic, credit) if lic is not None else None
            evidence = source.provenance.license_evidence if source.provenance else ()
            self.item(
                item_id,
                kind,
                source.title or source.url,
                at,
                license=source.license,
                lic=lic,
                basis=basis,
                evidence=evidence,
                attribution=check,
                changes=changes,
            )
            if lic is None:
                self.unknown.append(item_id)
                if source.license:
                    self.flag(
                        "license-unclear",
                        "item",
                        at,
                        item_id,
                        what=what,
                        license=_quote(source.license),
                    )
                else:
                    use = "adapt" if adapted else "include"
                    self.flag("license-missing", "source", at, item_id, what=what, use=use)
                continue
            value: Work | str = source if basis in ("stated", "decided") else lic.id
            self.inputs.append((item_id, value, adapted))
            if lic.category == "status":
                self.flag("not-openly-licensed", "item", at, item_id, what=what, name=lic.name())
                continue
            self.license_rules(lic, what, at, item_id, adapted=adapted)
            self.attribution_rules(check, lic, what, at, item_id)
        if unmarked:
            self.flag(
                "changes-not-indicated",
                "book",
                self.at(),
                "book",
                licenses=", ".join(sorted(set(unmarked))),
            )

    # the verdict

    def verdict(self) -> BookVerdict:
        """Which licences the whole may carry: the compatibility engine, asked about what the
        book adapts (sources, changed items) and about everything in it as a collection."""
        book, cat = self.book, self.catalog
        intended = book if book is not None and book.category != "status" else None
        adapted = [(i, v) for i, v, a in self.inputs if a]
        # public-domain material constrains nothing; a work is weighed with its lineage
        collected = [
            (i, v)
            for i, v, _ in self.inputs
            if isinstance(v, Work) or not (cat.get(v).adaptation.imposes_nothing)
        ]

        def view(kind: Kind, pairs: list[_Input]) -> VerdictView | None:
            if not pairs:
                return None
            result = check([v for _, v in pairs], kind=kind, intended=intended, catalog=cat)
            reasons = [c.reason for c in result.conflicts]
            reasons += [r for r in result.intended_reasons if r not in reasons]
            return VerdictView(
                kind,
                result.allowed,
                result.may_license_as,
                result.discouraged,
                result.intended_allowed,
                tuple(reasons),
                tuple(i for i, _ in pairs),
            )

        adaptation, collection = view("adaptation", adapted), view("collection", collected)
        may: tuple[str, ...] | None = None
        for v in (adaptation, collection):
            if v is not None:
                allowed = v.may_license_as + v.discouraged
                may = allowed if may is None else tuple(x for x in may if x in allowed)
        declared_allowed = None if book is None or may is None else book.id in may
        if declared_allowed is False and book is not None and intended is not None:
            kind: Kind = (
                "adaptation"
                if adaptation and adaptation.declared_allowed is False
                else "collection"
            )
            pairs = adapted if kind == "adaptation" else collected
            blocking = [
                i
                for i, v in pairs
                if check([v], kind=kind, intended=intended, catalog=cat).intended_allowed is False
            ]
            named = []
            for i in blocking[:3]:
                found = self.find(i)
                if found is not None:
                    named.append(
                        f"{found.kind} {_quote(found.title or i, 50)} ({found.license_label})"
                    )
            because = f" Because of: {'; '.join(named)}" if named else ""
            because += (
                f" and {len(blocking) - 3} more." if len(blocking) > 3 else ("." if named else "")
            )
            severity: Severity = "error" if kind == "adaptation" else "warning"
            self.flag(
                "declared-license-not-allowed",
                kind,
                self.at(),
                None,
                severity=severity,
                license=book.short_name,
                options=_names(cat, may or ()),
                best=_names(cat, (may or ())[:1]),
                because=because,
            )
        target = self.policy.target
        if target is not None and may is not None and target not in may:
            self.flag(
                "policy-target",
                "verdict",
                self.at(),
                "book",
                target=_short(cat, target),
                options=_names(cat, may),
            )
        unknown = tuple(dict.fromkeys(self.unknown))
        return BookVerdict(
            book.id if book else None, may, declared_allowed, adaptation, collection, unknown
        )


# --- online checks --------------------------------------------------------------------------


def _check_links(auditor: _Auditor, fetcher: Fetcher) -> None:
    """Fetch every source link (the book's, its sources', its assets', those in credits)."""
    work = auditor.work
    owners: dict[str, str | None] = {}
    candidates: list[tuple[str, str | None]] = [(work.url or "", None)]
    candidates += [(s.url or "", f"source:{n}") for n, s in enumerate(work.based_on, 1)]
    candidates += [(p.url or "", f"part:{n}") for n, p in enumerate(work.parts, 1)]
    for n, asset in enumerate(work.assets, 1):
        for url in (asset.source, *_URL.findall(asset.credit or "")):
            candidates.append((url.rstrip(".,;"), f"asset:{n}"))
    for url, owner in candidates:
        if _is_url(url) and auditor.catalog.find(url) is None:
            owners.setdefault(url, owner)
    urls = list(owners)
    if not urls:
        return
    auditor.say(f"checking {len(urls)} links")
    for url, result in zip(urls, fetcher.fetch_many(urls), strict=True):
        if not isinstance(result, FetchError):
            continue
        owner = owners[url]
        found = auditor.find(owner) if owner else None
        at = found.location if found else auditor.at(url)
        refused = "limit" in result.message or "refusing" in result.message
        auditor.flag(
            "link-unchecked" if refused else "link-dead",
            "link",
            at,
            owner,
            url=url,
            reason=result.message,
        )


def _commons_page(asset: Asset) -> tuple[str, str] | None:
    """The wiki and the file title of an asset from Wikimedia Commons (or another MediaWiki)."""
    for url in (asset.source, *_URL.findall(asset.credit or "")):
        if match := _COMMONS_PAGE.match(url):
            return match.group(1), unquote(match.group(2))
        if upload := _UPLOAD.match(url):
            return "https://commons.wikimedia.org", f"File:{unquote(upload.group(1))}"
    return None


def _check_commons(auditor: _Auditor, fetcher: Fetcher) -> None:
    """Ask the file's wiki for its Artist and uploaders; flag a credit to an uploader."""
    for n, asset in enumerate(auditor.work.assets, start=1):
        page = _commons_page(asset)
        credited = " ".join([asset.credit or "", *(a.name for a in asset.authors)]).lower()
        if page is None or not credited.strip():
            continue
        query = urlencode(
            {
                "action": "query",
                "format": "json",
                "prop": "imageinfo",
                "iiprop": "user|extmetadata",
                "iilimit": "50",
                "titles": page[1],
            }
        )
        try:
            data = fetcher.fetch_json(f"{page[0]}/w/api.php?{query}")
            pages = data["query"]["pages"].values()
            infos = [i for p in pages for i in p.get("imageinfo") or []]
            artist_html = str(infos[0]["extmetadata"]["Artist"]["value"])
        except (OerRemixError, KeyError, TypeError, AttributeError, IndexError):
            continue
        artist = _text(parse_html(f'<meta charset="utf-8"><div>{artist_html}</div>'))
        uploaders = list(dict.fromkeys(str(i["user"]) for i in infos if i.get("user")))
        if not artist or artist.lower() in credited:
            continue
        if any(a.name.lower() in artist.lower() for a in asset.authors):
            continue
        uploader = next(
            (u for u in uploaders if u.lower() in credited and u.lower() not in artist.lower()),
            None,
        )
        if uploader is not None:
            item_id = f"asset:{n}"
            found = auditor.find(item_id)
            what = f"The {asset.kind} {_quote(asset.title or page[1], 60)}"
            auditor.flag(
                "uploader-credited",
                "commons",
                found.location if found else auditor.at(),
                item_id,
                what=what,
                page=f"{page[0]}/wiki/{page[1]}",
                uploader=uploader,
                artist=artist,
            )


def _differs(auditor: _Auditor, fetcher: Fetcher | None) -> Callable[[Asset, License], str | None]:
    """How a NoDerivatives asset's file differs from its recorded source: oerremix's packages
    name each media file after the SHA-256 of the original; online, the original at the URL
    its credit gives."""

    def differs(asset: Asset, lic: License) -> str | None:
        if lic.permits_derivative_works:
            return None
        data = auditor.asset_bytes(asset)
        if data is None:
            return None
        recorded = _OERREMIX_MEDIA.search(asset.source)
        if recorded and hashlib.sha256(data).hexdigest()[:10] != recorded.group(1):
            return "its file is not the one recorded when the package was built"
        urls = [u for u in _URL.findall(asset.credit or "") if auditor.catalog.find(u) is None]
        if fetcher is None or not urls:
            return None
        try:
            original = fetcher.fetch(urls[0]).content
        except OerRemixError:
            return None
        mine, theirs = _dimensions(data), _dimensions(original)
        if original == data or mine is None or theirs is None:
            return None
        if mine != theirs:
            return (
                f"its dimensions ({mine[0]}×{mine[1]}) differ from its source's "
                f"({theirs[0]}×{theirs[1]}) at {urls[0]}"
            )
        return f"its bytes differ from its source at {urls[0]} (same dimensions: re-encoded?)"

    return differs


def audit(
    source: Work | str | os.PathLike[str],
    *,
    policy: Policy | None = None,
    fetcher: Fetcher | None = None,
    check_links: bool = False,
    progress: Progress | None = None,
    format: str | None = None,
    catalog: Catalog | None = None,
) -> Report:
    """Audit a book: a path or URL oerremix reads, or a :class:`~oerremix.model.Work`.

    ``policy`` is what a publishing pipeline requires (:func:`load_policy`). ``check_links``
    fetches (through ``fetcher``, else a new :class:`~oerremix.fetch.Fetcher`) every source
    link to report dead ones, asks Wikimedia Commons who made each Commons file, and compares
    NoDerivatives files with the originals their credits link to. ``progress`` is called with a
    message per section read. ``format`` forces a reader, as :func:`~oerremix.readers.read`.

    Raises :class:`~oerremix.errors.ReadError` or :class:`~oerremix.errors.FetchError` when the
    source cannot be read at all; problems *in* the book are findings, never exceptions.
    """
    from oerremix.readers import read

    cat = catalog or load_catalog()
    say = progress or (lambda _message: None)
    if isinstance(source, Work):
        work = source
        location = work.provenance.source if work.provenance else (work.title or "<work>")
    else:
        location = os.fspath(source)
        say(f"reading {location}")
        work = read(location, fetcher=fetcher, format=format)
    path = None if _is_url(location) or not Path(location).exists() else Path(location)
    auditor = _Auditor(
        work, source=location, path=path, catalog=cat, policy=policy or Policy(), progress=say
    )
    own = None
    if check_links and fetcher is None:
        from oerremix.fetch import Fetcher

        own = fetcher = Fetcher()
    try:
        auditor.scan_content()
        auditor.audit_book()
        auditor.audit_sections()
        auditor.audit_assets(_differs(auditor, fetcher if check_links else None))
        auditor.audit_sources()
        verdict = auditor.verdict()
        missing = auditor.content.unreadable
        if missing:
            auditor.flag(
                "content-unreadable",
                "book",
                auditor.at(),
                count=len(missing),
                total=len(work.sections),
                first=", ".join(missing[:5]),
            )
        if check_links and fetcher is not None:
            _check_links(auditor, fetcher)
            _check_commons(auditor, fetcher)
    finally:
        if own is not None:
            own.close()
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    findings = sorted(
        dict.fromkeys(auditor.findings),
        key=lambda f: (rank[f.severity], f.rule, str(f.location)),
    )
    prov = work.provenance
    return Report(
        source=location,
        title=work.title,
        license=verdict.declared or work.license,
        license_status=prov.license_status if prov else ("found" if work.license else "none"),
        items=tuple(auditor.items),
        findings=tuple(findings),
        verdict=verdict,
        policy=policy,
    )
