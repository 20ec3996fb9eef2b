"""The public API is exactly what ``oerremix.__all__`` promises (the httpx pattern)."""

from __future__ import annotations

import types

import oerremix


def test_all_is_sorted_and_complete():
    public = {
        name
        for name in dir(oerremix)
        if not name.startswith("_")
        and not isinstance(getattr(oerremix, name), types.ModuleType)
        and name != "annotations"  # from __future__
    }
    assert oerremix.__all__ == sorted(oerremix.__all__)
    assert set(oerremix.__all__) - {"__version__"} == public


def test_every_public_name_has_a_docstring():
    for name in oerremix.__all__:
        if name == "__version__":
            continue
        obj = getattr(oerremix, name)
        if name == "LicenseId":  # a NewType: documented in the catalog module
            continue
        assert obj.__doc__, name


def test_errors_share_one_base():
    for name in oerremix.__all__:
        obj = getattr(oerremix, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, oerremix.OerRemixError), name
