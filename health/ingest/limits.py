"""Limits on what an upload may make us do: nesting, decompressed size, rows, columns, time.

A file is refused by its declared shape before the parser is let loose on it, so a 1 MB zip
that inflates to gigabytes, or JSON nested a hundred thousand levels, costs a few milliseconds
and a clear message instead of minutes, gigabytes or a RecursionError.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass

import numpy as np

MAX_JSON_DEPTH = 64
# A quoted JSON string, escapes included: its brackets are text, not structure.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_OPEN = frozenset(b"[{")
_BRACKETS = bytes(sorted(b"[]{}"))
_ALL_BYTES = bytes(range(256))
_NOT_BRACKETS = bytes(b for b in _ALL_BYTES if b not in _BRACKETS)


class LimitExceeded(ValueError):
    """An upload is past one of the limits; the message names the limit and the value."""


def json_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects, found without parsing (linear, in C)."""
    structure = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    if not structure:
        return 0
    steps = np.frombuffer(structure, dtype=np.uint8)
    depth = np.cumsum(np.where(np.isin(steps, list(_OPEN)), 1, -1))
    return int(depth.max())


def check_json_depth(data: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    depth = json_depth(data)
    if depth > limit:
        raise LimitExceeded(f"JSON is nested {depth} levels deep; the limit is {limit}")


@dataclass(frozen=True)
class XlsxLimits:
    """Bounds for one workbook. A checkup season of 100k officers is 100k rows × ~60 columns
    and inflates to well under 256 MB; Excel itself stops at 1,048,576 rows."""

    max_uncompressed: int = 256 * 1024 * 1024
    max_entries: int = 200
    max_ratio: int = 200
    max_rows: int = 1_048_576
    max_columns: int = 1_000
    max_seconds: float = 120.0


DEFAULT_XLSX = XlsxLimits()


def check_xlsx_archive(data: bytes, limits: XlsxLimits = DEFAULT_XLSX) -> None:
    """Refuse a workbook by its zip directory: entry count, declared sizes, compression ratio.

    The declared sizes bind: Python's zipfile stops each member at its declared size (and the
    CRC check fails a member that lied), so what openpyxl inflates is bounded by this sum.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return  # not a zip: the reader reports the file as unreadable
    if len(members) > limits.max_entries:
        raise LimitExceeded(
            f"the workbook has {len(members)} parts; the limit is {limits.max_entries}"
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise LimitExceeded(
            f"the workbook inflates to {total // (1024 * 1024)} MB; "
            f"the limit is {limits.max_uncompressed // (1024 * 1024)} MB"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > limits.max_ratio:
            raise LimitExceeded(
                f"part {member.filename[:80]} is compressed {ratio:.0f}:1; "
                f"the limit is {limits.max_ratio}:1 (a zip bomb?)"
            )


class RowBudget:
    """Counts rows, columns and time while a sheet is read, and stops the reader past them."""

    def __init__(self, limits: XlsxLimits = DEFAULT_XLSX) -> None:
        self.limits = limits
        self.rows = 0
        self._deadline = time.monotonic() + limits.max_seconds

    def take(self, width: int) -> None:
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise LimitExceeded(f"the sheet has more than {self.limits.max_rows} rows")
        if width > self.limits.max_columns:
            raise LimitExceeded(
                f"row {self.rows} has {width} columns; the limit is {self.limits.max_columns}"
            )
        if self.rows % 1024 == 0 and time.monotonic() > self._deadline:
            raise LimitExceeded(
                f"reading the sheet took longer than {self.limits.max_seconds:.0f} s "
                f"(stopped at row {self.rows})"
            )
