"""Editing, deleting, reordering or inserting any audit row breaks verification at that row;
an event the sequencer has not chained within the bound fails it too."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from health.clock import utcnow
from health.services import audit, officers
from health.services.audit_sequencer import sequence_batch
from health.services.context import Ctx
from models.tables import AuditEvent, AuditHead
from models.tables_audit import AuditLink, AuditPending

from factories import as_attacker, make_checkup, make_officer


def _events(ctx: Ctx, n: int, *, chain: bool = True) -> list[int]:
    new = make_officer(ctx)
    make_checkup(ctx, new.id)
    for _ in range(n):
        officers.get(ctx, new.id)
    if chain:
        sequence_batch(ctx.session, ctx.vault.hasher)
    as_attacker(ctx.session)
    return list(ctx.session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all())


def _verify(ctx: Ctx, **kwargs: object) -> audit.ChainReport:
    return audit.verify(ctx.session, ctx.vault.hasher, **kwargs)  # type: ignore[arg-type]


def test_untouched_chain_verifies(ctx: Ctx) -> None:
    seqs = _events(ctx, 3)
    report = _verify(ctx)
    assert report.ok and report.checked == len(seqs) and report.unchained == 0


def test_edited_row_is_named(ctx: Ctx) -> None:
    seqs = _events(ctx, 3)
    target = seqs[2]
    ctx.session.execute(
        update(AuditEvent).where(AuditEvent.seq == target).values(actor_id="someone-else")
    )
    report = _verify(ctx)
    assert not report.ok and report.broken_seq == target
    assert f"row {target} was altered" in (report.reason or "")


def test_deleted_middle_row_is_named(ctx: Ctx) -> None:
    seqs = _events(ctx, 3)
    target = seqs[1]
    ctx.session.execute(delete(AuditEvent).where(AuditEvent.seq == target))
    report = _verify(ctx)
    assert not report.ok and report.broken_seq == target
    assert f"row {target} was deleted" in (report.reason or "")


def test_deleted_last_row_is_named(ctx: Ctx) -> None:
    seqs = _events(ctx, 3)
    ctx.session.execute(delete(AuditEvent).where(AuditEvent.seq == seqs[-1]))
    report = _verify(ctx)
    assert not report.ok and report.broken_seq == seqs[-1]


def test_reordered_rows_are_named(ctx: Ctx) -> None:
    seqs = _events(ctx, 3)
    a, b = seqs[1], seqs[2]
    ctx.session.execute(update(AuditEvent).where(AuditEvent.seq == a).values(seq=-1))
    ctx.session.execute(update(AuditEvent).where(AuditEvent.seq == b).values(seq=a))
    ctx.session.execute(update(AuditEvent).where(AuditEvent.seq == -1).values(seq=b))
    report = _verify(ctx)
    assert not report.ok and report.broken_seq == a


def test_rewritten_head_is_detected(ctx: Ctx) -> None:
    _events(ctx, 1)
    ctx.session.execute(update(AuditHead).values(hash=bytes(32)))
    assert not _verify(ctx).ok


def test_cut_tail_of_links_is_detected_by_the_head(ctx: Ctx) -> None:
    _events(ctx, 2)
    last = ctx.session.scalar(select(func.max(AuditLink.pos)))
    ctx.session.execute(delete(AuditLink).where(AuditLink.pos == last))
    report = _verify(ctx)
    assert not report.ok and "head records link" in (report.reason or "")


def test_removed_link_in_the_middle_is_named(ctx: Ctx) -> None:
    _events(ctx, 3)
    link = ctx.session.scalars(select(AuditLink).order_by(AuditLink.pos).offset(1)).first()
    assert link is not None
    ctx.session.execute(delete(AuditLink).where(AuditLink.pos == link.pos))
    report = _verify(ctx)
    assert not report.ok and f"link {link.pos} is missing" in (report.reason or "")


def test_forged_event_is_named_and_never_chained(ctx: Ctx) -> None:
    _events(ctx, 1)
    now = utcnow()
    forged = {
        "id": uuid.uuid4(),
        "occurred_at": now,
        "actor_id": "nobody",
        "actor_role": "auditor",
        "action": "audit.search",
        "resource_type": "audit_event",
        "resource_id": None,
        "officer_id": None,
        "purpose": None,
        "outcome": "success",
        "source": None,
        "detail": None,
        "mac": bytes(32),
    }
    ctx.session.execute(insert(AuditEvent), [forged])
    queued = select(AuditPending).where(AuditPending.event_id == forged["id"])
    if ctx.session.scalars(queued).first() is None:  # triggers are off for the attacker (PG)
        ctx.session.execute(insert(AuditPending), [{"event_id": forged["id"], "occurred_at": now}])
    seq = ctx.session.scalar(select(AuditEvent.seq).where(AuditEvent.id == forged["id"]))
    assert sequence_batch(ctx.session, ctx.vault.hasher).refused == 1
    report = _verify(ctx)
    assert not report.ok and report.broken_seq == seq
    assert "altered or inserted" in (report.reason or "")


def test_edited_unchained_event_is_named(ctx: Ctx) -> None:
    seqs = _events(ctx, 2, chain=False)
    ctx.session.execute(update(AuditEvent).where(AuditEvent.seq == seqs[-1]).values(detail="x"))
    report = _verify(ctx)
    assert not report.ok and report.broken_seq == seqs[-1]


def test_unchained_events_younger_than_the_bound_verify(ctx: Ctx) -> None:
    seqs = _events(ctx, 2, chain=False)
    report = _verify(ctx)
    assert report.ok and report.unchained == len(seqs) and report.checked == 0


def test_unchained_event_older_than_the_bound_fails(ctx: Ctx) -> None:
    seqs = _events(ctx, 2, chain=False)
    later = utcnow() + audit.CHAIN_BOUND + timedelta(seconds=1)
    report = _verify(ctx, now=later)
    assert not report.ok and report.broken_seq == seqs[0]
    assert "not chained after 300 s" in (report.reason or "")


def test_event_hidden_from_the_sequencer_fails_after_the_bound(ctx: Ctx) -> None:
    seqs = _events(ctx, 1, chain=False)
    ctx.session.execute(delete(AuditPending))
    sequence_batch(ctx.session, ctx.vault.hasher)
    assert _verify(ctx).ok
    later = utcnow() + audit.CHAIN_BOUND + timedelta(seconds=1)
    assert _verify(ctx, now=later).broken_seq == seqs[0]


def test_every_inserted_event_is_queued_for_the_sequencer(ctx: Ctx) -> None:
    new = make_officer(ctx)
    officers.get(ctx, new.id)
    waiting = ctx.session.scalars(select(AuditPending.event_id)).all()
    events = ctx.session.scalars(select(AuditEvent.id)).all()
    assert set(waiting) == set(events) and events


def test_sequencer_links_in_batches_and_continues_the_chain(ctx: Ctx) -> None:
    seqs = _events(ctx, 4, chain=False)
    first = sequence_batch(ctx.session, ctx.vault.hasher, batch=2)
    assert first.linked == 2
    while sequence_batch(ctx.session, ctx.vault.hasher, batch=2).linked:
        pass
    chained = ctx.session.scalars(select(AuditLink.event_seq).order_by(AuditLink.pos)).all()
    assert list(chained) == seqs
    assert ctx.session.scalar(select(func.count()).select_from(AuditPending)) == 0
    assert _verify(ctx, now=utcnow() + timedelta(days=1)).ok


def test_postgres_refuses_changes_to_the_audit_tables(ctx: Ctx, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("the append-only triggers exist on PostgreSQL only")
    new = make_officer(ctx)
    sequence_batch(ctx.session, ctx.vault.hasher)
    with pytest.raises(DBAPIError, match="append-only"), ctx.session.begin_nested():
        ctx.session.execute(update(AuditEvent).values(detail="x"))
    with pytest.raises(DBAPIError, match="append-only"), ctx.session.begin_nested():
        ctx.session.execute(delete(AuditEvent).where(AuditEvent.officer_id == new.id))
    with pytest.raises(DBAPIError, match="append-only"), ctx.session.begin_nested():
        ctx.session.execute(update(AuditLink).values(linked_at=utcnow()))
