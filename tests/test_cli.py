"""The command line: shapes other tools depend on, exit codes, and errors without tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from oerremix.cli import main

DATA = Path(__file__).parent / "data"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class TestLicenseList:
    def test_text(self, capsys):
        code, out, _ = run(capsys, "license", "list")
        assert code == 0
        assert "CC-BY-SA-4.0" in out and "Attribution-ShareAlike 4.0 International" in out

    def test_json(self, capsys):
        code, out, _ = run(capsys, "license", "list", "--json")
        rows = json.loads(out)
        assert code == 0
        by_id = {row["id"]: row for row in rows}
        assert by_id["CC0-1.0"]["url"] == "https://creativecommons.org/publicdomain/zero/1.0/"
        assert len(rows) > 600  # every CC tool, every port


class TestLicenseShow:
    def test_by_url_json_has_all_fields(self, capsys):
        code, out, _ = run(
            capsys, "license", "show", "http://creativecommons.org/licenses/by-sa/3.0/us/", "--json"
        )
        data = json.loads(out)
        assert code == 0
        assert data["id"] == "CC-BY-SA-3.0-US"
        assert data["spdx_id"] == "LicenseRef-CC-BY-SA-3.0-US"  # SPDX has no 3.0 US id
        assert data["jurisdiction"] == "us"
        assert "share_alike" in data["requires"]
        assert "CC-BY-SA-4.0" in data["adaptation"]["recommended"]
        expected = set(
            [
                "id",
                "spdx",
                "spdx_id",
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
        )
        assert set(data) == expected

    def test_text(self, capsys):
        code, out, _ = run(capsys, "license", "show", "cc-by-nc-nd-4.0")
        assert code == 0
        assert out.startswith("CC-BY-NC-ND-4.0  CC BY-NC-ND 4.0")
        assert "share: private-only" in out

    def test_unknown_id_did_you_mean(self, capsys):
        code, out, err = run(capsys, "license", "show", "CC-BY-SA-4")
        assert code == 2
        assert out == ""
        assert err.startswith("oerremix: unknown licence 'CC-BY-SA-4'")
        assert "did you mean CC-BY-SA-4.0" in err
        assert "Traceback" not in err


class TestDetect:
    def test_file_json_shape(self, capsys, tmp_path):
        page = tmp_path / "page.html"
        page.write_text(
            '<p><a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
            "CC BY 4.0</a></p>",
            encoding="utf-8",
        )
        code, out, _ = run(capsys, "detect", str(page), "--json")
        data = json.loads(out)
        assert code == 0
        assert set(data) == {"license", "status", "candidates", "evidence"}
        assert data["license"] == "CC-BY-4.0" and data["status"] == "found"
        assert data["candidates"] == ["CC-BY-4.0"]
        assert all(set(e) == {"kind", "match", "where"} for e in data["evidence"])

    def test_stdin(self, capsys, monkeypatch):
        monkeypatch.setattr(sys, "stdin", io.StringIO("Licensed CC BY-SA, no version."))
        code, out, _ = run(capsys, "detect", "-", "--json")
        data = json.loads(out)
        assert code == 1
        assert data["status"] == "ambiguous" and data["license"] is None
        assert "CC-BY-SA-4.0" in data["candidates"]

    def test_stdin_that_is_not_utf8_is_read_like_a_file(self, capsys, monkeypatch):
        # a Latin-1 credit piped in, where standard input decodes strictly (a UTF-8 locale)
        piped = io.TextIOWrapper(io.BytesIO("Photo : \xe9t\xe9, CC BY 2.0\n".encode("latin-1")))
        monkeypatch.setattr(sys, "stdin", piped)
        code, out, err = run(capsys, "detect", "-")
        assert (code, err) == (0, "")
        assert out.startswith("found: CC-BY-2.0 (Attribution 2.0 Generic)")

    def test_url_given_as_input_is_text_not_fetched(self, capsys, tmp_path):
        # detect never fetches: a URL in the input is text to examine
        page = tmp_path / "url.txt"
        page.write_text("https://example.org/some/page.html\n", encoding="utf-8")
        code, out, _ = run(capsys, "detect", str(page), "--json")
        assert code == 1 and json.loads(out)["status"] == "none"

    def test_missing_file(self, capsys, tmp_path):
        code, out, err = run(capsys, "detect", str(tmp_path / "nope.html"))
        assert code == 2 and out == ""
        assert err.startswith("oerremix: ") and "nope.html" in err

    def test_human_output(self, capsys, tmp_path):
        page = tmp_path / "credit.txt"
        page.write_text("Photo by tvol, CC BY 2.0\n", encoding="utf-8")
        code, out, _ = run(capsys, "detect", str(page))
        assert code == 0
        assert out.startswith("found: CC-BY-2.0 (Attribution 2.0 Generic)")
        assert "line 1" in out


class TestUsage:
    def test_no_command(self, capsys):
        code, _, err = run(capsys)
        assert code == 2
        assert "required" in err

    def test_unknown_command(self, capsys):
        code, _, err = run(capsys, "frobnicate")
        assert code == 2 and "invalid choice" in err

    @pytest.mark.parametrize("command", ["inspect", "audit"])
    def test_an_empty_path_is_an_error_not_the_current_folder(self, capsys, command):
        # "" is no file or folder (pathlib would take it for ".")
        code, out, err = run(capsys, command, "", "-q" if command == "audit" else "--json")
        assert (code, out) == (2, "")
        assert err.startswith("oerremix: an empty path") and "Traceback" not in err

    def test_python_dash_m(self):
        done = subprocess.run(
            [sys.executable, "-m", "oerremix", "license", "show", "CC0-1.0"],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).parent.parent,
        )
        assert done.returncode == 0, done.stderr
        assert "CC0 1.0 Universal" in done.stdout


@pytest.mark.parametrize("argv", [["--version"]])
def test_version(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    assert "oerremix" in capsys.readouterr().out
