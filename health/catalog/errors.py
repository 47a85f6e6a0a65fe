"""Catalog errors: ``ValueError``s, so callers that only know the standard library still catch them.

Messages name analyte codes, fields and units, never a measured value: they reach logs.
"""

from __future__ import annotations


class CatalogError(ValueError):
    """Base of every error the catalog raises."""


class CatalogValidationError(CatalogError):
    """The catalog data file is wrong; raised at load time so a bad file never serves a request."""

    def __init__(self, analyte: str | None, field: str, problem: str) -> None:
        where = f"analyte {analyte!r}, field {field!r}" if analyte else f"field {field!r}"
        super().__init__(f"catalog {where}: {problem}")
        self.analyte = analyte
        self.field = field
        self.problem = problem


class UnknownAnalyteError(CatalogError):
    """No analyte has this code."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown analyte code {code!r}")
        self.code = code


class UnitConversionError(CatalogError):
    """The unit is not one the analyte accepts (or the analyte has no unit at all)."""

    def __init__(self, code: str, unit: str | None, problem: str | None = None) -> None:
        detail = problem or "unit is not accepted"
        super().__init__(f"analyte {code!r}: unit {unit!r}: {detail}")
        self.code = code
        self.unit = unit


class UnrecognisedValueError(CatalogError):
    """A level or finding text is not in the analyte's vocabulary; the text is kept out of the
    message (it is clinical) and available as ``text`` for callers allowed to show it."""

    def __init__(self, code: str, text: str, problem: str) -> None:
        super().__init__(f"analyte {code!r}: {problem}")
        self.code = code
        self.text = text
