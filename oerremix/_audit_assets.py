"""The audit's checks of each asset: its licence, its credit, its changes and its file.

:func:`audit_assets` records an item for every image, video, audio file and embed of the book,
with the licence it carries (stated, inherited, decided or found in the credits), and flags what
is wrong with it: a licence missing or unclear, NonCommercial or NoDerivatives material used
against its terms, an incomplete credit, a credit to the uploader, a trademark or cover, an item
marked all rights reserved or used under fair dealing. It takes the
:class:`oerremix.audit._Auditor` that walks the book and records findings through it; used by
:func:`oerremix.audit.audit`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from oerremix._audit_report import Basis, ChangesCheck, Location
from oerremix._audit_words import cut, is_url, quote
from oerremix.catalog import License
from oerremix.model import Asset

if TYPE_CHECKING:
    from oerremix.audit import _Auditor, _Credit

__all__ = ["audit_assets"]

_UPLOADED_BY = re.compile(
    r"\b(?:uploaded\s+by|uploader|hochgeladen\s+von|téléversé\s+par|importé\s+par|subido\s+por)"
    r"\s*:?\s*[^,;()\n]+",
    re.IGNORECASE,
)


def audit_assets(auditor: _Auditor, differs: Callable[[Asset, License], str | None]) -> None:
    """Every asset of the book: its item, and what is wrong with its licence, credit, changes or
    file (``differs`` tells how a NoDerivatives file differs from its original)."""
    for n, asset in enumerate(auditor.work.assets, start=1):
        item_id = f"asset:{n}"
        name = posixpath.basename(urlsplit(asset.source).path) or asset.source
        at = (
            auditor.content.placements.get(n)
            or auditor.content.named_in.get(n)
            or auditor.at(f"{asset.kind} {cut(asset.source, 100)}")
        )
        what = f"The {asset.kind} {quote(asset.title or name, 60)}"
        entries = auditor.entries_for([asset.source], [asset.source, name], asset.title)
        credit = auditor.credit_of(
            text=asset.credit,
            title=asset.title,
            authors=bool(asset.authors),
            urls=[asset.source, *(a.url for a in asset.authors)],
            entries=entries,
            metadata=bool(asset.authors) or (bool(asset.license) and not asset.credit),
        )
        decided = next((p for p in asset.permissions if p.kind == "decision"), None)
        lic: License | None = None
        basis: Basis = "none"
        if asset.license:
            lic = auditor.catalog.find(asset.license)
            basis = "inherited" if asset.license_inherited else "stated"
        elif decided is not None and decided.license:
            lic, basis = auditor.catalog.find(decided.license), "decided"
        elif credit.license is not None:
            lic, basis = credit.license, "credits"
        changed = bool(asset.changes) or credit.changes
        altered = differs(asset, lic) if lic is not None and basis != "inherited" else None
        check = auditor.attribution(lic, credit) if lic and basis != "inherited" else None
        changes = None
        if lic is not None and basis != "inherited" and (changed or altered):
            changes = ChangesCheck(lic.requires_attribution, changed)
        auditor.item(
            item_id,
            "asset",
            asset.title or name,
            at,
            license=asset.license,
            lic=lic,
            basis=basis,
            credit=asset.credit,
            attribution=check,
            changes=changes,
        )
        if asset.trademark or (asset.title or "").strip().lower() == "cover":
            kind = "trademark" if asset.trademark else "cover"
            auditor.flag("trademark", kind, at, item_id, what=what)
            if asset.trademark:
                continue
        statements = credit.statements
        if lic is None and asset.license:
            auditor.unknown.append(item_id)
            auditor.flag(
                "license-unclear", "item", at, item_id, what=what, license=quote(asset.license)
            )
            continue
        if lic is None:
            _asset_without_licence(auditor, asset, credit, what=what, at=at, item=item_id)
            continue
        if basis == "inherited":
            continue
        if lic.category == "status":
            _status_item(auditor, asset, lic, what=what, at=at, item=item_id)
            continue
        auditor.inputs.append((item_id, lic.id, changed or bool(altered)))
        auditor.license_rules(lic, what, at, item_id, statements=statements, changed=changed)
        if altered is not None:
            rule = (
                "nd-modified"
                if "dimensions" in altered or "recorded" in altered
                else ("nd-bytes-differ")
            )
            auditor.flag(
                rule, "file", at, item_id, what=what, license=lic.short_name, differs=altered
            )
            if not changed and lic.requires_attribution:
                auditor.flag(
                    "changes-not-indicated", "item", at, item_id, what=what, differs=altered
                )
        auditor.attribution_rules(check, lic, what, at, item_id)
        uploaded = next(filter(None, map(_UPLOADED_BY.search, statements)), None)
        if uploaded is not None:
            auditor.flag(
                "uploader-credited",
                "text",
                at,
                item_id,
                what=what,
                said=quote(uploaded.group(0), 60),
            )


def _asset_without_licence(
    auditor: _Auditor, asset: Asset, credit: _Credit, *, what: str, at: Location, item: str
) -> None:
    statements = list(dict.fromkeys(s for s in (asset.credit, *credit.statements) if s))
    if auditor.claim_rules(statements, what, at, item):
        auditor.unknown.append(item)
        return
    if statements or asset.authors or _foreign(auditor, asset):
        auditor.unknown.append(item)
        said = f"credited {quote(statements[0])}" if statements else "hosted elsewhere"
        if not statements and asset.authors:
            said = f"by {asset.authors[0].name}"
        auditor.flag("license-missing", "asset", at, item, what=what, said=said)
        return
    book = auditor.book
    variant = "covered" if book is not None else "unknown"
    auditor.flag(
        "license-assumed", variant, at, item, what=what, license=book.short_name if book else ""
    )


def _status_item(
    auditor: _Auditor, asset: Asset, lic: License, *, what: str, at: Location, item: str
) -> None:
    """An item marked all rights reserved, used with permission or under fair dealing."""
    if lic.id == "FAIR-DEALING":
        mode = auditor.policy.fair_dealing
        if mode == "forbidden":
            auditor.flag("fair-dealing", "forbidden", at, item, severity="error", what=what)
        elif mode == "allowed_with_note" and not asset.credit:
            auditor.flag("fair-dealing", "unmarked", at, item, what=what)
        else:
            marked = " and marked so" if asset.credit else ""
            auditor.flag(
                "fair-dealing", "allowed", at, item, severity="info", what=what, marked=marked
            )
        return
    permission = next((p for p in asset.permissions if p.kind == "permission"), None)
    if permission is not None:
        auditor.flag(
            "not-openly-licensed",
            "permission",
            at,
            item,
            severity="info",
            what=what,
            by=permission.granted_by,
            scope=cut(permission.scope, 80),
        )
    else:
        auditor.flag("not-openly-licensed", "item", at, item, what=what, name=lic.name())


def _foreign(auditor: _Auditor, asset: Asset) -> bool:
    """Whether an asset is hosted on another site than the book (an embed, a hotlink)."""
    if not is_url(asset.source):
        return False
    homes = {
        urlsplit(u).netloc.lower().removeprefix("www.")
        for u in (auditor.work.url, auditor.source)
        if u and is_url(u)
    }
    return urlsplit(asset.source).netloc.lower().removeprefix("www.") not in homes
