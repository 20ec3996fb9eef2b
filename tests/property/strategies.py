"""Shared hypothesis strategies: licence ids drawn from the whole catalogue.

Everything is drawn from :func:`oerremix.load_catalog`, so a licence added to ``licenses/`` is
exercised without touching the tests. Two pools are mixed: every id (655 of them, mostly
jurisdiction ports), and the unported/international ids (the CC suites of every version, CC0,
PDM, the retired tools, the non-CC licences and the statuses) so that common licences are drawn
often enough to meet each other.
"""

from __future__ import annotations

from hypothesis import strategies as st

from oerremix import License, load_catalog

__all__ = [
    "ALL_IDS",
    "CATALOG",
    "CHART_IDS",
    "INTERNATIONAL_IDS",
    "ND_IDS",
    "PD_TOOLS",
    "SELF_ADAPTABLE_IDS",
    "SUITE_40",
    "chart_ids",
    "id_tokens",
    "kinds",
    "license_ids",
    "nd_ids",
    "source_forms",
    "source_lists",
]

CATALOG = load_catalog()

ALL_IDS: tuple[str, ...] = tuple(sorted(lic.id for lic in CATALOG))
"""Every id in the catalogue."""

INTERNATIONAL_IDS: tuple[str, ...] = tuple(
    sorted(lic.id for lic in CATALOG if lic.jurisdiction is None)
)
"""Every id that is not a jurisdiction port."""

SUITE_40: tuple[str, ...] = tuple(
    sorted(lic.id for lic in CATALOG.filter(version="4.0", family="creative-commons"))
)
"""The six CC 4.0 licences."""

PD_TOOLS: tuple[str, ...] = ("CC0-1.0", "CC-PDM-1.0")
"""CC's public-domain tools (the PDM and CC0 rows/columns of CC's compatibility chart)."""

CHART_IDS: tuple[str, ...] = SUITE_40 + PD_TOOLS
"""The eight rows of CC's compatibility chart (cc-rules.md §3.2), as 4.0 ids."""


def id_tokens(lic_id: str) -> tuple[str, ...]:
    """``CC-BY-NC-SA-4.0`` -> ``("CC", "BY", "NC", "SA", "4.0")``: elements read from the id."""
    return tuple(lic_id.upper().split("-"))


ND_IDS: tuple[str, ...] = tuple(i for i in ALL_IDS if i.startswith("CC-") and "ND" in id_tokens(i))
"""Every NoDerivatives tool of any version or port (by-nd, by-nc-nd, by-nd-nc, nd, nd-nc)."""

SELF_ADAPTABLE_IDS: tuple[str, ...] = tuple(
    sorted(lic.id for lic in CATALOG if lic.adaptation.share == "allowed" and lic.new_work)
)
"""Licences whose adaptations may be shared and that may license new work."""


def license_ids() -> st.SearchStrategy[str]:
    """Any catalogue id, with unported/international ids drawn more often."""
    return st.one_of(st.sampled_from(INTERNATIONAL_IDS), st.sampled_from(ALL_IDS))


def source_lists(min_size: int = 1, max_size: int = 4) -> st.SearchStrategy[list[str]]:
    """A list of source licence ids (duplicates allowed: two sources may share a licence)."""
    return st.lists(license_ids(), min_size=min_size, max_size=max_size)


def kinds() -> st.SearchStrategy[str]:
    """``adaptation`` or ``collection``."""
    return st.sampled_from(("adaptation", "collection"))


def chart_ids() -> st.SearchStrategy[str]:
    """One of the eight licences of CC's compatibility chart."""
    return st.sampled_from(CHART_IDS)


def nd_ids() -> st.SearchStrategy[str]:
    """A NoDerivatives tool of any version or port."""
    return st.sampled_from(ND_IDS)


def source_forms(lic_id: str) -> st.SearchStrategy[str | License]:
    """The same licence as its id, its id in lower case, its License object or its deed URL.

    URLs only for CC tools: outside CC one URL may name several ids (GPL "only"/"or later").
    """
    lic = CATALOG.get(lic_id)
    forms: list[str | License] = [lic.id, lic.id.lower(), lic]
    if lic.url and lic.family == "creative-commons":
        forms.append(lic.url)
    return st.sampled_from(forms)
