"""The licence catalogue: every licence oerremix knows, loaded once from ``licenses/*.yaml``.

>>> from oerremix import load_catalog
>>> catalog = load_catalog()
>>> catalog.get("http://www.creativecommons.org/licenses/by-nc-sa/4.0/legalcode.fr").id
'CC-BY-NC-SA-4.0'
>>> catalog.get("CC BY 2.5 CA").name("en")
'Attribution 2.5 Canada'
>>> catalog.get("CC-BY-SA-4.0").requires_share_alike
True

Every fact is read from the data files; nothing here knows a licence by its name. The data
format is described in ``docs/license-data.md``.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NewType, cast

import yaml

from oerremix.errors import LicenseDataError, UnknownLicenseError

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = [
    "Adaptation",
    "AdapterRule",
    "Catalog",
    "License",
    "LicenseId",
    "load_catalog",
    "normalize_url",
]

LicenseId = NewType("LicenseId", str)
"""A catalogue id such as ``CC-BY-SA-4.0`` (the SPDX id where SPDX has one)."""

Category = Literal["license", "public-domain", "status"]
Share = Literal["allowed", "private-only", "forbidden"]

_CATEGORIES = ("license", "public-domain", "status")
_SHARES = ("allowed", "private-only", "forbidden")
_TERMS = {
    "permits": {"reproduction", "distribution", "derivative_works", "sharing"},
    "requires": {
        "notice",
        "attribution",
        "share_alike",
        "source_code",
        "copyleft",
        "lesser_copyleft",
    },
    "prohibits": {"commercial_use", "high_income_nation_use"},
}


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True, slots=True)
class AdapterRule:
    """One rule saying which licences an adaptation may carry (see docs/license-data.md).

    A rule matches either exactly ``ids``, or every licence new work may carry (``any``), or the
    licences selected by ``units`` and the optional ``min_version``/``versions``/``jurisdictions``.
    """

    ids: tuple[str, ...] = ()
    """Exactly these licences (retired ones included)."""
    any: bool = False
    """Every licence a new work may carry."""
    units: tuple[str, ...] = ()
    """Licences whose CC ``unit`` is one of these."""
    min_version: str | None = None
    """…whose version is this one or later."""
    versions: tuple[str, ...] | None = None
    """…whose version is one of these."""
    jurisdictions: tuple[str | None, ...] | None = None
    """…whose jurisdiction is one of these (``None`` = unported/international)."""

    def matches(self, lic: License) -> bool:
        """Whether ``lic`` is selected by this rule."""
        if lic.id in self.ids:
            return True
        if not lic.new_work:
            return False
        if self.any:
            return True
        if not self.units or lic.unit not in self.units or lic.version is None:
            return False
        if self.min_version and _version_key(lic.version) < _version_key(self.min_version):
            return False
        if self.versions is not None and lic.version not in self.versions:
            return False
        return self.jurisdictions is None or lic.jurisdiction in self.jurisdictions


@dataclass(frozen=True, slots=True)
class Adaptation:
    """What the licence says about sharing adaptations of the material it covers."""

    share: Share
    """``allowed``; ``private-only`` (4.0 NoDerivatives); or ``forbidden``."""
    recommended: tuple[AdapterRule, ...]
    """CC's green cells: licences an adaptation may carry."""
    discouraged: tuple[AdapterRule, ...]
    """CC's yellow cells: technically permitted, not recommended."""
    basis: str
    """The clause of the legal code (or CC guidance) these rules come from."""

    @property
    def imposes_nothing(self) -> bool:
        """Adaptations may carry any licence at all (public-domain material)."""
        return self.share == "allowed" and any(rule.any for rule in self.recommended)


@dataclass(frozen=True, slots=True, repr=False)
class License:
    """One licence, public-domain tool or status from the catalogue, with its facts."""

    id: LicenseId
    """Stable id: the SPDX id where SPDX has one, else the same pattern (``CC-BY-SA-2.5-CA``)."""
    spdx: bool
    """Whether ``id`` is on the SPDX list."""
    category: Category
    """``license``, ``public-domain`` (CC0, PDM, public domain statuses) or ``status``."""
    family: str
    """Who publishes it: ``creative-commons``, ``gnu``, ``open-government`` … or ``status``."""
    short_name: str
    """Short name as the publisher writes it (``CC BY-SA 4.0``)."""
    names: tuple[tuple[str, str], ...]
    """Official names as (language, name) pairs; see :meth:`name`."""
    variant_names: tuple[tuple[str, str], ...]
    """Other wordings of the name met in the wild, as (language, name) pairs (for detection)."""
    unit: str | None
    """CC's unit (``by-sa``, ``zero``, ``mark`` …); ``None`` outside Creative Commons."""
    version: str | None
    """Version (``"4.0"``), or ``None`` where the tool has none."""
    jurisdiction: str | None
    """Port code (``ca``, ``igo``, ``scotland`` …); ``None`` for unported/international."""
    jurisdiction_name: str | None
    """English name of the jurisdiction or suite (``International``, ``Canada``)."""
    url: str | None
    """Canonical URL (the deed for CC tools)."""
    legalcode_url: str | None
    """URL of the legal code, if it has one."""
    aliases: tuple[str, ...]
    """Other names lookup and detection accept."""
    patterns: tuple[str, ...]
    """Regular expressions (case-insensitive) for the usual wording of its notice in free text."""
    permits: frozenset[str]
    """ccREL permissions (``reproduction``, ``distribution``, ``derivative_works``, ``sharing``)."""
    requires: frozenset[str]
    """ccREL requirements (``notice``, ``attribution``, ``share_alike``, ``source_code`` …)."""
    prohibits: frozenset[str]
    """ccREL prohibitions (``commercial_use``, ``high_income_nation_use``)."""
    deprecated_on: str | None
    """Date CC retired the tool, if it did."""
    replaced_by: LicenseId | None
    """Id of the successor version, if any."""
    new_work: bool
    """Whether a new work may be licensed under it (false for PDM, retired tools, statuses)."""
    adaptation: Adaptation
    """Rules for sharing adaptations."""
    sources: tuple[str, ...]
    """Where the facts come from."""

    def __repr__(self) -> str:
        return f"<License {self.id}>"

    @property
    def spdx_id(self) -> str:
        """The id to use in SPDX documents (``LicenseRef-…`` where SPDX has none)."""
        return self.id if self.spdx else f"LicenseRef-{self.id}"

    @property
    def requires_attribution(self) -> bool:
        """The licence requires credit to the creator."""
        return "attribution" in self.requires

    @property
    def requires_share_alike(self) -> bool:
        """Adaptations must be shared under the same (or a compatible) licence."""
        return "share_alike" in self.requires

    @property
    def prohibits_commercial_use(self) -> bool:
        """The licence is NonCommercial."""
        return "commercial_use" in self.prohibits

    @property
    def permits_derivative_works(self) -> bool:
        """Adaptations may be made (whether they may be shared is :attr:`adaptation`)."""
        return "derivative_works" in self.permits

    @property
    def is_deprecated(self) -> bool:
        """CC retired this tool."""
        return self.deprecated_on is not None

    def name(self, lang: str = "en") -> str:
        """The official name in ``lang`` (``fr``, ``de``, ``es`` …), falling back to English.

        A region such as ``fr-CA`` falls back to ``fr``.
        """
        names = dict(self.names)
        for key in (lang, lang.split("-", maxsplit=1)[0].split("_", maxsplit=1)[0], "en"):
            if key in names:
                return names[key]
        return self.short_name

    def deed_url(self, lang: str | None = None) -> str | None:
        """The URL of the human-readable deed, localised for ``lang`` where CC publishes one."""
        if self.url is None or lang is None or self.family != "creative-commons":
            return self.url
        tag = lang.replace("_", "-").lower()
        # CC's deeds are per language, not per region (deed.fr, not deed.fr-ca), except for a
        # few scripts and variants it publishes separately
        if tag not in ("zh-hans", "zh-hant", "pt-br", "sr-latn"):
            tag = tag.split("-")[0]
        return self.url if tag == "en" else f"{self.url}deed.{tag}"


_SUFFIX = re.compile(r"/(?:deed(?:\.[\w-]+)?|legalcode(?:\.[\w-]+)?|rdf|legalcode\.txt)/?$")


def normalize_url(url: str) -> str | None:
    """Reduce any form of a licence URL to the key the catalogue indexes it by.

    The scheme, ``www.``, query, fragment, case and CC's ``deed…``/``legalcode…``/``rdf``
    suffixes do not change which licence a URL names:

    >>> normalize_url("HTTP://www.CreativeCommons.org/licenses/BY-SA/2.5/ca/deed.fr_CA?x=1#top")
    'creativecommons.org/licenses/by-sa/2.5/ca/'
    >>> normalize_url("//creativecommons.org/publicdomain/zero/1.0/legalcode.txt")
    'creativecommons.org/publicdomain/zero/1.0/'
    >>> normalize_url("not a url") is None
    True
    """
    match = re.match(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//([^/\s?#]+)([^\s?#]*)", url, re.IGNORECASE)
    if not match:
        return None
    host = match.group(1).lower().removeprefix("www.")
    path = match.group(2).lower()
    path = _SUFFIX.sub("/", path)
    if not path.endswith("/"):
        path += "/"
    return host + path


class Catalog:
    """A set of licences with lookup by id, alias or URL.

    Build one with :func:`load_catalog` (the bundled data, loaded once) or
    :meth:`from_directory` (any folder of licence files).
    """

    def __init__(self, licenses: Iterable[License]) -> None:
        self._by_id: dict[str, License] = {}
        self._index: dict[str, License] = {}
        for lic in licenses:
            self._by_id[lic.id] = lic
        for lic in self._by_id.values():
            keys = [lic.id, lic.short_name, *lic.aliases]
            for key in keys:
                self._index.setdefault(_fold(key), lic)
            for url in (lic.url, lic.legalcode_url):
                if url and (norm := normalize_url(url)):
                    self._index.setdefault(norm, lic)
        self._adapters: dict[tuple[str, str], frozenset[LicenseId]] = {}

    @classmethod
    def from_directory(cls, path: str | os.PathLike[str] | Traversable) -> Catalog:
        """Load every ``*.yaml`` licence file in ``path``.

        Raises :class:`LicenseDataError` naming the file and field of the first bad entry.
        """
        folder: Traversable = Path(path) if isinstance(path, (str, os.PathLike)) else path
        entries = sorted(
            (e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name
        )
        parsed = _cached_parse(entries)
        return cls(license_from_dict(data, source=name) for name, data in parsed)

    def __iter__(self) -> Iterator[License]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, query: object) -> bool:
        return isinstance(query, str) and self.find(query) is not None

    def find(self, query: str) -> License | None:
        """The licence named by an id, alias or URL, or ``None``."""
        if not query:
            return None
        hit = self._index.get(_fold(query))
        if hit is None and "/" in query:
            norm = normalize_url(query)
            if norm is None and not query.startswith("/"):
                norm = normalize_url("//" + query)
            if norm is not None:
                hit = self._index.get(norm)
        return hit

    def get(self, query: str) -> License:
        """The licence named by an id, alias or URL.

        >>> load_catalog().get("CC-BY-SA-5.0")
        Traceback (most recent call last):
        ...
        oerremix.errors.UnknownLicenseError: unknown licence 'CC-BY-SA-5.0'; did you mean ...
        """
        hit = self.find(query)
        if hit is None:
            raise UnknownLicenseError(query, self.suggest(query))
        return hit

    def suggest(self, query: str, n: int = 3) -> list[LicenseId]:
        """Ids close to ``query``, for a did-you-mean message."""
        folded = {_fold(lic.id): lic.id for lic in self}
        folded.update({_fold(lic.short_name): lic.id for lic in self})
        close = difflib.get_close_matches(_fold(query), list(folded), n=n * 2, cutoff=0.6)
        return list(dict.fromkeys(folded[c] for c in close))[:n]

    def filter(
        self,
        *,
        unit: str | None = None,
        version: str | None = None,
        jurisdiction: str | None = None,
        international: bool | None = None,
        category: str | None = None,
        family: str | None = None,
    ) -> list[License]:
        """Licences whose fields equal every argument given.

        ``international=True`` keeps unported/international ones only, ``False`` ports only.
        """
        out = []
        for lic in self:
            if unit is not None and lic.unit != unit:
                continue
            if version is not None and lic.version != version:
                continue
            if jurisdiction is not None and lic.jurisdiction != jurisdiction:
                continue
            if international is not None and (lic.jurisdiction is None) != international:
                continue
            if category is not None and lic.category != category:
                continue
            if family is not None and lic.family != family:
                continue
            out.append(lic)
        return out

    def adapter_licenses(
        self, lic: License | str, which: Literal["recommended", "discouraged"] = "recommended"
    ) -> frozenset[LicenseId]:
        """Ids of the licences an adaptation of ``lic`` may carry (CC's green or yellow cells)."""
        source = lic if isinstance(lic, License) else self.get(lic)
        key = (source.id, which)
        if key not in self._adapters:
            rules = getattr(source.adaptation, which)
            if source.adaptation.share != "allowed":
                rules = ()
            self._adapters[key] = frozenset(
                other.id for other in self if any(rule.matches(other) for rule in rules)
            )
        return self._adapters[key]


def _parse_yaml(entry: Traversable) -> Any:
    try:
        return yaml.load(entry.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise LicenseDataError(f"not valid YAML: {exc}", source=entry.name, line=line) from None


def _cached_parse(entries: list[Traversable]) -> list[tuple[str, Any]]:
    """The parsed licence files, from a JSON cache of them when none changed since.

    Parsing 650 YAML files takes a tenth of a second; the cache (in the user's cache folder,
    keyed by every file's name, size and modification time) makes a CLI call start fast. Any
    problem with the cache means the YAML is parsed, as without it.
    """
    stats = [(e, os.stat(e)) for e in entries if isinstance(e, Path)]
    if len(stats) != len(entries) or not entries:
        return [(e.name, _parse_yaml(e)) for e in entries]
    key = hashlib.sha256(
        "\n".join(f"{e.resolve()}|{s.st_size}|{s.st_mtime_ns}" for e, s in stats).encode()
    ).hexdigest()[:24]
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    cache = Path(home) / "oerremix" / f"catalog-{key}.json"
    try:
        return [(str(name), data) for name, data in json.loads(cache.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    parsed = [(e.name, _parse_yaml(e)) for e in entries]
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(parsed, default=str), encoding="utf-8")  # dates as text
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only home: no cache, nothing else changes
    return parsed


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _str(data: Mapping[str, Any], key: str, source: str, *, optional: bool = False) -> str | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise LicenseDataError("expected a non-empty string", source=source, field=key)
    return value


def _strs(value: Any, source: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LicenseDataError("expected a list of strings", source=source, field=key)
    return tuple(value)


def _rules(value: Any, source: str, key: str) -> tuple[AdapterRule, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise LicenseDataError("expected a list of rules", source=source, field=key)
    rules = []
    allowed = {"ids", "any", "units", "min_version", "versions", "jurisdictions"}
    for item in value:
        if not isinstance(item, dict) or not set(item) <= allowed or not item:
            raise LicenseDataError(
                f"a rule is a mapping of {sorted(allowed)}", source=source, field=key
            )
        jurisdictions = item.get("jurisdictions")
        versions = item.get("versions")
        rules.append(
            AdapterRule(
                ids=_strs(item.get("ids"), source, key),
                any=bool(item.get("any", False)),
                units=_strs(item.get("units"), source, key),
                min_version=item.get("min_version"),
                versions=None if versions is None else _strs(versions, source, key),
                jurisdictions=None if jurisdictions is None else tuple(jurisdictions),
            )
        )
    return tuple(rules)


def _variants(value: Any, source: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise LicenseDataError(
            "expected a mapping of language to names", source=source, field="variant_names"
        )
    return tuple(
        (str(lang), name)
        for lang, names in value.items()
        for name in _strs(names, source, "variant_names")
    )


def _patterns(value: Any, source: str) -> tuple[str, ...]:
    patterns = _strs(value, source, "patterns")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise LicenseDataError(
                f"not a valid regular expression: {exc}", source=source, field="patterns"
            ) from None
    return patterns


def license_from_dict(data: Any, *, source: str) -> License:
    """Build a :class:`License` from one parsed licence file; ``source`` names it in errors."""
    if not isinstance(data, dict):
        raise LicenseDataError("a licence file holds one mapping", source=source)
    category = data.get("category")
    if category not in _CATEGORIES:
        raise LicenseDataError(f"must be one of {_CATEGORIES}", source=source, field="category")
    terms: dict[str, frozenset[str]] = {}
    for key, known in _TERMS.items():
        values = frozenset(_strs(data.get(key), source, key))
        if not values <= known:
            raise LicenseDataError(
                f"unknown terms {sorted(values - known)}", source=source, field=key
            )
        terms[key] = values
    names = data.get("names")
    if not isinstance(names, dict) or "en" not in names:
        raise LicenseDataError("needs at least an English name", source=source, field="names")
    adaptation = data.get("adaptation")
    if not isinstance(adaptation, dict) or adaptation.get("share") not in _SHARES:
        raise LicenseDataError(
            f"adaptation.share must be one of {_SHARES}", source=source, field="adaptation"
        )
    version = data.get("version")
    return License(
        id=LicenseId(cast(str, _str(data, "id", source))),
        spdx=bool(data.get("spdx")),
        category=category,
        family=cast(str, _str(data, "family", source)),
        short_name=cast(str, _str(data, "short_name", source)),
        names=tuple((str(k), str(v)) for k, v in names.items()),
        variant_names=_variants(data.get("variant_names"), source),
        unit=_str(data, "unit", source, optional=True),
        version=None if version is None else str(version),
        jurisdiction=_str(data, "jurisdiction", source, optional=True),
        jurisdiction_name=_str(data, "jurisdiction_name", source, optional=True),
        url=_str(data, "url", source, optional=True),
        legalcode_url=_str(data, "legalcode_url", source, optional=True),
        aliases=_strs(data.get("aliases"), source, "aliases"),
        patterns=_patterns(data.get("patterns"), source),
        permits=terms["permits"],
        requires=terms["requires"],
        prohibits=terms["prohibits"],
        deprecated_on=None if data.get("deprecated_on") is None else str(data["deprecated_on"]),
        replaced_by=(
            None if data.get("replaced_by") is None else LicenseId(str(data["replaced_by"]))
        ),
        new_work=bool(data.get("new_work")),
        adaptation=Adaptation(
            share=adaptation["share"],
            recommended=_rules(adaptation.get("recommended"), source, "adaptation.recommended"),
            discouraged=_rules(adaptation.get("discouraged"), source, "adaptation.discouraged"),
            basis=str(adaptation.get("basis") or ""),
        ),
        sources=_strs(data.get("sources"), source, "sources"),
    )


def _data_dir() -> Traversable | Path:
    """The bundled ``licenses/`` folder: inside an installed wheel, else in the checkout."""
    from importlib.resources import files

    packaged = files("oerremix") / "licenses"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "licenses"


@functools.cache
def load_catalog() -> Catalog:
    """The bundled catalogue, loaded once per process."""
    return Catalog.from_directory(_data_dir())
