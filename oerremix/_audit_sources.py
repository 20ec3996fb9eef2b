"""The audit's checks of the works a book adapts and collects.

:func:`audit_sources` records an item for every source the book is based on (``based_on``) and
every part it collects (``parts``), with the licence it carries and its credit, and flags a
licence missing or unclear, a work not openly licensed, material used against its licence's
terms, an incomplete credit, and adapted Creative Commons sources whose changes the book does
not indicate. It takes the :class:`oerremix.audit._Auditor` that walks the book and records
findings through it; used by :func:`oerremix.audit.audit`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oerremix._audit_report import Basis, ChangesCheck, ItemKind, Location
from oerremix._audit_words import quote
from oerremix.catalog import License
from oerremix.model import Work

if TYPE_CHECKING:
    from oerremix.audit import _Auditor

__all__ = ["audit_sources"]


def audit_sources(auditor: _Auditor) -> None:
    """The works the book adapts (``based_on``) and collects (``parts``)."""
    indicated = bool(auditor.work.changes) or auditor.content.changes > 0
    unmarked: list[str] = []
    listed: list[tuple[str, ItemKind, Work]] = [
        (f"source:{n}", "source", w) for n, w in enumerate(auditor.work.based_on, 1)
    ]
    listed += [(f"part:{n}", "part", w) for n, w in enumerate(auditor.work.parts, 1)]
    for item_id, kind, source in listed:
        adapted = kind == "source"
        what = f"The {kind} {quote(source.title or source.url or item_id, 80)}"
        urls = [source.url] if source.url else []
        entries = auditor.entries_for(urls, [], source.title)
        credit = auditor.credit_of(
            text=None,
            title=source.title,
            authors=bool(source.authors),
            urls=urls,
            entries=entries,
            metadata=bool(source.authors or source.license),
        )
        decided = next((p for p in source.permissions if p.kind == "decision"), None)
        lic: License | None = None
        basis: Basis = "none"
        if source.license:
            lic, basis = auditor.catalog.find(source.license), "stated"
        elif decided is not None and decided.license:
            lic, basis = auditor.catalog.find(decided.license), "decided"
        elif credit.license is not None:
            lic, basis = credit.license, "credits"
        at = Location(source.url or auditor.source, None, None)
        changes = None
        if adapted and lic is not None:
            required = lic.requires_attribution and lic.family == "creative-commons"
            changes = ChangesCheck(required, indicated or bool(source.changes))
            if required and not changes.indicated:
                unmarked.append(lic.short_name)
        check = auditor.attribution(lic, credit) if lic is not None else None
        evidence = source.provenance.license_evidence if source.provenance else ()
        auditor.item(
            item_id,
            kind,
            source.title or source.url,
            at,
            license=source.license,
            lic=lic,
            basis=basis,
            evidence=evidence,
            attribution=check,
            changes=changes,
        )
        if lic is None:
            auditor.unknown.append(item_id)
            if source.license:
                auditor.flag(
                    "license-unclear",
                    "item",
                    at,
                    item_id,
                    what=what,
                    license=quote(source.license),
                )
            else:
                use = "adapt" if adapted else "include"
                auditor.flag("license-missing", "source", at, item_id, what=what, use=use)
            continue
        value: Work | str = source if basis in ("stated", "decided") else lic.id
        auditor.inputs.append((item_id, value, adapted))
        if lic.category == "status":
            auditor.flag("not-openly-licensed", "item", at, item_id, what=what, name=lic.name())
            continue
        auditor.license_rules(lic, what, at, item_id, adapted=adapted)
        auditor.attribution_rules(check, lic, what, at, item_id)
    if unmarked:
        auditor.flag(
            "changes-not-indicated",
            "book",
            auditor.at(),
            "book",
            licenses=", ".join(sorted(set(unmarked))),
        )
