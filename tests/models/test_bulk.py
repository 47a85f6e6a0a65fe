"""Bulk inserts (COPY on PostgreSQL, binary where every column type allows; executemany on
SQLite) store exactly the values given: ids, UTC times, text of any script, vocabulary words,
bytes with every byte value, integers and NULLs."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import JSON, Column, Integer, MetaData, Table, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from health.vocabulary import Role
from models.bulk import FEW, binary_types, insert_columns, insert_rows
from models.tables import AuditEvent
from models.tables_bulk import FindingTally

# More rows than FEW, so the load takes the COPY / executemany path, not a plain INSERT.
N = FEW * 3
TEXTS = ['体检 "quoted" \\ back\tslash', "line\nbreak", "plain", "'; DROP TABLE x; --"]


def _event(i: int) -> dict[str, object]:
    # A time with an offset other than UTC: stored as the same instant.
    shanghai = timezone(timedelta(hours=8))
    return {
        "id": uuid.uuid4(),
        "occurred_at": datetime(2026, 3, 1, 9, 30, i % 60, 123456, tzinfo=shanghai),
        "actor_id": f"user-{i}",
        "actor_role": Role.MEDIC,
        "action": "bulk.test",
        "resource_type": "checkup",
        "resource_id": None if i % 3 == 0 else TEXTS[i % len(TEXTS)],
        "officer_id": None if i % 2 else uuid.uuid4(),
        "purpose": None,
        "outcome": "success",
        "source": TEXTS[(i + 1) % len(TEXTS)],
        "detail": f"n={i}",
        "mac": bytes(range(256))[i : i + 32],
    }


def test_insert_rows_stores_every_value_as_given(session: Session) -> None:
    rows = [_event(i) for i in range(N)]
    insert_rows(session, AuditEvent.__table__, rows)
    ids = [row["id"] for row in rows]
    stored = {e.id: e for e in session.scalars(select(AuditEvent).where(AuditEvent.id.in_(ids)))}
    assert len(stored) == N
    for row in rows:
        event = stored[row["id"]]  # type: ignore[index]
        for name, value in row.items():
            got = getattr(event, name)
            if name == "actor_role":
                assert got == "medic"
            elif name == "occurred_at":
                assert got == value and got.tzinfo is not None
                assert got.astimezone(UTC) == value.astimezone(UTC)  # type: ignore[attr-defined]
            else:
                assert got == value, name


def test_insert_columns_stores_the_same_rows_as_insert_rows(session: Session) -> None:
    tokens = [hashlib.sha256(f"t{i}".encode()).digest() for i in range(N)]
    families = ["lipids" if i % 2 else "血压" for i in range(N)]
    years = [2020 + i % 7 for i in range(N)]
    severities = ["abnormal" if i % 3 else "critical" for i in range(N)]
    insert_columns(
        session,
        FindingTally.__table__,
        {"token": tokens, "family": families, "year": years, "severity": severities},
    )
    stored = session.execute(
        select(FindingTally.token, FindingTally.family, FindingTally.year, FindingTally.severity)
        .where(FindingTally.token.in_(tokens))
        .order_by(FindingTally.year)
    ).all()
    assert sorted(tuple(r) for r in stored) == sorted(
        zip(tokens, families, years, severities, strict=True)
    )


def test_binary_types_names_a_postgresql_type_per_column() -> None:
    names = ["id", "occurred_at", "actor_role", "officer_id", "mac"]
    found = binary_types(AuditEvent.__table__, names, postgresql.dialect())  # type: ignore[arg-type]
    assert found == ["uuid", "timestamptz", "text", "uuid", "bytea"]


def test_binary_types_falls_back_to_text_for_a_type_it_does_not_list() -> None:
    table = Table("t", MetaData(), Column("n", Integer), Column("doc", JSON))
    assert binary_types(table, ["n"], postgresql.dialect()) == ["int4"]
    assert binary_types(table, ["n", "doc"], postgresql.dialect()) is None
