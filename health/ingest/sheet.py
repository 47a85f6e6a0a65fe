"""Loading an uploaded CSV or XLSX file into columns of raw cells, header row kept apart.

Headers are kept exactly as written (pandas would rename a repeated header ``GLU.1``), and every
column is an object array of the cells as read, so error messages can quote them.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from health.ingest.cells import ObjectArray, cell_text
from health.ingest.limits import LimitExceeded, RowBudget, check_xlsx_archive

XLSX_MAGIC = b"PK\x03\x04"
_LINE = re.compile(r"line (\d+)")


class SheetError(ValueError):
    """The file cannot be read as a table at all; ``row`` is where it broke, if known."""

    def __init__(self, reason: str, row: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.row = row


@dataclass(frozen=True, slots=True)
class Sheet:
    """A table of raw cells: the header row and one object array per column."""

    headers: list[object]
    columns: list[ObjectArray]
    first_row: int = 2
    # Where the header stands when it is not right above the first row (a part of a file
    # read in parts carries the file's header, row 1).
    header_at: int | None = None

    @property
    def n_rows(self) -> int:
        """Number of data rows (header excluded)."""
        return len(self.columns[0]) if self.columns else 0

    @property
    def header_row(self) -> int:
        """Spreadsheet row number of the header."""
        return self.header_at if self.header_at is not None else self.first_row - 1

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, first_row: int = 2) -> Sheet:
        """A sheet from a DataFrame whose column labels are the headers."""
        columns = [frame.iloc[:, j].to_numpy(dtype=object) for j in range(frame.shape[1])]
        return cls(list(frame.columns), columns, first_row)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GB18030.

    GB18030 is a superset of GBK and GB2312, which is what Excel on a Chinese Windows writes.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SheetError("file is neither UTF-8 nor GB18030 text") from exc


def load_csv(data: bytes) -> Sheet:
    """Parse CSV bytes; every cell stays a string (``""`` when empty)."""
    return _csv_sheet(decode_text(data), 2)


def _csv_sheet(text: str, first_row: int) -> Sheet:
    """The header line and the records after it; ``first_row`` numbers the first record."""
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
        )
    except pd.errors.EmptyDataError as exc:
        raise SheetError("file is empty") from exc
    except pd.errors.ParserError as exc:
        line = _LINE.search(str(exc))
        raise SheetError(
            "rows have more cells than the header", int(line[1]) + first_row - 2 if line else 0
        ) from exc
    if frame.empty:
        raise SheetError("file is empty")
    headers = frame.iloc[0].tolist()
    columns = [frame.iloc[1:, j].to_numpy(dtype=object) for j in range(frame.shape[1])]
    return Sheet(headers, columns, first_row, 1 if first_row != 2 else None)


def csv_encoding(data: bytes) -> str:
    """The codec ``decode_text`` would choose, found without decoding the file at once."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), 1 << 20):
                decoder.decode(data[start : start + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SheetError("file is neither UTF-8 nor GB18030 text")


def iter_csv_sheets(data: bytes, rows: int) -> Iterator[Sheet]:
    """The file as sheets of at most ``rows`` records each, every one under the file's header
    and numbered as in the whole file, so memory follows ``rows``, not the file.

    Records end at a newline outside quotes; neither UTF-8 nor GB18030 has a newline byte inside
    a character, so the bytes are cut before decoding.
    """
    encoding = csv_encoding(data)
    start = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
    header_end = _records_end(data, start, 1)
    header = data[start:header_end]
    if not header.endswith(b"\n"):
        header += b"\n"
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    position, first_row = header_end, 2
    if position >= len(data):
        yield _csv_sheet(header.decode(codec), first_row)
        return
    while position < len(data):
        end = _records_end(data, position, rows)
        sheet = _csv_sheet((header + data[position:end]).decode(codec), first_row)
        yield sheet
        first_row += sheet.n_rows
        position = end


def _records_end(data: bytes, start: int, records: int) -> int:
    """Where the ``records``-th record from ``start`` ends (after its newline), or the end."""
    quotes = 0
    position = start
    while records > 0:
        newline = data.find(b"\n", position)
        if newline < 0:
            return len(data)
        quotes += data.count(b'"', position, newline)
        position = newline + 1
        if quotes % 2 == 0:
            records -= 1
    return position


def load_xlsx(data: bytes) -> Sheet:
    """The first worksheet of an XLSX file; the header is the first row with two or more cells
    filled, so a title row above it (one merged cell) is skipped and row numbers stay true."""
    try:
        check_xlsx_archive(data)
    except LimitExceeded as exc:
        raise SheetError(str(exc)) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise SheetError("file is not a readable XLSX workbook") from exc
    budget = RowBudget()
    rows: list[tuple[object, ...]] = []
    try:
        for r in book.worksheets[0].iter_rows(values_only=True):
            budget.take(len(r))
            rows.append(tuple(r))
    except LimitExceeded as exc:
        raise SheetError(str(exc), budget.rows) from None
    finally:
        book.close()
    start = next((i for i, r in enumerate(rows) if sum(bool(cell_text(c)) for c in r) > 1), None)
    if start is None:
        raise SheetError("worksheet has no header row")
    width = max(len(r) for r in rows[start:])
    grid = np.empty((len(rows) - start, width), dtype=object)
    for i, row in enumerate(rows[start:]):
        grid[i, : len(row)] = row
    headers = grid[0].tolist()
    columns = [np.ascontiguousarray(grid[1:, j]) for j in range(width)]
    return Sheet(headers, columns, start + 2)


def load_sheet(data: bytes, filename: str | None = None) -> Sheet:
    """CSV or XLSX, told apart by content (XLSX is a zip) before the file name."""
    if data.startswith(XLSX_MAGIC) or (filename or "").lower().endswith((".xlsx", ".xlsm")):
        return load_xlsx(data)
    return load_csv(data)


def has_text(column: ObjectArray) -> bool:
    """Whether any cell of a column holds something."""
    return any(cell_text(v) for v in pd.unique(column))
