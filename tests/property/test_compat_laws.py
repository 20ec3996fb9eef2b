"""Laws every verdict of ``oerremix.check`` obeys, whatever the sources (hypothesis).

The number of examples per law is ``OERREMIX_HYPOTHESIS_EXAMPLES`` (default 60); raise it for a
deeper run, e.g. ``OERREMIX_HYPOTHESIS_EXAMPLES=2000 pytest tests/property``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oerremix import Verdict, check, load_catalog

from .strategies import (
    CHART_IDS,
    PD_TOOLS,
    SELF_ADAPTABLE_IDS,
    chart_ids,
    id_tokens,
    kinds,
    license_ids,
    nd_ids,
    source_forms,
    source_lists,
)

laws = settings(
    max_examples=int(os.environ.get("OERREMIX_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    database=None,  # write nothing into the checkout
)


def summary(v: Verdict) -> tuple[bool, frozenset[str], frozenset[str], str | None]:
    return v.allowed, frozenset(v.may_license_as), frozenset(v.discouraged), v.recommended


def offered(v: Verdict) -> set[str]:
    return set(v.may_license_as) | set(v.discouraged)


# --- (a) order ---------------------------------------------------------------------------------


@laws
@given(sources=source_lists(), kind=kinds(), data=st.data())
def test_order_of_sources_never_changes_the_verdict(sources, kind, data):
    shuffled = data.draw(st.permutations(sources))
    assert summary(check(sources, kind=kind)) == summary(check(shuffled, kind=kind))


# --- (b) monotonicity ------------------------------------------------------------------------


@laws
@given(
    sources=source_lists(max_size=3),
    extra=license_ids(),
    where=st.integers(min_value=0, max_value=3),
    kind=kinds(),
)
def test_adding_a_source_never_widens_the_choice(sources, extra, where, kind):
    before = check(sources, kind=kind)
    more = list(sources)
    more.insert(min(where, len(more)), extra)
    after = check(more, kind=kind)
    assert offered(after) <= offered(before)
    if not before.allowed:
        assert not after.allowed


# --- (c) a licence may license adaptations of itself -------------------------------------------


@laws
@given(lic_id=st.sampled_from(SELF_ADAPTABLE_IDS))
def test_a_shareable_licence_may_license_an_adaptation_of_itself(lic_id):
    lic = load_catalog().get(lic_id)
    assert lic.adaptation.share == "allowed"
    assert lic.new_work
    v = check([lic_id], kind="adaptation")
    assert v.allowed
    assert lic_id in v.may_license_as


def test_every_shareable_licence_may_license_an_adaptation_of_itself():
    """Law (c) over the whole catalogue at once (cheap, and names every offender)."""
    offenders = [i for i in SELF_ADAPTABLE_IDS if i not in check([i]).may_license_as]
    assert offenders == []


# --- (d) an oracle from CC's compatibility chart -----------------------------------------------


def elements(lic_id: str) -> frozenset[str]:
    """Licence elements read from a 4.0 id (CC-BY-NC-SA-4.0 -> {BY, NC, SA}); none for PD tools."""
    if lic_id in PD_TOOLS:
        return frozenset()
    return frozenset(id_tokens(lic_id)[1:-1])


def chart_remixable(a: str, b: str) -> bool:
    """CC's compatibility chart (cc-rules.md §3.2) restated over licence elements.

    ND anywhere -> ✗ (even ND with itself). A ShareAlike licence accepts another work only if
    the other's elements are among its own: so SA + NC (where the SA licence lacks NC) ✗ and
    SA + a different SA ✗, while BY-NC + BY-NC-SA ✓ and BY + BY-SA ✓.
    """
    ea, eb = elements(a), elements(b)
    if "ND" in ea or "ND" in eb:
        return False
    return all(not ("SA" in x and not y <= x) for x, y in ((ea, eb), (eb, ea)))


def chart_remixable_all(ids: Sequence[str]) -> bool:
    """For the 4.0 suite, CC0 and PDM a set is remixable iff every pair is (cc-rules §3.3)."""
    return all(chart_remixable(a, b) for i, a in enumerate(ids) for b in ids[i:])


def test_oracle_reproduces_the_published_chart():
    # cc-rules §3.2, row by row, in CHART order: PDM CC0 BY BY-SA BY-NC BY-ND BY-NC-SA BY-NC-ND
    order = ("CC-PDM-1.0", "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0")
    order += ("CC-BY-ND-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0")
    published = (
        "11111010",  # PDM
        "11111010",  # CC0
        "11111010",  # BY
        "11110000",  # BY-SA
        "11101010",  # BY-NC
        "00000000",  # BY-ND
        "11101010",  # BY-NC-SA
        "00000000",  # BY-NC-ND
    )
    assert set(order) == set(CHART_IDS)
    for r, marks in zip(order, published, strict=True):
        for c, mark in zip(order, marks, strict=True):
            assert chart_remixable(r, c) is (mark == "1"), (r, c)


@laws
@given(a=chart_ids(), b=chart_ids())
def test_engine_never_allows_a_pair_the_chart_forbids(a, b):
    v = check([a, b], kind="adaptation")
    if not chart_remixable(a, b):
        assert not v.allowed
    assert v.allowed is chart_remixable(a, b)  # the chart is exact for these eight


@laws
@given(ids=st.lists(chart_ids(), min_size=1, max_size=5))
def test_engine_agrees_with_the_chart_on_mixes(ids):
    assert check(ids, kind="adaptation").allowed is chart_remixable_all(ids)


@laws
@given(nd=nd_ids(), other=license_ids(), nd_first=st.booleans())
def test_nd_of_any_version_is_never_adapted(nd, other, nd_first):
    pair = [nd, other] if nd_first else [other, nd]
    v = check(pair, kind="adaptation")
    assert not v.allowed
    assert v.may_license_as == ()
    assert v.discouraged == ()
    assert any(nd in c.sources for c in v.conflicts) or any(
        "unknown" in c.sources for c in v.conflicts
    )


# --- (e) collections ---------------------------------------------------------------------------


def noncommercial(lic_id: str) -> bool:
    """NC read from the id: CC-BY-NC-…, CC-NC-1.0, CC-ND-NC-1.0, CC-NC-SAMPLING-PLUS-1.0 …"""
    return lic_id.startswith("CC-") and "NC" in id_tokens(lic_id)


@laws
@given(sources=source_lists())
def test_collection_with_an_nc_item_offers_only_nc_licences(sources):
    v = check(sources, kind="collection")
    cat = load_catalog()
    if any(noncommercial(s) for s in sources):
        for lic_id in v.may_license_as:
            assert noncommercial(lic_id), lic_id
            assert cat.get(lic_id).prohibits_commercial_use


@laws
@given(sources=st.lists(st.sampled_from(CHART_IDS), min_size=1, max_size=4))
def test_cc_items_may_always_be_collected(sources):
    # COLL: "All Creative Commons licenses … allow licensed material to be included in collections"
    v = check(sources, kind="collection")
    assert v.allowed
    assert ("CC-BY-NC-4.0" in v.may_license_as) is True
    assert ("CC-BY-4.0" in v.may_license_as) is not any(noncommercial(s) for s in sources)


# --- further laws ------------------------------------------------------------------------------


@laws
@given(sources=source_lists(), kind=kinds())
def test_never_a_mark_or_retired_tool_except_a_sharealike_1_0_sources_own(sources, kind):
    """cc-rules §1.3: retired tools are never emitted, except SA 1.0's own licence; §1.1 PDM.

    The retired non-BY units (sa, nc-sa …) exist at 1.0 and as Japan 2.0 ports (cc-rules §1.3
    table); a source under one of those ShareAlike tools may force its own licence too.
    """
    cat = load_catalog()
    v = check(sources, kind=kind)
    for lic_id in offered(v):
        lic = cat.get(lic_id)
        assert lic_id != "CC-PDM-1.0"
        if not lic.new_work:
            assert kind == "adaptation", lic_id
            assert lic_id in {cat.get(s).id for s in sources}, lic_id
            assert lic.requires_share_alike, lic_id
            assert lic.version in ("1.0", "2.0"), lic_id  # 1.0-era units; 2.0 only as the JP port


@pytest.mark.parametrize("kind", ["adaptation", "collection"])
def test_every_retired_tool_alone_follows_the_same_law(kind):
    """The law above over every tool that may not license new work, each on its own."""
    cat = load_catalog()
    offenders = []
    for lic in cat:
        if lic.new_work:
            continue
        for lic_id in offered(check([lic.id], kind=kind)):
            other = cat.get(lic_id)
            sa_1_0_own = (
                kind == "adaptation"
                and lic_id == lic.id
                and other.requires_share_alike
                and other.version in ("1.0", "2.0")
            )
            if not other.new_work and not sa_1_0_own:
                offenders.append((lic.id, lic_id))
    assert offenders == []


@laws
@given(sources=source_lists())
def test_collections_have_no_discouraged_licences(sources):
    """COLL has no yellow cells: a collection licence is allowed or not."""
    assert check(sources, kind="collection").discouraged == ()


@laws
@given(sources=source_lists())
def test_no_discouraged_licence_when_any_source_is_sharealike(sources):
    """cc-rules §3.3: never intersect yellow cells when a ShareAlike source is present."""
    cat = load_catalog()
    v = check(sources, kind="adaptation")
    if any(cat.get(s).requires_share_alike for s in sources):
        assert v.discouraged == ()


@laws
@given(sources=source_lists(), kind=kinds())
def test_verdict_is_self_consistent(sources, kind):
    v = check(sources, kind=kind)
    may, disc = set(v.may_license_as), set(v.discouraged)
    assert not may & disc
    assert len(may) == len(v.may_license_as)
    assert v.allowed is bool(may or disc)
    assert v.allowed is (not v.conflicts)
    if v.allowed:
        assert v.recommended == (v.may_license_as or v.discouraged)[0]
        assert v.obligations
    else:
        assert v.recommended is None


@laws
@given(ids=source_lists(max_size=3), kind=kinds(), data=st.data())
def test_id_url_and_license_object_give_the_same_verdict(ids, kind, data):
    forms = [data.draw(source_forms(i)) for i in ids]
    assert summary(check(forms, kind=kind)) == summary(check(ids, kind=kind))


@pytest.mark.parametrize("kind", ["adaptation", "collection"])
def test_unknown_stops_every_mix(kind):
    # cc-rules §3.10: "if any source is unknown/ambiguous … cannot decide automatically"
    for lic_id in CHART_IDS:
        v = check([lic_id, "UNKNOWN"], kind=kind)
        assert not v.allowed
        assert any("unknown" in c.sources for c in v.conflicts)
