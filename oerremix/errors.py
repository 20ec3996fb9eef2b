"""Errors raised by oerremix.

Every error oerremix raises on purpose is an :class:`OerRemixError`, so a caller can catch
one class. Each carries the place it is about (a file, a line, a URL, a field) and mixes in
the builtin exception it resembles::

    OerRemixError
    ├── LicenseDataError            a licenses/*.yaml file is invalid (.source, .line, .field)
    ├── UnknownLicenseError         (+LookupError) an id, alias or URL not in the catalogue
    ├── IncompatibleLicensesError   a build refused; .verdict carries the reasons
    ├── RecipeError                 (+ValueError) a recipe is invalid; .problems
    ├── ReadError                   (+ValueError) a source cannot be read; .source, .line
    │   └── UnsafeContentError      entities, path escapes, size or time limits
    ├── FetchError                  a URL cannot be fetched; .url
    └── WriteError                  (+OSError) an output cannot be written

Not-allowed remixes are *values* (a Verdict), not exceptions; only a build raises
:class:`IncompatibleLicensesError`.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "FetchError",
    "IncompatibleLicensesError",
    "LicenseDataError",
    "OerRemixError",
    "ReadError",
    "RecipeError",
    "UnknownLicenseError",
    "UnsafeContentError",
    "WriteError",
]


class OerRemixError(Exception):
    """Base class of every error oerremix raises on purpose.

    ``where`` names the place the error is about (a path, ``path:line``, a URL or a field);
    ``str(error)`` gives the message followed by that place in parentheses.
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.message} ({self.where})" if self.where else self.message

    def __reduce__(self) -> tuple[object, ...]:
        # pickled with its fields (a worker process raises it in the caller's): the default
        # would call the class with the message alone, which most subclasses refuse
        return (_rebuilt, (type(self), self.args, self.__dict__))


def _rebuilt(
    cls: type[OerRemixError], args: tuple[object, ...], fields: dict[str, object]
) -> OerRemixError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(fields)
    return error


class LicenseDataError(OerRemixError):
    """A licence data file is invalid: ``source`` is the file, ``field`` the key at fault."""

    def __init__(
        self, message: str, *, source: str, line: int | None = None, field: str | None = None
    ) -> None:
        where = source if line is None else f"{source}:{line}"
        if field:
            where = f"{where}, field {field!r}"
        super().__init__(message, where=where)
        self.source = source
        self.line = line
        self.field = field


class UnknownLicenseError(OerRemixError, LookupError):
    """An id, alias or URL names no licence in the catalogue.

    ``query`` is what was looked up; ``suggestions`` lists close ids (did you mean …?).
    """

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown licence {query!r}{hint}")
        self.query = query
        self.suggestions = tuple(suggestions)


class IncompatibleLicensesError(OerRemixError):
    """A build was refused because its sources may not be remixed; ``verdict`` says why."""

    def __init__(self, message: str, *, verdict: object) -> None:
        super().__init__(message)
        self.verdict = verdict


class RecipeError(OerRemixError, ValueError):
    """A recipe is invalid; ``problems`` lists every ``(line, message)`` found, not just one."""

    def __init__(self, source: str, problems: Sequence[tuple[int | None, str]]) -> None:
        lines = [
            f"{source}:{line}: {msg}" if line else f"{source}: {msg}" for line, msg in problems
        ]
        super().__init__("invalid recipe:\n" + "\n".join(lines))
        self.source = source
        self.problems = tuple(problems)


class ReadError(OerRemixError, ValueError):
    """A source cannot be read or parsed; ``source`` is its path or URL, ``line`` where known."""

    def __init__(self, message: str, *, source: str, line: int | None = None) -> None:
        super().__init__(message, where=source if line is None else f"{source}:{line}")
        self.source = source
        self.line = line


class UnsafeContentError(ReadError):
    """Input refused as unsafe: XML entities, a path escaping its folder, a size/time limit."""


class FetchError(OerRemixError):
    """A URL could not be fetched; ``url`` is the address."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message, where=url)
        self.url = url


class WriteError(OerRemixError, OSError):
    """An output could not be written; nothing partial is left behind."""

    def __init__(self, message: str, *, path: str) -> None:
        OerRemixError.__init__(self, message, where=path)
        self.path = path
