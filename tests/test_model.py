"""Tests for oerremix.model: the Work model, its plain-data form and the readers of that form."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oerremix import model
from oerremix.errors import OerRemixError, ReadError, UnsafeContentError
from oerremix.model import (
    MAX_NESTING,
    Asset,
    Author,
    Change,
    Evidence,
    Permission,
    Provenance,
    Section,
    Work,
)

# A BCcampus-style adaptation of one OpenStax chapter: our course pack is based on a BCcampus
# adaptation, which is based on an OpenStax book, which is based on another OpenStax book (the
# third generation is illustrative). It holds a Commons image, a cropped figure, a figure used
# with permission, a publisher's logo outside the licence and an author's licence decision.
FIXTURE = """\
title: Cell Structure for Health Sciences
url: https://example.edu/books/cell-structure/
authors:
  - name: Amira Haddad
    url: https://example.edu/~ahaddad
  - Louis Tremblay
license: CC-BY-4.0
year: 2025
copyright: © 2025 Amira Haddad and Louis Tremblay
language: en-CA
kind: adaptation
changes:
  - what: Selected chapter 3, "Cell Structure and Function", only.
    by: Amira Haddad
    date: 2025-01-15
  - Replaced US customary units with SI units.
  - {what: Added Canadian nursing examples to section 3.3., by: Louis Tremblay}
based_on:
  - title: Concepts of Biology – 1st Canadian Edition
    url: https://opentextbc.ca/biology/
    authors: [Charles Molnar, Jane Gair]
    license: CC-BY-4.0
    year: 2015
    copyright: © 2015 Charles Molnar and Jane Gair
    language: en
    kind: adaptation
    changes: [Adapted for Canadian post-secondary students.]
    provenance:
      source: https://opentextbc.ca/biology/chapter/3-2-comparing-prokaryotic-and-eukaryotic-cells/
      retrieved: 2025-01-09T14:03:00Z
      sha256: 9f2c4e1a7b3d5f60812a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d
      license_evidence:
        - kind: rel-license
          match: https://creativecommons.org/licenses/by/4.0/
          where: <a> in footer
        - kind: text
          match: licensed under a Creative Commons Attribution 4.0 International License
          where: line 212
    based_on:
      - title: Concepts of Biology
        url: https://openstax.org/details/books/concepts-biology
        authors:
          - {name: OpenStax, url: https://openstax.org}
          - Samantha Fowler
          - Rebecca Roush
          - James Wise
        license: CC-BY-4.0
        year: 2013
        kind: adaptation
        assets:
          - kind: image
            source: https://openstax.org/images/logo.svg
            title: OpenStax logo
            authors: [OpenStax]
            trademark: true
        based_on:
          - title: Biology
            authors: [OpenStax College]
            license: CC-BY-4.0
            year: 2013
sections:
  - {id: "3.1", title: How Cells Are Studied, level: 2}
  - {id: 3.2, title: Comparing Prokaryotic and Eukaryotic Cells, level: 2}
  - {id: 3.10, title: Review Questions, level: 2}
assets:
  - kind: image
    source: https://commons.wikimedia.org/wiki/File:Example_mitochondrion_diagram.svg
    title: Mitochondrion diagram
    authors:
      - name: Example Illustrator
        url: https://commons.wikimedia.org/wiki/User:Example_Illustrator
    license: CC-BY-SA-4.0
    credit: Example Illustrator, CC BY-SA 4.0, via Wikimedia Commons
  - kind: image
    source: images/figure-3-7-cropped.png
    title: Figure 3.7, an animal cell (cropped)
    authors: [Charles Molnar, Jane Gair]
    license: CC-BY-4.0
    license_inherited: true
    changes:
      - what: Cropped to the nucleus; labels translated into French.
        by: Amira Haddad
        date: 2025-01-20
  - kind: image
    source: images/liver-histology.jpg
    title: Liver histology slide
    authors: [Dr. Lee Chen]
    credit: Used with permission of Dr. Lee Chen.
    permissions:
      - granted_by: Dr. Lee Chen
        granted_to: Amira Haddad
        scope: Reproduce in this book, print and online editions.
        date: 2024-11-02
        evidence_url: https://example.edu/permissions/2024-11-02-chen.pdf
permissions:
  - kind: decision
    granted_by: Amira Haddad
    granted_to: null
    scope: Appendix B, whose footer says "CC BY" without a version.
    date: 2025-01-10
    evidence_url: https://opentextbc.ca/biology/front-matter/about-the-book/
    basis: The book's front matter licenses the whole book under CC BY 4.0.
    license: CC-BY-4.0
"""


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line of ``text`` that contains ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def problems_of(error: ReadError) -> list[str]:
    """The problem lines of a ReadError's message, without the summary line."""
    lines = error.message.splitlines()
    return lines[1:] if len(lines) > 1 else [error.message.removeprefix("invalid work: ")]


def read_error(text: str, source: str = "work.yaml") -> ReadError:
    with pytest.raises(ReadError) as info:
        Work.from_yaml(text, source=source)
    return info.value


@pytest.fixture(scope="module")
def book() -> Work:
    return Work.from_yaml(FIXTURE, source="fixture.yaml")


def chain(levels: int) -> Work:
    """A work based on a work based on a work … ``levels`` deep below the top."""
    work = Work(title="origin")
    for level in range(levels):
        work = Work(title=f"generation {level}", based_on=(work,))
    return work


# --- strategies ------------------------------------------------------------------------------

texts = st.text(min_size=1, max_size=12).filter(lambda s: s.strip())
optional_texts = st.none() | texts
dates = st.none() | st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.isoformat()[:7]),
    st.datetimes().map(lambda d: d.isoformat(timespec="seconds") + "Z"),
)
an_author = st.builds(Author, texts, optional_texts)
a_change = st.builds(Change, texts, optional_texts, dates)
an_evidence = st.builds(Evidence, texts, texts, texts)
authors = st.lists(an_author, max_size=2).map(tuple)
changes = st.lists(a_change, max_size=2).map(tuple)
a_permission = st.builds(
    Permission,
    texts,
    optional_texts,
    texts,
    dates,
    optional_texts,
    optional_texts,
    st.just("permission"),
    optional_texts,
) | st.builds(
    Permission,
    texts,
    optional_texts,
    texts,
    dates,
    optional_texts,
    optional_texts,
    st.just("decision"),
    texts,
)
permissions = st.lists(a_permission, max_size=2).map(tuple)
a_provenance = st.builds(
    Provenance,
    texts,
    dates,
    st.none() | st.text("0123456789abcdef", min_size=64, max_size=64),
    st.lists(an_evidence, max_size=2).map(tuple),
)
provenances = st.none() | a_provenance
an_asset = st.builds(
    Asset,
    st.sampled_from(["image", "video", "audio", "embed"]),
    texts,
    optional_texts,
    authors,
    optional_texts,
    optional_texts,
    st.booleans(),
    changes,
    st.booleans(),
    permissions,
)
assets = st.lists(an_asset, max_size=2).map(tuple)
a_section = st.builds(Section, texts, optional_texts, st.integers(1, 64), optional_texts)
sections = st.lists(a_section, max_size=3).map(tuple)


def works_with(children: st.SearchStrategy[tuple[Work, ...]]) -> st.SearchStrategy[Work]:
    return st.builds(
        Work,
        optional_texts,
        optional_texts,
        authors,
        optional_texts,
        st.none() | st.integers(1, 9999),
        optional_texts,
        optional_texts,
        changes,
        children,
        children,
        assets,
        sections,
        permissions,
        provenances,
        st.sampled_from(["work", "adaptation", "collection"]),
        st.booleans(),
    )


works = st.recursive(
    works_with(st.just(())),
    lambda inner: works_with(st.lists(inner, max_size=2).map(tuple)),
    max_leaves=4,
)
laws = settings(
    max_examples=50,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# --- tests -----------------------------------------------------------------------------------


class TestFixture:
    """A realistic adaptation reads into the values an author would expect."""

    def test_top_level(self, book):
        assert book.title == "Cell Structure for Health Sciences"
        assert book.kind == "adaptation"
        assert book.license == "CC-BY-4.0"
        assert book.year == 2025
        assert book.language == "en-CA"
        assert book.authors == (
            Author("Amira Haddad", "https://example.edu/~ahaddad"),
            Author("Louis Tremblay"),
        )
        assert book.provenance is None
        assert book.remove_credit is False

    def test_changes_in_both_forms(self, book):
        assert book.changes[0] == Change(
            'Selected chapter 3, "Cell Structure and Function", only.', "Amira Haddad", "2025-01-15"
        )
        assert book.changes[1] == Change("Replaced US customary units with SI units.")
        assert book.changes[2].by == "Louis Tremblay"

    def test_three_generations_of_lineage(self, book):
        assert [(depth, work.title) for depth, work in book.lineage()] == [
            (1, "Concepts of Biology – 1st Canadian Edition"),
            (2, "Concepts of Biology"),
            (3, "Biology"),
        ]

    def test_provenance_keeps_the_evidence_found_then(self, book):
        provenance = book.based_on[0].provenance
        assert provenance is not None
        assert provenance.retrieved == "2025-01-09T14:03:00Z"
        assert provenance.license_evidence[0] == Evidence(
            "rel-license", "https://creativecommons.org/licenses/by/4.0/", "<a> in footer"
        )

    def test_assets(self, book):
        commons, cropped, histology = book.assets
        assert commons.license == "CC-BY-SA-4.0"
        assert commons.credit == "Example Illustrator, CC BY-SA 4.0, via Wikimedia Commons"
        assert cropped.license_inherited is True
        assert cropped.changes[0].date == "2025-01-20"
        assert histology.license is None
        assert histology.permissions[0].granted_to == "Amira Haddad"
        assert histology.permissions[0].kind == "permission"

    def test_trademark_asset(self, book):
        logo = book.based_on[0].based_on[0].assets[0]
        assert logo.trademark is True
        assert logo.authors == (Author("OpenStax"),)

    def test_decision(self, book):
        (decision,) = book.permissions
        assert decision.kind == "decision"
        assert decision.license == "CC-BY-4.0"
        assert decision.basis is not None

    def test_unquoted_section_ids_stay_as_written(self, book):
        assert [section.id for section in book.sections] == ["3.1", "3.2", "3.10"]

    def test_round_trips(self, book):
        assert Work.from_dict(book.to_dict()) == book
        assert Work.from_json(book.to_json()) == book
        assert Work.from_yaml(book.to_yaml()) == book


class TestConstruction:
    """Values are frozen and slotted, and checked when constructed directly."""

    def test_assignment_raises(self, book):
        with pytest.raises(dataclasses.FrozenInstanceError):
            book.title = "Another title"
        with pytest.raises(dataclasses.FrozenInstanceError):
            book.authors[0].name = "Someone else"

    def test_slotted(self):
        assert not hasattr(Author("A"), "__dict__")
        with pytest.raises((AttributeError, TypeError)):
            Author("A").nickname = "a"  # type: ignore[attr-defined]

    def test_hashable_and_equal_by_value(self):
        assert hash(Work(title="A", authors=(Author("B"),))) == hash(
            Work(title="A", authors=(Author("B"),))
        )

    def test_defaults(self):
        work = Work()
        assert (work.kind, work.authors, work.provenance, work.remove_credit) == (
            "work",
            (),
            None,
            False,
        )
        assert Permission("A", None, "all", None, None).kind == "permission"

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (lambda: Work(authors=[Author("A")]), "Work.authors: expected a tuple of Author"),  # type: ignore[arg-type]
            (lambda: Work(authors=("A",)), "Work.authors: item 0: expected Author, got str"),  # type: ignore[arg-type]
            (lambda: Work(year="2020"), "Work.year: expected an integer"),  # type: ignore[arg-type]
            (lambda: Work(year=True), "Work.year: expected an integer"),
            (lambda: Work(remove_credit=1), "Work.remove_credit: expected true or false"),  # type: ignore[arg-type]
            (lambda: Author(None), "Author.name: expected a string, got None"),  # type: ignore[arg-type]
            (lambda: Work(provenance={}), "Work.provenance: expected Provenance or None"),  # type: ignore[arg-type]
        ],
    )
    def test_wrong_types_raise_type_error(self, build, message):
        with pytest.raises(TypeError, match=message):
            build()

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (lambda: Work(title=""), "Work.title: must not be empty"),
            (lambda: Author("   "), "Author.name: must not be empty"),
            (lambda: Work(kind="book"), "Work.kind: expected one of"),  # type: ignore[arg-type]
            (lambda: Asset("imgae", "a.png"), "did you mean 'image'"),  # type: ignore[arg-type]
            (lambda: Work(year=0), "Work.year: expected 1 to 9999"),
            (lambda: Section("1", None, level=0), "Section.level: expected 1 to 64"),
            (lambda: Change("x", date="31/05/2024"), "Change.date: expected an ISO 8601 date"),
            (lambda: Provenance("x", None, "ABC"), "Provenance.sha256: expected 64 lower-case"),
            (lambda: Work(title="a\ud800"), "unpaired surrogate"),
            (
                lambda: Permission("A", None, "all", None, None, kind="decision"),
                "Permission.license: a decision must name the licence decided",
            ),
        ],
    )
    def test_bad_values_raise_value_error(self, build, message):
        with pytest.raises(ValueError, match=message):
            build()

    def test_replace_checks_again(self, book):
        renamed = book.replace(title="Cells")
        assert renamed.title == "Cells"
        assert renamed.based_on == book.based_on
        assert book.title == "Cell Structure for Health Sciences"
        with pytest.raises(ValueError, match=r"Work\.kind"):
            book.replace(kind="remix")
        assert Author("A").replace(url="https://a.example").url == "https://a.example"


class TestDates:
    """Dates are ISO 8601: a year, a month, a day, or a day with a time."""

    @pytest.mark.parametrize(
        "date",
        [
            "2024",
            "2024-05",
            "2024-05-31",
            "2024-02-29",  # leap year
            "2024-05-31T12:00",
            "2024-05-31T12:00:59.123Z",
            "2024-05-31T12:00:00+02:00",
        ],
    )
    def test_accepted(self, date):
        assert Change("x", date=date).date == date

    @pytest.mark.parametrize(
        "date",
        [
            "31/05/2024",  # day first
            "May 2024",
            "2024-13",  # no month 13
            "2023-02-29",  # not a leap year
            "2024-05-31 12:00",  # space instead of T
            "2024-05-31T25:00",
            "24-05-31",
            "yesterday",
        ],
    )
    def test_refused(self, date):
        with pytest.raises(ValueError, match="ISO 8601"):
            Change("x", date=date)


class TestToDict:
    """The plain-data form has every key, in field order, with stable values."""

    def test_every_key_always_present(self):
        assert Work().to_dict() == {
            "title": None,
            "url": None,
            "authors": [],
            "license": None,
            "year": None,
            "copyright": None,
            "language": None,
            "changes": [],
            "based_on": [],
            "parts": [],
            "assets": [],
            "sections": [],
            "permissions": [],
            "provenance": None,
            "kind": "work",
            "remove_credit": False,
        }

    def test_nested_values_are_mappings(self, book):
        data = book.to_dict()
        assert data["authors"][1] == {"name": "Louis Tremblay", "url": None}
        assert data["changes"][1] == {
            "what": "Replaced US customary units with SI units.",
            "by": None,
            "date": None,
            "source": None,
        }
        assert list(data["assets"][0]) == [field.name for field in dataclasses.fields(Asset)]
        assert data["based_on"][0]["provenance"]["license_evidence"][1]["where"] == "line 212"

    def test_json_is_plain(self, book):
        assert json.loads(json.dumps(book.to_dict())) == book.to_dict()

    def test_to_json_format(self):
        text = Work(title="Écologie", authors=(Author("Zoë"),)).to_json()
        assert text.endswith("}\n")
        assert '\n  "title": "Écologie",\n' in text  # indent 2, not ASCII-escaped
        assert text.index('"title"') < text.index('"url"') < text.index('"remove_credit"')

    def test_to_yaml_keeps_field_order_and_unicode(self):
        text = Work(title="Écologie", year=2020).to_yaml()
        assert text.startswith("title: Écologie\nurl: null\nauthors: []\n")


class TestShorthand:
    """Authors and changes may be plain strings; YAML scalars are read as strings when due."""

    def test_plain_string_author_is_its_name(self):
        work = Work.from_dict({"authors": ["OpenStax", {"name": "Jane Doe", "url": None}]})
        assert work.authors == (Author("OpenStax"), Author("Jane Doe"))

    def test_plain_string_change_is_its_what(self):
        work = Work.from_dict({"changes": ["Cropped.", {"what": "Translated.", "by": "A"}]})
        assert work.changes == (Change("Cropped."), Change("Translated.", "A"))

    def test_asset_authors_and_changes_too(self):
        asset = Asset.from_dict(
            {"kind": "image", "source": "a.png", "authors": ["B"], "changes": ["Cropped."]}
        )
        assert asset.authors == (Author("B"),)
        assert asset.changes == (Change("Cropped."),)

    def test_missing_optional_keys_take_defaults(self):
        permission = Permission.from_dict({"granted_by": "A", "scope": "Figure 2"})
        assert permission == Permission("A", None, "Figure 2", None, None)

    @pytest.mark.parametrize(
        ("yaml_text", "expected"),
        [
            ("sections: [{id: 3.10}]", Work(sections=(Section("3.10", None),))),
            ("sections: [{id: 12}]", Work(sections=(Section("12", None),))),
            ("title: 1984", Work(title="1984")),
            ("title: yes", Work(title="yes")),  # YAML 1.1 boolean, taken as written
            ("authors: [2001]", Work(authors=(Author("2001"),))),
            (
                "changes: [{what: x, date: 2024-05-31}]",
                Work(changes=(Change("x", None, "2024-05-31"),)),
            ),
        ],
    )
    def test_unquoted_yaml_scalars_where_strings_are_expected(self, yaml_text, expected):
        assert Work.from_yaml(yaml_text) == expected

    def test_but_json_numbers_are_not_strings(self):
        with pytest.raises(ReadError, match=r"sections\[0\].id: expected a string, got a number"):
            Work.from_json('{"sections": [{"id": 3.1, "title": null}]}')


class TestUnknownKeys:
    """Unknown keys are errors, with a did-you-mean and the YAML line."""

    @pytest.mark.parametrize(
        ("misspelt", "meant"),
        [
            ("autors", "authors"),
            ("author", "authors"),
            ("licence", "license"),  # British spelling
            ("basedon", "based_on"),
            ("remove_credits", "remove_credit"),
        ],
    )
    def test_did_you_mean(self, misspelt, meant):
        error = read_error(f"title: T\n{misspelt}: x\n")
        assert problems_of(error) == [f"{misspelt}: unknown key; did you mean {meant!r}?"]
        assert error.line == 2
        assert str(error).endswith("(work.yaml:2)")

    def test_nested_path_and_line(self):
        text = FIXTURE.replace(
            "    authors: [Charles Molnar, Jane Gair]\n    license",
            "    autors: [Charles Molnar, Jane Gair]\n    license",
            1,
        )
        error = read_error(text)
        line = line_of(text, "autors:")
        assert problems_of(error) == ["based_on[0].autors: unknown key; did you mean 'authors'?"]
        assert error.line == line

    def test_no_close_match_lists_the_keys(self):
        error = read_error("favourite_colour: blue\n")
        (problem,) = problems_of(error)
        assert problem.startswith("favourite_colour: unknown key; expected one of: title, url, ")

    def test_from_dict_names_the_path_without_line(self):
        with pytest.raises(ReadError) as info:
            Work.from_dict(
                {"parts": [{"assets": [{"kind": "image", "source": "a", "titel": "x"}]}]}
            )
        assert info.value.message == (
            "invalid work: parts[0].assets[0].titel: unknown key; did you mean 'title'?"
        )
        assert info.value.line is None
        assert str(info.value).endswith("(<dict>)")

    def test_odd_keys_are_quoted(self):
        with pytest.raises(ReadError, match=r"\['two words'\]: unknown key"):
            Work.from_dict({"two words": 1})
        with pytest.raises(ReadError, match="keys must be strings, got a number"):
            Work.from_dict({1: "x"})  # type: ignore[dict-item]


class TestAllProblemsAtOnce:
    """Every problem is reported in one ReadError, in line order, each with its line."""

    TEXT = """\
title: Cell Biology
autors: [Jane Doe]
year: "2020"
kind: adaption
based_on:
  - title: Concepts of Biology
    authors: Charles Molnar
    changes: [Cropped., {what: Relabelled., date: 31/05/2024}]
sections:
  - {id: "1", level: 0}
  - {title: No id}
assets:
  - kind: picture
    source: ""
    permissions: [{granted_by: Amira Haddad, scope: all, kind: decision}]
provenance: {source: "https://x.example", sha256: ABC}
title: Cell Biology, again
"""

    def test_every_problem_listed(self):
        error = read_error(self.TEXT)
        assert problems_of(error) == [
            "work.yaml:2: autors: unknown key; did you mean 'authors'?",
            "work.yaml:3: year: expected an integer, got a string '2020'",
            "work.yaml:4: kind: expected one of 'work', 'adaptation', 'collection', got 'adaption';"
            " did you mean 'adaptation'?",
            "work.yaml:7: based_on[0].authors: expected a list, got a string 'Charles Molnar'"
            " (write ['Charles Molnar'] for one)",
            "work.yaml:8: based_on[0].changes[1].date: expected an ISO 8601 date such as"
            " '2024-05-31', got '31/05/2024'",
            "work.yaml:10: sections[0].level: expected 1 to 64, got 0",
            "work.yaml:11: sections[1]: missing required key 'id'",
            "work.yaml:13: assets[0].kind: expected one of 'image', 'video', 'audio', 'embed',"
            " got 'picture'",
            "work.yaml:14: assets[0].source: must not be empty",
            "work.yaml:15: assets[0].permissions[0].license: a decision must name the licence"
            " decided",
            "work.yaml:16: provenance.sha256: expected 64 lower-case hexadecimal digits, got 'ABC'",
            "work.yaml:17: title: duplicate key (first at line 1)",
        ]
        assert error.message.startswith("invalid work, 12 problems:\n")
        assert error.source == "work.yaml"
        assert error.line is None

    def test_json_reports_all_without_lines(self):
        data = yaml.safe_load(self.TEXT.replace("31/05/2024", "'31/05/2024'"))
        with pytest.raises(ReadError) as info:
            Work.from_json(json.dumps(data), source="work.json")
        problems = problems_of(info.value)
        assert len(problems) == 11  # a JSON object cannot hold the duplicate title
        assert all(problem.startswith("work.json: ") for problem in problems)

    def test_is_an_oerremix_error_and_a_value_error(self):
        error = read_error("year: soon\n")
        assert isinstance(error, OerRemixError)
        assert isinstance(error, ValueError)


class TestWrongTypes:
    """A wrong type names the field and what was expected."""

    @pytest.mark.parametrize(
        ("yaml_text", "problem"),
        [
            (
                "authors: Jane Doe",
                "authors: expected a list, got a string 'Jane Doe' (write ['Jane Doe'] for one)",
            ),
            ("authors: [[Jane]]", "authors[0]: expected a mapping of keys to values, got a list"),
            ("authors: [{url: https://a.example}]", "authors[0]: missing required key 'name'"),
            ("authors: [{name: null}]", "authors[0].name: expected a string, got null"),
            ("year: 2020.5", "year: expected an integer, got a number (2020.5)"),
            ("year: 20244", "year: expected 1 to 9999, got 20244"),
            ("title: [a, b]", "title: expected a string, got a list"),
            ("title: {a: b}", "title: expected a string, got a mapping"),
            ("remove_credit: maybe", "remove_credit: expected true or false, got a string 'maybe'"),
            ("kind: null", "kind: expected a string, got null"),
            (
                "provenance: https://x.example",
                "provenance: expected a mapping of keys to values, got a string 'https://x.example'",
            ),
            ("provenance: {retrieved: 2024-01-01}", "provenance: missing required key 'source'"),
            ("based_on: {title: x}", "based_on: expected a list, got a mapping"),
            ("sections: [{id: '', title: x}]", "sections[0].id: must not be empty"),
            ("language: ''", "language: must not be empty; leave it out or write null"),
        ],
    )
    def test_problem(self, yaml_text, problem):
        assert problems_of(read_error(yaml_text)) == [problem]

    @pytest.mark.parametrize("data", [[], "title: x", None, 3])
    def test_top_level_must_be_a_mapping(self, data):
        with pytest.raises(ReadError, match="expected a mapping of keys to values"):
            Work.from_dict(data)


class TestYamlSafety:
    """Only the safe subset of YAML is read: no tags, no aliases, bounded nesting."""

    def test_alias_refused(self):
        with pytest.raises(UnsafeContentError, match="anchors and aliases") as info:
            Work.from_yaml("title: &t Cells\ncopyright: *t\n", source="w.yaml")
        assert info.value.line == 1

    def test_alias_bomb_refused_quickly(self):
        bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
            f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
            for i in range(9)
        )
        with pytest.raises(UnsafeContentError):
            Work.from_yaml(bomb)

    @pytest.mark.parametrize(
        "text",
        [
            "title: !!python/object/apply:os.system [echo hi]\n",
            "title: !!python/name:os.system\n",
            "title: !custom x\n",
            "title: !!binary aGVsbG8=\n",
            "authors: !!set {a, b}\n",
        ],
    )
    def test_tags_refused(self, text):
        with pytest.raises(ReadError, match="unsupported YAML tag"):
            Work.from_yaml(text)

    def test_merge_keys_refused(self):
        with pytest.raises(ReadError, match=r"merge keys \(<<\) are not allowed"):
            Work.from_yaml("<<: {title: x}\n")

    def test_deep_yaml_refused(self):
        with pytest.raises(UnsafeContentError, match="nested more than"):
            Work.from_yaml("title: " + "[" * 100_000)

    def test_deep_json_refused(self):
        with pytest.raises(ReadError):
            Work.from_json('{"title": ' + "[" * 100_000 + "]" * 100_000 + "}")

    def test_syntax_error_has_its_line(self):
        with pytest.raises(ReadError, match="not valid YAML") as info:
            Work.from_yaml("title: x\nauthors: [a, b\nyear: 2020\n", source="w.yaml")
        assert info.value.line is not None

    def test_one_document_only(self):
        with pytest.raises(ReadError, match="expected a single document"):
            Work.from_yaml("title: a\n---\ntitle: b\n")

    @pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
    def test_empty_document(self, text):
        with pytest.raises(ReadError, match="empty document"):
            Work.from_yaml(text)

    def test_non_scalar_keys_refused(self):
        with pytest.raises(ReadError, match="keys must be plain strings"):
            Work.from_yaml("? [a, b]\n: c\n")

    def test_huge_numbers_refused(self):
        with pytest.raises(ReadError, match="year"):
            Work.from_yaml("year: " + "9" * 5000)
        with pytest.raises(ReadError):
            Work.from_json('{"year": ' + "9" * 5000 + "}")

    def test_invalid_json(self):
        with pytest.raises(ReadError, match="not valid JSON") as info:
            Work.from_json('{\n  "title": "x",\n}', source="w.json")
        assert info.value.line == 3


class TestNesting:
    """Works nest through based_on and parts at most MAX_NESTING deep."""

    def test_limit_is_64(self):
        assert MAX_NESTING == 64

    def test_deepest_allowed_round_trips(self):
        work = chain(MAX_NESTING)
        assert Work.from_dict(work.to_dict()) == work
        assert Work.from_json(work.to_json()) == work
        assert Work.from_yaml(work.to_yaml()) == work
        assert max(depth for depth, _ in work.lineage()) == MAX_NESTING

    def test_one_deeper_refused_when_read(self):
        data = {"based_on": [chain(MAX_NESTING).to_dict()]}
        with pytest.raises(ReadError, match=f"works nested more than {MAX_NESTING} deep"):
            Work.from_dict(data)
        with pytest.raises(ReadError, match="nested more than"):
            Work.from_yaml(yaml.safe_dump(data))
        with pytest.raises(ReadError, match="nested more than"):
            Work.from_json(json.dumps(data))

    def test_one_deeper_refused_when_built(self):
        with pytest.raises(ValueError, match="nested more than 64 deep"):
            Work(parts=(chain(MAX_NESTING),))

    def test_a_cycle_in_plain_data_is_refused(self):
        data: dict[str, object] = {"title": "loop"}
        data["based_on"] = [data]
        with pytest.raises(ReadError, match="nested more than"):
            Work.from_dict(data)

    def test_shared_sources_are_cheap_to_check(self):
        work = Work(title="x")
        for _ in range(MAX_NESTING):
            work = Work(based_on=(work, work, work))  # 3**64 paths, 65 distinct works

    def test_lineage_order(self):
        a, b = Work(title="A"), Work(title="B", based_on=(Work(title="B1"),))
        work = Work(based_on=(b, a), parts=(Work(title="part", based_on=(a,)),))
        assert [(depth, w.title) for depth, w in work.lineage()] == [
            (1, "B"),
            (2, "B1"),
            (1, "A"),
        ]


class TestRoundTrip:
    """from_dict(to_dict(w)) == w for every Work, and the same through JSON and YAML."""

    @laws
    @given(works)
    def test_dict(self, work):
        assert Work.from_dict(work.to_dict()) == work

    @laws
    @given(works)
    def test_json(self, work):
        assert Work.from_json(work.to_json()) == work

    @laws
    @given(works)
    def test_yaml(self, work):
        assert Work.from_yaml(work.to_yaml()) == work

    @laws
    @given(
        st.one_of(an_author, a_change, a_permission, an_evidence, a_provenance, an_asset, a_section)
    )
    def test_parts(self, value):
        assert type(value).from_dict(value.to_dict()) == value

    @pytest.mark.parametrize(
        "title",
        [
            "3.10",
            "yes",
            "null",
            "~",
            "- a",
            "a: b",
            "#hash",
            "0\x85",  # NEL: PyYAML would turn it into a space unless double-quoted
            "a\u2028b",
            "\ufeffBOM",
            "tab\there",
            "line\nbreak",
            " leading space",
            "'quoted'",
            "日本語の教科書",
        ],
    )
    def test_awkward_strings(self, title):
        work = Work(title=title, authors=(Author(title),))
        assert Work.from_yaml(work.to_yaml()) == work
        assert Work.from_json(work.to_json()) == work


class TestFromFile:
    """from_file picks the format by suffix and reports the file name."""

    @pytest.mark.parametrize("suffix", [".yaml", ".yml", ".YAML"])
    def test_yaml(self, tmp_path, book, suffix):
        path = tmp_path / f"work{suffix}"
        path.write_text(book.to_yaml(), encoding="utf-8")
        assert Work.from_file(path) == book
        assert Work.from_file(str(path)) == book

    def test_json(self, tmp_path, book):
        path = tmp_path / "work.json"
        path.write_text(book.to_json(), encoding="utf-8")
        assert Work.from_file(path) == book

    def test_problems_name_the_file(self, tmp_path):
        path = tmp_path / "work.yaml"
        path.write_text("title: x\nautors: []\n", encoding="utf-8")
        with pytest.raises(ReadError) as info:
            Work.from_file(path)
        assert info.value.source == str(path)
        assert str(info.value).endswith(f"({path}:2)")

    def test_unsupported_suffix(self, tmp_path):
        path = tmp_path / "work.toml"
        path.write_text("title = 'x'\n", encoding="utf-8")
        with pytest.raises(ReadError, match=r"unsupported file type '\.toml'"):
            Work.from_file(path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(ReadError, match="cannot read"):
            Work.from_file(tmp_path / "absent.yaml")

    def test_not_utf8(self, tmp_path):
        path = tmp_path / "work.yaml"
        path.write_bytes("title: Écologie\n".encode("latin-1"))
        with pytest.raises(ReadError, match="not UTF-8"):
            Work.from_file(path)


class TestHouseStyle:
    """The model follows the house style: frozen slotted dataclasses, a documented schema."""

    CLASSES = (Author, Change, Permission, Evidence, Provenance, Asset, Section, Work)

    @pytest.mark.parametrize("cls", CLASSES)
    def test_frozen_slotted_dataclass(self, cls):
        params = cls.__dataclass_params__
        assert params.frozen
        assert "__slots__" in cls.__dict__

    @pytest.mark.parametrize("cls", CLASSES)
    def test_serialised_keys_are_the_field_names(self, cls):
        # every field is serialised, except the content a reader attaches (never serialised)
        fields = [f.name for f in dataclasses.fields(cls) if f.name != "content"]
        assert list(model._SCHEMAS[cls]) == fields

    def test_every_public_name_has_a_docstring(self):
        for name in model.__all__:
            if not isinstance(getattr(model, name), type):
                continue  # constants and type aliases: checked below
            assert inspect.getdoc(getattr(model, name)), name
        for cls in self.CLASSES:
            for method in ("to_dict", "from_dict", "replace"):
                assert inspect.getdoc(getattr(cls, method)), (cls, method)

    def test_every_field_and_alias_has_a_docstring(self):
        tree = ast.parse(Path(model.__file__).read_text(encoding="utf-8"))
        documented: set[str] = set()
        for body, prefix in [(tree.body, "")] + [
            (node.body, node.name + ".") for node in tree.body if isinstance(node, ast.ClassDef)
        ]:
            for statement, following in itertools.pairwise(body):
                target: ast.expr | None = None
                if isinstance(statement, ast.AnnAssign):
                    target = statement.target
                elif isinstance(statement, ast.Assign):
                    target = statement.targets[0]
                if (
                    isinstance(target, ast.Name)
                    and isinstance(following, ast.Expr)
                    and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)
                ):
                    documented.add(prefix + target.id)
        expected = {
            f"{cls.__name__}.{field.name}"
            for cls in self.CLASSES
            for field in dataclasses.fields(cls)
        }
        expected |= {name for name in model.__all__ if not isinstance(getattr(model, name), type)}
        assert expected - documented == set()

    def test_all_is_sorted(self):
        assert model.__all__ == sorted(model.__all__, key=lambda n: (not n.isupper(), n))
