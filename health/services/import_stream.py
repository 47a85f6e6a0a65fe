"""A wide CSV session read in parts, so an import's memory follows its chunk, not its file
(a million checkups in one file stay well under 2 GiB; read whole they took about 5.8 KiB each).

Two passes over the same bytes. The first reads and resolves every part and keeps only what the
decision needs: the errors (with repeats across parts found through ``SeenRows``) and the row
of each checkup. Only when the whole file is known good (``all``) or its bad rows are known
(``valid``) does the second pass read each part again and hand over its storable checkups, so
all-or-nothing and the named errors hold exactly as for a file read whole.
"""

from __future__ import annotations

import uuid
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session, sessionmaker

from health.catalog import load_catalog
from health.crypto import Sealer
from health.ingest import ReasonCode, RowError
from health.ingest.columns import is_long_layout
from health.ingest.identity_rows import SeenRows
from health.ingest.sheet import XLSX_MAGIC, SheetError, iter_csv_sheets
from health.ingest.wide import read_wide_sheet
from health.services import intake
from health.services.context import Actor, Ctx
from health.services.vault import Vault

HEADER_ROW = 1
Batch = tuple[Sequence[intake.Resolved], Mapping[uuid.UUID, Sealer]]


def streamable(data: bytes, filename: str) -> bool:
    """CSV in the wide layout (one row per checkup): what can be cut into parts by rows. Long
    sheets spread a checkup over rows in any order, so they (and XLSX, FHIR) are read whole."""
    name = filename.lower()
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm", ".json")):
        return False
    if data.lstrip()[:1] == b"{":
        return False
    try:
        first = next(iter_csv_sheets(data, 1))
    except (SheetError, StopIteration):
        return False
    return not is_long_layout(first.headers)


@dataclass
class Checked:
    """What the first pass keeps: errors, and one row number per checkup (8 bytes each)."""

    catalog_version: str
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    draft_rows: array[int] = field(default_factory=lambda: array("q"))
    resolved_rows: array[int] = field(default_factory=lambda: array("q"))
    identity_headers: dict[str, str] = field(default_factory=dict)

    def _repeats(self) -> npt.NDArray[np.int64]:
        """Rows of drafts that a later part repeated: read whole, they make no draft at all."""
        repeated = {e.row for e in self.errors if e.reason_code == ReasonCode.DUPLICATE_IN_FILE}
        drafts = np.frombuffer(self.draft_rows, dtype=np.int64)
        return drafts[np.isin(drafts, np.array(sorted(repeated), dtype=np.int64))]

    @property
    def checkups(self) -> int:
        return len(self.draft_rows) - len(self._repeats())

    def error_rows(self) -> set[int]:
        return {e.row for e in self.errors}

    def valid(self, file_level: bool) -> int:
        """Checkups whose officer resolved and whose row has no error."""
        if file_level:
            return 0
        bad = self.error_rows()
        return sum(1 for row in self.resolved_rows if row not in bad)

    def orphan_rows(self) -> int:
        """Rows refused before they became a checkup (no draft carries them)."""
        rows = np.array(sorted(r for r in self.error_rows() if r > HEADER_ROW), dtype=np.int64)
        if rows.size == 0:
            return 0
        drafts = np.frombuffer(self.draft_rows, dtype=np.int64)
        drafts = drafts[~np.isin(drafts, self._repeats())]
        return int((~np.isin(rows, drafts)).sum())


def check(
    sessions: sessionmaker[Session],
    vault: Vault,
    actor: Actor,
    data: bytes,
    *,
    rows: int,
    exam_date: date | None,
) -> Checked:
    """First pass: every part read and resolved, nothing kept but errors and row numbers."""
    catalog = load_catalog()
    out = Checked(catalog.version)
    seen = SeenRows()
    header_errors: set[tuple[int, str, str, str]] = set()
    for sheet in iter_csv_sheets(data, rows):
        result = read_wide_sheet(sheet, catalog, exam_date=exam_date, seen=seen)
        out.identity_headers.update(result.identity_headers)
        for error in result.errors:
            if error.row <= HEADER_ROW:
                key = (error.row, error.field, error.value, str(error.reason_code))
                if key in header_errors:
                    continue  # every part repeats the header's problems
                header_errors.add(key)
            out.errors.append(error)
        out.rows_read += result.rows_read
        with sessions.begin() as session:
            resolution = intake.resolve(
                Ctx(session, vault, actor), result.drafts, result.identity_headers
            )
        out.errors.extend(resolution.errors)
        out.draft_rows.extend(d.source_rows[0] for d in result.drafts)
        out.resolved_rows.extend(item.draft.source_rows[0] for item in resolution.items)
    return out


def batches(
    sessions: sessionmaker[Session],
    vault: Vault,
    actor: Actor,
    data: bytes,
    *,
    rows: int,
    exam_date: date | None,
    refused: set[int],
) -> Iterator[Batch]:
    """Second pass: each part's checkups that the first pass found good, resolved again (the
    data keys of one part at a time are all that is held)."""
    catalog = load_catalog()
    for sheet in iter_csv_sheets(data, rows):
        result = read_wide_sheet(sheet, catalog, exam_date=exam_date)
        good = [d for d in result.drafts if not refused.intersection(d.source_rows)]
        if not good:
            continue
        with sessions.begin() as session:
            resolution = intake.resolve(Ctx(session, vault, actor), good, result.identity_headers)
        yield resolution.items, resolution.sealers


def raw_rows(
    data: bytes, *, rows: int, wanted: set[int] | None
) -> tuple[list[object], list[tuple[int, list[object]]]]:
    """The header and the cells of the wanted rows (all when ``wanted`` is None), as read."""
    headers: list[object] = []
    out: list[tuple[int, list[object]]] = []
    for sheet in iter_csv_sheets(data, rows):
        headers = sheet.headers
        for index in range(sheet.n_rows):
            row = sheet.first_row + index
            if wanted is None or row in wanted:
                out.append((row, [column[index] for column in sheet.columns]))
    return headers, out
