"""schema.org, JSON-LD and AMB metadata values: names, texts, licences and source works.

:func:`json_ld` and :func:`main_node` find a page's own JSON-LD object; :func:`names`,
:func:`text_value` and :func:`based_on_values` read its values (a string, an object or a list
of them), and :func:`split_names` splits a text that lists several names (also a
``<meta name="author">`` or front matter's ``author``). :func:`prune_json` leaves out what
describes other works, whose licences are not the page's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from lxml.html import HtmlElement

from oerremix._changes_jsonld import CHANGES, changes_from_jsonld
from oerremix._json_input import load_json
from oerremix.catalog import load_catalog
from oerremix.model import MAX_NESTING, Author, Work
from oerremix.readers._licensing import license_named
from oerremix.readers._sections import squash
from oerremix.readers._urls import urljoin

__all__ = [
    "based_on_values",
    "json_ld",
    "language_value",
    "license_value",
    "main_node",
    "names",
    "prune_json",
    "split_names",
    "text_value",
    "year_value",
]

# JSON-LD properties that describe *other* works (sources, parts, media): their licences are
# not the page's, so they are left out of the copy the licence is detected on.
_NESTED_WORKS = frozenset(
    {
        "isBasedOn",
        "isBasedOnUrl",
        "hasPart",
        "isPartOf",
        "citation",
        "mentions",
        "associatedMedia",
        "image",
        "video",
        "audio",
        "subjectOf",
        "workExample",
        "exampleOfWork",
        "about",
        "translationOfWork",
    }
)
# schema.org types of objects that are not the page itself (the site, people, breadcrumbs …)
_SECONDARY_TYPES = frozenset(
    {
        "WebSite",
        "Organization",
        "Person",
        "BreadcrumbList",
        "ListItem",
        "ImageObject",
        "SiteNavigationElement",
        "SearchAction",
        "WPHeader",
        "WPFooter",
    }
)


def _license_id(value: str) -> str | None:
    """The licence a single value names (an id, alias, URL or short statement), if exactly one."""
    value = value.strip()
    if not value:
        return None
    lic = load_catalog().find(value) if len(value) < 300 else None
    if lic is not None:
        return lic.id
    return license_named(value)


def split_names(text: str, *, commas: bool = False) -> list[str]:
    """Split a list of names: on ``;``, and on ``and``/``&`` lists ("A, B, and C").

    Commas separate names only in a list that also has "and", or when ``commas`` is true
    (formats that document commas as separators), so "Doe, Jane" stays one name.

    >>> split_names("Amara Okafor, Lena Fischer, and Kofi Mensah")
    ['Amara Okafor', 'Lena Fischer', 'Kofi Mensah']
    >>> split_names("Jan Franke; Volker Göhler")
    ['Jan Franke', 'Volker Göhler']
    """
    found: list[str] = []
    for part in re.split(r"\s*;\s*", text):
        if commas or re.search(r"\s(?:and|&|und|et)\s", part):
            pieces = re.split(r"\s*,\s*(?:(?:and|&|und|et)\s+)?|\s+(?:and|&|und|et)\s+", part)
        else:
            pieces = [part]
        found.extend(p.strip(" ,") for p in pieces)
    return [n for n in dict.fromkeys(found) if n]


def json_ld(root: HtmlElement) -> list[dict[str, Any]]:
    """The objects of the page's JSON-LD scripts (an ``@graph``'s members one by one)."""
    nodes: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = load_json(script.text)
        except (ValueError, RecursionError):
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                graph = item.get("@graph")
                if isinstance(graph, list):
                    nodes.extend(n for n in graph if isinstance(n, dict))
                else:
                    nodes.append(item)
    return nodes


def _types(node: Mapping[str, Any]) -> set[str]:
    value = node.get("@type") or node.get("type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}


def main_node(nodes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The first object that is not the site, a person, a breadcrumb … (empty if none)."""
    for node in nodes:
        if not _types(node) & _SECONDARY_TYPES:
            return node
    return {}


def names(value: Any, *, commas: bool = False) -> list[Author]:
    """Authors from a schema.org/AMB value: a string, a Person/Organization, or a list of them."""
    if isinstance(value, str):
        return [Author(n) for n in split_names(value, commas=commas)]
    if isinstance(value, Mapping):
        name = value.get("name")
        if not isinstance(name, str) or not name.strip():
            given, family = value.get("givenName"), value.get("familyName")
            name = " ".join(str(p) for p in (given, family) if isinstance(p, str) and p.strip())
        if not name or not str(name).strip():
            return []
        url = value.get("url") or value.get("id") or value.get("@id")
        url = url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
        return [Author(squash(str(name)), url)]
    if isinstance(value, list):
        return [a for item in value for a in names(item, commas=commas)]
    return []


def text_value(value: Any) -> str | None:
    """The first text of a value: a string, a list, or an object's ``@value``, ``name`` …"""
    if isinstance(value, str) and value.strip():
        return squash(value)
    if isinstance(value, list):
        for item in value:
            if (found := text_value(item)) is not None:
                return found
    if isinstance(value, Mapping):
        for key in ("@value", "name", "code", "url", "@id", "id"):
            if (found := text_value(value.get(key))) is not None:
                return found
    return None


def license_value(value: Any) -> str | None:
    """The licence named by a JSON-LD/AMB ``license`` value (a URL, an id, or an object)."""
    if isinstance(value, str):
        return _license_id(value)
    if isinstance(value, Mapping):
        for key in ("id", "@id", "identifier", "url", "name", "code"):
            if isinstance(value.get(key), str) and (found := _license_id(value[key])):
                return found
    if isinstance(value, list):
        ids = {found for item in value if (found := license_value(item))}
        return ids.pop() if len(ids) == 1 else None
    return None


def year_value(value: object) -> int | None:
    """The year a date or a copyright notice names (``2001``, ``"2024-05-31"``, ``"(c) 2001"``)."""
    match = re.search(r"\b(1[0-9]{3}|2[0-9]{3})\b", str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def language_value(value: object) -> str | None:
    """A language tag (``en-CA``, ``fr``) from a string, a list or a ``{"code": …}`` object."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, Mapping):
        value = value.get("code") or value.get("name")
    if not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-")
    return tag if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", tag) else None


def based_on_values(value: Any, base: str | None = None, depth: int = 1) -> list[Work]:
    """Source works from a schema.org/AMB ``isBasedOn`` value: URLs, objects or a list.

    An object's own ``isBasedOn`` is read too (a remix of a remix keeps its whole chain), down
    to the model's nesting limit, with its copyright notice, year, language and the changes it
    records making to its sources (:data:`~oerremix._changes_jsonld.CHANGES`, which oerremix
    writes).
    """
    works: list[Work] = []
    if depth > MAX_NESTING:
        return works
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str) and item.strip():
            text = item.strip()
            if re.match(r"https?://", text):
                works.append(Work(url=urljoin(base, text) if base else text))
            else:
                works.append(Work(title=squash(text)))
        elif isinstance(item, Mapping):
            url = next(
                (
                    v
                    for k in ("url", "id", "@id")
                    if isinstance(v := item.get(k), str) and re.match(r"https?://", v)
                ),
                None,
            )
            work = Work(
                title=text_value(item.get("name") or item.get("headline")),
                url=url,
                authors=tuple(names(item.get("author") or item.get("creator"))),
                license=license_value(item.get("license")),
                year=year_value(item.get("datePublished")),
                copyright=text_value(item.get("copyrightNotice")),
                language=language_value(item.get("inLanguage")),
                changes=changes_from_jsonld(item.get(CHANGES)),
                based_on=tuple(based_on_values(item.get("isBasedOn"), base, depth + 1)),
            )
            if work.title or work.url or work.license or work.authors or work.based_on:
                works.append(work)  # an untitled source keeps its licence and credit
    return works


def prune_json(value: Any) -> Any:
    """``value`` without the properties that describe other works (sources, parts, media)."""
    if isinstance(value, dict):
        return {k: prune_json(v) for k, v in value.items() if k not in _NESTED_WORKS}
    if isinstance(value, list):
        return [prune_json(v) for v in value]
    return value
