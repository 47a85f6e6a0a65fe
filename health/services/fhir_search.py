"""FHIR search parameter values: dates with prefixes, tokens with systems, counts.

Pure parsing and matching, shared by the read API's searches and the export's ``_since``. A
value we cannot read is refused (``Invalid``, an OperationOutcome 400), never ignored: a
search that silently drops a criterion returns more than the client asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from health.errors import Invalid

DEFAULT_COUNT = 50
MAX_COUNT = 500
MAX_OFFSET = 1_000_000
_PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class DateBound:
    """One ``date=`` criterion: a prefix and the instant range [start, end) the value covers."""

    prefix: str
    start: datetime
    end: datetime

    def matches(self, value: datetime) -> bool:
        if self.prefix == "eq":
            return self.start <= value < self.end
        if self.prefix == "ne":
            return not self.start <= value < self.end
        if self.prefix in ("gt", "sa"):
            return value >= self.end
        if self.prefix in ("lt", "eb"):
            return value < self.start
        if self.prefix == "ge":
            return value >= self.start
        return value < self.end  # le


def _bad(name: str, why: str) -> Invalid:
    return Invalid(f"search parameter {name}: {why}", code="fhir_bad_search")


def _range(name: str, text: str) -> tuple[datetime, datetime]:
    """A date, year-month, year, or a full instant with a time zone, as an instant range."""
    if _DATE.match(text):
        parts = [int(p) for p in text.split("-")]
        try:
            if len(parts) == 1:
                start, end = date(parts[0], 1, 1), date(parts[0] + 1, 1, 1)
            elif len(parts) == 2:
                start = date(parts[0], parts[1], 1)
                end = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            else:
                start = date(parts[0], parts[1], parts[2])
                end = start + timedelta(days=1)
        except ValueError as exc:
            raise _bad(name, "not a calendar date") from exc
        return (datetime.combine(start, time(), UTC), datetime.combine(end, time(), UTC))
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _bad(name, "a date (YYYY[-MM[-DD]]) or an instant with a time zone") from exc
    if instant.tzinfo is None:
        raise _bad(name, "an instant needs a time zone")
    instant = instant.astimezone(UTC)
    return instant, instant + timedelta(seconds=1)


def date_bounds(name: str, values: Sequence[str]) -> list[DateBound]:
    """Every ``name=`` value (repeats are ANDed, as FHIR says) with its prefix (``eq``)."""
    bounds = []
    for raw in values:
        text = raw.strip()
        prefix = text[:2] if text[:2] in _PREFIXES else "eq"
        if text[:2] in _PREFIXES:
            text = text[2:]
        if prefix == "ap":
            raise _bad(name, "the ap prefix is not supported")
        start, end = _range(name, text)
        bounds.append(DateBound(prefix, start, end))
    return bounds


def as_instant(value: date | datetime) -> datetime:
    """A date counts as its first instant (UTC) when compared with a date criterion."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, time(), UTC)


def all_match(bounds: Iterable[DateBound], value: date | datetime | None) -> bool:
    found = list(bounds)
    if not found:
        return True
    if value is None:
        return False
    instant = as_instant(value)
    return all(bound.matches(instant) for bound in found)


@dataclass(frozen=True)
class Token:
    """``system|code``, ``|code`` (no system), ``system|`` or a bare ``code``."""

    system: str | None
    code: str | None
    any_system: bool

    def matches(self, codings: Iterable[dict[str, Any]]) -> bool:
        for coding in codings:
            if self.code is not None and coding.get("code") != self.code:
                continue
            if not self.any_system and coding.get("system") != self.system:
                continue
            return True
        return False


def tokens(name: str, value: str | None) -> list[Token]:
    """A comma-separated list of tokens (ORed)."""
    if value is None:
        return []
    out = []
    for part in value.split(","):
        if not part:
            raise _bad(name, "an empty token")
        if "|" in part:
            system, code = part.split("|", 1)
            out.append(Token(system or None, code or None, False))
        else:
            out.append(Token(None, part, True))
    return out


def count_of(value: str | None) -> int:
    if value is None:
        return DEFAULT_COUNT
    if not value.isdigit() or not 0 < int(value) <= MAX_COUNT:
        raise _bad("_count", f"a whole number from 1 to {MAX_COUNT}")
    return int(value)


def offset_of(value: str | None) -> int:
    if value is None:
        return 0
    if not value.isdigit() or int(value) > MAX_OFFSET:
        raise _bad("_offset", f"a whole number from 0 to {MAX_OFFSET}")
    return int(value)


def last_updated(resource: dict[str, Any]) -> datetime | None:
    """``meta.lastUpdated`` as an instant (what ``_lastUpdated`` and ``_since`` compare)."""
    text = resource.get("meta", {}).get("lastUpdated")
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
