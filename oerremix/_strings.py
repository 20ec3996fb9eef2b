"""Fixed phrases per language, from ``templates/strings/<lang>.yaml``.

Adding a language is adding one file with the same keys as ``en.yaml``; a key missing from it
falls back to English.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Any

import yaml

__all__ = ["has_phrase", "languages", "phrase"]


@functools.cache
def languages() -> tuple[str, ...]:
    """The languages with a phrase file, sorted (licence names come from the catalogue)."""
    folder = files("oerremix") / "templates" / "strings"
    return tuple(
        sorted(e.name[: -len(".yaml")] for e in folder.iterdir() if e.name.endswith(".yaml"))
    )


@functools.cache
def _load(lang: str) -> dict[str, Any]:
    path = files("oerremix") / "templates" / "strings" / f"{lang}.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _base(lang: str) -> str:
    """The language of a tag, its region and script left out: ``fr`` for ``fr-CA``."""
    return lang.split("-", maxsplit=1)[0].split("_", maxsplit=1)[0].lower()


def has_phrase(section: str, key: str, lang: str) -> bool:
    """Whether ``lang``'s own phrase file has ``section.key`` (:func:`phrase` would otherwise
    give the English one)."""
    return bool(_load(_base(lang)).get(section, {}).get(key))


def phrase(section: str, key: str, lang: str = "en", **values: object) -> str:
    """The phrase ``section.key`` in ``lang`` (falling back to English), filled with ``values``."""
    text = _load(_base(lang)).get(section, {}).get(key) or _load("en")[section][key]
    return str(text).format(**values)
