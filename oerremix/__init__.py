"""oerremix: remix open educational resources without breaking their licences.

The public API is what ``__all__`` lists; everything else may change without notice.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from oerremix.attribution import (
    Attribution,
    AttributionWarning,
    Credit,
    attribute,
    attribution_record,
)

# Not lazy, unlike the readers below: the function `audit` has the name of its module, so once
# anything imported the module `oerremix.audit`, a lazy lookup would find the module instead
# of the function. Importing it costs nothing: it loads the readers' registry only when called.
from oerremix.audit import Finding, Report, audit
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

if _typing.TYPE_CHECKING:
    from oerremix.document import Document, SectionContent
    from oerremix.fetch import Fetcher
    from oerremix.readers import read
    from oerremix.recipe import Recipe, load_recipe
    from oerremix.remix import BuildResult, build

__version__ = "0.1.0"

# Imported on first use: reading, fetching and building pull in httpx and the readers, which
# commands such as `oerremix license show` never need (start-up time matters for the CLI).
_LAZY = {
    "BuildResult": "oerremix.remix",
    "Document": "oerremix.document",
    "Fetcher": "oerremix.fetch",
    "Recipe": "oerremix.recipe",
    "SectionContent": "oerremix.document",
    "build": "oerremix.remix",
    "load_recipe": "oerremix.recipe",
    "read": "oerremix.readers",
}


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'oerremix' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "Asset",
    "Attribution",
    "AttributionWarning",
    "Author",
    "BuildResult",
    "Catalog",
    "Change",
    "Conflict",
    "Credit",
    "Detection",
    "Document",
    "Evidence",
    "FetchError",
    "Fetcher",
    "Finding",
    "IncompatibleLicensesError",
    "License",
    "LicenseDataError",
    "LicenseId",
    "OerRemixError",
    "Permission",
    "Provenance",
    "ReadError",
    "Recipe",
    "RecipeError",
    "Report",
    "Section",
    "SectionContent",
    "UnknownLicenseError",
    "UnsafeContentError",
    "Verdict",
    "Work",
    "WriteError",
    "__version__",
    "attribute",
    "attribution_record",
    "audit",
    "build",
    "check",
    "detect",
    "load_catalog",
    "load_recipe",
    "read",
]
