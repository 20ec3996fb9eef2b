"""Read Markdown: one file, or a folder of chapters (a book, a course repository).

A file may start with YAML front matter (``---`` … ``---``: ``title``, ``author``/``authors``,
``license``, ``lang``, ``date``, ``description``, ``isBasedOn`` …) or a LiaScript header (an HTML
comment of ``key: value`` lines: ``author``, ``email``, ``version``, ``language``, ``logo``,
``attribute`` …). Its text is rendered as CommonMark (tables, raw HTML; see
:mod:`oerremix._markdown`), then read as a page: headings become sections, images become assets
with the credit in their title or in the caption line that follows them, "adapted from …"
sentences with a link become lineage.

A folder is a book: its chapters are the files a ``SUMMARY.md`` (mdBook, GitBook), a
``_toc.yml`` (Jupyter Book) or an ``index.md`` (itself first) lists, else every Markdown file in
natural order (``REF_2`` before ``REF_10``), leaving out READMEs, LICENSE files and the like.
Each chapter is a section; headings inside it are sub-sections; chapters are read again only
when their content is asked for. The book's
licence comes from what speaks for the whole book: LICENSE/COPYING files, READMEs (at the top
and on the way to the chapters), a ``metadata.yml``/``metadata.yaml`` (pandoc metadata or the AMB
schema.org profile used in git-based OER) or a ``metadata.jsonld`` (schema.org, as oerremix's
own packages carry), a chapter about the licence ("Appendix 3: CC BY
License"), and the only chapter when there is one. Statements that disagree give
``license_status="conflict"`` with every statement kept as evidence. A chapter's own
machine-readable licence (front matter ``license``) is its section's licence.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oerremix._json_input import load_json
from oerremix._parallel import ambient_jobs, ordered_map
from oerremix.document import Document, SectionContent
from oerremix.errors import ReadError, UnsafeContentError
from oerremix.model import Asset, Provenance, Section, Work
from oerremix.readers import Input, file_bytes
from oerremix.readers._copyright import find_copyright
from oerremix.readers._licensing import (
    Claim,
    decide,
    except_where_noted,
)
from oerremix.readers._lineage import find_lineage
from oerremix.readers._md_file import (
    MAX_FRONT_MATTER_BYTES,
    File,
    Meta,
    decode,
    inherit,
    liascript,
    load_yaml,
    meta_from_mapping,
    read_chapter,
    read_file,
)
from oerremix.readers._md_render import parsed, rendered
from oerremix.readers._recorded import recorded_media, with_recorded
from oerremix.readers._schema_values import year_value
from oerremix.readers._sections import (
    PageSections,
    natural_order,
    plan_sections,
)
from oerremix.readers._urls import urlsplit
from oerremix.readers.html import statement_claim

__all__ = ["MAX_FRONT_MATTER_BYTES", "READER", "MarkdownReader"]


_MAX_FILES = 5000
_SUFFIXES = (".md", ".markdown")
_NOT_CHAPTERS = frozenset(
    {
        *("readme", "license", "licence", "copying", "contributing", "code_of_conduct"),
        *("changelog", "changes", "history", "summary", "security", "authors", "notice"),
        *("credits", "citation", "support", "governance", "maintainers"),
    }
)
_SKIPPED_DIRS = frozenset({"node_modules", "_build", "site", "vendor", "venv", ".venv", "build"})
_LICENSE_FILE = re.compile(r"^(?:licen[cs]e|copying)(?:[-._].*)?$", re.IGNORECASE)
_README = re.compile(r"^readme(?:\.(?:md|markdown|txt|rst))?$", re.IGNORECASE)
_NOTICE_CHAPTER = re.compile(r"licen[cs]|lizenz|licencia|copyright|nutzungsrecht", re.IGNORECASE)


# --- the reader ----------------------------------------------------------------------------------


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _walk(root: Path) -> Iterator[Path]:
    """Every file under ``root`` (hidden and build folders left out), at most a few thousand."""
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(files):
            count += 1
            if count > _MAX_FILES * 4:
                raise UnsafeContentError(
                    f"more than {_MAX_FILES * 4} files in the folder", source=str(root)
                )
            yield Path(folder) / name


@dataclass(frozen=True, slots=True)
class _Toc:
    """Chapters in order and where the order came from."""

    chapters: tuple[Path, ...]
    file: Path | None
    title: str | None


def _summary(root: Path, summary: Path, display: str, *, index: bool = False) -> _Toc:
    """The chapters a ``SUMMARY.md`` links to, in order (an ``index.md`` is itself the first).

    A ``SUMMARY.md`` entry whose file is missing is an error; a broken link in an index is not.
    """
    text = decode(file_bytes(summary, display), display)
    chapters: list[Path] = [summary] if index else []
    title = None
    for number, line in enumerate(text.splitlines(), start=1):
        heading = re.match(r"#\s+(.+?)\s*#*$", line)
        if heading and title is None:
            title = heading.group(1).strip()
        for target in re.findall(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", line):
            if urlsplit(target).scheme or not target.split("#")[0].lower().endswith(_SUFFIXES):
                continue
            path = summary.parent / target.split("#")[0]
            if not _inside(root, path):
                raise UnsafeContentError(
                    f"{target!r} is outside the folder", source=display, line=number
                )
            if not path.is_file() and index:
                continue
            if not path.is_file():
                raise ReadError(
                    f"lists {target!r}, which does not exist", source=display, line=number
                )
            if path not in chapters:
                chapters.append(path)
    generic = title is None or title.casefold() in {"summary", "table of contents", "contents"}
    return _Toc(tuple(chapters), summary, None if generic else title)


def _jupyter_toc(root: Path, toc: Path, display: str) -> _Toc:
    data = load_yaml(decode(file_bytes(toc, display), display), source=display, first_line=1)
    names: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            for key in ("root", "file"):
                if isinstance(value.get(key), str):
                    names.append(value[key])
            for key in ("parts", "chapters", "sections", "entries"):
                walk(value.get(key))
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    chapters: list[Path] = []
    for name in names:
        candidates = [toc.parent / name] + [toc.parent / f"{name}{s}" for s in _SUFFIXES]
        path = next((c for c in candidates if c.is_file() and c.suffix.lower() in _SUFFIXES), None)
        if path is None:
            if not any(c.exists() for c in [toc.parent / f"{name}.ipynb", toc.parent / name]):
                raise ReadError(f"lists {name!r}, which does not exist", source=display)
            continue  # a notebook or another format this reader does not read
        if not _inside(root, path):
            raise UnsafeContentError(f"{name!r} is outside the folder", source=display)
        if path not in chapters:
            chapters.append(path)
    return _Toc(tuple(chapters), toc, None)


def _chapters(root: Path, location: str, files: Sequence[Path]) -> _Toc:
    for name in ("SUMMARY.md", "src/SUMMARY.md", "docs/SUMMARY.md"):
        if (root / name).is_file():
            return _summary(root, root / name, os.path.join(location, name))
    for name in ("_toc.yml", "_toc.yaml"):
        if (root / name).is_file():
            return _jupyter_toc(root, root / name, os.path.join(location, name))
    for name in ("index.md", "index.markdown"):
        if (root / name).is_file():
            listed = _summary(root, root / name, os.path.join(location, name), index=True)
            if len(listed.chapters) > 2:  # the index and at least two chapters it lists
                return _Toc(listed.chapters, listed.file, None)
    chapters = [
        f
        for f in files
        if f.suffix.lower() in _SUFFIXES
        and f.stem.casefold() not in _NOT_CHAPTERS
        and _inside(root, f)
    ]
    if len(chapters) > _MAX_FILES:
        raise UnsafeContentError(f"more than {_MAX_FILES} Markdown files", source=location)
    chapters.sort(key=lambda f: natural_order(f.relative_to(root).as_posix()))
    return _Toc(tuple(chapters), None, None)


class MarkdownReader:
    """Reads a Markdown file or a folder of Markdown chapters (see the module documentation)."""

    name = "markdown"

    def sniff(self, source: Input) -> int:
        """Content decides: front matter or a LiaScript header 70–80, headings 40; ``.md`` helps."""
        if source.data is None:
            return self._sniff_folder(source.path)
        head = source.data[:16384]
        if b"\x00" in head[:4096]:
            return 0
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
        lower = text.lstrip().lower()
        if lower.startswith(("<!doctype", "<html", "<?xml", "{", "[{")):
            return 0
        named = source.name.lower().endswith(_SUFFIXES) or source.media_type in (
            "text/markdown",
            "text/x-markdown",
        )
        if re.match(r"---[ \t]*\r?\n", text) and re.search(r"\n(?:---|\.\.\.)[ \t]*\r?\n", text):
            score = 70
        elif liascript(text, 0) is not None:
            score = 75
        elif re.search(r"^#{1,6}[ \t]+\S|^\S.*\r?\n(?:=+|-+)[ \t]*$", text, re.MULTILINE):
            score = 40
        elif re.search(r"!\[[^\]]*\]\([^)]+\)|\[[^\]]+\]\([^)]+\)|^```", text, re.MULTILINE):
            score = 20
        else:
            score = 0
        return min(95, score + 20) if named else score

    @staticmethod
    def _sniff_folder(path: Path | None) -> int:
        if path is None or not path.is_dir():
            return 0
        if any((path / name).exists() for name in ("imsmanifest.xml", "mimetype", "META-INF")):
            return 0
        if any((path / name).is_file() for name in ("SUMMARY.md", "_toc.yml", "_toc.yaml")):
            return 70
        try:
            for n, file in enumerate(_walk(path)):
                if file.suffix.lower() in _SUFFIXES:
                    return 50
                if n > 2000:
                    break
        except ReadError:
            return 0
        return 0

    def read(self, source: Input) -> Work:
        """Read a file or a folder; errors name the file (and line) at fault."""
        if source.data is not None:
            return self._read_one(source)
        if source.path is None or not source.path.is_dir():
            raise ReadError("nothing to read", source=source.location)
        return self._read_book(source.path, source.location, source.jobs)

    # --- one file ---

    @staticmethod
    def _read_one(source: Input) -> Work:
        assert source.data is not None
        file = read_file(source.data, source=source.location, rel=source.name, base=None)
        meta = file.meta
        claims = [c for c in (meta.claim or file.text_claim,) if c is not None]
        license_id, status, evidence = decide(claims)
        noted = file.noted
        title = meta.title or file.first_title
        plan = plan_sections(file.outline, lead_title=title, used=set())
        sections = [section for section, _start, _end in plan]
        sources = _merge(meta.based_on + list(file.lineage))
        loader = _FileLoader(file.html, source.location, plan)
        return Work(
            title=title,
            url=meta.url or (source.location if re.match(r"https?://", source.location) else None),
            authors=tuple(meta.authors),
            license=license_id,
            year=meta.year or year_value(meta.copyright or file.copyright),
            copyright=meta.copyright or file.copyright,
            language=meta.language,
            based_on=sources,
            changes=meta.changes,
            assets=inherit(file.assets, license_id, noted),
            sections=tuple(sections),
            provenance=source.provenance(evidence, status),
            kind="adaptation" if sources else "work",
            content=Document(sections, loader),
        )

    # --- a folder ---

    @staticmethod
    def _read_book(root: Path, location: str, jobs: int | None = 1) -> Work:
        folder = _Folder(root, location)
        toc = _chapters(root, location, folder.files)
        if not toc.chapters:
            raise ReadError("no Markdown files in the folder", source=location)
        if toc.file is not None:
            folder.bytes_of(toc.file)
        given = [
            (path, folder.display(path), path.relative_to(root).as_posix()) for path in toc.chapters
        ]
        chapters: list[tuple[Path, File]] = []
        for (path, _display, rel), (file, digest) in zip(
            given, ordered_map(read_chapter, given, jobs, where=location), strict=True
        ):
            folder.hashes[rel] = digest
            chapters.append((path, file))
        dirs = {path.parent for path, _file in chapters}
        folders = {root} | {d for c in dirs for d in (c, *c.parents) if _inside(root, d)}
        book = _book_metadata(folder, folders)
        repo = _repository(folder, folders)
        claims = ([book.claim] if book.claim else []) + repo.claims
        noted = book.noted or repo.noted
        single = len(chapters) == 1
        for _path, file in chapters:
            # a chapter about the licence speaks for the book, and so does an only chapter
            named = file.meta.title or file.first_title or ""
            if file.text_claim is not None and (single or _NOTICE_CHAPTER.search(named)):
                claims.append(file.text_claim)
                noted = noted or file.noted
            if single and file.meta.claim is not None:
                claims.append(file.meta.claim)
                noted = noted or file.noted
        license_id, status, evidence = decide(claims)

        first = chapters[0][1]
        title = book.title or ((first.meta.title or first.first_title) if single else None)
        title = title or toc.title or repo.title
        authors = book.authors or list(
            dict.fromkeys(a for _p, f in chapters for a in f.meta.authors)
        )
        languages = {f.meta.language for _p, f in chapters if f.meta.language}
        language = book.language or (languages.pop() if len(languages) == 1 else None)
        notice = book.copyright or repo.copyright
        if notice is None and single:
            notice = first.meta.copyright or first.copyright
        plan = _book_sections(folder, chapters, license_id)
        unique: dict[str, Asset] = {}
        for asset in (a for _p, f in chapters for a in f.assets):
            unique.setdefault(asset.source, asset)
        sources = _merge(
            book.based_on
            + repo.lineage
            + [w for _p, f in chapters for w in (*f.meta.based_on, *f.lineage)]
        )
        sections = [section for section, _rel, _s, _e in plan]
        loader = _BookLoader(location, plan, {f.rel: f.html for _p, f in chapters})
        return Work(
            title=title,
            url=book.url,
            authors=tuple(authors),
            license=license_id,
            year=book.year or year_value(notice),
            copyright=notice,
            language=language,
            based_on=sources,
            changes=book.changes,
            assets=tuple(
                with_recorded(a, book.media)
                for a in inherit(list(unique.values()), license_id, noted)
            ),
            sections=tuple(sections),
            provenance=Provenance(
                source=location,
                retrieved=Input.now(),
                sha256=folder.manifest_sha256(),
                license_evidence=evidence,
                license_status=status,
            ),
            kind="adaptation" if sources else "work",
            content=Document(sections, loader, loader.many),
        )


class _Folder:
    """The folder being read: its files, and the SHA-256 of each file read (for provenance)."""

    def __init__(self, root: Path, location: str) -> None:
        self.root = root
        self.location = location
        self.files = list(_walk(root))
        self.hashes: dict[str, str] = {}

    def display(self, path: Path) -> str:
        """The path as errors name it: the location given, then the path inside the folder."""
        return os.path.join(self.location, path.relative_to(self.root).as_posix())

    def bytes_of(self, path: Path) -> bytes:
        data = file_bytes(path, self.display(path))
        self.hashes[path.relative_to(self.root).as_posix()] = hashlib.sha256(data).hexdigest()
        return data

    def manifest_sha256(self) -> str:
        """SHA-256 of the list of files read, each with its own SHA-256, sorted by path."""
        manifest = "".join(f"{rel}\0{digest}\n" for rel, digest in sorted(self.hashes.items()))
        return hashlib.sha256(manifest.encode("utf-8")).hexdigest()


def _book_metadata(folder: _Folder, folders: set[Path]) -> Meta:
    """The first non-empty ``metadata.yml``/``metadata.yaml``, or schema.org JSON-LD in
    ``metadata.jsonld`` (what oerremix's own Markdown and HTML packages carry, with the items
    it credits on their own), from the top folder down."""
    for directory in sorted(folders, key=lambda d: (len(d.parts), d.as_posix())):
        for name in ("metadata.yml", "metadata.yaml", "metadata.jsonld"):
            path = directory / name
            if not path.is_file():
                continue
            display = folder.display(path)
            text = decode(folder.bytes_of(path), display)
            if name.endswith(".jsonld"):
                loaded = _load_json(text, source=display)
            else:
                loaded = load_yaml(text, source=display, first_line=1)
            if isinstance(loaded, Mapping) and loaded:
                rel = path.relative_to(folder.root).as_posix()
                meta = meta_from_mapping(loaded, rel)
                if name.endswith(".jsonld"):  # oerremix's own: each item credited on its own
                    meta.media = recorded_media(loaded, rel)
                return meta
    return Meta()


def _load_json(text: str, *, source: str) -> Any:
    try:
        return load_json(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno) from None
    except RecursionError:
        raise UnsafeContentError("JSON nested too deeply", source=source) from None


@dataclass(slots=True)
class _Repository:
    """What the LICENSE files and READMEs of a folder say about the whole of it."""

    claims: list[Claim] = field(default_factory=list)
    noted: bool = False
    title: str | None = None
    copyright: str | None = None
    lineage: list[Work] = field(default_factory=list)


def _repository(folder: _Folder, folders: set[Path]) -> _Repository:
    """LICENSE/COPYING files at the top, READMEs at the top and on the way to the chapters."""
    repo = _Repository()
    for path in folder.files:
        if not _inside(folder.root, path):
            continue
        top = path.parent == folder.root
        readme = bool(_README.match(path.name)) and path.parent in folders
        if not readme and not (top and _LICENSE_FILE.match(path.name)):
            continue
        text = decode(folder.bytes_of(path), folder.display(path))
        claim = statement_claim(path.relative_to(folder.root).as_posix(), text)
        if claim is not None:
            repo.claims.append(claim)
        repo.noted = repo.noted or except_where_noted(text)
        if readme and top:
            heading = re.search(r"^#\s+(.+?)\s*#*$", text, re.MULTILINE)
            repo.title = repo.title or (heading.group(1).strip() if heading else None)
            repo.copyright = repo.copyright or find_copyright(text)
            repo.lineage += find_lineage(rendered(text, source=folder.display(path)))
    return repo


def _book_sections(
    folder: _Folder, chapters: Sequence[tuple[Path, File]], license_id: str | None
) -> list[tuple[Section, str, int | None, int | None]]:
    """Each chapter as a section (id: its file name) and its headings as sub-sections."""
    used: set[str] = set()
    stems = [path.stem for path, _file in chapters]
    plan: list[tuple[Section, str, int | None, int | None]] = []
    for path, file in chapters:
        rel = path.relative_to(folder.root).as_posix()
        ident = path.stem if stems.count(path.stem) == 1 else rel.rsplit(".", 1)[0]
        own = file.meta.claim
        section_license = None
        if own is not None and own.status == "found" and len(own.candidates) == 1:
            (section_license,) = own.candidates
            section_license = None if section_license == license_id else section_license
        chapter_plan = plan_sections(
            file.outline,
            lead_title=file.meta.title or file.first_title or path.stem,
            used=used,
            prefix=f"{ident}/",
            lead_id=ident,
            chapter=True,
        )
        for n, (section, start, end) in enumerate(chapter_plan):
            # the first section is the chapter itself: it carries the chapter's own licence
            chapter = section.replace(license=section_license) if n == 0 else section
            plan.append((chapter, rel, start, end))
    return plan


def _merge(works: Sequence[Work]) -> tuple[Work, ...]:
    merged: dict[str, Work] = {}
    for work in works:
        key = (work.url or work.title or "").rstrip("/")
        old = merged.get(key)
        merged[key] = (
            work
            if old is None
            else old.replace(
                title=old.title or work.title,
                license=old.license or work.license,
                authors=old.authors or work.authors,
            )
        )
    return tuple(merged.values())


class _FileLoader:
    """Parses the file's HTML once, when a section is first asked for, and cuts it at its
    headings."""

    def __init__(
        self, html: str, location: str, plan: Sequence[tuple[Section, int | None, int | None]]
    ) -> None:
        self._html = html
        self._location = location
        self._plan = {section.id: (start, end) for section, start, end in plan}
        self._page: PageSections | None = None

    def __call__(self, section: Section) -> SectionContent:
        if self._page is None:
            self._page = PageSections(parsed(self._html, source=self._location))
        start, end = self._plan[section.id]
        return SectionContent(section, self._page.fragment(start, end, section.id), self._location)


class _BookLoader:
    """Parses one chapter's HTML at a time, keeping the last while its sections are read.

    The chapters' HTML, rendered when the book was read, is kept (rendering Markdown again
    would cost as much as the whole read): as it is up to ``KEEP`` characters, compressed past
    them (a sixth of its size).
    """

    KEEP = 16 * 2**20
    """Characters of HTML kept as they are (compressing and decompressing the 8 MiB of a
    500-chapter book took 0.1 s)."""

    def __init__(
        self,
        location: str,
        plan: Sequence[tuple[Section, str, int | None, int | None]],
        pages: Mapping[str, str],
    ) -> None:
        self._location = location
        self._plan = {section.id: (rel, start, end) for section, rel, start, end in plan}
        self._pages: dict[str, str | bytes] = {}
        kept = 0
        for rel, html in pages.items():
            kept += len(html)
            self._pages[rel] = html if kept <= self.KEEP else zlib.compress(html.encode(), 1)
        self._current: tuple[str, PageSections] | None = None

    def _html(self, rel: str) -> str:
        kept = self._pages[rel]
        return kept if isinstance(kept, str) else zlib.decompress(kept).decode()

    def __call__(self, section: Section) -> SectionContent:
        rel, start, end = self._plan[section.id]
        display = os.path.join(self._location, rel)
        if self._current is None or self._current[0] != rel:
            self._current = (rel, PageSections(parsed(self._html(rel), source=display)))
        return SectionContent(section, self._current[1].fragment(start, end, section.id), display)

    def many(self, sections: Sequence[Section]) -> list[SectionContent]:
        """Several sections, each chapter parsed once for all of its sections asked for; the
        chapters are cut in the build's worker processes, if it has some."""
        wanted: dict[str, list[Section]] = {}
        for section in sections:
            wanted.setdefault(self._plan[section.id][0], []).append(section)
        given = [
            (
                self._html(rel),
                [(s.id, *self._plan[s.id][1:]) for s in chapter],
                os.path.join(self._location, rel),
            )
            for rel, chapter in wanted.items()
        ]
        cut = ordered_map(_cut_sections, given, ambient_jobs(), where=self._location)
        found = {
            section.id: SectionContent(section, html, chapter[2])
            for chapter, asked, htmls in zip(given, wanted.values(), cut, strict=True)
            for section, html in zip(asked, htmls, strict=True)
        }
        return [found[section.id] for section in sections]


def _cut_sections(
    given: tuple[str, list[tuple[str, int | None, int | None]], str],
) -> list[str]:
    """The sanitised HTML of some sections of a chapter (a worker process may cut them):
    ``(its HTML, [(section id, start heading, end heading)], where it was read)``."""
    html, cuts, where = given
    page = PageSections(parsed(html, source=where))
    return [page.fragment(start, end, section_id) for section_id, start, end in cuts]


READER = MarkdownReader()
"""The Markdown reader, as :func:`oerremix.readers.read` uses it."""
