"""An image under its own licence keeps it when oerremix reads back the package it built.

A CC BY 4.0 chapter shows three images under other licences (two NonCommercial, so the remix is
CC BY-NC-SA 4.0: as CC BY 4.0 the build is refused): one credited on the line under it,
one in its title, one with no credit on the page at all (its licence is the recipe's decision).
The build credits each one; reading any of the four packages back (and auditing it) must give
each image that licence, never the book's ``license_inherited``. It used to give all three the
book's CC BY 4.0 in the HTML site, the EPUB and the cartridge (and the third one in the Markdown
folder too): a remix of the remix would have used a NonCommercial photo as CC BY.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import oerremix
from oerremix import build, load_catalog
from oerremix.model import Asset
from oerremix.readers._recorded import RecordedMedium, recorded_media, with_recorded
from tests.test_writer_epub import tiny_png

BOOK = "CC-BY-4.0"
REMIX = "CC-BY-NC-SA-4.0"  # NC items in the module: it must be NonCommercial (cc-rules.md §3.4)
UNDER = "CC-BY-SA-4.0"  # credited on the line under the image
TITLED = "CC-BY-NC-4.0"  # credited in the image's title
DECIDED = "CC-BY-NC-SA-4.0"  # no credit on the page: the recipe's decision settles it
STEMS = {"panel": UNDER, "METER": TITLED, "chart": DECIDED}  # the file names in the source


def _short(license_id: str) -> str:
    return load_catalog().get(license_id).short_name


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("images")
    (folder / "figures").mkdir()
    for n, name in enumerate(("panel.png", "METER.PNG", "chart.png"), start=2):
        (folder / "figures" / name).write_bytes(tiny_png(n, n))  # three different files
    (folder / "wiki.md").write_text(
        f"---\ntitle: Wiki\nauthor: Jo Writer\nlicense: {BOOK}\n---\n\n# Wiki\n\nSome text.\n\n"
        "![A panel board](figures/panel.png)\n\n"
        f"*Photo by Lena Berg, {_short(UNDER)}*\n\n"
        f'![A meter](figures/METER.PNG "Photo by Ravi Rao, {_short(TITLED)}")\n\n'
        "![A chart](figures/chart.png)\n",
        encoding="utf-8",
    )
    (folder / "recipe.yaml").write_text(
        f"work: {{title: Remix, authors: [Ana Silva], language: en, license: {REMIX}}}\n"
        "sources:\n"
        "  wiki:\n"
        "    path: wiki.md\n"
        "    permissions:\n"
        "      - kind: decision\n"
        f"        license: {DECIDED}\n"
        "        granted_by: Ana Silva\n"
        "        date: 2026-11-29\n"
        "        scope: the chart\n"
        "        basis: Its author licensed it so by email.\n"
        "outline:\n  - title: One\n    parts:\n      - source: wiki\n"
        "outputs: [html, epub, imscc, markdown]\n",
        encoding="utf-8",
    )
    build(folder / "recipe.yaml", folder / "out")
    return folder / "out"


def test_the_build_is_refused_as_cc_by(built: Path) -> None:
    """The chapter is CC BY, but two of its images are NonCommercial: a module keeping them
    must be NonCommercial as a whole (cc-rules.md §3.4, the collection chart)."""
    recipe = built.parent / "recipe.yaml"
    text = recipe.read_text(encoding="utf-8")
    cc_by = built.parent / "cc-by.yaml"
    cc_by.write_text(text.replace(f"license: {REMIX}}}", f"license: {BOOK}}}"), "utf-8")
    with pytest.raises(oerremix.IncompatibleLicensesError) as info:
        build(cc_by, built.parent / "cc-by-out")
    message = str(info.value)
    assert "collection contains NonCommercial items" in message
    assert "image “A meter” (sources.wiki)" in message
    assert not (built.parent / "cc-by-out").exists()


def _package(out: Path, fmt: str) -> Path:
    if fmt in ("html", "markdown"):
        return out / fmt
    return next((out / fmt).iterdir())


def _stem(asset_source: str) -> str:
    """The file name in the source, from the package's ``media/<hash>-<name>``."""
    return Path(asset_source).stem.split("-", 1)[1]


FORMATS = ["html", "epub", "imscc", "markdown"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_image_reads_back_with_its_own_licence(built: Path, fmt: str) -> None:
    work = oerremix.read(_package(built, fmt))
    assert work.license == REMIX
    found = {_stem(a.source): (a.license, a.license_inherited) for a in work.assets}
    assert found == {stem: (license_id, False) for stem, license_id in STEMS.items()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_audit_takes_each_image_as_stated_not_assumed(built: Path, fmt: str) -> None:
    report = oerremix.audit(_package(built, fmt))
    assets = [item for item in report.items if item.kind == "asset"]
    assert sorted((item.license, item.basis) for item in assets) == sorted(
        (license_id, "stated") for license_id in STEMS.values()
    )
    assert not [f for f in report.findings if f.rule == "license-assumed"]


def test_the_record_names_each_copy_in_the_package(built: Path) -> None:
    """``contentUrl`` is the file in the package (not its path in the source), and each is
    there: in the EPUB, under the name the EPUB gave it (extensions in lower case)."""
    import json
    import zipfile

    for fmt in FORMATS:
        package = _package(built, fmt)
        if package.is_dir():
            record = json.loads((package / "metadata.jsonld").read_text(encoding="utf-8"))
            files = {p.relative_to(package).as_posix() for p in package.rglob("*")}
            folder = ""
        else:
            with zipfile.ZipFile(package) as archive:
                files = set(archive.namelist())
                name = next(n for n in files if n.endswith("metadata.jsonld"))
                record = json.loads(archive.read(name))
            folder = name.rpartition("/")[0]
        urls = {part["contentUrl"] for source in record["isBasedOn"] for part in source["hasPart"]}
        assert len(urls) == len(STEMS)
        assert {f"{folder}/{u}" if folder else u for u in urls} <= files, fmt


# --- what a record may say, read as untrusted input ----------------------------------------------

NC = "https://creativecommons.org/licenses/by-nc/4.0/"
SA = "https://creativecommons.org/licenses/by-sa/4.0/"


def _record(*parts: object) -> dict[str, object]:
    return {
        "@type": "CreativeWork",
        "isBasedOn": [{"@type": "CreativeWork", "hasPart": list(parts)}],
    }


def _image(url: object, license: object = NC, **more: object) -> dict[str, object]:
    return {"@type": "ImageObject", "contentUrl": url, "license": license, **more}


def test_paths_outside_the_package_and_values_of_other_types_are_ignored() -> None:
    record = _record(
        _image("../secret.png"),
        _image("/etc/passwd"),
        _image("https://example.org/a.png"),
        _image(["media/a.png"]),
        _image(42),
        {"@type": "CreativeWork", "contentUrl": "media/b.png", "license": NC},
        "media/c.png",
        _image("media/ok.png", name=["A", "B"], author={"name": "Jo"}, creditText=7),
    )
    assert recorded_media(record, "metadata.jsonld") == {
        "media/ok.png": RecordedMedium("CC-BY-NC-4.0", "A", (oerremix.Author("Jo"),), None)
    }
    assert recorded_media(["not", "a", "record"], "metadata.jsonld") == {}
    assert recorded_media({"isBasedOn": "text", "hasPart": 3}, "metadata.jsonld") == {}


def test_paths_are_read_from_the_records_folder() -> None:
    assert list(recorded_media(_record(_image("media/a.png")), "OEBPS/metadata.jsonld")) == [
        "OEBPS/media/a.png"
    ]


def test_media_of_earlier_packages_in_the_chain_are_not_read() -> None:
    deeper = {"isBasedOn": [{"isBasedOn": [{"hasPart": [_image("media/a.png")]}]}]}
    assert recorded_media(deeper, "metadata.jsonld") == {}


def test_a_file_recorded_with_two_licences_gets_none() -> None:
    record = _record(_image("media/a.png", NC), _image("media/a.png", SA))
    assert recorded_media(record, "metadata.jsonld")["media/a.png"].license is None


def test_the_record_wins_over_the_books_licence_and_fills_an_unknown_one() -> None:
    media = recorded_media(_record(_image("media/a.png", creditText="by Jo")), "x.jsonld")
    assumed = Asset("image", "media/a.png", license="CC-BY-4.0", license_inherited=True)
    unknown = Asset("image", "media/a.png")
    for asset in (assumed, unknown):
        got = with_recorded(asset, media)
        assert (got.license, got.license_inherited, got.credit) == ("CC-BY-NC-4.0", False, "by Jo")
    other = Asset("image", "media/other.png", license="CC-BY-4.0", license_inherited=True)
    assert with_recorded(other, media) is other


def test_a_licence_the_page_states_stays_only_if_the_record_agrees() -> None:
    media = recorded_media(_record(_image("media/a.png", NC)), "x.jsonld")
    agrees = Asset("image", "media/a.png", license="CC-BY-NC-4.0", credit="Jo, CC BY-NC 4.0")
    assert with_recorded(agrees, media).license == "CC-BY-NC-4.0"
    differs = Asset("image", "media/a.png", license="CC0-1.0", credit="Jo, CC0")
    assert with_recorded(differs, media).license is None  # neither is taken on trust
    unlicensed = recorded_media(_record(_image("media/a.png", "no such licence")), "x.jsonld")
    assert with_recorded(agrees, unlicensed).license is None


def test_the_json_ld_names_the_packages_copy_and_keeps_the_web_address() -> None:
    import json

    from oerremix import Work
    from oerremix.attribution import attribution_record, render

    local = Asset("image", "figures/a.png", title="A", license=TITLED)
    remote = Asset("image", "https://example.org/b.png", title="B", license=UNDER)
    work = Work(title="W", license=BOOK, assets=(local, remote))
    files = {local: "media/1-a.png", remote: "media/2-b.png"}
    parts = json.loads(render(attribution_record(work, files=files), "jsonld"))["hasPart"]
    assert [(p.get("url"), p["contentUrl"]) for p in parts] == [
        (None, "media/1-a.png"),
        ("https://example.org/b.png", "media/2-b.png"),
    ]
    parts = json.loads(render(attribution_record(work), "jsonld"))["hasPart"]  # no package
    assert [(p.get("url"), p.get("contentUrl")) for p in parts] == [
        (None, "figures/a.png"),
        ("https://example.org/b.png", None),
    ]


def test_a_status_without_an_address_reads_back_by_its_id() -> None:
    """ "Tous droits réservés" is not a name the catalogue reads back in every language; the
    record also gives the catalogue id (``identifier``), which it finds whatever the language."""
    import json

    from oerremix.attribution import attribution_record, render
    from oerremix.model import Work

    cover = Asset("image", "media/cover.jpg", title="Couverture", license="ALL-RIGHTS-RESERVED",
                  credit="© 2018 Nature Press. Tous droits réservés.")  # fmt: skip
    work = Work(title="Livre", authors=(), license="CC-BY-4.0", language="fr", assets=(cover,))
    record = json.loads(render(attribution_record(work, lang="fr"), "jsonld"))
    (part,) = record["hasPart"]
    assert part["license"]["identifier"] == "ALL-RIGHTS-RESERVED"
    part["license"]["name"] = "Alle Rechte vorbehalten"  # a name it does not know
    found = recorded_media(record, "metadata.jsonld")
    assert found["media/cover.jpg"].license == "ALL-RIGHTS-RESERVED"
