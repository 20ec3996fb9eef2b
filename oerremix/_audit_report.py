"""The audit report: what :func:`oerremix.audit` computes, and the formatters that write it.

Compute, then format. :class:`Report` is plain data (the items of a book with their licences and
attribution checks, the findings, the book-level verdict); :func:`format_text`,
:func:`format_json` and :func:`format_html` are pure functions from a report to a string. The
HTML report is one standalone page: no script, no network, a strict Content-Security-Policy, the
chart drawn as inline SVG here in Python, and a findings table sortable without JavaScript (one
table per sort order, switched by CSS radio buttons). Every title, credit and URL in it comes from
the audited book and is escaped by the one Jinja2 environment (:mod:`oerremix._attribution_render`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from oerremix.catalog import Catalog, License, load_catalog
from oerremix.model import Evidence

__all__ = [
    "RULES",
    "SEVERITIES",
    "AttributionCheck",
    "BookVerdict",
    "ChangesCheck",
    "Finding",
    "Item",
    "Location",
    "Policy",
    "Report",
    "Rule",
    "VerdictView",
    "format_html",
    "format_json",
    "format_text",
]

Severity = Literal["error", "warning", "info"]
ItemKind = Literal["book", "section", "asset", "source", "part"]
Basis = Literal["stated", "inherited", "decided", "credits", "ambiguous", "conflict", "none"]
FairDealing = Literal["forbidden", "allowed_with_note", "allowed"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
"""The severities, most severe first."""

JSON_VERSION = 1
"""The version of the JSON shape :func:`format_json` writes (key ``"audit"``)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One audit rule: its id, its default severity and what it checks (see docs/audit.md)."""

    id: str
    severity: Severity
    title: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("license-missing", "error", "No licence stated"),
        Rule("license-unclear", "error", "Licence ambiguous or unknown"),
        Rule("license-conflict", "error", "Contradictory licence statements"),
        Rule("not-openly-licensed", "error", "Not under an open licence"),
        Rule("fair-dealing", "warning", "Used under an exception (fair dealing)"),
        Rule("nc-commercial", "error", "NonCommercial material in a commercial book"),
        Rule("nd-modified", "error", "NoDerivatives material modified"),
        Rule("nd-bytes-differ", "warning", "NoDerivatives file differs from its source"),
        Rule("sa-incompatible", "error", "ShareAlike material the book's licence cannot carry"),
        Rule("declared-license-not-allowed", "error", "Declared licence not possible"),
        Rule("attribution-incomplete", "error", "Attribution incomplete"),
        Rule("source-link-missing", "warning", "No link to the source"),
        Rule("changes-not-indicated", "error", "Changes not indicated"),
        Rule("uploader-credited", "error", "Credited to the uploader, not the author"),
        Rule("public-domain-mislabelled", "error", '"Public domain" labelled as CC0'),
        Rule("public-domain-claim", "warning", '"Public domain" is a claim, not a licence'),
        Rule("trademark", "warning", "Trademark or cover outside the licence"),
        Rule("creator-missing", "warning", "The book names no creator"),
        Rule("policy-target", "error", "Not the licence the policy requires"),
        Rule("link-dead", "warning", "Dead source link"),
        Rule("license-assumed", "info", "Covered by the book's licence, unmarked"),
        Rule("license-decided", "info", "Licence decided by the author"),
        Rule("section-license", "info", "Section under its own licence"),
        Rule("content-unreadable", "info", "Sections that could not be read"),
        Rule("link-unchecked", "info", "Link not checked"),
    )
}
"""Every rule the audit applies, by id."""


@dataclass(frozen=True, slots=True)
class Policy:
    """What a publishing pipeline requires of a book (see docs/audit.md, "Policy file")."""

    target: str | None = None
    """The licence id the book must be published under, or None for "the one it declares"."""
    allow_nc: bool = True
    """False when the book is offered for commercial use: every NonCommercial item is an
    error. (Even when true, NonCommercial items in a book whose declared licence allows
    commercial use are errors.)"""
    fair_dealing: FairDealing = "allowed_with_note"
    """Material used under an exception: ``forbidden`` (error), ``allowed_with_note`` (a
    warning unless its credit says so) or ``allowed`` (info)."""
    fail_on: Severity | None = None
    """The default of ``--fail-on``, or None (``error``)."""
    severity: tuple[tuple[str, Severity], ...] = ()
    """Rule ids whose severity this policy changes."""
    ignore: tuple[str, ...] = ()
    """Rule ids whose findings are dropped."""
    source: str | None = None
    """The policy file it was read from, or None."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "allow_nc": self.allow_nc,
            "fair_dealing": self.fair_dealing,
            "fail_on": self.fail_on,
            "severity": dict(self.severity),
            "ignore": list(self.ignore),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is: the file (or URL), the section and the element inside it."""

    file: str | None
    """The path or URL of the file, inside the book when known (``modules/m58453/``)."""
    section: str | None = None
    """The id of the section (``m58453``, ``chapter-24``), or None."""
    element: str | None = None
    """The element or field (``<img src="media/a.jpg">``, ``pb_book_license, line 667``)."""

    def __str__(self) -> str:
        parts = [self.file or ""]
        if self.section:
            parts.append(f"section {self.section}")
        if self.element:
            parts.append(self.element)
        return ", ".join(p for p in parts if p) or "(the book)"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "section": self.section, "element": self.element}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found: the rule, how severe, where, what is wrong and how to fix it."""

    rule: str
    """The id of the rule in :data:`RULES` (``license-missing`` …)."""
    severity: Severity
    """``error``, ``warning`` or ``info`` (the rule's, or the policy's)."""
    message: str
    """What is wrong, in plain words, quoting the book where that helps."""
    fix: str
    """A concrete way to fix it."""
    location: Location
    """Where: file, section, element."""
    item: str | None = None
    """The id of the :class:`Item` it is about, or None for the book as a whole."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
            "location": self.location.to_dict(),
            "item": self.item,
        }


@dataclass(frozen=True, slots=True)
class AttributionCheck:
    """Whether an item's credit (TASL) is present and complete for its licence version."""

    required: tuple[str, ...]
    """The elements its licence requires: ``creator``, ``title`` (before 4.0), ``source``
    (a link, "to the extent reasonably practicable") and ``license``."""
    present: tuple[str, ...]
    """The elements found, of the four."""
    found_in: tuple[str, ...]
    """Where the credit was found: ``caption``, ``credits`` (a credits section naming the
    item), ``metadata`` (structured fields: a media library, an API, JSON-LD)."""

    @property
    def missing(self) -> tuple[str, ...]:
        """The required elements not found."""
        return tuple(e for e in self.required if e not in self.present)

    @property
    def complete(self) -> bool:
        """Every required element was found."""
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        return {
            "required": list(self.required),
            "present": list(self.present),
            "missing": list(self.missing),
            "complete": self.complete,
            "found_in": list(self.found_in),
        }


@dataclass(frozen=True, slots=True)
class ChangesCheck:
    """Whether changes must be indicated for an item, and whether they are."""

    required: bool
    """Its licence requires indicating changes here (4.0: any modification; before 4.0: an
    adaptation)."""
    indicated: bool
    """Changes are recorded, or stated in a caption, notice or credits section."""

    def to_dict(self) -> dict[str, Any]:
        return {"required": self.required, "indicated": self.indicated}


@dataclass(frozen=True, slots=True)
class Item:
    """One thing the audit looked at: the book, a section, an asset or a source."""

    id: str
    """``book``, ``section:<id>``, ``asset:<n>``, ``source:<n>`` or ``part:<n>``."""
    kind: ItemKind
    """``book``, ``section``, ``asset``, ``source`` (a work it adapts) or ``part``."""
    title: str | None
    """Its title, or its file name, or None."""
    location: Location
    """Where it is."""
    license: str | None
    """Its licence id (as recorded), or None."""
    license_label: str
    """How its licence is named in reports (``CC BY 4.0``, ``Unknown``)."""
    basis: Basis
    """How its licence is known: ``stated`` for it, ``inherited`` from the book (or its
    section), ``decided`` by the author, found in the book's ``credits``, or ``ambiguous``,
    ``conflict``, ``none``."""
    evidence: tuple[Evidence, ...] = ()
    """The licence statements found for it."""
    credit: str | None = None
    """Its credit line as found, or None."""
    attribution: AttributionCheck | None = None
    """Its attribution check, when its licence requires attribution."""
    changes: ChangesCheck | None = None
    """Its changes check, when it was changed (or the book adapts it)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "location": self.location.to_dict(),
            "license": self.license,
            "license_label": self.license_label,
            "basis": self.basis,
            "evidence": [e.to_dict() for e in self.evidence],
            "credit": self.credit,
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "changes": self.changes.to_dict() if self.changes else None,
        }


@dataclass(frozen=True, slots=True)
class VerdictView:
    """The compatibility engine's answer for the book seen as an adaptation or a collection."""

    kind: Literal["adaptation", "collection"]
    """Which view."""
    allowed: bool
    """Whether material under these licences may be put together this way at all."""
    may_license_as: tuple[str, ...]
    """The licences the result may carry (CC's green cells), most suitable first."""
    discouraged: tuple[str, ...]
    """Technically permitted, discouraged (CC's yellow cells)."""
    declared_allowed: bool | None
    """Whether the book's declared licence is among them (None: no declared licence)."""
    reasons: tuple[str, ...]
    """Why, from the engine (conflicts, and what it says about the declared licence)."""
    inputs: tuple[str, ...]
    """The ids of the items whose licences were weighed."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "allowed": self.allowed,
            "may_license_as": list(self.may_license_as),
            "discouraged": list(self.discouraged),
            "declared_allowed": self.declared_allowed,
            "reasons": list(self.reasons),
            "inputs": list(self.inputs),
        }


@dataclass(frozen=True, slots=True)
class BookVerdict:
    """Which licences the whole book may carry, and whether its declared licence is one."""

    declared: str | None
    """The licence the book declares (its id), or None."""
    may_carry: tuple[str, ...] | None
    """The licences the whole may carry given the licences in it, most suitable first; None
    when nothing in it constrains the choice (all its content is its authors' own, or public
    domain)."""
    declared_allowed: bool | None
    """Whether the declared licence is among them; None when there is nothing to weigh or no
    declared licence."""
    adaptation: VerdictView | None
    """The view of what the book adapts (its sources, changed items), or None."""
    collection: VerdictView | None
    """The view of everything in it as a collection of items keeping their licences, or None."""
    undetermined: tuple[str, ...]
    """Items left out because their licence is unknown: the verdict holds once they are cleared
    or removed."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "declared": self.declared,
            "may_carry": None if self.may_carry is None else list(self.may_carry),
            "declared_allowed": self.declared_allowed,
            "adaptation": self.adaptation.to_dict() if self.adaptation else None,
            "collection": self.collection.to_dict() if self.collection else None,
            "undetermined": list(self.undetermined),
        }


_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class Report:
    """What :func:`oerremix.audit` found in a book.

    ``items`` are the book, its sections, assets and sources with their licences and checks;
    ``findings`` the problems, most severe first; ``verdict`` the licences the whole may carry.
    """

    source: str
    """The path or URL audited (or the work's recorded source)."""
    title: str | None
    """The book's title."""
    license: str | None
    """The book's declared licence id, or None."""
    license_status: str
    """How its licence statements add up: ``found``, ``ambiguous``, ``conflict`` or ``none``."""
    items: tuple[Item, ...]
    """Everything looked at, the book first."""
    findings: tuple[Finding, ...]
    """Every problem found, most severe first, then by rule and location."""
    verdict: BookVerdict
    """The book-level verdict."""
    policy: Policy | None = None
    """The policy applied, if any."""

    def counts(self) -> dict[Severity, int]:
        """How many findings of each severity."""
        found = Counter(f.severity for f in self.findings)
        return {s: found.get(s, 0) for s in SEVERITIES}

    def fails(self, level: Severity = "error") -> bool:
        """Whether any finding is at or above ``level`` (``error`` or ``warning``)."""
        return any(_RANK[f.severity] <= _RANK[level] for f in self.findings)

    def license_mix(self) -> tuple[tuple[str, int], ...]:
        """How many items (sections, assets, sources) carry each licence, largest first, as
        ``(license_label, count)``."""
        counts = Counter(i.license_label for i in self.items if i.kind != "book")
        return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def item(self, item_id: str) -> Item:
        """The item with this id; :class:`KeyError` if there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape ``oerremix audit --json`` prints (see docs/audit.md)."""
        kinds = Counter(i.kind for i in self.items)
        return {
            "audit": JSON_VERSION,
            "source": self.source,
            "title": self.title,
            "license": self.license,
            "license_status": self.license_status,
            "summary": {
                **self.counts(),
                "sections": kinds.get("section", 0),
                "assets": kinds.get("asset", 0),
                "sources": kinds.get("source", 0) + kinds.get("part", 0),
            },
            "verdict": self.verdict.to_dict(),
            "license_mix": [{"license": label, "count": n} for label, n in self.license_mix()],
            "policy": self.policy.to_dict() if self.policy else None,
            "items": [i.to_dict() for i in self.items],
            "findings": [f.to_dict() for f in self.findings],
        }


# --- text ----------------------------------------------------------------------------------


def _names(catalog: Catalog, ids: Iterable[str] | None, limit: int = 6) -> str:
    """Licence names for people: the current, international versions first; older versions and
    ports (which the JSON lists in full) are summed up."""
    if ids is None:
        return "any licence (nothing in it constrains the choice)"
    listed = list(ids)
    if not listed:
        return "none"
    found = {i: catalog.find(i) for i in listed}
    cc = [lic for lic in found.values() if lic is not None and lic.family == "creative-commons"]
    latest = max((_version(lic) for lic in cc), default=())
    current = [
        i
        for i, lic in found.items()
        if lic is None
        or lic.family != "creative-commons"
        or (lic.jurisdiction is None and _version(lic) == latest)
    ]
    shown = [_short(catalog, i) for i in (current or listed)[:limit]]
    more = len(current or listed) - limit
    text = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    if current and len(current) < len(listed):
        text += " (or their earlier versions and ports)"
    return text


def _version(lic: License) -> tuple[int, ...]:
    return tuple(int(p) for p in (lic.version or "").split(".") if p.isdigit())


def _short(catalog: Catalog, lic_id: str | None) -> str:
    if lic_id is None:
        return "unknown"
    found = catalog.find(lic_id)
    return found.short_name if found else lic_id


def _yes_no(value: bool | None) -> str:
    return "n/a" if value is None else ("yes" if value else "no")


def format_text(report: Report, *, verbose: bool = False) -> str:
    """A terminal summary: the book, its verdict, the counts, then every error and warning
    (and, with ``verbose``, every info finding) with its location and fix."""
    catalog = load_catalog()
    counts = report.counts()
    kinds = Counter(i.kind for i in report.items)
    lines = [
        f"Audit of {report.title or '(untitled)'} ({report.source})",
        f"declared licence: {_short(catalog, report.license)} ({report.license_status})",
        f"items: {kinds.get('section', 0)} sections, {kinds.get('asset', 0)} assets, "
        f"{kinds.get('source', 0) + kinds.get('part', 0)} sources",
    ]
    verdict = report.verdict
    lines.append(f"the whole may carry: {_names(catalog, verdict.may_carry)}")
    if verdict.declared is not None:
        lines.append(f"declared licence among them: {_yes_no(verdict.declared_allowed)}")
    if verdict.undetermined:
        lines.append(f"left out (licence unknown): {len(verdict.undetermined)} items")
    mix = ", ".join(f"{label} {n}" for label, n in report.license_mix())
    if mix:
        lines.append(f"licence mix: {mix}")
    lines.append(
        f"findings: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"
    )
    shown = [f for f in report.findings if verbose or f.severity != "info"]
    for finding in shown:
        lines.append("")
        lines.append(f"{finding.severity}: {finding.rule}: {finding.location}")
        lines.append(f"  {finding.message}")
        lines.append(f"  fix: {finding.fix}")
    hidden = len(report.findings) - len(shown)
    if hidden:
        lines.append("")
        lines.append(f"({hidden} info findings not shown: use --verbose, --json or --html)")
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    """The report as one JSON document (indented, UTF-8 as is), as ``--json`` prints it."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


# --- HTML ----------------------------------------------------------------------------------

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""The Content-Security-Policy of the HTML report: no script, no request, inline styles."""

_SORTS: tuple[tuple[str, str], ...] = (
    ("severity", "Severity"),
    ("rule", "Rule"),
    ("location", "Location"),
)


@dataclass(frozen=True, slots=True)
class _Bar:
    label: str
    count: int
    y: int
    width: int
    color: str


_CHART_LABEL = 170
_CHART_BAR = 360
_CHART_ROW = 30


def _color(lic: License | None) -> str:
    if lic is None or lic.category == "status":
        return "#8a8a8a"
    if lic.category == "public-domain":
        return "#2e7d32"
    if lic.prohibits_commercial_use:
        return "#c75b00"
    if not lic.permits_derivative_works:
        return "#7b3fa0"
    if lic.requires_share_alike:
        return "#1f5fa8"
    return "#00796b"


def _chart(report: Report, catalog: Catalog) -> tuple[list[_Bar], int, int]:
    """The bars of the licence-mix chart, computed here so the page needs no script."""
    by_label: dict[str, License | None] = {}
    for item in report.items:
        if item.license_label not in by_label:
            by_label[item.license_label] = catalog.find(item.license) if item.license else None
    mix = report.license_mix()
    top = max((n for _, n in mix), default=1)
    bars = [
        _Bar(
            label=label,
            count=n,
            y=i * _CHART_ROW + 10,
            width=max(2, round(_CHART_BAR * n / top)),
            color=_color(by_label.get(label)),
        )
        for i, (label, n) in enumerate(mix)
    ]
    height = len(bars) * _CHART_ROW + 20
    return bars, _CHART_LABEL + _CHART_BAR + 60, height


def _sorted(report: Report, key: str) -> list[Finding]:
    def location(f: Finding) -> tuple[str, str, str]:
        loc = f.location
        return (loc.file or "", loc.section or "", loc.element or "")

    findings = list(report.findings)
    if key == "rule":
        return sorted(findings, key=lambda f: (f.rule, _RANK[f.severity], location(f)))
    if key == "location":
        return sorted(findings, key=lambda f: (location(f), _RANK[f.severity], f.rule))
    return sorted(findings, key=lambda f: (_RANK[f.severity], f.rule, location(f)))


def _link(url: str | None) -> str | None:
    """A URL safe to link to from the report (http or https), else None."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def format_html(report: Report) -> str:
    """The report as a standalone HTML page a coordinator can open without a network.

    No script is needed or allowed (the page's Content-Security-Policy is :data:`CSP`); the
    licence-mix chart is inline SVG; the findings table is rendered once per sort order and a
    CSS radio switch shows one. All text from the book is escaped.
    """
    from oerremix._attribution_render import _environment

    catalog = load_catalog()
    bars, width, height = _chart(report, catalog)
    template = _environment().get_template("audit/report.html.j2")
    return template.render(
        report=report,
        csp=CSP,
        counts=report.counts(),
        kinds=Counter(i.kind for i in report.items),
        bars=bars,
        chart_width=width,
        chart_height=height,
        label_width=_CHART_LABEL,
        sorts=[(key, label, _sorted(report, key)) for key, label in _SORTS],
        rules=RULES,
        short=lambda lic_id: _short(catalog, lic_id),
        names=lambda ids: _names(catalog, ids, limit=12),
        yes_no=_yes_no,
        link=_link,
    )
