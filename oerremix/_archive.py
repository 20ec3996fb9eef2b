"""Safe access to the files of a package: a zip archive read in memory, or an unpacked folder.

EPUB books and IMS Common Cartridges are zip archives, and hostile archives are old tricks: entry
names that climb out of the folder they are unpacked into (``../evil``, ``/etc/passwd``,
``C:\\x``), symlinks, a second file hiding under a name already used, and a few kilobytes that
expand into gigabytes. :class:`ZipArchive` refuses all of them with
:class:`~oerremix.errors.UnsafeContentError`, naming the archive and the entry. Nothing is ever
extracted to disk: members are read into memory by name, one at a time, under a cap.

>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as z:
...     z.writestr("/etc/passwd", "x")
>>> ZipArchive(buffer.getvalue(), source="book.epub")
Traceback (most recent call last):
  ...
oerremix.errors.UnsafeContentError: entry '/etc/passwd': name is an absolute path (book.epub)

:class:`FolderArchive` gives the same interface over an unpacked folder, with the same name
rules, and refuses files that a symlink leads outside the folder.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from oerremix.errors import ReadError, UnsafeContentError

__all__ = ["Archive", "FolderArchive", "Limits", "ZipArchive", "resolve"]

_CHUNK = 64 * 1024
_DRIVE = re.compile(r"[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class Limits:
    """How much an archive may hold before it is refused as unsafe."""

    max_entries: int = 10_000
    """The most entries (files and folders) an archive may list."""
    max_total_bytes: int = 500 * 2**20
    """The most bytes all entries together may expand to (500 MiB)."""
    max_ratio: int = 200
    """The most one entry may expand per byte stored (200:1), checked while it is read."""
    ratio_floor: int = 2**20
    """Entries expanding to fewer bytes than this (1 MiB) are never refused for their ratio:
    small repetitive files (a stylesheet, a blank page) compress far better than 200:1."""


def _name_problem(name: str) -> str | None:
    """Why an entry name is unsafe to use as a path, or None."""
    if not name:
        return "empty name"
    if "\x00" in name:
        return "name contains a NUL character"
    if "\\" in name:
        return "name contains a backslash"
    if name.startswith("/"):
        return "name is an absolute path"
    if _DRIVE.match(name):
        return "name starts with a drive letter"
    if ".." in name.split("/"):
        return "name climbs out of the archive with '..'"
    return None


def _key(name: str) -> str:
    """The path a name stands for: ``a//./b/`` and ``a/b`` are one file to an unzip tool."""
    return "/".join(part for part in name.split("/") if part not in ("", "."))


def resolve(base: str, href: str) -> str | None:
    """The entry a relative link inside a package points at, or None.

    ``base`` is the folder of the file holding the link (``"EPUB/text/"``, ``""`` at the root),
    ``href`` the link as written. The link is URL-decoded and its query and fragment dropped.
    None is returned for links with a scheme or a host (``https:``, ``mailto:``, ``//host``),
    absolute paths, empty paths, malformed links and links that climb above the package root.

    >>> resolve("EPUB/text/", "../images/a%20b.png#x")
    'EPUB/images/a b.png'
    >>> resolve("EPUB/", "../../etc/passwd") is None
    True
    >>> resolve("EPUB/", "http://[::1") is None  # malformed: urllib refuses it
    True
    >>> resolve("", "%2Fetc/passwd") is None  # absolute once decoded
    True
    """
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or not path or path.startswith("/"):
        return None  # "%2Fetc/passwd" too: absolute once decoded
    joined = posixpath.normpath(posixpath.join(base, path))
    if joined in (".", "") or joined == ".." or joined.startswith("../"):
        return None
    return joined


class Archive(Protocol):
    """The files of a package, read by name (``"EPUB/content.opf"``)."""

    location: str
    """The archive or folder as the caller named it (path or URL), for error messages."""

    def names(self) -> tuple[str, ...]:
        """Every file's name, folders left out."""
        ...

    def __contains__(self, name: object) -> bool: ...

    def read(self, name: str) -> bytes:
        """The bytes of one file; :class:`~oerremix.errors.ReadError` when it is missing."""
        ...

    def where(self, name: str) -> str:
        """How to name one file in an error message."""
        ...

    def sha256(self) -> str:
        """SHA-256 of the bytes read: the archive file, or for a folder its files read so far."""
        ...


def _room(infos: list[zipfile.ZipInfo], end: int) -> dict[int, int]:
    """For each entry's header offset, the bytes up to the next entry (or the directory)."""
    offsets = sorted({info.header_offset for info in infos} | {end})
    return {a: b - a for a, b in itertools.pairwise(offsets)}


class ZipArchive:
    """A zip archive held in memory, checked entry by entry when opened.

    Refused with :class:`~oerremix.errors.UnsafeContentError`: entry names with ``..``
    segments, absolute paths, drive letters, backslashes or NUL characters; symlink entries;
    two entries for the same path; more than ``limits.max_entries`` entries; entries that
    together would expand beyond ``limits.max_total_bytes``; and an entry expanding more than
    ``limits.max_ratio`` times its stored size (the header is checked when the archive is
    opened, the bytes actually produced while the entry is read). A damaged or encrypted archive
    raises :class:`~oerremix.errors.ReadError`.
    """

    __slots__ = ("_data", "_infos", "_stored", "_zip", "limits", "location")

    def __init__(self, data: bytes, *, source: str, limits: Limits | None = None) -> None:
        self.location = source
        self.limits = limits or Limits()
        self._data = data
        # A cheap count before zipfile builds an object per entry: each entry of the central
        # directory starts with this signature (stored files containing it only over-count).
        if data.count(b"PK\x01\x02") > self.limits.max_entries:
            raise self._unsafe(f"more than {self.limits.max_entries} entries")
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
            raise ReadError(f"not a readable zip archive: {exc}", source=source) from None
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_entries:
            raise self._unsafe(f"more than {self.limits.max_entries} entries")
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._stored: dict[str, int] = {}
        room = _room(infos, int(getattr(self._zip, "start_dir", len(data))))
        seen: dict[str, str] = {}
        total = 0
        for info in infos:
            name = info.orig_filename  # zipfile cuts the name at a NUL; the original keeps it
            problem = _name_problem(name)
            if problem is not None:
                raise self._unsafe(problem, name)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise self._unsafe("symbolic links are not allowed", name)
            key = _key(name)
            if key in seen:
                raise self._unsafe(f"second entry for the same path as {seen[key]!r}", name)
            seen[key] = name
            total += info.file_size
            if total > self.limits.max_total_bytes:
                raise self._unsafe(
                    f"entries would expand to more than {self.limits.max_total_bytes // 2**20} MiB",
                    name,
                )
            # the header's stored size, but never more than the room the entry takes in the file
            stored = min(info.compress_size, room.get(info.header_offset, info.compress_size))
            if self._too_compressed(info.file_size, stored):
                raise self._unsafe(self._ratio_message(), name)
            if not info.is_dir():
                self._infos[name] = info
                self._stored[name] = stored

    @classmethod
    def from_path(
        cls,
        path: str | os.PathLike[str],
        *,
        source: str | None = None,
        limits: Limits | None = None,
    ) -> ZipArchive:
        """Open the zip file at ``path``; its bytes are read into memory once."""
        location = source if source is not None else os.fspath(path)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ReadError(exc.strerror or "cannot read", source=location) from None
        return cls(data, source=location, limits=limits)

    def _unsafe(self, problem: str, entry: str | None = None) -> UnsafeContentError:
        message = problem if entry is None else f"entry {entry!r}: {problem}"
        return UnsafeContentError(message, source=self.location)

    def _too_compressed(self, produced: int, stored: int) -> bool:
        limits = self.limits
        return produced > limits.ratio_floor and produced > limits.max_ratio * max(stored, 1)

    def _ratio_message(self) -> str:
        return f"expands more than {self.limits.max_ratio} times its stored size (a zip bomb?)"

    def names(self) -> tuple[str, ...]:
        """Every file's name in archive order, folders left out."""
        return tuple(self._infos)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._infos

    def where(self, name: str) -> str:
        """``book.epub!/EPUB/content.opf``: the archive, then the entry."""
        return f"{self.location}!/{name}"

    def sha256(self) -> str:
        """SHA-256 of the whole archive file."""
        return hashlib.sha256(self._data).hexdigest()

    def read(self, name: str) -> bytes:
        """The bytes of the file ``name``, checked against the limits while they are produced."""
        info = self._infos.get(name)
        if info is None:
            raise ReadError(f"no entry {name!r} in the archive", source=self.location)
        if info.flag_bits & 0x1:
            raise ReadError(f"entry {name!r} is encrypted", source=self.location)
        cap = min(info.file_size, self.limits.max_total_bytes)
        out = bytearray()
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    out += chunk
                    if len(out) > cap:
                        raise self._unsafe("expands beyond the size its header states", name)
                    if self._too_compressed(len(out), self._stored[name]):
                        raise self._unsafe(self._ratio_message(), name)
        except ReadError:
            raise  # the limits above (UnsafeContentError is a ValueError too)
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            NotImplementedError,
            ValueError,
        ) as exc:  # ValueError: a damaged directory puts an entry before the file's start
            raise ReadError(f"entry {name!r} cannot be read: {exc}", source=self.location) from None
        except RuntimeError as exc:  # zipfile raises it for entries needing a password
            raise ReadError(f"entry {name!r} cannot be read: {exc}", source=self.location) from None
        return bytes(out)


class FolderArchive:
    """An unpacked package: a folder whose files are read by their ``/``-separated names.

    Names follow the same rules as zip entries, and a file is refused when its real path
    (symlinks followed) lies outside the folder. Files larger than ``limits.max_total_bytes``
    are refused; listing stops at ``limits.max_entries``.
    """

    __slots__ = ("_digest", "_real_root", "limits", "location", "root")

    def __init__(self, root: Path, *, source: str, limits: Limits | None = None) -> None:
        self.root = root
        self.location = source
        self.limits = limits or Limits()
        self._real_root = root.resolve()
        self._digest = hashlib.sha256()

    def names(self) -> tuple[str, ...]:
        """Every file's name below the folder, sorted; symlinked folders are not entered."""
        found: list[str] = []
        for folder, dirs, files in os.walk(self.root):
            dirs.sort()
            relative = Path(folder).relative_to(self.root).as_posix()
            for file in sorted(files):
                found.append(file if relative == "." else f"{relative}/{file}")
                if len(found) > self.limits.max_entries:
                    raise UnsafeContentError(
                        f"more than {self.limits.max_entries} files", source=self.location
                    )
        return tuple(found)

    def _path(self, name: str) -> Path:
        problem = _name_problem(name)
        if problem is not None:
            raise UnsafeContentError(f"file {name!r}: {problem}", source=self.location)
        path = self.root / name
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:
            raise ReadError(f"file {name!r} cannot be read: {exc}", source=self.location) from None
        if not real.is_relative_to(self._real_root):
            raise UnsafeContentError(
                f"file {name!r} leads outside the folder (a symbolic link?)", source=self.location
            )
        return path

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or _name_problem(name) is not None:
            return False
        try:
            return self._path(name).is_file()
        except UnsafeContentError:
            raise  # a symbolic link leading out of the folder: refused, not "missing"
        except ReadError:
            return False

    def where(self, name: str) -> str:
        """The file's path: the folder joined with the name."""
        return os.path.join(self.location, *name.split("/"))

    def sha256(self) -> str:
        """SHA-256 of the bytes of the files read so far, one after the other, in reading order."""
        return self._digest.hexdigest()

    def read(self, name: str) -> bytes:
        """The bytes of the file ``name``."""
        path = self._path(name)
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise ReadError(f"{name!r} is not a file", source=self.location)
            if size > self.limits.max_total_bytes:
                raise UnsafeContentError(
                    f"file {name!r} is larger than {self.limits.max_total_bytes // 2**20} MiB",
                    source=self.location,
                )
            data = path.read_bytes()
        except FileNotFoundError:
            raise ReadError(f"no file {name!r} in the folder", source=self.location) from None
        except OSError as exc:
            raise ReadError(
                f"file {name!r} cannot be read: {exc.strerror or exc}", source=self.location
            ) from None
        self._digest.update(data)
        return data
