"""The benchmarks' inputs, built from real open textbooks and replicated to size.

Every input is made from real material: the OpenStax *University Physics Volume 2* CNXML, the
*Lessons In Electric Circuits* Markdown and the Pressbooks WXR export (``../shared/corpus`` in a
full run; their small copies in ``tests/data`` and ``examples/`` in a ``--quick`` run). Nothing is
invented except file names and "copy N" in titles. Inputs are built once per run into a scratch
folder and reused by every measured run.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = Path(os.environ.get("OERREMIX_CORPUS", ROOT.parent / "shared" / "corpus"))

__all__ = [
    "SHARED_CORPUS",
    "Corpus",
    "Page",
    "chapter_pages",
    "cnxml_book",
    "corpus",
    "epub_book",
    "fetch_bodies",
    "markdown_book",
    "scaled_recipe",
]


@dataclass(frozen=True)
class Corpus:
    """Where the real material is."""

    openstax: Path
    """An OpenStax book repository (collection, modules, media, LICENSE, README)."""
    lessons: Path
    """The *Lessons In Electric Circuits* repository (LICENSE.md, README.md, src_pandoc/Ref)."""
    wxr: Path | None
    """A Pressbooks WXR export, or None."""

    @property
    def ref(self) -> Path:
        return self.lessons / "src_pandoc" / "Ref"


def corpus(quick: bool) -> Corpus:
    """The real material: ``../shared/corpus`` for a full run, files inside the repo for --quick."""
    if quick:
        data = ROOT / "tests" / "data"
        example = ROOT / "examples" / "dc-circuits-ontario" / "sources"
        wxr = data / "pressbooks-wxr-integration-test"
        return Corpus(
            openstax=data / "openstax-university-physics-vol2",
            lessons=example / "lessons-in-electric-circuits",
            wxr=wxr / "Pressbooks-Integration-Testing-1537214020.xml",
        )
    if not SHARED_CORPUS.is_dir():
        raise SystemExit(
            f"benchmarks: the corpus is missing: {SHARED_CORPUS} (a full run reads the real books "
            "there; set OERREMIX_CORPUS to another copy, or run with --quick)"
        )
    return Corpus(
        openstax=SHARED_CORPUS / "openstax-university-physics-vol2",
        lessons=SHARED_CORPUS / "lessons-in-electric-circuits-ref-md",
        wxr=SHARED_CORPUS
        / "pressbooks-wxr-integration-test"
        / "Pressbooks-Integration-Testing-1537214020.xml",
    )


# --- the HTML book: real chapters converted by oerremix's readers, replicated ------------------


@dataclass(frozen=True)
class Page:
    """One chapter page: its title, its body as XHTML, and the licence its source states."""

    title: str
    body: str
    license_url: str | None
    license_name: str | None
    source: str


def _xhtml(fragment: str) -> str:
    """An HTML fragment as well-formed XHTML (element by element, through lxml)."""
    if not fragment.strip():
        return ""
    out = []
    for item in lxml_html.fragments_fromstring(fragment):
        if isinstance(item, str):
            out.append(escape(item))
        else:
            out.append(etree.tostring(item, method="xml", encoding="unicode"))
    return "".join(out)


def chapter_pages(material: Corpus) -> list[Page]:
    """Every chapter of the real books, as the readers convert them: OpenStax modules (CNXML ->
    HTML by the openstax reader), Lessons chapters (Markdown -> HTML by the markdown reader) and
    Pressbooks chapters (WXR, by the pressbooks reader). A chapter is a top-level section with
    the sections under it."""
    import oerremix
    from oerremix.catalog import load_catalog

    catalog = load_catalog()
    pages: list[Page] = []
    books: list[tuple[Path, str | None]] = [
        (material.openstax, None),
        (material.ref, "CC-BY-4.0"),  # the book's own appendix A3; see the example recipe
    ]
    if material.wxr is not None:
        books.append((material.wxr, None))
    for path, decided in books:
        work = oerremix.read(path)
        assert work.content is not None
        lic_id = work.license or decided
        lic = catalog.get(lic_id) if lic_id else None
        # a page: a section with content and the deeper sections after it (an OpenStax
        # module, a Markdown chapter); units and chapters that are only titles start none
        current: tuple[int, str, list[str]] | None = None
        chapters: list[tuple[int, str, list[str]]] = []
        for section in work.sections:
            try:
                html = work.content.get(section.id).html
            except oerremix.ReadError:  # a module listed in the collection but not copied
                continue
            if not html.strip():
                current = None
                continue
            if current is None or section.level <= current[0]:
                current = (section.level, section.title or section.id, [html])
                chapters.append(current)
            else:
                current[2].append(f"<h2>{escape(section.title or '')}</h2>{html}")
        for _level, title, parts in chapters:
            body = "".join(_xhtml(p) for p in parts)
            if len(body) < 200:  # a unit title page with nothing under it
                continue
            pages.append(
                Page(
                    title,
                    body,
                    lic.url if lic else None,
                    lic.short_name if lic else None,
                    work.title or path.name,
                )
            )
    return pages


_PAGE = """<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
lang="en" xml:lang="en">
<head>
<meta charset="utf-8"/>
<title>{title}</title>
</head>
<body>
<section epub:type="chapter">
<h1>{title}</h1>
{body}
</section>
<footer>
<p>{notice}</p>
</footer>
</body>
</html>
"""


def _page_xhtml(page: Page, copy: int) -> str:
    title = escape(page.title + (f" (copy {copy})" if copy else ""))
    if page.license_url:
        notice = (
            f"From <cite>{escape(page.source)}</cite>, licensed under "
            f'<a rel="license" href={quoteattr(page.license_url)}>'
            f"{escape(page.license_name or page.license_url)}</a>."
        )
    else:
        notice = f"From <cite>{escape(page.source)}</cite>."
    return _PAGE.format(title=title, body=page.body, notice=notice)


_CONTAINER = """<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>\
</rootfiles>
</container>
"""


def epub_book(material: Corpus, out: Path, min_bytes: int) -> tuple[Path, int, int]:
    """An unpacked EPUB 3 of the real chapter pages, replicated until its XHTML pages hold at
    least ``min_bytes``; returns (folder, number of pages, bytes of XHTML)."""
    marker = out / ".complete"
    if marker.is_file():
        pages, size = (int(x) for x in marker.read_text().split())
        return out, pages, size
    shutil.rmtree(out, ignore_errors=True)
    oebps = out / "OEBPS"
    oebps.mkdir(parents=True)
    (out / "mimetype").write_bytes(b"application/epub+zip")
    (out / "META-INF").mkdir()
    (out / "META-INF" / "container.xml").write_text(_CONTAINER, encoding="utf-8")
    source = chapter_pages(material)
    names: list[tuple[str, str]] = []
    total = 0
    n = 0
    while total < min_bytes:
        for page in source:
            name = f"p{n:05d}.xhtml"
            data = _page_xhtml(page, n // len(source)).encode("utf-8")
            if n < len(source):
                etree.fromstring(data)  # each distinct page is well-formed XML
            (oebps / name).write_bytes(data)
            names.append((name, page.title))
            total += len(data)
            n += 1
            if total >= min_bytes:
                break
    nav_items = "\n".join(f'<li><a href="{name}">{escape(title)}</a></li>' for name, title in names)
    (oebps / "nav.xhtml").write_text(
        '<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en">\n'
        "<head><title>Contents</title></head>\n<body>\n"
        f'<nav epub:type="toc" id="toc"><ol>\n{nav_items}\n</ol></nav>\n</body>\n</html>\n',
        encoding="utf-8",
    )
    manifest = "\n".join(
        f'<item id="i{name[1:6]}" href="{name}" media-type="application/xhtml+xml"/>'
        for name, _title in names
    )
    spine = "\n".join(f'<itemref idref="i{name[1:6]}"/>' for name, _title in names)
    (oebps / "package.opf").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        '<dc:identifier id="uid">urn:uuid:2f1c1d2e-0000-4000-8000-000000000050</dc:identifier>\n'
        "<dc:title>Physics and circuits: chapters from open textbooks (benchmark)</dc:title>\n"
        "<dc:language>en</dc:language>\n"
        "<dc:rights>Each chapter states the licence of the book it comes from.</dc:rights>\n"
        '<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>\n'
        "</metadata>\n<manifest>\n"
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>\n'
        f"{manifest}\n</manifest>\n<spine>\n{spine}\n</spine>\n</package>\n",
        encoding="utf-8",
    )
    marker.write_text(f"{n} {total}")
    return out, n, total


# --- the CNXML collection, replicated ------------------------------------------------------------

_COL = "http://cnx.rice.edu/collxml"
_MD = "http://cnx.rice.edu/mdml"


def _prune(content: etree._Element, present: set[str], suffix: str) -> None:
    """Drop the modules that were not copied (and subcollections left empty); rename the rest."""
    for module in list(content.iter(f"{{{_COL}}}module")):
        doc = module.get("document", "")
        parent = module.getparent()
        if doc not in present and parent is not None:
            parent.remove(module)
        else:
            module.set("document", doc + suffix)
    for sub in reversed(list(content.iter(f"{{{_COL}}}subcollection"))):
        parent = sub.getparent()
        if not list(sub.iter(f"{{{_COL}}}module")) and parent is not None:
            parent.remove(sub)


def cnxml_book(material: Corpus, out: Path, copies: int) -> tuple[Path, int, int]:
    """The OpenStax book repository with its collection holding ``copies`` copies of every
    module that is there (each copy a unit of its own, modules renamed ``<id>r<k>``); returns
    (folder, number of modules, bytes of the collection and modules)."""
    marker = out / ".complete"
    if marker.is_file():
        modules, size = (int(x) for x in marker.read_text().split())
        return out, modules, size
    shutil.rmtree(out, ignore_errors=True)
    src = material.openstax
    (out / "collections").mkdir(parents=True)
    (out / "modules").mkdir()
    for name in ("LICENSE", "README.md"):
        if (src / name).is_file():
            shutil.copy(src / name, out / name)
    shutil.copytree(src / "META-INF", out / "META-INF")
    if (src / "media").is_dir():
        shutil.copytree(src / "media", out / "media")
    present = {p.parent.name for p in (src / "modules").glob("*/index.cnxml")}
    collection_file = next((src / "collections").glob("*.collection.xml"))
    tree = etree.parse(str(collection_file))
    root = tree.getroot()
    content = root.find(f"{{{_COL}}}content")
    assert content is not None
    original = list(content)
    for child in original:
        content.remove(child)
    size = 0
    count = 0
    for k in range(copies):
        suffix = f"r{k}" if k else ""
        unit = etree.SubElement(content, f"{{{_COL}}}subcollection")
        etree.SubElement(unit, f"{{{_MD}}}title").text = f"Copy {k + 1}"
        inner = etree.SubElement(unit, f"{{{_COL}}}content")
        for child in original:
            inner.append(etree.fromstring(etree.tostring(child)))
        _prune(inner, present, suffix)
        for module in sorted(present):
            data = (src / "modules" / module / "index.cnxml").read_bytes()
            if suffix:
                data = re.sub(
                    rb"<md:content-id>[^<]*</md:content-id>",
                    b"<md:content-id>" + (module + suffix).encode() + b"</md:content-id>",
                    data,
                    count=1,
                )
            folder = out / "modules" / (module + suffix)
            folder.mkdir()
            (folder / "index.cnxml").write_bytes(data)
            size += len(data)
            count += 1
    target = out / "collections" / collection_file.name
    tree.write(str(target), xml_declaration=False, encoding="utf-8")
    size += target.stat().st_size
    marker.write_text(f"{count} {size}")
    return out, count, size


# --- the Markdown book -------------------------------------------------------------------------

_ID = re.compile(r"\{[^}\n]*?#([A-Za-z][\w:.-]*)")


def _unique_ids(text: str, suffix: str) -> str:
    """``text`` with every ``{#id}`` it defines, and every ``#id``/``@id`` reference to one,
    given ``suffix``: a copy of a chapter then repeats no identifier of the original."""
    ids = sorted(set(_ID.findall(text)), key=len, reverse=True)
    if not ids:
        return text
    refs = re.compile(r"(?<=[#@])(" + "|".join(map(re.escape, ids)) + r")(?![\w:.-])")
    return refs.sub(lambda m: m.group(1) + suffix, text)


def markdown_book(material: Corpus, out: Path, min_chapters: int) -> tuple[Path, int]:
    """The *Lessons* volume as a folder of Markdown chapters, replicated until it has at least
    ``min_chapters``: ``LICENSE.md``, ``README.md``, ``metadata.yaml``, ``media/`` and
    ``c<copy>-<chapter>.md`` (header and figure ids made unique per copy); returns (folder,
    chapters)."""
    marker = out / ".complete"
    if marker.is_file():
        return out, int(marker.read_text())
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in ("LICENSE.md", "README.md"):
        if (material.lessons / name).is_file():
            shutil.copy(material.lessons / name, out / name)
    ref = material.ref
    shutil.copy(ref / "metadata.yaml", out / "metadata.yaml")
    shutil.copytree(ref / "media", out / "media")
    chapters = sorted(ref.glob("REF_*.md"), key=lambda p: _natural(p.stem))
    written = 0
    copy = 0
    while written < min_chapters:
        for chapter in chapters:
            text = chapter.read_text(encoding="utf-8")
            if copy:
                text = _unique_ids(text, f"-c{copy}")
            (out / f"c{copy:03d}-{chapter.stem}.md").write_text(text, encoding="utf-8")
            written += 1
        copy += 1
    marker.write_text(str(written))
    return out, written


def _natural(name: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", name) if p)


# --- recipes over replicated sources --------------------------------------------------------------

_DECISION = """\
    permissions:
      - kind: decision
        license: CC-BY-4.0
        granted_by: The oerremix benchmarks
        scope: Lessons In Electric Circuits, Volume V "Reference", every chapter and figure
        date: 2026-01-01
        basis: >-
          The volume's own licence appendix (A3, "CC BY License") states Creative Commons
          Attribution 4.0 International (the decision the bundled example records).
        evidence_url: https://github.com/Leeds-Beckett-Engineering/lessons_elec/blob/e5147bc7c05d3f2b3f2add78ef0c084060466a20/src_pandoc/Ref/REF_A3.md
"""


def _module_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def markdown_recipe(book: Path, chapters: list[str], out: Path) -> Path:
    """A recipe that adapts the whole Markdown book, one module per chapter, as EPUB."""
    lines = [
        "recipe: 1",
        "work:",
        "  title: Lessons In Electric Circuits, Reference (benchmark)",
        "  authors: [{name: The oerremix benchmarks}]",
        "  language: en",
        "  license: CC-BY-4.0",
        "sources:",
        "  lessons:",
        f"    path: {book}",
        "    use: adapted",
        "    home: https://github.com/Leeds-Beckett-Engineering/lessons_elec",
        _DECISION.rstrip("\n"),
        "outline:",
    ]
    for chapter in chapters:
        lines += [f"  - title: {chapter}", f"    id: {_module_id(chapter)}", "    parts:"]
        lines += ["      - source: lessons", f"        section: {chapter}"]
    lines.append("outputs: [epub]")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def scaled_recipe(material: Corpus, out: Path, factor: int) -> tuple[Path, int]:
    """The corpus at ``factor``×: ``factor`` copies of the OpenStax book (the modules that are
    there) and of the *Lessons* volume, each copy a source of its own, one module per chapter;
    returns (recipe, chapters)."""
    marker = out / ".complete"
    recipe = out / "recipe.yaml"
    if marker.is_file():
        return recipe, int(marker.read_text())
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    openstax, _modules, _size = cnxml_book(material, out / "openstax", 1)
    book, _n = markdown_book(material, out / "lessons", 1)
    # the modules a remix can take whole: their images were copied (the corpus has the images
    # of one chapter) and each has a known licence (credit-only figures would need a decision)
    import oerremix

    unclear = {a.source for a in oerremix.read(openstax).assets if a.license is None}
    present = []
    for cnxml in sorted((openstax / "modules").glob("*/index.cnxml")):
        images = [
            (cnxml.parent / src.decode()).resolve()
            for src in re.findall(rb'<image[^>]*\bsrc="([^"]+)"', cnxml.read_bytes())
        ]
        if all(i.is_file() and i.relative_to(openstax).as_posix() not in unclear for i in images):
            present.append(cnxml.parent.name)
    lessons = sorted((p.stem for p in book.glob("c000-*.md")), key=_natural)
    lines = [
        "recipe: 1",
        "work:",
        f"  title: Circuits, {factor}x (benchmark)",
        "  authors: [{name: The oerremix benchmarks}]",
        "  language: en",
        "  license: CC-BY-NC-SA-4.0",
        "sources:",
    ]
    outline = ["outline:"]
    chapters = 0
    for k in range(factor):
        lines += [
            f"  openstax{k}:",
            f"    path: {openstax}",
            "    use: adapted",
            "    home: https://openstax.org/details/books/university-physics-volume-2",
            '    authors: [{name: "Samuel J. Ling, Jeff Sanny, William Moebs (OpenStax)"}]',
            f"  lessons{k}:",
            f"    path: {book}",
            "    use: adapted",
            "    home: https://github.com/Leeds-Beckett-Engineering/lessons_elec",
            _DECISION.rstrip("\n"),
        ]
        for name, ids in ((f"openstax{k}", present), (f"lessons{k}", lessons)):
            for section in ids:
                outline += [f"  - title: {section} ({k + 1})", f"    id: {_module_id(section)}-{k}"]
                outline += ["    parts:", f"      - source: {name}", f"        section: {section}"]
                chapters += 1
    lines += outline
    lines.append("outputs: [html, epub, imscc, markdown]")
    recipe.write_text("\n".join(lines) + "\n", encoding="utf-8")
    marker.write_text(str(chapters))
    return recipe, chapters


# --- bodies for the fetch benchmark --------------------------------------------------------------


def fetch_bodies(material: Corpus, count: int) -> list[tuple[str, bytes, str]]:
    """``count`` (name, bytes, media type) from the real books: CNXML modules, Markdown
    chapters and images, cycled."""
    files = sorted((material.openstax / "modules").glob("*/index.cnxml"))
    files += sorted(material.ref.glob("*.md"))
    files += sorted((material.ref / "media").glob("*.png"))[:40]
    types = {".cnxml": "application/xml", ".md": "text/markdown", ".png": "image/png"}
    bodies = []
    for i in range(count):
        path = files[i % len(files)]
        name = f"{path.parent.name}-{path.name}" if path.name == "index.cnxml" else path.name
        bodies.append((name, path.read_bytes(), types[path.suffix]))
    return bodies
