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

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from oerremix._attribution_credits import _Builder
from oerremix._attribution_render import (
    _TEMPLATES,
    _context,
    _environment,
    _jsonld,
)
from oerremix._strings import languages
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

_LANG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


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
    builder = _Builder(
        catalog or load_catalog(), lang, files or {}, credit=Credit, modification=Modification
    )
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
