"""Hostile archives end to end: ``oerremix.read`` of an ``.epub`` and of an ``.imscc``.

``tests/test_archive.py`` checks :mod:`oerremix._archive` directly; here the same tricks are put
into real packages (the EbookLib test EPUB and the cc2olx cartridge) and read through the public
API, with the working directory and the package's folder watched: nothing may be written
anywhere, and each archive is refused with :class:`~oerremix.errors.UnsafeContentError`.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from oerremix import UnsafeContentError, read

DATA = Path(__file__).resolve().parent.parent / "data"
EPUB = DATA / "ebooklib-test-epub3" / "test01.epub"
CARTRIDGE = DATA / "cc2olx-imscc-fixtures" / "imscc_files" / "main"


def _entries(kind: str) -> list[tuple[str, bytes]]:
    if kind == "epub":
        with zipfile.ZipFile(EPUB) as archive:
            return [(i.filename, archive.read(i)) for i in archive.infolist()]
    return [
        (p.relative_to(CARTRIDGE).as_posix(), p.read_bytes())
        for p in sorted(CARTRIDGE.rglob("*"))
        if p.is_file()
    ]


def package(
    kind: str, extra: list[tuple[str | zipfile.ZipInfo, bytes]], *, first: bool = False
) -> bytes:
    """The real package with ``extra`` entries added (at the end, or before everything)."""
    buffer = io.BytesIO()
    real: list[tuple[str | zipfile.ZipInfo, bytes]] = list(_entries(kind))
    ordered = [*extra, *real] if first else [*real, *extra]
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in ordered:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name)
            info.compress_type = (
                zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
            archive.writestr(info, data)
    return buffer.getvalue()


def symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def lying_size(data: bytes, name: bytes, size: int) -> bytes:
    """``data`` with the central directory claiming ``size`` bytes for entry ``name``."""
    out = bytearray(data)
    at = out.index(b"PK\x01\x02" + b"", out.index(b"PK\x01\x02"))
    while True:
        length = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46 : at + 46 + length]) == name:
            struct.pack_into("<I", out, at + 24, size)
            return bytes(out)
        at = out.index(b"PK\x01\x02", at + 4)


CASES = {
    # zip slip: ../ climbs out of wherever the package would be unpacked
    "dotdot": ([("../../evil.txt", b"x")], "'..'"),
    "dotdot-deep": ([("EPUB/../../evil.txt", b"x")], "'..'"),
    # an absolute path
    "absolute": ([("/tmp/evil.txt", b"x")], "absolute path"),
    # a Windows drive letter, and a backslash path that hides '..' from a '/' split
    "drive-letter": ([("C:/evil.txt", b"x")], "drive letter"),
    "backslash": ([("..\\..\\evil.txt", b"x")], "backslash"),
    # a symlink entry pointing anywhere
    "symlink": ([symlink("EPUB/link.xhtml", "/etc/passwd")], "symbolic link"),
    # the same path twice (a//b and a/b)
    "same-path": ([("EPUB//intro.xhtml", b"<html/>")], "second entry"),
    # a zip bomb: 8 MiB of zeros, about 1000:1
    "bomb": ([("EPUB/bomb.xhtml", b"\0" * (8 * 2**20))], "zip bomb"),
}


@pytest.fixture
def watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory (where a naive unzip would write), checked after each test."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("first", [False, True], ids=["appended", "first-entry"])
@pytest.mark.parametrize("kind", ["epub", "imscc"])
@pytest.mark.parametrize("case", list(CASES))
def test_hostile_entries_refused(
    case: str, kind: str, first: bool, watched: Path, tmp_path: Path
) -> None:
    extra, problem = CASES[case]
    if case == "same-path" and kind == "imscc":
        extra = [("course_settings//course_settings.xml", b"<x/>")]
    path = tmp_path / "pkg" / f"book.{kind}"
    path.parent.mkdir()
    path.write_bytes(package(kind, extra, first=first))
    before = tree(tmp_path)
    with pytest.raises(UnsafeContentError, match=problem) as caught:
        read(path)
    assert caught.value.source == str(path)
    assert tree(tmp_path) == before  # nothing written, here or anywhere under tmp
    assert tree(watched) == []
    assert not Path("/tmp/evil.txt").exists()


@pytest.mark.parametrize("kind", ["epub", "imscc"])
def test_duplicate_names_refused(kind: str, tmp_path: Path) -> None:
    name = "EPUB/intro.xhtml" if kind == "epub" else "imsmanifest.xml"
    path = tmp_path / f"book.{kind}"
    with pytest.warns(UserWarning, match="Duplicate name"):
        path.write_bytes(package(kind, [(name, b"<html>second</html>")]))
    with pytest.raises(UnsafeContentError, match="second entry"):
        read(path)


@pytest.mark.parametrize("kind", ["epub", "imscc"])
def test_too_many_entries_refused(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"book.{kind}"
    path.write_bytes(package(kind, [(f"junk/{i}", b"") for i in range(10_001)]))
    with pytest.raises(UnsafeContentError, match="more than 10000 entries"):
        read(path)


@pytest.mark.parametrize("kind", ["epub", "imscc"])
def test_total_size_refused(kind: str, tmp_path: Path) -> None:
    # The central directory claims 600 MiB for one small entry: more than the archive may hold.
    data = package(kind, [("big.bin", b"x" * 1000)])
    path = tmp_path / f"book.{kind}"
    path.write_bytes(lying_size(data, b"big.bin", 600 * 2**20))
    with pytest.raises(UnsafeContentError, match="more than 500 MiB"):
        read(path)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs a device that never ends")
def test_a_file_with_no_size_is_read_no_further_than_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A device or a pipe has no size to ask first (``stat`` says 0): reading it must stop at
    the limit too, not fill the memory (``oerremix inspect /dev/zero`` never ended)."""
    from oerremix import readers

    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 2**20)
    with pytest.raises(UnsafeContentError, match="larger than 1 MiB"):
        read("/dev/zero")


def test_unpacked_epub_folder_with_symlink_out(tmp_path: Path) -> None:
    """An unpacked EPUB whose chapter is a symlink to a file outside the folder."""
    folder = tmp_path / "book"
    with zipfile.ZipFile(EPUB) as archive:
        archive.extractall(folder)  # the trusted fixture
    secret = tmp_path / "secret.xhtml"
    secret.write_text("<html xmlns='http://www.w3.org/1999/xhtml'><body>secret</body></html>")
    (folder / "EPUB" / "intro.xhtml").unlink()
    os.symlink(secret, folder / "EPUB" / "intro.xhtml")

    def read_all() -> None:
        work = read(folder)
        for _section in work.content or ():
            pass

    with pytest.raises(UnsafeContentError, match="leads outside the folder"):
        read_all()
