"""The analyte catalog: every checkup item's stable code, names, LOINC codes, units and limits.

The data lives in ``analytes.toml`` (versioned, validated when loaded); this package gives it a
typed API. Pure domain code: no web, no database.
"""

from health.catalog.catalog import (
    ORDINAL_UNIT,
    Catalog,
    canonical_units,
    catalog_from_toml,
    load_catalog,
)
from health.catalog.errors import (
    CatalogError,
    CatalogValidationError,
    UnitConversionError,
    UnknownAnalyteError,
    UnrecognisedValueError,
)
from health.catalog.model import (
    Analyte,
    Finding,
    HeaderMatch,
    OrdinalScale,
    ParsedFindings,
    UnitConversion,
    ValueKind,
)
from health.catalog.text import fold_label, fold_unit

__all__ = [
    "ORDINAL_UNIT",
    "Analyte",
    "Catalog",
    "CatalogError",
    "CatalogValidationError",
    "Finding",
    "HeaderMatch",
    "OrdinalScale",
    "ParsedFindings",
    "UnitConversion",
    "UnitConversionError",
    "UnknownAnalyteError",
    "UnrecognisedValueError",
    "ValueKind",
    "canonical_units",
    "catalog_from_toml",
    "fold_label",
    "fold_unit",
    "load_catalog",
]
