"""Annual recall: who still needs this year's checkup, per unit, and who is already late.

For ``year`` and the day of the list (``as_of``), each officer is:

- ``done``: their last checkup falls in ``year``;
- ``overdue``: not done, and either they never had a checkup, or more than 12 months have passed
  since the last one (``as_of`` after the anniversary; 29 February → 28 February), or their unit's
  checkup window for the year has closed (``as_of`` after the window's end);
- ``due``: not done and not overdue.

A unit without a window has none beyond the 12-month rule. "Never checked" counts as overdue
because there is no baseline at all; record recruits' entry medicals as checkups. ``last_checkup``
must be the latest checkup on or before ``as_of`` (a later one is a data error and is refused).
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal, cast

import pandas as pd

from health.errors import Invalid

RecallStatus = Literal["done", "due", "overdue"]
RECALL_STATUSES: Final[tuple[RecallStatus, ...]] = ("done", "due", "overdue")
Window = tuple[date, date]
Id = uuid.UUID | str


def anniversary(last: date) -> date:
    """Twelve months after ``last``; a 29 February checkup comes round on 28 February."""
    try:
        return last.replace(year=last.year + 1)
    except ValueError:
        return last.replace(year=last.year + 1, day=28)


def recall_status(
    last_checkup: date | None, year: int, as_of: date, window: Window | None = None
) -> RecallStatus:
    """One officer's recall status; the definition ``recall_frame`` applies column-wise."""
    if last_checkup is not None and last_checkup > as_of:
        raise Invalid("a last checkup after the list date", code="checkup_after_as_of")
    if last_checkup is not None and last_checkup.year == year:
        return "done"
    if last_checkup is None or as_of > anniversary(last_checkup):
        return "overdue"
    if window is not None and as_of > window[1]:
        return "overdue"
    return "due"


def _check_windows(windows: Mapping[Hashable, Window]) -> None:
    for start, end in windows.values():
        if start > end:
            raise Invalid("a checkup window ends before it starts", code="bad_window")


def recall_frame(
    officers: pd.DataFrame,
    year: int,
    as_of: date,
    windows: Mapping[Hashable, Window] | None = None,
) -> pd.DataFrame:
    """``recall_status`` for a whole roster: columns officer_id, unit_id, last_checkup (date or
    missing); returns them plus ``status``."""
    windows = windows or {}
    _check_windows(windows)
    last = pd.to_datetime(officers["last_checkup"])
    stamp = pd.Timestamp(as_of)
    if (last > stamp).any():
        raise Invalid("a last checkup after the list date", code="checkup_after_as_of")
    done = last.dt.year == year
    late = last.isna() | (stamp > last + pd.DateOffset(years=1))
    window_end = pd.to_datetime(officers["unit_id"].map({u: w[1] for u, w in windows.items()}))
    closed = window_end.notna() & (stamp > window_end)
    status = pd.Series("due", index=officers.index, dtype=object)
    status[late | closed] = "overdue"
    status[done] = "done"
    out = officers[["officer_id", "unit_id", "last_checkup"]].copy()
    out["status"] = status
    return out


@dataclass(frozen=True, slots=True)
class UnitRecall:
    """One unit's recall list: who to call in, who is late, and how many are done."""

    unit_id: Id
    due: tuple[Id, ...]
    overdue: tuple[Id, ...]
    done: int


def recall_by_unit(statuses: pd.DataFrame) -> dict[Id, UnitRecall]:
    """Group ``recall_frame`` output per unit; officer ids in each list are sorted."""
    out: dict[Id, UnitRecall] = {}
    for unit_id, group in statuses.groupby("unit_id", sort=True):
        by_status = {
            s: tuple(sorted(group.loc[group["status"] == s, "officer_id"], key=str))
            for s in ("due", "overdue")
        }
        key = cast(Id, unit_id)
        out[key] = UnitRecall(
            unit_id=key,
            due=by_status["due"],
            overdue=by_status["overdue"],
            done=int((group["status"] == "done").sum()),
        )
    return out
