"""LibreTexts page tags: the platform's own statement of a page's licence (and its authors).

A LibreTexts page lists its tags in ``#pageTagsHolder``; ``license:`` and ``licenseversion:``
name the licence by the platform's own codes, which :func:`libretexts_claim` turns into a
licence claim through the licence pages LibreTexts links them to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml.html import HtmlElement

from oerremix._json_input import load_json
from oerremix.catalog import load_catalog
from oerremix.model import Evidence
from oerremix.readers._licensing import Claim, reserved_claim

__all__ = ["libretexts_claim", "libretexts_tags"]

_LIBRETEXTS_LICENSES = {
    # LibreTexts' page tag values and the licence pages LibreTexts itself links them to
    # (LibreTexts/Libretext page scripts, getCC / getLicenseInfo): platform facts, not licence
    # facts; the catalogue turns the URL into a licence.
    "ccby": "https://creativecommons.org/licenses/by/{version}/",
    "ccbysa": "https://creativecommons.org/licenses/by-sa/{version}/",
    "ccbync": "https://creativecommons.org/licenses/by-nc/{version}/",
    "ccbyncsa": "https://creativecommons.org/licenses/by-nc-sa/{version}/",
    "ccbynd": "https://creativecommons.org/licenses/by-nd/{version}/",
    "ccbyncnd": "https://creativecommons.org/licenses/by-nc-nd/{version}/",
    "gnudsl": "https://www.gnu.org/licenses/dsl.html",
    "gnufdl": "https://www.gnu.org/licenses/fdl-1.3.en.html",
    "gnu": "https://www.gnu.org/licenses/gpl-3.0.en.html",
}


def libretexts_tags(root: HtmlElement) -> list[str]:
    """The page's LibreTexts tags (``license:ccby``, ``authorname:…``), if it has any."""
    found = root.xpath("//@id[.='pageTagsHolder']/..")
    holder = found[0] if found else None
    if holder is None:
        return []
    try:
        tags = load_json(holder.text_content().replace("\\", ""))
    except (ValueError, RecursionError):
        return []
    return [t.strip() for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def libretexts_claim(tags: Sequence[str]) -> Claim | None:
    """The licence the ``license:`` and ``licenseversion:`` tags state, if they state one."""
    kind = next((t.split(":", 1)[1] for t in tags if t.lower().startswith("license:")), None)
    if not kind:
        return None
    raw = next((t.split(":", 1)[1] for t in tags if t.lower().startswith("licenseversion:")), "")
    where = "LibreTexts page tags"
    evidence = tuple(
        Evidence("platform-tag", t, where)
        for t in tags
        if t.lower().startswith(("license:", "licenseversion:"))
    )
    template = _LIBRETEXTS_LICENSES.get(kind.lower())
    if template is None:
        if kind.lower() == "arr":
            return reserved_claim(where, "All rights reserved")
        return Claim(where, "ambiguous", frozenset(), None, evidence)
    if "{version}" in template:
        if not re.fullmatch(r"\d{2}", raw):
            # no version tag: every version of that licence the catalogue has
            stem = template.split("{version}")[0]
            ids = frozenset(
                lic.id
                for lic in load_catalog()
                if lic.url and lic.jurisdiction is None and lic.url.startswith(stem)
            )
            return Claim(where, "ambiguous", ids, None, evidence)
        template = template.format(version=f"{raw[0]}.{raw[1]}")
    found = load_catalog().find(template)
    if found is None:
        return Claim(where, "ambiguous", frozenset(), None, evidence)
    return Claim(where, "found", frozenset({found.id}), None, evidence)
