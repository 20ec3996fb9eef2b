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
import datetime
import difflib
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, get_args

import yaml

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
_Path = tuple[str | int, ...]
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
            node = yaml.compose(text, Loader=_WorkLoader)
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


# --- checking and reading -------------------------------------------------------------------


class _Invalid:
    """The placeholder for a value that has already been reported as a problem."""

    __slots__ = ()


_INVALID = _Invalid()
_Bad = tuple[bool, str]  # (is a type error, problem)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _Reader:
    """Collects problems with their paths and lines while plain data is read."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: dict[_Path, int] = {}
        self.raw: dict[_Path, str] = {}  # YAML scalars read as numbers, booleans or dates
        self.problems: list[tuple[int | None, str]] = []

    def line(self, path: _Path) -> int | None:
        while path not in self.lines:
            if not path:
                return None
            path = path[:-1]
        return self.lines[path]

    def problem(self, path: _Path, message: str, *, line: int | None = None) -> _Invalid:
        text = f"{_format_path(path)}: {message}" if path else message
        self.problems.append((line or self.line(path), text))
        return _INVALID

    def raise_problems(self) -> None:
        if not self.problems:
            return
        if len(self.problems) == 1:
            line, text = self.problems[0]
            raise ReadError(f"invalid work: {text}", source=self.source, line=line)
        problems = sorted(self.problems, key=lambda p: (p[0] is None, p[0] or 0))
        lines = [f"invalid work, {len(problems)} problems:"]
        lines += [
            f"{self.source}:{line}: {text}" if line else f"{self.source}: {text}"
            for line, text in problems
        ]
        raise ReadError("\n".join(lines), source=self.source)


def _format_path(path: _Path) -> str:
    if len(path) > 16:  # deep nesting: keep the start and the end
        return f"{_format_path(path[:4])}…{_format_path(path[-8:])}"
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{_short(part)}]"
    return out


def _short(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})" if len(repr(value)) <= 40 else "a number"
    if isinstance(value, str):
        return f"a string {_short(value)}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ISO_DATE = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"(?:Z|[+-](?P<zh>\d{2}):(?P<zm>\d{2}))?)?)?)?"
)
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _check_date(text: str) -> str | None:
    problem = f"expected an ISO 8601 date such as '2024-05-31', got {_short(text)}"
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        return problem
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        datetime.date(parts["y"], parts.get("m", 1), parts.get("d", 1))
        datetime.time(parts.get("H", 0), parts.get("M", 0), parts.get("S", 0))
        datetime.time(parts.get("zh", 0), parts.get("zm", 0))
    except ValueError:
        return problem
    return None


def _check_sha256(text: str) -> str | None:
    if _SHA256.fullmatch(text):
        return None
    return f"expected 64 lower-case hexadecimal digits, got {_short(text)}"


class _Field:
    """How one field is read from plain data, checked and written back."""

    __slots__ = ("optional",)
    expected: ClassVar[str] = "a value"

    def __init__(self, *, optional: bool = False) -> None:
        self.optional = optional

    def parse(self, reader: _Reader, value: object, path: _Path, depth: int) -> object:
        if isinstance(value, _Invalid):
            return value
        if value is None:
            if self.optional:
                return None
            return reader.problem(path, f"expected {self.expected}, got null")
        return self.parse_value(reader, value, path, depth)

    def parse_value(self, reader: _Reader, value: object, path: _Path, depth: int) -> object:
        bad = self.check_value(value)
        return value if bad is None else reader.problem(path, bad[1])

    def check(self, value: object) -> _Bad | None:
        if value is None:
            return None if self.optional else (True, f"expected {self.expected}, got None")
        return self.check_value(value)

    def check_value(self, value: object) -> _Bad | None:
        raise NotImplementedError

    def dump(self, value: object) -> object:
        return value


class _Text(_Field):
    __slots__ = ("rule",)
    expected = "a string"

    def __init__(
        self, *, optional: bool = False, rule: Callable[[str], str | None] | None = None
    ) -> None:
        super().__init__(optional=optional)
        self.rule = rule

    def parse_value(self, reader: _Reader, value: object, path: _Path, depth: int) -> object:
        if not isinstance(value, str):
            if path not in reader.raw:
                hint = " (quote it)" if isinstance(value, (int, float)) else ""
                return reader.problem(path, f"expected a string, got {_describe(value)}{hint}")
            value = reader.raw[path]
        return super().parse_value(reader, value, path, depth)

    def check_value(self, value: object) -> _Bad | None:
        if not isinstance(value, str):
            return True, f"expected a string, got {_describe(value)}"
        if not value.strip():
            hint = "; leave it out or write null" if self.optional else ""
            return False, f"must not be empty{hint}"
        if _SURROGATE.search(value):
            return False, "contains an unpaired surrogate, which cannot be written as UTF-8"
        problem = self.rule(value) if self.rule else None
        return None if problem is None else (False, problem)


class _Int(_Field):
    __slots__ = ("high", "low")
    expected = "an integer"

    def __init__(self, low: int, high: int, *, optional: bool = False) -> None:
        super().__init__(optional=optional)
        self.low, self.high = low, high

    def check_value(self, value: object) -> _Bad | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return True, f"expected an integer, got {_describe(value)}"
        if not self.low <= value <= self.high:
            return False, f"expected {self.low} to {self.high}, got {value}"
        return None


class _Bool(_Field):
    __slots__ = ()
    expected = "true or false"

    def check_value(self, value: object) -> _Bad | None:
        if isinstance(value, bool):
            return None
        return True, f"expected true or false, got {_describe(value)}"


class _Choice(_Field):
    __slots__ = ("choices",)
    expected = "a string"

    def __init__(self, kind: object) -> None:
        super().__init__()
        self.choices: tuple[str, ...] = get_args(kind)

    def check_value(self, value: object) -> _Bad | None:
        if value in self.choices:
            return None
        listed = ", ".join(repr(c) for c in self.choices)
        if not isinstance(value, str):
            return True, f"expected one of {listed}, got {_describe(value)}"
        return (
            False,
            f"expected one of {listed}, got {_short(value)}{_suggest(value, self.choices)}",
        )


class _One(_Field):
    """An optional nested value, written as a mapping."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[_Model]) -> None:
        super().__init__(optional=True)
        self.cls = cls

    def parse_value(self, reader: _Reader, value: object, path: _Path, depth: int) -> object:
        return _parse_model(self.cls, reader, value, path, depth)

    def check_value(self, value: object) -> _Bad | None:
        if isinstance(value, self.cls):
            return None
        return True, f"expected {self.cls.__name__} or None, got {type(value).__name__}"

    def dump(self, value: object) -> object:
        return value.to_dict() if isinstance(value, _Model) else value


class _Many(_Field):
    """A tuple of nested values, written as a list; ``shorthand`` names the key a string fills."""

    __slots__ = ("cls", "shorthand")
    expected = "a list"

    def __init__(self, cls: type[_Model], *, shorthand: str | None = None) -> None:
        super().__init__()
        self.cls = cls
        self.shorthand = shorthand

    def parse_value(self, reader: _Reader, value: object, path: _Path, depth: int) -> object:
        if not isinstance(value, (list, tuple)):
            hint = f" (write [{_short(value)}] for one)" if isinstance(value, str) else ""
            return reader.problem(path, f"expected a list, got {_describe(value)}{hint}")
        if self.cls is Work:
            if value and depth >= MAX_NESTING:
                return reader.problem(
                    path, f"works nested more than {MAX_NESTING} deep; refusing to read further"
                )
            depth += 1
        items: list[object] = []
        for index, item in enumerate(value):
            item_path = (*path, index)
            data = item
            if self.shorthand is not None and (isinstance(item, str) or item_path in reader.raw):
                data = {self.shorthand: item if isinstance(item, str) else reader.raw[item_path]}
            items.append(_parse_model(self.cls, reader, data, item_path, depth))
        if any(isinstance(item, _Invalid) for item in items):
            return _INVALID
        return tuple(items)

    def check_value(self, value: object) -> _Bad | None:
        name = self.cls.__name__
        if not isinstance(value, tuple):
            return True, f"expected a tuple of {name}, got {type(value).__name__}"
        for index, item in enumerate(value):
            if not isinstance(item, self.cls):
                return True, f"item {index}: expected {name}, got {type(item).__name__}"
        return None

    def dump(self, value: object) -> object:
        assert isinstance(value, tuple)
        return [item.to_dict() for item in value]


def _parse_model(
    cls: type[_M], reader: _Reader, data: object, path: _Path, depth: int
) -> _M | _Invalid:
    if isinstance(data, _Invalid):
        return data
    if not isinstance(data, Mapping):
        return reader.problem(path, f"expected a mapping of keys to values, got {_describe(data)}")
    schema = _SCHEMAS[cls]
    names = tuple(schema)
    valid = True
    for key in data:
        if not isinstance(key, str):
            reader.problem(path, f"keys must be strings, got {_describe(key)}")
            valid = False
        elif key not in schema:
            hint = _suggest(key, names) or f"; expected one of: {', '.join(names)}"
            reader.problem((*path, key), f"unknown key{hint}")
            valid = False
    fields = cls.__dataclass_fields__
    values: dict[str, object] = {}
    for name, spec in schema.items():
        if name in data:
            values[name] = spec.parse(reader, data[name], (*path, name), depth)
        elif fields[name].default is not dataclasses.MISSING:
            values[name] = fields[name].default
        elif spec.optional:
            values[name] = None
        else:
            values[name] = reader.problem(path, f"missing required key {name!r}")
    if not valid or any(isinstance(v, _Invalid) for v in values.values()):
        return _INVALID
    spanning = cls._check_across(values)
    if spanning is not None:
        return reader.problem((*path, spanning[0]), spanning[1])
    return cls(**values)


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


# --- YAML -----------------------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_CONSTRUCTED_TAGS = {_TAG + "bool", _TAG + "int", _TAG + "float"}


class _Refused(Exception):
    """Raised inside the YAML loader for input refused as unsafe."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.line = None if mark is None else mark.line + 1


class _WorkLoader(yaml.SafeLoader):
    """The safe loader, composing nodes only, refusing anchors, aliases and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise _Refused(
                "YAML anchors and aliases (&name, *name) are not allowed in a work file",
                event.start_mark,
            )
        if self._depth >= _MAX_YAML_DEPTH:
            raise _Refused(f"YAML nested more than {_MAX_YAML_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _WorkDumper(yaml.SafeDumper):
    """The safe dumper, double-quoting strings that hold YAML 1.1 line breaks (NEL, LS, PS).

    PyYAML writes those unescaped in plain or single-quoted style and reads them back changed.
    """


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if any(c in data for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar(_TAG + "str", data, style=style)


_WorkDumper.add_representer(str, _represent_str)


def _from_node(
    node: yaml.Node, path: _Path, reader: _Reader, constructor: yaml.constructor.SafeConstructor
) -> object:
    """Turn a composed YAML node into plain data, noting lines and the raw text of scalars."""
    reader.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        if node.tag in {_TAG + "str", _TAG + "timestamp"}:
            return node.value
        if node.tag == _TAG + "null":
            return None
        if node.tag in _CONSTRUCTED_TAGS:
            reader.raw[path] = node.value
            try:
                return constructor.construct_object(node)
            except (ValueError, yaml.YAMLError):
                return reader.problem(path, f"cannot read {_short(node.value)} as a number")
    elif isinstance(node, yaml.SequenceNode) and node.tag == _TAG + "seq":
        return [
            _from_node(item, (*path, index), reader, constructor)
            for index, item in enumerate(node.value)
        ]
    elif isinstance(node, yaml.MappingNode) and node.tag == _TAG + "map":
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _TAG + "merge":
                reader.problem(path, "merge keys (<<) are not allowed in a work file", line=line)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                reader.problem(path, "keys must be plain strings", line=line)
                continue
            key = key_node.value
            key_path = (*path, key)
            if key in result:
                first = reader.lines.get(key_path)
                reader.problem(key_path, f"duplicate key (first at line {first})", line=line)
                continue
            reader.lines[key_path] = line
            result[key] = _from_node(value_node, key_path, reader, constructor)
        return result
    tag = node.tag.replace(_TAG, "!!", 1) if node.tag.startswith(_TAG) else node.tag
    return reader.problem(path, f"unsupported YAML tag {_short(tag)}")


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
        "based_on": _Many(Work),
        "parts": _Many(Work),
        "assets": _Many(Asset),
        "sections": _Many(Section),
        "permissions": _Many(Permission),
        "provenance": _One(Provenance),
        "kind": _Choice(WorkKind),
        "remove_credit": _Bool(),
    },
}
