"""The wheel ships the licence catalogue, and an installed copy loads it (offline)."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*cmd: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, check=False, cwd=cwd
    )
    assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    # no build isolation and no index: works offline once the test dependencies are installed
    _run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-build-isolation", "--no-deps",
        "--no-index", "--wheel-dir", dist, ROOT,
        cwd=dist,
    )  # fmt: skip
    (whl,) = dist.glob("oerremix-*.whl")
    return whl


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "oerremix/licenses/cc-by-4.0.yaml" in names
    assert "oerremix/licenses/cc-by-sa-2.5-ca.yaml" in names
    assert "oerremix/py.typed" in names
    assert not any(n.startswith(("tests/", "licenses/")) for n in names)
    yaml_files = [n for n in names if n.startswith("oerremix/licenses/") and n.endswith(".yaml")]
    assert len(yaml_files) == len(list((ROOT / "licenses").glob("*.yaml")))


def test_installed_wheel_loads_its_own_catalogue(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = _run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
    ).strip()
    # the fresh venv sees the dependencies already installed here, but not this checkout
    outer = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "_outer_site.pth").write_text("\n".join(sorted(outer)) + "\n")
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
        "--no-index", wheel,
        cwd=tmp_path,
    )  # fmt: skip
    probe = (
        "import json, oerremix, oerremix.catalog as c;"
        "cat = oerremix.load_catalog();"
        "print(json.dumps({'file': oerremix.__file__, 'data': str(c._data_dir()),"
        " 'count': len(cat), 'id': cat.get('by-sa/2.5/ca').id}))"
    )
    found = json.loads(_run(python, "-c", probe, cwd=tmp_path))
    assert found["file"].startswith(str(venv))
    assert found["data"].startswith(str(venv))
    assert found["count"] == len(list((ROOT / "licenses").glob("*.yaml")))
    assert found["id"] == "CC-BY-SA-2.5-CA"
    out = _run(venv / "bin" / "oerremix", "license", "show", "CC0-1.0", cwd=tmp_path)
    assert "CC0 1.0 Universal" in out


def test_checkout_loads_catalogue_from_source_tree():
    from oerremix import catalog

    # an editable install or a plain checkout reads the top-level licenses/ folder
    assert Path(str(catalog._data_dir())).resolve() == (ROOT / "licenses").resolve()
