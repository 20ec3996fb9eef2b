"""The HTML audit report in a real browser: Debian's headless Chromium opens it from a file.

Chromium's ``--dump-dom`` gives the page as the browser built it (the summary counts, the SVG
chart's bars, the findings tables and the sort switch are asserted on it) and ``--screenshot``
shows it was drawn: the PNG is decoded here (zlib, no imaging library) and must not be blank.
Switching the sort order is checked the way a reader does it, without script: a copy of the
page with another radio button checked must look different.

CI installs Chromium (``.ci/run``), so a missing browser fails these tests. Set
``OERREMIX_NO_BROWSER=1`` to skip them where no browser can be installed.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from lxml import html

from oerremix import audit
from oerremix.audit import Report, format_html

DATA = Path(__file__).parent / "data"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@pytest.fixture(scope="module")
def chromium() -> str:
    if os.environ.get("OERREMIX_NO_BROWSER") == "1":
        pytest.skip("OERREMIX_NO_BROWSER=1: the browser tests are switched off")
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found is None:
        pytest.fail(
            "Chromium is not installed: `apt-get install chromium` (Debian), as .ci/run does, "
            "or set OERREMIX_NO_BROWSER=1 to skip the browser tests"
        )
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The DiAgnostiK courses: 19 errors, 1 warning, three licences in the mix."""
    folder = tmp_path_factory.mktemp("book") / "diagnostik"
    shutil.copytree(
        DATA / "diagnostik-liascript-holz-raum-maler",
        folder,
        ignore=shutil.ignore_patterns("SOURCE.md"),
    )
    return audit(folder)


@pytest.fixture(scope="module")
def page(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(format_html(report), encoding="utf-8")
    return path


def browse(chromium: str, tmp: Path, *args: str) -> str:
    """Run headless Chromium with its own profile in ``tmp``; return what it prints."""
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of pixels of an 8-bit RGB or RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0) and colour in (2, 6), (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = previous[i], previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return (
        width,
        height,
        [r if bpp == 3 else bytes(v for i, v in enumerate(r) if i % 4 != 3) for r in rows],
    )


def colours(rows: list[bytes]) -> tuple[int, float]:
    """How many distinct colours, and the share of pixels that are not white."""
    seen: set[bytes] = set()
    inked = total = 0
    for row in rows:
        for i in range(0, len(row), 3):
            pixel = row[i : i + 3]
            seen.add(pixel)
            inked += pixel != b"\xff\xff\xff"
            total += 1
    return len(seen), inked / total


def test_dom(chromium: str, page: Path, report: Report, tmp_path: Path) -> None:
    dom = html.document_fromstring(browse(chromium, tmp_path, "--dump-dom", page.as_uri()))
    # no script anywhere, and the strict policy
    assert not dom.xpath("//script") and not dom.xpath("//@*[starts-with(name(), 'on')]")
    assert dom.xpath("//meta[@http-equiv='Content-Security-Policy']/@content") == [
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    ]
    # the summary counts
    counts = {
        s: dom.get_element_by_id(f"count-{s}").text_content() for s in ("error", "warning", "info")
    }
    assert counts == {"error": "19", "warning": "1", "info": "0"}
    assert dom.get_element_by_id("declared").text_content() == "CC0 1.0 (found)"
    assert dom.get_element_by_id("declared-allowed").text_content() == "no"
    # the chart: one bar per licence, the longest bar for the largest count
    bars = dom.xpath("//svg[@id='mix-chart']//*[local-name()='rect'][@class='bar']")
    drawn = {b.get("data-license"): (int(b.get("data-count")), int(b.get("width"))) for b in bars}
    assert drawn == {"Unknown": (19, 360), "CC0 1.0": (17, 322), "CC BY-SA 4.0": (1, 19)}
    assert dom.xpath("string(//svg[@id='mix-chart']/*[local-name()='title'])").startswith(
        "Licence mix"
    )
    # the findings: the same 20 rows in each of the three sort orders
    tables = dom.xpath("//table[contains(@class, 'findings')]")
    assert [t.get("data-sort") for t in tables] == ["severity", "rule", "location"]
    for table in tables:
        rows = table.xpath("./tbody/tr")
        assert len(rows) == len(report.findings) == 20
    by_severity = [r.get("data-rule") for r in tables[0].xpath("./tbody/tr")]
    by_rule = [r.get("data-rule") for r in tables[1].xpath("./tbody/tr")]
    assert by_severity[0] == "license-missing" and by_severity[-1] == "declared-license-not-allowed"
    assert by_rule == sorted(by_rule)
    assert tables[1].xpath("./thead/tr/th[@aria-sort='ascending']")[0].text_content() == "Rule"
    # the sort switch: radio buttons with labels, severity chosen
    radios = dom.xpath("//fieldset//input[@type='radio'][@name='sort']")
    assert [r.get("id") for r in radios] == ["sort-severity", "sort-rule", "sort-location"]
    assert [r.get("id") for r in radios if r.get("checked") is not None] == ["sort-severity"]
    labels = {lab.get("for"): lab.text_content() for lab in dom.xpath("//fieldset//label")}
    assert labels == {"sort-severity": "Severity", "sort-rule": "Rule", "sort-location": "Location"}
    assert dom.xpath("string(//fieldset/legend)") == "Sort findings by"
    # the items table lists the book, its 17 sections and 20 images
    assert len(dom.xpath("//table[@class='items']/tbody/tr")) == 38


def test_screenshot_and_sort_switch(chromium: str, page: Path, tmp_path: Path) -> None:
    shots = {}
    by_rule = page.with_name("by-rule.html")
    text = page.read_text(encoding="utf-8")
    moved = text.replace(' value="severity" checked>', ' value="severity">')
    by_rule.write_text(moved.replace(' value="rule">', ' value="rule" checked>'), encoding="utf-8")
    assert by_rule.read_text(encoding="utf-8").count(" checked>") == 1
    for name, source in (("severity", page), ("rule", by_rule)):
        png = tmp_path / f"{name}.png"
        browse(
            chromium, tmp_path, f"--screenshot={png}", "--window-size=1280,1600", source.as_uri()
        )
        assert png.is_file() and png.stat().st_size > 20_000
        width, height, rows = decode_png(png.read_bytes())
        assert (width, height) == (1280, 1600)
        distinct, inked = colours(rows)
        assert distinct > 50, distinct  # text, the chart's colours, anti-aliasing
        assert 0.03 < inked < 0.9, inked  # neither blank nor a solid block
        shots[name] = rows
    # the other radio button shows another table: the pixels of the page differ
    differing = sum(a != b for a, b in zip(shots["severity"], shots["rule"], strict=True))
    assert differing > 20, differing
