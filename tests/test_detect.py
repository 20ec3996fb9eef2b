"""The detection table: what ``oerremix.detect`` must report for licence statements in the wild.

Every row is ``pytest.param(input, expected_status, expected, id=...)`` where ``expected`` is

- the licence id for ``"found"``,
- the sorted tuple of candidate ids for ``"ambiguous"`` (``()`` when even the licence type is
  unknown),
- ``None`` for ``"none"``.

Each row has a comment saying why, citing ``tests/data/reference/cc-rules.md`` (copied facts with
their sources; "§" below means a section of that file) or the real file the input was copied from.
Real files are under ``tests/data/<corpus-dir>/`` with a SOURCE.md each. Expected values come from
the licence facts and from reading those files, never from running the code.

"Policy N" in a comment refers to this list (the detection policy these tables specify):

1. Any URL form of a CC deed or legal code → found.
2. Badge and button image URLs → found.
3. Combinations that do not exist (by-nc-nd/1.0, generic 2.1, 5.0) → none, never a guess.
4. SPDX ids and SPDX-License-Identifier lines → found; deprecated ids map to their -only ids.
5. Short names in any case, spacing, hyphenation → found.
6. Long names and the usual phrasings → found.
7. French, German and Spanish names and notices → found.
8. Markup carriers (rel="license", RDFa, embedded RDF, meta, JSON-LD, XMP) → found.
9. Not one licence → ambiguous with candidates: a unit without a version (every version that
   exists), a CC mark of unknown type (no candidates), or different licences for the same thing.
   Mentions of Creative Commons that state no licence → none.
10. The same licence stated several times or in several forms → found, one licence. A mention
    without version (or without type) that fits the licence stated elsewhere adds nothing.
11. On a page, machine-readable statements outrank plain-text mentions; without any, distinct
    licences in the text → ambiguous.
12. Non-CC licences (GFDL, Free Art, GPL, OGL) → found.
13. Nothing, or only "all rights reserved" → none (such statuses are the readers' concern).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oerremix import detect

DATA = Path(__file__).parent / "data"

FOUND = "found"
AMBIGUOUS = "ambiguous"
NONE = "none"

# A unit named without a version: every generic (1.0, 2.0, 2.5), unported (3.0) and international
# (4.0) version that exists. There is no generic 2.1 (ports only), §1.2.
BY = ("CC-BY-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-3.0", "CC-BY-4.0")
BY_SA = ("CC-BY-SA-1.0", "CC-BY-SA-2.0", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-4.0")
BY_ND = ("CC-BY-ND-1.0", "CC-BY-ND-2.0", "CC-BY-ND-2.5", "CC-BY-ND-3.0", "CC-BY-ND-4.0")
BY_NC = ("CC-BY-NC-1.0", "CC-BY-NC-2.0", "CC-BY-NC-2.5", "CC-BY-NC-3.0", "CC-BY-NC-4.0")
BY_NC_SA = (
    "CC-BY-NC-SA-1.0",
    "CC-BY-NC-SA-2.0",
    "CC-BY-NC-SA-2.5",
    "CC-BY-NC-SA-3.0",
    "CC-BY-NC-SA-4.0",
)
# 1.0 of NC+ND is the unit by-nd-nc, whose SPDX id is CC-BY-NC-ND-1.0 (§1.2).
BY_NC_ND = (
    "CC-BY-NC-ND-1.0",
    "CC-BY-NC-ND-2.0",
    "CC-BY-NC-ND-2.5",
    "CC-BY-NC-ND-3.0",
    "CC-BY-NC-ND-4.0",
)
UNKNOWN_TYPE: tuple[str, ...] = ()

PARAMS = ("text", "status", "expected")

PRESSKIT = "https://mirrors.creativecommons.org/presskit/icons/"


def _read(relative: str) -> str:
    return (DATA / relative).read_text(encoding="utf-8")


def check(text: str, status: str, expected: str | tuple[str, ...] | None) -> Any:
    """Run detect() and check the result and the invariants of a Detection."""
    d = detect(text)
    assert d.status == status, (d.status, d.license_id, d.candidates)
    assert isinstance(d.candidates, tuple)
    assert list(d.candidates) == sorted(d.candidates)
    if status == FOUND:
        assert d.license_id == expected
        assert d.candidates == (expected,)
    elif status == AMBIGUOUS:
        assert d.license_id is None
        assert d.candidates == expected
    else:
        assert status == NONE
        assert expected is None
        assert d.license_id is None
        assert d.candidates == ()
    if status != NONE:
        assert d.evidence, "found/ambiguous results must say what they are based on"
    for ev in d.evidence:
        assert isinstance(ev.kind, str)
        assert ev.kind
        assert isinstance(ev.match, str)
        assert ev.match
        assert isinstance(ev.where, str)
    return d


class TestUrls:
    """A URL of a CC deed or legal code, in any of its forms, names exactly one licence (§5.1)."""

    @pytest.mark.parametrize(
        PARAMS,
        [
            # canonical https deed URL (§1.2 table)
            pytest.param(
                "https://creativecommons.org/licenses/by/4.0/", FOUND, "CC-BY-4.0", id="https-deed"
            ),
            # http is the RDF canonical form (§1.5 "RDF canonical URI is http")
            pytest.param(
                "http://creativecommons.org/licenses/by-sa/3.0/",
                FOUND,
                "CC-BY-SA-3.0",
                id="http-deed",
            ),
            # host www.creativecommons.org is allowed (§5.1 host)
            pytest.param(
                "https://www.creativecommons.org/licenses/by-nc/4.0/",
                FOUND,
                "CC-BY-NC-4.0",
                id="www-host",
            ),
            # protocol-relative scheme (§5.1 scheme)
            pytest.param(
                "//creativecommons.org/licenses/by-nd/4.0/",
                FOUND,
                "CC-BY-ND-4.0",
                id="protocol-relative",
            ),
            # trailing slash optional (§5.1 suffix)
            pytest.param(
                "https://creativecommons.org/licenses/by-sa/4.0",
                FOUND,
                "CC-BY-SA-4.0",
                id="no-trailing-slash",
            ),
            # chooser v1 appends ?ref=chooser-v1; strip the query (§5.1, §4.5b)
            pytest.param(
                "https://creativecommons.org/licenses/by-nc-sa/4.0/?ref=chooser-v1",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="query-ref-chooser",
            ),
            # a fragment does not change the licence; strip it (§5.1)
            pytest.param(
                "https://creativecommons.org/licenses/by/4.0/#ref-appropriate-credit",
                FOUND,
                "CC-BY-4.0",
                id="fragment",
            ),
            # /deed suffix (§5.1 suffix)
            pytest.param(
                "https://creativecommons.org/licenses/by-nc-nd/4.0/deed",
                FOUND,
                "CC-BY-NC-ND-4.0",
                id="deed",
            ),
            # localised deed, deed.fr = same licence (§1.6, §5.5 last bullet)
            pytest.param(
                "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
                FOUND,
                "CC-BY-SA-4.0",
                id="deed-fr",
            ),
            # deed.en_US, older chooser output (§1.6, MARK)
            pytest.param(
                "http://creativecommons.org/licenses/by/3.0/deed.en_US",
                FOUND,
                "CC-BY-3.0",
                id="deed-en_US",
            ),
            # deed.zh-hans, lowercase language with script subtag (§1.6)
            pytest.param(
                "https://creativecommons.org/licenses/by-nc/4.0/deed.zh-hans",
                FOUND,
                "CC-BY-NC-4.0",
                id="deed-zh-hans",
            ),
            # deed.pt-br (§1.6 lists pt-br)
            pytest.param(
                "https://creativecommons.org/licenses/by-nd/3.0/deed.pt-br",
                FOUND,
                "CC-BY-ND-3.0",
                id="deed-pt-br",
            ),
            # legal code URL names the same licence as the deed (§1.6)
            pytest.param(
                "https://creativecommons.org/licenses/by-nc-sa/3.0/legalcode",
                FOUND,
                "CC-BY-NC-SA-3.0",
                id="legalcode",
            ),
            # localised legal code legalcode.fr (§1.6)
            pytest.param(
                "https://creativecommons.org/licenses/by-sa/4.0/legalcode.fr",
                FOUND,
                "CC-BY-SA-4.0",
                id="legalcode-fr",
            ),
            # plain-text legal code exists for 3.0 and 4.0 (§1.6)
            pytest.param(
                "https://creativecommons.org/licenses/by/4.0/legalcode.txt",
                FOUND,
                "CC-BY-4.0",
                id="legalcode-txt",
            ),
            # machine-readable /rdf (§1.6, §5.1 suffix)
            pytest.param(
                "https://creativecommons.org/licenses/by-nd/3.0/rdf",
                FOUND,
                "CC-BY-ND-3.0",
                id="rdf",
            ),
            # unit is case-folded (§5.1 "lower-case; case-fold input")
            pytest.param(
                "https://creativecommons.org/licenses/BY-SA/4.0/",
                FOUND,
                "CC-BY-SA-4.0",
                id="upper-case-unit",
            ),
            # host and scheme are case-insensitive in URLs; path case-folded as above (§5.1)
            pytest.param(
                "HTTPS://CreativeCommons.org/Licenses/By-Nc/4.0/Deed.FR",
                FOUND,
                "CC-BY-NC-4.0",
                id="mixed-case-everything",
            ),
            # port: no SPDX id, SPDX-pattern id (§1.4 "no SPDX id for … CC BY-SA 2.5 CA")
            pytest.param(
                "https://creativecommons.org/licenses/by-sa/2.5/ca/",
                FOUND,
                "CC-BY-SA-2.5-CA",
                id="port-ca",
            ),
            # port legal code in French (§1.4: /licenses/by-sa/2.5/ca/legalcode.fr)
            pytest.param(
                "http://creativecommons.org/licenses/by-sa/2.5/ca/legalcode.fr",
                FOUND,
                "CC-BY-SA-2.5-CA",
                id="port-ca-legalcode-fr",
            ),
            # US port of BY-SA 3.0, no SPDX id (§1.4)
            pytest.param(
                "https://creativecommons.org/licenses/by-sa/3.0/us/",
                FOUND,
                "CC-BY-SA-3.0-US",
                id="port-us-non-spdx",
            ),
            # US port of BY 3.0 has an SPDX id (§1.4 SPDX list: CC-BY-3.0-US)
            pytest.param(
                "https://creativecommons.org/licenses/by/3.0/us/",
                FOUND,
                "CC-BY-3.0-US",
                id="port-us-spdx",
            ),
            # IGO port (§1.4; SPDX CC-BY-3.0-IGO)
            pytest.param(
                "https://creativecommons.org/licenses/by/3.0/igo/", FOUND, "CC-BY-3.0-IGO", id="igo"
            ),
            # IGO port of BY-NC-ND (§1.4; SPDX CC-BY-NC-ND-3.0-IGO)
            pytest.param(
                "https://creativecommons.org/licenses/by-nc-nd/3.0/igo/deed.fr",
                FOUND,
                "CC-BY-NC-ND-3.0-IGO",
                id="igo-nc-nd-deed-fr",
            ),
            # "scotland" jurisdiction (§1.4, §5.1 juris; cc-legal-tools by-nc-sa_25_scotland)
            pytest.param(
                "https://creativecommons.org/licenses/by-nc-sa/2.5/scotland/",
                FOUND,
                "CC-BY-NC-SA-2.5-SCOTLAND",
                id="scotland",
            ),
            # 2.1 exists only as ports (§1.2); jp port has SPDX CC-BY-SA-2.1-JP (§1.4)
            pytest.param(
                "https://creativecommons.org/licenses/by-sa/2.1/jp/",
                FOUND,
                "CC-BY-SA-2.1-JP",
                id="port-2.1-jp",
            ),
            # UK: England & Wales port (§1.4; SPDX CC-BY-SA-2.0-UK)
            pytest.param(
                "http://creativecommons.org/licenses/by-sa/2.0/uk/",
                FOUND,
                "CC-BY-SA-2.0-UK",
                id="port-uk",
            ),
            # German port of BY-NC-SA 2.0 (§1.4; SPDX CC-BY-NC-SA-2.0-DE)
            pytest.param(
                "http://creativecommons.org/licenses/by-nc-sa/2.0/de/",
                FOUND,
                "CC-BY-NC-SA-2.0-DE",
                id="port-de-2.0",
            ),
            # German port deed in German (§1.4; SPDX CC-BY-3.0-DE)
            pytest.param(
                "https://creativecommons.org/licenses/by/3.0/de/deed.de",
                FOUND,
                "CC-BY-3.0-DE",
                id="port-de-deed-de",
            ),
            # Austrian port (§1.4; SPDX CC-BY-SA-3.0-AT)
            pytest.param(
                "https://creativecommons.org/licenses/by-sa/3.0/at/",
                FOUND,
                "CC-BY-SA-3.0-AT",
                id="port-at",
            ),
            # Australian 2.5 port (§1.4; SPDX CC-BY-2.5-AU)
            pytest.param(
                "http://creativecommons.org/licenses/by/2.5/au/",
                FOUND,
                "CC-BY-2.5-AU",
                id="port-au-2.5",
            ),
            # by-nd-nc/1.0 is the 1.0 NC+ND licence, SPDX CC-BY-NC-ND-1.0 (§1.2)
            pytest.param(
                "http://creativecommons.org/licenses/by-nd-nc/1.0/",
                FOUND,
                "CC-BY-NC-ND-1.0",
                id="by-nd-nc-1.0",
            ),
            # generic 1.0 (§1.2)
            pytest.param(
                "http://creativecommons.org/licenses/by/1.0/", FOUND, "CC-BY-1.0", id="by-1.0"
            ),
            # generic 2.5 (§1.2)
            pytest.param(
                "http://creativecommons.org/licenses/by/2.5/", FOUND, "CC-BY-2.5", id="by-2.5"
            ),
            # generic 2.0 (§1.2)
            pytest.param(
                "http://creativecommons.org/licenses/by-nc/2.0/",
                FOUND,
                "CC-BY-NC-2.0",
                id="by-nc-2.0",
            ),
            # retired ShareAlike 1.0 (no BY) is recognised, SPDX CC-SA-1.0 (§1.3)
            pytest.param(
                "http://creativecommons.org/licenses/sa/1.0/",
                FOUND,
                "CC-SA-1.0",
                id="retired-sa-1.0",
            ),
            # retired Public Domain Dedication and Certification (§1.1, §5.1)
            pytest.param(
                "http://creativecommons.org/licenses/publicdomain/",
                FOUND,
                "CC-PDDC",
                id="publicdomain-pddc",
            ),
            # CC0 deed (§1.1, §5.1)
            pytest.param(
                "https://creativecommons.org/publicdomain/zero/1.0/", FOUND, "CC0-1.0", id="cc0"
            ),
            # CC0 legal code (§1.1)
            pytest.param(
                "https://creativecommons.org/publicdomain/zero/1.0/legalcode",
                FOUND,
                "CC0-1.0",
                id="cc0-legalcode",
            ),
            # CC0 deed without scheme or slash, as written in running text (§5.1)
            pytest.param(
                "creativecommons.org/publicdomain/zero/1.0", FOUND, "CC0-1.0", id="cc0-bare-host"
            ),
            # Public Domain Mark (§1.1, §5.1)
            pytest.param(
                "https://creativecommons.org/publicdomain/mark/1.0/", FOUND, "CC-PDM-1.0", id="pdm"
            ),
            # PDM deed in German (§1.6 localised deed)
            pytest.param(
                "https://creativecommons.org/publicdomain/mark/1.0/deed.de",
                FOUND,
                "CC-PDM-1.0",
                id="pdm-deed-de",
            ),
            # a URL inside a sentence, followed by a full stop (§5.4 chooser plain text)
            pytest.param(
                "License: https://creativecommons.org/licenses/by/4.0/.",
                FOUND,
                "CC-BY-4.0",
                id="url-in-sentence",
            ),
            # a URL in Markdown angle brackets (LiaScript attribute lines use this form)
            pytest.param(
                "See <https://creativecommons.org/licenses/by-nc/3.0/> for details.",
                FOUND,
                "CC-BY-NC-3.0",
                id="url-in-angle-brackets",
            ),
            # a Markdown link whose target has a URL-encoded leading space; normalise it
            # (lessons-in-electric-circuits-ref-md SOURCE.md; REF_A3.md line 7)
            pytest.param(
                "[legalcode](%20https://creativecommons.org/licenses/by/4.0/legalcode)",
                FOUND,
                "CC-BY-4.0",
                id="percent-20-prefix",
            ),
        ],
    )
    def test_deed_and_legalcode_urls(self, text, status, expected):
        check(text, status, expected)

    @pytest.mark.parametrize(
        PARAMS,
        [
            # there is no by-nc-nd/1.0; 1.0 is by-nd-nc (§1.2, §5.5 "nonexistent … invalid")
            pytest.param(
                "https://creativecommons.org/licenses/by-nc-nd/1.0/", NONE, None, id="by-nc-nd-1.0"
            ),
            # no generic 2.1, ports only (§1.2, §5.5)
            pytest.param(
                "https://creativecommons.org/licenses/by/2.1/", NONE, None, id="generic-2.1"
            ),
            # no generic BY-SA 2.1 either (§1.2)
            pytest.param(
                "https://creativecommons.org/licenses/by-sa/2.1/",
                NONE,
                None,
                id="generic-by-sa-2.1",
            ),
            # there is no version 5.0 (§1.2 versions 1.0 … 4.0)
            pytest.param(
                "https://creativecommons.org/licenses/by/5.0/", NONE, None, id="version-5.0"
            ),
            # there are no ported 4.0 licences (§1.4 FAQ "no ported versions of 4.0")
            pytest.param(
                "https://creativecommons.org/licenses/by-sa/4.0/us/", NONE, None, id="ported-4.0"
            ),
            # unknown unit (§5.1 unit list)
            pytest.param(
                "https://creativecommons.org/licenses/by-xx/4.0/", NONE, None, id="unknown-unit"
            ),
            # an invalid badge is no better than an invalid deed URL (§5.2, §5.5)
            pytest.param(
                "https://licensebuttons.net/l/by/2.1/88x31.png", NONE, None, id="badge-generic-2.1"
            ),
            # a short name with a version that does not exist (§1.2; policy: invalid → none)
            pytest.param("Licensed under CC BY 5.0.", NONE, None, id="short-name-5.0"),
        ],
    )
    def test_nonexistent_combinations_are_not_guessed(self, text, status, expected):
        check(text, status, expected)


class TestBadges:
    """Badge and button image URLs carry unit and version (§5.2)."""

    @pytest.mark.parametrize(
        PARAMS,
        [
            # legacy badge host, 88x31 (§5.2; RDF foaf:logo)
            pytest.param(
                "https://i.creativecommons.org/l/by-sa/4.0/88x31.png",
                FOUND,
                "CC-BY-SA-4.0",
                id="i-cc-88x31",
            ),
            # legacy host, small 80x15 button (§5.2)
            pytest.param(
                "http://i.creativecommons.org/l/by/3.0/80x15.png",
                FOUND,
                "CC-BY-3.0",
                id="i-cc-80x15",
            ),
            # current host licensebuttons.net (§5.2)
            pytest.param(
                "https://licensebuttons.net/l/by-nc/4.0/80x15.png",
                FOUND,
                "CC-BY-NC-4.0",
                id="licensebuttons-80x15",
            ),
            # http licensebuttons, as APP emits it in RDF (§5.2)
            pytest.param(
                "http://licensebuttons.net/l/by-nc-nd/3.0/88x31.png",
                FOUND,
                "CC-BY-NC-ND-3.0",
                id="licensebuttons-http",
            ),
            # ported badge carries the jurisdiction (§5.2 [/<juris>])
            pytest.param(
                "https://i.creativecommons.org/l/by-sa/3.0/us/88x31.png",
                FOUND,
                "CC-BY-SA-3.0-US",
                id="i-cc-port-us",
            ),
            # ported badge on the current host (§5.2)
            pytest.param(
                "https://licensebuttons.net/l/by-sa/2.5/ca/88x31.png",
                FOUND,
                "CC-BY-SA-2.5-CA",
                id="licensebuttons-port-ca",
            ),
            # 1.0 NC+ND badge uses the by-nd-nc unit (§1.2, §5.2)
            pytest.param(
                "https://licensebuttons.net/l/by-nd-nc/1.0/88x31.png",
                FOUND,
                "CC-BY-NC-ND-1.0",
                id="by-nd-nc-badge",
            ),
            # CC0 button /p/zero/1.0/ (§5.2)
            pytest.param(
                "https://licensebuttons.net/p/zero/1.0/88x31.png", FOUND, "CC0-1.0", id="p-zero"
            ),
            # CC0 button on the legacy host, 80x15 (§5.2; RDF foaf:logo of CC0)
            pytest.param(
                "http://i.creativecommons.org/p/zero/1.0/80x15.png",
                FOUND,
                "CC0-1.0",
                id="i-cc-p-zero-80x15",
            ),
            # the button repo also has /l/zero/1.0/ (§5.2)
            pytest.param(
                "https://licensebuttons.net/l/zero/1.0/88x31.png", FOUND, "CC0-1.0", id="l-zero"
            ),
            # PDM button /p/mark/1.0/ (§5.2)
            pytest.param(
                "https://licensebuttons.net/p/mark/1.0/88x31.png", FOUND, "CC-PDM-1.0", id="p-mark"
            ),
            # PDM button, legacy host, 80x15 (RDF foaf:logo of publicdomain/mark/1.0)
            pytest.param(
                "http://i.creativecommons.org/p/mark/1.0/80x15.png",
                FOUND,
                "CC-PDM-1.0",
                id="i-cc-p-mark",
            ),
            # retired PD dedication badge (RDF licenses_publicdomain foaf:logo)
            pytest.param(
                "http://i.creativecommons.org/l/publicdomain/88x31.png",
                FOUND,
                "CC-PDDC",
                id="l-publicdomain",
            ),
            # a badge inside an <img> (CCLIC template, §4.5a)
            pytest.param(
                '<img alt="Creative Commons License" style="border-width:0" '
                'src="https://i.creativecommons.org/l/by-nc-sa/4.0/88x31.png" />',
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="img-tag",
            ),
            # badge plus rel="license" link to the same licence → one licence (policy 10)
            pytest.param(
                '<a rel="license" href="http://creativecommons.org/licenses/by-nd/4.0/">'
                '<img alt="Creative Commons License" '
                'src="https://i.creativecommons.org/l/by-nd/4.0/88x31.png" /></a>',
                FOUND,
                "CC-BY-ND-4.0",
                id="badge-and-link-agree",
            ),
        ],
    )
    def test_badges(self, text, status, expected):
        check(text, status, expected)


class TestSpdx:
    """SPDX ids as text and in SPDX-License-Identifier lines (§1.2, §1.4, §2)."""

    @pytest.mark.parametrize(
        PARAMS,
        [
            # SPDX id (§1.2 table)
            pytest.param("CC-BY-4.0", FOUND, "CC-BY-4.0", id="cc-by-4.0"),
            # SPDX id (§1.2)
            pytest.param("CC-BY-SA-4.0", FOUND, "CC-BY-SA-4.0", id="cc-by-sa-4.0"),
            # SPDX id (§1.2)
            pytest.param("CC-BY-NC-SA-4.0", FOUND, "CC-BY-NC-SA-4.0", id="cc-by-nc-sa-4.0"),
            # SPDX id (§1.2)
            pytest.param("CC-BY-ND-4.0", FOUND, "CC-BY-ND-4.0", id="cc-by-nd-4.0"),
            # SPDX id of CC0 (§1.1)
            pytest.param("CC0-1.0", FOUND, "CC0-1.0", id="cc0-1.0"),
            # SPDX id of the retired PD dedication (§1.1)
            pytest.param("CC-PDDC", FOUND, "CC-PDDC", id="cc-pddc"),
            # SPDX id of PDM, added in SPDX 3.26.0 (§1.1)
            pytest.param("CC-PDM-1.0", FOUND, "CC-PDM-1.0", id="cc-pdm-1.0"),
            # SPDX id of a port (§1.4 SPDX list)
            pytest.param("CC-BY-3.0-US", FOUND, "CC-BY-3.0-US", id="cc-by-3.0-us"),
            # SPDX id of an IGO port (§1.4 SPDX list)
            pytest.param("CC-BY-SA-3.0-IGO", FOUND, "CC-BY-SA-3.0-IGO", id="cc-by-sa-3.0-igo"),
            # SPDX id of a 2.0 French port (§1.4 SPDX list: CC-BY-NC-SA-2.0-FR)
            pytest.param(
                "CC-BY-NC-SA-2.0-FR", FOUND, "CC-BY-NC-SA-2.0-FR", id="cc-by-nc-sa-2.0-fr"
            ),
            # SPDX id of the 2.1 Japan port (§1.4 SPDX list)
            pytest.param("CC-BY-SA-2.1-JP", FOUND, "CC-BY-SA-2.1-JP", id="cc-by-sa-2.1-jp"),
            # SPDX id that stands for by-nd-nc/1.0 (§1.2)
            pytest.param("CC-BY-NC-ND-1.0", FOUND, "CC-BY-NC-ND-1.0", id="cc-by-nc-nd-1.0"),
            # SPDX id of retired ShareAlike 1.0 (§1.3)
            pytest.param("CC-SA-1.0", FOUND, "CC-SA-1.0", id="cc-sa-1.0"),
            # SPDX ids match case-insensitively (SPDX spec; §5.4 case-insensitive)
            pytest.param("cc-by-sa-4.0", FOUND, "CC-BY-SA-4.0", id="lower-case"),
            # the SPDX short-form header (§5.3/§5.4; REUSE convention)
            pytest.param(
                "SPDX-License-Identifier: CC-BY-SA-4.0", FOUND, "CC-BY-SA-4.0", id="identifier-line"
            ),
            # header inside a shell/YAML comment
            pytest.param(
                "# SPDX-License-Identifier: CC0-1.0\n",
                FOUND,
                "CC0-1.0",
                id="identifier-hash-comment",
            ),
            # header inside an HTML/Markdown comment
            pytest.param(
                "<!-- SPDX-License-Identifier: CC-BY-4.0 -->",
                FOUND,
                "CC-BY-4.0",
                id="identifier-html-comment",
            ),
            # REUSE header pair: copyright line + identifier
            pytest.param(
                "SPDX-FileCopyrightText: 2024 Jane Doe\nSPDX-License-Identifier: CC-BY-NC-4.0\n",
                FOUND,
                "CC-BY-NC-4.0",
                id="reuse-header-pair",
            ),
            # YAML front matter field with an SPDX id
            pytest.param(
                "---\ntitle: Intro Chemistry\nlicense: CC-BY-SA-4.0\n---\n",
                FOUND,
                "CC-BY-SA-4.0",
                id="front-matter",
            ),
            # non-CC id in a header (§2: GPL-3.0-or-later)
            pytest.param(
                "SPDX-License-Identifier: GPL-3.0-or-later",
                FOUND,
                "GPL-3.0-or-later",
                id="identifier-gpl-or-later",
            ),
            # deprecated SPDX GPL-3.0 maps to GPL-3.0-only (§2 "deprecated alias GPL-3.0")
            pytest.param("GPL-3.0", FOUND, "GPL-3.0-only", id="deprecated-gpl-3.0"),
            # deprecated SPDX GPL-3.0+ means or-later (SPDX deprecated list; §2)
            pytest.param("GPL-3.0+", FOUND, "GPL-3.0-or-later", id="deprecated-gpl-3.0-plus"),
            # deprecated SPDX GFDL-1.3 maps to -only (§2 "plain GFDL-1.2/GFDL-1.3 deprecated")
            pytest.param("GFDL-1.3", FOUND, "GFDL-1.3-only", id="deprecated-gfdl-1.3"),
            # deprecated SPDX GFDL-1.2 maps to -only (§2)
            pytest.param("GFDL-1.2", FOUND, "GFDL-1.2-only", id="deprecated-gfdl-1.2"),
            # current SPDX id (§2)
            pytest.param("GFDL-1.3-or-later", FOUND, "GFDL-1.3-or-later", id="gfdl-1.3-or-later"),
            # Free Art License SPDX id (§2)
            pytest.param("LAL-1.3", FOUND, "LAL-1.3", id="lal-1.3"),
            # informal alias FAL-1.3 of LAL-1.3 (§2 "informal alias FAL-1.3")
            pytest.param("FAL-1.3", FOUND, "LAL-1.3", id="fal-1.3-alias"),
            # OGL UK SPDX id (§2)
            pytest.param("OGL-UK-3.0", FOUND, "OGL-UK-3.0", id="ogl-uk-3.0"),
            # OGL Canada SPDX id (§2)
            pytest.param("OGL-Canada-2.0", FOUND, "OGL-Canada-2.0", id="ogl-canada-2.0"),
            # SPDX id in running text (§5.4 short forms include "CC-BY-NC-SA-4.0")
            pytest.param(
                "License: CC-BY-NC-SA-4.0 (see LICENSE)", FOUND, "CC-BY-NC-SA-4.0", id="id-in-text"
            ),
        ],
    )
    def test_spdx(self, text, status, expected):
        check(text, status, expected)


class TestShortNames:
    """CC short names ("CC BY-SA 4.0") in any case, spacing and hyphenation (§5.4)."""

    @pytest.mark.parametrize(
        PARAMS,
        [
            # short name (§1.2 "Short name" column)
            pytest.param("CC BY-NC-SA 4.0", FOUND, "CC-BY-NC-SA-4.0", id="by-nc-sa-4.0"),
            # lower case, hyphen after CC (§5.4 case-insensitive, hyphen tolerant)
            pytest.param("cc-by-sa 3.0", FOUND, "CC-BY-SA-3.0", id="lower-hyphenated"),
            # short name (§5.4)
            pytest.param("CC BY 4.0", FOUND, "CC-BY-4.0", id="by-4.0"),
            # in parentheses (§5.4 "(CC BY 4.0)")
            pytest.param("(CC BY 4.0)", FOUND, "CC-BY-4.0", id="parenthesised"),
            # CC0 short name (§1.1 "CC0 1.0")
            pytest.param("CC0 1.0", FOUND, "CC0-1.0", id="cc0-1.0"),
            # PDM short name (§1.1 "PDM 1.0")
            pytest.param("PDM 1.0", FOUND, "CC-PDM-1.0", id="pdm-1.0"),
            # port short name, upper-cased jurisdiction (§1.4 APP identifier)
            pytest.param("CC BY-SA 2.5 CA", FOUND, "CC-BY-SA-2.5-CA", id="port-ca"),
            # US port short name (§1.4)
            pytest.param("CC BY-SA 3.0 US", FOUND, "CC-BY-SA-3.0-US", id="port-us"),
            # IGO short name (§1.4)
            pytest.param("CC BY 3.0 IGO", FOUND, "CC-BY-3.0-IGO", id="igo"),
            # Scotland short name as CC's metadata writes it (cc-legal-tools by-nc-sa_25_scotland)
            pytest.param(
                "CC BY-NC-SA 2.5 SCOTLAND", FOUND, "CC-BY-NC-SA-2.5-SCOTLAND", id="scotland"
            ),
            # German port (§1.4)
            pytest.param("CC BY-SA 3.0 DE", FOUND, "CC-BY-SA-3.0-DE", id="port-de"),
            # Australian 2.5 port (§1.4)
            pytest.param("CC BY 2.5 AU", FOUND, "CC-BY-2.5-AU", id="port-au"),
            # UK port (§1.4)
            pytest.param("CC BY-SA 2.0 UK", FOUND, "CC-BY-SA-2.0-UK", id="port-uk"),
            # ND 4.0 (§1.2)
            pytest.param("CC BY-ND 4.0", FOUND, "CC-BY-ND-4.0", id="by-nd-4.0"),
            # NC 2.0 (§1.2)
            pytest.param("CC BY-NC 2.0", FOUND, "CC-BY-NC-2.0", id="by-nc-2.0"),
            # NC-ND 3.0 (§1.2)
            pytest.param("CC BY-NC-ND 3.0", FOUND, "CC-BY-NC-ND-3.0", id="by-nc-nd-3.0"),
            # all lower case (§5.4)
            pytest.param("cc by-nc-nd 4.0", FOUND, "CC-BY-NC-ND-4.0", id="all-lower"),
            # hyphen between CC and BY (§5.4 hyphen tolerant)
            pytest.param("CC-BY 4.0", FOUND, "CC-BY-4.0", id="cc-hyphen-by"),
            # spaces instead of hyphens (§5.4 hyphen/space tolerant)
            pytest.param("CC BY SA 4.0", FOUND, "CC-BY-SA-4.0", id="spaces"),
            # en dashes instead of hyphens (§5.4 en-dash tolerant)
            pytest.param("CC–BY–SA 4.0", FOUND, "CC-BY-SA-4.0", id="en-dashes"),
            # no-break spaces, as HTML editors insert them (§5.4 space tolerant)
            pytest.param("CC\u00a0BY\u00a04.0", FOUND, "CC-BY-4.0", id="nbsp-characters"),
            # &nbsp; entities in markup (§5.4 space tolerant)
            pytest.param(
                "<p>CC&nbsp;BY-NC&nbsp;4.0</p>", FOUND, "CC-BY-NC-4.0", id="nbsp-entities"
            ),
            # "International" after a short name is redundant (§1.2 names)
            pytest.param(
                "CC BY-SA 4.0 International", FOUND, "CC-BY-SA-4.0", id="with-international"
            ),
            # BPA "ideal" attribution (§4.2)
            pytest.param(
                '"Creative Commons 10th Birthday Celebration San Francisco" by tvol is licensed '
                "under CC BY 2.0",
                FOUND,
                "CC-BY-2.0",
                id="bpa-ideal-attribution",
            ),
            # a photo credit (§4.2 TASL)
            pytest.param(
                "Image: Jane Doe, CC BY 2.0, via Flickr", FOUND, "CC-BY-2.0", id="photo-credit"
            ),
            # element order BY-ND-NC is legitimate for 1.0 only (§5.4, §1.2)
            pytest.param("CC BY-ND-NC 1.0", FOUND, "CC-BY-NC-ND-1.0", id="by-nd-nc-1.0"),
            # retired SA 1.0 short name (cc-legal-tools identifier "CC SA 1.0"; §1.3)
            pytest.param("CC SA 1.0", FOUND, "CC-SA-1.0", id="sa-1.0"),
            # British spelling "licence" does not matter
            pytest.param(
                "This chapter is under a CC BY 4.0 licence.",
                FOUND,
                "CC-BY-4.0",
                id="licence-spelling",
            ),
            # the current chooser's plain-text output, verbatim (§4.5c)
            pytest.param(
                "Intro Chemistry © 2024 by Jane Doe is licensed under CC BY-SA 4.0. To view a "
                "copy of this license, visit https://creativecommons.org/licenses/by-sa/4.0/",
                FOUND,
                "CC-BY-SA-4.0",
                id="chooser-plain-text",
            ),
            # the current chooser's CC0 plain text (§4.5c "is marked CC0 1.0 …")
            pytest.param(
                "Intro Chemistry by Jane Doe is marked CC0 1.0. To view a copy of this mark, "
                "visit https://creativecommons.org/publicdomain/zero/1.0/",
                FOUND,
                "CC0-1.0",
                id="chooser-plain-text-cc0",
            ),
            # short name and URL of the same licence → one licence (policy 10)
            pytest.param(
                "CC BY-NC 4.0 — https://creativecommons.org/licenses/by-nc/4.0/deed.en",
                FOUND,
                "CC-BY-NC-4.0",
                id="short-name-and-url-agree",
            ),
            # a versionless mention of the same unit beside a versioned one adds nothing
            # (policy 10; like the chooser's versionless icons next to its versioned link, §4.5b)
            pytest.param(
                "This book is CC BY. Licence: CC BY 4.0.",
                FOUND,
                "CC-BY-4.0",
                id="versionless-plus-versioned-same-unit",
            ),
            # an element spelled out after the short form: "NoDerivs" is ND (§5.4 element
            # variants; §1.2 "NoDerivs" in ≤3.0). Reading only "CC BY" would drop the ND.
            pytest.param("CC BY-NoDerivs 3.0", FOUND, "CC-BY-ND-3.0", id="by-noderivs-spelled"),
            # "NonCommercial" spelled out is NC (§5.4 "Non Commercial"/"NonCommercial")
            pytest.param(
                "Licensed CC BY-NonCommercial 4.0", FOUND, "CC-BY-NC-4.0", id="by-noncommercial"
            ),
            # "ShareAlike" spelled out after "NC" is SA (§5.4 "Share Alike"/"ShareAlike")
            pytest.param(
                "CC BY-NC-ShareAlike 4.0", FOUND, "CC-BY-NC-SA-4.0", id="by-nc-sharealike"
            ),
            # "Non-Commercial" and "No Derivatives" with hyphen and space (§5.4 variants)
            pytest.param(
                "CC BY Non-Commercial No Derivatives 4.0",
                FOUND,
                "CC-BY-NC-ND-4.0",
                id="by-non-commercial-no-derivatives",
            ),
            # spelled out, without a version: every BY-ND version, not every BY version (§5.5)
            pytest.param("CC BY-NoDerivs", AMBIGUOUS, BY_ND, id="by-noderivs-no-version"),
            # elements separated by slashes: the statement names BY and NC
            pytest.param("CC BY/NC 4.0", FOUND, "CC-BY-NC-4.0", id="slash-separated"),
            # a port named by its jurisdiction after a short name (§1.2 "2.5 Canada"; §1.4)
            pytest.param("CC BY-SA 2.5 Canada", FOUND, "CC-BY-SA-2.5-CA", id="port-name-canada"),
            # two-word jurisdiction name (§1.2 "3.0 United States")
            pytest.param(
                "CC BY-NC-SA 3.0 United States",
                FOUND,
                "CC-BY-NC-SA-3.0-US",
                id="port-name-united-states",
            ),
            # a 1.0 port: its ShareAlike allows only this very licence (§3.5), so the generic 1.0
            # is a different licence (§1.4 jurisdictions 1.0: fi)
            pytest.param("CC BY-SA 1.0 Finland", FOUND, "CC-BY-SA-1.0-FI", id="port-name-finland"),
            # the port's German name (licenses/cc-by-sa-3.0-de.yaml names, de)
            pytest.param(
                "CC BY-SA 3.0 Deutschland", FOUND, "CC-BY-SA-3.0-DE", id="port-name-german"
            ),
        ],
    )
    def test_short_names(self, text, status, expected):
        check(text, status, expected)


class TestLongNames:
    """Official long names and the usual phrasings (§1.2 names, §5.4)."""

    @pytest.mark.parametrize(
        PARAMS,
        [
            # CCLIC chooser sentence (§5.4)
            pytest.param(
                "This work is licensed under a Creative Commons Attribution 4.0 International "
                "License.",
                FOUND,
                "CC-BY-4.0",
                id="chooser-sentence-by",
            ),
            # CC's own long form (§1.2 "Creative Commons Attribution-ShareAlike 4.0 International")
            pytest.param(
                "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="by-nc-sa-4.0",
            ),
            # title only, ≤3.0 uses "NoDerivs" (§1.2)
            pytest.param(
                "Attribution-NoDerivs 3.0 Unported", FOUND, "CC-BY-ND-3.0", id="by-nd-3.0-noderivs"
            ),
            # title only (§5.4 "Attribution-NonCommercial-NoDerivs 3.0 Unported")
            pytest.param(
                "Attribution-NonCommercial-NoDerivs 3.0 Unported",
                FOUND,
                "CC-BY-NC-ND-3.0",
                id="by-nc-nd-3.0",
            ),
            # MARK's older chooser text (§5.4)
            pytest.param(
                "Creative Commons Attribution-ShareAlike 3.0 Unported License",
                FOUND,
                "CC-BY-SA-3.0",
                id="by-sa-3.0-unported",
            ),
            # 4.0 uses "NoDerivatives" (§1.2)
            pytest.param(
                "Attribution-NoDerivatives 4.0 International",
                FOUND,
                "CC-BY-ND-4.0",
                id="by-nd-4.0-noderivatives",
            ),
            # 4.0 NC-ND official title (§1.2)
            pytest.param(
                "Attribution-NonCommercial-NoDerivatives 4.0 International",
                FOUND,
                "CC-BY-NC-ND-4.0",
                id="by-nc-nd-4.0",
            ),
            # "NoDerivs" with 4.0 is the wrong word but still names one licence (§5.4 variants)
            pytest.param(
                "Creative Commons Attribution-NoDerivs 4.0 International",
                FOUND,
                "CC-BY-ND-4.0",
                id="noderivs-with-4.0",
            ),
            # SPDX full-name form without hyphens (§1.2 "SPDX full names differ")
            pytest.param(
                "Creative Commons Attribution Share Alike 4.0 International",
                FOUND,
                "CC-BY-SA-4.0",
                id="spdx-full-name",
            ),
            # "Share-Alike" variant (§5.4)
            pytest.param(
                "Creative Commons Attribution-Share-Alike 3.0 Unported",
                FOUND,
                "CC-BY-SA-3.0",
                id="share-hyphen-alike",
            ),
            # "Non-Commercial" variant (§5.4)
            pytest.param(
                "Creative Commons Attribution-Non-Commercial 4.0 International License",
                FOUND,
                "CC-BY-NC-4.0",
                id="non-hyphen-commercial",
            ),
            # all elements spaced out (§5.4 "Non Commercial", "Share Alike")
            pytest.param(
                "Creative Commons Attribution Non Commercial Share Alike 4.0",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="spaced-elements",
            ),
            # en dashes between elements (§5.4 en-dash tolerant)
            pytest.param(
                "Creative Commons Attribution–NonCommercial–ShareAlike 4.0 International",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="en-dash-elements",
            ),
            # upper case (§5.4 case-insensitive)
            pytest.param(
                "CREATIVE COMMONS ATTRIBUTION-SHAREALIKE 4.0 INTERNATIONAL",
                FOUND,
                "CC-BY-SA-4.0",
                id="upper-case",
            ),
            # "Generic" suffix of 1.0/2.0/2.5 (§1.2)
            pytest.param("Attribution 2.0 Generic", FOUND, "CC-BY-2.0", id="by-2.0-generic"),
            # 2.5 Generic (§1.2)
            pytest.param(
                "Attribution-ShareAlike 2.5 Generic", FOUND, "CC-BY-SA-2.5", id="by-sa-2.5-generic"
            ),
            # 3.0 Unported NC (§1.2)
            pytest.param(
                "Attribution-NonCommercial 3.0 Unported", FOUND, "CC-BY-NC-3.0", id="by-nc-3.0"
            ),
            # 2.0 NC-ND (§1.2)
            pytest.param(
                "Attribution-NonCommercial-NoDerivs 2.0 Generic",
                FOUND,
                "CC-BY-NC-ND-2.0",
                id="by-nc-nd-2.0",
            ),
            # long name without "International/Unported/Generic" (§5.4)
            pytest.param(
                "This work is licensed under a Creative Commons Attribution 2.5 License.",
                FOUND,
                "CC-BY-2.5",
                id="no-suffix-2.5",
            ),
            # Wikipedia's current footer: no "International" (§5.4 "without …")
            pytest.param(
                "Text is available under the Creative Commons Attribution-ShareAlike 4.0 License;"
                " additional terms may apply.",
                FOUND,
                "CC-BY-SA-4.0",
                id="wikipedia-footer-4.0",
            ),
            # port named by its jurisdiction (§1.2 "3.0 United States")
            pytest.param(
                "Creative Commons Attribution 3.0 United States License",
                FOUND,
                "CC-BY-3.0-US",
                id="port-united-states",
            ),
            # port title (RDF by-sa/2.5/ca dc:title en)
            pytest.param(
                "Attribution-ShareAlike 2.5 Canada", FOUND, "CC-BY-SA-2.5-CA", id="port-canada"
            ),
            # "2.5 UK: Scotland" (§1.2; RDF by-nc-sa/2.5/scotland dc:title en)
            pytest.param(
                "Attribution-NonCommercial-ShareAlike 2.5 UK: Scotland",
                FOUND,
                "CC-BY-NC-SA-2.5-SCOTLAND",
                id="port-scotland",
            ),
            # "2.0 UK: England & Wales" (§1.2)
            pytest.param(
                "Attribution-ShareAlike 2.0 UK: England & Wales",
                FOUND,
                "CC-BY-SA-2.0-UK",
                id="port-england-wales",
            ),
            # old US-port wording "Noncommercial", "Share Alike" (§5.4 variants)
            pytest.param(
                "Creative Commons Attribution-Noncommercial-Share Alike 3.0 United States License",
                FOUND,
                "CC-BY-NC-SA-3.0-US",
                id="old-us-wording-nc-sa",
            ),
            # "No Derivative Works" variant (§5.4)
            pytest.param(
                "Attribution-Noncommercial-No Derivative Works 3.0 United States",
                FOUND,
                "CC-BY-NC-ND-3.0-US",
                id="no-derivative-works",
            ),
            # 1.0 NC+ND title (§1.2 "Attribution-NoDerivs-NonCommercial 1.0 Generic")
            pytest.param(
                "Attribution-NoDerivs-NonCommercial 1.0 Generic",
                FOUND,
                "CC-BY-NC-ND-1.0",
                id="by-nd-nc-1.0-title",
            ),
            # IGO title (§1.2 "3.0 IGO")
            pytest.param("Attribution 3.0 IGO", FOUND, "CC-BY-3.0-IGO", id="igo-title"),
            # CC0 official name (§1.1)
            pytest.param("CC0 1.0 Universal", FOUND, "CC0-1.0", id="cc0-universal"),
            # CC0 chooser v1 wording "is marked with CC0 1.0" (§4.5b, §5.4)
            pytest.param(
                "Intro Chemistry by Jane Doe is marked with CC0 1.0",
                FOUND,
                "CC0-1.0",
                id="marked-with-cc0",
            ),
            # PDM official name (§1.1)
            pytest.param("Public Domain Mark 1.0", FOUND, "CC-PDM-1.0", id="pdm-title"),
            # retired SA 1.0 title (RDF sa/1.0 dc:title en; §1.3)
            pytest.param("ShareAlike 1.0 Generic", FOUND, "CC-SA-1.0", id="sa-1.0-title"),
        ],
    )
    def test_long_names(self, text, status, expected):
        check(text, status, expected)


class TestTranslations:
    """French, German and Spanish notices; translations name the same licence (§5.5 last bullet).

    Titles are CC's, from the legacy RDF dc:title (cc-licenserdf) and cc-legal-tools metadata.
    """

    @pytest.mark.parametrize(
        PARAMS,
        [
            # French notice with the English name
            pytest.param(
                "sous licence Creative Commons Attribution 4.0 International",
                FOUND,
                "CC-BY-4.0",
                id="fr-sous-licence",
            ),
            # French title of BY-SA 4.0 (docs/license-data.md names.fr)
            pytest.param(
                "Attribution - Partage dans les Mêmes Conditions 4.0 International",
                FOUND,
                "CC-BY-SA-4.0",
                id="fr-by-sa-4.0",
            ),
            # the usual French chooser sentence
            pytest.param(
                "Ce document est mis à disposition selon les termes de la Licence Creative "
                "Commons Attribution - Partage dans les Mêmes Conditions 4.0 International.",
                FOUND,
                "CC-BY-SA-4.0",
                id="fr-chooser-sentence",
            ),
            # French BY-NC-SA title (RDF by-nc-sa/4.0 fr prefix), typographic apostrophe
            pytest.param(
                "Attribution - Pas d’Utilisation Commerciale - Partage dans les Mêmes Conditions "
                "4.0 International",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="fr-by-nc-sa-4.0",
            ),
            # French BY-ND title (RDF by-nd/4.0 fr prefix)
            pytest.param(
                "Attribution - Pas de Modification 4.0 International",
                FOUND,
                "CC-BY-ND-4.0",
                id="fr-by-nd-4.0",
            ),
            # French BY-NC-ND 3.0 title (RDF by-nc-nd/3.0 dc:title fr)
            pytest.param(
                "Attribution - Pas d’Utilisation Commerciale - Pas de Modification 3.0 non "
                "transposé",
                FOUND,
                "CC-BY-NC-ND-3.0",
                id="fr-by-nc-nd-3.0",
            ),
            # older French "Paternité" wording (RDF by-sa/3.0 dc:title fr)
            pytest.param(
                "Paternité - Partage à l'Identique 3.0 non transposé",
                FOUND,
                "CC-BY-SA-3.0",
                id="fr-paternite-3.0",
            ),
            # French title of the French 2.0 port (RDF by-sa/2.0/fr dc:title fr)
            pytest.param(
                "Paternité - Partage à l'Identique 2.0 France",
                FOUND,
                "CC-BY-SA-2.0-FR",
                id="fr-port-2.0-fr",
            ),
            # German title of BY-SA 4.0 (docs/license-data.md names.de)
            pytest.param(
                "Namensnennung - Weitergabe unter gleichen Bedingungen 4.0 International",
                FOUND,
                "CC-BY-SA-4.0",
                id="de-by-sa-4.0",
            ),
            # German "Lizenz:" + short name
            pytest.param("Lizenz: CC BY-SA 4.0", FOUND, "CC-BY-SA-4.0", id="de-lizenz-short"),
            # German BY 4.0 title (RDF by/4.0 dc:title de)
            pytest.param("Namensnennung 4.0 International", FOUND, "CC-BY-4.0", id="de-by-4.0"),
            # the usual German chooser sentence
            pytest.param(
                "Dieses Werk ist lizenziert unter einer Creative Commons Namensnennung 4.0 "
                "International Lizenz.",
                FOUND,
                "CC-BY-4.0",
                id="de-chooser-sentence",
            ),
            # German BY-NC-SA 4.0 title (RDF by-nc-sa/4.0 dc:title de)
            pytest.param(
                "Namensnennung - Nicht-kommerziell - Weitergabe unter gleichen Bedingungen 4.0 "
                "International",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="de-by-nc-sa-4.0",
            ),
            # German BY-ND 4.0 title (RDF by-nd/4.0 dc:title de)
            pytest.param(
                "Namensnennung-Keine Bearbeitung 4.0 International",
                FOUND,
                "CC-BY-ND-4.0",
                id="de-by-nd-4.0",
            ),
            # German port title (cc-legal-tools by_30_de)
            pytest.param(
                "Namensnennung 3.0 Deutschland", FOUND, "CC-BY-3.0-DE", id="de-port-deutschland"
            ),
            # Austrian port title (cc-legal-tools by-sa_30_at)
            pytest.param(
                "Namensnennung - Weitergabe unter gleichen Bedingungen 3.0 Österreich",
                FOUND,
                "CC-BY-SA-3.0-AT",
                id="de-port-oesterreich",
            ),
            # older Spanish "Reconocimiento" = Attribution; no jurisdiction → unported 3.0
            pytest.param(
                "Reconocimiento-CompartirIgual 3.0",
                FOUND,
                "CC-BY-SA-3.0",
                id="es-reconocimiento-3.0",
            ),
            # Spanish port title (cc-legal-tools by-sa_30_es)
            pytest.param(
                "Reconocimiento-CompartirIgual 3.0 España",
                FOUND,
                "CC-BY-SA-3.0-ES",
                id="es-port-espana",
            ),
            # Spanish BY-SA 4.0 title (docs/license-data.md names.es)
            pytest.param(
                "Atribución-CompartirIgual 4.0 Internacional",
                FOUND,
                "CC-BY-SA-4.0",
                id="es-by-sa-4.0",
            ),
            # Spanish BY 4.0 title (RDF by/4.0 dc:title es)
            pytest.param("Atribución 4.0 Internacional", FOUND, "CC-BY-4.0", id="es-by-4.0"),
            # Spanish BY-NC-SA 4.0 title (RDF by-nc-sa/4.0 dc:title es)
            pytest.param(
                "Atribución-NoComercial-CompartirIgual 4.0 Internacional",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="es-by-nc-sa-4.0",
            ),
            # Spanish BY-ND 4.0 title (RDF by-nd/4.0 dc:title es)
            pytest.param(
                "Atribución-SinDerivadas 4.0 Internacional",
                FOUND,
                "CC-BY-ND-4.0",
                id="es-by-nd-4.0",
            ),
            # Spanish BY-NC-ND 3.0 title (RDF by-nc-nd/3.0 dc:title es)
            pytest.param(
                "Atribución-NoComercial-SinDerivadas 3.0 Unported",
                FOUND,
                "CC-BY-NC-ND-3.0",
                id="es-by-nc-nd-3.0",
            ),
            # Spanish notice sentence
            pytest.param(
                "Esta obra está bajo una licencia Creative Commons Atribución-CompartirIgual 4.0 "
                "Internacional.",
                FOUND,
                "CC-BY-SA-4.0",
                id="es-notice-sentence",
            ),
        ],
    )
    def test_translations(self, text, status, expected):
        check(text, status, expected)


# §4.5 literal chooser outputs, verbatim (split only to fit the line length).
CHOOSER_LEGACY = (
    '<a rel="license" href="http://creativecommons.org/licenses/by-sa/4.0/"><img alt="Creative '
    'Commons License" style="border-width:0" src="https://i.creativecommons.org/l/by-sa/4.0/88x31'
    '.png" /></a><br /><span xmlns:dct="http://purl.org/dc/terms/" href="http://purl.org/dc/dcmit'
    'ype/Text" property="dct:title" rel="dct:type">Intro Chemistry</span> by <a xmlns:cc="http://'
    'creativecommons.org/ns#" href="https://example.org/jdoe" property="cc:attributionName" rel="'
    'cc:attributionURL">Jane Doe</a> is licensed under a <a rel="license" href="http://creativeco'
    'mmons.org/licenses/by-sa/4.0/">Creative Commons Attribution-ShareAlike 4.0 International Lic'
    'ense</a>.<br />Based on a work at <a xmlns:dct="http://purl.org/dc/terms/" href="https://exa'
    'mple.org/source" rel="dct:source">example.org</a>.<br />Permissions beyond the scope of this'
    ' license may be available at <a xmlns:cc="http://creativecommons.org/ns#" href="https://exam'
    'ple.org/permissions" rel="cc:morePermissions">https://example.org/permissions</a>.'
)
CHOOSER_V1 = (
    '<p xmlns:cc="http://creativecommons.org/ns#" xmlns:dct="http://purl.org/dc/terms/"><a proper'
    'ty="dct:title" rel="cc:attributionURL" href="https://example.org/work">Intro Chemistry</a> b'
    'y <a rel="cc:attributionURL dct:creator" property="cc:attributionName" href="https://example'
    '.org/jdoe">Jane Doe</a> is licensed under <a href="https://creativecommons.org/licenses/by-s'
    'a/4.0/?ref=chooser-v1" target="_blank" rel="license noopener noreferrer" style="display:inli'
    'ne-block;">CC BY-SA 4.0<img style="height:22px!important;margin-left:3px;vertical-align:text'
    '-bottom;" src="https://mirrors.creativecommons.org/presskit/icons/cc.svg?ref=chooser-v1" alt'
    '=""><img style="height:22px!important;margin-left:3px;vertical-align:text-bottom;" src="http'
    's://mirrors.creativecommons.org/presskit/icons/by.svg?ref=chooser-v1" alt=""><img style="hei'
    'ght:22px!important;margin-left:3px;vertical-align:text-bottom;" src="https://mirrors.creativ'
    'ecommons.org/presskit/icons/sa.svg?ref=chooser-v1" alt=""></a></p>'
)
CHOOSER_CURRENT = (
    '<a href="https://example.org/work">Intro Chemistry</a> © 2024 by <a href="https://example.or'
    'g/jdoe">Jane Doe</a> is licensed under <a href="https://creativecommons.org/licenses/by-sa/4'
    '.0/">CC BY-SA 4.0</a><img src="https://mirrors.creativecommons.org/presskit/icons/cc.svg" al'
    't="" style="max-width: 1em;max-height:1em;margin-left: .2em;"><img src="https://mirrors.crea'
    'tivecommons.org/presskit/icons/by.svg" alt="" style="max-width: 1em;max-height:1em;margin-le'
    'ft: .2em;"><img src="https://mirrors.creativecommons.org/presskit/icons/sa.svg" alt="" style'
    '="max-width: 1em;max-height:1em;margin-left: .2em;">'
)

# Chooser v1 XMP, assembled from the template in creativecommons/chooser legacy/src/utils/xmp.js
# (commit 7845b21a) with the licence URL and name filled in by hand.
XMP = """<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/'>
    <rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'
             xmlns:xapRights='http://ns.adobe.com/xap/1.0/rights/'
             xmlns:cc='http://creativecommons.org/ns#'>
        <rdf:Description rdf:about=''>
            <xapRights:Marked>True</xapRights:Marked>
            <xapRights:UsageTerms>
                <rdf:Alt>
                  <rdf:li xml:lang='x-default'>This work is licensed under &lt;a href=&quot;https://creativecommons.org/licenses/by-nc/4.0/?ref=chooser-v1&quot;&gt;CC BY-NC 4.0&lt;/a&gt;</rdf:li>
                </rdf:Alt>
            </xapRights:UsageTerms>
            <cc:license rdf:resource='https://creativecommons.org/licenses/by-nc/4.0/?ref=chooser-v1'/>
            <cc:attributionName>Jane Doe</cc:attributionName>
        </rdf:Description>
    </rdf:RDF>
</x:xmpmeta>
<?xpacket end='r'?>"""

# Legacy embedded RDF in an HTML comment, in the shape CC's pre-2008 chooser emitted
# (namespace http://web.resource.org/cc/, §5.3).
EMBEDDED_RDF = """<!--
<rdf:RDF xmlns="http://web.resource.org/cc/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<Work rdf:about="">
   <dc:type rdf:resource="http://purl.org/dc/dcmitype/Text" />
   <license rdf:resource="http://creativecommons.org/licenses/by-nc/2.0/" />
</Work>
<License rdf:about="http://creativecommons.org/licenses/by-nc/2.0/">
   <permits rdf:resource="http://web.resource.org/cc/Reproduction" />
   <permits rdf:resource="http://web.resource.org/cc/Distribution" />
   <requires rdf:resource="http://web.resource.org/cc/Notice" />
   <requires rdf:resource="http://web.resource.org/cc/Attribution" />
   <prohibits rdf:resource="http://web.resource.org/cc/CommercialUse" />
   <permits rdf:resource="http://web.resource.org/cc/DerivativeWorks" />
</License>
</rdf:RDF>
-->"""


class TestMarkup:
    """Machine-readable carriers: rel="license", RDFa, embedded RDF, meta, JSON-LD, XMP (§5.3)."""

    @pytest.mark.parametrize(
        PARAMS,
        [
            # legacy chooser output, verbatim: two rel="license" links + badge, all BY-SA 4.0
            # (§4.5a; policy 10: same licence several times → one licence)
            pytest.param(CHOOSER_LEGACY, FOUND, "CC-BY-SA-4.0", id="chooser-legacy-verbatim"),
            # chooser v1 output, verbatim: rel="license noopener noreferrer", ?ref=chooser-v1,
            # versionless presskit icons agreeing with the link (§4.5b, §5.3 "tokenise rel")
            pytest.param(CHOOSER_V1, FOUND, "CC-BY-SA-4.0", id="chooser-v1-verbatim"),
            # current chooser output, verbatim: no rel, plain link + short name + icons (§4.5c)
            pytest.param(CHOOSER_CURRENT, FOUND, "CC-BY-SA-4.0", id="chooser-current-verbatim"),
            # minimal rel="license" anchor (§5.3)
            pytest.param(
                '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">Licence</a>',
                FOUND,
                "CC-BY-4.0",
                id="a-rel-license",
            ),
            # rel is a token list in any order (§5.3 "tokenise rel")
            pytest.param(
                '<a href="https://creativecommons.org/licenses/by-nc-nd/4.0/" '
                'rel="noopener license">CC BY-NC-ND 4.0</a>',
                FOUND,
                "CC-BY-NC-ND-4.0",
                id="rel-token-order",
            ),
            # HTML is case-insensitive in element and attribute names and in link types
            pytest.param(
                '<A REL="License" HREF="http://creativecommons.org/licenses/by/2.0/">cc</A>',
                FOUND,
                "CC-BY-2.0",
                id="upper-case-html",
            ),
            # <link rel="license"> in <head> (§5.3)
            pytest.param(
                '<html><head><link rel="license" '
                'href="https://creativecommons.org/licenses/by-sa/4.0/"></head>'
                "<body><p>Text</p></body></html>",
                FOUND,
                "CC-BY-SA-4.0",
                id="link-rel-license",
            ),
            # protocol-relative href in rel="license" (§5.1 scheme)
            pytest.param(
                "<a rel='license' href='//creativecommons.org/licenses/by-nc-sa/3.0/'>licence</a>",
                FOUND,
                "CC-BY-NC-SA-3.0",
                id="rel-license-protocol-relative",
            ),
            # link text "Creative Commons License" names no type; the href decides
            # (a common pre-2010 footer shape, §5.3)
            pytest.param(
                'This work is licensed under a <a rel="license" '
                'href="http://creativecommons.org/licenses/by-sa/2.0/">Creative Commons '
                "License</a>.",
                FOUND,
                "CC-BY-SA-2.0",
                id="rel-license-generic-link-text",
            ),
            # RDFa cc:license property (§1.5 properties, §5.3)
            pytest.param(
                '<div xmlns:cc="http://creativecommons.org/ns#" about="https://example.org/book">'
                '<a rel="cc:license" href="https://creativecommons.org/licenses/by-nc/4.0/">'
                "CC BY-NC 4.0</a></div>",
                FOUND,
                "CC-BY-NC-4.0",
                id="rdfa-cc-license-href",
            ),
            # RDFa cc:license with resource= instead of href (§5.3)
            pytest.param(
                '<div xmlns:cc="http://creativecommons.org/ns#" about="https://example.org/book">'
                '<span rel="cc:license" resource="https://creativecommons.org/licenses/by/3.0/">'
                "</span></div>",
                FOUND,
                "CC-BY-3.0",
                id="rdfa-cc-license-resource",
            ),
            # legacy embedded RDF in an HTML comment: Work/license + License/about (§5.3)
            pytest.param(EMBEDDED_RDF, FOUND, "CC-BY-NC-2.0", id="embedded-rdf-comment"),
            # legacy RDF whose License rdf:about is versionless but Work/license has the version
            # and port (shape seen on Korean blogs; §5.3); the versionless URL adds nothing
            pytest.param(
                '<rdf:RDF xmlns="http://web.resource.org/cc/" '
                'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><Work rdf:about="">'
                '<license rdf:resource="http://creativecommons.org/licenses/by-nc-nd/2.0/kr/" />'
                '</Work><License rdf:about="http://creativecommons.org/licenses/by-nc-nd/">'
                '<permits rdf:resource="http://web.resource.org/cc/Reproduction"/></License>'
                "</rdf:RDF>",
                FOUND,
                "CC-BY-NC-ND-2.0-KR",
                id="embedded-rdf-port-kr",
            ),
            # broken legacy RDF (unquoted attribute ending in "//>") next to a plain link
            # (shape of the crummy.com footer; §5.3): still one licence
            pytest.param(
                '<a href="http://creativecommons.org/licenses/by-sa/2.0/">Creative Commons '
                'License</a>.<!--<rdf:RDF xmlns="http://web.resource.org/cc/"><Work '
                'rdf:about="http://www.example.org/"><license '
                "rdf:resource=http://creativecommons.org/licenses/by-sa/2.0//></Work>"
                '<License rdf:about="http://creativecommons.org/licenses/by-sa/2.0/"></License>'
                "</rdf:RDF>-->",
                FOUND,
                "CC-BY-SA-2.0",
                id="embedded-rdf-broken-attribute",
            ),
            # Dublin Core meta with a licence URL (§5.3)
            pytest.param(
                '<meta name="dcterms.license" '
                'content="https://creativecommons.org/licenses/by/4.0/">',
                FOUND,
                "CC-BY-4.0",
                id="meta-dcterms-license",
            ),
            # dc.rights is free text: run the text detector on it (§5.3)
            pytest.param(
                '<meta name="dc.rights" content="Licensed under CC BY-NC-SA 4.0">',
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="meta-dc-rights-free-text",
            ),
            # schema.org JSON-LD, license as a URL string (§5.3; older Pressbooks, §2)
            pytest.param(
                '<script type="application/ld+json">{"@context": "https://schema.org", '
                '"@type": "Book", "name": "Intro Chemistry", '
                '"license": "https://creativecommons.org/licenses/by/4.0/"}</script>',
                FOUND,
                "CC-BY-4.0",
                id="json-ld-license-string",
            ),
            # schema.org JSON-LD, Pressbooks CreativeWork object with url, name, code (§2, §5.3)
            pytest.param(
                '<script type="application/ld+json">{"@context": "http://schema.org", '
                '"@type": "Book", "name": "Intro Chemistry", "license": {"@type": '
                '"CreativeWork", "url": "https://creativecommons.org/licenses/by-sa/4.0/", '
                '"name": "CC BY-SA (Attribution ShareAlike)", "code": "CC BY-SA"}}</script>',
                FOUND,
                "CC-BY-SA-4.0",
                id="json-ld-license-object",
            ),
            # bare JSON (an API response) with a license URL (§5.3 schema.org)
            pytest.param(
                '{"license": "https://creativecommons.org/licenses/by-nd/4.0/"}',
                FOUND,
                "CC-BY-ND-4.0",
                id="bare-json-license",
            ),
            # XMP from chooser v1: cc:license rdf:resource + UsageTerms notice agree (§4.5b)
            pytest.param(XMP, FOUND, "CC-BY-NC-4.0", id="xmp-chooser-v1"),
            # XMP packet with only cc:license (§5.3 XMP row)
            pytest.param(
                "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
                "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
                "xmlns:cc='http://creativecommons.org/ns#'><rdf:Description rdf:about=''>"
                "<cc:license rdf:resource='http://creativecommons.org/licenses/by-sa/3.0/'/>"
                "</rdf:Description></rdf:RDF></x:xmpmeta>",
                FOUND,
                "CC-BY-SA-3.0",
                id="xmp-cc-license-only",
            ),
            # legacy chooser's CC0 output: rel="license" + /p/zero badge + waiver sentence
            # (§4.5a note on the CC0 variant)
            pytest.param(
                '<p xmlns:dct="http://purl.org/dc/terms/"><a rel="license" '
                'href="http://creativecommons.org/publicdomain/zero/1.0/"><img '
                'src="http://i.creativecommons.org/p/zero/1.0/88x31.png" style="border-style: '
                'none;" alt="CC0" /></a><br />To the extent possible under law, <span '
                'rel="dct:publisher" resource="[_:publisher]"><span property="dct:title">Jane '
                "Doe</span></span> has waived all copyright and related or neighboring rights to "
                '<span property="dct:title">Intro Chemistry</span>.</p>',
                FOUND,
                "CC0-1.0",
                id="chooser-legacy-cc0",
            ),
            # PDM marking in the CC REL guide's shape, with rel="license" (§4.5d)
            pytest.param(
                '<p xmlns:dct="http://purl.org/dc/terms/">This work (<span '
                'property="dct:title">Mona Lisa</span>, by <a href="https://example.org/leonardo" '
                'rel="dct:creator">Leonardo da Vinci</a>), identified by <a '
                'href="https://example.org/museum" rel="dct:publisher">Example Museum</a>, is free '
                'of known copyright restrictions. <a rel="license" '
                'href="https://creativecommons.org/publicdomain/mark/1.0/"><img '
                'src="https://licensebuttons.net/p/mark/1.0/88x31.png" alt="Public Domain Mark" />'
                "</a></p>",
                FOUND,
                "CC-PDM-1.0",
                id="pdm-ccrel-guide",
            ),
            # rel="license" and a <meta> licence that agree → one licence (policy 10)
            pytest.param(
                '<head><meta name="dcterms.license" '
                'content="https://creativecommons.org/licenses/by/4.0/"></head><body><a '
                'rel="license" href="https://creativecommons.org/licenses/by/4.0/deed.de">'
                "CC BY 4.0</a></body>",
                FOUND,
                "CC-BY-4.0",
                id="meta-and-rel-agree",
            ),
        ],
    )
    def test_carriers(self, text, status, expected):
        check(text, status, expected)

    @pytest.mark.parametrize(
        PARAMS,
        [
            # a page: rel="license" says CC BY 4.0, a figure caption says CC BY-SA 3.0; the
            # machine-readable statement is about the page, the caption about the figure
            # (policy 11; §5.5 "per-item credits")
            pytest.param(
                "<html><head><title>Ohm's law</title></head><body><article><p>Ohm's law "
                'relates current, voltage and resistance.</p><figure><img src="meter.jpg" '
                'alt="A multimeter"><figcaption>Photo by X, CC BY-SA 3.0</figcaption></figure>'
                '</article><footer>This page is licensed under a <a rel="license" '
                'href="https://creativecommons.org/licenses/by/4.0/">Creative Commons '
                "Attribution 4.0 International License</a>.</footer></body></html>",
                FOUND,
                "CC-BY-4.0",
                id="rel-license-beats-caption",
            ),
            # JSON-LD licence outranks a credit line in the text (policy 11)
            pytest.param(
                '<html><head><script type="application/ld+json">{"@context": '
                '"https://schema.org", "@type": "Chapter", "license": '
                '"https://creativecommons.org/licenses/by-nc-sa/4.0/"}</script></head><body>'
                "<p>Figure 2: Kelsey Todd, CC BY 4.0, via Wikimedia Commons</p></body></html>",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="json-ld-beats-credit-text",
            ),
            # an SPDX-License-Identifier header outranks a mention further down (policy 11)
            pytest.param(
                "<!-- SPDX-License-Identifier: CC-BY-SA-4.0 -->\n# Notes\n\n"
                "The logo in this chapter is CC BY-ND 4.0.\n",
                FOUND,
                "CC-BY-SA-4.0",
                id="spdx-header-beats-text",
            ),
            # embedded RDF outranks a caption (policy 11)
            pytest.param(
                "<p>Diagram: Jane Doe, CC BY-NC 3.0</p><!-- <rdf:RDF "
                'xmlns="http://web.resource.org/cc/" '
                'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><Work rdf:about="">'
                '<license rdf:resource="http://creativecommons.org/licenses/by/2.5/" /></Work>'
                '<License rdf:about="http://creativecommons.org/licenses/by/2.5/"></License>'
                "</rdf:RDF> -->",
                FOUND,
                "CC-BY-2.5",
                id="embedded-rdf-beats-caption",
            ),
        ],
    )
    def test_machine_readable_outranks_text(self, text, status, expected):
        check(text, status, expected)


class TestAmbiguous:
    """Statements that do not name one licence: report candidates, never guess (§5.5)."""

    @pytest.mark.parametrize(
        PARAMS,
        [
            # unit, no version (§5.5 first bullet)
            pytest.param("CC BY", AMBIGUOUS, BY, id="cc-by"),
            # SPDX-looking, but no version (§5.5)
            pytest.param("CC-BY-SA", AMBIGUOUS, BY_SA, id="cc-by-sa-hyphenated"),
            # long name, no version (§5.5 "Creative Commons Attribution License")
            pytest.param(
                "Creative Commons Attribution License", AMBIGUOUS, BY, id="long-name-no-version"
            ),
            # (§5.5)
            pytest.param(
                "This photo is licensed CC BY-NC.", AMBIGUOUS, BY_NC, id="licensed-cc-by-nc"
            ),
            # NC-ND without version: 1.0 is by-nd-nc → CC-BY-NC-ND-1.0 (§1.2)
            pytest.param("CC BY-NC-ND", AMBIGUOUS, BY_NC_ND, id="cc-by-nc-nd"),
            # (§5.5)
            pytest.param("CC BY-ND", AMBIGUOUS, BY_ND, id="cc-by-nd"),
            # (§5.5)
            pytest.param("Licence: CC BY-NC-SA", AMBIGUOUS, BY_NC_SA, id="cc-by-nc-sa"),
            # Wikipedia's pre-2023 footer wording, no version (§5.5)
            pytest.param(
                "Text is available under the Creative Commons Attribution-ShareAlike License; "
                "additional terms may apply.",
                AMBIGUOUS,
                BY_SA,
                id="wikipedia-footer-no-version",
            ),
            # BPA "pretty good" example: version missing (§4.2)
            pytest.param("Photo by tvol / CC BY", AMBIGUOUS, BY, id="bpa-pretty-good"),
            # German title without version
            pytest.param(
                "Lizenz: Namensnennung - Weitergabe unter gleichen Bedingungen",
                AMBIGUOUS,
                BY_SA,
                id="de-title-no-version",
            ),
            # presskit icons cc+by+sa without a licence link: type known, version not (§5.2, §5.5)
            pytest.param(
                f'<img src="{PRESSKIT}cc.svg" alt=""><img src="{PRESSKIT}by.svg" alt="">'
                f'<img src="{PRESSKIT}sa.svg" alt="">',
                AMBIGUOUS,
                BY_SA,
                id="presskit-icons-by-sa",
            ),
            # presskit icons cc+by (§5.2)
            pytest.param(
                f'<img src="{PRESSKIT}cc.svg" alt=""><img src="{PRESSKIT}by.svg" alt="">',
                AMBIGUOUS,
                BY,
                id="presskit-icons-by",
            ),
            # presskit icons cc+by+nc+nd (§5.2)
            pytest.param(
                f'<img src="{PRESSKIT}cc.svg" alt=""><img src="{PRESSKIT}by.svg" alt="">'
                f'<img src="{PRESSKIT}nc.svg" alt=""><img src="{PRESSKIT}nd.svg" alt="">',
                AMBIGUOUS,
                BY_NC_ND,
                id="presskit-icons-by-nc-nd",
            ),
            # chooser-v1 style icons with ?ref, by+nc+sa, no link (§4.5b, §5.2)
            pytest.param(
                f'<img src="{PRESSKIT}by.svg?ref=chooser-v1" alt="">'
                f'<img src="{PRESSKIT}nc.svg?ref=chooser-v1" alt="">'
                f'<img src="{PRESSKIT}sa.svg?ref=chooser-v1" alt="">',
                AMBIGUOUS,
                BY_NC_SA,
                id="presskit-icons-by-nc-sa-ref",
            ),
        ],
    )
    def test_no_version(self, text, status, expected):
        check(text, status, expected)

    @pytest.mark.parametrize(
        PARAMS,
        [
            # "Creative Commons license": type unknown (§5.5 second bullet, MARK "insufficient")
            pytest.param(
                "This work is licensed under a Creative Commons license.",
                AMBIGUOUS,
                UNKNOWN_TYPE,
                id="a-creative-commons-license",
            ),
            # older footer wording, type unknown (§5.5)
            pytest.param(
                "This work is licensed under a Creative Commons License.",
                AMBIGUOUS,
                UNKNOWN_TYPE,
                id="creative-commons-license-capitalised",
            ),
            # "Some rights reserved" next to a CC logo (§5.5, §4.2 MARK)
            pytest.param(
                f'<img src="{PRESSKIT}cc.svg" alt="CC"> Some rights reserved',
                AMBIGUOUS,
                UNKNOWN_TYPE,
                id="some-rights-reserved-with-logo",
            ),
            # a lone CC logo (§5.5 "a lone CC logo")
            pytest.param(
                f'<img src="{PRESSKIT}cc.svg" alt="Creative Commons">',
                AMBIGUOUS,
                UNKNOWN_TYPE,
                id="lone-cc-logo",
            ),
            # "CC-licensed": a licence claim without a type (§5.5 "CC")
            pytest.param(
                "All photos on this page are CC-licensed.",
                AMBIGUOUS,
                UNKNOWN_TYPE,
                id="cc-licensed",
            ),
        ],
    )
    def test_type_unknown(self, text, status, expected):
        check(text, status, expected)

    @pytest.mark.parametrize(
        PARAMS,
        [
            # link says BY-SA 4.0, its own text says BY-NC-SA 4.0 (§5.5 conflicts, verbatim case)
            pytest.param(
                '<a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">'
                "CC BY-NC-SA 4.0</a>",
                AMBIGUOUS,
                ("CC-BY-NC-SA-4.0", "CC-BY-SA-4.0"),
                id="link-vs-link-text",
            ),
            # the link's badge disagrees with the link (§5.5 conflicts)
            pytest.param(
                '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/"><img '
                'src="https://i.creativecommons.org/l/by-nc/4.0/88x31.png" alt="CC"></a>',
                AMBIGUOUS,
                ("CC-BY-4.0", "CC-BY-NC-4.0"),
                id="link-vs-badge",
            ),
            # the link's text gives another version (§5.5; versions matter for SA, §7)
            pytest.param(
                '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
                "CC BY 3.0</a>",
                AMBIGUOUS,
                ("CC-BY-3.0", "CC-BY-4.0"),
                id="link-vs-text-version",
            ),
            # <meta name="dcterms.license"> says one licence, rel="license" another: both are
            # machine-readable, neither outranks the other (§5.5 conflicts)
            pytest.param(
                '<html><head><meta name="dcterms.license" '
                'content="https://creativecommons.org/licenses/by/4.0/"></head><body><p>'
                '<a rel="license" href="https://creativecommons.org/licenses/by-nc/4.0/">'
                "CC BY-NC 4.0</a></p></body></html>",
                AMBIGUOUS,
                ("CC-BY-4.0", "CC-BY-NC-4.0"),
                id="meta-vs-rel-license",
            ),
            # JSON-LD vs rel="license" (§5.5 conflicts)
            pytest.param(
                '<script type="application/ld+json">{"@context": "https://schema.org", '
                '"license": "https://creativecommons.org/licenses/by/4.0/"}</script>'
                '<a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">'
                "CC BY-SA 4.0</a>",
                AMBIGUOUS,
                ("CC-BY-4.0", "CC-BY-SA-4.0"),
                id="json-ld-vs-rel-license",
            ),
            # two rel="license" links to different licences (§5.5 conflicts)
            pytest.param(
                '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">A</a> '
                '<a rel="license" href="https://creativecommons.org/licenses/by-nc-nd/4.0/">B</a>',
                AMBIGUOUS,
                ("CC-BY-4.0", "CC-BY-NC-ND-4.0"),
                id="two-rel-license-links",
            ),
            # a licence link whose text spells out an element the link lacks: BY vs BY-NC
            # (§5.5 "link says one licence, text says another"; §5.4 "NonCommercial")
            pytest.param(
                '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
                "CC BY-NonCommercial 4.0</a>",
                AMBIGUOUS,
                ("CC-BY-4.0", "CC-BY-NC-4.0"),
                id="rel-license-vs-spelled-out-nc",
            ),
            # plain text naming two licences (policy 9)
            pytest.param(
                "This book is licensed under CC BY 4.0 and CC BY-SA 4.0.",
                AMBIGUOUS,
                ("CC-BY-4.0", "CC-BY-SA-4.0"),
                id="text-two-licences",
            ),
            # no machine-readable statement, distinct licences in text (policy 11)
            pytest.param(
                "Text: CC BY 4.0. Figures: CC BY-SA 3.0.",
                AMBIGUOUS,
                ("CC-BY-4.0", "CC-BY-SA-3.0"),
                id="text-only-distinct-licences",
            ),
            # a CC licence and a non-CC licence in text (policy 11)
            pytest.param(
                "Text: CC BY-SA 4.0. Diagrams: GNU Free Documentation License, Version 1.3.",
                AMBIGUOUS,
                ("CC-BY-SA-4.0", "GFDL-1.3-only"),
                id="text-cc-and-gfdl",
            ),
        ],
    )
    def test_conflicts(self, text, status, expected):
        d = check(text, status, expected)
        # §5.5: "report both" — at least one piece of evidence per candidate
        assert len(d.evidence) >= 2


class TestNotALicence:
    """Mentions of Creative Commons, rights and licences that state no licence (§5.5, policy 13)."""

    @pytest.mark.parametrize(
        PARAMS,
        [
            # empty input
            pytest.param("", NONE, None, id="empty"),
            # whitespace only
            pytest.param(" \n\t ", NONE, None, id="whitespace"),
            # all rights reserved is a status for the readers, not detect's concern (policy 13)
            pytest.param("All rights reserved.", NONE, None, id="all-rights-reserved"),
            # copyright notice alone
            pytest.param(
                "© 2024 Jane Doe. All rights reserved.", NONE, None, id="copyright-notice"
            ),
            # German "all rights reserved"
            pytest.param("Alle Rechte vorbehalten.", NONE, None, id="alle-rechte-vorbehalten"),
            # nothing at all
            pytest.param("Hello world", NONE, None, id="hello-world"),
            # the organisation, not a licence (policy 9; §4.2 BPA "an organisation")
            pytest.param(
                "Creative Commons is a nonprofit organization that helps overcome legal "
                "obstacles to the sharing of knowledge and creativity.",
                NONE,
                None,
                id="cc-the-organisation",
            ),
            # a pointer to the website (policy 9)
            pytest.param(
                "See creativecommons.org for details.", NONE, None, id="see-creativecommons-org"
            ),
            # a link to a CC page that is not a licence (policy 9)
            pytest.param(
                '<a href="https://creativecommons.org/about/">About CC</a>',
                NONE,
                None,
                id="link-about",
            ),
            # the FAQ is not a licence (§0 FAQ)
            pytest.param("https://creativecommons.org/faq/", NONE, None, id="faq-url"),
            # the licence index without a unit (§5.1 path needs <unit>/<version>)
            pytest.param("https://creativecommons.org/licenses/", NONE, None, id="licenses-index"),
            # the chooser (§0 CHOOSER)
            pytest.param(
                "Choose a licence at https://chooser-beta.creativecommons.org/",
                NONE,
                None,
                id="chooser-url",
            ),
            # the compatible-licences page named in every 4.0 legal code (§0 COMPAT)
            pytest.param(
                "a license listed at creativecommons.org/compatiblelicenses",
                NONE,
                None,
                id="compatiblelicenses",
            ),
            # the wiki link in the 4.0 legal code preamble
            # (openstax-university-physics-vol2/LICENSE line 36)
            pytest.param(
                "More considerations for licensors: "
                "wiki.creativecommons.org/Considerations_for_licensors",
                NONE,
                None,
                id="wiki-considerations",
            ),
            # the ccREL namespace declaration alone (§1.5 namespace)
            pytest.param(
                '<html xmlns:cc="http://creativecommons.org/ns#"><body></body></html>',
                NONE,
                None,
                id="cc-namespace-only",
            ),
            # the legacy namespace alone (§1.5 legacy namespace)
            pytest.param(
                '<rdf:RDF xmlns="http://web.resource.org/cc/"></rdf:RDF>',
                NONE,
                None,
                id="legacy-namespace-only",
            ),
            # "Wikimedia Commons" is not "Creative Commons"
            pytest.param(
                'modification of work by "vadimpl"/Wikimedia Commons',
                NONE,
                None,
                id="wikimedia-commons",
            ),
            # an attribution label is not a licence (§4.2 TASL)
            pytest.param("Attribution: Jane Doe", NONE, None, id="attribution-label"),
            # "public domain" prose is a status claim, not a tool (§5.5 "Public domain in prose")
            pytest.param(
                "This image is in the public domain.", NONE, None, id="public-domain-prose"
            ),
            # another sense of "license"
            pytest.param(
                "You need a driver's license to join the field trip.",
                NONE,
                None,
                id="drivers-license",
            ),
            # a version number that is not a licence version
            pytest.param("Course version 4.0, by Jane Doe", NONE, None, id="version-and-by"),
            # a platform slug without a platform is not mapped (§5.5 "platform slugs")
            pytest.param("public-domain", NONE, None, id="pressbooks-slug-public-domain"),
        ],
    )
    def test_no_licence(self, text, status, expected):
        check(text, status, expected)


class TestNonCC:
    """Other open licences met in OER (§2, §5.4)."""

    @pytest.mark.parametrize(
        PARAMS,
        [
            # the standard GFDL 1.3 notice: "or any later version" (§5.4 GFDL notice)
            pytest.param(
                "Permission is granted to copy, distribute and/or modify this document under the "
                "terms of the GNU Free Documentation License, Version 1.3 or any later version "
                "published by the Free Software Foundation; with no Invariant Sections, no "
                "Front-Cover Texts, and no Back-Cover Texts.",
                FOUND,
                "GFDL-1.3-or-later",
                id="gfdl-1.3-notice",
            ),
            # version stated, no "or later" → -only (§2 GFDL ids)
            pytest.param(
                "GNU Free Documentation License, Version 1.2",
                FOUND,
                "GFDL-1.2-only",
                id="gfdl-1.2-only",
            ),
            # version stated, no "or later" → -only (§2)
            pytest.param(
                "GNU Free Documentation License, Version 1.3",
                FOUND,
                "GFDL-1.3-only",
                id="gfdl-1.3-only",
            ),
            # Wikimedia's GFDL template: 1.2 or any later version (§2 GFDL ids)
            pytest.param(
                "Permission is granted to copy, distribute and/or modify this document under the "
                "terms of the GNU Free Documentation License, Version 1.2 or any later version "
                "published by the Free Software Foundation; with no Invariant Sections, no "
                "Front-Cover Texts, and no Back-Cover Texts.",
                FOUND,
                "GFDL-1.2-or-later",
                id="gfdl-1.2-or-later-notice",
            ),
            # French name of the Free Art License (§2: LAL-1.3)
            pytest.param("Licence Art Libre 1.3", FOUND, "LAL-1.3", id="licence-art-libre"),
            # English name (§2)
            pytest.param("Free Art License 1.3", FOUND, "LAL-1.3", id="free-art-license"),
            # GPL name with "or later" (§2)
            pytest.param(
                "GNU General Public License v3.0 or later",
                FOUND,
                "GPL-3.0-or-later",
                id="gpl-v3-or-later",
            ),
            # GPL name with "only" (§2)
            pytest.param(
                "GNU General Public License v3.0 only", FOUND, "GPL-3.0-only", id="gpl-v3-only"
            ),
            # the GPL's own "how to apply" notice (GPL-3.0 text, end section)
            pytest.param(
                "This program is free software: you can redistribute it and/or modify it under "
                "the terms of the GNU General Public License as published by the Free Software "
                "Foundation, either version 3 of the License, or (at your option) any later "
                "version.",
                FOUND,
                "GPL-3.0-or-later",
                id="gpl-notice-or-later",
            ),
            # OGL UK attribution statement (§2)
            pytest.param(
                "Contains public sector information licensed under the Open Government Licence "
                "v3.0.",
                FOUND,
                "OGL-UK-3.0",
                id="ogl-uk-statement",
            ),
            # OGL UK name alone (§2)
            pytest.param("Open Government Licence v3.0", FOUND, "OGL-UK-3.0", id="ogl-uk-name"),
            # OGL UK URL (§2 source URL, version 3)
            pytest.param(
                "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
                FOUND,
                "OGL-UK-3.0",
                id="ogl-uk-url",
            ),
            # OGL Canada attribution statement, with the en dash (§2)
            pytest.param(
                "Contains information licensed under the Open Government Licence – Canada.",
                FOUND,
                "OGL-Canada-2.0",
                id="ogl-canada-statement",
            ),
            # same with a plain hyphen (§5.4 hyphen/en-dash tolerant)
            pytest.param(
                "Contains information licensed under the Open Government Licence - Canada.",
                FOUND,
                "OGL-Canada-2.0",
                id="ogl-canada-hyphen",
            ),
            # OGL Canada URL (§2 source URL)
            pytest.param(
                "https://open.canada.ca/en/open-government-licence-canada",
                FOUND,
                "OGL-Canada-2.0",
                id="ogl-canada-url",
            ),
        ],
    )
    def test_non_cc(self, text, status, expected):
        check(text, status, expected)


class TestRealCorpus:
    """Real markup and text copied from the corpus (tests/data/*/SOURCE.md), expected values
    written from what each file says."""

    @pytest.mark.parametrize(
        PARAMS,
        [
            # OpenStax collection.xml line 5, verbatim: URL and full name agree
            pytest.param(
                '<md:license url="http://creativecommons.org/licenses/by-nc-sa/4.0/">Creative '
                "Commons Attribution-NonCommercial-ShareAlike 4.0 International</md:license>",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="openstax-md-license-line",
            ),
            # OpenStax README "## License" sentence, verbatim: no version
            pytest.param(
                "_University Physics Volume 1, University Physics Volume 2, and University "
                "Physics Volume 3_ are available under the [Creative Commons "
                "Attribution-NonCommercial-ShareAlike License](./LICENSE) license.",
                AMBIGUOUS,
                BY_NC_SA,
                id="openstax-readme-sentence",
            ),
            # OpenStax module m58453 caption credit: credits without a licence
            pytest.param(
                "(credit a: modification of work by Stig Nygaard; credit b: modification of work "
                'by "vadimpl"/Wikimedia Commons; credit c: modification of work by "The '
                'tdog"/Wikimedia Commons; credit d: modification of work by "Itrados"/Wikimedia '
                "Commons)",
                NONE,
                None,
                id="openstax-figure-credit",
            ),
            # Pressbooks pb_toc1.json lines 1078-1082 (indentation shortened): CC BY 4.0 object
            pytest.param(
                '"license": {\n  "@type": "CreativeWork",\n  "url": '
                '"https://creativecommons.org/licenses/by/4.0/",\n  "name": "CC BY '
                '(Attribution)"\n}',
                FOUND,
                "CC-BY-4.0",
                id="pressbooks-license-object-by",
            ),
            # Pressbooks pb_toc1.json lines 47-51 (indentation shortened): CC0 object, name agrees
            pytest.param(
                '"license": {\n  "@type": "CreativeWork",\n  "url": '
                '"https://creativecommons.org/publicdomain/zero/1.0/",\n  "name": "CC0 (Creative '
                'Commons Zero)"\n}',
                FOUND,
                "CC0-1.0",
                id="pressbooks-license-object-cc0",
            ),
            # Pressbooks pb_toc1.json lines 1178-1182 (indentation shortened): name "Public Domain",
            # the PDM URL decides
            pytest.param(
                '"license": {\n  "@type": "CreativeWork",\n  "url": '
                '"https://creativecommons.org/publicdomain/mark/1.0/",\n  "name": "Public '
                'Domain"\n}',
                FOUND,
                "CC-PDM-1.0",
                id="pressbooks-license-object-pdm",
            ),
            # Pressbooks pb_toc2.json lines 67-71 (indentation shortened): BY-NC-SA 4.0 object
            pytest.param(
                '"license": {\n  "@type": "CreativeWork",\n  "url": '
                '"https://creativecommons.org/licenses/by-nc-sa/4.0/",\n  "name": "CC BY-NC-SA '
                '(Attribution NonCommercial ShareAlike)"\n}',
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="pressbooks-license-object-by-nc-sa",
            ),
            # Pressbooks pb_chapters.json: the media-attributions block declares the cc prefix
            # but states no licence
            pytest.param(
                '<div class="media-attributions clear" prefix:cc="http://creativecommons.org/ns#" '
                'prefix:dc="http://purl.org/dc/terms/"><h2>Media Attributions</h2><ul><li '
                ">Linear_Communication       </li><li >Screenshot 2025-06-05 205442       </li>"
                "<li >Screenshot 2025-06-05 212535       </li></ul></div>",
                NONE,
                None,
                id="pressbooks-media-attributions-prefix",
            ),
            # Pressbooks WXR (pressbooks/pressbooks tests/data/Pressbooks-Integration-Testing-
            # 1537214020.xml) licence term names: the platform means 4.0, detect does not know
            # the platform (§5.5 "platform slugs")
            pytest.param(
                "CC BY-SA (Attribution ShareAlike)",
                AMBIGUOUS,
                BY_SA,
                id="pressbooks-wxr-term-by-sa",
            ),
            # same file, another term name
            pytest.param(
                "CC BY-NC (Attribution NonCommercial)",
                AMBIGUOUS,
                BY_NC,
                id="pressbooks-wxr-term-by-nc",
            ),
            # same file: CC0 has a single version, so its name alone is one licence (§1.1)
            pytest.param(
                "CC0 (Creative Commons Zero)", FOUND, "CC0-1.0", id="pressbooks-wxr-term-cc0"
            ),
            # same file lines 668-669 (tabs removed): the book licence is the slug "public-domain"
            # (§5.5 platform slugs)
            pytest.param(
                "<wp:meta_key><![CDATA[pb_book_license]]></wp:meta_key>\n"
                "<wp:meta_value><![CDATA[public-domain]]></wp:meta_value>",
                NONE,
                None,
                id="pressbooks-wxr-book-license-slug",
            ),
            # same file: term "All Rights Reserved" (policy 13)
            pytest.param(
                "<wp:term_name><![CDATA[All Rights Reserved]]></wp:term_name>",
                NONE,
                None,
                id="pressbooks-wxr-all-rights-reserved",
            ),
            # LiaScript Holzarten_01.md line 16, verbatim: title-image credit
            pytest.param(
                "attribute: Title Image by Martin Vorel, CC BY-SA 4.0 "
                "<https://creativecommons.org/licenses/by-sa/4.0>, via Wikimedia Commons",
                FOUND,
                "CC-BY-SA-4.0",
                id="liascript-attribute-with-url",
            ),
            # LiaScript Holzarten_von_Jan.md line 17, verbatim: short name only
            pytest.param(
                "attribute: Title Image By Kritzolina - Own work, CC BY-SA 4.0, "
                "https://commons.wikimedia.org/w/index.php?curid=128991156",
                FOUND,
                "CC-BY-SA-4.0",
                id="liascript-attribute-short-name",
            ),
            # LiaScript Raumausstatter_Holzverbindungen.md line 14: a source, no licence
            pytest.param(
                'attribute: "Quelle Titlebild: pixabay"',
                NONE,
                None,
                id="liascript-attribute-pixabay",
            ),
            # LiaScript Raumausstatter_gr_06.md line 72: all rights reserved, in German
            pytest.param(
                '![Schnellnäher](img/duerkopp_adler_281.jpg "**Quelle:** _©2025 [Dürkopp Adler '
                'GmbH](https://www.duerkopp-adler.com), alle Rechte vorbehalten._")',
                NONE,
                None,
                id="liascript-alle-rechte-vorbehalten",
            ),
            # LiaScript README badge line, verbatim: SPDX id in alt text + CC0 deed URL
            pytest.param(
                "[![License: CC0-1.0](https://img.shields.io/badge/License-CC0_1.0-lightgrey.svg)]"
                "(http://creativecommons.org/publicdomain/zero/1.0/)",
                FOUND,
                "CC0-1.0",
                id="liascript-readme-badge",
            ),
            # REF_A3.md line 3, verbatim
            pytest.param(
                "## [Creative Commons Attribution 4.0 International (CC BY 4.0)]{.underline}",
                FOUND,
                "CC-BY-4.0",
                id="lec-ref-a3-heading",
            ),
            # REF_A3.md line 7, verbatim: link target with a URL-encoded leading space
            pytest.param(
                "[https://creativecommons.org/licenses/by/4.0/legalcode](%20https://"
                "creativecommons.org/licenses/by/4.0/legalcode)",
                FOUND,
                "CC-BY-4.0",
                id="lec-ref-a3-percent-20-link",
            ),
            # LEC README.md notice paragraph, verbatim: a "Creative Commons License" of
            # unknown type (§5.5)
            pytest.param(
                "> These books and all related files are published under the terms and "
                "conditions of the Creative Commons License. These terms and conditions allow "
                "for free copying, distribution, and/or modification of this document by the "
                "general public.",
                AMBIGUOUS,
                UNKNOWN_TYPE,
                id="lec-readme-notice",
            ),
            # LEC REF_A2.md line 7, verbatim: "CC BY" without version
            pytest.param(
                "If you wish to cite portions of this book in a work of your own, you must "
                "follow the same guidelines as for any other copyrighted work. Here is a sample "
                "for the CreativeCommons CC BY License:",
                AMBIGUOUS,
                BY,
                id="lec-ref-a2-cc-by-no-version",
            ),
            # cc2olx imscc_files/main/imsmanifest.xml lines 28-30 (indentation shortened): LOM
            # rights say "Public Domain" in prose, not a CC tool (§5.5)
            pytest.param(
                "<lomimscc:description>\n    <lomimscc:string>Public Domain - "
                "http://en.wikipedia.org/wiki/Public_domain</lomimscc:string>\n"
                "</lomimscc:description>",
                NONE,
                None,
                id="cc2olx-lom-public-domain",
            ),
            # cc2olx course_settings.xml: Canvas licence slug "public" (§5.5 platform slugs)
            pytest.param("<license>public</license>", NONE, None, id="cc2olx-canvas-slug"),
        ],
    )
    def test_snippets(self, text, status, expected):
        check(text, status, expected)

    @pytest.mark.parametrize(
        ("path", "status", "expected"),
        [
            # the whole collection: one licence, URL + name (SOURCE.md)
            pytest.param(
                "openstax-university-physics-vol2/collections/"
                "university-physics-volume-2.collection.xml",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="openstax-collection-xml",
            ),
            # the whole README: only the versionless BY-NC-SA name
            pytest.param(
                "openstax-university-physics-vol2/README.md",
                AMBIGUOUS,
                BY_NC_SA,
                id="openstax-readme",
            ),
            # chapter metadata: schema.org license object, CC BY 4.0
            pytest.param(
                "pressbooks-rest-api/pb_chapter_5_metadata.json",
                FOUND,
                "CC-BY-4.0",
                id="pressbooks-chapter-metadata",
            ),
            # 23 sections, all BY-NC-SA 4.0 → one licence (policy 10)
            pytest.param(
                "pressbooks-rest-api/pb_toc2.json",
                FOUND,
                "CC-BY-NC-SA-4.0",
                id="pressbooks-toc-one-licence",
            ),
            # 32 x CC0, 1 x CC BY 4.0, 1 x PDM in one book (SOURCE.md) → ambiguous
            pytest.param(
                "pressbooks-rest-api/pb_toc1.json",
                AMBIGUOUS,
                ("CC-BY-4.0", "CC-PDM-1.0", "CC0-1.0"),
                id="pressbooks-toc-mixed",
            ),
            # chapter object: license [], pb_section_license "", only the cc: prefix
            pytest.param(
                "pressbooks-rest-api/pb_chapters.json",
                NONE,
                None,
                id="pressbooks-chapter-without-licence",
            ),
            # LiaScript course: its only licence statement is the title image's CC BY-SA 4.0
            pytest.param(
                "diagnostik-liascript-holz-raum-maler/courses/Holzarten_01.md",
                FOUND,
                "CC-BY-SA-4.0",
                id="liascript-course-file",
            ),
            # LiaScript README: CC0 badge
            pytest.param(
                "diagnostik-liascript-holz-raum-maler/README.md",
                FOUND,
                "CC0-1.0",
                id="liascript-readme",
            ),
            # LiaScript LICENSE: the CC0 1.0 Universal legal code
            pytest.param(
                "diagnostik-liascript-holz-raum-maler/LICENSE",
                FOUND,
                "CC0-1.0",
                id="liascript-license-cc0-legalcode",
            ),
            # LEC appendix A3: CC BY 4.0 name, deed and legal-code URLs (some with %20),
            # versionless "Creative Commons Attribution license" of the same unit
            pytest.param(
                "lessons-in-electric-circuits-ref-md/src_pandoc/Ref/REF_A3.md",
                FOUND,
                "CC-BY-4.0",
                id="lec-ref-a3",
            ),
            # LEC README: "the Creative Commons License", type unknown
            pytest.param(
                "lessons-in-electric-circuits-ref-md/README.md",
                AMBIGUOUS,
                UNKNOWN_TYPE,
                id="lec-readme",
            ),
        ],
    )
    def test_files(self, path, status, expected):
        check(_read(path), status, expected)

    @staticmethod
    def _extmetadata(title: str) -> dict[str, Any]:
        responses = json.loads(_read("mediawiki-api-responses/responses.json"))
        for response in responses:
            pages = response["body"].get("query", {}).get("pages", {})
            for page in pages.values():
                if page.get("title") == title and page.get("imageinfo"):
                    metadata: dict[str, Any] = page["imageinfo"][0]["extmetadata"]
                    return metadata
        raise AssertionError(f"{title} not in responses.json")

    @pytest.mark.parametrize(
        ("title", "field", "status", "expected"),
        [
            # "CC BY-SA 2.0 fr": port short name, lower-case jurisdiction; no SPDX id (§1.4)
            pytest.param(
                "File:Apple Lisa2-IMG 1517.jpg",
                "LicenseShortName",
                FOUND,
                "CC-BY-SA-2.0-FR",
                id="lisa-short-name",
            ),
            # https://creativecommons.org/licenses/by-sa/2.0/fr/deed.en (§5.1)
            pytest.param(
                "File:Apple Lisa2-IMG 1517.jpg",
                "LicenseUrl",
                FOUND,
                "CC-BY-SA-2.0-FR",
                id="lisa-url",
            ),
            # "cc-by-sa-2.0-fr": Commons template name = the id pattern in lower case
            pytest.param(
                "File:Apple Lisa2-IMG 1517.jpg",
                "License",
                FOUND,
                "CC-BY-SA-2.0-FR",
                id="lisa-license-slug",
            ),
            # "Creative Commons Attribution-Share Alike 2.0 fr" (§5.4 "Share Alike")
            pytest.param(
                "File:Apple Lisa2-IMG 1517.jpg",
                "UsageTerms",
                FOUND,
                "CC-BY-SA-2.0-FR",
                id="lisa-usage-terms",
            ),
            # 'Photograph by <a …>Rama</a>, Wikimedia Commons, Cc-by-sa-2.0-fr'
            pytest.param(
                "File:Apple Lisa2-IMG 1517.jpg",
                "Attribution",
                FOUND,
                "CC-BY-SA-2.0-FR",
                id="lisa-attribution",
            ),
            # "CC BY-SA 3.0" (§1.2)
            pytest.param(
                "File:Helene Fischer 2010.jpg",
                "LicenseShortName",
                FOUND,
                "CC-BY-SA-3.0",
                id="helene-short-name",
            ),
            # https://creativecommons.org/licenses/by-sa/3.0 — no trailing slash (§5.1)
            pytest.param(
                "File:Helene Fischer 2010.jpg", "LicenseUrl", FOUND, "CC-BY-SA-3.0", id="helene-url"
            ),
            # "cc-by-sa-3.0" = SPDX id in lower case
            pytest.param(
                "File:Helene Fischer 2010.jpg",
                "License",
                FOUND,
                "CC-BY-SA-3.0",
                id="helene-license-slug",
            ),
            # "Creative Commons Attribution-Share Alike 3.0" (§5.4, no "Unported")
            pytest.param(
                "File:Helene Fischer 2010.jpg",
                "UsageTerms",
                FOUND,
                "CC-BY-SA-3.0",
                id="helene-usage-terms",
            ),
            # http://creativecommons.org/publicdomain/zero/1.0/deed.en (§5.1)
            pytest.param("File:Foobar.jpg", "LicenseUrl", FOUND, "CC0-1.0", id="foobar-url"),
            # "CC0": the tool has a single version, 1.0 (§1.1), so this is one licence
            pytest.param(
                "File:Foobar.jpg", "LicenseShortName", FOUND, "CC0-1.0", id="foobar-short-name-cc0"
            ),
            # "cc0": Commons template name of the same tool
            pytest.param("File:Foobar.jpg", "License", FOUND, "CC0-1.0", id="foobar-slug-cc0"),
            # "Creative Commons Zero, Public Domain Dedication" (§1.1, single version)
            pytest.param(
                "File:Foobar.jpg", "UsageTerms", FOUND, "CC0-1.0", id="foobar-usage-terms"
            ),
            # "PD-alt-100": a public-domain-by-age template — a status, not a licence (§5.5)
            pytest.param(
                "Datei:1 FC Bamberg - 1 FC Nürnberg 1901.jpg",
                "LicenseShortName",
                NONE,
                None,
                id="bamberg-pd-alt-100",
            ),
            # a link to the de.wikipedia file page, not a licence
            pytest.param(
                "Datei:1 FC Bamberg - 1 FC Nürnberg 1901.jpg",
                "LicenseUrl",
                NONE,
                None,
                id="bamberg-file-page-url",
            ),
            # "… vermutlich gemeinfrei": public domain prose (§5.5)
            pytest.param(
                "Datei:1 FC Bamberg - 1 FC Nürnberg 1901.jpg",
                "UsageTerms",
                NONE,
                None,
                id="bamberg-gemeinfrei",
            ),
        ],
    )
    def test_mediawiki_extmetadata(self, title, field, status, expected):
        check(self._extmetadata(title)[field]["value"], status, expected)


class TestEvidence:
    """Evidence says what a result is based on (the Detection contract)."""

    def test_found_evidence_quotes_the_url(self):
        d = check(CHOOSER_V1, FOUND, "CC-BY-SA-4.0")
        assert any("creativecommons.org/licenses/by-sa/4.0" in ev.match for ev in d.evidence)

    def test_found_evidence_quotes_the_text(self):
        d = check("Lizenz: CC BY-SA 4.0", FOUND, "CC-BY-SA-4.0")
        assert any("CC BY-SA 4.0" in ev.match for ev in d.evidence)

    def test_conflict_evidence_names_both_statements(self):
        d = check(
            '<a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">'
            "CC BY-NC-SA 4.0</a>",
            AMBIGUOUS,
            ("CC-BY-NC-SA-4.0", "CC-BY-SA-4.0"),
        )
        matches = " ".join(ev.match for ev in d.evidence)
        assert "by-sa/4.0" in matches
        assert "BY-NC-SA 4.0" in matches

    def test_none_for_plain_text_has_no_licence_evidence(self):
        d = check("Hello world", NONE, None)
        assert d.evidence == ()

    def test_evidence_is_a_tuple(self):
        d = detect("CC BY 4.0")
        assert isinstance(d.evidence, tuple)
        assert isinstance(d.candidates, tuple)


ONE_MB = 1024 * 1024


class TestRobustness:
    """detect() never raises, whatever it is given."""

    @pytest.mark.parametrize(
        "text",
        [
            # control characters and replacement characters
            pytest.param("\x00\x01\x02\x03\ufffd\ufffe", id="control-chars"),
            # the start of a ZIP/EPUB decoded as Latin-1
            pytest.param(
                b"PK\x03\x04\x14\x00\x00\x00\x08\x00mimetypeapplication/epub+zip\xff\xd8".decode(
                    "latin-1"
                ),
                id="binary-as-latin-1",
            ),
            # a lone surrogate (not encodable as UTF-8)
            pytest.param("licence \ud800 CC", id="lone-surrogate"),
            # only angle brackets
            pytest.param("<" * 10_000 + ">" * 10_000, id="angle-brackets"),
            # deep nesting
            pytest.param("<div>" * 5_000 + "text", id="deep-nesting"),
            # unclosed comment and CDATA
            pytest.param("<!-- <![CDATA[ <a rel='license' href=", id="unclosed-comment-cdata"),
            # bogus entities
            pytest.param("&#0; &#xD800; &#x110000; &bogus; &amp", id="bogus-entities"),
            # a DTD with entities (must not be expanded, must not raise)
            pytest.param(
                '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>',
                id="dtd-entities",
            ),
            # an external entity (XXE) must not be resolved
            pytest.param(
                '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                "<x>&e;</x>",
                id="xxe",
            ),
            # truncated JSON
            pytest.param('{"license": {"@type": "CreativeWork", "url": ', id="truncated-json"),
            # a URL-ish string that is too long
            pytest.param(
                "https://creativecommons.org/licenses/" + "by-" * 50_000, id="very-long-url"
            ),
            # 1 MB without a licence
            pytest.param("Lorem ipsum dolor sit amet. " * (ONE_MB // 28 + 1), id="one-mb-text"),
        ],
    )
    def test_never_raises(self, text):
        d = detect(text)
        assert d.status in {FOUND, AMBIGUOUS, NONE}
        assert isinstance(d.candidates, tuple)
        assert isinstance(d.evidence, tuple)

    @pytest.mark.parametrize(
        PARAMS,
        [
            # an unclosed tag still contains a complete deed URL (policy 1)
            pytest.param(
                '<p>Licence: <a rel="license" href="https://creativecommons.org/licenses/by/4.0/"',
                FOUND,
                "CC-BY-4.0",
                id="unclosed-tag",
            ),
            # unclosed elements around a licence link
            pytest.param(
                '<div><p><span><a rel="license" '
                'href="https://creativecommons.org/licenses/by-sa/3.0/">CC BY-SA 3.0',
                FOUND,
                "CC-BY-SA-3.0",
                id="unclosed-elements",
            ),
            # a broken JSON-LD block whose licence URL is complete (policy 1)
            pytest.param(
                '<script type="application/ld+json">{"license": '
                '"https://creativecommons.org/licenses/by/4.0/",</script>',
                FOUND,
                "CC-BY-4.0",
                id="broken-json-ld",
            ),
            # a licence at the end of 1 MB of text is found
            pytest.param(
                "Lorem ipsum dolor sit amet. " * (ONE_MB // 28 + 1) + "\nLicensed under CC BY-SA "
                "4.0.",
                FOUND,
                "CC-BY-SA-4.0",
                id="licence-after-one-mb",
            ),
            # 1 MB of text is not a licence
            pytest.param(
                "Lorem ipsum dolor sit amet. " * (ONE_MB // 28 + 1), NONE, None, id="one-mb-nothing"
            ),
            # garbage around a licence does not hide it
            pytest.param(
                "\x00\x01<<<CC BY 4.0>>>\x02", FOUND, "CC-BY-4.0", id="garbage-around-licence"
            ),
        ],
    )
    def test_damaged_input(self, text, status, expected):
        check(text, status, expected)


class TestOtherWorks:
    """Licences stated about other works (sources, parts, media) are not the page's licence."""

    def test_json_ld_is_based_on(self):
        # schema.org isBasedOn names the source work, with the source's own licence
        page = (
            '<script type="application/ld+json">{"@type": "Book", "name": "DC Circuits",'
            ' "license": "https://creativecommons.org/licenses/by-nc-sa/4.0/",'
            ' "isBasedOn": [{"@type": "Book", "name": "University Physics",'
            ' "license": "https://creativecommons.org/licenses/by/4.0/"}]}</script>'
        )
        assert detect(page).license_id == "CC-BY-NC-SA-4.0"

    def test_rdfa_about_a_source(self):
        # CC REL guide's remix pattern: the source's licence sits under its own about= subject
        page = (
            '<div about="https://example.org/remix" xmlns:dct="http://purl.org/dc/terms/">'
            '<a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>'
            ' adapted from <span about="https://example.org/source"><a rel="dct:source"'
            ' href="https://example.org/source">Source</a> (<a rel="license"'
            ' href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>)</span></div>'
        )
        assert detect(page).license_id == "CC-BY-SA-4.0"


def _real_pages() -> list[Path]:
    data = Path(__file__).resolve().parent / "data"
    return sorted(p for p in data.rglob("*") if p.suffix in (".html", ".htm", ".xhtml"))


@pytest.mark.parametrize("page", _real_pages(), ids=lambda p: p.name)
def test_detect_tree_agrees_with_detect_on_real_pages(page: Path) -> None:
    """Readers scan the tree they parsed (detect_tree); on every real page in the repository
    that gives the answer detect() gives for the page's markup."""
    from oerremix._markup import parse_html
    from oerremix.detect import detect_tree

    text = page.read_text(encoding="utf-8", errors="replace")
    tree, markup = detect_tree(parse_html(text)), detect(text)
    assert (tree.status, tree.candidates) == (markup.status, markup.candidates)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a denied statement states nothing (and never the licence it denies)
        ("This is not CC0.", None),
        ("This work is not licensed under a Creative Commons licence.", None),
        ("Ce document n'est pas sous licence CC BY 4.0.", None),
        ("Ce document n'est pas publié sous la licence Attribution 4.0 International.", None),
        ("Dieses Werk steht nicht unter CC BY 4.0.", None),
        ("Keine CC BY-Lizenz.", None),
        ("Esta obra no está bajo CC BY 4.0.", None),
        # what is denied is left out; what is stated stays
        ("Licensed under CC BY 4.0, not CC BY-SA 4.0.", "CC-BY-4.0"),
        # "not" that does not deny the licence
        ("Content not otherwise noted is licensed under CC BY 4.0.", "CC-BY-4.0"),
        ("Not only the text: everything here is CC BY-SA 4.0.", "CC-BY-SA-4.0"),
    ],
)
def test_a_denied_statement_is_no_licence(text: str, expected: str | None) -> None:
    found = detect(text)
    assert (found.license.id if found.license else None) == expected
    if expected is None:
        assert found.status == "none" and [e.kind for e in found.evidence] == ["denied"]
