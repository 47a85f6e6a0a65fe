"""Bulk inserts without per-row ORM or Core statement processing.

An import writes tens of rows per checkup (checkup, screening, tallies, tasks, their events);
through the ORM or a Core executemany, SQLAlchemy's per-row parameter processing costs more
than the database. On PostgreSQL the rows go through COPY (psycopg's ``copy``), the fastest
load path the server has, in its binary format when every column's type has a binary form
here (no hex-encoding of sealed bytes, no text form of ids and times to build and parse);
elsewhere through one DB-API ``executemany`` with each column's bind processor applied once
per value. Both run on the session's connection, so inside the caller's
transaction: a crash leaves nothing of the chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Dialect, FromClause, Table, insert
from sqlalchemy.orm import Session

Processor = Callable[[Any], Any] | None
# Below this many rows a plain INSERT is as fast and takes fewer round trips than COPY.
FEW = 16
# PostgreSQL's name for each column type (as SQLAlchemy renders it, length cut off) that binary
# COPY can send: psycopg then dumps each value with that type's binary dumper.
_BINARY_TYPES = {
    "UUID": "uuid",
    "VARCHAR": "text",
    "TEXT": "text",
    "BYTEA": "bytea",
    "DATE": "date",
    "SMALLINT": "int2",
    "INTEGER": "int4",
    "BIGINT": "int8",
    "BOOLEAN": "bool",
    "DOUBLE PRECISION": "float8",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


def insert_rows(session: Session, into: FromClause, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows that all name the same columns (defaults are not applied: give every
    non-null column). ``into`` is an ORM class's ``__table__``; names come from it, never from
    input, so the statement text is not built from data."""
    if not rows:
        return
    names = list(rows[0])
    _load(session, into, names, len(rows), ([row[name] for name in names] for row in rows))


def insert_columns(
    session: Session, into: FromClause, columns: Mapping[str, Sequence[Any]]
) -> None:
    """Insert rows given column by column (equal lengths): a set built as columns is written
    without first becoming one dict per row."""
    names = list(columns)
    n = len(columns[names[0]]) if names else 0
    if not n:
        return
    if any(len(columns[name]) != n for name in names):
        raise ValueError("columns of one insert must have the same length")
    _load(session, into, names, n, zip(*(columns[name] for name in names), strict=True))


def _load(
    session: Session, into: FromClause, names: list[str], n: int, rows: Iterable[Sequence[Any]]
) -> None:
    table = cast(Table, into)
    session.flush()  # rows may refer to objects still pending in the unit of work
    if n < FEW:
        session.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])
        return
    connection = session.connection()
    driver: Any = connection.connection.driver_connection
    quoted = ", ".join(f'"{table.c[name].name}"' for name in names)
    if connection.dialect.name == "postgresql":
        types = binary_types(table, names, connection.dialect)
        binary = " WITH (FORMAT BINARY)" if types is not None else ""
        with (
            driver.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN{binary}') as copy,
        ):
            if types is not None:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        return
    dialect = connection.dialect
    processors: list[Processor] = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    if any(processors):
        rows = (
            tuple(
                value if process is None or value is None else process(value)
                for value, process in zip(row, processors, strict=True)
            )
            for row in rows
        )
    marks = ", ".join("?" for _ in names)
    cursor = driver.cursor()
    try:
        statement = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'  # noqa: S608
        cursor.executemany(statement, list(rows))
    finally:
        cursor.close()


def binary_types(table: Table, names: Sequence[str], dialect: Dialect) -> list[str] | None:
    """The PostgreSQL types binary COPY sends for these columns, or None when one has no
    binary form listed here (the load then goes as text, as psycopg adapts each value)."""
    found: list[str] = []
    for name in names:
        rendered = table.c[name].type.compile(dialect=dialect).split("(")[0].strip()
        pg_type = _BINARY_TYPES.get(rendered.upper())
        if pg_type is None:
            return None
        found.append(pg_type)
    return found
