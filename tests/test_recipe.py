"""Recipes: a valid one becomes a Recipe; every problem of an invalid one is reported at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from oerremix import RecipeError
from oerremix.recipe import load_recipe, recipe_schema

VALID = """\
recipe: 1
work:
  title: DC Circuits for Ontario Electrical Apprentices
  authors:
    - Ana Silva
    - {name: Marc Tremblay, url: https://example.org/marc}
  language: en-CA
  license: CC-BY-NC-SA-4.0
  description: Direct-current circuits for first-year apprentices.
  subject: [electrical trades, DC circuits]
  audience: Ontario 309A apprentices
  learning_outcomes:
    - Apply Kirchhoff's rules to a two-loop circuit.
sources:
  physics:
    path: physics/
    expect_license: CC-BY-NC-SA-4.0
  resistor:
    url: https://commons.wikimedia.org/wiki/File:Resistor.jpg
    use: unchanged
    permissions:
      - {kind: decision, granted_by: Ana Silva, scope: the photo, license: CC-BY-SA-3.0,
         basis: licence stated on the file page, evidence_url: https://example.org/evidence}
outline:
  - title: Introduction
    parts:
      - markdown: Welcome, apprentices.
      - file: intro.md
  - title: Kirchhoff's rules
    id: kirchhoff
    parts:
      - {source: physics, section: m58672}
      - {source: physics, range: [m58673, m58674], select: "css:figure"}
      - {source: resistor}
localise:
  glossary:
    - {term: NEC, replacement: Canadian Electrical Code, kind: jurisdiction}
    - {term: color, replacement: colour}
  spelling: en-CA
  units: Converted to SI (metric) units.
outputs: [html, epub]
"""


def write(folder: Path, text: str) -> Path:
    (folder / "physics").mkdir(exist_ok=True)
    (folder / "intro.md").write_text("# Intro\n\nHello.\n", encoding="utf-8")
    path = folder / "recipe.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(folder: Path, text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(RecipeError) as info:
        load_recipe(write(folder, text))
    return list(info.value.problems)


class TestValid:
    def test_everything_is_read(self, tmp_path):
        recipe = load_recipe(write(tmp_path, VALID))
        assert recipe.work.title == "DC Circuits for Ontario Electrical Apprentices"
        assert [a.name for a in recipe.work.authors] == ["Ana Silva", "Marc Tremblay"]
        assert recipe.work.license == "CC-BY-NC-SA-4.0"
        assert recipe.learning_outcomes == ("Apply Kirchhoff's rules to a two-loop circuit.",)
        physics = recipe.source("physics")
        assert Path(physics.location) == (tmp_path / "physics").resolve()
        assert physics.use == "adapted" and physics.expect_license == "CC-BY-NC-SA-4.0"
        resistor = recipe.source("resistor")
        assert resistor.is_url and resistor.use == "unchanged"
        assert resistor.permissions[0].kind == "decision"
        assert resistor.permissions[0].license == "CC-BY-SA-3.0"
        intro, kirchhoff = recipe.outline
        assert intro.id == "introduction"  # a slug of the title
        assert intro.parts[1].markdown == "# Intro\n\nHello.\n"  # read from intro.md
        assert kirchhoff.id == "kirchhoff"
        assert kirchhoff.parts[1].range == ("m58673", "m58674")
        assert kirchhoff.parts[1].select == "css:figure"
        assert recipe.localise.glossary[0].kind == "jurisdiction"
        assert recipe.localise.glossary[1].kind == "term"
        assert recipe.outputs == ("html", "epub")

    def test_outputs_default_to_all(self, tmp_path):
        recipe = load_recipe(write(tmp_path, VALID.replace("outputs: [html, epub]\n", "")))
        assert recipe.outputs == ("html", "epub", "imscc", "markdown")


class TestProblemsAllAtOnce:
    def test_several_problems_with_lines_and_suggestions(self, tmp_path):
        text = (
            VALID.replace("  language: en-CA", "  langauge: en-CA")  # line 7
            .replace("    use: unchanged", "    use: unchnaged")  # line 20
            .replace("{source: physics, section: m58672}", "{source: physcs, section: m58672}")
            .replace("  spelling: en-CA", "  spelling: en-US")
        )
        found = problems(tmp_path, text)
        messages = "\n".join(f"{line}: {msg}" for line, msg in found)
        assert "7: work.langauge: unknown key; did you mean 'language'?" in messages
        assert "3: work: missing key 'language'" in messages  # the mapping starts on line 3
        assert "20: sources.resistor.use: 'unchnaged' is not one of: adapted, unchanged" in messages
        assert "did you mean 'unchanged'?" in messages
        assert "spelling: 'en-US' is not one of: en-CA, en-GB" in messages

    def test_semantic_problems_together(self, tmp_path):
        text = (
            VALID.replace(
                "license: CC-BY-NC-SA-4.0\n  description", "license: CC-BY-NC-SA-4\n  description"
            )
            .replace("{source: physics, section: m58672}", "{source: physcs, section: m58672}")
            .replace("path: physics/", "path: ../elsewhere/")
        )
        found = problems(tmp_path, text)
        messages = [msg for _line, msg in found]
        assert any(
            "work.license: unknown licence 'CC-BY-NC-SA-4'; did you mean" in m for m in messages
        )
        assert any("no source named 'physcs'; did you mean 'physics'?" in m for m in messages)
        assert any("outside the recipe's folder" in m for m in messages)
        assert all(line is not None for line, _msg in found)

    def test_source_needs_exactly_one_of_path_or_url(self, tmp_path):
        text = VALID.replace(
            "    path: physics/\n", "    path: physics/\n    url: https://x.org/\n"
        )
        assert any("needs exactly one of: path, url" in m for _l, m in problems(tmp_path, text))

    def test_part_needs_one_kind(self, tmp_path):
        text = VALID.replace("      - markdown: Welcome, apprentices.", "      - heading: Welcome")
        found = [m for _l, m in problems(tmp_path, text)]
        assert any("needs exactly one of: markdown, file, source" in m for m in found)

    def test_selection_without_source(self, tmp_path):
        text = VALID.replace(
            "      - markdown: Welcome, apprentices.", "      - {markdown: Hi, section: '1'}"
        )
        assert any("only a part taken from a source" in m for _l, m in problems(tmp_path, text))

    def test_duplicate_module_ids(self, tmp_path):
        text = VALID.replace("    id: kirchhoff", "    id: introduction")
        assert any("used twice" in m for _l, m in problems(tmp_path, text))


class TestPaths:
    def test_outside_allowed_explicitly(self, tmp_path):
        (tmp_path / "elsewhere").mkdir()
        project = tmp_path / "project"
        project.mkdir()
        text = (
            VALID.replace("path: physics/", "path: ../elsewhere/") + "allow_outside_paths: true\n"
        )
        recipe = load_recipe(write(project, text))
        assert Path(recipe.source("physics").location) == (tmp_path / "elsewhere").resolve()

    def test_missing_path(self, tmp_path):
        text = VALID.replace("path: physics/", "path: nowhere/")
        assert any("'nowhere/' does not exist" in m for _l, m in problems(tmp_path, text))


class TestUnsafeYaml:
    def test_syntax_error_has_a_line(self, tmp_path):
        found = problems(tmp_path, "work: {title: [unclosed\nsources: {}\n")
        assert found[0][0] is not None and "not valid YAML" in found[0][1]

    def test_aliases_refused(self, tmp_path):
        bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'
        assert "aliases are not allowed" in problems(tmp_path, bomb)[0][1]

    def test_python_tags_refused(self, tmp_path):
        found = problems(tmp_path, "work: !!python/object/apply:os.system ['echo hi']\n")
        assert (
            "YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed" in found[0][1]
        )

    def test_too_large(self, tmp_path):
        path = tmp_path / "recipe.yaml"
        path.write_text("# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
        with pytest.raises(RecipeError, match="larger than 1 MiB"):
            load_recipe(path)

    def test_too_deep(self, tmp_path):
        deep = "work: " + "[" * 40 + "]" * 40 + "\n"
        assert "too large or too deep" in problems(tmp_path, deep)[0][1]

    def test_empty_and_missing(self, tmp_path):
        assert "empty" in problems(tmp_path, "\n")[0][1]
        with pytest.raises(RecipeError, match="cannot read"):
            load_recipe(tmp_path / "missing.yaml")


def test_schema_is_shipped_and_names_every_top_level_key():
    schema = recipe_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["properties"]) == {
        "recipe", "work", "sources", "outline", "localise", "outputs", "allow_outside_paths",
    }  # fmt: skip
