"""What a reader hands back: checkup drafts (nothing stored yet) and the errors it found.

Privacy: drafts and errors carry identifiers and clinical values, so neither prints them in its
``repr``; a ``RowError``'s ``reason`` is a fixed sentence that never quotes the value (that
stays in ``value``, for the API to show only to those who may see it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from enum import StrEnum
from typing import Literal

Sex = Literal["male", "female"]
Layout = Literal["wide", "long", "fhir"]


class ReasonCode(StrEnum):
    """Why a row, cell or column was not taken; stable, for clients to translate."""

    UNKNOWN_ANALYTE = "unknown_analyte"
    UNKNOWN_COLUMN = "unknown_column"
    DUPLICATE_COLUMN = "duplicate_column"
    MISSING_COLUMN = "missing_column"
    UNIT_NOT_CONVERTIBLE = "unit_not_convertible"
    IMPLAUSIBLE_VALUE = "implausible_value"
    MALFORMED_VALUE = "malformed_value"
    MALFORMED_DATE = "malformed_date"
    MISSING_OFFICER = "missing_officer"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    MALFORMED_FILE = "malformed_file"
    INVALID_RESOURCE = "invalid_resource"
    NO_RESULTS = "no_results"
    MISSING_VALUE = "missing_value"
    INVALID_NATIONAL_ID = "invalid_national_id"
    UNKNOWN_UNIT = "unknown_unit"
    IDENTIFIER_CONFLICT = "identifier_conflict"
    IDENTITY_MISMATCH = "identity_mismatch"
    EXAM_DATE_IN_FUTURE = "exam_date_in_future"
    EXAM_DATE_BEFORE_SERVICE_AGE = "exam_date_before_age_16"
    UNSUPPORTED_FILE = "unsupported_file"
    IGNORED_COLUMN = "ignored_column"


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem, located as the medic sees it.

    ``row`` is the spreadsheet row number (header = 1, first data row = 2; for a FHIR Bundle
    the 0-based entry index), ``field`` the column header or element path, ``value`` the
    offending text as uploaded (may be clinical: never log it), ``reason`` a log-safe sentence.
    """

    row: int
    field: str
    value: str = dc_field(repr=False)
    reason: str
    reason_code: ReasonCode

    def log_message(self) -> str:
        """A line fit for logs: location and reason, never the value."""
        return f"row {self.row}, {self.field}: {self.reason} [{self.reason_code}]"


@dataclass(frozen=True, slots=True)
class ResultDraft:
    """One result in the analyte's canonical unit (quantity: float, ordinal: level index,
    text: str), with what was uploaded kept beside it.

    Equality compares what was measured (value and remark), not how it was written, so a
    value read from mg/dL equals the same value exported and re-read in mmol/L.
    """

    value: float | int | str
    unit_original: str | None = dc_field(default=None, compare=False)
    value_original: str = dc_field(default="", compare=False)
    remark: str | None = None


@dataclass(frozen=True, slots=True)
class FindingsDraft:
    """A coded examination (ECG, chest X-ray, ultrasound, eye): finding codes and remark."""

    codes: tuple[str, ...]
    remark: str | None = None
    value_original: str = dc_field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class CheckupDraft:
    """One officer's checkup on one date, as read from an upload; not yet resolved or stored.

    ``source_rows`` are the spreadsheet rows (or Bundle entries) it came from; the officer is
    named by badge number and/or officer id, resolved later through the blind index.
    """

    exam_date: date
    badge_number: str | None = dc_field(default=None, repr=False)
    officer_id: str | None = dc_field(default=None, repr=False)
    results: Mapping[str, ResultDraft] = dc_field(default_factory=dict, repr=False)
    findings: Mapping[str, FindingsDraft] = dc_field(default_factory=dict, repr=False)
    sex: Sex | None = dc_field(default=None, repr=False)
    birth_date: date | None = dc_field(default=None, repr=False)
    name: str | None = dc_field(default=None, repr=False)
    source_rows: tuple[int, ...] = dc_field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Everything one upload produced: the drafts, the errors, and how it was read."""

    drafts: tuple[CheckupDraft, ...]
    errors: tuple[RowError, ...]
    layout: Layout
    catalog_version: str
    rows_read: int
    # identity field -> header as uploaded (``badge_number`` -> ``警号``), for error messages
    identity_headers: Mapping[str, str] = dc_field(default_factory=dict)

    def errors_for_row(self, row: int) -> tuple[RowError, ...]:
        """The errors reported against one spreadsheet row (or Bundle entry)."""
        return tuple(e for e in self.errors if e.row == row)
