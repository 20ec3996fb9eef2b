"""The hostile book: a project whose every content and metadata field carries the XSS corpus.

Used by ``conftest.hostile_build`` (built once per session) and the browser tests.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from oerremix.remix import BuildResult
from tests.httpserver import Routes
from tests.security.xss_vectors import BROKEN_IMAGE, all_vectors

__all__ = ["HostileBuild", "hostile_project", "unzip"]


@dataclass(frozen=True)
class HostileBuild:
    """The hostile book: its sources, its build, and the beacon its vectors point at."""

    folder: Path
    """The project: recipe, sources."""
    out: Path
    """The build's output folder: html/, epub/, imscc/, markdown/."""
    result: BuildResult
    routes: Routes
    """The loopback server's routes of this build: the beacon and whatever is served."""
    beacon: str
    """The beacon's base URL; every vector requests ``<beacon>/<field>/<vector id>``."""

    def beacon_hits(self) -> list[str]:
        """Paths of requests that reached the beacon, except the builder's own (which copies
        remote images into the package, as it should)."""
        prefix = self.routes.prefix + "/beacon"
        return [
            r.path
            for r in self.routes.log()
            if r.path.startswith(prefix)
            and not r.headers.get("user-agent", "").startswith("oerremix/")
        ]


def _html_source(v: _Vectors) -> str:
    """A web page whose every metadata field and whose content carry the vectors."""
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">
<title>{v("html-title")}</title>
<meta name="author" content="{v("html-meta-author", attr=True)}">
<meta name="description" content="{v("html-meta-description", attr=True)}">
<meta property="og:title" content="{v("html-og-title", attr=True)}">
<link rel="canonical" href="javascript:fetch('{v.beacon}/html-canonical/js')">
<script type="application/ld+json">{v("html-jsonld", json=True)}</script>
</head><body>
<main>
<h1 id="intro">{v("html-h1")}</h1>
<p>Ohm's law relates voltage and current.</p>
{v("html-content")}
<figure><img src="{BROKEN_IMAGE}" alt="{v("html-alt", attr=True)}">
<figcaption>{v("html-caption")} Photo by {v("html-credit")}, CC BY 4.0.</figcaption></figure>
<h2 id="more">More</h2>
<p>© 2021 {v("html-copyright")}</p>
</main>
<footer><p>Except where otherwise noted, this work is licensed under
<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>.</p></footer>
</body></html>
"""


class _Vectors:
    """Renders every vector for one field: as markup, as an attribute value, as JSON."""

    def __init__(self, beacon: str) -> None:
        self.beacon = beacon
        self.fields: list[str] = []

    def __call__(
        self, field: str, *, attr: bool = False, json: bool = False, embeds: bool = True
    ) -> str:
        self.fields.append(field)
        text = all_vectors(self.beacon, field=field, embeds=embeds)
        if attr:
            return text.replace("&", "&amp;").replace('"', "&quot;")
        if json:
            import json as _json

            name = all_vectors(self.beacon, field=field + "-name")
            author = all_vectors(self.beacon, field=field + "-author")
            record = {
                "@context": "https://schema.org",
                "@type": "CreativeWork",
                "name": name,
                "author": {"@type": "Person", "name": author, "url": "javascript:alert(1)"},
                "isBasedOn": {
                    "@type": "CreativeWork",
                    "name": text,
                    "url": "javascript:x()",
                    "license": "https://creativecommons.org/licenses/by/4.0/",
                    "author": {"@type": "Person", "name": author},
                },
            }
            # as a page would: only "</" is escaped, so the vectors stay readable as JSON
            return _json.dumps(record).replace("</", "<\\/")
        return text


def hostile_project(folder: Path, beacon: str) -> tuple[Path, list[str]]:
    """The hostile project's recipe, and the fields the vectors were put in."""
    v = _Vectors(beacon)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / BROKEN_IMAGE).write_bytes(b"not an image")
    (folder / "#").write_bytes(b"not an image either")  # <img src=#> is a relative path
    (folder / "page.html").write_text(_html_source(v), encoding="utf-8")
    front = {
        "title": v("md-front-title"),
        "author": v("md-front-author"),
        "license": "CC-BY-4.0",
    }
    (folder / "notes.md").write_text(
        "---\n"
        + yaml.safe_dump(front, allow_unicode=True)
        + "---\n\n# Notes\n\nOhm's law.\n\n"
        + v("md-content")
        + "\n\n[link](javascript:fetch('x'))\n",
        encoding="utf-8",
    )
    (folder / "own.md").write_text(
        "# Own\n\n" + v("recipe-file", embeds=False) + "\n", encoding="utf-8"
    )
    js_url = f"javascript:fetch('{beacon}/url/js')"
    recipe = {
        "recipe": 1,
        "work": {
            "title": v("work-title"),
            "authors": [{"name": v("work-author"), "url": js_url}, v("work-author-2")],
            "language": "en",
            "license": "CC-BY-4.0",
            "url": js_url,
            "description": v("work-description"),
            "subject": [v("work-subject")],
            "audience": v("work-audience"),
            "learning_outcomes": [v("work-outcome")],
        },
        "sources": {
            "page": {
                "path": "page.html",
                "expect_license": "CC-BY-4.0",
                "title": v("source-title"),
                "authors": [v("source-author")],
                "permissions": [
                    {
                        "kind": "decision",
                        "granted_by": v("decision-granted-by"),
                        "scope": v("decision-scope"),
                        "license": "CC-BY-4.0",
                        "basis": v("decision-basis"),
                        "evidence_url": js_url,
                    }
                ],
            },
            "notes": {
                "path": "notes.md",
                "expect_license": "CC-BY-4.0",
                "permissions": [
                    {
                        "kind": "decision",
                        "granted_by": v("decision-2-granted-by"),
                        "granted_to": v("decision-2-granted-to"),
                        "scope": v("decision-2-scope"),
                        "license": "CC-BY-4.0",
                        "basis": v("decision-2-basis"),
                    }
                ],
            },
        },
        "outline": [
            {"title": v("module-title-1"), "id": "web-page", "parts": [{"source": "page"}]},
            {"title": v("module-title-2"), "id": "notes", "parts": [{"source": "notes"}]},
            {
                "title": v("module-title-3"),
                "id": "own",
                "parts": [{"markdown": v("recipe-markdown", embeds=False)}, {"file": "own.md"}],
            },
        ],
        "localise": {
            "glossary": [{"term": "Ohm", "replacement": v("glossary-replacement")}],
            "units": v("localise-units"),
        },
        "outputs": ["html", "epub", "imscc", "markdown"],
    }
    path = folder / "recipe.yaml"
    path.write_text(yaml.safe_dump(recipe, allow_unicode=True, width=10**6), encoding="utf-8")
    return path, v.fields


def unzip(archive: Path, target: Path) -> Path:
    """Unpack one of oerremix's own packages (trusted here: it was just built) into ``target``."""
    with zipfile.ZipFile(archive) as z:
        z.extractall(target)
    return target
