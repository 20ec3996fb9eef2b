"""Remix recipes: the YAML file an author writes, checked all at once and turned into a Recipe.

The format is described by ``recipe.schema.json`` in this package (editors can validate against
it) and in ``docs/recipes.md``. :func:`load_recipe` reports every problem it finds in one
:class:`~oerremix.errors.RecipeError`, each with its line and, for a misspelt key, a suggestion.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "recipe.yaml").write_text('''
... work: {title: DC Circuits, authors: [Ana Silva], language: en-CA, licence: CC-BY-4.0}
... sources: {physics: {path: physics/}}
... outline: [{title: Intro, parts: [{markdown: Hello, sorce: physics}]}]
... ''')
>>> load_recipe(folder / "recipe.yaml")
Traceback (most recent call last):
  ...
oerremix.errors.RecipeError: invalid recipe:
...recipe.yaml:2: work.licence: unknown key; did you mean 'license'?
...recipe.yaml:2: work: missing key 'license'
...recipe.yaml:4: outline[0].parts[0].sorce: unknown key; did you mean 'source'?
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
import stat
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml

from oerremix._credentials import hidden_credentials
from oerremix.catalog import load_catalog
from oerremix.errors import RecipeError
from oerremix.model import Author, Permission, Work

__all__ = [
    "GlossaryEntry",
    "Localise",
    "Module",
    "Part",
    "Recipe",
    "SourceSpec",
    "load_recipe",
    "recipe_schema",
]

MAX_RECIPE_BYTES = 1024 * 1024
"""A recipe larger than this is refused (a hand-written recipe is a few kilobytes)."""
MAX_PART_BYTES = 16 * 1024 * 1024
"""A ``file:`` part larger than this is refused (a chapter of Markdown is far smaller)."""
MAX_NODES = 20_000
MAX_DEPTH = 24

Problem = tuple[int | None, str]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One source of the recipe."""

    name: str
    """The short name the outline refers to."""
    location: str
    """A URL, or a path resolved against the recipe's folder."""
    format: str | None
    """A reader forced by the author, or None to detect it."""
    expect_license: str | None
    """The licence id the author expects; a different one stops the build."""
    use: Literal["adapted", "unchanged"]
    """Adapted (content changed or merged) or included unchanged as a separate item."""
    permissions: tuple[Permission, ...]
    """Recorded permissions, or decisions resolving an unclear licence."""
    line: int
    """Where it is declared in the recipe."""
    title: str | None = None
    """The title to credit, used only where the source states none."""
    home: str | None = None
    """The web page to credit, used only where the source states none."""
    authors: tuple[Author, ...] = ()
    """The authors to credit, used only where the source names none."""

    @property
    def is_url(self) -> bool:
        """Whether the source is fetched over HTTP."""
        return self.location.startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of a module: original Markdown, or a selection from a source."""

    markdown: str | None
    """Original content (inline, or read from ``file``)."""
    file: Path | None
    """The Markdown file the content came from, if any."""
    source: str | None
    """The source name, for a selection."""
    section: str | None
    """A section id."""
    heading: str | None
    """A section by its heading."""
    range: tuple[str, str] | None
    """Sections from the first id to the second, inclusive."""
    select: str | None
    """``css:…`` or ``xpath:…`` inside the chosen sections."""
    line: int
    """Where it is declared."""


@dataclass(frozen=True, slots=True)
class Module:
    """One module (chapter) of the new work."""

    id: str
    """Stable id (used for file names and links)."""
    title: str
    """Its title."""
    parts: tuple[Part, ...]
    """Its content, in order."""


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A term replaced everywhere in adapted text (never inside code, URLs or attributes)."""

    term: str
    """The word or phrase to replace (whole words, case preserved)."""
    replacement: str
    """What replaces it."""
    kind: Literal["term", "jurisdiction"]
    """A terminology change, or a jurisdiction reference (e.g. NEC → Canadian Electrical Code)."""


@dataclass(frozen=True, slots=True)
class Localise:
    """Localisation rules; each rule applied is recorded as a Change."""

    glossary: tuple[GlossaryEntry, ...] = ()
    """Terms to replace."""
    spelling: str | None = None
    """Target spelling variant (``en-CA`` or ``en-GB``)."""
    units: str | None = None
    """A note about units added to each adapted module."""


@dataclass(frozen=True, slots=True)
class Recipe:
    """A checked recipe."""

    path: Path
    """The recipe file."""
    work: Work
    """The new work's metadata (title, authors, language, intended licence)."""
    description: str | None
    """A description of the new work."""
    subject: tuple[str, ...]
    """Subjects (keywords)."""
    audience: str | None
    """Who it is for."""
    learning_outcomes: tuple[str, ...]
    """What learners will be able to do."""
    sources: tuple[SourceSpec, ...]
    """The sources, in the order declared."""
    outline: tuple[Module, ...]
    """The modules, in order."""
    localise: Localise
    """Localisation rules."""
    outputs: tuple[str, ...]
    """Package formats to build."""

    @property
    def folder(self) -> Path:
        """The folder relative paths resolve against."""
        return self.path.parent

    def source(self, name: str) -> SourceSpec:
        """The source with this name."""
        for spec in self.sources:
            if spec.name == name:
                return spec
        raise KeyError(name)


@functools.cache
def recipe_schema() -> dict[str, Any]:
    """The JSON Schema of recipes (``oerremix/recipe.schema.json``)."""
    text = (files("oerremix") / "recipe.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# --- checking nodes against the schema ----------------------------------------------------------

_TYPES = {
    "string": "tag:yaml.org,2002:str",
    "integer": "tag:yaml.org,2002:int",
    "boolean": "tag:yaml.org,2002:bool",
}


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _fmt(path: str) -> str:
    return path or "the recipe"


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, node: yaml.Node, path: str, message: str) -> None:
        self.problems.append((_line(node), f"{_fmt(path)}: {message}"))

    def check(self, node: yaml.Node, schema: dict[str, Any], path: str) -> None:
        if "oneOf" in schema and "type" not in schema:
            self._one_of_types(node, schema, path)
            return
        kind = schema.get("type")
        if kind == "object":
            self._object(node, schema, path)
        elif kind == "array":
            self._array(node, schema, path)
        elif kind in _TYPES:
            self._scalar(node, schema, path, kind)

    def _one_of_types(self, node: yaml.Node, schema: dict[str, Any], path: str) -> None:
        for option in schema["oneOf"]:
            trial = _Checker()
            trial.check(node, option, path)
            if not trial.problems:
                return
        wanted = " or ".join(
            "a mapping of " + ", ".join(o.get("properties", {})) if o.get("type") == "object"
            else f"a {o.get('type')}"
            for o in schema["oneOf"]
        )  # fmt: skip
        self.add(node, path, f"expected {wanted}")

    def _scalar(self, node: yaml.Node, schema: dict[str, Any], path: str, kind: str) -> None:
        # an unquoted date (2026-11-29) is a YAML timestamp; where text is expected, it is text
        ok_tags = {_TYPES[kind]} | ({"tag:yaml.org,2002:timestamp"} if kind == "string" else set())
        if not isinstance(node, yaml.ScalarNode) or node.tag not in ok_tags:
            self.add(node, path, f"expected a {kind}")
            return
        value = node.value
        if kind == "string":
            if len(value) < schema.get("minLength", 0):
                self.add(node, path, "must not be empty")
            pattern = schema.get("pattern")
            if pattern and not re.search(pattern, value):
                self.add(node, path, f"{value!r} does not match {pattern}")
        if "enum" in schema:
            typed = int(value) if kind == "integer" else value
            if typed not in schema["enum"]:
                allowed = ", ".join(str(e) for e in schema["enum"])
                self.add(node, path, f"{value!r} is not one of: {allowed}{_hint(value, schema)}")

    def _array(self, node: yaml.Node, schema: dict[str, Any], path: str) -> None:
        if not isinstance(node, yaml.SequenceNode):
            self.add(node, path, "expected a list")
            return
        items = node.value
        if len(items) < schema.get("minItems", 0):
            self.add(node, path, f"needs at least {schema['minItems']} item(s)")
        if "maxItems" in schema and len(items) > schema["maxItems"]:
            self.add(node, path, f"takes at most {schema['maxItems']} items")
        for i, item in enumerate(items):
            self.check(item, schema.get("items", {}), f"{path}[{i}]")

    def _object(self, node: yaml.Node, schema: dict[str, Any], path: str) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.add(node, path, "expected a mapping (key: value)")
            return
        props: dict[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            sub = f"{path}.{key}" if path else key
            if key in seen:
                self.add(key_node, sub, "duplicate key")
            seen.add(key)
            if key in props:
                self.check(value_node, props[key], sub)
            elif isinstance(extra, dict):
                self.check(value_node, extra, sub)
            elif extra is False:
                self.add(key_node, sub, f"unknown key{_suggest(key, props)}")
        for key in schema.get("required", []):
            if key not in seen:
                self.add(node, path, f"missing key {key!r}")
        if len(node.value) < schema.get("minProperties", 0):
            self.add(node, path, "must not be empty")
        choices = [o["required"][0] for o in schema.get("oneOf", []) if "required" in o]
        if choices and sum(c in seen for c in choices) != 1:
            self.add(node, path, f"needs exactly one of: {', '.join(choices)}")


def _suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _hint(value: str, schema: dict[str, Any]) -> str:
    return _suggest(value, [str(e) for e in schema["enum"]])


# --- loading -------------------------------------------------------------------------------------


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it: ten times faster on a long outline."""


def _compose(text: str, source: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RecipeError(source, [(line, f"not valid YAML: {problem}")]) from None
    if node is None:
        raise RecipeError(source, [(None, "the recipe is empty")])
    seen: set[int] = set()
    stack = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        if id(current) in seen:
            raise RecipeError(source, [(_line(current), "YAML aliases are not allowed")])
        seen.add(id(current))
        if len(seen) > MAX_NODES or depth > MAX_DEPTH:
            raise RecipeError(source, [(_line(current), "the recipe is too large or too deep")])
        if not current.tag.startswith("tag:yaml.org,2002:") or "python" in current.tag:
            raise RecipeError(
                source, [(_line(current), f"the YAML tag {current.tag} is not allowed")]
            )
        if isinstance(current, yaml.MappingNode):
            stack.extend((n, depth + 1) for pair in current.value for n in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((n, depth + 1) for n in current.value)
    return node


def _lines(node: yaml.Node, path: str = "") -> dict[str, int]:
    """Line of every key path (``outline[0].parts[1].source``) for the semantic checks."""
    found = {path: _line(node)}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = f"{path}.{key.value}" if path else str(key.value)
            found[sub] = _line(key)
            found.update(_lines(value, sub))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found.update(_lines(item, f"{path}[{i}]"))
    return found


def _authors(items: list[Any]) -> tuple[Author, ...]:
    return tuple(
        Author(name=a) if isinstance(a, str) else Author(name=a["name"], url=a.get("url"))
        for a in items
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "module"


def _construct(node: yaml.Node) -> Any:
    """The Python value of a checked YAML tree (parsed once, not again by ``safe_load``)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_recipe(path: str | os.PathLike[str]) -> Recipe:
    """Read and check a recipe file; raise :class:`RecipeError` listing every problem."""
    recipe_path = Path(path)
    source = os.fspath(path)
    try:
        info = recipe_path.stat()
        if not stat.S_ISREG(info.st_mode):  # a named pipe or a device would never end
            raise RecipeError(source, [(None, "the recipe is not a regular file")])
        if info.st_size > MAX_RECIPE_BYTES:
            raise RecipeError(source, [(None, "the recipe is larger than 1 MiB")])
        text = recipe_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecipeError(source, [(None, f"cannot read the recipe: {exc}")]) from None
    node = _compose(text, source)
    checker = _Checker()
    checker.check(node, recipe_schema(), "")
    if checker.problems:
        raise RecipeError(source, sorted(checker.problems, key=lambda p: (p[0] or 0, p[1])))
    data: dict[str, Any] = _construct(node)
    builder = _Builder(recipe_path, _lines(node))
    recipe = builder.build(data)
    if builder.problems:
        raise RecipeError(source, sorted(builder.problems, key=lambda p: (p[0] or 0, p[1])))
    return recipe


class _Builder:
    """Turns checked data into a Recipe, collecting the problems the schema cannot see."""

    def __init__(self, path: Path, lines: dict[str, int]) -> None:
        self.path = path
        self.folder = path.resolve().parent
        self.lines = lines
        self.problems: list[Problem] = []
        self.allow_outside = False

    def problem(self, where: str, message: str) -> None:
        self.problems.append((self.lines.get(where), f"{where}: {message}"))

    def license(self, value: str | None, where: str) -> None:
        if value is None:
            return
        catalog = load_catalog()
        if catalog.find(value) is None:
            hint = catalog.suggest(value)
            self.problem(
                where, f"unknown licence {value!r}" + (f"; did you mean {hint[0]}?" if hint else "")
            )

    def local_path(self, value: str, where: str) -> Path:
        resolved = (self.folder / value).resolve()
        if not self.allow_outside and not resolved.is_relative_to(self.folder):
            self.problem(
                where,
                f"{value!r} is outside the recipe's folder "
                "(set allow_outside_paths: true to allow it)",
            )
        if not resolved.exists():
            self.problem(where, f"{value!r} does not exist")
        return resolved

    def read_part(self, file: Path, value: str, where: str) -> str | None:
        """The text of a ``file:`` part, or None with the problem recorded."""
        if not file.exists() or not (self.allow_outside or file.is_relative_to(self.folder)):
            return None  # reported by local_path; a file outside is not even opened
        if not file.is_file():
            self.problem(where, f"{value!r} is not a file")
            return None
        try:
            if file.stat().st_size > MAX_PART_BYTES:
                self.problem(where, f"{value!r} is larger than {MAX_PART_BYTES // 2**20} MiB")
                return None
            return file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.problem(where, f"{value!r} is not UTF-8 text")
        except OSError as exc:
            self.problem(where, f"{value!r} cannot be read: {exc.strerror or exc}")
        return None

    def url(self, value: Any, where: str) -> None:
        """Record a problem when ``value`` is not a URL at all (``http://[::1``, a bad port)."""
        if not isinstance(value, str):
            return
        if (shown := hidden_credentials(value)) is not None:
            self.problem(
                where,
                f"{shown!r} has a user name or password: oerremix does not log in, and the "
                "address would be written into the lock file and the credits",
            )
            return
        try:
            _ = urlsplit(value).port
        except ValueError as exc:
            self.problem(where, f"{value!r} is not a valid URL: {exc}")

    def author_urls(self, authors: list[Any], where: str) -> None:
        for i, author in enumerate(authors):
            if isinstance(author, dict):
                self.url(author.get("url"), f"{where}[{i}].url")

    def build(self, data: dict[str, Any]) -> Recipe:
        self.allow_outside = bool(data.get("allow_outside_paths", False))
        w = data["work"]
        self.license(w["license"], "work.license")
        self.url(w.get("url"), "work.url")
        self.author_urls(w["authors"], "work.authors")
        authors = _authors(w["authors"])
        work = Work(
            title=w["title"],
            url=w.get("url"),
            authors=authors,
            license=w["license"],
            year=w.get("year"),
            language=w["language"],
            kind="adaptation",
        )
        sources = tuple(self.source(name, spec) for name, spec in data["sources"].items())
        names = [s.name for s in sources]
        outline = []
        ids: set[str] = set()
        for m, module in enumerate(data["outline"]):
            where = f"outline[{m}]"
            module_id = module.get("id") or _slug(module["title"])
            if module_id in ids:
                self.problem(where, f"module id {module_id!r} is used twice; give one an id")
            ids.add(module_id)
            parts = tuple(
                self.part(part, f"{where}.parts[{p}]", names)
                for p, part in enumerate(module["parts"])
            )
            outline.append(Module(module_id, module["title"], parts))
        loc = data.get("localise") or {}
        glossary = tuple(
            GlossaryEntry(g["term"], g["replacement"], g.get("kind", "term"))
            for g in loc.get("glossary", [])
        )
        return Recipe(
            path=self.path,
            work=work,
            description=w.get("description"),
            subject=tuple(w.get("subject", ())),
            audience=w.get("audience"),
            learning_outcomes=tuple(w.get("learning_outcomes", ())),
            sources=sources,
            outline=tuple(outline),
            localise=Localise(glossary, loc.get("spelling"), loc.get("units")),
            outputs=tuple(
                dict.fromkeys(data.get("outputs", ["html", "epub", "imscc", "markdown"]))
            ),
        )

    def source(self, name: str, spec: dict[str, Any]) -> SourceSpec:
        where = f"sources.{name}"
        self.license(spec.get("expect_license"), f"{where}.expect_license")
        for key in ("url", "home"):
            self.url(spec.get(key), f"{where}.{key}")
        self.author_urls(spec.get("authors", []), f"{where}.authors")
        for i, p in enumerate(spec.get("permissions", [])):
            self.url(p.get("evidence_url"), f"{where}.permissions[{i}].evidence_url")
        if "path" in spec:
            location = os.fspath(self.local_path(spec["path"], f"{where}.path"))
        else:
            location = spec["url"]
        permissions = []
        for i, p in enumerate(spec.get("permissions", [])):
            self.license(p.get("license"), f"{where}.permissions[{i}].license")
            try:
                permissions.append(
                    Permission(
                        granted_by=p["granted_by"],
                        granted_to=p.get("granted_to") or None,
                        scope=p["scope"],
                        date=str(p["date"]) if p.get("date") else None,
                        evidence_url=p.get("evidence_url") or None,
                        basis=p.get("basis") or None,
                        kind=p.get("kind", "permission"),
                        license=p.get("license") or None,
                    )
                )
            except (TypeError, ValueError) as exc:
                self.problem(f"{where}.permissions[{i}]", str(exc).split(": ", 1)[-1])
        return SourceSpec(
            name=name,
            location=location,
            format=spec.get("format"),
            expect_license=spec.get("expect_license"),
            use=spec.get("use", "adapted"),
            permissions=tuple(permissions),
            line=self.lines.get(where, 0),
            title=spec.get("title"),
            home=spec.get("home"),
            authors=_authors(spec.get("authors", [])),
        )

    def part(self, part: dict[str, Any], where: str, names: list[str]) -> Part:
        selectors = [k for k in ("section", "heading", "range", "select") if k in part]
        text = part.get("markdown")
        file = None
        if "file" in part:
            file = self.local_path(part["file"], f"{where}.file")
            text = self.read_part(file, part["file"], f"{where}.file")
        source = part.get("source")
        if source is not None and source not in names:
            self.problem(f"{where}.source", f"no source named {source!r}{_suggest(source, names)}")
        if source is None and selectors:
            self.problem(f"{where}.{selectors[0]}", "only a part taken from a source can select")
        if len([k for k in selectors if k != "select"]) > 1:
            self.problem(where, "use one of section, heading or range")
        rng = part.get("range")
        return Part(
            markdown=text,
            file=file,
            source=source,
            section=part.get("section"),
            heading=part.get("heading"),
            range=(rng[0], rng[1]) if rng else None,
            select=part.get("select"),
            line=self.lines.get(where, 0),
        )
