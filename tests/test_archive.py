"""Safe zip and folder access (``oerremix._archive``): hostile archives are refused by name.

Every hostile zip is built here, in memory, with :mod:`zipfile` (names and header fields set by
hand where ``zipfile`` would refuse to write them). Nothing is ever extracted: the tests also
check that no file appears on disk.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from oerremix._archive import FolderArchive, Limits, ZipArchive, resolve
from oerremix.errors import ReadError, UnsafeContentError

DATA = Path(__file__).parent / "data"
EPUB = DATA / "ebooklib-test-epub3" / "test01.epub"


def build(*entries: tuple[str | zipfile.ZipInfo, bytes], compress: bool = True) -> bytes:
    """A zip of ``entries`` (name or ZipInfo, data), written in memory, deterministically."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name)
            info.date_time = (2024, 1, 1, 0, 0, 0)
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    """A Unix symlink entry, as ``zip --symlinks`` writes it: mode S_IFLNK, data = target."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def with_nul(name_before: str, name_after: str) -> bytes:
    """A zip with one entry whose stored name has a NUL byte (zipfile cannot write one)."""
    assert len(name_before) == len(name_after)
    data = build((name_before, b"x"), compress=False)
    return data.replace(name_before.encode(), name_after.encode())


def duplicate_zip() -> bytes:
    """Two entries named ``a.txt`` (zipfile warns but writes them; the warning is expected)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", b"first")
        with pytest.warns(UserWarning, match=r"Duplicate name"):
            archive.writestr("a.txt", b"second")
    return buffer.getvalue()


class TestRefusedEntries:
    """Every unsafe archive is refused when opened, naming the archive and the entry."""

    @pytest.mark.parametrize(
        ("data", "entry", "problem"),
        [
            # zip slip: an unzip tool would write outside its target folder
            pytest.param(build(("../evil", b"x")), "../evil", "'..'", id="zip-slip"),
            # zip slip further down the name
            pytest.param(build(("a/../../evil", b"x")), "a/../../evil", "'..'", id="zip-slip-deep"),
            # absolute path: /etc/passwd would be overwritten
            pytest.param(build(("/etc/passwd", b"x")), "/etc/passwd", "absolute", id="absolute"),
            # a Windows drive letter is absolute on Windows
            pytest.param(build(("C:/x", b"x")), "C:/x", "drive letter", id="drive-letter"),
            # C:\x: a backslash is a separator on Windows (and the drive letter too)
            pytest.param(build(("C:\\x", b"x")), "C:\\x", "backslash", id="drive-backslash"),
            # a backslash path hides '..' from a check that splits on '/'
            pytest.param(build(("..\\evil", b"x")), "..\\evil", "backslash", id="backslash"),
            # a symlink entry, which extractors create as a link pointing anywhere
            pytest.param(build(symlink("link", "/etc/passwd")), "link", "symbolic", id="symlink"),
            # a NUL byte cuts the name short in C libraries (and in zipfile's own name)
            pytest.param(
                with_nul("evil.txtXjpg", "evil.txt\x00jpg"), "evil.txt\x00jpg", "NUL", id="nul"
            ),
            # two entries for the same path: which one is read depends on the tool
            pytest.param(duplicate_zip(), "a.txt", "second entry", id="duplicate"),
            # the same path spelled twice: 'a//b' and 'a/b' unpack to one file
            pytest.param(
                build(("a/b", b"x"), ("a//b", b"y")), "a//b", "second entry", id="same-path"
            ),
        ],
    )
    def test_refused(
        self, data: bytes, entry: str, problem: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)  # anything extracted would land here
        with pytest.raises(UnsafeContentError) as caught:
            ZipArchive(data, source="hostile.zip")
        message = str(caught.value)
        assert caught.value.source == "hostile.zip"
        assert "hostile.zip" in message
        assert repr(entry) in message
        assert problem in message
        assert list(tmp_path.iterdir()) == []

    def test_too_many_entries(self) -> None:
        data = build(*((f"f{i}.txt", b"") for i in range(11)))
        with pytest.raises(UnsafeContentError, match=r"more than 10 entries") as caught:
            ZipArchive(data, source="many.zip", limits=Limits(max_entries=10))
        assert caught.value.source == "many.zip"

    def test_too_many_entries_at_the_default_limit(self) -> None:
        data = build(*((f"{i}", b"") for i in range(10_001)), compress=False)
        with pytest.raises(UnsafeContentError, match=r"more than 10000 entries"):
            ZipArchive(data, source="many.zip")

    def test_total_size(self) -> None:
        data = build(("a", b"a" * 600), ("b", b"b" * 600))
        with pytest.raises(UnsafeContentError, match=r"entry 'b'.*more than 0 MiB"):
            ZipArchive(data, source="big.zip", limits=Limits(max_total_bytes=1000))


class TestZipBomb:
    """The compression ratio is checked from the header and again while the bytes come out."""

    def test_bomb_by_ratio_refused_when_opened(self) -> None:
        data = build(("bomb.txt", b"\0" * (4 * 2**20)))  # 4 MiB of zeros: ~1000:1
        with pytest.raises(UnsafeContentError, match=r"entry 'bomb.txt': expands more than 200"):
            ZipArchive(data, source="bomb.zip")

    def test_lying_stored_size(self) -> None:
        # The central directory claims a stored size 100 times the real one, so the ratio in the
        # header looks harmless; the room the entry really takes in the file gives it away.
        data = bytearray(build(("bomb.txt", b"\0" * (4 * 2**20)), ("z.txt", b"z")))
        central = data.index(b"PK\x01\x02")
        compressed = struct.unpack_from("<I", data, central + 20)[0]
        struct.pack_into("<I", data, central + 20, compressed * 100)
        with pytest.raises(UnsafeContentError, match=r"entry 'bomb.txt': expands more than 200"):
            ZipArchive(bytes(data), source="liar.zip")

    def test_ratio_checked_while_reading(self) -> None:
        # Limits tighter than the entry: the check while reading fires on the bytes produced.
        data = build(("page.html", b"<p>" * 200_000))
        archive = ZipArchive(data, source="ok.zip", limits=Limits(max_ratio=10**6))
        archive.limits = Limits(max_ratio=2, ratio_floor=1000)
        with pytest.raises(UnsafeContentError, match=r"entry 'page.html': expands more than 2 "):
            archive.read("page.html")

    def test_small_repetitive_files_are_fine(self) -> None:
        # 64 KiB of spaces compresses far beyond 200:1 but stays under the 1 MiB floor
        data = build(("blank.css", b" " * 65536))
        assert ZipArchive(data, source="ok.zip").read("blank.css") == b" " * 65536


class TestReading:
    """Members are read by name into bytes; errors name the archive and the entry."""

    def test_real_epub(self) -> None:
        archive = ZipArchive.from_path(EPUB)
        # the names as stored in test01.epub (listed with `python -m zipfile -l`)
        assert archive.names() == (
            "mimetype",
            "META-INF/container.xml",
            "EPUB/content.opf",
            "EPUB/style/default.css",
            "EPUB/intro.xhtml",
            "EPUB/about.xhtml",
            "EPUB/toc.ncx",
            "EPUB/nav.xhtml",
            "EPUB/style/nav.css",
        )
        assert archive.read("mimetype") == b"application/epub+zip"
        assert "EPUB/content.opf" in archive
        assert archive.where("EPUB/content.opf") == f"{EPUB}!/EPUB/content.opf"
        assert len(archive.sha256()) == 64

    def test_missing_entry(self) -> None:
        archive = ZipArchive(build(("a.txt", b"x")), source="small.zip")
        with pytest.raises(ReadError, match=r"no entry 'b.txt' in the archive \(small.zip\)"):
            archive.read("b.txt")

    def test_folders_are_not_names(self) -> None:
        archive = ZipArchive(build(("dir/", b""), ("dir/a.txt", b"x")), source="d.zip")
        assert archive.names() == ("dir/a.txt",)

    @pytest.mark.parametrize(
        "data",
        [
            # not a zip at all
            pytest.param(b"hello, world", id="text"),
            # a zip cut in half: the central directory is gone
            pytest.param(build(("a.txt", b"x" * 1000))[:40], id="truncated"),
        ],
    )
    def test_not_a_zip(self, data: bytes) -> None:
        with pytest.raises(ReadError, match=r"not a readable zip archive.*\(broken.zip\)"):
            ZipArchive(data, source="broken.zip")

    def test_corrupt_member(self) -> None:
        data = bytearray(build(("a.txt", b"hello " * 100)))
        start = data.index(b"a.txt") + len("a.txt")
        data[start : start + 8] = b"\xff" * 8  # damage the deflate stream
        archive = ZipArchive(bytes(data), source="bad.zip")
        with pytest.raises(ReadError, match=r"entry 'a.txt' cannot be read.*\(bad.zip\)"):
            archive.read("a.txt")

    def test_encrypted_member(self) -> None:
        data = bytearray(build(("a.txt", b"x"), compress=False))
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = data.index(signature)
            struct.pack_into("<H", data, at + offset, 0x1)  # the "encrypted" flag bit
        archive = ZipArchive(bytes(data), source="secret.zip")
        with pytest.raises(ReadError, match=r"entry 'a.txt' is encrypted"):
            archive.read("a.txt")


class TestFolderArchive:
    """An unpacked package: the same name rules, and no way out through a symlink."""

    def test_reads_and_lists(self, tmp_path: Path) -> None:
        (tmp_path / "a").mkdir()
        (tmp_path / "a" / "b.txt").write_bytes(b"hello")
        (tmp_path / "c.txt").write_bytes(b"!")
        archive = FolderArchive(tmp_path, source="pkg")
        assert archive.names() == ("c.txt", "a/b.txt")
        assert archive.read("a/b.txt") == b"hello"
        assert "a/b.txt" in archive
        assert "a/missing.txt" not in archive
        assert archive.where("a/b.txt") == os.path.join("pkg", "a", "b.txt")

    @pytest.mark.parametrize(
        ("name", "problem"),
        [
            # climbing out of the folder
            pytest.param("../secret", "'..'", id="dotdot"),
            # an absolute path
            pytest.param("/etc/passwd", "absolute", id="absolute"),
        ],
    )
    def test_refused_names(self, tmp_path: Path, name: str, problem: str) -> None:
        archive = FolderArchive(tmp_path, source="pkg")
        with pytest.raises(UnsafeContentError, match=problem):
            archive.read(name)
        assert name not in archive

    def test_symlink_out_of_the_folder(self, tmp_path: Path) -> None:
        secret = tmp_path / "secret.txt"
        secret.write_text("secret")
        package = tmp_path / "package"
        package.mkdir()
        (package / "link.txt").symlink_to(secret)
        archive = FolderArchive(package, source="package")
        with pytest.raises(UnsafeContentError, match=r"'link.txt' leads outside the folder"):
            archive.read("link.txt")

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(ReadError, match=r"no file 'x.txt' in the folder \(pkg\)"):
            FolderArchive(tmp_path, source="pkg").read("x.txt")

    def test_digest_of_the_files_read(self, tmp_path: Path) -> None:
        import hashlib

        (tmp_path / "a").write_bytes(b"one")
        (tmp_path / "b").write_bytes(b"two")
        archive = FolderArchive(tmp_path, source="pkg")
        archive.read("a")
        archive.read("b")
        assert archive.sha256() == hashlib.sha256(b"onetwo").hexdigest()


class TestResolve:
    """Relative links inside a package become entry names, or None."""

    @pytest.mark.parametrize(
        ("base", "href", "expected"),
        [
            # a sibling, percent-decoded, fragment dropped
            pytest.param("EPUB/", "img/a%20b.png#top", "EPUB/img/a b.png", id="sibling"),
            # up one folder
            pytest.param("EPUB/text/", "../img/a.png", "EPUB/img/a.png", id="parent"),
            # above the package root: nothing
            pytest.param("EPUB/", "../../etc/passwd", None, id="escape"),
            # a URL with a scheme is not an entry
            pytest.param("EPUB/", "https://example.org/a.png", None, id="url"),
            # a protocol-relative URL neither
            pytest.param("EPUB/", "//example.org/a.png", None, id="host"),
            # an absolute path neither
            pytest.param("EPUB/", "/a.png", None, id="absolute"),
            # a query is dropped (Canvas adds ?canvas_download=1)
            pytest.param(
                "", "web_resources/a.jpg?canvas_download=1", "web_resources/a.jpg", id="q"
            ),
            # a fragment alone points at no file
            pytest.param("EPUB/", "#note", None, id="fragment"),
        ],
    )
    def test_resolve(self, base: str, href: str, expected: str | None) -> None:
        assert resolve(base, href) == expected
