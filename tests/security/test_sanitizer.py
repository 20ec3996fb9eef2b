"""The sanitiser on its own (no browser): every vector comes out inert, and OER markup stays.

``sanitize_html`` (nh3) is what every reader runs on content from outside. These checks are
fast and run everywhere; ``test_xss_browser.py`` shows the same in Chromium on built packages.
"""

from __future__ import annotations

import pytest

from oerremix._markup import sanitize_html
from tests.security.browser import active_content
from tests.security.xss_vectors import VECTORS, Vector

BEACON = "http://127.0.0.1:9/beacon"


@pytest.mark.parametrize("vector", VECTORS, ids=[v.id for v in VECTORS])
def test_every_vector_comes_out_inert(vector: Vector) -> None:
    clean = sanitize_html(vector.render(f"{BEACON}/{vector.id}"))
    page = f"<!DOCTYPE html><html><body>{clean}</body></html>"
    assert active_content(page) == []
    assert "<script" not in clean.lower()
    # cleaning twice changes nothing: the output is a fixed point, not a new input
    assert sanitize_html(clean) == clean


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        # percent-encoding hides a scheme from nh3 but not from code that decodes links
        ('<a href="javascript%3Aalert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="jav%09ascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="%0Ejavascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<img src="x%00.png">', "<img>"),
        # ordinary encoded links stay
        ('<a href="a%20b.html#s">x</a>', '<a href="a%20b.html#s" rel="noopener noreferrer">x</a>'),
        # remote media would call a third party whenever the page opens: only the video hosts
        (
            '<video src="https://cdn.example.org/v.mp4" controls></video>',
            '<video controls=""></video>',
        ),
        ('<video poster="http://tracker.example/p.gif"></video>', "<video></video>"),
        ('<audio src="media/a.mp3"></audio>', '<audio src="media/a.mp3"></audio>'),
        (
            '<video src="https://www.youtube-nocookie.com/v.mp4"></video>',
            '<video src="https://www.youtube-nocookie.com/v.mp4"></video>',
        ),
        # a malformed URL is dropped quietly (urllib raises ValueError on it)
        ('<iframe src="//[/"></iframe>', "<iframe></iframe>"),
        ('<video src="http://[::1"></video>', "<video></video>"),
    ],
)
def test_urls(fragment: str, expected: str) -> None:
    assert sanitize_html(fragment) == expected


@pytest.mark.parametrize(
    "markup",
    [
        # tables with headers and spans
        '<table><caption>Resistors</caption><thead><tr><th scope="col">Colour</th></tr></thead>'
        '<tbody><tr><td colspan="2" rowspan="1">Red</td></tr></tbody></table>',
        # figures with alt text and captions
        '<figure><img src="media/r.jpg" alt="A red resistor" width="200" height="100">'
        "<figcaption>A resistor</figcaption></figure>",
        # MathML
        '<math display="block"><mrow><mi>V</mi><mo>=</mo><mi>I</mi><mi>R</mi></mrow></math>',
        # a formula's text alternative
        '<math alttext="V equals I R"><mi>V</mi><mo>=</mo><mi>I</mi><mi>R</mi></math>',
        # code
        '<pre><code class="language-python">print("&lt;b&gt;")</code></pre>',
        # lists, links, emphasis, definitions
        '<ol start="3"><li><a href="https://example.org/x">x</a> <em>y</em></li></ol>'
        "<dl><dt>Ohm</dt><dd>unit</dd></dl>",
        # an allowlisted video embed
        '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" '
        'allowfullscreen=""></iframe>',
    ],
)
def test_oer_markup_is_kept(markup: str) -> None:
    kept = sanitize_html(markup).replace(' rel="noopener noreferrer"', "")
    assert kept == markup
