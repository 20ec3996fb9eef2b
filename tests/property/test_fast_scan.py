"""The fast licence-text scan (oerremix._fastre) finds exactly what the plain regex scan finds.

Every anchored pattern detection uses is compared with its own plain ``finditer`` on long random
texts built from licence names, aliases, near-misses and the characters case-insensitive
matching treats specially; and the list of those characters is checked against the regex
engine for every letter the patterns contain.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from oerremix._fastre import FOLD_EXCEPTIONS, SHORT, Anchored, Lowered
from oerremix.catalog import load_catalog
from oerremix.readers import _licensing as licensing

detect_module = importlib.import_module("oerremix.detect")
SCALE = max(1, int(os.environ.get("OERREMIX_FUZZ_EXAMPLES", "25")) // 25)
"""OERREMIX_FUZZ_EXAMPLES=2500 runs a hundred times more examples (as the fuzz tests do)."""


def _anchored() -> list[tuple[str, Anchored]]:
    mt = detect_module._matcher(load_catalog())
    found = [
        ("cc short names", detect_module._FAST_CC_SHORT),
        ("generic", detect_module._FAST_GENERIC),
        ("except where noted", licensing._FAST_EXCEPT_NOTED),
        ("any URL", detect_module._FAST_ANY_URL),
    ]
    if mt.stems is not None:
        found.append(("stems", mt.stems))
    if mt.aliases is not None:
        found.append(("aliases", mt.aliases))
    found += [(f"pattern of {lic_id}", pattern) for pattern, lic_id in mt.patterns]
    return found


ANCHORED = _anchored()


@pytest.fixture(autouse=True, scope="module")
def _finders_at_once() -> Iterator[None]:
    """Patterns scan plainly until they have read WARM_UP characters; here they use their
    finders from the first text, so that it is the fast scan that is compared."""
    from oerremix import _fastre

    saved, _fastre.WARM_UP = _fastre.WARM_UP, 0
    yield
    _fastre.WARM_UP = saved


def _pieces() -> list[str]:
    catalog = load_catalog()
    names = {name for lic in catalog for _lang, name in lic.names + lic.variant_names}
    aliases = {alias for lic in catalog for alias in lic.aliases}
    return sorted(names | aliases)


EDGES = [
        "CC BY-SA 4.0", "cc-by-nc 3.0 de", "CC0", "C C0", "_CC BY", "xCC BY", "accept",
        "Attribution", "attribution 4.0", "NonCommercial", "no derivs", "public domain",
        "GNU Free Documentation License, Version 1.3 or any later", "Design Science License",
        "under a Creative Commons licence", "some rights reserved", "Licence Art Libre 1.3",
        "Open Government Licence - Canada", "pas d'utilisation", "sin obra derivada",
        ".CC BY", "-gfdl 1.3", "x.gpl", "CC-BY", "ccby", "Ccc BY 2.0",
        "except where otherwise noted", "sauf mention contraire", "unless\nindicated otherwise",
        "xexcept as otherwise stated", "wenn nicht anders angegeben",
        "https://creativecommons.org/licenses/by/4.0/", "HTTP://CreativeCommons.ORG/publicdomain/zero/1.0",
        "//i.creativecommons.org/l/by-sa/3.0/88x31.png", "licensebuttons.net/l/by/4.0/80x15.png",
        "creativecommons.org/", "http://www.gnu.org/licenses/fdl-1.3.html", "hTtPs://x.org",
]  # fmt: skip


PIECES = _pieces()
TRICKY = ["İ", "ı", "ſ", "\u212a", "\u212b", "K", "Å", "ß", "é", "É", "’", "-", "_", "\n", " "]
text_parts = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.sampled_from(EDGES),
        st.sampled_from(TRICKY),
        st.text(alphabet="aceinorsuxCNSAB0123456789.-_ ", max_size=12),
    ),
    max_size=60,
)


@settings(max_examples=200 * SCALE, deadline=None)
@example(parts=["_CC BY 4.0", "x.gpl", "Ccc BY 2.0", "-gfdl 1.3"], filler="")
@example(parts=["ſome rights reserved", "\u212aeine", "İ"], filler="x")
@example(parts=["xAttribution 4.0", "Namensnennung 3.0 DE", "CC0"], filler="é")
@given(parts=text_parts, filler=st.sampled_from(["", " ", "x", "é"]))
def test_anchored_scans_find_what_the_plain_scans_find(parts: list[str], filler: str) -> None:
    body = " ".join(parts)
    text = body + (filler or " ") * max(0, SHORT - len(body)) + " " + body
    assert len(text) >= SHORT
    for name, anchored in ANCHORED:
        fast = [(m.span(), m.groups()) for m in anchored.finditer(Lowered(text))]
        plain = [(m.span(), m.groups()) for m in anchored.pattern.finditer(text)]
        assert fast == plain, name
    for pattern, core in (
        (detect_module._CC_URL, detect_module._CC_URL_CORE),
        (detect_module._BADGE, detect_module._BADGE_CORE),
    ):
        fast = [m.span() for m in detect_module._finditer(pattern, core, Lowered(text))]
        assert fast == [m.span() for m in pattern.finditer(text)], pattern.pattern


def test_real_pages_scan_the_same() -> None:
    """The repository's real pages, padded past the threshold, scan the same both ways."""
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "data"
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(data.rglob("*"))
        if p.suffix in (".html", ".xhtml", ".md", ".cnxml", ".txt") and p.stat().st_size < 2_000_000
    ]
    assert len(texts) > 10
    for page in texts:
        text = page * (1 + SHORT // max(1, len(page)))
        for name, anchored in ANCHORED:
            fast = [m.span() for m in anchored.finditer(text)]
            assert fast == [m.span() for m in anchored.pattern.finditer(text)], name


def _letters() -> set[str]:
    letters: set[str] = set()
    for _name, anchored in ANCHORED:
        letters |= {c for c in re.sub(r"\\.", "", anchored.pattern.pattern) if c.isalpha()}
    return letters


@pytest.mark.parametrize("letter", sorted(_letters()))
def test_fold_exceptions_cover_every_letter_of_the_patterns(letter: str) -> None:
    """Every character the engine matches with a pattern letter but whose lowercase differs
    is one of FOLD_EXCEPTIONS (or changes length when lowercased), so texts holding one are
    scanned plainly."""
    letter_re = re.compile(re.escape(letter), re.IGNORECASE)
    for code in range(0x10000):
        char = chr(code)
        if letter_re.fullmatch(char) and char.lower() != letter.lower():
            assert char in FOLD_EXCEPTIONS or len(char.lower()) != 1, (letter, hex(code))


@settings(max_examples=100 * SCALE, deadline=None)
@given(parts=text_parts)
def test_copyright_lines_are_found_as_line_by_line(parts: list[str]) -> None:
    """find_copyright looks only at lines holding a copyright mark in long texts: the same
    answer as reading every line."""
    from oerremix.readers import html

    marks = ["© 2020 Jane Doe", "Copyright (C) 1999-2004 Tony R. Kuphaldt", "(c) 2021 A. B.",
             "&copy; 2019 Rice University", "Copyright law", "\r\n", "\u2028", "\x0c"]  # fmt: skip
    body = "\n".join(parts + marks[: len(parts) % len(marks)])
    text = "x\n" * SHORT + body
    slow = next(
        (value for line in text.splitlines() if (value := html.find_copyright(line)) is not None),
        None,
    )
    assert html.find_copyright(text) == slow


LINEAGE_WORDS = [
    "Adapted", "from", "based", "upon", "BASÉE", "sur", "d’après", "Remix", "of", "derivative",
    "basiert", "auf", "ſ", "İ", "\u212a", "bearbeitet", "nach", "the",
]  # fmt: skip


@settings(max_examples=200 * SCALE, deadline=None)
@given(words=st.lists(st.sampled_from(LINEAGE_WORDS), max_size=12))
def test_lineage_prefilter_never_hides_a_phrase(words: list[str]) -> None:
    """A block the quick test rules out has no lineage wording at all."""
    from oerremix._markup import parse_html
    from oerremix.readers import _lineage

    text = " ".join(words)
    block = parse_html(f"<p>{text}</p>").find(".//p")
    assert block is not None
    if not _lineage._may_hold_lineage(block):
        assert _lineage._LINEAGE.search(text) is None


def test_the_finders_look_behind_alike_in_both_cases() -> None:
    """A finder's look-behind runs on the lowercase copy; the patterns' own run on the text.
    Every character (outside FOLD_EXCEPTIONS) is a word character, or a letter or digit,
    exactly when its lowercase is."""
    classes = [re.compile(r"\w"), re.compile(r"[A-Za-z0-9]", re.IGNORECASE)]
    differ = [
        hex(code)
        for code in range(0x110000)
        if len(chr(code).lower()) == 1
        and chr(code) not in FOLD_EXCEPTIONS
        and any(bool(c.match(chr(code))) != bool(c.match(chr(code).lower())) for c in classes)
    ]
    assert differ == []


def _finders() -> list[re.Pattern[str]]:
    from oerremix import _fastre

    found: list[re.Pattern[str]] = []
    for _name, anchored in ANCHORED:
        found += [_fastre.finder(*args) for args in anchored._finder_sources or []]
    return list(dict.fromkeys(found))


FINDERS = _finders()


def test_most_finders_are_searched_as_words() -> None:
    """The finders of the long licence names are searched for with ``str.find``."""
    from oerremix import _fastre

    assert sum(f in _fastre._WORDS for f in FINDERS) >= len(FINDERS) // 2


@settings(max_examples=200 * SCALE, deadline=None)
@given(parts=text_parts)
def test_finders_searched_as_words_find_every_place(parts: list[str]) -> None:
    """A finder's places found through its words are exactly the places it matches."""
    lowered = Lowered(" ".join(parts))
    low = lowered.low or ""  # None: the text is scanned plainly, never through its finders
    for finder in FINDERS:
        assert lowered.starts(finder) == [m.start() for m in finder.finditer(low)], finder


def _words() -> list[str]:
    from oerremix import _fastre

    return sorted({word for finder in FINDERS for word in _fastre._WORDS.get(finder, ())})


WORDS = _words()
NON_ASCII = ["é", "É", "ü", "ß", "’", "\u0301", "中文", "😀", "𝔄", "\U0001f1eb\U0001f1f7"]


@settings(max_examples=200 * SCALE, deadline=None)
@example(parts=["😀", "attribution", "中文", "PATERNITÉ", "é", "sampling/"])
@example(parts=["𝔄", "gplv3+", "gplv3+", "ü", "licencelicence"])
@given(
    parts=st.lists(
        st.one_of(
            st.sampled_from(WORDS),
            st.sampled_from(WORDS).map(str.upper),
            st.sampled_from(NON_ASCII),
            st.text(alphabet="aceilnrstu/+é😀中", max_size=6),
        ),
        max_size=40,
    )
)
def test_words_are_found_at_their_character_places(parts: list[str]) -> None:
    """The words are searched for all at once in the lowercase copy: every occurrence of each,
    overlapping ones included, at its place counted in characters (as ``str`` indexes count)
    whatever characters come before it — two-, three- and four-byte ones in UTF-8."""
    from oerremix import _fastre

    lowered = Lowered("".join(parts))
    low = lowered.low
    assert low is not None
    for word in WORDS:
        every = [i for i in range(len(low)) if low[i : i + len(word)] == word]
        assert lowered._word_places(word) == every, word
    for finder in FINDERS:
        words = _fastre._WORDS.get(finder)
        if words is not None:
            places = [i for i in range(len(low)) if any(low.startswith(w, i) for w in words)]
            assert lowered.starts(finder) == [i for i in places if finder.match(low, i)]


def test_a_word_known_after_a_text_was_searched_is_found_there_too() -> None:
    """Finders are compiled lazily: a text searched before a finder brought its words still
    finds them (overlapping places included)."""
    from oerremix import _fastre

    text = "Zozozo, attribution: ZOZO é 😀zozo. " * 150
    lowered = Lowered(text)
    worded = next(f for f in FINDERS if f in _fastre._WORDS)
    lowered.starts(worded)  # the text's one pass, over the words known so far
    late = _fastre.finder("z", "ozo")
    assert _fastre._WORDS[late] == ("zozo",)
    expected = [i for i in range(len(text)) if text[i : i + 4].lower() == "zozo"]
    assert expected[:4] == [0, 2, 21, 29]
    assert lowered.starts(late) == expected
    assert Lowered(text).starts(late) == expected  # a new text's pass has the word
    assert "zozo" in _fastre._automaton()[0]


def test_a_text_with_a_lone_surrogate_is_searched_too() -> None:
    """JSON's "\\ud800" decodes to a lone surrogate, which UTF-8 cannot carry (the one-pass
    search works on UTF-8): such a text is searched word by word, to the same places."""
    from oerremix import _fastre

    text = "\ud800 attribution, share-alike; Attribution " * 200
    lowered = Lowered(text)
    assert lowered._word_places("attribution") == [
        i for i in range(len(text)) if text[i : i + 11].lower() == "attribution"
    ]
    worded = next(f for f in FINDERS if "attribution" in _fastre._WORDS.get(f, ()))
    assert lowered.starts(worded)


def test_a_text_scanned_twice_is_lowered_once() -> None:
    """A page's text is scanned for licences, then for "except where otherwise noted": the
    same string gets the same lowercase copy (and its one search); an equal copy does not."""
    text = "Licensed under CC BY 4.0, except where otherwise noted. " * 100
    first = Lowered.of(text)
    assert Lowered.of(text) is first
    copy = (text + "x")[:-1]  # equal, another string
    assert copy == text and copy is not text
    second = Lowered.of(copy)
    assert second is not first and second.low == first.low
