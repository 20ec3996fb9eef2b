"""The audit's book-level verdict: which licences the whole book may carry.

:func:`weigh_verdict` asks the compatibility engine (:func:`oerremix.compat.check`) about what an
audit found: the items the book adapts, and everything in it as a collection. It takes the
:class:`oerremix.audit._Auditor` that found them, and flags there a declared licence or a
policy's target that the whole may not carry; used by :func:`oerremix.audit.audit`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from oerremix._audit_report import BookVerdict, Severity, VerdictView, _names, _short
from oerremix._audit_words import quote
from oerremix.compat import check
from oerremix.model import Work

if TYPE_CHECKING:
    from oerremix.audit import _Auditor

__all__ = ["weigh_verdict"]

Kind = Literal["adaptation", "collection"]
_Input = tuple[str, "Work | str"]  # an item id and what the compatibility engine weighs for it


def weigh_verdict(auditor: _Auditor) -> BookVerdict:
    """Which licences the whole may carry: the compatibility engine, asked about what the
    book adapts (sources, changed items) and about everything in it as a collection."""
    book, cat = auditor.book, auditor.catalog
    intended = book if book is not None and book.category != "status" else None
    adapted = [(i, v) for i, v, a in auditor.inputs if a]
    # public-domain material constrains nothing; a work is weighed with its lineage
    collected = [
        (i, v)
        for i, v, _ in auditor.inputs
        if isinstance(v, Work) or not (cat.get(v).adaptation.imposes_nothing)
    ]

    def view(kind: Kind, pairs: list[_Input]) -> VerdictView | None:
        if not pairs:
            return None
        result = check([v for _, v in pairs], kind=kind, intended=intended, catalog=cat)
        reasons = [c.reason for c in result.conflicts]
        reasons += [r for r in result.intended_reasons if r not in reasons]
        return VerdictView(
            kind,
            result.allowed,
            result.may_license_as,
            result.discouraged,
            result.intended_allowed,
            tuple(reasons),
            tuple(i for i, _ in pairs),
        )

    adaptation, collection = view("adaptation", adapted), view("collection", collected)
    may: tuple[str, ...] | None = None
    for v in (adaptation, collection):
        if v is not None:
            allowed = v.may_license_as + v.discouraged
            may = allowed if may is None else tuple(x for x in may if x in allowed)
    declared_allowed = None if book is None or may is None else book.id in may
    if declared_allowed is False and book is not None and intended is not None:
        kind: Kind = (
            "adaptation" if adaptation and adaptation.declared_allowed is False else "collection"
        )
        pairs = adapted if kind == "adaptation" else collected
        blocking = [
            i
            for i, v in pairs
            if check([v], kind=kind, intended=intended, catalog=cat).intended_allowed is False
        ]
        named = []
        for i in blocking[:3]:
            found = auditor.find(i)
            if found is not None:
                named.append(f"{found.kind} {quote(found.title or i, 50)} ({found.license_label})")
        because = f" Because of: {'; '.join(named)}" if named else ""
        because += (
            f" and {len(blocking) - 3} more." if len(blocking) > 3 else ("." if named else "")
        )
        severity: Severity = "error" if kind == "adaptation" else "warning"
        auditor.flag(
            "declared-license-not-allowed",
            kind,
            auditor.at(),
            None,
            severity=severity,
            license=book.short_name,
            options=_names(cat, may or ()),
            best=_names(cat, (may or ())[:1]),
            because=because,
        )
    target = auditor.policy.target
    if target is not None and may is not None and target not in may:
        auditor.flag(
            "policy-target",
            "verdict",
            auditor.at(),
            "book",
            target=_short(cat, target),
            options=_names(cat, may),
        )
    unknown = tuple(dict.fromkeys(auditor.unknown))
    return BookVerdict(
        book.id if book else None, may, declared_allowed, adaptation, collection, unknown
    )
