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

import functools
import os
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urlsplit

import yaml
from lxml import etree

from oerremix._audit_assets import audit_assets
from oerremix._audit_content import (
    AssetIndex,
    Content,
    Entry,
    EntryIndex,
    is_credits_title,
    resolve,
    scan,
)
from oerremix._audit_online import check_commons, check_source_links, file_differs
from oerremix._audit_policy import load_policy
from oerremix._audit_report import (
    RULES,
    SEVERITIES,
    AttributionCheck,
    Basis,
    Finding,
    Item,
    ItemKind,
    Location,
    Policy,
    Report,
    Severity,
    _names,
    _short,
    format_html,
    format_json,
    format_text,
)
from oerremix._audit_sources import audit_sources
from oerremix._audit_verdict import weigh_verdict
from oerremix._audit_words import CHANGES, FILE_NAME, URL, cut, is_url, norm_url, quote
from oerremix._markup import parse_html
from oerremix.catalog import Catalog, License, load_catalog
from oerremix.detect import detect
from oerremix.errors import OerRemixError, ReadError
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

# --- words ------------------------------------------------------------------------------------

_PUBLIC_DOMAIN = re.compile(
    r"public[\s-]+domain|\bgemeinfrei|domaine\s+public|dominio\s+p[uú]blico|^\s*pd(?:-|\b)",
    re.IGNORECASE | re.MULTILINE,
)
_CC0 = re.compile(r"\bcc0\b|cc\s*zero|creative\s+commons\s+zero|publicdomain/zero", re.IGNORECASE)
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


@functools.cache
def _messages() -> dict[str, dict[str, dict[str, str]]]:
    path = files("oerremix") / "templates" / "audit" / "messages.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return cast("dict[str, dict[str, dict[str, str]]]", data)


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
    rest = URL.sub(" ", text)
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
            name = f"{quote(ev.match, 50)} (a Creative Commons licence of unstated type or version)"
        else:
            name = quote(ev.match, 50)
        names = said.setdefault(_evidence_file(ev.where), [])
        if name not in names:
            names.append(name)
    return "; ".join(f"{where} says {' and '.join(names)}" for where, names in said.items())


class _Auditor:
    """One audit: walks the work and collects items and findings, from which
    :func:`~oerremix._audit_verdict.weigh_verdict` then weighs the verdict. The assets and the
    sources are checked through it by :func:`~oerremix._audit_assets.audit_assets` and
    :func:`~oerremix._audit_sources.audit_sources`."""

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
        self.content = Content()
        self.unknown: list[str] = []  # third-party items whose licence is unknown
        self.inputs: list[tuple[str, Work | str, bool]] = []  # (item, licence, adapted)
        self._archive: Archive | bool | None = False
        self._entries: EntryIndex | None = None
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
            else ("Unknown" if license is None else f"Unknown ({cut(license, 40)})")
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
        index = AssetIndex(assets)
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
            for name in set(FILE_NAME.findall(loaded.html)) & names.keys():
                for k in names[name]:
                    self.content.named_in.setdefault(
                        k, Location(here.file, here.section, assets[k - 1].source)
                    )

            def media(src: str, tag: str, base: str = loaded.base, at: Location = here) -> None:
                found = index.find(resolve(base, src))
                if found is not None and found not in self.content.placements:
                    self.content.placements[found] = Location(
                        at.file, at.section, f'<{tag} src="{cut(src, 100)}">'
                    )

            try:
                root = parse_html(f'<meta charset="utf-8"><div>{loaded.html}</div>')
            except ReadError:
                continue
            whole = is_credits_title(section.title or "")
            scan(self.content, root, media, whole)
        page = self.whole_page()
        if page is not None:
            scan(self.content, page, lambda _src, _tag: None, False)

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
        if archive is None or is_url(asset.source):
            return None
        try:
            return archive.read(name) if name in archive else None
        except OerRemixError:
            return None

    # credits

    def entries_for(
        self, urls: Iterable[str], names: Iterable[str], title: str | None
    ) -> list[Entry]:
        """The ccREL groups about an item (strong), else the shortest credits entry naming it
        by its address, its file name or its title."""
        if self._entries is None:  # indexed once, when every section has been read
            self._entries = EntryIndex(self.content.entries)
        index = self._entries
        keys = {norm_url(u) for u in urls if is_url(u)}
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
        entries: Sequence[Entry],
        metadata: bool,
    ) -> _Credit:
        """What an item's caption, credits entries and recorded fields say about its credit."""
        texts = [t for t in (text, *(e.text for e in entries)) if t]
        found_in = (("caption",) if text else ()) + (("credits",) if entries else ())
        found_in += ("metadata",) if metadata else ()
        links = [u for u in urls if u and is_url(u)]
        links += [u for t in texts for u in URL.findall(t)]
        links += [h for e in entries for h in (*e.hrefs, e.about or "") if is_url(h)]
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
            changes=any(map(CHANGES.search, texts)),
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
                    said=quote(claims[0], 80),
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
            self.flag("public-domain-claim", "claim", at, item, what=what, said=quote(claim, 80))
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
            self.flag("license-unclear", "book", at, "book", license=quote(work.license))
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
            only = "; ".join(f"{e.where}: {quote(e.match, 60)}" for e in evidence[:3])
            self.flag("license-missing", "book", at, "book", only=f" (only {only})" if only else "")
        if lic is None:
            self.claim_rules([e.match for e in evidence], "The book", at, "book")
            return
        if basis == "decided" and self.decision is not None:
            why = f": {cut(self.decision.basis, 160)}" if self.decision.basis else ""
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
            what = f"Section {quote(section.title or section.id, 60)}"
            if lic is None:
                self.unknown.append(item_id)
                self.flag(
                    "license-unclear",
                    "item",
                    at,
                    item_id,
                    what=what,
                    license=quote(section.license),
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


def audit(
    source: Work | str | os.PathLike[str],
    *,
    policy: Policy | str | os.PathLike[str] | None = None,
    fetcher: Fetcher | None = None,
    check_links: bool = False,
    progress: Progress | None = None,
    format: str | None = None,
    catalog: Catalog | None = None,
    jobs: int | None = 1,
) -> Report:
    """Audit a book: a path or URL oerremix reads, or a :class:`~oerremix.model.Work`.

    ``policy`` is what a publishing pipeline requires: a :class:`Policy` or the path of a
    policy file (read by :func:`load_policy`). ``check_links``
    fetches (through ``fetcher``, else a new :class:`~oerremix.fetch.Fetcher`) every source
    link to report dead ones, asks Wikimedia Commons who made each Commons file, and compares
    NoDerivatives files with the originals their credits link to. ``progress`` is called with a
    message per section read. ``format`` forces a reader and ``jobs`` lets a long book be read
    in several processes, as :func:`~oerremix.readers.read`.

    Raises :class:`~oerremix.errors.ReadError` or :class:`~oerremix.errors.FetchError` when the
    source cannot be read at all; problems *in* the book are findings, never exceptions.
    """
    from oerremix.readers import read

    cat = catalog or load_catalog()
    if isinstance(policy, (str, os.PathLike)):
        policy = load_policy(policy, catalog=cat)
    elif policy is not None and not isinstance(policy, Policy):
        raise TypeError(f"policy must be a Policy or a path, not {type(policy).__name__}")
    say = progress or (lambda _message: None)
    if isinstance(source, Work):
        work = source
        location = work.provenance.source if work.provenance else (work.title or "<work>")
    else:
        location = os.fspath(source)
        say(f"reading {location}")
        work = read(location, fetcher=fetcher, format=format, jobs=jobs)
    path = None if is_url(location) or not Path(location).exists() else Path(location)
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
        audit_assets(auditor, file_differs(auditor, fetcher if check_links else None))
        audit_sources(auditor)
        verdict = weigh_verdict(auditor)
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
            check_source_links(auditor, fetcher)
            check_commons(auditor, fetcher)
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
