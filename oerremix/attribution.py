"""Attribution: credit a Work and everything in it, in HTML+RDFa, Markdown, text or JSON-LD.

Compute, then format. :func:`attribution_record` walks a :class:`~oerremix.model.Work` (its
sources, recursively; its parts; every asset) and returns an :class:`Attribution`: the credit
of the work itself, the remix chain, every third-party item once in the group an author expects,
and the problems found. :func:`render` turns that record into text; :func:`attribute` does both
and also emits each problem as an :class:`AttributionWarning`::

    >>> from oerremix import Author, Work, attribute
    >>> photo = Work(
    ...     title="Creative Commons 10th Birthday Celebration San Francisco",
    ...     url="https://www.flickr.com/photos/tvol/8179484385/",
    ...     authors=(Author("tvol", "https://www.flickr.com/photos/tvol/"),),
    ...     license="CC-BY-2.0",
    ... )
    >>> text = attribute(photo, format="text", medium="print")
    >>> print(text.replace(" (https", "\\n  (https"), end="")
    "Creative Commons 10th Birthday Celebration San Francisco"
      (https://www.flickr.com/photos/tvol/8179484385/) by tvol
      (https://www.flickr.com/photos/tvol/) is licensed under CC BY 2.0
      (https://creativecommons.org/licenses/by/2.0/).

Nothing is invented: a missing title or author is left out of the credit (as Creative Commons'
guidance says) and reported; so is a licence requirement the recorded facts cannot meet. Every
value is escaped for the format it is written in, and only ``http``/``https`` links are written.
The words come from ``templates/strings/<lang>.yaml`` (section ``attribution``); licence names
and deed links come from the catalogue, in the language asked for.
"""

from __future__ import annotations

import functools
import json
import re
import string
import unicodedata
import urllib.parse
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from oerremix._changes_jsonld import CHANGES, changes_to_jsonld
from oerremix._strings import languages, phrase
from oerremix.catalog import Catalog, License, load_catalog
from oerremix.errors import OerRemixError
from oerremix.model import Asset, Author, Change, Permission, Work

__all__ = [
    "FORMATS",
    "GROUPS",
    "Attribution",
    "AttributionWarning",
    "Credit",
    "Modification",
    "attribute",
    "attribution_languages",
    "attribution_record",
    "render",
]

Format = Literal["html", "markdown", "text", "jsonld"]
Medium = Literal["online", "print"]
Group = Literal["original", "adapted", "unchanged", "public-domain", "permission"]
Statement = Literal["licensed", "marked", "public-domain", "not-covered", "unlicensed"]

FORMATS: tuple[Format, ...] = ("html", "markdown", "text", "jsonld")
"""The output formats of :func:`render` and :func:`attribute`."""

GROUPS: tuple[Group, ...] = ("original", "adapted", "unchanged", "public-domain", "permission")
"""The credit groups, in the order they are written."""

_MEDIA: tuple[Medium, ...] = ("online", "print")


class AttributionWarning(OerRemixError, UserWarning):
    """A fact an attribution needs is missing or unusable; the message says which and where.

    :func:`attribute` emits one per problem (``warnings.warn``); :func:`attribution_record`
    returns them in :attr:`Attribution.warnings` instead. It is a :class:`UserWarning` and, like
    everything oerremix raises, an :class:`~oerremix.errors.OerRemixError`, so a caller who
    turns warnings into errors still catches one class.
    """


@dataclass(frozen=True, slots=True)
class Modification:
    """Changes made to a credited item, and where they were made."""

    made_in: Literal["item", "this", "other"]
    """``"item"``: changes recorded on an asset itself; ``"this"``: made in the work being
    attributed; ``"other"``: made in an intermediate work of the chain, named by ``work``."""
    work: str | None
    """The title of the intermediate work (``made_in == "other"``), or None."""
    changes: tuple[Change, ...]
    """The changes, as recorded (whitespace tidied)."""


@dataclass(frozen=True, slots=True)
class Credit:
    """One credited work or asset: its title, authors, source link, licence, changes, notices.

    Every text is as recorded, with control characters removed and runs of white space made
    one space; every link is an ``http``/``https`` URL or None.
    """

    id: str
    """A short id unique in the record (``c0`` is the work itself), used for blank nodes."""
    kind: Literal["work", "image", "video", "audio", "embed"]
    """``"work"`` or the kind of asset."""
    title: str | None
    """The title, or None when none is recorded (or credit was removed)."""
    url: str | None
    """The link to the item (the S of TASL), or None."""
    path: str | None
    """For an asset whose source is a path inside the work, that path; else None."""
    authors: tuple[Author, ...]
    """The creators, with safe links only."""
    license: License | None
    """The licence (or public-domain tool or status) from the catalogue, or None if unknown."""
    license_label: str
    """How the licence is named: the short name of a licence (``CC BY 4.0``), the name of a tool
    or status in the record's language (``Public Domain Mark 1.0``), or "licence unknown"."""
    license_url: str | None
    """The deed (or licence page) in the record's language, or None."""
    statement: Statement
    """How the item is credited: ``licensed`` under a licence, ``marked`` with a public-domain
    tool, ``public-domain`` (a status), ``not-covered`` (not licensed to the public, or
    licence unknown) or ``unlicensed`` (the work itself, with no licence recorded)."""
    copyright: str | None
    """The copyright notice to keep, verbatim, or None."""
    notice: str | None
    """An asset's credit line as supplied, shown when it is needed (no author or no licence)."""
    year: int | None
    """The year of publication, or None."""
    language: str | None
    """The item's language (BCP 47), or None."""
    modifications: tuple[Modification, ...]
    """The changes made to it, and where."""
    changes_made: tuple[Change, ...]
    """The changes this work records making (its :attr:`~oerremix.model.Work.changes`, tidied),
    written to JSON-LD so that a remix of it keeps them; empty for an asset."""
    sources: tuple[Credit, ...]
    """The works it is adapted from (the chain), each with their own sources."""
    parts: tuple[Credit, ...]
    """The works it collects, and its assets (for JSON-LD ``hasPart``)."""
    permissions: tuple[Permission, ...]
    """Permissions and licence decisions recorded for it."""
    trademark: bool
    """It is a trademark (a logo, a cover): outside any licence."""
    credit_removed: bool
    """The licensor asked for their credit to be removed: title, authors, link and copyright
    notice are not written (CC BY 4.0 §3(a)(3); §4(a)-(b) in 3.0 and earlier)."""
    group: Group
    """The credits group it is listed in."""
    file: str | None = None
    """For an asset the package being written holds a copy of, that copy's path (relative to
    the package's ``metadata.jsonld``); else None. JSON-LD gives it as ``contentUrl``, so that
    a reader of the package finds each file's own licence."""

    @property
    def about(self) -> str:
        """The RDFa subject of the item: its URL, or a blank node."""
        return self.url or f"[_:{self.id}]"


@dataclass(frozen=True, slots=True)
class Attribution:
    """What :func:`attribution_record` computed: the record every format is rendered from."""

    lang: str
    """The language of the words (``en``, ``fr``, ``es``, ``de`` …)."""
    subject: Credit
    """The work itself, with its sources (the chain), its own changes and licence."""
    except_noted: bool
    """Parts or assets carry other terms than the work: its notice says "except where otherwise
    noted"."""
    credits: tuple[Credit, ...]
    """Every third-party item once (sources at any depth, parts, assets), grouped in
    :data:`GROUPS` order; empty for a work with nothing to credit but itself."""
    licenses: tuple[License, ...]
    """Every licence and tool with a deed that the notice and credits name, in order met."""
    warnings: tuple[str, ...]
    """Every problem found, as ``path: problem``."""

    def group(self, name: Group) -> tuple[Credit, ...]:
        """The credits in group ``name`` (``original`` is the work itself)."""
        if name == "original":
            return (self.subject,) if self.credits else ()
        return tuple(c for c in self.credits if c.group == name)

    @property
    def groups(self) -> tuple[tuple[Group, tuple[Credit, ...]], ...]:
        """The non-empty groups, in :data:`GROUPS` order."""
        return tuple((g, self.group(g)) for g in GROUPS if self.group(g))


# --- computing the record ------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_LANG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_URL_KEEP = set(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")


def _clean(text: str | None) -> str | None:
    """Remove control characters and make every run of white space one space."""
    if text is None:
        return None
    kept = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    cleaned = _SPACE.sub(" ", kept).strip()
    return cleaned or None


def _short(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _version(lic: License) -> tuple[int, ...] | None:
    if lic.version is None or lic.family != "creative-commons":
        return None
    try:
        return tuple(int(p) for p in lic.version.split("."))
    except ValueError:
        return None


class _Builder:
    """Walks a work once, building credits and collecting problems."""

    def __init__(self, catalog: Catalog, lang: str, files: Mapping[Asset, str]) -> None:
        self.catalog = catalog
        self.lang = lang
        self.files = files
        self.problems: list[str] = []
        self.entries: dict[tuple[str, ...], Credit] = {}
        self.origins: dict[tuple[str, ...], str] = {}
        self.counter = 0

    def warn(self, path: str, field: str, message: str) -> None:
        self.problems.append(f"{path}.{field}: {message}" if path else f"{field}: {message}")

    def new_id(self) -> str:
        ident = f"c{self.counter}"
        self.counter += 1
        return ident

    def url(self, value: str | None, path: str, field: str) -> str | None:
        """A safe http(s) link, or None (with a warning) for anything else."""
        if value is None:
            return None
        stripped = "".join(ch for ch in value if unicodedata.category(ch) != "Cc").strip()
        try:
            parts = urllib.parse.urlsplit(stripped)
        except ValueError:  # e.g. an unclosed IPv6 bracket: not a link anyone can follow
            self.warn(path, field, f"{_short(value)} dropped: not a valid link")
            return None
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            self.warn(path, field, f"{_short(value)} dropped: only http and https links are kept")
            return None
        return "".join(
            ch
            if ch in _URL_KEEP or (ord(ch) > 127 and unicodedata.category(ch)[0] not in "CZ")
            else "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
            for ch in stripped
        )

    def authors(self, authors: tuple[Author, ...], path: str) -> tuple[Author, ...]:
        out = []
        for i, author in enumerate(authors):
            name = _clean(author.name)
            if name is None:
                continue
            out.append(Author(name, self.url(author.url, path, f"authors[{i}].url")))
        return tuple(out)

    def license(
        self,
        query: str | None,
        permissions: tuple[Permission, ...],
        path: str,
        *,
        quiet: bool = False,
    ) -> License | None:
        if query is None:
            decided = {p.license for p in permissions if p.kind == "decision" and p.license}
            if len(decided) == 1:
                query = decided.pop()
            else:
                if not quiet:
                    self.warn(path, "license", "no licence recorded; it is credited as unknown")
                return None
        lic = self.catalog.find(query)
        if lic is None and not quiet:
            self.warn(path, "license", f"unknown licence {_short(query)}; credited as unknown")
        return lic

    def statement(self, lic: License | None, subject: bool) -> Statement:
        if lic is None or lic.category == "status":
            return "unlicensed" if subject else "not-covered"
        if lic.category == "license":
            return "licensed"
        if lic.category == "public-domain":
            return "marked" if lic.family != "status" and lic.url else "public-domain"
        return "not-covered"

    def label(self, lic: License | None) -> tuple[str, str | None]:
        if lic is None:
            return phrase("attribution", "unknown_license", self.lang), None
        name = lic.short_name if lic.category == "license" else lic.name(self.lang)
        url = lic.deed_url(self.lang)
        return name, url if url and url.startswith(("https://", "http://")) else None

    def check_facts(
        self,
        path: str,
        lic: License | None,
        title: str | None,
        authors: tuple[Author, ...],
        *,
        has_notice: bool = False,
    ) -> None:
        if lic is not None and lic.category == "public-domain":
            return  # no attribution required: a courtesy credit with what is known
        version = _version(lic) if lic is not None else None
        before_4 = (
            lic is not None and lic.requires_attribution and version is not None and version < (4,)
        )
        if title is None:
            if before_4 and lic is not None:
                self.warn(
                    path,
                    "title",
                    f"no title recorded, but {lic.short_name} (like every licence before 4.0) "
                    "requires the title if the licensor supplied one: find it and add it",
                )
            else:
                self.warn(
                    path,
                    "title",
                    "no title recorded; the credit names no title "
                    "(Creative Commons recommends giving it)",
                )
        if not authors and not has_notice:
            self.warn(
                path,
                "authors",
                "no author recorded; the credit names no one (nothing is invented): "
                "if the licensor supplied a name or pseudonym, add it",
            )

    def work(
        self,
        work: Work,
        path: str,
        *,
        subject: bool = False,
        adapter: Work | None = None,
        adapter_path: str | None = None,
    ) -> Credit:
        """The credit of ``work`` (registered in the credits unless it is the subject)."""
        lic = self.license(work.license, work.permissions, path)
        removed = work.remove_credit
        title = None if removed else _clean(work.title)
        url = None if removed else self.url(work.url, path, "url")
        authors = () if removed else self.authors(work.authors, path)
        if not removed:
            self.check_facts(path, lic, title, authors)
            needs_link = lic is not None and lic.requires_attribution
            if not subject and url is None and work.url is None and needs_link:
                self.warn(path, "url", "no link to the work recorded (the S of TASL)")
        ident = self.new_id()
        sources = tuple(
            self.work(
                s,
                f"{path}.based_on[{i}]" if path else f"based_on[{i}]",
                adapter=work,
                adapter_path=path,
            )
            for i, s in enumerate(work.based_on)
        )
        self.check_changes(work, path)
        assets = tuple(
            self.asset(a, f"{path}.assets[{i}]" if path else f"assets[{i}]")
            for i, a in enumerate(work.assets)
        )
        parts = tuple(
            self.work(p, f"{path}.parts[{i}]" if path else f"parts[{i}]")
            for i, p in enumerate(work.parts)
        )
        label, license_url = self.label(lic)
        if subject:
            mods = _mods("this", None, work.changes)
        elif adapter is None:
            mods = ()
        elif adapter_path == "":
            mods = _mods("this", None, _changes_to(adapter, work))
        else:
            mods = _mods("other", _clean(adapter.title), _changes_to(adapter, work))
        statement = self.statement(lic, subject)
        credit = Credit(
            id=ident,
            kind="work",
            title=title,
            url=url,
            path=None,
            authors=authors,
            license=lic,
            license_label=label,
            license_url=license_url,
            statement=statement,
            copyright=None if removed else _clean(work.copyright),
            notice=None,
            year=work.year,
            language=work.language,
            modifications=mods,
            changes_made=_tidy(work.changes),
            sources=sources,
            parts=parts + assets,
            permissions=_tidy_permissions(work.permissions),
            trademark=False,
            credit_removed=removed,
            group="original" if subject else _group(statement, False, adapter is not None),
        )
        if not subject:
            self.register(credit, "source" if adapter is not None else "part", work)
        if statement == "not-covered" and lic is not None and not work.permissions:
            self.warn(path, "permissions", f"{lic.name()}: no permission or basis is recorded")
        return credit

    def check_changes(self, work: Work, path: str) -> None:
        if work.changes:
            return
        for source in work.based_on:
            lic = self.catalog.find(source.license) if source.license else None
            version = _version(lic) if lic is not None else None
            if lic is not None and lic.requires_attribution and version and version >= (4,):
                self.warn(
                    path,
                    "changes",
                    f"no change recorded, but it adapts material under {lic.short_name}, "
                    "which requires indicating modifications (4.0 §3(a)(1)(B))",
                )
                return

    def asset(self, asset: Asset, path: str) -> Credit:
        lic = self.license(asset.license, asset.permissions, path, quiet=asset.trademark)
        title = _clean(asset.title)
        authors = self.authors(asset.authors, path)
        source = asset.source.strip()
        url: str | None = None
        local: str | None = None
        if _SCHEME.match(source) and not re.match(r"^[A-Za-z]:[\\/]", source):
            url = self.url(source, path, "source")
        else:
            local = _clean(source)
        notice = _clean(asset.credit)
        if not asset.trademark:  # outside every licence: credited as far as it is known
            self.check_facts(path, lic, title, authors, has_notice=notice is not None)
        label, license_url = self.label(lic)
        statement = self.statement(lic, False)
        show_notice = notice is not None and (statement == "not-covered" or not authors)
        credit = Credit(
            id=self.new_id(),
            kind=asset.kind,
            title=title,
            url=url,
            path=local,
            authors=authors,
            license=lic,
            license_label=label,
            license_url=license_url,
            statement=statement,
            copyright=None,
            notice=notice if show_notice else None,
            year=None,
            language=None,
            modifications=_mods("item", None, asset.changes),
            changes_made=(),
            sources=(),
            parts=(),
            permissions=_tidy_permissions(asset.permissions),
            trademark=asset.trademark,
            credit_removed=False,
            group=_group(statement, asset.trademark, bool(asset.changes)),
            file=self.files.get(asset),
        )
        self.register(credit, "asset", None)
        if (
            statement == "not-covered"
            and lic is not None
            and not asset.permissions
            and not asset.trademark
        ):
            self.warn(path, "permissions", f"{lic.name()}: no permission or basis is recorded")
        return credit

    def register(self, credit: Credit, origin: str, work: Work | None) -> None:
        if credit.kind == "work":
            key: tuple[str, ...] = (
                ("work", credit.url)
                if credit.url
                else (
                    "work",
                    credit.title or "",
                    *(a.name for a in credit.authors),
                    credit.license.id if credit.license else "",
                    "" if credit.title or credit.authors else credit.id,
                )
            )
        else:
            key = ("asset", credit.url or credit.path or credit.id, credit.title or "")
        if key in self.entries:
            old = self.entries[key]
            mods = old.modifications + tuple(
                m for m in credit.modifications if m not in old.modifications
            )
            perms = old.permissions + tuple(
                p for p in credit.permissions if p not in old.permissions
            )
            self.entries[key] = replace(old, modifications=mods, permissions=perms)
            return
        self.entries[key] = credit
        self.origins[key] = origin


def _changes_to(adapter: Work, source: Work) -> tuple[Change, ...]:
    """The changes ``adapter`` made that concern ``source``: those naming it, and those naming
    none of its sources (a change to the whole work, or to a source it cannot tell apart)."""
    named = {n for s in adapter.based_on for n in (s.title, s.url) if n}
    own = {source.title, source.url} - {None}
    return tuple(c for c in adapter.changes if c.source not in named or c.source in own)


def _tidy(changes: tuple[Change, ...]) -> tuple[Change, ...]:
    return tuple(
        Change(_clean(c.what) or c.what, _clean(c.by), c.date, c.source)
        for c in changes
        if _clean(c.what)
    )


def _mods(
    where: Literal["item", "this", "other"], work: str | None, changes: tuple[Change, ...]
) -> tuple[Modification, ...]:
    tidy = _tidy(changes)
    return (Modification(where, work, tidy),) if tidy else ()


def _tidy_permissions(permissions: tuple[Permission, ...]) -> tuple[Permission, ...]:
    """Permissions with their texts tidied like every other value (the evidence is not shown)."""
    return tuple(
        p.replace(
            granted_by=_clean(p.granted_by) or p.granted_by,
            granted_to=_clean(p.granted_to),
            scope=_clean(p.scope) or p.scope,
            basis=_clean(p.basis),
        )
        for p in permissions
    )


def _group(statement: Statement, trademark: bool, changed: bool) -> Group:
    if trademark or statement in ("not-covered", "unlicensed"):
        return "permission"
    if statement in ("marked", "public-domain"):
        return "public-domain"
    return "adapted" if changed else "unchanged"


def attribution_record(
    work: Work,
    *,
    lang: str = "en",
    catalog: Catalog | None = None,
    files: Mapping[Asset, str] | None = None,
) -> Attribution:
    """Compute the attribution of ``work`` in ``lang``: no output, no warnings emitted.

    ``files`` maps each asset a package holds a copy of to the copy's path in the package
    (``media/…``): JSON-LD names that file as the asset's ``contentUrl``, so that reading the
    package back gives each file the licence it is credited with.

    Problems (a missing title or author, a licence requirement the facts cannot meet, a link
    that is not http/https) are in :attr:`Attribution.warnings`::

        >>> from oerremix import Work, attribution_record
        >>> record = attribution_record(Work(title="Notes", license="CC-BY-3.0"))
        >>> [w.split(";")[0] for w in record.warnings]
        ['authors: no author recorded']
        >>> record.subject.license_label, record.subject.license_url
        ('CC BY 3.0', 'https://creativecommons.org/licenses/by/3.0/')
    """
    if not _LANG.fullmatch(lang):
        raise ValueError(f"not a language tag: {lang!r}; expected e.g. 'en', 'fr' or 'fr-CA'")
    builder = _Builder(catalog or load_catalog(), lang, files or {})
    subject = builder.work(work, "", subject=True)
    order = {g: i for i, g in enumerate(GROUPS)}
    keyed = list(builder.entries.items())
    credits = tuple(  # within a group, in the order met (ids are given before recursing)
        c for _, c in sorted(keyed, key=lambda kc: (order[kc[1].group], int(kc[1].id[1:])))
    )
    others = subject.license.id if subject.license else None
    except_noted = any(
        builder.origins[key] in ("part", "asset")
        and (c.trademark or c.license is None or c.license.id != others)
        for key, c in keyed
    )
    seen: dict[str, License] = {}
    for credit in (subject, *credits):
        if credit.license is not None and credit.license_url and credit.license.id not in seen:
            seen[credit.license.id] = credit.license
    return Attribution(
        lang=lang,
        subject=subject,
        except_noted=except_noted and subject.statement != "unlicensed",
        credits=credits,
        licenses=tuple(seen.values()),
        warnings=tuple(builder.problems),
    )


# --- rendering ---------------------------------------------------------------------------------

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


def render(record: Attribution, format: Format = "html", *, medium: Medium = "online") -> str:
    """Write ``record`` as ``html``, ``markdown``, ``text`` or ``jsonld`` (see docs/attribution.md).

    ``medium="print"`` spells every link's URL out after it; online, HTML and Markdown link, and
    text puts the URL in angle brackets. JSON-LD is the same for both media.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if medium not in _MEDIA:
        raise ValueError(f"unknown medium {medium!r}; expected 'online' or 'print'")
    if format == "jsonld":
        return _jsonld(record)
    links = "print" if medium == "print" else "online"
    template = _environment().get_template(_TEMPLATES[format])
    return template.render(_context(record, format, links))


def attribute(
    work: Work,
    format: Format = "html",
    *,
    lang: str = "en",
    medium: Medium = "online",
    catalog: Catalog | None = None,
) -> str:
    """Credit ``work`` and everything in it: the notice of the work, then the credits.

    ``format`` is ``html`` (ccREL RDFa, as CC's chooser marks it up), ``markdown``, ``text`` or
    ``jsonld`` (schema.org); ``lang`` the language of the words; ``medium`` ``online`` or
    ``print`` (URLs spelled out). Each problem found is emitted as an
    :class:`AttributionWarning`; :func:`attribution_record` gives them as data::

        >>> import warnings
        >>> from oerremix import Work, attribute
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     text = attribute(Work(license="CC-BY-4.0"), format="text")
        >>> text
        'This work is licensed under CC BY 4.0 <https://creativecommons.org/licenses/by/4.0/>.\\n'
        >>> [str(w.message).split(";")[0] for w in caught]
        ['title: no title recorded', 'authors: no author recorded']
    """
    record = attribution_record(work, lang=lang, catalog=catalog)
    for message in record.warnings:
        warnings.warn(message, AttributionWarning, stacklevel=2)
    return render(record, format, medium=medium)


def attribution_languages() -> tuple[str, ...]:
    """The languages attributions can be written in (those with a phrase file), sorted."""
    return languages()
