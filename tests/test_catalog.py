"""The licence catalogue: its invariants, and facts pinned to the legal code and CC's data.

Expected values below come from the licence texts and CC's published data as collected (with
sources) in cc-rules.md — never from running the code.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from oerremix import Catalog, LicenseDataError, UnknownLicenseError, load_catalog

ROOT = Path(__file__).resolve().parent.parent
LICENSES = ROOT / "licenses"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


class TestInvariants:
    """Properties every entry must have (like packaging's test_licenses.py)."""

    def test_file_name_is_lower_case_id(self, catalog):
        names = sorted(p.name for p in LICENSES.glob("*.yaml"))
        assert names == sorted(f"{lic.id.lower()}.yaml" for lic in catalog)

    def test_ids_aliases_and_short_names_are_unique(self, catalog):
        seen: dict[str, str] = {}
        for lic in catalog:
            for key in {lic.id.casefold(), lic.short_name.casefold()} | {
                a.casefold() for a in lic.aliases
            }:
                assert seen.setdefault(key, lic.id) == lic.id, f"{key!r}: {seen[key]} and {lic.id}"

    def test_cross_references_resolve(self, catalog):
        ids = {lic.id for lic in catalog}
        for lic in catalog:
            assert lic.replaced_by is None or lic.replaced_by in ids, lic.id
            for rule in lic.adaptation.recommended + lic.adaptation.discouraged:
                assert set(rule.ids) <= ids, (lic.id, rule.ids)

    def test_elements_agree_with_ccrel_terms(self, catalog):
        for lic in catalog.filter(family="creative-commons", category="license"):
            if lic.unit in ("sampling", "sampling+", "nc-sampling+", "devnations"):
                continue
            elements = set(lic.unit.split("-"))
            assert ("nd" in elements) == (not lic.permits_derivative_works), lic.id
            assert ("sa" in elements) == lic.requires_share_alike, lic.id
            assert ("nc" in elements) == lic.prohibits_commercial_use, lic.id
            assert ("by" in elements) == lic.requires_attribution, lic.id
            # Every CC licence lets anyone copy and share the work verbatim.
            assert {"reproduction", "distribution"} <= lic.permits, lic.id

    def test_urls_are_well_formed(self, catalog):
        for lic in catalog:
            for url in (lic.url, lic.legalcode_url):
                if url is None:
                    continue
                parts = urlsplit(url)
                assert parts.scheme == "https" and parts.netloc and not parts.query, url
            if lic.family == "creative-commons":
                assert lic.url and lic.url.startswith("https://creativecommons.org/"), lic.id
                assert lic.url.endswith("/"), lic.id

    def test_every_entry_has_english_and_french_names_and_sources(self, catalog):
        for lic in catalog:
            names = dict(lic.names)
            assert names.get("en") and names.get("fr"), lic.id
            assert lic.sources, lic.id

    def test_ids_follow_the_spdx_pattern(self, catalog):
        for lic in catalog.filter(family="creative-commons", category="license"):
            assert re.fullmatch(r"CC-[A-Z+-]+-\d\.\d(-[A-Z]+)?", lic.id), lic.id

    def test_spdx_export_uses_licenseref_for_non_spdx_ids(self, catalog):
        assert catalog.get("CC-BY-SA-2.5-CA").spdx_id == "LicenseRef-CC-BY-SA-2.5-CA"
        assert catalog.get("CC-BY-SA-3.0-DE").spdx_id == "CC-BY-SA-3.0-DE"


class TestEveryEntryResolves:
    """Every entry is found from its id, its deed URL and its legal-code URL."""

    def test_by_id_deed_and_legal_code(self, catalog):
        for lic in catalog:
            assert catalog.get(lic.id) is lic
            assert catalog.get(lic.id.lower()) is lic
            for url in (lic.url, lic.legalcode_url):
                if url:
                    assert catalog.get(url) is lic, url
                    if lic.family == "creative-commons":
                        assert catalog.get(url.replace("https://", "http://www.")) is lic


class TestCoverage:
    """The catalogue holds the whole CC catalogue (cc-rules.md §1) and the other licences."""

    @pytest.mark.parametrize(
        ("version", "count"),
        [
            ("4.0", 6),  # six licence types, no ports (FAQ: "no ported versions of 4.0")
            ("2.1", 24),  # ports only (au, ca, es, jp): metadata.yaml counts 24
        ],
    )
    def test_counts_per_version(self, catalog, version, count):
        cc = catalog.filter(family="creative-commons", version=version, category="license")
        assert len(cc) == count

    def test_no_generic_2_1(self, catalog):
        # cc-rules §1.2: "There is no generic/unported 2.1"
        assert catalog.filter(version="2.1", international=True) == []

    @pytest.mark.parametrize(
        "lic_id",
        [
            "CC0-1.0",
            "CC-PDM-1.0",
            "CC-PDDC",
            "CC-BY-1.0",
            "CC-BY-NC-ND-1.0",  # by-nd-nc/1.0 (SPDX maps NC-ND 1.0 to it)
            "CC-SA-1.0",
            "CC-BY-SA-2.0-UK",
            "CC-BY-SA-2.1-JP",
            "CC-BY-SA-2.5-SCOTLAND",
            "CC-BY-3.0-IGO",
            "CC-BY-SA-3.0-US",
            "CC-BY-NC-SA-4.0",
            "GFDL-1.2-only",
            "GFDL-1.3-or-later",
            "LAL-1.3",
            "GPL-3.0-only",
            "OGL-UK-3.0",
            "OGL-Canada-2.0",
            "PUBLIC-DOMAIN-EXPIRED",
            "PUBLIC-DOMAIN-GOVERNMENT",
            "ALL-RIGHTS-RESERVED",
            "USED-WITH-PERMISSION",
            "FAIR-DEALING",
            "UNKNOWN",
        ],
    )
    def test_present(self, catalog, lic_id):
        assert catalog.get(lic_id).id == lic_id

    def test_design_science_license_present(self, catalog):
        assert any("Design Science" in lic.name() for lic in catalog)

    def test_statuses_are_not_licences(self, catalog):
        for lic_id in ("ALL-RIGHTS-RESERVED", "USED-WITH-PERMISSION", "FAIR-DEALING", "UNKNOWN"):
            lic = catalog.get(lic_id)
            assert lic.category == "status"
            assert not lic.new_work
            assert lic.adaptation.share == "forbidden"

    def test_public_domain_statuses_are_distinct_from_cc0_and_pdm(self, catalog):
        age = catalog.get("PUBLIC-DOMAIN-EXPIRED")
        gov = catalog.get("PUBLIC-DOMAIN-GOVERNMENT")
        assert len({age.id, gov.id, "CC0-1.0", "CC-PDM-1.0"}) == 4
        assert age.category == gov.category == "public-domain"


class TestLookup:
    """Lookup by id, alias and every URL form met in the wild (cc-rules.md §5.1)."""

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("CC-BY-SA-4.0", "CC-BY-SA-4.0"),
            ("cc by-sa 4.0", "CC-BY-SA-4.0"),  # short name, any case
            ("CC BY-NC-SA 2.5 CA", "CC-BY-NC-SA-2.5-CA"),  # port short name (APP identifier())
            ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
            ("http://creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),  # no trailing slash
            ("//creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),  # protocol-relative
            ("https://creativecommons.org/licenses/by/4.0/deed.fr", "CC-BY-4.0"),
            ("https://creativecommons.org/licenses/by/4.0/deed.en_US", "CC-BY-4.0"),
            ("https://creativecommons.org/licenses/by/4.0/legalcode.txt", "CC-BY-4.0"),
            ("https://creativecommons.org/licenses/by-sa/4.0/?ref=chooser-v1", "CC-BY-SA-4.0"),
            ("https://creativecommons.org/licenses/by-sa/2.5/ca/legalcode.fr", "CC-BY-SA-2.5-CA"),
            ("http://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0"),
            ("https://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0"),
            ("https://creativecommons.org/publicdomain/mark/1.0/", "CC-PDM-1.0"),
            ("http://creativecommons.org/licenses/publicdomain/", "CC-PDDC"),
            ("PD-Mark", "CC-PDM-1.0"),  # cc-rules §1.1: informal alias of CC-PDM-1.0
            ("FAL-1.3", "LAL-1.3"),  # cc-rules §2: informal alias of SPDX LAL-1.3
            ("GPL-3.0", "GPL-3.0-only"),  # deprecated SPDX id
        ],
    )
    def test_get(self, catalog, query, expected):
        assert catalog.get(query).id == expected

    def test_unknown_id_suggests(self, catalog):
        with pytest.raises(UnknownLicenseError) as info:
            catalog.get("CC-BY-SA-4")
        assert "CC-BY-SA-4.0" in info.value.suggestions
        assert "did you mean" in str(info.value)

    def test_nonexistent_combinations_are_unknown(self, catalog):
        # cc-rules §5.5: by-nc-nd/1.0 and generic by/2.1 do not exist
        for url in (
            "https://creativecommons.org/licenses/by-nc-nd/1.0/",
            "https://creativecommons.org/licenses/by/2.1/",
        ):
            assert catalog.find(url) is None

    def test_filter(self, catalog):
        ids = {lic.id for lic in catalog.filter(unit="by-sa", international=True)}
        assert ids == {
            "CC-BY-SA-1.0",
            "CC-BY-SA-2.0",
            "CC-BY-SA-2.5",
            "CC-BY-SA-3.0",
            "CC-BY-SA-4.0",
        }


class TestPinnedFacts:
    """Facts from the legal code, including corrections of CC's datasets (see SOURCE.md files)."""

    @pytest.mark.parametrize("lic_id", ["CC-BY-ND-4.0", "CC-BY-NC-ND-3.0", "CC-BY-ND-2.5-CA"])
    def test_nd_permits_verbatim_sharing(self, catalog, lic_id):
        # metadata.yaml wrongly says ND permits no reproduction/distribution/sharing;
        # LC-BY-ND-4.0 §2(a)(1)(A) "reproduce and Share the Licensed Material, in whole or in part"
        lic = catalog.get(lic_id)
        assert {"reproduction", "distribution"} <= lic.permits
        assert "derivative_works" not in lic.permits

    def test_pdm_has_no_legal_code(self, catalog):
        # the legacy RDF gives PDM the CC0 legal code; the PDM is deed-only
        assert catalog.get("CC-PDM-1.0").legalcode_url is None
        assert not catalog.get("CC-PDM-1.0").new_work  # it marks, it licenses nothing

    def test_english_title_of_by_3_0_za(self, catalog):
        # the legacy RDF's English title of by/3.0/za wrongly reads "United States"
        assert catalog.get("CC-BY-3.0-ZA").name("en") == "Attribution 3.0 South Africa"

    @pytest.mark.parametrize("unit", ["by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"])
    def test_no_united_states_names_on_the_south_african_ports(self, catalog, unit):
        # the same RDF files' regional titles (de-at, es-pr, fr-ca …) copied the US port's too
        lic = catalog.find(f"https://creativecommons.org/licenses/{unit}/3.0/za/")
        words = ("Vereinigte Staaten", "Estados Unidos", "Etats-Unis", "États-Unis")
        names = [n for _lang, n in (*lic.names, *lic.variant_names)]
        assert not [n for n in names if any(w in n for w in words)]

    def test_no_generic_names_on_the_japanese_by_nc_nd_2_0(self, catalog):
        # its RDF titles are those of the generic by-nd-nc 2.0 ("Genérica", "nicht portiert")
        names = catalog.get("CC-BY-NC-ND-2.0-JP").variant_names
        assert not [n for _lang, n in names if "Gen" in n or "portiert" in n]

    @pytest.mark.parametrize(
        ("lic_id", "en"),
        [
            ("CC-BY-ND-4.0", "Attribution-NoDerivatives 4.0 International"),  # 4.0 wording
            ("CC-BY-ND-3.0", "Attribution-NoDerivs 3.0 Unported"),  # ≤3.0 wording
            ("CC-BY-NC-ND-1.0", "Attribution-NoDerivs-NonCommercial 1.0 Generic"),
            ("CC-BY-SA-2.5-CA", "Attribution-ShareAlike 2.5 Canada"),
            ("CC0-1.0", "CC0 1.0 Universal"),
        ],
    )
    def test_english_names(self, catalog, lic_id, en):
        assert catalog.get(lic_id).name("en") == en

    def test_french_names_of_4_0(self, catalog):
        # CC's official French legal code of the 4.0 licences (cc-legal-tools-data
        # legalcode/fr/LC_MESSAGES/*_40.po); the chooser's wording is a variant
        assert catalog.get("CC-BY-4.0").name("fr") == "Attribution 4.0 International"
        by_nc_nd = catalog.get("CC-BY-NC-ND-4.0")
        assert by_nc_nd.name("fr-CA") == (
            "Attribution - Utilisation non commerciale - Pas d’Œuvre dérivée 4.0 International"
        )
        assert (
            "fr",
            "Attribution - Pas d'Utilisation Commerciale - Pas de Modification 4.0 International",
        ) in by_nc_nd.variant_names

    def test_retired_tools(self, catalog):
        # cc-rules §1.3: non-BY 1.0 units retired 2004-05-25
        assert catalog.get("CC-SA-1.0").deprecated_on == "2004-05-25"
        assert not catalog.get("CC-SA-1.0").new_work
        assert catalog.get("CC-BY-1.0").replaced_by == "CC-BY-2.0"
        assert catalog.get("CC-BY-NC-ND-1.0").replaced_by == "CC-BY-NC-ND-2.0"

    def test_deed_url_localised(self, catalog):
        lic = catalog.get("CC-BY-SA-4.0")
        assert lic.deed_url("fr") == "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"
        assert lic.deed_url() == lic.url


class TestAdaptationData:
    """What an adaptation may be licensed under (cc-rules.md §3.3, §3.5–3.8)."""

    def test_by_sa_4_0(self, catalog):
        # LC-BY-SA-4.0 §3(b)(1): same elements, this version or later, or a BY-SA compatible
        # licence: FAL 1.3 (two-way) and GPLv3 (one-way). Not 3.0, not any port.
        ids = catalog.adapter_licenses("CC-BY-SA-4.0")
        assert ids == {"CC-BY-SA-4.0", "LAL-1.3", "GPL-3.0-only"}

    def test_by_sa_3_0(self, catalog):
        # LC-BY-SA-3.0 §4(b): this licence, a later version, a 3.0+ jurisdiction port
        ids = catalog.adapter_licenses("CC-BY-SA-3.0")
        assert {"CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC-BY-SA-3.0-US", "CC-BY-SA-3.0-IGO"} <= ids
        assert not ids & {"CC-BY-SA-2.5", "CC-BY-SA-2.5-CA", "GPL-3.0-only", "LAL-1.3"}

    def test_sa_1_0_only_itself(self, catalog):
        # LC-BY-SA-1.0 §4(b): "only under the terms of this License"
        assert catalog.adapter_licenses("CC-BY-SA-1.0") == {"CC-BY-SA-1.0"}
        assert catalog.adapter_licenses("CC-SA-1.0") == {"CC-SA-1.0"}

    def test_nd(self, catalog):
        # LC-BY-ND-4.0 §2(a)(1)(B): produce but not Share Adapted Material; ≤3.0: no Adaptations
        assert catalog.get("CC-BY-ND-4.0").adaptation.share == "private-only"
        assert catalog.get("CC-BY-ND-3.0").adaptation.share == "forbidden"
        assert catalog.adapter_licenses("CC-BY-NC-ND-4.0") == frozenset()

    def test_by_nc_green_and_yellow(self, catalog):
        # ADAPT chart, BY-NC row: BY-NC, BY-NC-ND, BY-NC-SA green; BY, BY-ND, BY-SA, PD yellow
        green = catalog.adapter_licenses("CC-BY-NC-4.0")
        yellow = catalog.adapter_licenses("CC-BY-NC-4.0", "discouraged")
        assert green == {"CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0"}
        assert {"CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-ND-4.0", "CC0-1.0"} <= yellow

    def test_public_domain_any(self, catalog):
        # ADAPT key: PD material "may be built upon and licensed by the creator under any
        # license terms desired"; never the PDM or a retired tool for the new work
        ids = catalog.adapter_licenses("CC0-1.0")
        assert {"CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "GPL-3.0-only"} <= ids
        assert "CC-PDM-1.0" not in ids and "CC-SA-1.0" not in ids

    def test_fal_and_gpl(self, catalog):
        # SAC-FAL: two-way with BY-SA 4.0; SAC-GPL: GPL material can never become BY-SA
        assert {"LAL-1.3", "CC-BY-SA-4.0"} <= catalog.adapter_licenses("LAL-1.3")
        assert "CC-BY-SA-4.0" not in catalog.adapter_licenses("GPL-3.0-only")

    def test_gfdl_never_by_sa(self, catalog):
        # cc-rules §2: GFDL is not compatible with BY-SA for adaptations
        for lic_id in ("GFDL-1.2-only", "GFDL-1.3-or-later"):
            assert not any(i.startswith("CC-") for i in catalog.adapter_licenses(lic_id))


class TestBadData:
    """A broken licence file gives an error naming the file (and line or field)."""

    def test_invalid_yaml(self, tmp_path):
        (tmp_path / "bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")
        with pytest.raises(LicenseDataError) as info:
            Catalog.from_directory(tmp_path)
        assert "bad.yaml" in str(info.value)

    def test_missing_field(self, tmp_path):
        source = (LICENSES / "cc-by-4.0.yaml").read_text(encoding="utf-8")
        (tmp_path / "cc-by-4.0.yaml").write_text(
            source.replace("category: license", "category: licence"), encoding="utf-8"
        )
        with pytest.raises(LicenseDataError) as info:
            Catalog.from_directory(tmp_path)
        assert "cc-by-4.0.yaml" in str(info.value) and "category" in str(info.value)

    def test_from_directory_loads_a_subset(self, tmp_path):
        for name in ("cc-by-4.0.yaml", "cc0-1.0.yaml"):
            (tmp_path / name).write_bytes((LICENSES / name).read_bytes())
        small = Catalog.from_directory(tmp_path)
        assert len(small) == 2
        assert small.get("https://creativecommons.org/licenses/by/4.0/").id == "CC-BY-4.0"


class TestParseCache:
    """The JSON cache of parsed licence files never serves stale or broken data."""

    def copy(self, tmp_path):
        folder = tmp_path / "licenses"
        folder.mkdir()
        for name in ("cc-by-4.0.yaml", "cc0-1.0.yaml"):
            (folder / name).write_bytes((LICENSES / name).read_bytes())
        return folder

    def test_edit_invalidates(self, tmp_path, monkeypatch):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        folder = self.copy(tmp_path)
        assert Catalog.from_directory(folder).get("CC-BY-4.0").short_name == "CC BY 4.0"
        assert list((tmp_path / "cache" / "oerremix").glob("catalog-*.json"))
        path = folder / "cc-by-4.0.yaml"
        path.write_text(
            path.read_text().replace("short_name: CC BY 4.0", "short_name: CC BY 4.0 (edited)")
        )
        assert Catalog.from_directory(folder).get("CC-BY-4.0").short_name == "CC BY 4.0 (edited)"

    def test_corrupted_cache_is_ignored(self, tmp_path, monkeypatch):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        folder = self.copy(tmp_path)
        Catalog.from_directory(folder)
        for cached in (tmp_path / "cache" / "oerremix").glob("catalog-*.json"):
            cached.write_text("{not json")
        assert len(Catalog.from_directory(folder)) == 2

    def test_unwritable_cache_folder(self, tmp_path, monkeypatch):
        blocker = tmp_path / "cache"
        blocker.write_text("a file where the folder should be")
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
        assert len(Catalog.from_directory(self.copy(tmp_path))) == 2

    def test_bad_yaml_still_reported_with_the_file(self, tmp_path, monkeypatch):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
        folder = self.copy(tmp_path)
        (folder / "bad.yaml").write_text("id: [unclosed\n")
        with pytest.raises(LicenseDataError, match=r"bad\.yaml"):
            Catalog.from_directory(folder)
