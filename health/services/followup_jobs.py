"""Background follow-up jobs: escalate overdue tasks, remind before due, deliver the outbox.

Planning and delivery are separate on purpose. ``escalate`` and ``remind`` only add outbox rows,
unique per (step key, recipient), so running them twice or after a crash adds nothing twice.
``deliver`` sends each unsent row through a ``Notifier`` and marks it sent in its own short
transaction: a crash loses at most the mark of the one message in flight, which is then sent
again with the same Message-ID (at least once, never duplicated by the outbox itself).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from health.errors import HealthError
from health.followup.escalation import EscalationPolicy, escalations_frame
from health.followup.notify import DeliveryFailed, Message, MessageKind, Notifier, task_message
from health.followup.reminders import ReminderCandidate, ReminderPolicy, reminders_due
from health.services import access, audit
from health.services.context import Actor, Ctx
from health.services.vault import Vault
from health.vocabulary import Action, Role
from models.repositories import outbox as outbox_repo
from models.repositories import tasks as tasks_repo
from models.tables import Task

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Mail:
    """How staff and officer accounts are addressed: ``username@domain`` in the force directory;
    ``site_url`` prefixes the task links."""

    domain: str = "localhost"
    site_url: str = ""

    def address(self, username: str) -> str:
        return f"{username}@{self.domain}"


def _row(
    kind: MessageKind, key: str, username: str, task: Task, mail: Mail, now: datetime
) -> dict[str, object]:
    recipient = mail.address(username)
    message = task_message(
        kind,
        recipient=recipient,
        task_type=task.type,
        due=task.due,
        link_path=f"/tasks/{task.id}",
        dedup_key=f"{key}/{recipient}",
        site_url=mail.site_url,
    )
    return {
        "id": uuid.uuid4(),
        "key": key,
        "recipient": recipient,
        "channel": "email",
        "subject": message.subject,
        "body": message.body,
        "created_at": now,
        "sent_at": None,
        "attempts": 0,
        "last_error": None,
    }


def escalate(ctx: Ctx, *, mail: Mail, policy: EscalationPolicy | None = None) -> int:
    """Queue every escalation notice due now for the managers of each rung's unit."""
    access.require(ctx, Action.TASK_ESCALATE)
    pol = policy or EscalationPolicy()
    now = ctx.clock()
    first = min(ladder[0] for ladder in [pol.delays, *pol.by_type.values()])
    candidates = tasks_repo.open_candidates(ctx.session, now - first)
    if not candidates:
        return 0
    frame = pd.DataFrame(
        {
            "task_id": [str(t.id) for t, _ in candidates],
            "type": [t.type for t, _ in candidates],
            "status": [t.status for t, _ in candidates],
            "due": pd.to_datetime([t.due for t, _ in candidates], utc=True),
            "unit_path": [path for _, path in candidates],
        }
    )
    steps = escalations_frame(frame, now, policy=pol)
    by_id = {str(t.id): t for t, _ in candidates}
    managers = tasks_repo.managers_of(ctx.session, [uuid.UUID(u) for u in steps["unit_id"]])
    rows = [
        _row("escalation", step.key, username, by_id[step.task_id], mail, now)
        for step in cast(Iterable[Any], steps.itertuples(index=False))
        for username in managers.get(uuid.UUID(str(step.unit_id)), [])
    ]
    added = outbox_repo.enqueue(ctx.session, rows)
    audit.record(ctx, "task.escalate", "outbox", detail=f"steps={len(steps)};queued={added}")
    return added


def remind(ctx: Ctx, *, mail: Mail, policy: ReminderPolicy | None = None) -> int:
    """Queue reminders: officers for their own rechecks, assigned medics for tasks due soon."""
    access.require(ctx, Action.TASK_REMIND)
    pol = policy or ReminderPolicy()
    now = ctx.clock()
    horizon = max([*pol.officer, *pol.medic, *(o for v in pol.medic_by_type.values() for o in v)])
    tasks = tasks_repo.due_between(ctx.session, now, now + horizon + timedelta(seconds=1))
    officers = tasks_repo.officer_accounts(ctx.session, [t.officer_id for t in tasks])
    medics = tasks_repo.usernames(
        ctx.session, [t.assignee_user_id for t in tasks if t.assignee_user_id is not None]
    )
    rows = []
    for task in tasks:
        candidate = ReminderCandidate(task.id, task.type, task.status, task.due)
        for reminder in reminders_due(candidate, now, policy=pol):
            if reminder.audience == Role.OFFICER and task.officer_id in officers:
                user = officers[task.officer_id]
                rows.append(_row("officer_reminder", reminder.key, user, task, mail, now))
            elif reminder.audience == Role.MEDIC and task.assignee_user_id in medics:
                user = medics[task.assignee_user_id]
                rows.append(_row("medic_reminder", reminder.key, user, task, mail, now))
    added = outbox_repo.enqueue(ctx.session, rows)
    audit.record(ctx, "task.remind", "outbox", detail=f"queued={added}")
    return added


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    # why deliveries failed, with how many each (no recipients, no contents)
    reasons: dict[str, int] = field(default_factory=dict)

    def fail(self, reason: str) -> None:
        self.failed += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


def deliver(
    sessions: sessionmaker[Session],
    vault: Vault,
    actor: Actor,
    notifier: Notifier,
    *,
    max_attempts: int = MAX_ATTEMPTS,
) -> Delivery:
    """Send pending outbox rows; each one is marked in its own transaction right after sending."""
    with sessions.begin() as session:
        access.require(Ctx(session, vault, actor), Action.OUTBOX_DELIVER)
    report = Delivery()
    tried: set[uuid.UUID] = set()
    while True:
        with sessions.begin() as session:
            ctx = Ctx(session, vault, actor)
            row = outbox_repo.claim_next(session, max_attempts=max_attempts, skip=tried)
            if row is None:
                return report
            tried.add(row.id)
            try:
                dedup = f"{row.key}/{row.recipient}"
                notifier.send(Message(row.recipient, row.subject, row.body, dedup))
            except DeliveryFailed as exc:
                give_up = max_attempts if exc.permanent else 0
                outbox_repo.mark_failed(session, row.id, exc.detail, give_up=give_up)
                report.fail(exc.detail)
                continue
            except HealthError as exc:
                outbox_repo.mark_failed(session, row.id, exc.detail, give_up=max_attempts)
                report.fail(exc.detail)
                continue
            outbox_repo.mark_sent(session, row.id, ctx.clock())
            report.sent += 1
