"""The build's files while it runs: the media a package holds, and the temporary folder.

:class:`_Media` copies each file the modules use (an image, a source's audio or video) into
``media/`` once, named by a digest of its bytes and its file name; the copy waits on disk, in the
build's temporary folder, until the writers copy it into each package. That folder's name is
:data:`_SPOOL` and the building process's id: :func:`_remove_stale_spools` removes those of
builds that were killed, and :func:`_temporary_files` reports trouble writing there as a
:class:`~oerremix.errors.WriteError`.

Part of the build (:func:`oerremix.remix.build` makes the folder and the :class:`_Media`). This
module imports no other part of it; remix.py and the parts that assemble the modules
(:mod:`oerremix._build_assemble`, :mod:`oerremix._build_refs`) import it, so there is no import
cycle.
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from oerremix._processes import gone, pid_after
from oerremix.errors import OerRemixError, ReadError, WriteError
from oerremix.fetch import Fetcher
from oerremix.model import Asset
from oerremix.writers import PackageAsset

__all__ = ["_SPOOL", "_Media", "_remove_stale_spools", "_temporary_files"]


class _Media:
    """Copies the images a module uses into ``media/``, once each, and rewrites their paths."""

    def __init__(self, fetcher: Fetcher, spool: Path) -> None:
        self.fetcher = fetcher
        self.files: dict[str, PackageAsset] = {}
        self._spool = spool  # the files wait here, not in memory, until the writers copy them
        self._paths: dict[str, str] = {}  # a file's location -> its path in media/
        spool.mkdir(parents=True, exist_ok=True)

    def add(self, location: str, asset: Asset, data: bytes | None = None) -> str:
        if data is None:
            if location in self._paths:  # a book uses one figure in many modules
                return self._paths[location]
            data = self._load(location)
            self._paths[location] = self._store(location, asset, data)
            return self._paths[location]
        return self._store(location, asset, data)

    def path_of(self, location: str) -> str | None:
        """The path in ``media/`` of the file copied from ``location``, or None."""
        return self._paths.get(location)

    def _store(self, location: str, asset: Asset, data: bytes) -> str:
        name = posixpath.basename(urlsplit(location).path) or "file"
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", name)[-60:]
        path = f"media/{hashlib.sha256(data).hexdigest()[:10]}-{name}"
        if path not in self.files:
            media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            file = self._spool / str(len(self.files))
            file.write_bytes(data)
            self.files[path] = PackageAsset(path, file, media_type, asset)
        return path

    def _load(self, location: str) -> bytes:
        if location.startswith(("http://", "https://")):
            return self.fetcher.fetch(location).content
        try:
            return Path(location).read_bytes()
        except OSError as exc:
            raise ReadError(exc.strerror or "cannot read", source=location) from None


_SPOOL = "oerremix-build-"
"""The prefix of a build's temporary folder, followed by the building process's id."""


def _remove_stale_spools() -> None:
    """Remove the temporary folders of builds whose process is gone (killed with SIGKILL, or
    the machine lost power): nothing else would, and a CI runner's disk fills up with them.
    Only where that can be asked (POSIX); a folder whose process still runs — or another
    user's — is left alone."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_SPOOL}*-*"):
        pid = pid_after(folder.name, _SPOOL)
        if pid is not None and pid != os.getpid() and gone(pid):
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _temporary_files() -> Iterator[None]:
    """Report trouble with the build's temporary files (modules and media wait there) as a
    :class:`~oerremix.errors.WriteError` naming the temporary folder."""
    try:
        yield
    except OerRemixError:
        raise
    except OSError as exc:
        where = exc.filename or tempfile.gettempdir()
        raise WriteError(
            f"cannot write the build's temporary files: {exc.strerror or exc} (free some space"
            " there, or set TMPDIR to a folder you can write to)",
            path=str(where),
        ) from None
