"""XML attacks through every XML reader's public entry point: ``oerremix.read`` on crafted files.

Each case takes a real file of the corpus (an EPUB's container, package document, navigation
and chapter; an IMS cartridge's manifest and its Canvas settings and web-link files; an OpenStax
book's collection, book list and module; a Pressbooks WXR export), puts a hostile document type
declaration in it, and reads the whole work, content included (sections are parsed lazily).

Every entity declaration is refused with :class:`~oerremix.errors.UnsafeContentError`: billion
laughs, external entities (XXE) to a local file and to a loopback server, parameter entities,
and the same hidden from a byte-level check (UTF-16, a ``]`` inside a comment). Nothing is ever
fetched: the loopback server that the payloads name must see no request, and a document type
declaration naming an external DTD on that server is read without loading it.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from oerremix import ReadError, UnsafeContentError, read
from oerremix.model import Work
from tests.httpserver import Routes

DATA = Path(__file__).resolve().parent.parent / "data"
EPUB = DATA / "ebooklib-test-epub3" / "test01.epub"
CARTRIDGE = DATA / "cc2olx-imscc-fixtures" / "imscc_files" / "main"
OPENSTAX = DATA / "openstax-university-physics-vol2"
WXR = DATA / "pressbooks-wxr-integration-test" / "Pressbooks-Integration-Testing-1537214020.xml"

_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)

PAYLOADS: dict[str, Callable[[str], str]] = {
    # billion laughs: nine levels of ten references, a gigabyte once expanded
    "billion-laughs": lambda url: _LAUGHS,
    # XXE: the content of a local file in place of an entity
    "xxe-file": lambda url: '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    # XXE over the network: the server would see the request
    "xxe-http": lambda url: f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{url}/xxe">]>',
    # a parameter entity loading an external DTD fragment (out-of-band exfiltration)
    "parameter-entity": lambda url: f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/param">%p;]>',
    # a "]" in a comment ends a naive pattern before the declaration
    "hidden-behind-comment": lambda url: '<!DOCTYPE r [<!-- ] --><!ENTITY x "y">]>',
    # a "]" in an attribute default does the same
    "hidden-behind-attlist": lambda url: '<!DOCTYPE r [<!ATTLIST r a CDATA "]"><!ENTITY x "y">]>',
}


def inject(data: bytes, declaration: str, *, utf16: bool = False) -> bytes:
    """``data`` with ``declaration`` after its XML declaration, optionally re-encoded as UTF-16."""
    text = data.decode("utf-8")
    doctype = re.search(r"<!DOCTYPE[^>\[]*>", text)
    if doctype:  # a second one would make the file malformed, and read leniently as HTML
        text = text[: doctype.start()] + declaration + text[doctype.end() :]
    else:
        match = re.match(r"\s*<\?xml[^>]*\?>", text)
        at = match.end() if match else 0
        text = text[:at] + declaration + text[at:]
    if not utf16:
        return text.encode("utf-8")
    text = re.sub(r'encoding=["\'][^"\']*["\']', 'encoding="UTF-16"', text, count=1)
    return text.encode("utf-16")


def read_everything(path: Path, format: str | None = None) -> Work:
    """Read a work and load every section (content is parsed lazily). A section that cannot
    be read for another reason (the cartridge fixture has a dangling item) is passed over."""
    work = read(path, format=format)
    for section in work.content.sections if work.content is not None else ():
        try:
            work.content.get(section.id)
        except UnsafeContentError:
            raise
        except ReadError:
            continue
    return work


def zip_folder(folder: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            archive.writestr(name, replace.get(name, path.read_bytes()))
    return target


def rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = replace.get(info.filename, old.read(info))
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            new.writestr(info.filename, data, compress_type=method)
    return target


def crafted(kind: str, member: str, payload: bytes | Callable[[bytes], bytes], tmp: Path) -> Path:
    """A file of ``kind`` whose ``member`` is replaced by ``payload(original bytes)``."""

    def apply(original: bytes) -> bytes:
        return payload(original) if callable(payload) else payload

    if kind in ("epub", "epub-ncx"):
        with zipfile.ZipFile(EPUB) as archive:
            original = archive.read(member)
            replace = {member: apply(original)}
            if kind == "epub-ncx":  # a navigation document without links: the NCX is read
                nav = archive.read("EPUB/nav.xhtml")
                replace["EPUB/nav.xhtml"] = re.sub(rb"<ol>.*</ol>", b"", nav, flags=re.DOTALL)
        return rezip(EPUB, tmp / "book.epub", replace)
    if kind == "imscc":
        original = (CARTRIDGE / member).read_bytes()
        return zip_folder(CARTRIDGE, tmp / "course.imscc", {member: apply(original)})
    if kind == "openstax":
        book = tmp / "book"
        shutil.copytree(OPENSTAX, book)
        (book / member).write_bytes(apply((book / member).read_bytes()))
        return book
    if kind == "openstax-module":
        module = tmp / "index.cnxml"
        module.write_bytes(apply((OPENSTAX / member).read_bytes()))
        return module
    assert kind == "wxr"
    target = tmp / "export.xml"
    target.write_bytes(apply(WXR.read_bytes()))
    return target


# Every XML file each reader parses, as (kind, member): the package documents first.
TARGETS = [
    ("epub", "META-INF/container.xml"),
    ("epub", "EPUB/content.opf"),
    ("epub-ncx", "EPUB/toc.ncx"),
    ("epub", "EPUB/nav.xhtml"),
    ("epub", "EPUB/intro.xhtml"),
    ("imscc", "imsmanifest.xml"),
    ("imscc", "course_settings/course_settings.xml"),
    ("imscc", "weblinks/web_link_content.xml"),
    ("imscc", "discussion_topic.xml"),
    ("openstax", "collections/university-physics-volume-2.collection.xml"),
    ("openstax", "META-INF/books.xml"),
    ("openstax", "modules/m58453/index.cnxml"),
    ("openstax-module", "modules/m58453/index.cnxml"),
    ("wxr", "export.xml"),
]
FORMATS = {"openstax-module": "openstax", "wxr": "pressbooks"}


def test_the_untouched_files_are_read(tmp_path: Path) -> None:
    """The crafted files differ from readable ones only by the payload."""
    for kind, member in TARGETS:
        folder = tmp_path / kind / member.replace("/", "_")
        folder.mkdir(parents=True)
        read_everything(crafted(kind, member, lambda data: data, folder), FORMATS.get(kind))


@pytest.mark.parametrize("payload", list(PAYLOADS))
@pytest.mark.parametrize(("kind", "member"), TARGETS)
def test_entity_declarations_refused(
    kind: str, member: str, payload: str, routes: Routes, tmp_path: Path
) -> None:
    declaration = PAYLOADS[payload](routes.url(""))
    path = crafted(kind, member, lambda data: inject(data, declaration), tmp_path)
    with pytest.raises(UnsafeContentError, match="entity declarations are not allowed"):
        read_everything(path, FORMATS.get(kind))
    assert routes.log() == []


@pytest.mark.parametrize(("kind", "member"), TARGETS)
def test_utf16_billion_laughs_refused(kind: str, member: str, tmp_path: Path) -> None:
    # A pattern over the raw bytes cannot see a declaration written in UTF-16.
    path = crafted(kind, member, lambda data: inject(data, _LAUGHS, utf16=True), tmp_path)
    with pytest.raises(UnsafeContentError, match="entity declarations are not allowed"):
        read_everything(path, FORMATS.get(kind))


@pytest.mark.parametrize(("kind", "member"), TARGETS)
def test_external_dtd_is_never_loaded(
    kind: str, member: str, routes: Routes, tmp_path: Path
) -> None:
    # An XHTML 1.1-style declaration naming a DTD on a server: read (or refused), never fetched.
    declaration = f'<!DOCTYPE r PUBLIC "-//W3C//DTD XHTML 1.1//EN" "{routes.url("/x.dtd")}">'
    path = crafted(kind, member, lambda data: inject(data, declaration), tmp_path)
    with contextlib.suppress(ReadError):
        read_everything(path, FORMATS.get(kind))
    assert routes.log() == []


def test_malformed_chapter_with_entities_is_not_expanded(tmp_path: Path) -> None:
    """A chapter that is not well-formed XML is read leniently as HTML; an entity declaration
    hidden from the byte check must still not expand there (the HTML parser ignores DTDs)."""

    def hostile(data: bytes) -> bytes:
        return inject(data.replace(b"</body>", b"<p>&lol9;<br></body>"), _LAUGHS, utf16=True)

    path = crafted("epub", "EPUB/intro.xhtml", hostile, tmp_path)
    try:
        work = read(path)
        texts = [section.html for section in work.content or ()]
    except UnsafeContentError:
        return
    assert all("lollollol" not in text for text in texts)
