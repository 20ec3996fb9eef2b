"""Case-insensitive scans of long texts, made fast and kept exact.

Python's regex engine tries a case-insensitive pattern that starts with an alternation or a
look-behind at every position of a text: over the whole running text of a book that is most of
the time a licence scan takes. When every match of a pattern starts with one of a few words
(its *anchors*), the same matches are found by looking for the anchors first, in a lowercase
copy of the text with case-sensitive patterns that start with a literal (which the engine finds
as fast as ``str.find``), and trying the pattern itself only there.

Most of those patterns go further: each of their matches starts with one of a few literal
words (``attribution``, ``paternité``). Such a pattern is tried only where one of its words
starts, and the words of all of them are found together, in one Aho–Corasick pass over the
lowercase copy (``ahocorasick_rs``, a binding of the Rust ``aho-corasick`` crate) rather than
one ``str.find`` pass per word.

That is exact when lowercasing keeps every character at its place and case-insensitive matching
means "the same in lowercase" for every character of the text. The few characters for which it
does not (``İ``, whose lowercase is two characters; ``ı``, ``ſ``, the Kelvin and Ångström signs,
which the engine matches with ``i``, ``s``, ``k`` and ``å``) send the text through the plain scan.

>>> colour = re.compile(r"(?<!\\w)(?:colou?r|hue)\\b", re.I)
>>> words = Anchored(colour, ["colo", "hue"], before=r"\\w")
>>> [m.group(0) for m in words.finditer("Colour, HUE and discoloured " * 500)][:3]
['Colour', 'HUE', 'Colour']
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator

from ahocorasick_rs import AhoCorasick, MatchKind

__all__ = [
    "FOLD_EXCEPTIONS",
    "SHORT",
    "Anchored",
    "Lowered",
    "finder",
    "leading_words",
    "literal_prefixes",
]

FOLD_EXCEPTIONS = "\u0130\u0131\u017f\u212a\u212b"  # İ ı ſ, the Kelvin and Ångström signs
"""Characters whose case-insensitive matches are not those of their lowercase (tested against
the engine for every letter the catalogue's names use)."""

SHORT = 4096
"""Texts shorter than this are scanned plainly: finding anchors first would not pay."""

WARM_UP = 256 * 1024
"""Characters a pattern scans plainly before compiling its finders (a one-page ``detect`` in a
short-lived process would spend longer compiling them than scanning)."""


class Lowered:
    """A text and, when it can stand in for the text, its lowercase copy (else None)."""

    __slots__ = ("_places", "_starts", "low", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: dict[re.Pattern[str], list[int]] = {}
        self._places: dict[str, list[int]] | None = None
        low = text.lower()
        exact = len(low) == len(text) and (
            text.isascii() or not any(c in text for c in FOLD_EXCEPTIONS)
        )
        self.low: str | None = low if exact else None

    @classmethod
    def of(cls, text: str) -> Lowered:
        """``Lowered(text)``, or the one made last for this very string (a page's text is
        scanned for licences, then for "except where otherwise noted": one lowercase copy and
        one pass for both)."""
        last = _LAST[0] if _LAST else None  # one read: another thread may replace it
        if last is not None and last.text is text:
            return last
        lowered = cls(text)
        if len(text) <= _KEEP_LAST:
            _LAST[:] = [lowered]
        return lowered

    def starts(self, finder: re.Pattern[str]) -> list[int]:
        """Where ``finder`` matches in the lowercase copy (found once per text and finder).

        A finder whose matches start with known words (:data:`_WORDS`) is tried only where one
        of them starts: the first such finder of a text finds every word of every finder in
        one pass over it, and the others reuse the places."""
        found = self._starts.get(finder)
        if found is None:
            low = self.low or ""
            words = _WORDS.get(finder)
            if words is None:
                found = [m.start() for m in finder.finditer(low)]
            else:
                places = sorted({at for word in words for at in self._word_places(word)})
                found = [at for at in places if finder.match(low, at)]
            self._starts[finder] = found
        return found

    def _word_places(self, word: str) -> list[int]:
        """Every place ``word`` starts in the lowercase copy, overlapping ones included."""
        low = self.low or ""
        if self._places is None:
            words, automaton = _automaton()
            self._places = {w: [] for w in words}
            try:
                found = automaton.find_matches_as_indexes(low, overlapping=True)
            except UnicodeEncodeError:  # a lone surrogate (from JSON's "\ud800"): no UTF-8
                self._places, found = {}, []
            for index, at, _end in found:
                self._places[words[index]].append(at)
        places = self._places.get(word)
        if places is None:  # a finder compiled after this text was searched, or no UTF-8
            places = self._places[word] = _find_all(low, word)
        return places


_LAST: list[Lowered] = []
"""The text :meth:`Lowered.of` made last, kept while it is at most :data:`_KEEP_LAST` long."""
_KEEP_LAST = 2**20


def _find_all(text: str, word: str) -> list[int]:
    places: list[int] = []
    at = text.find(word)
    while at >= 0:
        places.append(at)
        at = text.find(word, at + 1)
    return places


class Anchored:
    """A case-insensitive pattern every match of which starts with one of ``anchors``.

    ``pattern`` is a compiled pattern or the source of one (compiled case-insensitively).
    ``before``, if given, is a character class that never precedes a match (the pattern's own
    look-behind, or one it implies): anchors right after such a character are not tried.
    Nothing is compiled before the first scan: a process that never scans text (a CLI call
    looking a licence up, a reader finding licence URLs) does not pay for it.
    """

    __slots__ = ("_compiled", "_finder_sources", "_finders", "_scanned", "_source")

    def __init__(
        self, pattern: re.Pattern[str] | str, anchors: Iterable[str] | None, *, before: str = ""
    ) -> None:
        self._source = pattern
        self._compiled: re.Pattern[str] | None = None
        words = sorted({a.lower() for a in anchors}) if anchors is not None else []
        self._finder_sources: list[tuple[str, str, str]] | None = None
        if words and all(words):
            self._finder_sources = [(re.escape(w[0]), re.escape(w[1:]), before) for w in words]
        self._finders: list[re.Pattern[str]] | None = None
        self._scanned = 0

    @classmethod
    def found_by(cls, pattern: str, finders: list[tuple[str, str, str]]) -> Anchored:
        """``pattern`` with its own anchor finders, given as :func:`finder`'s arguments: they
        match, in the lowercase copy of a text, at least wherever ``pattern`` matches."""
        anchored = cls(pattern, None)
        anchored._finder_sources = finders
        return anchored

    @property
    def pattern(self) -> re.Pattern[str]:
        """The pattern, compiled."""
        if self._compiled is None:
            source = self._source
            self._compiled = source if isinstance(source, re.Pattern) else re.compile(source, re.I)
        return self._compiled

    def _anchor_finders(self, size: int) -> list[re.Pattern[str]] | None:
        if self._finders is None and self._finder_sources is not None:
            if self._scanned < WARM_UP:  # not worth compiling yet
                self._scanned += size
                return None
            self._finders = [finder(*args) for args in self._finder_sources]
        return self._finders

    def finditer(self, text: str | Lowered) -> Iterator[re.Match[str]]:
        """The matches of ``pattern.finditer(text)``, the same and in the same order."""
        lowered = text if isinstance(text, Lowered) else None
        plain = text.text if isinstance(text, Lowered) else text
        finders = self._anchor_finders(len(plain)) if len(plain) >= SHORT else None
        if finders is None:
            yield from self.pattern.finditer(plain)
            return
        if lowered is None:
            lowered = Lowered.of(plain)
        low = lowered.low
        if low is None:
            yield from self.pattern.finditer(plain)
            return
        starts = sorted({start for found in finders for start in lowered.starts(found)})
        end = 0
        for start in starts:
            if start < end:
                continue
            m = self.pattern.match(plain, start)
            if m is not None:
                yield m
                end = max(m.end(), start + 1)

    def search(self, text: str | Lowered) -> re.Match[str] | None:
        """The first match, as ``pattern.search(text)``."""
        return next(self.finditer(text), None)


@functools.lru_cache(maxsize=512)
def finder(first: str, rest: str, before: str = "") -> re.Pattern[str]:
    """A case-sensitive pattern matching ``first`` (one character) wherever ``rest`` follows
    and ``before`` does not precede it. It consumes only that character, so a scan reports
    every place, overlapping ones included; and it starts with a literal, which the engine
    finds as fast as ``str.find`` does."""
    behind = f"(?<!{before}{first})" if before else ""
    compiled = re.compile(f"{first}{behind}(?={rest})")
    prefixes = literal_prefixes(rest)
    if prefixes is not None:
        words = {first.removeprefix("\\") + prefix for prefix in prefixes}
        if min(map(len, words)) >= 3:
            _WORDS[compiled] = tuple(sorted(words))
            _automaton.cache_clear()
    return compiled


_WORDS: dict[re.Pattern[str], tuple[str, ...]] = {}
"""A finder -> words one of which starts every match of it (a necessary condition that a
search for all the words at once tests many times faster than the engine tests each finder at
each first letter)."""


@functools.cache
def _automaton() -> tuple[tuple[str, ...], AhoCorasick]:
    """Every word of :data:`_WORDS` and an automaton finding them all in one pass, its matches
    numbered as the words are (built again when a finder adds words)."""
    words = tuple(sorted({word for found in _WORDS.values() for word in found}))
    return words, AhoCorasick(words, MatchKind.Standard)  # the kind that reports overlaps


_META = frozenset(".^$*+?{}[]|()\\")


def literal_prefixes(source: str) -> list[str] | None:
    """Literal strings one of which starts every match of the regex ``source`` (the literal
    beginning of each of its alternatives), or None when some alternative has none.

    >>> literal_prefixes(r"(?:ttribution[\\s_-]*share|reative\\ commons)(?![\\w])")
    ['ttribution', 'reative commons']
    >>> literal_prefixes(r"icences?"), literal_prefixes(r"(?:c|d)?x"), literal_prefixes(r"[s]*c0")
    (['icence'], None, None)
    """
    return _each_start(source, _literal)


def _literal(alternative: str) -> str | None:
    literal, i = [], 0
    while i < len(alternative):
        char = alternative[i]
        if char == "\\" and i + 1 < len(alternative) and not alternative[i + 1].isalnum():
            literal.append(alternative[i + 1])
            i += 2
            continue
        if char in _META:
            if char in "?*{" and literal:
                literal.pop()  # the character before is optional
            break
        literal.append(char)
        i += 1
    return "".join(literal) or None


def _each_start(source: str, start: Callable[[str], str | None]) -> list[str] | None:
    """``start(alternative)`` for each top-level alternative of the regex ``source``, looking
    into a non-capturing group around an alternative's start; None when one has none."""
    found: list[str] = []
    for alternative in _alternatives(source):
        if alternative.startswith("(?:"):
            end = next((i for i, c, d in _scan(alternative) if c == ")" and d == 1), None)
            if end is None or alternative[end + 1 : end + 2] in ("?", "*", "{"):
                return None
            inner = _each_start(alternative[3:end], start)
            if inner is None:
                return None
            found.extend(inner)
            continue
        first = start(alternative)
        if first is None:
            return None
        found.append(first)
    return found


def _scan(source: str) -> Iterator[tuple[int, str, int]]:
    """``(index, character, group depth)`` of the regex ``source``'s characters outside
    escapes and character classes (the depth is taken before the character)."""
    depth, i, in_class = 0, 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            yield i, char, depth
            depth += {"(": 1, ")": -1}.get(char, 0)
        i += 1


def _alternatives(source: str) -> list[str]:
    """``source`` split at its top-level ``|``."""
    cuts = [i for i, char, depth in _scan(source) if char == "|" and depth == 0]
    bounds = [-1, *cuts, len(source)]
    return [source[a + 1 : b] for a, b in itertools.pairwise(bounds)]


def leading_words(source: str) -> list[str] | None:
    """The literal letters every match of the regex ``source`` starts with, one per top-level
    alternative (a non-capturing group around the whole start is looked into), or None when
    some alternative does not start with a letter.

    >>> leading_words(r"Design\\s+Science\\s+Licen[cs]e")
    ['Design']
    >>> leading_words(r"(?:Free\\s+Art|Licence\\s+Art\\s+Libre)\\s*1\\.3")
    ['Free', 'Licence']
    >>> leading_words(r"colou?r|(\\w+)") is None
    True
    """
    return _each_start(source, _leading_word)


def _leading_word(alternative: str) -> str | None:
    m = re.match(r"[A-Za-zÀ-ÿ]+", alternative)
    if m is None:
        return None
    word = m.group(0)
    if alternative[m.end() : m.end() + 1] in ("?", "*", "{"):
        word = word[:-1]  # the last letter is optional
    return word or None
