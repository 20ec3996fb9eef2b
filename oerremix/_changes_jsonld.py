"""A work's changes in JSON-LD: written by the attribution record, read back by the readers.

CC BY 4.0 §3(a)(1)(B) asks whoever shares adapted material to "indicate if You modified the
Licensed Material and retain an indication of any previous modifications". A remix of one of
oerremix's own packages must therefore find the changes its makers recorded, not only the
words of the notice. schema.org has no property for the changes made to a work, so each work
node of the record (``metadata.jsonld``) lists its own :attr:`~oerremix.model.Work.changes`
under :data:`CHANGES`, a property outside schema.org named by a full IRI (a JSON-LD consumer
that does not know it ignores it). Each change is a schema.org ``UpdateAction``: the
``description`` says what was changed, the ``agent`` who, ``endTime`` when, and ``object`` the
source it concerns (by ``name`` or ``url``), absent for a change to the work as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from oerremix.model import Change

__all__ = ["CHANGES", "changes_from_jsonld", "changes_to_jsonld"]

CHANGES = "https://oerremix.invalid/ns#changes"
"""The JSON-LD property listing the changes a work made (an IRI of oerremix's own)."""

_MAX_CHANGES = 10_000  # a hostile record cannot make a work with millions of changes


def changes_to_jsonld(changes: Iterable[Change]) -> list[dict[str, Any]]:
    """``changes`` as schema.org ``UpdateAction`` objects."""
    actions = []
    for change in changes:
        action: dict[str, Any] = {"@type": "UpdateAction", "description": change.what}
        if change.by:
            action["agent"] = {"name": change.by}
        if change.date:
            action["endTime"] = change.date
        if change.source:
            key = "url" if re.match(r"https?://", change.source) else "name"
            action["object"] = {key: change.source}
        actions.append(action)
    return actions


def changes_from_jsonld(value: Any) -> tuple[Change, ...]:
    """The changes a work node lists under :data:`CHANGES`; what cannot be read is left out.

    A description that is not a non-empty string drops the change; an agent, date or object
    that is not usable drops only that part (the change is still indicated).
    """
    items = value if isinstance(value, list) else [value]
    changes = []
    for item in items[:_MAX_CHANGES]:
        if not isinstance(item, dict):
            continue
        what = _text(item.get("description"))
        if what is None:
            continue
        agent, target = item.get("agent"), item.get("object")
        by = _text(agent.get("name") if isinstance(agent, dict) else agent)
        source = None
        if isinstance(target, dict):
            source = _text(target.get("name")) or _text(target.get("url"))
        date = _text(item.get("endTime"))
        try:
            changes.append(Change(what, by, date, source))
        except ValueError:  # a malformed date: keep the change, without it
            changes.append(Change(what, by, None, source))
    return tuple(changes)


def _text(value: Any) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None
