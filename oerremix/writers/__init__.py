"""Writers: a built :class:`Package` as an HTML site, EPUB 3, IMS Common Cartridge or Markdown.

Each writer is one module in this package with a module-level ``WRITER`` satisfying
:class:`Writer`. Every package carries, whatever its format: the content (already sanitised,
links and asset paths rewritten), the licence notice of the new work on every page (with
``rel="license"`` and ccREL RDFa), a credits page, and a machine-readable metadata file
(``metadata.jsonld``: schema.org/LRMI, read back by oerremix).

:func:`atomic_output` is how a build writes: into a temporary sibling folder, then a swap, so
a failure or a kill at any point leaves either the complete old output or the complete new one.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import importlib
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, overload

from oerremix._processes import gone, pid_after
from oerremix._strings import phrase
from oerremix.errors import WriteError
from oerremix.model import Asset, Change, Work

__all__ = [
    "FIXED_ZIP_TIME",
    "Entry",
    "Package",
    "PackageAsset",
    "PackageModule",
    "SpooledModules",
    "Writer",
    "atomic_output",
    "ui_word",
    "write_zip",
    "writers",
]

_MODULES = ("site", "epub", "imscc", "markdown")
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
"""The timestamp of every zip entry oerremix writes, so two builds are byte-identical."""


@dataclass(frozen=True, slots=True)
class PackageModule:
    """One module (chapter) of the new work, ready to write."""

    id: str
    """Stable id: file names (``<id>.html``) and links use it."""
    title: str
    """Its title."""
    html: str
    """Its body: a sanitised HTML fragment; asset paths point into ``media/``, links to
    other modules as ``<id>.html``."""
    changes: tuple[Change, ...] = ()
    """What was changed in the material it took from sources."""


@dataclass(frozen=True, slots=True)
class PackageAsset:
    """A file the package carries (an image, a video), with its own rights."""

    path: str
    """Its path inside the package, e.g. ``media/resistor.jpg`` (always under ``media/``)."""
    content: bytes | Path
    """Its bytes, or the file that holds them (a build keeps them on disk until written)."""
    media_type: str
    """Its MIME type."""
    asset: Asset
    """Its licence, credit and changes."""

    @property
    def data(self) -> bytes:
        """Its bytes (read from :attr:`content` when that is a file)."""
        return self.content if isinstance(self.content, bytes) else self.content.read_bytes()


class SpooledModules(Sequence[PackageModule]):
    """A build's modules, their HTML kept in a file in ``folder`` rather than in memory: a
    module is read back each time a writer asks for it, so a book of any length costs the
    memory of one module at a time. All modules share one file (creating a file per module
    cost more than writing them)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._folder = folder
        self._file = folder / "modules-0"
        self._file.touch()
        self._entries: list[tuple[str, str, tuple[Change, ...], int, int]] = []

    def append(self, module: PackageModule) -> None:
        """Add a module (its HTML goes to the file)."""
        data = module.html.encode("utf-8")
        with self._file.open("ab") as spool:
            start = spool.tell()
            spool.write(data)
        self._entries.append((module.id, module.title, module.changes, start, len(data)))

    def rewrite(self, change: Callable[[str], str]) -> None:
        """Replace every module's HTML by ``change(html)``."""
        old, entries = self._file, self._entries
        self._file = self._folder / f"modules-{int(old.name[8:]) + 1}"
        self._file.touch()
        self._entries = []
        for entry in entries:
            html = change(self._read(old, entry))
            self.append(PackageModule(entry[0], entry[1], html, entry[2]))
        old.unlink()

    @staticmethod
    def _read(file: Path, entry: tuple[str, str, tuple[Change, ...], int, int]) -> str:
        with file.open("rb") as spool:
            spool.seek(entry[3])
            return spool.read(entry[4]).decode("utf-8")

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> PackageModule: ...

    @overload
    def __getitem__(self, index: slice) -> list[PackageModule]: ...

    def __getitem__(self, index: int | slice) -> PackageModule | list[PackageModule]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        entry = self._entries[index]
        return PackageModule(entry[0], entry[1], self._read(self._file, entry), entry[2])


@dataclass(frozen=True, slots=True)
class Package:
    """Everything a writer needs; computed once by the build, written by each writer."""

    work: Work
    """The new work: title, authors, licence, language, ``based_on`` (every source, with
    lineage), ``assets`` (every third-party item) and ``changes``."""
    slug: str
    """A file-name-safe name for single-file outputs (``<slug>.epub``)."""
    identifier: str
    """A stable identifier (``urn:uuid:…`` derived from the content), for EPUB and IMS CC."""
    modified: str
    """The build's timestamp, fixed for reproducibility (ISO 8601, UTC, seconds)."""
    modules: Sequence[PackageModule]
    """The modules, in order (a build's are :class:`SpooledModules`)."""
    assets: tuple[PackageAsset, ...]
    """The files under ``media/``."""
    notice_html: str
    """The licence notice of the new work, HTML with ccREL RDFa, for every page."""
    notice_text: str
    """The same notice as plain text."""
    credits_html: str
    """The credits block (every source with lineage, every third-party asset, changes)."""
    credits_markdown: str
    """The credits block in Markdown."""
    metadata: dict[str, Any]
    """schema.org/LRMI JSON-LD of the new work (``isBasedOn`` as full records)."""
    description: str | None = None
    """A description of the new work."""
    learning_outcomes: tuple[str, ...] = ()
    """What learners will be able to do."""


class Writer(Protocol):
    """One output format."""

    name: str
    """``html``, ``epub``, ``imscc`` or ``markdown``."""

    def write(self, package: Package, folder: Path) -> None:
        """Write the package into ``folder`` (which exists and is empty)."""
        ...


def writers() -> dict[str, Writer]:
    """Every available writer by output name."""
    modules = (importlib.import_module(f"{__name__}.{name}") for name in _MODULES)
    return {module.WRITER.name: module.WRITER for module in modules}


@contextlib.contextmanager
def atomic_output(out: str | os.PathLike[str]) -> Iterator[Path]:
    """Give a fresh temporary folder beside ``out``; on success swap it into place.

    On Linux the swap exchanges the two folders in one system call, then removes the old one;
    elsewhere it renames the old ``out`` aside, renames the new folder into place, then removes
    the old one (a kill between the two renames is undone by the next call). Either way a
    failure or a kill leaves a complete old or a complete new ``out``. On an exception the
    temporary folder is removed and ``out`` is untouched; an :class:`OSError` while writing
    (a full disk) becomes :class:`~oerremix.errors.WriteError` naming ``out``.
    """
    target = Path(out).absolute()
    parent = target.parent
    _recover(target)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=parent))
    except OSError as exc:
        raise WriteError(
            f"cannot create the output folder: {exc.strerror}", path=str(parent)
        ) from None
    try:
        yield tmp
    except WriteError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except OSError as exc:  # a full disk, a file system turned read-only: the named error
        shutil.rmtree(tmp, ignore_errors=True)
        raise WriteError(
            f"cannot write the output: {exc.strerror or exc}", path=str(target)
        ) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = parent / f".{target.name}.old-{os.getpid()}"
    try:
        if target.exists() and _exchange(tmp, target):
            shutil.rmtree(tmp, ignore_errors=True)  # it holds the old output now
            return
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
    except OSError as exc:
        if old.exists() and not target.exists():
            os.replace(old, target)
        shutil.rmtree(tmp, ignore_errors=True)
        raise WriteError(f"cannot replace the output: {exc.strerror}", path=str(target)) from None
    shutil.rmtree(old, ignore_errors=True)


def _exchange(new: Path, target: Path) -> bool:
    """Swap ``new`` and ``target`` in one step (Linux ``renameat2(RENAME_EXCHANGE)``), so no
    moment exists without a complete ``target``; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(target), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False  # the file system or the kernel does not support it: two renames
    raise OSError(code, os.strerror(code), str(target))


def _recover(target: Path) -> None:
    """Undo what a build killed mid-swap left behind: restore the set-aside old output if the
    new one never arrived, and remove stale temporary folders. Folders are named after the
    build's process; those of a build still running (one writing the same output at the same
    time) are left alone where that can be told (POSIX; elsewhere every one is stale)."""
    if not target.parent.is_dir():
        return

    def stale(folder: Path, kind: str) -> bool:
        pid = pid_after(folder.name, f".{target.name}.{kind}-")
        return pid is None or (pid != os.getpid() and gone(pid) is not False)

    old = [p for p in target.parent.glob(f".{target.name}.old-*") if stale(p, "old")]
    old.sort(key=lambda p: p.stat().st_mtime)
    if old and not target.exists():
        os.replace(old.pop(), target)
    new = [p for p in target.parent.glob(f".{target.name}.new-*") if stale(p, "new")]
    for folder in (*old, *new):
        shutil.rmtree(folder, ignore_errors=True)


def ui_word(lang: str | None, key: str, **values: object) -> str:
    """One fixed word of the outputs ("Contents", "Next", "Licence and credits" …) in ``lang``:
    ``templates/strings/<lang>.yaml``, section ``writers``; English where a language has none.

    >>> ui_word("fr-CA", "rights_link"), ui_word("de", "rights_link")
    ('Licence et crédits', 'Licence and credits')
    """
    return phrase("writers", key, lang or "en", **values)


Entry = tuple[str, "bytes | Callable[[], bytes] | Path"]
"""A zip entry: its name and its bytes, a function giving them when the entry is written, or
a file copied into the zip as it is read."""


def write_zip(path: Path, entries: Iterable[Entry], *, first_stored: str | None = None) -> None:
    """Write a reproducible zip: fixed timestamps, fixed permissions, sorted entries.

    ``first_stored`` names an entry written first and uncompressed (EPUB's ``mimetype``). An
    entry given as a function is asked for its bytes only when it is written, so a book's pages
    and images need not all be in memory at once.
    """
    ordered = sorted(entries, key=lambda e: e[0])
    if first_stored is not None:
        ordered.sort(key=lambda e: e[0] != first_stored)
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in ordered:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = (
                zipfile.ZIP_STORED if name == first_stored else zipfile.ZIP_DEFLATED
            )
            if isinstance(content, Path):
                with content.open("rb") as source, archive.open(info, "w") as target:
                    shutil.copyfileobj(source, target)
            else:
                archive.writestr(info, content if isinstance(content, bytes) else content())
