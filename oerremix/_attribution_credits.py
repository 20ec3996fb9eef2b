"""Computing an attribution record: one walk of a work, building its credits and its problems.

:class:`_Builder` walks a :class:`~oerremix.model.Work` once (its sources, recursively; its
parts; every asset), makes a :class:`~oerremix.attribution.Credit` of each item, registers every
third-party item once, and collects each problem found as ``path: problem``. The helpers tidy
what a work records: :func:`_clean` its texts (:meth:`_Builder.url` its links), :func:`_tidy`,
:func:`_changes_to` and :func:`_tidy_permissions` its changes and permissions; :func:`_group`
puts a credit in its group.

The record computation of :mod:`oerremix.attribution`, whose
:func:`~oerremix.attribution.attribution_record` runs the builder and orders what it found.
attribution.py imports this module; this module imports attribution.py for type checking only
(the builder is given the two classes it makes, Credit and Modification), so there is no import
cycle.
"""

from __future__ import annotations

import re
import string
import unicodedata
import urllib.parse
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from oerremix._credentials import hidden_credentials
from oerremix._strings import phrase
from oerremix.catalog import Catalog, License
from oerremix.model import Asset, Author, Change, Permission, Work

if TYPE_CHECKING:
    from oerremix.attribution import Credit, Group, Modification, Statement

__all__ = ["_Builder"]


_SPACE = re.compile(r"\s+")
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
    """Walks a work once, building credits and collecting problems.

    ``credit`` and ``modification`` are the classes it makes, :class:`~oerremix.attribution.Credit`
    and :class:`~oerremix.attribution.Modification`, given by ``attribution_record``.
    """

    def __init__(
        self,
        catalog: Catalog,
        lang: str,
        files: Mapping[Asset, str],
        *,
        credit: type[Credit],
        modification: type[Modification],
    ) -> None:
        self.catalog = catalog
        self.lang = lang
        self.files = files
        self.problems: list[str] = []
        self.entries: dict[tuple[str, ...], Credit] = {}
        self.origins: dict[tuple[str, ...], str] = {}
        self.counter = 0
        self.credit_class = credit
        self.modification_class = modification

    def warn(self, path: str, field: str, message: str) -> None:
        self.problems.append(f"{path}.{field}: {message}" if path else f"{field}: {message}")

    def new_id(self) -> str:
        ident = f"c{self.counter}"
        self.counter += 1
        return ident

    def mods(
        self, where: Literal["item", "this", "other"], work: str | None, changes: tuple[Change, ...]
    ) -> tuple[Modification, ...]:
        tidy = _tidy(changes)
        return (self.modification_class(where, work, tidy),) if tidy else ()

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
        if (shown := hidden_credentials(stripped)) is not None:
            self.warn(path, field, f"{_short(shown)} dropped: it has a user name or password")
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
            mods = self.mods("this", None, work.changes)
        elif adapter is None:
            mods = ()
        elif adapter_path == "":
            mods = self.mods("this", None, _changes_to(adapter, work))
        else:
            mods = self.mods("other", _clean(adapter.title), _changes_to(adapter, work))
        statement = self.statement(lic, subject)
        credit = self.credit_class(
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
        credit = self.credit_class(
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
            modifications=self.mods("item", None, asset.changes),
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
