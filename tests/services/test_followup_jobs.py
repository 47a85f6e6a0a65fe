"""Escalation and reminders through the outbox: each notice delivered once and only once, even
when the job runs twice or a run crashes half-way; SMTP delivery to a real local server."""

from __future__ import annotations

import email
import email.policy
import mailbox
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from databases import Opened
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from health.crypto import FileKeyProvider
from health.followup.notify import Message, SmtpNotifier
from health.services import accounts, followup_jobs
from health.services.context import SYSTEM, Ctx
from health.services.followup_jobs import Mail
from health.services.vault import Vault, unlock
from models.tables import Outbox

from factories import fast_policy, make_checkup, make_officer, make_unit, tasks_of_family

SINK = Path(__file__).parents[1] / "health" / "followup" / "smtp_sink.py"
MAIL = Mail(domain="force.test", site_url="https://health.force.test")


@dataclass
class Clinic:
    sessions: sessionmaker[Session]
    vault: Vault
    task_due: datetime

    def ctx(self, session: Session, now: datetime) -> Ctx:
        return Ctx(session, self.vault, SYSTEM, clock=lambda: now)


@pytest.fixture
def clinic(fresh_url: Callable[[], str], opened: Opened, keyring_file: Path) -> Clinic:
    """A station with two managers and an officer whose glucose recheck is open."""
    sessions = opened.sessions(fresh_url())
    with sessions.begin() as session:
        vault = unlock(session, FileKeyProvider(keyring_file), create=False)
        ctx = Ctx(session, vault, SYSTEM)
        force = make_unit(ctx)
        station = make_unit(ctx, parent=force)
        for name, unit in (("mgr-a", station), ("mgr-b", station), ("chief", force)):
            accounts.create_user(
                ctx,
                fast_policy(vault),
                username=name,
                role="unit_manager",
                password="a long enough password",
                unit_ids=[unit.id],
            )
        officer = make_officer(ctx, unit=station)
        make_checkup(ctx, officer.id, exam_date=date(2026, 3, 2), glu=7.5)
        (task,) = tasks_of_family(ctx, "glucose")
        due = task.due
    return Clinic(sessions, vault, due)


def _outbox(clinic: Clinic) -> list[Outbox]:
    with clinic.sessions() as session:
        return list(session.scalars(select(Outbox).order_by(Outbox.recipient, Outbox.key)))


def _escalate(clinic: Clinic, now: datetime) -> int:
    with clinic.sessions.begin() as session:
        return followup_jobs.escalate(clinic.ctx(session, now), mail=MAIL)


class Crash(Exception):
    """Stands in for the process dying."""


def _escalate_then_die(clinic: Clinic, now: datetime) -> None:
    with clinic.sessions.begin() as session:
        followup_jobs.escalate(clinic.ctx(session, now), mail=MAIL)
        raise Crash  # the job dies before its transaction commits


@dataclass
class CrashAfter:
    """Delivers ``n`` messages, then dies before the next one."""

    n: int
    sent: list[Message]

    def send(self, message: Message) -> None:
        if len(self.sent) >= self.n:
            raise Crash
        self.sent.append(message)


def test_escalation_reaches_the_managers_once_despite_reruns_and_crashes(clinic: Clinic) -> None:
    """Acceptance 3: past due + delay, each manager of the unit gets the notice exactly once."""
    assert _escalate(clinic, clinic.task_due + timedelta(days=2)) == 0
    now = clinic.task_due + timedelta(days=3, hours=1)
    with pytest.raises(Crash):
        _escalate_then_die(clinic, now)
    assert _outbox(clinic) == []
    assert _escalate(clinic, now) == 2
    assert _escalate(clinic, now) == 0
    rows = _outbox(clinic)
    assert [r.recipient for r in rows] == ["mgr-a@force.test", "mgr-b@force.test"]
    assert len({r.key for r in rows}) == 1

    delivered: list[Message] = []
    with pytest.raises(Crash):
        followup_jobs.deliver(clinic.sessions, clinic.vault, SYSTEM, CrashAfter(1, delivered))
    followup_jobs.deliver(clinic.sessions, clinic.vault, SYSTEM, CrashAfter(10, delivered))
    followup_jobs.deliver(clinic.sessions, clinic.vault, SYSTEM, CrashAfter(10, delivered))
    assert sorted(m.recipient for m in delivered) == ["mgr-a@force.test", "mgr-b@force.test"]
    assert all(r.sent_at is not None for r in _outbox(clinic))
    body = delivered[0].body
    assert "glucose" not in body.lower() and "recheck" in body
    assert "https://health.force.test/tasks/" in body


def test_escalation_climbs_the_tree_after_the_next_delay(clinic: Clinic) -> None:
    assert _escalate(clinic, clinic.task_due + timedelta(days=11)) == 3
    assert {r.recipient for r in _outbox(clinic)} == {
        "mgr-a@force.test",
        "mgr-b@force.test",
        "chief@force.test",
    }


def test_reminders_reach_the_assigned_medic_once(clinic: Clinic) -> None:
    with clinic.sessions.begin() as session:
        ctx = Ctx(session, clinic.vault, SYSTEM)
        medic = accounts.create_user(
            ctx,
            fast_policy(clinic.vault),
            username="doc",
            role="medic",
            password="a long enough password",
        )
        (task,) = tasks_of_family(ctx, "glucose")
        task.assignee_user_id = medic.id
    now = clinic.task_due - timedelta(days=1)
    for _ in range(2):
        with clinic.sessions.begin() as session:
            followup_jobs.remind(clinic.ctx(session, now), mail=MAIL)
    assert [r.recipient for r in _outbox(clinic)] == ["doc@force.test"]


def _start_sink(workdir: Path) -> Iterator[tuple[int, Path]]:
    workdir.mkdir(parents=True, exist_ok=True)
    maildir, portfile = workdir / "mail", workdir / "port"
    with subprocess.Popen(
        [sys.executable, str(SINK), str(maildir), str(portfile)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:
        try:
            deadline = time.monotonic() + 20
            while not portfile.exists():
                assert process.poll() is None and time.monotonic() < deadline, "no SMTP sink"
                time.sleep(0.02)
            yield int(portfile.read_text()), maildir
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    yield from _start_sink(tmp_path / "sink")


@pytest.mark.slow
def test_outbox_is_delivered_through_a_real_smtp_server(
    clinic: Clinic, sink: tuple[int, Path]
) -> None:
    port, maildir = sink
    _escalate(clinic, clinic.task_due + timedelta(days=4))
    notifier = SmtpNotifier("127.0.0.1", port, "health@force.test")
    report = followup_jobs.deliver(clinic.sessions, clinic.vault, SYSTEM, notifier)
    assert (report.sent, report.failed) == (2, 0)
    assert followup_jobs.deliver(clinic.sessions, clinic.vault, SYSTEM, notifier).sent == 0
    box = mailbox.Maildir(maildir, create=False)
    received = [
        email.message_from_bytes(box.get_bytes(k), policy=email.policy.default)
        for k in box.iterkeys()
    ]
    assert sorted(str(m["To"]) for m in received) == ["mgr-a@force.test", "mgr-b@force.test"]
    assert all(m["Message-ID"] for m in received)


def test_now_is_utc(clinic: Clinic) -> None:
    assert clinic.task_due.tzinfo is not None
    assert clinic.task_due.astimezone(UTC) == clinic.task_due
