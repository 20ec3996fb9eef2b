"""May these sources be remixed, and under which licences? The rules engine.

>>> from oerremix import check
>>> v = check(["CC-BY-4.0", "CC-BY-SA-3.0"])
>>> v.allowed, v.recommended
(True, 'CC-BY-SA-4.0')
>>> v = check(["CC-BY-SA-4.0", "CC-BY-NC-4.0"])
>>> v.allowed, v.may_license_as
(False, ())
>>> check(["CC-BY-SA-4.0", "CC-BY-NC-4.0"], kind="collection").recommended
'CC-BY-NC-4.0'

The engine only reads licence facts from the catalogue: what an adaptation of each licence may
be licensed under (``adaptation`` in ``licenses/*.yaml``, CC's adapter's chart and the
ShareAlike clauses), and ``prohibits``/``requires``. For an **adaptation** the licences the
result may carry are the intersection of what every source allows (CC's green cells); the
technically permitted but discouraged ones (CC's yellow cells) are offered only when no source
is ShareAlike. For a **collection** every item keeps its own licence; any NonCommercial item
makes the collection licence NonCommercial. "Not allowed" is a value (a :class:`Verdict`), never
an exception; a licence that is unknown or ambiguous stops the decision with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from oerremix._strings import phrase
from oerremix.catalog import Catalog, License, LicenseId, load_catalog
from oerremix.detect import Detection
from oerremix.model import Permission, Work

__all__ = ["Conflict", "Verdict", "check"]

Kind = Literal["adaptation", "collection"]
Source = str | License | Work | Detection


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources that clash (or one that cannot be used), why, and what would fix it."""

    sources: tuple[str, ...]
    """Licence ids of the clashing sources (``"unknown"`` for an unknown licence)."""
    items: tuple[int, ...]
    """1-based positions of the clashing sources in the list given to :func:`check`."""
    reason: str
    """Why, citing the clause, in plain words."""
    fix: str | None = None
    """What would make the remix possible, if anything simple would."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer of :func:`check`."""

    kind: Kind
    """``adaptation`` or ``collection``."""
    allowed: bool
    """Whether the remix may be published at all."""
    may_license_as: tuple[LicenseId, ...]
    """Licences the result may carry, as CC recommends (green), most suitable first."""
    discouraged: tuple[LicenseId, ...]
    """Licences only technically permitted (CC's yellow cells); never when ShareAlike applies."""
    recommended: LicenseId | None
    """The least restrictive licence allowed, in its current version."""
    conflicts: tuple[Conflict, ...]
    """What stands in the way, when not allowed."""
    obligations: tuple[str, ...]
    """What the publisher must do (credit, mark changes, keep NC, apply SA …)."""
    warnings: tuple[str, ...] = ()
    """Things to know (a retired licence offered, discouraged choices)."""
    intended: LicenseId | None = None
    """The licence the caller intends, if one was given."""
    intended_allowed: bool | None = None
    """Whether ``intended`` may be used (``None`` when none was given)."""
    intended_reasons: tuple[str, ...] = ()
    """Why ``intended`` is or is not allowed."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape ``oerremix check --json`` prints."""
        return {
            "allowed": self.allowed,
            "may_license_as": list(self.may_license_as),
            "discouraged": list(self.discouraged),
            "recommended": self.recommended,
            "conflicts": [{"sources": list(c.sources), "reason": c.reason} for c in self.conflicts],
            "obligations": list(self.obligations),
            "intended_allowed": self.intended_allowed,
            "warnings": list(self.warnings),
            "intended_reasons": list(self.intended_reasons),
        }


# --- the items the engine reasons about --------------------------------------------------------


@dataclass(slots=True)
class _Item:
    n: int
    license: License | None
    label: str
    detail: str = ""
    permissions: tuple[Permission, ...] = ()
    decided_by: Permission | None = None
    ancestor_of: str | None = None


@dataclass(slots=True)
class _Context:
    catalog: Catalog
    lang: str
    conflicts: list[Conflict] = field(default_factory=list)
    obligations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def say(self, key: str, **values: object) -> str:
        return phrase("compat", key, self.lang, **values)


def _label(ctx: _Context, n: int, lic: License | None) -> str:
    if lic is None:
        return ctx.say("item_unknown", n=n)
    return ctx.say("item", n=n, license=lic.short_name)


def _from_work(ctx: _Context, n: int, work: Work, kind: Kind) -> list[_Item]:
    # a remix of a remix: its ancestors' licences still govern the material taken from them,
    # whether it is adapted further or included unchanged in a collection
    items = [_work_item(ctx, n, work)]
    title = work.title or ctx.say("item_unknown", n=n)
    for _depth, ancestor in work.lineage():
        item = _work_item(ctx, n, ancestor)
        item.ancestor_of = title
        items.append(item)
    if kind == "adaptation":
        items.extend(_work_item(ctx, n, part) for part in work.parts)
    return items


def _work_item(ctx: _Context, n: int, work: Work) -> _Item:
    lic = ctx.catalog.find(work.license) if work.license else None
    detail = "" if work.license is None or lic is not None else f": {work.license!r}"
    decision = next((p for p in work.permissions if p.kind == "decision"), None)
    decided = None
    if decision is not None and decision.license and (lic is None or lic.id == "UNKNOWN"):
        lic = ctx.catalog.get(decision.license)
        decided = decision
    permissions = tuple(p for p in work.permissions if p.kind == "permission")
    return _Item(n, lic, _label(ctx, n, lic), detail, permissions, decided)


def _items(ctx: _Context, sources: Iterable[Source], kind: Kind) -> list[_Item]:
    items: list[_Item] = []
    for n, source in enumerate(sources, start=1):
        if isinstance(source, Work):
            items.extend(_from_work(ctx, n, source, kind))
        elif isinstance(source, Detection):
            lic = source.license
            detail = f": {', '.join(source.candidates)}" if source.candidates else ""
            items.append(_Item(n, lic, _label(ctx, n, lic), detail))
        elif isinstance(source, (str, License)):
            lic = source if isinstance(source, License) else ctx.catalog.get(source)
            items.append(_Item(n, lic, _label(ctx, n, lic)))
        else:
            raise TypeError(
                f"item {n}: expected a licence id or URL, a License, a Work or a Detection, "
                f"not {type(source).__name__}"
            )
    return items


# --- ordering: "least restrictive, current version" first ---------------------------------------


def _restrictiveness(lic: License) -> tuple[int, int, int, tuple[int, ...], str]:
    burden = len(lic.requires - {"notice"}) + len(lic.prohibits)
    burden += 0 if lic.permits_derivative_works else 2
    version = tuple(-int(p) for p in (lic.version or "0").split("."))
    return (
        burden,
        0 if lic.family == "creative-commons" else 1,
        0 if lic.jurisdiction is None else 1,
        version,
        lic.id,
    )


def _ordered(catalog: Catalog, ids: Iterable[LicenseId]) -> tuple[LicenseId, ...]:
    return tuple(sorted(ids, key=lambda i: _restrictiveness(catalog.get(i))))


# --- adaptation ----------------------------------------------------------------------------------


def _unusable(ctx: _Context, item: _Item, kind: Kind) -> Conflict | None:
    """The reason an item cannot take part in the licence algebra at all, if there is one."""
    lic = item.license
    if lic is None or lic.id == "UNKNOWN":
        return Conflict(
            ("unknown",), (item.n,), ctx.say("unknown", item=item.label, detail=item.detail)
        )
    if item.permissions:
        return None  # used under its permission, never relicensed: see the obligations
    if kind == "collection":
        if lic.category == "status" and lic.id != "UNKNOWN":
            return Conflict(
                (lic.id,),
                (item.n,),
                ctx.say("needs_basis", item=item.label, name=lic.name(ctx.lang)),
            )
        return None
    share = lic.adaptation.share
    if share == "allowed":
        return None
    basis = lic.adaptation.basis
    if lic.category == "status":
        key = "not_open"
    elif share == "private-only":
        key = "nd_private"
    elif not lic.permits_derivative_works:
        key = "nd_forbidden"
    else:
        key = "unsupported"
    text = ctx.say(key, item=item.label, basis=basis, name=lic.name(ctx.lang))
    return Conflict((lic.id,), (item.n,), text)


def _adapters(
    catalog: Catalog, licenses: Sequence[License]
) -> tuple[frozenset[LicenseId], frozenset[LicenseId]]:
    """(green, permitted) where permitted = green ∪ yellow intersected (only without SA)."""
    green: frozenset[LicenseId] | None = None
    permitted: frozenset[LicenseId] | None = None
    # public-domain material imposes no condition (ADAPT, PD row): it does not narrow the
    # result, even when another source allows only a retired licence (ShareAlike 1.0)
    constraining = [lic for lic in licenses if not lic.adaptation.imposes_nothing]
    for lic in {lic.id: lic for lic in constraining}.values():
        g = catalog.adapter_licenses(lic, "recommended")
        y = catalog.adapter_licenses(lic, "discouraged")
        green = g if green is None else green & g
        permitted = (g | y) if permitted is None else permitted & (g | y)
    if green is None or permitted is None:
        everything = frozenset(lic.id for lic in catalog if lic.new_work)
        return everything, everything
    if any(lic.requires_share_alike for lic in licenses):
        permitted = green
    return green, permitted


def _pair_conflicts(ctx: _Context, items: Sequence[_Item]) -> list[Conflict]:
    out = []
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            assert a.license is not None and b.license is not None
            if a.license.id == b.license.id:
                continue
            green, _ = _adapters(ctx.catalog, [a.license, b.license])
            if green:
                continue
            if a.license.requires_share_alike and b.license.requires_share_alike:
                why = ctx.say("pair_sa_sa")
            elif a.license.requires_share_alike and b.license.prohibits_commercial_use:
                why = ctx.say("pair_nc_sa", sa=a.label, nc=b.label)
            elif b.license.requires_share_alike and a.license.prohibits_commercial_use:
                why = ctx.say("pair_nc_sa", sa=b.label, nc=a.label)
            else:
                why = ""
            why += " " + ctx.say(
                "pair_basis",
                a=a.label,
                b=b.label,
                basis_a=a.license.adaptation.basis,
                basis_b=b.license.adaptation.basis,
            )
            reason = ctx.say("pair", a=a.label, b=b.label, why=why.strip())
            out.append(Conflict((a.license.id, b.license.id), (a.n, b.n), reason))
    return out


def _fixes(ctx: _Context, items: Sequence[_Item], conflicts: list[Conflict]) -> list[Conflict]:
    """Attach "remove item N to publish as X" to each conflict where that one removal works."""
    fixed = []
    for conflict in conflicts:
        fixes = []
        for n in conflict.items:
            rest = [it.license for it in items if it.n != n and it.license is not None]
            green, _ = _adapters(ctx.catalog, rest)
            if rest and green:
                best = ctx.catalog.get(_ordered(ctx.catalog, green)[0])
                label = next(it.label for it in items if it.n == n)
                fixes.append(ctx.say("fix_remove", item=label, license=best.short_name))
        fix = " ".join(fixes) or ctx.say("fix_none")
        fixed.append(Conflict(conflict.sources, conflict.items, conflict.reason, fix))
    return fixed


def _adaptation(
    ctx: _Context, items: list[_Item]
) -> tuple[frozenset[LicenseId], frozenset[LicenseId]]:
    blocked = [c for it in items if (c := _unusable(ctx, it, "adaptation"))]
    ctx.conflicts.extend(blocked)
    if blocked:
        return frozenset(), frozenset()
    algebra = [it for it in items if not it.permissions]
    licenses = [it.license for it in algebra if it.license is not None]
    green, permitted = _adapters(ctx.catalog, licenses)
    if not green and not permitted:
        unique = list({it.license.id: it for it in algebra if it.license}.values())
        ctx.conflicts.extend(_fixes(ctx, unique, _pair_conflicts(ctx, unique)))
        if not ctx.conflicts:  # three or more sources clash with no pair clashing alone
            ids = tuple(sorted({lic.id for lic in licenses}))
            reason = ctx.say("pair", a=", ".join(ids), b="", why="")
            ctx.conflicts.append(Conflict(ids, tuple(it.n for it in algebra), reason))
    return green, permitted


# --- collection ----------------------------------------------------------------------------------


def _collection(ctx: _Context, items: list[_Item]) -> frozenset[LicenseId]:
    # an item's ancestors only carry their NonCommercial terms into the collection: the item
    # itself is what is included, under its own licence
    own = [it for it in items if it.ancestor_of is None]
    blocked = [c for it in own if (c := _unusable(ctx, it, "collection"))]
    ctx.conflicts.extend(blocked)
    if blocked:
        return frozenset()
    # a permission is never assumed to lift NonCommercial terms
    noncommercial = any(
        it.license is not None and it.license.prohibits_commercial_use for it in items
    )
    return frozenset(
        lic.id
        for lic in ctx.catalog
        if lic.new_work
        and lic.family == "creative-commons"
        and lic.category == "license"
        and lic.requires_attribution
        and (lic.prohibits_commercial_use or not noncommercial)
    )


# --- obligations and the intended licence -------------------------------------------------------


def _obligations(
    ctx: _Context, items: list[_Item], kind: Kind, chosen: Sequence[LicenseId]
) -> None:
    say = ctx.say
    ctx.obligations.append(say("obligation_attribute"))
    if kind == "adaptation":
        ctx.obligations.append(say("obligation_changes"))
    else:
        ctx.obligations.append(say("obligation_collection"))
    nc = [it.label for it in items if it.license and it.license.prohibits_commercial_use]
    if nc:
        ctx.obligations.append(say("obligation_nc", items=", ".join(dict.fromkeys(nc))))
    sa = [it.label for it in items if it.license and it.license.requires_share_alike]
    if kind == "adaptation" and sa:
        ctx.obligations.append(say("obligation_sa", items=", ".join(dict.fromkeys(sa))))
    for it in items:
        for perm in it.permissions:
            ctx.obligations.append(
                say("obligation_permission", item=it.label, by=perm.granted_by, scope=perm.scope)
            )
        if it.decided_by is not None and it.license is not None:
            d = it.decided_by
            ctx.obligations.append(
                say(
                    "obligation_decision",
                    item=it.label,
                    by=d.granted_by,
                    license=it.license.short_name,
                    basis=d.basis or d.evidence_url or d.scope,
                )
            )
    lineage: dict[int, dict[str, str]] = {}
    for it in items:
        if it.ancestor_of is not None and it.license is not None:
            lineage.setdefault(it.n, {"work": it.ancestor_of})[it.license.id] = (
                it.license.short_name
            )
    for n, found in lineage.items():
        work = found.pop("work")
        ctx.obligations.append(
            say("obligation_ancestor", n=n, work=work, licenses=", ".join(sorted(found.values())))
        )
    offered = [ctx.catalog.get(i) for i in chosen]
    retired = [lic.id for lic in offered if not lic.new_work]
    if offered and not retired and all(lic.replaced_by for lic in offered):
        ctx.warnings.append(
            say("warning_superseded", licenses=", ".join(lic.short_name for lic in offered))
        )
    for lic_id in retired:
        holders = [it.label for it in items if it.license and it.license.id == lic_id]
        ctx.warnings.append(
            say(
                "warning_retired",
                license=ctx.catalog.get(lic_id).short_name,
                items=", ".join(holders) or lic_id,
            )
        )


def _judge_intended(
    ctx: _Context,
    intended: License,
    kind: Kind,
    items: list[_Item],
    *,
    green: frozenset[LicenseId],
    permitted: frozenset[LicenseId],
) -> tuple[bool, list[str]]:
    say, name = ctx.say, intended.short_name
    if intended.id in green:
        return True, [say("intended_ok", license=name)]
    if intended.id in permitted:
        return True, [say("intended_discouraged", license=name)]
    reasons = [say("intended_no", license=name)]
    if not intended.new_work:
        why = say("intended_mark" if intended.category == "public-domain" else "intended_retired")
        reasons.append(say("intended_new_work", license=name, why=why))
    elif kind == "adaptation":
        for it in items:
            if it.license is None or it.permissions:
                continue
            ok = ctx.catalog.adapter_licenses(it.license, "recommended") | (
                ctx.catalog.adapter_licenses(it.license, "discouraged")
            )
            if intended.id not in ok:
                reasons.append(
                    say("intended_source", item=it.label, basis=it.license.adaptation.basis)
                )
    elif intended.prohibits_commercial_use is False and any(
        it.license and it.license.prohibits_commercial_use for it in items
    ):
        nc = [it.label for it in items if it.license and it.license.prohibits_commercial_use]
        reasons.append(say("intended_nc", items=", ".join(nc)))
    else:
        reasons.append(say("intended_collection_type"))
    reasons.extend(c.reason for c in ctx.conflicts)
    return False, reasons


def check(
    sources: Iterable[Source],
    kind: Kind = "adaptation",
    intended: str | License | None = None,
    *,
    lang: str = "en",
    catalog: Catalog | None = None,
) -> Verdict:
    """Decide whether ``sources`` may be remixed as an ``adaptation`` or a ``collection``.

    ``sources`` are licence ids or URLs, :class:`~oerremix.catalog.License` objects,
    :class:`~oerremix.model.Work` objects (their lineage and permissions count) or
    :class:`~oerremix.detect.Detection` results. ``intended`` is the licence you would like the
    result to carry. Messages are in ``lang`` (``en`` or ``fr``). Raises
    :class:`~oerremix.errors.UnknownLicenseError` for an id or URL not in the catalogue.
    """
    if kind not in ("adaptation", "collection"):
        raise ValueError(f"kind must be 'adaptation' or 'collection', not {kind!r}")
    if isinstance(sources, (str, License, Work, Detection)):
        raise TypeError(f"sources must be a list of sources, not one {type(sources).__name__}")
    cat = catalog or load_catalog()
    ctx = _Context(cat, lang)
    items = _items(ctx, list(sources), kind)
    if kind == "adaptation":
        green, permitted = _adaptation(ctx, items)
    else:
        green = permitted = _collection(ctx, items)
    allowed = not ctx.conflicts and bool(green or permitted)
    if not allowed:
        green = permitted = frozenset()
    may = _ordered(cat, green)
    discouraged = _ordered(cat, permitted - green)
    intended_lic = None
    if intended is not None:
        intended_lic = intended if isinstance(intended, License) else cat.get(intended)
    if discouraged and (intended_lic is None or intended_lic.id not in may):
        # beside the point once the intended licence is a recommended one; else the user is
        # choosing (again), or chose a discouraged licence
        ctx.warnings.append(ctx.say("warning_yellow"))
    recommended = may[0] if may else (discouraged[0] if discouraged else None)
    if allowed:
        _obligations(ctx, items, kind, may or discouraged)
    intended_ok: bool | None = None
    reasons: list[str] = []
    if intended_lic is not None:
        intended_ok, reasons = _judge_intended(
            ctx, intended_lic, kind, items, green=green, permitted=permitted
        )
    return Verdict(
        kind=kind,
        allowed=allowed,
        may_license_as=may,
        discouraged=discouraged,
        recommended=recommended,
        conflicts=tuple(ctx.conflicts),
        obligations=tuple(ctx.obligations),
        warnings=tuple(ctx.warnings),
        intended=intended_lic.id if intended_lic else None,
        intended_allowed=intended_ok,
        intended_reasons=tuple(reasons),
    )
