"""The Work model every stage shares: frozen, slotted value objects and their plain-data form.

A :class:`Work` is what oerremix knows about one open educational resource: its title, authors,
licence, the works it is based on (a remix of a remix), its parts, its third-party assets, its
sections, the permissions and decisions recorded for it, and where and when it was read.
Licences are referenced by catalogue id strings such as ``"CC-BY-SA-4.0"``; this module does not
check them against the catalogue (later layers do).

Every class converts to plain, JSON-able data with ``to_dict()`` and back with ``from_dict()``;
:class:`Work` also reads and writes JSON and YAML text and files. The serialised keys are exactly
the field names, and every key is always written (``[]`` for an empty list, ``null`` for none),
so the output is stable. Reading collects every problem at once and raises one
:class:`~oerremix.errors.ReadError` listing them, one ``path.to.field: problem`` per line::

    >>> work = Work.from_yaml('''
    ... title: Concepts of Biology
    ... authors: [Samantha Fowler, {name: Rebecca Roush}]
    ... license: CC-BY-4.0
    ... year: 2013
    ... ''', source="biology.yaml")
    >>> work.authors[0]
    Author(name='Samantha Fowler', url=None)
    >>> Work.from_dict(work.to_dict()) == work
    True
    >>> Work.from_yaml("title: x\\nautors: [Jane Doe]\\nyear: soon\\n", source="w.yaml")
    Traceback (most recent call last):
      ...
    oerremix.errors.ReadError: invalid work, 2 problems:
    w.yaml:2: autors: unknown key; did you mean 'authors'?
    w.yaml:3: year: expected an integer, got a string 'soon' (w.yaml)

Constructing a value directly checks it too: a wrong type raises :class:`TypeError`, a bad value
(an empty name, a malformed date, an unknown ``kind``) raises :class:`ValueError`. So every value
that exists serialises, and reads back equal.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

import yaml

from ._model_fields import (
    _Bool,
    _check_date,
    _check_sha256,
    _Choice,
    _Field,
    _Int,
    _Many,
    _One,
    _parse_model,
    _Reader,
    _short,
    _Text,
)
from ._model_yaml import _TAG, _compose, _from_node, _Refused, _WorkDumper
from .errors import ReadError, UnsafeContentError

if TYPE_CHECKING:
    from .document import Document

__all__ = [
    "MAX_NESTING",
    "Asset",
    "AssetKind",
    "Author",
    "Change",
    "Evidence",
    "LicenseStatus",
    "Permission",
    "PermissionKind",
    "Provenance",
    "Section",
    "Work",
    "WorkKind",
]

MAX_NESTING = 64
"""How deep works may nest inside ``based_on`` and ``parts``: the top work is at depth 0."""

AssetKind = Literal["image", "video", "audio", "embed"]
"""What an :class:`Asset` is."""

PermissionKind = Literal["permission", "decision"]
"""What a :class:`Permission` records: a permission granted, or an author's own decision."""

LicenseStatus = Literal["found", "ambiguous", "conflict", "none"]
"""What the licence statements found in a source amount to (see :class:`Provenance`)."""

WorkKind = Literal["work", "adaptation", "collection"]
"""What a :class:`Work` is: an original work, an adaptation of others, or a collection of parts."""

_M = TypeVar("_M", bound="_Model")
_MAX_YAML_DEPTH = 2 * MAX_NESTING + 12  # a work at MAX_NESTING plus its deepest own keys


class _Model:
    """Behaviour shared by every model class: checking, ``to_dict``, ``from_dict``, ``replace``."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def __post_init__(self) -> None:
        name = type(self).__name__
        for key, spec in _SCHEMAS[type(self)].items():
            bad = spec.check(getattr(self, key))
            if bad is not None:
                is_type, problem = bad
                raise (TypeError if is_type else ValueError)(f"{name}.{key}: {problem}")
        spanning = self._check_across({key: getattr(self, key) for key in _SCHEMAS[type(self)]})
        if spanning is not None:
            raise ValueError(f"{name}.{spanning[0]}: {spanning[1]}")

    @classmethod
    def _schema(cls) -> dict[str, _Field]:
        """Return the class's fields by name, in field order: its entry in ``_SCHEMAS``."""
        return _SCHEMAS[cls]

    @classmethod
    def _check_across(cls, values: Mapping[str, Any]) -> tuple[str, str] | None:
        """Return ``(field, problem)`` for a rule that spans fields, or None."""
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return plain, JSON-able data: every field as a key, in field order, none omitted."""
        return {key: spec.dump(getattr(self, key)) for key, spec in _SCHEMAS[type(self)].items()}

    @classmethod
    def from_dict(cls: type[_M], data: Mapping[str, object], *, source: str = "<dict>") -> _M:
        """Build a value from plain data such as ``to_dict()`` gives.

        Every problem found is reported at once: :class:`~oerremix.errors.ReadError` lists one
        ``path.to.field: problem`` per line, ``source`` naming where the data came from.
        """
        reader = _Reader(source)
        result = _parse_model(cls, reader, data, (), 0)
        reader.raise_problems()
        assert isinstance(result, cls)
        return result

    def replace(self: _M, **changes: Any) -> _M:
        """Return a copy with ``changes`` applied (:func:`dataclasses.replace`), checked again."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Author(_Model):
    """A person or organisation credited as an author.

    In serialised input an author may be written as a plain string, the name.
    """

    name: str
    """The name as it is to be credited, e.g. ``"OpenStax"`` or ``"Charles Molnar"``."""
    url: str | None = None
    """A link for the author (profile page or website), or None."""


@dataclass(frozen=True, slots=True)
class Change(_Model):
    """One change made to a work or asset: what was changed, by whom, when.

    In serialised input a change may be written as a plain string, the ``what``.
    """

    what: str
    """What was changed, as it should appear in a notice, e.g. ``"Cropped to the nucleus."``."""
    by: str | None = None
    """Who made the change, or None."""
    date: str | None = None
    """When, as an ISO 8601 date (``2024``, ``2024-05`` or ``2024-05-31``, optionally a time)."""
    source: str | None = None
    """Which of the work's sources was changed (its title or URL), when the work adapts several;
    None for a change to the work as a whole. A source's credit lists its own changes."""


@dataclass(frozen=True, slots=True)
class Permission(_Model):
    """A permission to use beyond the licence, or an author's recorded decision.

    With ``kind="permission"`` it records who granted what to whom and when, with evidence (for
    example a publisher allowing a figure to be reproduced in print). With ``kind="decision"`` it
    records an author's decision resolving an ambiguous or unknown licence: ``license`` is the
    licence decided (required) and ``basis`` says why.
    """

    granted_by: str
    """Who granted the permission (the rights holder), or who made the decision."""
    granted_to: str | None
    """Who received it, or None when it is granted to everyone or not stated."""
    scope: str
    """What it covers, e.g. ``"Figure 4.3, print and online editions"``."""
    date: str | None
    """When it was granted or decided, as an ISO 8601 date, or None."""
    evidence_url: str | None
    """Where the evidence can be seen (an e-mail archive, a web page), or None."""
    basis: str | None = None
    """Why: the grounds for a decision, or the terms of a permission, or None."""
    kind: PermissionKind = "permission"
    """``"permission"`` (granted by a rights holder) or ``"decision"`` (an author's resolution)."""
    license: str | None = None
    """The licence id decided (required for a decision), or granted under, or None."""

    @classmethod
    def _check_across(cls, values: Mapping[str, Any]) -> tuple[str, str] | None:
        if values["kind"] == "decision" and values["license"] is None:
            return "license", "a decision must name the licence decided"
        return None


@dataclass(frozen=True, slots=True)
class Evidence(_Model):
    """One licence statement as it was found in a source."""

    kind: str
    """How it was stated: ``"url"``, ``"rel-license"``, ``"json-ld"``, ``"text"`` …"""
    match: str
    """The text matched, e.g. ``"https://creativecommons.org/licenses/by/4.0/"``."""
    where: str
    """Where in the source, e.g. ``"line 12"`` or ``"<a> in footer"``."""


@dataclass(frozen=True, slots=True)
class Provenance(_Model):
    """Where and when a work was read, its content hash and the licence evidence found then.

    Creative Commons licences are irrevocable: what the licence was when the work was taken must
    survive a later change upstream, so the evidence is kept with the copy.
    """

    source: str
    """The path or URL read."""
    retrieved: str | None
    """When it was read, as an ISO 8601 date or date and time, or None."""
    sha256: str | None
    """The SHA-256 of the content read, as 64 lower-case hex digits, or None."""
    license_evidence: tuple[Evidence, ...] = ()
    """Every licence statement found when it was read."""
    license_status: LicenseStatus = "none"
    """What the statements amount to: ``found`` (one licence), ``ambiguous`` (not enough to
    know which), ``conflict`` (different licences stated for the same thing) or ``none``."""


@dataclass(frozen=True, slots=True)
class Asset(_Model):
    """A third-party item inside a work (image, video, audio, embed) with its own rights."""

    kind: AssetKind
    """``"image"``, ``"video"``, ``"audio"`` or ``"embed"``."""
    source: str
    """Where the asset comes from: a URL, or a path inside the work."""
    title: str | None = None
    """Its title, e.g. ``"Animal cell structure"``, or None."""
    authors: tuple[Author, ...] = ()
    """Its creators."""
    license: str | None = None
    """Its licence id, or None when none is known."""
    credit: str | None = None
    """The credit text as found next to it, verbatim, or None."""
    license_inherited: bool = False
    """True when no licence was stated for the asset and ``license`` is the work's, assumed."""
    changes: tuple[Change, ...] = ()
    """Changes made to it (cropped, recoloured, labels translated …)."""
    trademark: bool = False
    """True when it is outside the licence: a publisher's logo or cover, a trademark."""
    permissions: tuple[Permission, ...] = ()
    """Permissions to use it beyond its licence."""


@dataclass(frozen=True, slots=True)
class Section(_Model):
    """One section of a work, by a stable id; readers stream the content, it is not held here."""

    id: str
    """A stable id recipes can select, e.g. ``"3.2"`` or a heading's slug."""
    title: str | None
    """Its heading, or None."""
    level: int = 1
    """Its heading level, 1 (chapter) to 64."""
    license: str | None = None
    """Its own licence id when it differs from the work's, else None."""


@dataclass(frozen=True, slots=True)
class Work(_Model):
    """An open educational resource: metadata, licence, lineage, parts, assets and sections.

    A remix of a remix keeps its whole lineage: ``based_on`` holds the works this one adapts,
    each with their own ``based_on``. A collection holds its members in ``parts``.
    """

    title: str | None = None
    """The title, e.g. ``"Concepts of Biology – 1st Canadian Edition"``, or None."""
    url: str | None = None
    """Where the work can be found (its canonical page), or None."""
    authors: tuple[Author, ...] = ()
    """Its authors, in credit order."""
    license: str | None = None
    """Its licence id, e.g. ``"CC-BY-4.0"``, or None when none is known."""
    year: int | None = None
    """The year of publication (1–9999), or None."""
    copyright: str | None = None
    """The copyright notice as found, e.g. ``"© 2015 BCcampus"``, or None."""
    language: str | None = None
    """Its language as a BCP 47 tag, e.g. ``"en"`` or ``"fr-CA"``, or None."""
    changes: tuple[Change, ...] = ()
    """Changes made to the works in ``based_on`` to make this one."""
    based_on: tuple[Work, ...] = ()
    """The works this one adapts or remixes, each with its own lineage."""
    parts: tuple[Work, ...] = ()
    """The works this one collects, when it is a collection."""
    assets: tuple[Asset, ...] = ()
    """Third-party items inside it, each with its own licence and credit."""
    sections: tuple[Section, ...] = ()
    """Its sections, in reading order."""
    permissions: tuple[Permission, ...] = ()
    """Permissions beyond the licence, and decisions resolving an unclear licence."""
    provenance: Provenance | None = None
    """Where and when it was read, with the licence evidence found then, or None."""
    kind: WorkKind = "work"
    """``"work"``, ``"adaptation"`` or ``"collection"``."""
    remove_credit: bool = False
    """True when the licensor asked for their credit to be removed (CC BY 4.0 §3(a)(3))."""
    content: Document | None = dataclasses.field(default=None, compare=False, repr=False)
    """The sections' content, loaded on demand, when a reader read it; never serialised."""

    @classmethod
    def _check_across(cls, values: Mapping[str, Any]) -> tuple[str, str] | None:
        if _nesting((*values["based_on"], *values["parts"])) > MAX_NESTING:
            return "based_on", f"works nested more than {MAX_NESTING} deep"
        return None

    def lineage(self) -> Iterator[tuple[int, Work]]:
        """Yield ``(depth, work)`` for every work this one is based on, depth first.

        Direct sources have depth 1, their sources depth 2, and so on; the work itself is not
        included::

            >>> book = Work(title="C", based_on=(Work(title="B", based_on=(Work(title="A"),)),))
            >>> [(depth, w.title) for depth, w in book.lineage()]
            [(1, 'B'), (2, 'A')]
        """
        stack = [(1, work) for work in reversed(self.based_on)]
        while stack:
            depth, work = stack.pop()
            yield depth, work
            stack.extend((depth + 1, source) for source in reversed(work.based_on))

    def to_json(self) -> str:
        """Return the work as JSON text: indented by 2, UTF-8 as is, keys in field order."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_yaml(self) -> str:
        """Return the work as YAML text that :meth:`from_yaml` reads back equal."""
        return yaml.dump(
            self.to_dict(),
            Dumper=_WorkDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
        )

    @classmethod
    def from_json(cls, text: str, *, source: str = "<string>") -> Work:
        """Read a work from JSON text; problems raise :class:`~oerremix.errors.ReadError`."""
        reader = _Reader(source)
        duplicates: list[str] = []

        def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            result: dict[str, Any] = {}
            for key, value in pairs:
                if key in result:
                    duplicates.append(key)
                result[key] = value
            return result

        try:
            data = json.loads(text, object_pairs_hook=pairs_hook)
        except json.JSONDecodeError as exc:
            raise ReadError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno) from exc
        except RecursionError as exc:
            raise UnsafeContentError("JSON nested too deeply", source=source) from exc
        except ValueError as exc:  # e.g. an integer with more digits than Python allows
            raise ReadError(f"not valid JSON: {exc}", source=source) from exc
        for key in duplicates:
            reader.problem((), f"duplicate key {_short(key)} in a JSON object")
        result = _parse_model(cls, reader, data, (), 0)
        reader.raise_problems()
        assert isinstance(result, cls)
        return result

    @classmethod
    def from_yaml(cls, text: str, *, source: str = "<string>") -> Work:
        """Read a work from YAML text; problems raise :class:`~oerremix.errors.ReadError`.

        Only the safe YAML subset is read: no tags beyond the standard scalar ones, and no
        anchors or aliases (refused with :class:`~oerremix.errors.UnsafeContentError`). Where a
        string is expected, an unquoted number or date is taken as written (``id: 3.10`` is the
        string ``"3.10"``).
        """
        try:
            node = _compose(text, max_depth=_MAX_YAML_DEPTH)
        except _Refused as exc:
            raise UnsafeContentError(exc.message, source=source, line=exc.line) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = "; ".join(p for p in (exc.context, exc.problem) if p) or "unreadable"
            line = None if mark is None else mark.line + 1
            raise ReadError(f"not valid YAML: {message}", source=source, line=line) from exc
        except yaml.YAMLError as exc:
            raise ReadError(f"not valid YAML: {exc}", source=source) from exc
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null"):
            raise ReadError("empty document; expected a mapping of keys to values", source=source)
        reader = _Reader(source)
        data = _from_node(node, (), reader, yaml.constructor.SafeConstructor())
        result = _parse_model(cls, reader, data, (), 0)
        reader.raise_problems()
        assert isinstance(result, cls)
        return result

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Work:
        """Read a work from a ``.json``, ``.yaml`` or ``.yml`` file (UTF-8)."""
        source = os.fspath(path)
        suffix = Path(source).suffix.lower()
        if suffix not in {".json", ".yaml", ".yml"}:
            raise ReadError(
                f"unsupported file type {suffix or '(none)'!r}; expected .json, .yaml or .yml",
                source=source,
            )
        try:
            text = Path(source).read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ReadError(f"not UTF-8 text: {exc.reason}", source=source) from exc
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror or exc}", source=source) from exc
        if suffix == ".json":
            return cls.from_json(text, source=source)
        return cls.from_yaml(text, source=source)


def _nesting(works: Sequence[Work]) -> int:
    """How deep works nest in ``works``: 0 for none, 1 for works with no sources or parts …

    Each distinct work is visited once, so sources shared across a lineage stay cheap.
    """
    heights: dict[int, int] = {}
    stack: list[tuple[Work, bool]] = [(work, False) for work in works]
    while stack:
        current, expanded = stack.pop()
        children = (*current.based_on, *current.parts)
        if expanded:
            heights[id(current)] = 1 + max(heights[id(c)] for c in children) if children else 0
        elif id(current) not in heights:
            stack.append((current, True))
            stack.extend((c, False) for c in children if id(c) not in heights)
    return 1 + max(heights[id(work)] for work in works) if works else 0


_SCHEMAS: dict[type[_Model], dict[str, _Field]] = {
    Author: {"name": _Text(), "url": _Text(optional=True)},
    Change: {
        "what": _Text(),
        "by": _Text(optional=True),
        "date": _Text(optional=True, rule=_check_date),
        "source": _Text(optional=True),
    },
    Permission: {
        "granted_by": _Text(),
        "granted_to": _Text(optional=True),
        "scope": _Text(),
        "date": _Text(optional=True, rule=_check_date),
        "evidence_url": _Text(optional=True),
        "basis": _Text(optional=True),
        "kind": _Choice(PermissionKind),
        "license": _Text(optional=True),
    },
    Evidence: {"kind": _Text(), "match": _Text(), "where": _Text()},
    Provenance: {
        "source": _Text(),
        "retrieved": _Text(optional=True, rule=_check_date),
        "sha256": _Text(optional=True, rule=_check_sha256),
        "license_evidence": _Many(Evidence),
        "license_status": _Choice(LicenseStatus),
    },
    Asset: {
        "kind": _Choice(AssetKind),
        "source": _Text(),
        "title": _Text(optional=True),
        "authors": _Many(Author, shorthand="name"),
        "license": _Text(optional=True),
        "credit": _Text(optional=True),
        "license_inherited": _Bool(),
        "changes": _Many(Change, shorthand="what"),
        "trademark": _Bool(),
        "permissions": _Many(Permission),
    },
    Section: {
        "id": _Text(),
        "title": _Text(optional=True),
        "level": _Int(1, 64),
        "license": _Text(optional=True),
    },
    Work: {
        "title": _Text(optional=True),
        "url": _Text(optional=True),
        "authors": _Many(Author, shorthand="name"),
        "license": _Text(optional=True),
        "year": _Int(1, 9999, optional=True),
        "copyright": _Text(optional=True),
        "language": _Text(optional=True),
        "changes": _Many(Change, shorthand="what"),
        "based_on": _Many(Work, nesting=MAX_NESTING),
        "parts": _Many(Work, nesting=MAX_NESTING),
        "assets": _Many(Asset),
        "sections": _Many(Section),
        "permissions": _Many(Permission),
        "provenance": _One(Provenance),
        "kind": _Choice(WorkKind),
        "remove_credit": _Bool(),
    },
}
