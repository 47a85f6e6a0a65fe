"""Editing, deleting or reordering any audit row breaks verification at that row."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from health.services import audit, officers
from health.services.context import Ctx
from models.tables import AuditEvent, AuditHead

from factories import as_attacker, make_checkup, make_officer


def _events(ctx: Ctx, n: int) -> list[int]:
    new = make_officer(ctx)
    make_checkup(ctx, new.id)
    for _ in range(n):
        officers.get(ctx, new.id)
    as_attacker(ctx.session)
    return list(ctx.session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all())


def test_untouched_chain_verifies(ctx: Ctx) -> None:
    seqs = _events(ctx, 3)
    report = audit.verify(ctx.session, ctx.vault.hasher)
    assert report.ok and report.checked == len(seqs)


def test_edited_row_is_named(ctx: Ctx) -> None:
    seqs = _events(ctx, 3)
    target = seqs[2]
    ctx.session.execute(
        update(AuditEvent).where(AuditEvent.seq == target).values(actor_id="someone-else")
    )
    report = audit.verify(ctx.session, ctx.vault.hasher)
    assert not report.ok and report.broken_seq == target
    assert f"row {target} was altered" in (report.reason or "")


def test_deleted_middle_row_is_named(ctx: Ctx) -> None:
    seqs = _events(ctx, 3)
    target = seqs[1]
    ctx.session.execute(delete(AuditEvent).where(AuditEvent.seq == target))
    report = audit.verify(ctx.session, ctx.vault.hasher)
    assert not report.ok and report.broken_seq == target


def test_deleted_last_row_is_detected_by_the_head(ctx: Ctx) -> None:
    seqs = _events(ctx, 3)
    ctx.session.execute(delete(AuditEvent).where(AuditEvent.seq == seqs[-1]))
    report = audit.verify(ctx.session, ctx.vault.hasher)
    assert not report.ok and report.broken_seq == seqs[-1]


def test_reordered_rows_are_named(ctx: Ctx) -> None:
    seqs = _events(ctx, 3)
    a, b = seqs[1], seqs[2]
    ctx.session.execute(update(AuditEvent).where(AuditEvent.seq == a).values(seq=-1))
    ctx.session.execute(update(AuditEvent).where(AuditEvent.seq == b).values(seq=a))
    ctx.session.execute(update(AuditEvent).where(AuditEvent.seq == -1).values(seq=b))
    report = audit.verify(ctx.session, ctx.vault.hasher)
    assert not report.ok and report.broken_seq == a


def test_rewritten_head_is_detected(ctx: Ctx) -> None:
    _events(ctx, 1)
    ctx.session.execute(update(AuditHead).values(hash=bytes(32)))
    assert not audit.verify(ctx.session, ctx.vault.hasher).ok


def test_postgres_refuses_changes_to_the_audit_table(ctx: Ctx, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    new = make_officer(ctx)
    with pytest.raises(DBAPIError, match="append-only"), ctx.session.begin_nested():
        ctx.session.execute(update(AuditEvent).values(detail="x"))
    with pytest.raises(DBAPIError, match="append-only"), ctx.session.begin_nested():
        ctx.session.execute(delete(AuditEvent).where(AuditEvent.officer_id == new.id))
