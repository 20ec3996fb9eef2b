"""How each field of the Work model is read from plain data, checked and written back.

:mod:`oerremix.model` describes every model class as a table of fields (``_SCHEMAS``), built from
the checkers here: :class:`_Text`, :class:`_Int`, :class:`_Bool`, :class:`_Choice`, and
:class:`_One` and :class:`_Many` for nested values. A field checks a value given to a
constructor (``check``), reads it from plain data (``parse``) and writes it back (``dump``).
:func:`_parse_model` reads one mapping into a model class, and :class:`_Reader` collects every
problem found on the way, with its path and line, into one :class:`~oerremix.errors.ReadError`.

This module knows no model class: :mod:`oerremix.model` imports it, never the other way round
(the model is imported for type checking only). :func:`_parse_model` finds a class's fields
through the class itself (``cls._schema()``), and what is particular to one class is said in its
table: ``_Many(Work, nesting=MAX_NESTING)`` limits how deep works nest.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar, get_args

from .errors import ReadError

if TYPE_CHECKING:
    from .model import _Model

__all__ = [
    "_Bool",
    "_Choice",
    "_Field",
    "_Int",
    "_Many",
    "_One",
    "_Path",
    "_Reader",
    "_Text",
    "_check_date",
    "_check_sha256",
    "_parse_model",
    "_short",
]

_M = TypeVar("_M", bound="_Model")
_Path = tuple[str | int, ...]


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
        return value.to_dict() if isinstance(value, self.cls) else value


class _Many(_Field):
    """A tuple of nested values, written as a list; ``shorthand`` names the key a string fills.

    ``nesting`` is how deep works may nest through this field (``based_on``, ``parts``), or None.
    """

    __slots__ = ("cls", "nesting", "shorthand")
    expected = "a list"

    def __init__(
        self, cls: type[_Model], *, shorthand: str | None = None, nesting: int | None = None
    ) -> None:
        super().__init__()
        self.cls = cls
        self.shorthand = shorthand
        self.nesting = nesting

    def parse_value(self, reader: _Reader, value: object, path: _Path, depth: int) -> object:
        if not isinstance(value, (list, tuple)):
            hint = f" (write [{_short(value)}] for one)" if isinstance(value, str) else ""
            return reader.problem(path, f"expected a list, got {_describe(value)}{hint}")
        if self.nesting is not None:
            if value and depth >= self.nesting:
                return reader.problem(
                    path, f"works nested more than {self.nesting} deep; refusing to read further"
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
    schema = cls._schema()
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
