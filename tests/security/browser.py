"""Load pages in real headless Chromium (Debian's ``chromium``) and report what they did.

:func:`load` runs one Chromium process per page with ``--dump-dom`` and a net log, and returns
the DOM Chromium built after running the page's scripts and timers (``--virtual-time-budget``),
with every URL the *page* asked for (the browser's own background requests, which the net log
also records, are left out: their network isolation key is not the page's site).

:func:`active_content` lists what, in a DOM, could run script or load something on a reader's
action (a click, a hover): event handler attributes, ``javascript:``/``vbscript:``/``data:``
URLs, ``<script>`` other than JSON-LD, ``<iframe>`` outside the allowlist, ``<object>``,
``<embed>``, ``<base>``, ``<form>``, ``<meta http-equiv>`` and style expressions.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree, html

from oerremix._markup import VIDEO_HOSTS

__all__ = ["Loaded", "active_content", "chromium", "load", "load_many"]

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--virtual-time-budget=3000",
)


def chromium() -> str | None:
    """The Chromium executable on PATH (Debian names it ``chromium``), or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass(frozen=True)
class Loaded:
    """One page as Chromium left it."""

    url: str
    dom: str
    """The serialised DOM after scripts and timers ran (``--dump-dom``)."""
    requested: tuple[str, ...]
    """Every URL the page (and its frames) asked for, in the order the net log has them."""


def _page_requests(netlog: Path, site: str) -> tuple[str, ...]:
    text = netlog.read_text(encoding="utf-8", errors="replace")
    try:
        data = json.loads(text)
    except ValueError:  # cut short: close the events list and the object
        data = json.loads(text.rstrip().rstrip(",") + "]}")
    kinds = {value: name for name, value in data["constants"]["logEventTypes"].items()}
    found: list[str] = []
    for event in data.get("events", []):
        params = event.get("params") or {}
        if kinds.get(event.get("type")) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        top_site = str(params.get("network_isolation_key", "")).split(" ", 1)[0]
        if top_site == site:
            found.append(str(params["url"]))
    return tuple(found)


def load(url: str, *, timeout: float = 90.0) -> Loaded:
    """Load ``url`` in a fresh headless Chromium profile; return its DOM and its requests."""
    executable = chromium()
    assert executable is not None, "Chromium is not installed (apt-get install chromium)"
    parts = urlsplit(url)
    site = f"{parts.scheme}://{parts.hostname}"
    with tempfile.TemporaryDirectory(prefix="oerremix-chromium-") as tmp:
        netlog = Path(tmp) / "netlog.json"
        command = [
            executable,
            *FLAGS,
            f"--user-data-dir={tmp}/profile",
            f"--log-net-log={netlog}",
            "--dump-dom",
            url,
        ]
        env = {**os.environ, "HOME": tmp}
        done = subprocess.run(
            command, capture_output=True, timeout=timeout, env=env, check=False, text=True
        )
        assert done.returncode == 0, f"chromium failed on {url}: {done.stderr[-2000:]}"
        return Loaded(url, done.stdout, _page_requests(netlog, site))


def load_many(urls: Sequence[str], *, workers: int = 2) -> list[Loaded]:
    """:func:`load` each URL, a few Chromium processes at a time; results in the given order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(load, urls))


# --- what in a DOM could still run or load something ------------------------------------------

_SCRIPT_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript):", re.IGNORECASE)


def _script_url(value: str) -> bool:
    """Whether a URL runs script, as a browser reads it (leading controls and spaces dropped,
    tabs and newlines removed anywhere) or as code that percent-decodes it first reads it."""
    for form in (value, unquote(value)):
        cleaned = re.sub(r"[\t\n\r]", "", form).lstrip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08"
            "\x0b\x0c\x0e\x0f\x10\x11\x12\x13"
            "\x14\x15\x16\x17\x18\x19\x1a\x1b"
            "\x1c\x1d\x1e\x1f "
        )
        if _SCRIPT_SCHEME.match(cleaned) or re.search(r"[\x00-\x1f]", form):
            return True
    return False


_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "background", "data", "codebase",
     "cite", "longdesc", "dynsrc", "lowsrc", "srcset", "xlink:href", "ping", "manifest"}
)  # fmt: skip
_FORBIDDEN = frozenset(
    {"object", "embed", "applet", "base", "form", "frame", "frameset", "portal", "input",
     "button", "select", "textarea", "link", "style", "noscript", "template"}
)  # fmt: skip


def _local(name: object) -> str:
    return str(name).rsplit("}", 1)[-1].lower()


def _parse(markup: str) -> Iterable[etree._Element]:
    root = html.document_fromstring(
        markup.encode("utf-8"), parser=html.HTMLParser(encoding="utf-8")
    )
    return root.iter()


def active_content(
    markup: str, *, allowed_links: Iterable[str] = (), allowed_tags: Iterable[str] = ()
) -> list[str]:
    """What in ``markup`` (an HTML page) could run script or fetch something, as readable lines.

    ``allowed_links`` are ``<link>`` elements written by oerremix itself (``rel`` values such
    as ``stylesheet`` with their ``href``): the page's own stylesheet is not a finding.
    ``allowed_tags`` are elements a page uses by design (the audit report's ``<style>`` and its
    radio ``<input>`` switch); their attributes are still checked.
    """
    allowed = set(allowed_links)
    forbidden = _FORBIDDEN - set(allowed_tags)
    findings: list[str] = []
    for element in _parse(markup):
        if not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        attributes = {_local(k): str(v) for k, v in element.attrib.items()}
        if tag == "script":
            if attributes.get("type") != "application/ld+json" or "src" in attributes:
                findings.append(f"<script {attributes}>")
            continue
        equiv = attributes.get("http-equiv", "content-type").lower()
        if tag == "meta" and equiv not in ("content-type", "content-security-policy"):
            findings.append(f"<meta http-equiv={attributes['http-equiv']!r}>")
        if tag == "link":
            key = f"{attributes.get('rel', '')} {attributes.get('href', '')}"
            if attributes.get("rel") == "stylesheet" and key not in allowed:
                findings.append(f"<link {attributes}>")
            continue
        if tag in forbidden:
            findings.append(f"<{tag}>")
        if tag == "iframe" and "src" in attributes:
            host = urlsplit(attributes["src"]).hostname
            if host not in VIDEO_HOSTS:
                findings.append(f"<iframe src={attributes['src']!r}>")
        if tag == "iframe" and "srcdoc" in attributes:
            findings.append("<iframe srcdoc>")
        for name, value in attributes.items():
            if name.startswith("on"):
                findings.append(f"<{tag} {name}=…>")
            elif name in _URL_ATTRIBUTES and _script_url(value):
                findings.append(f"<{tag} {name}={value[:40]!r}>")
            elif name == "style" and re.search(r"expression|url\s*\(|javascript", value, re.I):
                findings.append(f"<{tag} style={value[:40]!r}>")
            elif name in ("autofocus", "contenteditable", "srcset", "formaction"):
                findings.append(f"<{tag} {name}>")
    return findings
