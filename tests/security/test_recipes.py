"""Recipes as hostile input: paths that leave the project, YAML tricks, sizes.

``tests/test_recipe.py`` covers aliases, Python tags, the 1 MiB cap, depth and ``../`` sources.
Here: symbolic links inside the project that lead out of it, ``file:`` parts outside it,
absolute paths, files that are not UTF-8 or are huge, too many nodes, and tags YAML would
otherwise construct. Every case is a :class:`~oerremix.errors.RecipeError` naming the line.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from oerremix import RecipeError
from oerremix.recipe import load_recipe

HEAD = """\
work: {title: T, authors: [A], language: en, license: CC-BY-4.0}
"""


def project(tmp_path: Path) -> tuple[Path, Path]:
    """A project folder with a chapter and a source folder, and a secret folder beside it."""
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "chapter.md").write_text("# Chapter\n", encoding="utf-8")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "notes.md").write_text("# Private notes\n", encoding="utf-8")
    return root, secret


def recipe(root: Path, sources: str = "s: {path: src}", parts: str = "- markdown: Hi") -> Path:
    text = HEAD + f"sources:\n  {sources}\noutline:\n  - title: One\n    parts:\n"
    text += textwrap.indent(parts, "      ") + "\n"
    path = root / "recipe.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> str:
    with pytest.raises(RecipeError) as caught:
        load_recipe(path)
    assert all(line is not None for line, _ in caught.value.problems), caught.value
    return "\n".join(message for _, message in caught.value.problems)


class TestPathsLeavingTheProject:
    def test_symlinked_source_folder_pointing_outside(self, tmp_path: Path) -> None:
        root, secret = project(tmp_path)
        (root / "linked").symlink_to(secret, target_is_directory=True)
        found = problems(recipe(root, "s: {path: linked}"))
        assert "'linked' is outside the recipe's folder" in found

    def test_symlinked_file_part_pointing_outside(self, tmp_path: Path) -> None:
        root, secret = project(tmp_path)
        (root / "intro.md").symlink_to(secret / "notes.md")
        found = problems(recipe(root, parts="- file: intro.md"))
        assert "'intro.md' is outside the recipe's folder" in found

    def test_symlink_in_a_parent_folder(self, tmp_path: Path) -> None:
        root, secret = project(tmp_path)
        (root / "docs").symlink_to(secret, target_is_directory=True)
        found = problems(recipe(root, parts="- file: docs/notes.md"))
        assert "outside the recipe's folder" in found

    @pytest.mark.parametrize(
        "value",
        [
            "../secret/notes.md",  # climbing out
            "src/../../secret/notes.md",  # climbing out further down
            "/etc/hostname",  # absolute
        ],
    )
    def test_file_part_outside(self, tmp_path: Path, value: str) -> None:
        root, _ = project(tmp_path)
        found = problems(recipe(root, parts=f"- file: '{value}'"))
        assert "outside the recipe's folder" in found

    def test_absolute_source_path(self, tmp_path: Path) -> None:
        root, secret = project(tmp_path)
        assert "outside the recipe's folder" in problems(recipe(root, f"s: {{path: '{secret}'}}"))

    def test_nothing_outside_is_read(self, tmp_path: Path) -> None:
        # refused, the outside file's text must not end up anywhere (not even in the message)
        root, _ = project(tmp_path)
        with pytest.raises(RecipeError) as caught:
            load_recipe(recipe(root, parts="- file: ../secret/notes.md"))
        assert "Private notes" not in str(caught.value)

    def test_symlink_inside_the_project_is_fine(self, tmp_path: Path) -> None:
        root, _ = project(tmp_path)
        (root / "alias.md").symlink_to(root / "chapter.md")
        loaded = load_recipe(recipe(root, parts="- file: alias.md"))
        assert loaded.outline[0].parts[0].markdown == "# Chapter\n"


class TestFileParts:
    def test_not_utf8(self, tmp_path: Path) -> None:
        root, _ = project(tmp_path)
        (root / "latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
        assert "not UTF-8" in problems(recipe(root, parts="- file: latin1.md"))

    def test_huge_file_is_not_read(self, tmp_path: Path) -> None:
        root, _ = project(tmp_path)
        with (root / "huge.md").open("wb") as huge:  # sparse: no disk used
            huge.truncate(300 * 2**20)
        assert "larger than" in problems(recipe(root, parts="- file: huge.md"))

    def test_a_folder_or_device_is_not_content(self, tmp_path: Path) -> None:
        root, _ = project(tmp_path)
        found = problems(recipe(root, parts="- file: src"))
        assert "'src' is not a file" in found


class TestYaml:
    def test_too_many_nodes(self, tmp_path: Path) -> None:
        path = tmp_path / "recipe.yaml"
        path.write_text("work: [" + ", ".join(["x"] * 25_000) + "]\n", encoding="utf-8")
        assert "too large or too deep" in problems(path)

    def test_not_utf8(self, tmp_path: Path) -> None:
        path = tmp_path / "recipe.yaml"
        path.write_bytes(b"work: {title: \xff\xfe}\n")
        with pytest.raises(RecipeError, match="cannot read"):
            load_recipe(path)

    @pytest.mark.parametrize(
        "text",
        [
            "work: !!python/name:os.system ''\n",  # a Python callable
            "work: !!python/object/new:subprocess.Popen [[id]]\n",  # an object construction
            "work: !custom {a: 1}\n",  # a local tag
            "work: !<tag:example.org,2024:x> 1\n",  # a tag from another vocabulary
        ],
    )
    def test_tags_refused(self, tmp_path: Path, text: str) -> None:
        path = tmp_path / "recipe.yaml"
        path.write_text(text, encoding="utf-8")
        assert "is not allowed" in problems(path)

    def test_merge_keys_need_aliases_which_are_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "recipe.yaml"
        path.write_text("base: &b {title: T}\nwork: {<<: *b}\n", encoding="utf-8")
        assert "aliases are not allowed" in problems(path)

    def test_fifo_recipe_is_not_read_forever(self, tmp_path: Path) -> None:
        # a named pipe never ends: it is not a regular file, so it is refused before reading
        fifo = tmp_path / "recipe.yaml"
        os.mkfifo(fifo)
        with pytest.raises(RecipeError, match="not a regular file"):
            load_recipe(fifo)


@pytest.mark.parametrize(
    ("field", "text"),
    [
        (
            "work.url",
            "work: {title: T, authors: [A], language: en, license: CC-BY-4.0, url: 'http://[::1'}\n",
        ),
        (
            "work.authors[0].url",
            "work: {title: T, authors: [{name: A, url: 'https://[oops]/'}], language: en, license: CC-BY-4.0}\n",
        ),
    ],
)
def test_malformed_urls_refused(field: str, text: str, tmp_path: Path) -> None:
    # urllib refuses these with ValueError, which used to crash the build's attribution
    root, _ = project(tmp_path)
    path = root / "recipe.yaml"
    path.write_text(
        text + "sources: {s: {path: src, home: 'http://h:99999999/'}}\n"
        "outline: [{title: One, parts: [{markdown: Hi}]}]\n",
        encoding="utf-8",
    )
    found = problems(path)
    assert f"{field}: " in found and "is not a valid URL" in found
    assert "sources.s.home: 'http://h:99999999/' is not a valid URL" in found


def test_urls_with_a_user_name_or_password_refused(tmp_path: Path) -> None:
    # oerremix does not log in: the password would go to the server as Basic auth and be
    # written into the lock file and the credits; the message must not repeat it either
    root, _ = project(tmp_path)
    path = root / "recipe.yaml"
    path.write_text(
        "work: {title: T, authors: [A], language: en, license: CC-BY-4.0,"
        " url: 'https://ana:pw1@example.org/t'}\n"
        "sources: {s: {url: 'https://bo:pw2@example.org/book.epub'}}\n"
        "outline: [{title: One, parts: [{markdown: Hi}]}]\n",
        encoding="utf-8",
    )
    found = problems(path)
    assert "work.url: 'https://…@example.org/t' has a user name or password" in found
    assert "sources.s.url: 'https://…@example.org/book.epub' has a user name or password" in found
    assert "pw1" not in found and "pw2" not in found
