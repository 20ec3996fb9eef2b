"""Document → Document functions: select content and localise it, recording every change.

Each function takes an HTML fragment and returns the new fragment with the :class:`Change`
records that attribution will state ("Replaced 'NEC' with 'Canadian Electrical Code'").

>>> from oerremix.recipe import GlossaryEntry, Localise
>>> rules = Localise(glossary=(GlossaryEntry("NEC", "Canadian Electrical Code", "jurisdiction"),),
...                  spelling="en-CA")
>>> html, changes = localise('<p>NEC color code: <code>NEC.color</code></p>', rules)
>>> html
'<p>Canadian Electrical Code colour code: <code>NEC.color</code></p>'
>>> for change in changes:
...     print(change.what)
Replaced jurisdiction references to 'NEC' with 'Canadian Electrical Code' (1 time).
Changed spelling to Canadian English (1 word).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from importlib.resources import files

import yaml
from lxml import etree, html

from oerremix._markup import fragment_html, parse_fragment
from oerremix.model import Change
from oerremix.recipe import Localise

__all__ = ["localise", "select_fragment", "spelling_variants"]

# text inside these is code, notation or a machine value: never rewritten
_PROTECTED = {"code", "pre", "kbd", "samp", "var", "script", "style", "math", "tt"}
_URLISH = re.compile(r"(?:https?://|www\.)\S+")


@functools.cache
def spelling_variants(variant: str) -> tuple[str, dict[str, str]]:
    """(name, US → variant word map) for ``en-CA`` or ``en-GB``."""
    data = yaml.safe_load(
        (files("oerremix") / "localisation" / f"{variant}.yaml").read_text(encoding="utf-8")
    )
    return str(data["name"]), {str(k): str(v) for k, v in data["words"].items()}


def _case_like(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _replacer(terms: dict[str, str], counter: Counter[str]) -> Callable[[str], str]:
    """Whole-word, case-preserving replacement of ``terms`` (keys matched case-insensitively
    unless they are acronyms), counting each term replaced and skipping URLs in the text."""
    if not terms:
        return lambda text: text
    ordered = sorted(terms, key=len, reverse=True)

    def word(term: str) -> str:
        exact = rf"(?<![\w-]){re.escape(term)}(?![\w-])"
        return exact if term.isupper() else f"(?i:{exact})"

    pattern = re.compile("|".join(word(t) for t in ordered))
    lookup = {t.casefold(): t for t in ordered}

    def one(match: re.Match[str]) -> str:
        found = match.group(0)
        term = lookup[found.casefold()]
        counter[term] += 1
        return terms[term] if term.isupper() else _case_like(found, terms[term])

    def run(text: str) -> str:
        pieces, last = [], 0
        for url in _URLISH.finditer(text):
            pieces.append(pattern.sub(one, text[last : url.start()]))
            pieces.append(url.group(0))
            last = url.end()
        pieces.append(pattern.sub(one, text[last:]))
        return "".join(pieces)

    return run


def _rewrite_text(root: etree._Element, rewrite: Callable[[str], str]) -> None:
    """Apply ``rewrite`` to every text node outside protected elements (never to attributes)."""

    def is_protected(el: etree._Element) -> bool:
        return isinstance(el.tag, str) and el.tag.lower().split(":")[-1] in _PROTECTED

    stack = [(root, any(is_protected(a) for a in root.iterancestors()))]
    if root.tail and not stack[0][1]:
        root.tail = rewrite(root.tail)
    while stack:  # a stack, not recursion: pages can nest deeper than Python recurses
        el, protected = stack.pop()
        protected = protected or is_protected(el)
        if el.text and isinstance(el.tag, str) and not protected:
            el.text = rewrite(el.text)
        for child in el:
            if child.tail and not protected:
                child.tail = rewrite(child.tail)
            stack.append((child, protected))


def localise(html_text: str, rules: Localise) -> tuple[str, tuple[Change, ...]]:
    """Apply a recipe's localisation rules to an HTML fragment; return it with the changes made.

    Glossary terms and spelling are replaced as whole words with their case preserved, never
    inside code, URLs or attributes. A units note, when the recipe has one, is returned as a
    change (it is stated in the credits) — the text is not converted automatically.
    """
    if not html_text.strip() or not (rules.glossary or rules.spelling):
        return html_text, (Change(rules.units),) if rules.units and html_text.strip() else ()
    container = parse_fragment(html_text)
    changes: list[Change] = []
    for kind in ("jurisdiction", "term"):
        entries = {g.term: g.replacement for g in rules.glossary if g.kind == kind}
        if not entries:
            continue
        counter: Counter[str] = Counter()
        _rewrite_text(container, _replacer(entries, counter))
        for term, count in sorted(counter.items()):
            what = "jurisdiction references to" if kind == "jurisdiction" else "the term"
            times = "time" if count == 1 else "times"
            changes.append(
                Change(f"Replaced {what} '{term}' with '{entries[term]}' ({count} {times}).")
            )
    if rules.spelling:
        name, words = spelling_variants(rules.spelling)
        counter = Counter()
        _rewrite_text(container, _replacer(words, counter))
        total = sum(counter.values())
        if total:
            plural = "word" if total == 1 else "words"
            changes.append(Change(f"Changed spelling to {name} ({total} {plural})."))
    if rules.units:
        changes.append(Change(rules.units))
    return fragment_html(container), tuple(changes)


def select_fragment(html_text: str, selector: str) -> str:
    """The parts of an HTML fragment matched by ``css:SELECTOR`` or ``xpath:EXPRESSION``.

    >>> select_fragment('<p>a</p><figure id="f1"><img alt="x"></figure>', "css:figure")
    '<figure id="f1"><img alt="x"></figure>'
    """
    kind, _, expression = selector.partition(":")
    container = parse_fragment(html_text)
    if kind == "css":
        from cssselect import GenericTranslator, SelectorError

        try:
            expression = GenericTranslator().css_to_xpath(expression, prefix="descendant::")
        except SelectorError as exc:
            raise ValueError(f"invalid CSS selector {selector!r}: {exc}") from None
    elif kind != "xpath":
        raise ValueError(f"a selector starts with css: or xpath:, not {selector!r}")
    try:
        found = container.xpath(expression)
    except etree.XPathError as exc:
        raise ValueError(f"invalid XPath {selector!r}: {exc}") from None
    if not isinstance(found, list):
        raise ValueError(f"{selector!r} does not select elements")
    return "".join(
        html.tostring(el, encoding="unicode", with_tail=False)
        for el in found
        if isinstance(el, etree._Element)
    )
