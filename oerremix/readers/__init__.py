"""Readers: turn a path or URL into a :class:`~oerremix.model.Work`.

``read(source)`` picks a reader by *content* (the bytes, the JSON's shape, the files in a
folder), falling back on the file name or URL only to break ties. Each reader is one module in
this package with a module-level ``READER`` object satisfying :class:`Reader`; the registry
below names them in the order they are asked.

Every reader returns a Work with the licence it found (and the evidence, in ``provenance``), its
authors, lineage, assets with their own licences and credits, and ``content``: a
:class:`~oerremix.document.Document` whose sections are loaded one at a time. A licence that
cannot be determined is recorded as unknown (``license=None``) with the evidence, never guessed.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import importlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from oerremix._parallel import jobs_for
from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import Evidence, LicenseStatus, Provenance, Work

if TYPE_CHECKING:
    from oerremix.fetch import Fetcher

__all__ = ["MAX_FILE_BYTES", "Input", "Reader", "file_bytes", "read", "readers"]

MAX_FILE_BYTES = 200 * 1024 * 1024
"""The largest single file a reader will load (a whole EPUB or cartridge included)."""

# In the order they are asked: specific formats first, generic HTML last.
_MODULES = ("epub", "imscc", "openstax", "pressbooks", "commons", "markdown", "site", "html")


@dataclass(frozen=True, slots=True)
class Input:
    """What a reader is given: where the source is, and its bytes when it is one file."""

    location: str
    """The path or URL as the caller gave it (used in every error message)."""
    path: Path | None
    """The local file or folder, or None for a URL."""
    data: bytes | None
    """The file's (or the fetched URL's) bytes; None for a folder."""
    media_type: str | None
    """The Content-Type of a fetched URL, without parameters; None for local files."""
    fetcher: Fetcher | None
    """The fetcher to follow links with (APIs, linked pages); None when reading offline."""
    jobs: int | None = 1
    """Processes a reader may use to read a book of many files (1: only the caller's; 0 or
    None: one per CPU, at most 8). See :func:`read`."""

    @property
    def name(self) -> str:
        """The file or folder name, or the last path segment of the URL."""
        if self.path is not None:
            return self.path.name
        return self.location.rstrip("/").rsplit("/", 1)[-1]

    def sha256(self) -> str | None:
        """SHA-256 of ``data`` (for provenance), or None for a folder."""
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else None

    @staticmethod
    def now() -> str:
        """The current UTC time as an ISO 8601 string, for ``Provenance.retrieved``."""
        return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def provenance(
        self, evidence: tuple[Evidence, ...], status: LicenseStatus, *, sha256: str | None = None
    ) -> Provenance:
        """Where this input came from, read now, with the licence ``evidence`` and ``status``
        found in it; ``sha256`` when the bytes read were not ``data`` (a folder, an answer)."""
        digest = sha256 if sha256 is not None else self.sha256()
        return Provenance(self.location, Input.now(), digest, evidence, status)


class Reader(Protocol):
    """One input format."""

    name: str
    """Short format name (``html``, ``epub`` …), as ``read(format=…)`` accepts it."""

    def sniff(self, source: Input) -> int:
        """How sure this reader is that it can read ``source``: 0 (no) to 100 (certain)."""
        ...

    def read(self, source: Input) -> Work:
        """Read ``source``; raise :class:`~oerremix.errors.ReadError` naming it when it cannot."""
        ...


def readers() -> dict[str, Reader]:
    """Every available reader by name, in the order they are asked."""
    modules = (importlib.import_module(f"{__name__}.{name}") for name in _MODULES)
    return {module.READER.name: module.READER for module in modules}


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


@functools.cache
def _default_fetcher() -> Fetcher:
    """One fetcher for reads that were given none; it stays open while content may still be
    loaded lazily, and is closed when the interpreter exits."""
    from oerremix.fetch import Fetcher

    fetcher = Fetcher()
    atexit.register(fetcher.close)
    return fetcher


def _load(source: str | os.PathLike[str], fetcher: Fetcher | None, jobs: int | None) -> Input:
    location = os.fspath(source)
    if not location:  # pathlib would take it for the current folder
        raise ReadError("an empty path names no file, folder or URL", source="''")
    if _is_url(location):
        if fetcher is None:
            fetcher = _default_fetcher()
        fetched = fetcher.fetch(location)
        return Input(location, None, fetched.content, fetched.media_type, fetcher, jobs)
    path = Path(location)
    if path.is_dir():
        return Input(location, path, None, None, fetcher, jobs)
    return Input(location, path, file_bytes(path, location), None, fetcher, jobs)


def file_bytes(path: Path, location: str) -> bytes:
    """The bytes of the file at ``path``, at most :data:`MAX_FILE_BYTES` of them.

    More is :class:`~oerremix.errors.UnsafeContentError`, anything the system refuses is
    :class:`~oerremix.errors.ReadError`, both naming ``location``. A regular file is refused
    from its size without being read; a device or a pipe, which has no size to ask (0), is
    read no further than the limit.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1) if size <= MAX_FILE_BYTES else b""
    except OSError as exc:
        raise ReadError(exc.strerror or "cannot read", source=location) from None
    if max(size, len(data)) > MAX_FILE_BYTES:
        raise UnsafeContentError(
            f"file is larger than {MAX_FILE_BYTES // 2**20} MiB", source=location
        )
    return data


def read(
    source: str | os.PathLike[str],
    *,
    fetcher: Fetcher | None = None,
    format: str | None = None,
    jobs: int | None = 1,
) -> Work:
    """Read a resource from a path (file or folder) or an http(s) URL into a Work.

    The reader is chosen by content unless ``format`` names one. Raises
    :class:`~oerremix.errors.ReadError` (naming the source) when nothing can read it.

    ``jobs`` lets a reader spread a book of many files over that many processes (0 or None:
    one per CPU, at most 8); the Markdown reader does, for books of hundreds of chapters. The
    default, 1, starts none. A script asking for more must guard its entry point with
    ``if __name__ == "__main__":`` (the workers are spawned, as :mod:`multiprocessing` does).
    """
    jobs_for(jobs)  # a wrong number is refused before anything is read
    return read_input(_load(source, fetcher, jobs), format)


def read_input(given: Input, format: str | None = None) -> Work:
    """Read what is already loaded: a build reads the very bytes it pinned in its lock file."""
    available = readers()
    if format is not None:
        if format not in available:
            raise ReadError(
                f"unknown format {format!r}; known: {', '.join(available)}", source=given.location
            )
        return available[format].read(given)
    scores = [(reader.sniff(given), i, reader) for i, reader in enumerate(available.values())]
    best = max(scores, key=lambda s: (s[0], -s[1]), default=None)
    if best is None or best[0] <= 0:
        raise ReadError(_unrecognised(given), source=given.location)
    return best[2].read(given)


def _unrecognised(given: Input) -> str:
    """Why nothing reads ``given``, and how to choose a reader."""
    names = ", ".join(readers())
    return (
        f"no reader recognises this input; the readers are {names}, and one can be chosen"
        " (format=… in Python, --format on the command line)"
    )
