"""oerremix: remix open educational resources without breaking their licences.

The public API is what ``__all__`` lists; everything else may change without notice.
"""

from __future__ import annotations

from oerremix.catalog import Catalog, License, LicenseId, load_catalog
from oerremix.compat import Conflict, Verdict, check
from oerremix.detect import Detection, detect
from oerremix.errors import (
    FetchError,
    IncompatibleLicensesError,
    LicenseDataError,
    OerRemixError,
    ReadError,
    RecipeError,
    UnknownLicenseError,
    UnsafeContentError,
    WriteError,
)
from oerremix.model import Asset, Author, Change, Evidence, Permission, Provenance, Section, Work

__version__ = "0.1.0"

__all__ = [
    "Asset",
    "Author",
    "Catalog",
    "Change",
    "Conflict",
    "Detection",
    "Evidence",
    "FetchError",
    "IncompatibleLicensesError",
    "License",
    "LicenseDataError",
    "LicenseId",
    "OerRemixError",
    "Permission",
    "Provenance",
    "ReadError",
    "RecipeError",
    "Section",
    "UnknownLicenseError",
    "UnsafeContentError",
    "Verdict",
    "Work",
    "WriteError",
    "__version__",
    "check",
    "detect",
    "load_catalog",
]
