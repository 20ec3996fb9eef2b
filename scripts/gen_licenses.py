#!/usr/bin/env python3
"""Generate the licence catalogue ``licenses/*.yaml`` (format: docs/license-data.md).

Usage::

    python scripts/gen_licenses.py [REFERENCE_DIR] [--out DIR] [--check]

``REFERENCE_DIR`` holds CC's two datasets, read-only (default ``../shared/reference`` relative to
the repository root; people who clone the repository do not have it, which is why the generated
YAML is committed):

- ``cc-legal-tools/metadata.yaml`` — cc-legal-tools-data ``docs/licenses/metadata.yaml``: every
  CC legal tool (canonical URL, unit, version, jurisdiction, retirement date, ccREL flags);
- ``cc-licenserdf/*.rdf`` — the legacy cc.licenserdf RDF: translated titles, ``isReplacedBy``.

Everything else (the non-CC licences, the statuses, the adaptation rules, the corrections to the
two datasets) is written below with its source. No network access; the output is deterministic
(running twice gives identical files). Files ``licenses/*.yaml`` that this run did not produce are
removed. ``--check`` then reloads every file with ``yaml.CSafeLoader``, checks the catalogue
(unique ids and aliases, existing rule targets, unit/ccREL agreement, URLs) and prints counts and
the load time. Facts marked LC-x, ADAPT, SAC… come from the team reference ``cc-rules.md``
(its §0 source key).
"""

from __future__ import annotations

import argparse
import collections
import datetime as _dt
import re
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
DEFAULT_OUT = REPO / "licenses"

# ---------------------------------------------------------------------------------------------
# Sources cited in the data
# ---------------------------------------------------------------------------------------------

META_REF = "cc-legal-tools-data docs/licenses/metadata.yaml"  # + " <key>"
RDF_REF = "cc.licenserdf cc/licenserdf/licenses/"  # + file name
PO_REF = "cc-legal-tools-data legalcode/{lang}/LC_MESSAGES/{unit}_40.po"
ADAPT = (
    "https://creativecommons.org/faq/"
    "#if-i-derive-or-adapt-material-offered-under-a-creative-commons-license-which-cc-licenses-can-i-use"
)
SAC = "https://wiki.creativecommons.org/wiki/ShareAlike_compatibility"
SAC_FAL = "https://wiki.creativecommons.org/wiki/ShareAlike_compatibility:_FAL"
SAC_GPL = "https://wiki.creativecommons.org/wiki/ShareAlike_compatibility:_GPLv3"
CC_FAQ = "https://creativecommons.org/faq/"


def spdx_url(spdx_id: str) -> str:
    return f"https://spdx.org/licenses/{spdx_id}.html"


# ---------------------------------------------------------------------------------------------
# SPDX ids. Only these get ``spdx: true`` (cc-rules.md §1.1, §1.2, §1.3 and §1.4, "SPDX src
# list, verified"); every other CC tool gets the same *pattern* with ``spdx: false`` and is
# exported as LicenseRef-<id>.
#   - the generic/unported/international suites: CC-BY-, CC-BY-SA-, CC-BY-ND-, CC-BY-NC-,
#     CC-BY-NC-SA- {1.0, 2.0, 2.5, 3.0, 4.0} and CC-BY-NC-ND- {1.0 (= by-nd-nc/1.0), 2.0, 2.5,
#     3.0, 4.0};
#   - ports: CC-BY-2.5-AU, CC-BY-3.0-AT/-AU/-DE/-IGO/-NL/-US, CC-BY-NC-3.0-DE/-IGO,
#     CC-BY-NC-ND-3.0-DE/-IGO, CC-BY-NC-SA-2.0-DE/-FR/-UK, CC-BY-NC-SA-3.0-DE/-IGO,
#     CC-BY-ND-3.0-DE, CC-BY-SA-2.0-UK, CC-BY-SA-2.1-JP, CC-BY-SA-3.0-AT/-DE/-IGO;
#   - CC-SA-1.0 (the only non-BY 1.0 unit SPDX lists), CC0-1.0, CC-PDM-1.0 (SPDX 3.26),
#     CC-PDDC (the retired public-domain dedication and certification).
# There is no SPDX id for e.g. CC BY-SA 3.0 US or CC BY-SA 2.5 CA (cc-rules.md §1.4).
# The non-CC SPDX ids used below: GFDL-1.2-only, GFDL-1.2-or-later, GFDL-1.3-only,
# GFDL-1.3-or-later, LAL-1.3, GPL-3.0-only, GPL-3.0-or-later, OGL-UK-3.0, OGL-Canada-2.0
# (cc-rules.md §2). The Design Science License is not on the SPDX list (no src/DSL.xml in
# spdx/license-list-XML; scancode knows it only as LicenseRef-scancode-dsl).
# ---------------------------------------------------------------------------------------------

_SUITE = ("BY", "BY-SA", "BY-ND", "BY-NC", "BY-NC-SA")
SPDX_CC_IDS = frozenset(
    [f"CC-{u}-{v}" for u in _SUITE for v in ("1.0", "2.0", "2.5", "3.0", "4.0")]
    + [f"CC-BY-NC-ND-{v}" for v in ("1.0", "2.0", "2.5", "3.0", "4.0")]
    + ["CC-BY-2.5-AU"]
    + [f"CC-BY-3.0-{j}" for j in ("AT", "AU", "DE", "IGO", "NL", "US")]
    + ["CC-BY-NC-3.0-DE", "CC-BY-NC-3.0-IGO", "CC-BY-NC-ND-3.0-DE", "CC-BY-NC-ND-3.0-IGO"]
    + ["CC-BY-NC-SA-2.0-DE", "CC-BY-NC-SA-2.0-FR", "CC-BY-NC-SA-2.0-UK"]
    + ["CC-BY-NC-SA-3.0-DE", "CC-BY-NC-SA-3.0-IGO", "CC-BY-ND-3.0-DE"]
    + ["CC-BY-SA-2.0-UK", "CC-BY-SA-2.1-JP", "CC-BY-SA-3.0-AT", "CC-BY-SA-3.0-DE"]
    + ["CC-BY-SA-3.0-IGO", "CC-SA-1.0", "CC0-1.0", "CC-PDM-1.0", "CC-PDDC"]
)

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

# English names are rebuilt from the facts (cc-rules.md §1.2, APP utils.get_tool_title_en):
# element words + version + suffix. "NoDerivs" before 4.0, "NoDerivatives" in 4.0. The suffix is
# "Generic" (1.0/2.0/2.5), "Unported" (3.0), "International" (4.0), or the English jurisdiction
# name of metadata.yaml for a port. The retired special-purpose tools (sampling, devnations)
# never had a "Generic" suffix: "Sampling 1.0", "Sampling 1.0 Brazil".
EN_ELEMENTS = {
    "by": "Attribution",
    "by-sa": "Attribution-ShareAlike",
    "by-nd": "Attribution-NoDerivs",
    "by-nc": "Attribution-NonCommercial",
    "by-nc-sa": "Attribution-NonCommercial-ShareAlike",
    "by-nc-nd": "Attribution-NonCommercial-NoDerivs",
    "by-nd-nc": "Attribution-NoDerivs-NonCommercial",
    "nc": "NonCommercial",
    "nd": "NoDerivs",
    "sa": "ShareAlike",
    "nc-sa": "NonCommercial-ShareAlike",
    "nd-nc": "NoDerivs-NonCommercial",
    "sampling": "Sampling",
    "sampling+": "Sampling Plus",
    "nc-sampling+": "NonCommercial Sampling Plus",
    "devnations": "Developing Nations",
}
SPECIAL_UNITS = ("sampling", "sampling+", "nc-sampling+", "devnations")
EN_SUFFIX = {
    "1.0": "Generic",
    "2.0": "Generic",
    "2.5": "Generic",
    "3.0": "Unported",
    "4.0": "International",
}

# The names of the 4.0 licences in CC's official translations of the legal code (the title
# msgstr of cc-legal-tools-data legalcode/<lang>/LC_MESSAGES/<unit>_40.po, which the legal-tools
# app shows as the translated title; its test test_translated_title pins the French BY-NC-ND one).
# They replace the legacy RDF's 4.0 titles (see CORRECTIONS). Kept verbatim, apostrophes included
# (the by-nc-nd French title uses ’, the by-nd one ').
OFFICIAL_40_NAMES = {
    "fr": {
        "by": "Attribution 4.0 International",
        "by-sa": "Attribution - Partage dans les mêmes conditions 4.0 International",
        "by-nc": "Attribution - Utilisation non commerciale 4.0 International",
        "by-nd": "Attribution - Pas d'Œuvre dérivée 4.0 International",
        "by-nc-sa": "Attribution - Utilisation non commerciale - Partage dans les mêmes "
        "conditions 4.0 International",
        "by-nc-nd": "Attribution - Utilisation non commerciale - Pas d’Œuvre dérivée "
        "4.0 International",
    },
    "de": {
        "by": "Namensnennung 4.0 International",
        "by-sa": "Namensnennung-Share Alike 4.0 International",
        "by-nc": "Namensnennung-Nicht kommerziell 4.0 International",
        "by-nd": "Namensnennung-Keine Bearbeitungen 4.0 International",
        "by-nc-sa": "Namensnennung-Nicht kommerziell-Share Alike 4.0 International",
        "by-nc-nd": "Namensnennung-Nicht kommerziell-Keine Bearbeitungen 4.0 International",
    },
    "es": {
        "by": "Atribución/Reconocimiento 4.0 Internacional",
        "by-sa": "Atribución/Reconocimiento-CompartirIgual 4.0 Internacional",
        "by-nc": "Atribución/Reconocimiento-NoComercial 4.0 Internacional",
        "by-nd": "Atribución/Reconocimiento-SinDerivados 4.0 Internacional",
        "by-nc-sa": "Atribución/Reconocimiento-NoComercial-CompartirIgual 4.0 Internacional",
        "by-nc-nd": "Atribución/Reconocimiento-NoComercial-SinDerivados 4.0 Internacional",
    },
}

# French jurisdiction names for ports no RDF title names in French (the 2023 3.0 ports am, az,
# ge; Venezuela's RDF files have no French title at all). Usual French country names.
FR_JURISDICTION_NAMES = {"am": "Arménie", "az": "Azerbaïdjan", "ge": "Géorgie", "ve": "Venezuela"}

# Rule for French names (``names.fr``, required for every entry):
#   * 4.0: OFFICIAL_40_NAMES;
#   * otherwise the RDF's French title (whitespace normalised) where the RDF has one and it is
#     not listed as wrong in CORRECTIONS;
#   * otherwise it is composed: "<element words> <version> <jurisdiction>", where the element
#     words are those of the RDF's French title of the same unit and version in its unported
#     licence (for 2.1, which has no unported licence, the words most RDF 2.1 ports use) —
#     e.g. "Paternité - Partage à l'Identique" for BY-SA 3.0 — and the jurisdiction is the word
#     the RDF's French titles use for that jurisdiction elsewhere ("Canada", "Afrique du Sud"),
#     else FR_JURISDICTION_NAMES. German and Spanish names are given only where the RDF has
#     them (composed the same way only to repair a wrong RDF title).

# ---------------------------------------------------------------------------------------------
# Corrections to the two datasets — the legal code wins. Each is applied by the code below;
# tests pin the results.
# ---------------------------------------------------------------------------------------------

ND_UNITS = ("by-nd", "by-nc-nd", "by-nd-nc", "nd", "nd-nc")
WRONG_RDF_TITLES = {  # metadata key -> languages whose RDF title is wrong (rebuilt instead)
    **{
        f"{u}_30_za": ("en", "fr", "de", "es")
        for u in ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd")
    },
    "by-nc-nd_20_jp": ("en", "fr", "de", "es"),
}

CORRECTIONS: list[dict[str, Any]] = [
    {
        "id": "nd-permits",
        "dataset": "metadata.yaml",
        "applies_to": "every NoDerivatives tool: units " + ", ".join(ND_UNITS),
        "field": "permits",
        "was": "permits_reproduction, permits_distribution, permits_sharing: false",
        "now": "reproduction, distribution, sharing permitted (derivative_works still absent)",
        "reason": "The legal code grants verbatim reproduction and sharing (LC-BY-ND-3.0 §3 "
        "'to Reproduce the Work … to Distribute and Publicly Perform the Work'; LC-BY-ND-4.0 "
        "§2(a)(1)(A) 'reproduce and Share the Licensed Material, in whole or in part'); only "
        "adaptations are restricted. The legacy RDF agrees (cc-rules.md §1.5).",
    },
    {
        "id": "sampling-permits",
        "dataset": "metadata.yaml",
        "applies_to": "sampling 1.0 (generic, br, tw)",
        "field": "permits",
        "was": "reproduction, distribution, derivative_works, sharing",
        "now": "reproduction, derivative_works",
        "reason": "Sampling 1.0 grants only the right to create, reproduce and distribute "
        "Derivative Works (highly transformative sampling); it gives no right to distribute the "
        "Work itself, unlike Sampling Plus ('distribute copies of this whole work for "
        "noncommercial purposes'). The legacy RDF says the same (permits Reproduction, "
        "DerivativeWorks). Sampling Plus / NC Sampling Plus keep metadata's flags.",
    },
    {
        "id": "fr-4.0-names",
        "dataset": "cc.licenserdf",
        "applies_to": "the six 4.0 licences, French title",
        "field": "names.fr",
        "was": "e.g. 'Attribution -  Partage dans les Mêmes Conditions 4.0 Ceci peut être "
        "votre site web principal …' (a stray sentence instead of 'International')",
        "now": "OFFICIAL_40_NAMES['fr']",
        "reason": "The official French legal code titles (cc-legal-tools-data "
        "legalcode/fr/LC_MESSAGES/<unit>_40.po) differ from the RDF's, including the element "
        "words ('Utilisation non commerciale', 'Pas d'Œuvre dérivée', 'mêmes conditions').",
    },
    {
        "id": "de-4.0-names",
        "dataset": "cc.licenserdf",
        "applies_to": "the six 4.0 licences, German title",
        "field": "names.de",
        "was": "e.g. 'Namensnennung - Weitergabe unter gleichen Bedingungen 4.0 International' "
        "(the older deed wording)",
        "now": "OFFICIAL_40_NAMES['de']",
        "reason": "Official German legal code titles (legalcode/de/LC_MESSAGES/<unit>_40.po): "
        "'Namensnennung-Share Alike', 'Nicht kommerziell', 'Keine Bearbeitungen'.",
    },
    {
        "id": "es-4.0-names",
        "dataset": "cc.licenserdf",
        "applies_to": "the six 4.0 licences, Spanish title",
        "field": "names.es",
        "was": "e.g. 'Atribución-CompartirIgual 4.0 Internacional'",
        "now": "OFFICIAL_40_NAMES['es']",
        "reason": "Official Spanish legal code titles (legalcode/es/LC_MESSAGES/<unit>_40.po): "
        "'Atribución/Reconocimiento-…', 'SinDerivados'.",
    },
    {
        "id": "za-3.0-names",
        "dataset": "cc.licenserdf",
        "applies_to": "the six 3.0 South Africa ports (by…by-nc-nd 3.0 za)",
        "field": "names.en/fr/de/es",
        "was": "'… 3.0 United States' / '… 3.0 États-Unis' / '… Vereinigte Staaten von "
        "Amerika' / '… Estados Unidos de América'",
        "now": "English rebuilt ('… 3.0 South Africa'); fr/de/es composed with the words the RDF "
        "uses for South Africa elsewhere ('Afrique du Sud', 'Südafrika', 'Sudáfrica')",
        "reason": "These RDF files copied the US port's titles, in the regional variants of "
        "each language too (de-at, es-pr, fr-ca …), which are left out of variant_names; "
        "metadata.yaml gives jurisdiction za / South Africa.",
    },
    {
        "id": "jp-by-nc-nd-2.0-names",
        "dataset": "cc.licenserdf",
        "applies_to": "by-nc-nd 2.0 jp",
        "field": "names.en/fr/de/es",
        "was": "'Attribution-NoDerivs-NonCommercial 2.0 Generic' / '… 2.0 Générique' / "
        "'… 2.0 US-amerikanisch (nicht portiert)' / '… 2.0 Genérica'",
        "now": "rebuilt/composed from the BY-NC-ND 2.0 element words and 'Japan'/'Japon'/"
        "'Japan'/'Japón'",
        "reason": "The titles are those of the generic by-nd-nc licence, not of this port.",
    },
    {
        "id": "title-whitespace",
        "dataset": "cc.licenserdf",
        "applies_to": "every RDF title used",
        "field": "names.*",
        "was": "runs of spaces, e.g. 'Attribution -  Partage dans les Mêmes Conditions 3.0 IGO'",
        "now": "single spaces",
        "reason": "Typographical slip.",
    },
    {
        "id": "english-names-rebuilt",
        "dataset": "cc.licenserdf",
        "applies_to": "every CC tool, English name",
        "field": "names.en",
        "was": "RDF English title; besides the errors above: '… 2.0 South Korea' (metadata: "
        "Korea), 'Developing Nations License', sampling ports without their jurisdiction",
        "now": "rebuilt from unit, version and metadata.yaml's jurisdiction_name",
        "reason": "docs/license-data.md: English titles are rebuilt from the facts.",
    },
    {
        "id": "pdm-legalcode",
        "dataset": "cc.licenserdf",
        "applies_to": "Public Domain Mark 1.0",
        "field": "legalcode_url",
        "was": "cc:legalcode = http://creativecommons.org/publicdomain/zero/1.0/legalcode",
        "now": "null",
        "reason": "The PDM is not a legal instrument and has no legal code (metadata.yaml "
        "deed_only: true; FAQ: 'The Public Domain Mark is not legally operative').",
    },
    {
        "id": "retirement-dates",
        "dataset": "cc.licenserdf",
        "applies_to": "sampling+ and nc-sampling+ 1.0 (all ports); the public domain certification",
        "field": "deprecated_on",
        "was": "RDF cc:deprecatedOn 2011-09-09 / 2010-10-05",
        "now": "metadata.yaml's 2011-09-12 / 2010-10-11",
        "reason": "The legal-tools app (current source) gives these dates (cc-rules.md §1.1, "
        "§1.3).",
    },
]

# Differences between the two datasets that need no correction because the value used comes
# from the dataset that is right (kept here so the next regeneration does not rediscover them):
DATASET_NOTES = [
    "RDF by/by-sa/by-nc/by-nc-sa 2.5 scotland lack cc:permits DerivativeWorks; metadata.yaml "
    "(used) has it, as the legal code does.",
    "RDF devnations 2.0 lacks cc:requires Attribution; metadata.yaml (used) requires it (the "
    "Developing Nations licence is built on BY 2.0).",
    "RDF sampling+ 1.0 permits Sharing but not Distribution; metadata.yaml (used) permits both: "
    "the whole work may be distributed for non-commercial purposes.",
    "RDF has by-nd-nc/2.0/jp, which metadata.yaml (CC's current list of 639 tools) does not: "
    "not generated (its id would clash with by-nc-nd/2.0/jp, CC-BY-NC-ND-2.0-JP).",
    "RDF has the pre-2004 'CC wrappers' BSD, GPL 2.0, LGPL 2.1 and MIT: not CC legal tools, not "
    "generated.",
    "metadata.yaml titles (in the port's language) are not used for names: by-nc_20_de reads "
    "'Namensnennung' only and sixteen titles contain double spaces (SOURCE.md).",
    "RDF isReplacedBy also chains some ports (e.g. by-sa/2.0/ca -> by-sa/2.5/ca), unevenly; "
    "replaced_by is set for the generic licences only.",
]

# ---------------------------------------------------------------------------------------------
# Reading the two datasets
# ---------------------------------------------------------------------------------------------

NS = {
    "cc": "http://creativecommons.org/ns#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcq": "http://purl.org/dc/terms/",
}
_RDF_ABOUT = f"{{{NS['rdf']}}}about"
_RDF_RESOURCE = f"{{{NS['rdf']}}}resource"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def load_metadata(reference: Path) -> list[tuple[str, dict[str, Any]]]:
    with open(reference / "cc-legal-tools" / "metadata.yaml", encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    out = []
    for section in ("licenses", "publicdomain"):
        for item in data[section]:
            ((key, value),) = item.items()
            out.append((key, value))
    return out


def load_rdf(reference: Path) -> dict[str, dict[str, Any]]:
    """RDF licences by their http canonical URL: file name, titles, isReplacedBy."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((reference / "cc-licenserdf").glob("*.rdf")):
        root = etree.parse(str(path), parser).getroot()
        for lic in root.findall("cc:License", NS):
            titles: dict[str, str] = {}
            for title in lic.findall("dc:title", NS):
                lang = title.get(_XML_LANG)
                if lang and title.text:
                    titles[lang] = " ".join(title.text.split())  # CORRECTIONS title-whitespace
            replaced = [e.get(_RDF_RESOURCE) for e in lic.findall("dcq:isReplacedBy", NS)]
            out[lic.get(_RDF_ABOUT)] = {
                "file": path.name,
                "titles": titles,
                "replaced_by": replaced[0] if replaced else None,
            }
    return out


def http(url: str) -> str:
    return "http://" + url.removeprefix("https://").removeprefix("http://")


# ---------------------------------------------------------------------------------------------
# CC entries
# ---------------------------------------------------------------------------------------------

SIX = ["by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"]
_TITLE = re.compile(r"^(?P<words>.*?) (?P<ver>\d\.\d)(?: (?P<juris>.*))?$")


def cc_id(unit: str, version: str, juris: str | None) -> str:
    if unit == "zero":
        return "CC0-1.0"
    if unit == "mark":
        return "CC-PDM-1.0"
    if unit == "certification":
        return "CC-PDDC"
    name = {
        "by-nd-nc": "BY-NC-ND",
        "sampling+": "SAMPLING-PLUS",
        "nc-sampling+": "NC-SAMPLING-PLUS",
    }.get(unit, unit.upper())
    return f"CC-{name}-{version}" + (f"-{juris.upper()}" if juris else "")


def english_name(unit: str, version: str, juris: str | None, juris_name: str) -> str:
    if unit == "zero":
        return "CC0 1.0 Universal"
    if unit == "mark":
        return "Public Domain Mark 1.0"
    if unit == "certification":
        # metadata title: "Copyright-Only Dedication* (based on United States law) or Public
        # Domain Certification"; SPDX CC-PDDC: "Creative Commons Public Domain Dedication and
        # Certification" (without the "Creative Commons" prefix, like every name here).
        return "Public Domain Dedication and Certification"
    words = EN_ELEMENTS[unit]
    if version == "4.0":
        words = words.replace("NoDerivs", "NoDerivatives")
    if juris:
        return f"{words} {version} {juris_name}"
    if unit in SPECIAL_UNITS:
        return f"{words} {version}"
    return f"{words} {version} {EN_SUFFIX[version]}"


class TitleComposer:
    """Composes a translated title from the RDF's element words and jurisdiction words."""

    def __init__(self, meta: list[tuple[str, dict[str, Any]]], rdf: dict[str, dict[str, Any]]):
        self.generic: dict[tuple[str, str, str], str] = {}
        self.port_words: dict[tuple[str, str, str], collections.Counter[str]] = (
            collections.defaultdict(collections.Counter)
        )
        self.juris_words: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
            collections.Counter
        )
        for key, v in meta:
            entry = rdf.get(http(v["canonical_url"]))
            if entry is None:
                continue
            wrong = WRONG_RDF_TITLES.get(key, ())
            for lang, title in entry["titles"].items():
                m = _TITLE.match(title)
                if lang in wrong or not m:
                    continue
                juris = v.get("jurisdiction_code")
                if juris:
                    self.port_words[(lang, v["unit"], v["version"])][m["words"]] += 1
                    if m["juris"]:
                        self.juris_words[(lang, juris)][m["juris"]] += 1
                else:
                    self.generic[(lang, v["unit"], v["version"])] = m["words"]

    @staticmethod
    def _top(counter: collections.Counter[str]) -> str | None:
        if not counter:
            return None
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    def compose(self, lang: str, unit: str, version: str, juris: str) -> str | None:
        words = self.generic.get((lang, unit, version)) or self._top(
            self.port_words[(lang, unit, version)]
        )
        place = self._top(self.juris_words[(lang, juris)])
        if place is None and lang == "fr":
            place = FR_JURISDICTION_NAMES.get(juris)
        if words is None or place is None:
            return None
        return f"{words} {version} {place}"


def rule(units: list[str], min_version: str, **extra: Any) -> dict[str, Any]:
    units = list(units)
    if min_version == "1.0" and "by-nc-nd" in units:
        units.append("by-nd-nc")  # the BY-NC-ND licence of version 1.0 (unit by-nd-nc)
    out: dict[str, Any] = {"units": units, "min_version": min_version}
    out.update(extra)
    return out


def adaptation_cc(unit: str, version: str, juris: str | None, lic_id: str) -> dict[str, Any]:
    """Adaptation rules of a CC tool (cc-rules.md §3.3, §3.5–3.8)."""
    share, rec, dis = "allowed", [], []
    port = f"LC-{unit.upper()}-{version}" + (f"-{juris.upper()}" if juris else "")
    if unit in ("zero", "mark", "certification"):
        rec = [{"any": True}]
        tool = {
            "zero": "CC0 1.0 §2 waives all copyright and related rights",
            "mark": "The Public Domain Mark labels a work free of known copyright "
            "restrictions (not a legal instrument)",
            "certification": "The retired Public Domain Dedication and Certification "
            "dedicated or certified the work to the public domain",
        }[unit]
        basis = (
            f"{tool}. ADAPT, PD row (all green): 'adaptations of materials in the public "
            "domain may be built upon and licensed by the creator under any license terms "
            "desired'."
        )
    elif unit in SPECIAL_UNITS:
        share = "forbidden"
        basis = (
            "Retired special-purpose tool (Sampling / Sampling Plus / NonCommercial "
            "Sampling Plus / Developing Nations): its adaptation terms are not encoded; "
            "not supported: decide by hand."
        )
    elif unit in ND_UNITS:
        if version == "4.0":
            share = "private-only"
            basis = (
                f"{port} §2(a)(1)(B): 'produce and reproduce, but not Share, Adapted "
                "Material'; §3: 'For the avoidance of doubt, You do not have permission "
                "under this Public License to Share Adapted Material.' ADAPT: 'Since you "
                "may not share remixes of these materials at all, there is no "
                "compatibility with other licenses.'"
            )
        else:
            share = "forbidden"
            clause = {
                "1.0": "§3 grants reproduction and distribution only, no right to make "
                "derivative works",
                "2.0": "§3: no right to make Derivative Works beyond modifications "
                "technically necessary for other media and formats",
                "2.1": "§3: no right to make Derivative Works beyond modifications "
                "technically necessary for other media and formats",
                "2.5": "§3: no right to make Derivative Works beyond modifications "
                "technically necessary for other media and formats",
                "3.0": "§3: '… but otherwise you have no rights to make Adaptations'",
            }
            basis = (
                f"{port} {clause[version]} (as LC-BY-ND-{version}). ADAPT: NoDerivatives "
                "'prohibits the creation of adaptations' before 4.0; 'there is no "
                "compatibility with other licenses.' Unmodified copies may still go into "
                "a collection."
            )
    elif unit in ("by-sa", "by-nc-sa", "sa", "nc-sa"):
        if version == "1.0":
            rec = [{"ids": [lic_id]}]
            basis = (
                f"{port} §4(b) (as LC-BY-SA-1.0, LC-BY-NC-SA-1.0, LC-SA-1.0, LC-NC-SA-1.0): "
                "'You may distribute … a Derivative Work only under the terms of this "
                "License' — only this exact licence (same version, same port), which is "
                "offered by id although CC no longer recommends it; no later version, no "
                "other port."
            )
        elif unit in ("sa", "nc-sa"):
            rec = [{"ids": [lic_id]}]
            basis = (
                f"{port}: Japanese 2.0 port of a non-Attribution ShareAlike licence CC "
                "retired in 2004; its §4(b) is not encoded. Conservative: only this same "
                "licence (offered by id)."
            )
        elif version in ("2.0", "2.1", "2.5"):
            elements = (
                "Attribution-ShareAlike"
                if unit == "by-sa"
                else ("Attribution-NonCommercial-ShareAlike")
            )
            clause = (
                f"'only under the terms of this License, a later version of this License "
                f"with the same License Elements as this License, or a Creative Commons "
                f"iCommons license that contains the same License Elements as this "
                f"License (e.g. {elements} 2.0 Japan)'"
            )
            if juris is None:
                rec = [rule([unit], version)]
                basis = (
                    f"{port} §4(b): {clause}: this licence, later versions and ports of "
                    "this or a later version. Whether earlier-version ports qualify is "
                    "not stated, so they are not offered (cc-rules.md §6 Q1)."
                )
            else:
                rec = [rule([unit], version, jurisdictions=[None, juris]), {"ids": [lic_id]}]
                basis = (
                    f"{port} §4(b) is not encoded; conservatively read like "
                    f"LC-{unit.upper()}-{version if version != '2.1' else '2.0'} §4(b) "
                    f"{clause}, limited to "
                    f"this licence, this or later versions of the unported licence and of "
                    f"the {juris.upper()} port. Ports of other jurisdictions are not "
                    "offered."
                )
        elif version == "3.0":
            rec = [rule([unit], "3.0")]
            if unit == "by-sa" and juris is None:
                basis = (
                    f"{port} §4(b): '(i) this License; (ii) a later version of this "
                    "License with the same License Elements as this License; (iii) a "
                    "Creative Commons jurisdiction license (either this or a later license "
                    "version) that contains the same License Elements as this License "
                    "(e.g., Attribution-ShareAlike 3.0 US); (iv) a Creative Commons "
                    "Compatible License'. No compatible licence applies to 3.0 (the FAL "
                    "and GPLv3 determinations are for BY-SA 4.0: SAC-FAL, SAC-GPL)."
                )
            elif unit == "by-sa":
                basis = (
                    f"{port} §4(b), as LC-BY-SA-3.0-US and -IGO: '(i) the terms of this "
                    "License; (ii) a later version of this License …; (iii) either the "
                    "Creative Commons (Unported) license or a Creative Commons "
                    "jurisdiction license (either this or a later license version) that "
                    "contains the same License Elements'; so BY-SA 3.0 unported or any "
                    "3.0 port, and 4.0 (the international successor of 'unported')."
                )
            elif juris is None:
                basis = (
                    f"{port} §4(b): '(i) the terms of this License; (ii) a later version "
                    "of this License with the same License Elements as this License; "
                    "(iii) a Creative Commons jurisdiction license (either this or a later "
                    "license version) that contains the same License Elements' — no "
                    "compatible-licence clause."
                )
            else:
                basis = (
                    f"{port} §4(b), as LC-BY-NC-SA-3.0-US: '(iii) either the unported "
                    "Creative Commons license or a Creative Commons license for another "
                    "jurisdiction (either this or a later license version)' with the same "
                    "License Elements; so BY-NC-SA 3.0 or later, any jurisdiction."
                )
        else:  # 4.0
            rec = [rule([unit], "4.0")]
            if unit == "by-sa":
                rec.append({"ids": ["LAL-1.3", "GPL-3.0-only"]})
                basis = (
                    f"{port} §3(b)(1): 'The Adapter's License You apply must be a Creative "
                    "Commons license with the same License Elements, this version or "
                    "later, or a BY-SA Compatible License.' Compatible: Free Art License "
                    "1.3 (two-way, determination of 21 Oct 2014, SAC-FAL) and GPLv3 "
                    "(one-way BY-SA 4.0 -> GPLv3, 8 Oct 2015, SAC-GPL). No 3.0 and no "
                    "ports (all ports are 3.0 or earlier)."
                )
            else:
                basis = (
                    f"{port} §3(b)(1): '… a Creative Commons license with the same License "
                    "Elements, this version or later, or a BY-NC-SA Compatible License' "
                    "(CC lists none)."
                )
    elif unit == "by":
        rec = [rule(SIX, version)]
        dis = [{"ids": ["CC0-1.0"]}]
        if version == "4.0":
            clause = (
                "§3(a)(4): 'If You Share Adapted Material You produce, the Adapter's "
                "License You apply must not prevent recipients of the Adapted Material "
                "from complying with this Public License.'"
            )
        else:
            clause = (
                "§4 sets no condition on the adapter's licence (credit and, for "
                "adaptations, a label of the changes only)."
            )
        basis = (
            f"{port} {clause} ADAPT, BY row: BY, BY-SA, BY-ND, BY-NC, BY-NC-SA, BY-NC-ND "
            f"green, PD yellow. Offered from version {version} on (cc-rules.md §6 Q4)."
        )
    elif unit == "by-nc":
        rec = [rule(["by-nc", "by-nc-sa", "by-nc-nd"], version)]
        dis = [rule(["by", "by-nd", "by-sa"], version), {"ids": ["CC0-1.0"]}]
        if version == "4.0":
            clause = (
                "§3(a)(4): 'the Adapter's License You apply must not prevent recipients "
                "of the Adapted Material from complying with this Public License.'"
            )
        else:
            clause = "§4 sets no condition on the adapter's licence."
        basis = (
            f"{port} {clause} ADAPT, BY-NC row: BY-NC, BY-NC-SA, BY-NC-ND green; BY, "
            "BY-ND, BY-SA and PD yellow (technically permitted; the NonCommercial terms "
            "keep applying to the original material). Offered from version "
            f"{version} on."
        )
    elif unit == "nc":
        rec = [rule(["by-nc", "by-nc-sa", "by-nc-nd"], version)]
        basis = (
            f"{port}: a retired non-Attribution NonCommercial licence whose rules for the "
            "adapter's licence are not encoded. Treated conservatively as the BY-NC "
            "analogue: a BY-NC-family licence from version "
            f"{version} on, which keeps the NonCommercial restriction (and adds an "
            "attribution requirement the source does not have). The retired licence itself "
            "is not offered for new work (it has no ShareAlike clause forcing it). No yellow "
            "cells."
        )
    else:
        raise ValueError(f"no adaptation rule for unit {unit!r}")
    return {"share": share, "recommended": rec, "discouraged": dis, "basis": basis}


def flags(v: dict[str, Any], unit: str) -> tuple[list[str], list[str], list[str]]:
    permits = [
        t
        for t in ("reproduction", "distribution", "derivative_works", "sharing")
        if v[f"permits_{t}"]
    ]
    if unit in ND_UNITS:  # CORRECTIONS nd-permits
        permits = [
            t
            for t in ("reproduction", "distribution", "derivative_works", "sharing")
            if t in permits or t != "derivative_works"
        ]
    if unit == "sampling":  # CORRECTIONS sampling-permits
        permits = ["reproduction", "derivative_works"]
    requires = [
        t for t in ("notice", "attribution", "share_alike", "source_code") if v[f"requires_{t}"]
    ]
    prohibits = [t for t in ("commercial_use", "high_income_nation_use") if v[f"prohibits_{t}"]]
    return permits, requires, prohibits


def build_cc(
    meta: list[tuple[str, dict[str, Any]]], rdf: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    composer = TitleComposer(meta, rdf)
    id_by_url = {}
    for _key, v in meta:
        id_by_url[http(v["canonical_url"])] = cc_id(
            v["unit"], v["version"], v.get("jurisdiction_code")
        )
    # The retired public domain dedication/certification: metadata.yaml has its current page
    # (publicdomain/certification/1.0/us), the RDF its legacy URL (licenses/publicdomain/).
    pddc_rdf = rdf.get("http://creativecommons.org/licenses/publicdomain/")

    entries = []
    for key, v in meta:
        unit, version, juris = v["unit"], v["version"], v.get("jurisdiction_code")
        lic_id = cc_id(unit, version, juris)
        url = v["canonical_url"]
        if not (url.startswith("https://") and url.endswith("/")):
            raise ValueError(f"{key}: unexpected canonical_url {url}")
        r = pddc_rdf if unit == "certification" else rdf.get(http(url))
        wrong = WRONG_RDF_TITLES.get(key, ())
        titles = {  # a wrong title is wrong in the language's regional variants too ("de-at")
            k: t
            for k, t in (r["titles"].items() if r is not None else ())
            if k.replace("_", "-").split("-")[0] not in wrong
        }

        names = {"en": english_name(unit, version, juris, v["jurisdiction_name"])}
        name_sources = []
        for lang in ("fr", "de", "es"):
            if version == "4.0" and unit in OFFICIAL_40_NAMES[lang]:
                names[lang] = OFFICIAL_40_NAMES[lang][unit]
                name_sources.append(PO_REF.format(lang=lang, unit=unit))
            elif lang in titles:
                names[lang] = titles[lang]
            elif juris and (lang == "fr" or lang in wrong):
                composed = composer.compose(lang, unit, version, juris)
                if composed:
                    names[lang] = composed
        if "fr" not in names:
            raise ValueError(f"{key}: no French name")

        deed_only = v["deed_only"]
        if unit == "certification":
            # The legacy legal code of the retired tool (RDF cc:legalcode); also makes the
            # legacy URL creativecommons.org/licenses/publicdomain/ resolve to this entry.
            legalcode = "https://creativecommons.org/licenses/publicdomain/legalcode"
        else:
            legalcode = None if deed_only else url + "legalcode"  # CORRECTIONS pdm-legalcode

        short = v["identifier"]
        path = urlsplit(url).path.strip("/")
        path = path.removeprefix("licenses/")
        aliases = [short, path]
        if unit == "by-nd-nc":  # usual element order of the same licence
            aliases.append(short.replace("BY-ND-NC", "BY-NC-ND"))
        if unit == "zero":
            aliases += ["CC0", "Creative Commons Zero"]  # Commons' UsageTerms wording
        if unit == "mark":
            aliases.append("PD-Mark")  # informal id of CC-PDM-1.0 (cc-rules.md §1.1)

        permits, requires, prohibits = flags(v, unit)
        deprecated = v.get("deprecated_on")
        if isinstance(deprecated, (_dt.date, _dt.datetime)):
            deprecated = deprecated.isoformat()
        replaced_by = None
        if juris is None and r is not None and r["replaced_by"]:
            replaced_by = id_by_url.get(r["replaced_by"])
        new_work = not (unit in ("mark", "certification") or deprecated)
        category = "public-domain" if unit in ("zero", "mark", "certification") else "license"

        adaptation = adaptation_cc(unit, version, juris, lic_id)
        sources = [legalcode or url]
        if lic_id in SPDX_CC_IDS:
            sources.append(spdx_url(lic_id))
        sources.append(f"{META_REF} {key}")
        if r is not None:
            sources.append(RDF_REF + r["file"])
        sources.extend(name_sources)
        sources.append(ADAPT)
        if unit in ("by-sa", "by-nc-sa", "sa", "nc-sa"):
            sources.append(SAC)
        if lic_id == "CC-BY-SA-4.0":
            sources += [SAC_FAL, SAC_GPL]

        entries.append(
            {
                "id": lic_id,
                "spdx": lic_id in SPDX_CC_IDS,
                "category": category,
                "family": "creative-commons",
                "short_name": short,
                "names": names,
                "unit": unit,
                "version": version,
                "jurisdiction": juris,
                "jurisdiction_name": v["jurisdiction_name"],
                "url": url,
                "legalcode_url": legalcode,
                "aliases": aliases,
                "permits": permits,
                "requires": requires,
                "prohibits": prohibits,
                "deprecated_on": deprecated,
                "replaced_by": replaced_by,
                "new_work": new_work,
                "adaptation": adaptation,
                "sources": list(dict.fromkeys(sources)),
                "_rdf_titles": titles,
            }
        )
    return entries


# ---------------------------------------------------------------------------------------------
# Non-CC licences (hand-written; cc-rules.md §2 and the texts cited in ``sources``)
# ---------------------------------------------------------------------------------------------

ALL_PERMITS = ["reproduction", "distribution", "derivative_works", "sharing"]
GFDL_FR = "Licence de documentation libre GNU"  # title of GNU's (unofficial) French translation
GPL_FR = "Licence publique générale GNU"  # idem


def other(**fields: Any) -> dict[str, Any]:
    base = {
        "id": None,
        "spdx": True,
        "category": "license",
        "family": None,
        "short_name": None,
        "names": None,
        "unit": None,
        "version": None,
        "jurisdiction": None,
        "jurisdiction_name": None,
        "url": None,
        "legalcode_url": None,
        "aliases": [],
        "permits": ALL_PERMITS,
        "requires": [],
        "prohibits": [],
        "deprecated_on": None,
        "replaced_by": None,
        "new_work": True,
        "adaptation": None,
        "sources": [],
    }
    unknown = set(fields) - set(base)
    assert not unknown, unknown
    base.update(fields)
    if "legalcode_url" not in fields:
        base["legalcode_url"] = base["url"]  # the page is the licence text itself
    return base


def gfdl(version: str, later: bool) -> dict[str, Any]:
    url = (
        "https://www.gnu.org/licenses/fdl-1.3.html"
        if version == "1.3"
        else "https://www.gnu.org/licenses/old-licenses/fdl-1.2.html"
    )
    lic_id = f"GFDL-{version}-{'or-later' if later else 'only'}"
    short = f"GFDL {version} {'or later' if later else 'only'}"
    variant = "or-later" if later else "only"
    aliases = [
        short,
        f"GFDL-{version}-no-invariants-{variant}",
        f"GFDL-{version}-invariants-{variant}",
    ]
    if not later:
        aliases.append(f"GFDL-{version}")  # deprecated SPDX id (SPDX 3.0), meant "only"
    if later:
        ids = [lic_id, f"GFDL-{version}-only"]
        if version == "1.2":
            ids += ["GFDL-1.3-or-later", "GFDL-1.3-only"]
        scope = (
            f" The work is offered under version {version} 'or any later version' (§10), "
            f"so the adapter may choose {version} or a later version, with or without "
            "the 'or later' option."
        )
    else:
        ids = [lic_id]
        scope = f" The work is offered under version {version} only."
    basis = (
        f"GFDL {version} §4: a Modified Version may be distributed only if released "
        f"'under precisely this License'.{scope} Never CC BY-SA: the GFDL 1.3 §11 "
        "relicensing option for MMC sites ended on 1 August 2009 (cc-rules.md §2). "
        "Unmodified copies may be aggregated with independent works (§7)."
    )
    text_url = url
    if later:
        # One licence text, two entries: a link to the text names "this version" (the -only
        # entry, which owns the gnu.org URL); the -or-later entry is identified by its SPDX page
        # so that every URL in the catalogue resolves to one entry.
        url = spdx_url(lic_id)
    return other(
        id=lic_id,
        family="gnu",
        short_name=short,
        names={
            "en": f"GNU Free Documentation License {version} {'or later' if later else 'only'}",
            "fr": f"{GFDL_FR} {version} {'ou ultérieure' if later else 'uniquement'}",
        },
        version=version,
        url=url,
        legalcode_url=None if later else text_url,
        aliases=aliases,
        requires=["notice", "attribution", "share_alike", "copyleft"],
        adaptation={
            "share": "allowed",
            "recommended": [{"ids": ids}],
            "discouraged": [],
            "basis": basis,
        },
        sources=[text_url, spdx_url(lic_id), "https://www.gnu.org/licenses/fdl-1.3.html"],
    )


def non_cc() -> list[dict[str, Any]]:
    out = [gfdl("1.2", False), gfdl("1.2", True), gfdl("1.3", False), gfdl("1.3", True)]
    for sub in out:
        sub["sources"] = list(dict.fromkeys(sub["sources"]))
    out.append(
        other(
            id="LAL-1.3",
            family="free-art",
            short_name="FAL 1.3",
            names={"en": "Free Art License 1.3", "fr": "Licence Art Libre 1.3"},
            version="1.3",
            url="https://artlibre.org/licence/lal/en/",
            aliases=["FAL 1.3", "FAL-1.3", "LAL 1.3"],
            requires=["notice", "attribution", "share_alike", "copyleft"],
            adaptation={
                "share": "allowed",
                "recommended": [{"ids": ["LAL-1.3", "CC-BY-SA-4.0"]}],
                "discouraged": [],
                "basis": "FAL 1.3 §2.3: derived works must be distributed under this "
                "licence or a compatible one; CC declared FAL 1.3 and CC BY-SA 4.0 two-way "
                "compatible (21 Oct 2014): an adaptation of FAL material may carry BY-SA "
                "4.0, and both authors must be attributed (SAC-FAL).",
            },
            sources=[
                "https://artlibre.org/licence/lal/en/",
                "https://artlibre.org/licence/lal/",
                spdx_url("LAL-1.3"),
                SAC_FAL,
            ],
        )
    )
    gpl = "https://www.gnu.org/licenses/gpl-3.0.html"
    out.append(
        other(
            id="GPL-3.0-only",
            family="gnu",
            short_name="GPL 3.0 only",
            names={"en": "GNU General Public License 3.0 only", "fr": f"{GPL_FR} 3.0 uniquement"},
            version="3.0",
            url=gpl,
            aliases=["GPL 3.0 only", "GPL-3.0"],  # GPL-3.0: deprecated SPDX
            requires=["notice", "share_alike", "source_code", "copyleft"],
            adaptation={
                "share": "allowed",
                "recommended": [{"ids": ["GPL-3.0-only"]}],
                "discouraged": [],
                "basis": "GPLv3 §5(c): 'You must license the entire work, as a whole, "
                "under this License'; §10: 'You may not impose any further "
                "restrictions'. One-way only: GPL material can never become CC BY-SA "
                "(SAC-GPL).",
            },
            sources=[gpl, spdx_url("GPL-3.0-only"), SAC_GPL],
        )
    )
    out.append(
        other(
            id="GPL-3.0-or-later",
            family="gnu",
            short_name="GPL 3.0 or later",
            names={
                "en": "GNU General Public License 3.0 or later",
                "fr": f"{GPL_FR} 3.0 ou ultérieure",
            },
            # Identified by its SPDX page: the gnu.org text URL names GPL-3.0-only (see gfdl()).
            version="3.0",
            url=spdx_url("GPL-3.0-or-later"),
            legalcode_url=None,
            aliases=["GPL 3.0 or later", "GPL-3.0+", "GPLv3+"],
            requires=["notice", "share_alike", "source_code", "copyleft"],
            adaptation={
                "share": "allowed",
                "recommended": [{"ids": ["GPL-3.0-or-later", "GPL-3.0-only"]}],
                "discouraged": [],
                "basis": "GPLv3 §5(c): 'You must license the entire work, as a whole, under "
                "this License'; §14: the Program is offered under version 3 'or any later "
                "version', so the adaptation may carry GPL 3.0 or later, or GPL 3.0 only. "
                "Never CC BY-SA (SAC-GPL).",
            },
            sources=[gpl, spdx_url("GPL-3.0-or-later"), SAC_GPL],
        )
    )
    ogl = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    out.append(
        other(
            id="OGL-UK-3.0",
            family="open-government",
            short_name="OGL v3.0",
            # No official French name exists; the official English one is kept.
            names={"en": "Open Government Licence v3.0", "fr": "Open Government Licence v3.0"},
            version="3.0",
            jurisdiction_name="United Kingdom",
            url=ogl,
            aliases=["OGL v3.0", "OGL 3.0"],
            requires=["notice", "attribution"],
            adaptation={
                "share": "allowed",
                "recommended": [{"ids": ["OGL-UK-3.0"]}, rule(SIX, "4.0")],
                "discouraged": [{"ids": ["CC0-1.0"]}],
                "basis": "OGL v3.0: free to adapt on condition of acknowledging the source "
                "('Contains public sector information licensed under the Open Government "
                "Licence v3.0.'); 'These terms are compatible with the Creative Commons "
                "Attribution License 4.0 … when the Information is adapted and licensed "
                "under either of those licences, you automatically satisfy the conditions "
                "of the OGL'. Treated like CC BY 4.0 (CC0 yellow).",
            },
            sources=[ogl, spdx_url("OGL-UK-3.0")],
        )
    )
    ogc = "https://open.canada.ca/en/open-government-licence-canada"
    out.append(
        other(
            id="OGL-Canada-2.0",
            family="open-government",
            short_name="OGL-Canada 2.0",
            names={
                "en": "Open Government Licence – Canada 2.0",
                "fr": "Licence du gouvernement ouvert – Canada 2.0",
            },
            version="2.0",
            jurisdiction_name="Canada",
            url=ogc,
            aliases=["OGL-Canada 2.0", "OGL Canada 2.0"],
            requires=["notice", "attribution"],
            adaptation={
                "share": "allowed",
                "recommended": [{"ids": ["OGL-Canada-2.0"]}, rule(SIX, "4.0")],
                "discouraged": [{"ids": ["CC0-1.0"]}],
                "basis": "OGL – Canada 2.0: free to adapt on condition of the attribution "
                "statement ('Contains information licensed under the Open Government "
                "Licence – Canada.'). Its text has no explicit CC-compatibility statement, "
                "but it imposes only attribution, so it is treated like CC BY 4.0 (CC0 "
                "yellow).",
            },
            sources=[
                ogc,
                "https://ouvert.canada.ca/fr/licence-du-gouvernement-ouvert-canada",
                spdx_url("OGL-Canada-2.0"),
            ],
        )
    )
    dsl = "https://www.gnu.org/licenses/dsl.html"
    out.append(
        other(
            # Not on the SPDX list. The id is spelt out: the text has no version number, and a bare
            # "DSL" would be matched as a licence name in any text about DSL internet lines.
            id="Design-Science-License",
            spdx=False,
            family="design-science",
            short_name="Design Science License",
            names={"en": "Design Science License", "fr": "Design Science License"},
            url=dsl,
            aliases=[],
            requires=["notice", "attribution", "share_alike", "source_code", "copyleft"],
            adaptation={
                "share": "allowed",
                "recommended": [{"ids": ["Design-Science-License"]}],
                "discouraged": [],
                "basis": "Design Science License §4: derivative works may be distributed "
                "only under this License, with a new name and attribution of the original "
                "author; §3: the Source Data must accompany the object form. Its author "
                "considers it obsolete (superseded by CC) but has not withdrawn it.",
            },
            sources=[dsl, "https://en.wikipedia.org/wiki/Design_Science_License"],
        )
    )
    return out


# ---------------------------------------------------------------------------------------------
# Statuses (not licences)
# ---------------------------------------------------------------------------------------------


def status(
    lic_id: str,
    short: str,
    names: dict[str, str],
    *,
    public_domain: bool,
    basis: str,
    sources: list[str],
    aliases: list[str] | None = None,
) -> dict[str, Any]:
    return other(
        id=lic_id,
        spdx=False,
        category="public-domain" if public_domain else "status",
        family="status",
        short_name=short,
        names=names,
        legalcode_url=None,
        aliases=[short, *(aliases or [])],
        permits=ALL_PERMITS if public_domain else [],
        new_work=False,
        adaptation={
            "share": "allowed" if public_domain else "forbidden",
            "recommended": [{"any": True}] if public_domain else [],
            "discouraged": [],
            "basis": basis,
        },
        sources=sources,
    )


NOT_LICENSED = (
    "Not licensed to the public: it may not be adapted, and may appear in a remix "
    "only as a separate collection item carrying its own notice that the CC licence "
    "does not apply to it (FAQ 'May I apply a Creative Commons license to my work "
    "if it incorporates material used under fair use or another exception or "
    "limitation to copyright?': 'prominently mark … so reusers do not think the "
    "CC license applies to that material')."
)


def statuses() -> list[dict[str, Any]]:
    pd_basis = (
        "ADAPT, PD row: 'other public domain material; adaptations of materials in the "
        "public domain may be built upon and licensed by the creator under any license "
        "terms desired'. A CC licence cannot be applied to the public-domain material "
        "itself: mark it (FAQ 'May I apply a Creative Commons license to a work in the "
        "public domain?'). Public-domain status depends on the jurisdiction."
    )
    return [
        status(
            "PUBLIC-DOMAIN-EXPIRED",
            "Public domain (expired)",
            {
                "en": "Public domain (copyright expired)",
                "fr": "Domaine public (droits d'auteur expirés)",
                "de": "Gemeinfrei (Schutzfrist abgelaufen)",
                "es": "Dominio público (derechos de autor expirados)",
            },
            public_domain=True,
            basis=pd_basis,
            sources=[ADAPT, CC_FAQ],
        ),
        status(
            "PUBLIC-DOMAIN-GOVERNMENT",
            "Public domain (government work)",
            {
                "en": "Public domain (government work without copyright)",
                "fr": "Domaine public (œuvre gouvernementale sans droit d'auteur)",
                "de": "Gemeinfrei (amtliches Werk ohne Urheberrecht)",
                "es": "Dominio público (obra gubernamental sin derechos de autor)",
            },
            public_domain=True,
            basis=pd_basis + " E.g. works of the US federal government (17 U.S.C. §105); "
            "many governments (UK, Canada) do hold copyright and license under an OGL.",
            sources=[ADAPT, "https://www.law.cornell.edu/uscode/text/17/105"],
        ),
        status(
            "ALL-RIGHTS-RESERVED",
            "All rights reserved",
            {
                "en": "All rights reserved",
                "fr": "Tous droits réservés",
                "de": "Alle Rechte vorbehalten",
                "es": "Todos los derechos reservados",
            },
            public_domain=False,
            basis=NOT_LICENSED,
            sources=[CC_FAQ, "https://choosealicense.com/no-license/"],
        ),
        status(
            "USED-WITH-PERMISSION",
            "Used with permission",
            {
                "en": "Used with permission",
                "fr": "Utilisé avec autorisation",
                "de": "Verwendung mit Genehmigung",
                "es": "Usado con permiso",
            },
            public_domain=False,
            basis=NOT_LICENSED + " The permission covers the permitted use only; record "
            "its scope. Adaptation or relicensing needs the rights holder's agreement.",
            sources=[CC_FAQ],
        ),
        status(
            "FAIR-DEALING",
            "Fair dealing",
            {
                "en": "Fair dealing / fair use",
                "fr": "Exception au droit d'auteur (fair dealing / fair use)",
                "de": "Urheberrechtliche Schranke (Fair Dealing / Fair Use)",
                "es": "Excepción al derecho de autor (fair dealing / uso justo)",
            },
            public_domain=False,
            basis=NOT_LICENSED + " Use under an exception (fair use, fair dealing, "
            "quotation) depends on the use and the jurisdiction and does not pass to "
            "re-users.",
            sources=[CC_FAQ],
            aliases=["FAIR-USE", "Fair use"],
        ),
        status(
            "UNKNOWN",
            "Unknown",
            {
                "en": "Unknown licence",
                "fr": "Licence inconnue",
                "de": "Unbekannte Lizenz",
                "es": "Licencia desconocida",
            },
            public_domain=False,
            basis=NOT_LICENSED + " The terms are unknown: treat as all rights reserved "
            "until they are established.",
            sources=[CC_FAQ],
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

FIELDS = [
    "id",
    "spdx",
    "category",
    "family",
    "short_name",
    "names",
    "variant_names",
    "unit",
    "version",
    "jurisdiction",
    "jurisdiction_name",
    "url",
    "legalcode_url",
    "aliases",
    "patterns",
    "permits",
    "requires",
    "prohibits",
    "deprecated_on",
    "replaced_by",
    "new_work",
    "adaptation",
    "sources",
]
RULE_FIELDS = ["ids", "any", "units", "min_version", "versions", "jurisdictions"]


# ---------------------------------------------------------------------------------------------
# Wordings met in the wild, for detection
# ---------------------------------------------------------------------------------------------

# The 4.0 names as CC's former licence chooser translated them. They differ from the official
# legal-code titles above, and they are what most French, German and Spanish licence notices in
# the wild say (e.g. "Namensnennung - Weitergabe unter gleichen Bedingungen 4.0 International",
# the chooser's German output; "Attribution - Pas d'Utilisation Commerciale - Partage dans les
# Mêmes Conditions 4.0 International", its French output). Source: the chooser's HTML output as
# found in thousands of public pages (creativecommons/cc.license formatters; CC chooser locales).
CHOOSER_40_NAMES = {
    "fr": {
        "by-sa": "Attribution - Partage dans les Mêmes Conditions 4.0 International",
        "by-nc": "Attribution - Pas d'Utilisation Commerciale 4.0 International",
        "by-nd": "Attribution - Pas de Modification 4.0 International",
        "by-nc-sa": "Attribution - Pas d'Utilisation Commerciale - Partage dans les Mêmes "
        "Conditions 4.0 International",
        "by-nc-nd": "Attribution - Pas d'Utilisation Commerciale - Pas de Modification "
        "4.0 International",
    },
    "de": {
        "by-sa": "Namensnennung - Weitergabe unter gleichen Bedingungen 4.0 International",
        "by-nc": "Namensnennung - Nicht kommerziell 4.0 International",
        "by-nd": "Namensnennung - Keine Bearbeitungen 4.0 International",
        "by-nc-sa": "Namensnennung - Nicht kommerziell - Weitergabe unter gleichen Bedingungen "
        "4.0 International",
        "by-nc-nd": "Namensnennung - Nicht kommerziell - Keine Bearbeitungen 4.0 International",
    },
    "es": {
        "by": "Atribución 4.0 Internacional",
        "by-sa": "Atribución-CompartirIgual 4.0 Internacional",
        "by-nc": "Atribución-NoComercial 4.0 Internacional",
        "by-nd": "Atribución-SinDerivadas 4.0 Internacional",
        "by-nc-sa": "Atribución-NoComercial-CompartirIgual 4.0 Internacional",
        "by-nc-nd": "Atribución-NoComercial-SinDerivadas 4.0 Internacional",
    },
}

# Regular expressions for the usual free-text notices of the non-CC licences (from the notice
# each licence text asks licensees to use; cc-rules.md §5.4 and §2).
_GFDL = r"GNU\s+Free\s+Documentation\s+Licen[cs]e,?\s+(?:Version\s+|v\.?\s*)"
_LATER = r",?\s+or\s+(?:\(at\s+your\s+option\)\s+)?(?:any\s+)?later"
_GPL = (
    r"GNU\s+(?:Affero\s+)?General\s+Public\s+Licen[cs]e,?\s+(?:as\s+published\s+by\s+the\s+"
    r"Free\s+Software\s+Foundation,?\s+)?(?:either\s+)?(?:version\s+|v\.?\s*)3(?:\.0)?"
)
PATTERNS = {
    "GFDL-1.3-or-later": [_GFDL + r"1\.3" + _LATER],
    "GFDL-1.3-only": [_GFDL + r"1\.3(?!\d|\.\d)(?!" + _LATER + ")"],
    "GFDL-1.2-or-later": [_GFDL + r"1\.2" + _LATER],
    "GFDL-1.2-only": [_GFDL + r"1\.2(?!\d|\.\d)(?!" + _LATER + ")"],
    "GPL-3.0-or-later": [_GPL + r"(?:\s+of\s+the\s+License)?" + _LATER],
    "GPL-3.0-only": [_GPL + r"(?!\d|\.\d)(?!(?:\s+of\s+the\s+License)?" + _LATER + ")"],
    "LAL-1.3": [
        r"(?:Free\s+Art\s+Licen[cs]e|Licence\s+Art\s+Libre)\s*(?:\((?:FAL|LAL)\)\s*)?"
        r"(?:version\s+)?1\.3"
    ],
    "OGL-UK-3.0": [r"Open\s+Government\s+Licen[cs]e,?\s+(?:v\.?\s*|version\s+)3(?:\.0)?"],
    "OGL-Canada-2.0": [
        r"Open\s+Government\s+Licen[cs]e\s*[-–—]\s*Canada",
        r"Licence\s+du\s+gouvernement\s+ouvert\s*[-–—]\s*Canada",
    ],
    "Design-Science-License": [r"Design\s+Science\s+Licen[cs]e"],
}


def add_wordings(entry: dict[str, Any]) -> None:
    """Set ``variant_names`` and ``patterns`` (see the tables above).

    Variant names of a CC tool: the chooser's 4.0 wording; the RDF's titles in regional
    variants of French, German and Spanish (``es-pr`` "Reconocimiento-CompartirIgual 3.0 Estados
    Unidos", ``de-at`` …); and for NoDerivs licences up to 3.0 the "No Derivative Works" wording
    of the 3.0 United States legal code's title ("Attribution-Noncommercial-No Derivative Works
    3.0 United States"), common in notices of that era (cc-rules.md §5.4).
    """
    variants: dict[str, list[str]] = {}

    def add(lang: str, name: str) -> None:
        if name != entry["names"].get(lang) and name not in variants.get(lang, []):
            variants.setdefault(lang, []).append(name)

    titles = entry.pop("_rdf_titles", {})
    if entry["family"] == "creative-commons":
        if entry["version"] == "4.0":
            for lang, by_unit in CHOOSER_40_NAMES.items():
                if by_unit.get(entry["unit"]):
                    add(lang, by_unit[entry["unit"]])
        for tag, title in sorted(titles.items()):
            base = tag.replace("_", "-").split("-")[0]
            if base in ("fr", "de", "es") and tag != base and entry["version"] != "4.0":
                add(base, title)
        if "NoDerivs" in entry["names"]["en"]:
            add("en", entry["names"]["en"].replace("NoDerivs", "No Derivative Works"))
    entry["variant_names"] = variants
    entry["patterns"] = PATTERNS.get(entry["id"], [])


def ordered(entry: dict[str, Any]) -> dict[str, Any]:
    assert list(entry) == FIELDS or set(entry) == set(FIELDS), entry["id"]
    out = {k: entry[k] for k in FIELDS}
    ad = entry["adaptation"]
    out["adaptation"] = {
        "share": ad["share"],
        "recommended": [{k: r[k] for k in RULE_FIELDS if k in r} for r in ad["recommended"]],
        "discouraged": [{k: r[k] for k in RULE_FIELDS if k in r} for r in ad["discouraged"]],
        "basis": ad["basis"],
    }
    return out


def dump(entry: dict[str, Any]) -> str:
    return yaml.safe_dump(ordered(entry), sort_keys=False, allow_unicode=True, width=1000)


def generate(reference: Path) -> list[dict[str, Any]]:
    meta = load_metadata(reference)
    rdf = load_rdf(reference)
    entries = build_cc(meta, rdf) + non_cc() + statuses()
    for entry in entries:
        add_wordings(entry)
    errors = validate(entries)
    if errors:
        raise SystemExit("invalid catalogue:\n  " + "\n  ".join(errors))
    return entries


def write(entries: list[dict[str, Any]], out: Path) -> tuple[int, int, int]:
    out.mkdir(parents=True, exist_ok=True)
    wanted = {}
    for entry in entries:
        wanted[entry["id"].lower() + ".yaml"] = dump(entry)
    written = removed = 0
    for stale in sorted(out.glob("*.yaml")):
        if stale.name not in wanted:
            stale.unlink()
            removed += 1
    for name, text in sorted(wanted.items()):
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written += 1
    return len(wanted), written, removed


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------

_URL = re.compile(r"^https://[a-z0-9.-]+\.[a-z]{2,}(/[^\s]*)?$")


def _fold(text: str) -> str:  # as oerremix.catalog._fold
    return " ".join(text.casefold().split())


def validate(entries: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    ids = [e["id"] for e in entries]
    dup_ids = [i for i, n in collections.Counter(_fold(i) for i in ids).items() if n > 1]
    if dup_ids:
        errors.append(f"duplicate ids: {dup_ids}")
    known = set(ids)
    owner: dict[str, str] = {}
    for e in entries:
        keys = {_fold(e["id"]), _fold(e["short_name"])} | {_fold(a) for a in e["aliases"]}
        for k in sorted(keys):
            if k in owner and owner[k] != e["id"]:
                errors.append(f"{e['id']}: name/alias {k!r} also names {owner[k]}")
            owner.setdefault(k, e["id"])
    for e in entries:
        eid = e["id"]
        if list(e) != FIELDS and set(e) != set(FIELDS):
            errors.append(f"{eid}: fields {sorted(set(e) ^ set(FIELDS))}")
        if "en" not in e["names"] or "fr" not in e["names"]:
            errors.append(f"{eid}: needs en and fr names")
        if e["version"] is not None and not isinstance(e["version"], str):
            errors.append(f"{eid}: version must be a string")
        if e["replaced_by"] is not None and e["replaced_by"] not in known:
            errors.append(f"{eid}: replaced_by {e['replaced_by']} unknown")
        for which in ("recommended", "discouraged"):
            for r in e["adaptation"][which]:
                if not set(r) <= set(RULE_FIELDS) or not r:
                    errors.append(f"{eid}: bad rule {r}")
                for target in r.get("ids", []):
                    if target not in known:
                        errors.append(f"{eid}: rule names unknown id {target}")
        for field in ("url", "legalcode_url"):
            url = e[field]
            if url is not None and not _URL.match(url):
                errors.append(f"{eid}: bad {field} {url}")
        if e["family"] == "creative-commons":
            if not (e["url"].startswith("https://creativecommons.org/") and e["url"].endswith("/")):
                errors.append(f"{eid}: CC deed URL {e['url']}")
            parts = e["unit"].split("-")
            checks = {
                "nd": ("nd" in parts) == ("derivative_works" not in e["permits"]),
                "sa": ("sa" in parts) == ("share_alike" in e["requires"]),
                "nc": ("nc" in parts or e["unit"] == "nc-sampling+")
                == ("commercial_use" in e["prohibits"]),
                # sampling* and devnations require attribution without a "by" in their unit
                "by": ("by" in parts) == ("attribution" in e["requires"])
                if e["unit"] not in SPECIAL_UNITS
                else "attribution" in e["requires"],
            }
            for what, ok in checks.items():
                if not ok:
                    errors.append(f"{eid}: unit {e['unit']} disagrees with ccREL ({what})")
        if e["category"] == "status" and e["adaptation"]["share"] != "forbidden":
            errors.append(f"{eid}: a status cannot be adapted")
        if e["deprecated_on"] is not None and (
            e["new_work"] or not re.fullmatch(r"\d{4}-\d\d-\d\d", e["deprecated_on"])
        ):
            errors.append(f"{eid}: deprecated_on/new_work")
    return errors


def check(out: Path) -> int:
    paths = sorted(out.glob("*.yaml"))
    loader = yaml.CSafeLoader
    start = time.perf_counter()
    entries = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            entries.append(yaml.load(fh, Loader=loader))
    elapsed = time.perf_counter() - start
    errors = validate(entries)
    for path, e in zip(paths, entries, strict=True):
        if path.name != e["id"].lower() + ".yaml":
            errors.append(f"{path.name}: holds {e['id']}")
    urls: dict[str, list[str]] = collections.defaultdict(list)
    for e in entries:
        for u in {e["url"], e["legalcode_url"]} - {None}:
            urls[re.sub(r"^https?://(www\.)?", "", u.lower())].append(e["id"])
    shared = {u: sorted(set(i)) for u, i in urls.items() if len(set(i)) > 1}
    cc = [e for e in entries if e["family"] == "creative-commons"]
    print(f"{len(entries)} files loaded with CSafeLoader in {elapsed * 1000:.0f} ms")
    print(
        f"  Creative Commons tools: {len(cc)}; other licences: "
        f"{sum(e['family'] not in ('creative-commons', 'status') for e in entries)}; "
        f"statuses: {sum(e['family'] == 'status' for e in entries)}"
    )
    print(
        "  by category:", dict(sorted(collections.Counter(e["category"] for e in entries).items()))
    )
    print("  CC by version:", dict(sorted(collections.Counter(e["version"] for e in cc).items())))
    print(
        "  CC unported/international vs ports:",
        sum(e["jurisdiction"] is None for e in cc),
        "/",
        sum(e["jurisdiction"] is not None for e in cc),
    )
    print(
        "  spdx: true:",
        sum(e["spdx"] for e in entries),
        "; new_work: true:",
        sum(e["new_work"] for e in entries),
        "; deprecated:",
        sum(e["deprecated_on"] is not None for e in entries),
    )
    print(
        "  adaptation.share:",
        dict(sorted(collections.Counter(e["adaptation"]["share"] for e in entries).items())),
    )
    if shared:
        print("  URLs shared by several entries (lookup returns the first file):")
        for u, i in sorted(shared.items()):
            print(f"    {u}: {', '.join(i)}")
    for err in errors:
        print("ERROR", err)
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "reference",
        nargs="?",
        type=Path,
        default=DEFAULT_REFERENCE,
        help="folder with cc-legal-tools/ and cc-licenserdf/ (default: %(default)s)",
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: %(default)s")
    ap.add_argument(
        "--check",
        action="store_true",
        help="after generating, reload and check the files and print counts",
    )
    ap.add_argument(
        "--check-only",
        action="store_true",
        help="check the existing files without regenerating them",
    )
    args = ap.parse_args(argv)
    if not args.check_only:
        if not (args.reference / "cc-legal-tools" / "metadata.yaml").is_file():
            ap.error(f"{args.reference}: cc-legal-tools/metadata.yaml not found")
        entries = generate(args.reference)
        total, written, removed = write(entries, args.out)
        print(f"{total} licence files in {args.out} ({written} written, {removed} removed)")
    if args.check or args.check_only:
        return check(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
