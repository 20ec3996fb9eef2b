"""Localisation and selection of HTML content, with the changes they record."""

from __future__ import annotations

import pytest

from oerremix.recipe import GlossaryEntry, Localise
from oerremix.transform import localise, select_fragment

NEC = GlossaryEntry("NEC", "Canadian Electrical Code", "jurisdiction")
AWG = GlossaryEntry("wire gauge", "conductor size", "term")


class TestGlossary:
    @pytest.mark.parametrize(
        ("before", "after"),
        [
            # whole words only: NEC inside another word is left alone
            ("<p>NEC and NECESSARY</p>", "<p>Canadian Electrical Code and NECESSARY</p>"),
            # an acronym matches its own case only
            ("<p>the nec</p>", "<p>the nec</p>"),
            # never inside code, pre, kbd or maths
            (
                "<pre>NEC 250</pre><code>NEC</code><kbd>NEC</kbd>",
                "<pre>NEC 250</pre><code>NEC</code><kbd>NEC</kbd>",
            ),
            # never inside attributes; link text is visible text and is replaced
            (
                '<a href="/NEC" title="NEC">NEC</a>',
                '<a href="/NEC" title="NEC">Canadian Electrical Code</a>',
            ),
            # never inside a URL written in the text
            (
                "<p>see https://example.org/NEC/ for the NEC</p>",
                "<p>see https://example.org/NEC/ for the Canadian Electrical Code</p>",
            ),
            # text after an inline element (a tail) is rewritten too
            ("<p><b>x</b> NEC</p>", "<p><b>x</b> Canadian Electrical Code</p>"),
        ],
    )
    def test_jurisdiction(self, before, after):
        html, _ = localise(before, Localise(glossary=(NEC,)))
        assert html == after

    def test_case_preserved_for_ordinary_terms(self):
        html, changes = localise(
            "<p>Wire gauge, wire gauge, WIRE GAUGE</p>", Localise(glossary=(AWG,))
        )
        assert html == "<p>Conductor size, conductor size, CONDUCTOR SIZE</p>"
        assert [c.what for c in changes] == [
            "Replaced the term 'wire gauge' with 'conductor size' (3 times)."
        ]

    def test_nothing_replaced_records_nothing(self):
        html, changes = localise("<p>Ohm's law</p>", Localise(glossary=(NEC,)))
        assert html == "<p>Ohm's law</p>" and changes == ()


class TestSpelling:
    @pytest.mark.parametrize(
        ("variant", "before", "after"),
        [
            (
                "en-CA",
                "<p>The color of the center fiber</p>",
                "<p>The colour of the centre fibre</p>",
            ),
            # Canadian keeps -ize and "meter" the instrument (The Canadian Style)
            ("en-CA", "<p>Organize the meter readings</p>", "<p>Organize the meter readings</p>"),
            ("en-GB", "<p>Organize the aluminum</p>", "<p>Organise the aluminium</p>"),
            ("en-CA", "<p>Color</p>", "<p>Colour</p>"),
        ],
    )
    def test_variants(self, variant, before, after):
        html, _ = localise(before, Localise(spelling=variant))
        assert html == after

    def test_change_counts_words(self):
        _, changes = localise("<p>color and center</p>", Localise(spelling="en-CA"))
        assert [c.what for c in changes] == ["Changed spelling to Canadian English (2 words)."]


def test_units_note_is_a_change():
    _, changes = localise("<p>12 in</p>", Localise(units="Converted to SI (metric) units."))
    assert [c.what for c in changes] == ["Converted to SI (metric) units."]


class TestSelect:
    FRAGMENT = '<h2 id="k">Kirchhoff</h2><p class="x">a</p><figure id="f"><img alt="loop"></figure><p>b</p>'

    @pytest.mark.parametrize(
        ("selector", "expected"),
        [
            ("css:figure", '<figure id="f"><img alt="loop"></figure>'),
            ("css:p.x", '<p class="x">a</p>'),
            ("xpath://h2", '<h2 id="k">Kirchhoff</h2>'),
            ("css:table", ""),
        ],
    )
    def test_selectors(self, selector, expected):
        assert select_fragment(self.FRAGMENT, selector) == expected

    @pytest.mark.parametrize("selector", ["css:p[", "xpath://[", "xpath:count(//p)", "jquery:p"])
    def test_invalid(self, selector):
        with pytest.raises(ValueError, match=r"selector|XPath|select"):
            select_fragment(self.FRAGMENT, selector)
