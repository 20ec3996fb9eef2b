"""Markdown rendering (oerremix._markdown): the addresses the reader computes for images are the
ones the rendered page carries, and rendering keeps what CommonMark keeps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from oerremix._markdown import href, markdown_events, markdown_html

# every printable ASCII character, a few letters beyond ASCII, and "%" escapes already written
DESTINATIONS = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(33, 127) if chr(c) not in "<>\\"] + list("é€𝄞ß%")
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=500)
@given(DESTINATIONS)
def test_href_of_an_images_destination_is_what_the_page_says(destination):
    # the reader takes an image's address from the parser's events (entities and backslash
    # escapes already decoded) and writes it as the rendered page does
    text = f"![](<{destination}>)"
    events = [event for event, _span in markdown_events(text)]
    images = [
        e["Start"]["Image"]
        for e in events
        if isinstance(e, dict) and "Image" in str(e.get("Start"))
    ]
    rendered = html.fromstring(markdown_html(text))
    assert [href(image["dest_url"]) for image in images] == rendered.xpath("//img/@src")


def test_href_examples():
    assert href("media/fig 1 é.png") == "media/fig%201%20%C3%A9.png"
    assert href("a&b'c~d^e") == "a&b'c~d^e"
    assert href('a"b<c>d`e{f}g|h[i]j\\k') == "a%22b%3Cc%3Ed%60e%7Bf%7Dg%7Ch%5Bi%5Dj%5Ck"


def test_raw_html_is_kept_and_one_tilde_is_not_a_strikethrough():
    out = markdown_html("H~2~O, ~~old~~ <span class=x>new</span>\n\n<div>raw</div>\n")
    assert out == "<p>H~2~O, <del>old</del> <span class=x>new</span></p>\n<div>raw</div>\n"


def test_event_ranges_are_utf8_byte_offsets():
    text = "é\n\n![a](b.png)\n"
    (start,) = [span["start"] for event, span in markdown_events(text) if "Image" in str(event)][:1]
    assert text.encode()[start:].startswith(b"![a]")
