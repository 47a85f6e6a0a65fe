"""The worker killed with SIGKILL in the middle of a job and started again: every scheduled job's
effect happens exactly once (issue 18, acceptance 4).

``officer-health worker`` runs as a real process on a committed PostgreSQL database; the test
queues every scheduled job with ``officer-health jobs enqueue``, kills the worker while the
rescreen (one transaction per few officers) is half done, starts a second worker, and then
reads the database: each checkup rescreened once, each escalation notice queued and delivered
once, figures stored, every audit event chained once.
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from mailbox import Maildir
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from api.jobs import SCHEDULE, escalation_policy, mail
from api.runtime import Runtime, start
from api.worker import enqueue
from health.clock import utcnow
from health.services import audit, demo, followup_jobs, rescreen, rulesets
from health.services.context import SYSTEM, Ctx
from health.settings import Settings
from models.tables import AuditEvent, Outbox, Screening, Unit, UnitReport

from conftest import PG_ADMIN, DatabaseFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(PG_ADMIN is None, reason="the worker needs PostgreSQL"),
]

ROOT = Path(__file__).resolve().parents[2]
CLI = str(ROOT / ".venv" / "bin" / "officer-health")
SINK = ROOT / "tests" / "health" / "followup" / "smtp_sink.py"
OLD_RULESET = "cn-adult-2025.1"
DEADLINE = 60.0


@dataclass
class Deployment:
    rt: Runtime
    env: dict[str, str]
    maildir: Path


@pytest.fixture
def deployment(databases: DatabaseFactory, tmp_path: Path) -> Iterator[Deployment]:
    url, var = databases.create("postgresql"), tmp_path / "var"
    rt = start(Settings(var_dir=var, database_url=url, password_profile="fast-insecure"))
    with rt.sessions.begin() as session:
        demo.seed(Ctx(session, rt.vault, SYSTEM), rt.auth, officers_per_station=10, years=1)
    with rt.sessions.begin() as session:
        # As after a ruleset change: every stored screening is of an older version.
        session.execute(text("UPDATE screening SET ruleset_version = :old"), {"old": OLD_RULESET})
    maildir, portfile = tmp_path / "mail", tmp_path / "smtp.port"
    sink = subprocess.Popen([sys.executable, str(SINK), str(maildir), str(portfile)])
    for _ in range(100):
        if portfile.exists():
            break
        time.sleep(0.05)
    env = {
        **os.environ,
        "OH_DATABASE_URL": url,
        "OH_VAR_DIR": str(var),
        "OH_JOB_CHUNK_SIZE": "3",
        "OH_WORKER_HEARTBEAT_SECONDS": "0.5",
        "OH_WORKER_STALLED_SECONDS": "2",
        "OH_SMTP_PORT": portfile.read_text(),
        "OH_SMTP_HOST": "127.0.0.1",
    }
    try:
        yield Deployment(rt, env, maildir)
    finally:
        sink.send_signal(signal.SIGTERM)
        sink.wait(10)
        rt.engine.dispose()


def _worker(d: Deployment, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([CLI, "worker"], env=d.env, stdout=out, stderr=subprocess.STDOUT)


def _cli(d: Deployment, *args: str) -> str:
    done = subprocess.run(
        [CLI, *args], env=d.env, capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stderr + done.stdout


def _scalar(d: Deployment, statement: str) -> int:
    with d.rt.sessions() as session:
        return int(session.execute(text(statement)).scalar() or 0)


def _rescreened(d: Deployment) -> int:
    return _scalar(d, "SELECT count(*) FROM audit_event WHERE action = 'checkup.rescreen'")


def _wait(what: str, ready: Callable[[], bool], until: float, log: Path) -> None:
    while not ready():
        if time.monotonic() > until:
            pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def _unfinished_jobs(d: Deployment) -> int:
    names = ", ".join(f"'{job.name}'" for job in SCHEDULE if "*/" not in job.cron.split()[-1])
    return _scalar(
        d,
        "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing') "
        f"AND task_name IN ({names})",
    )


def test_worker_killed_mid_job_then_restarted_does_every_job_exactly_once(
    deployment: Deployment, tmp_path: Path
) -> None:
    d, log = deployment, Path(os.environ.get("OH_TEST_WORKER_LOG", tmp_path / "worker.log"))
    began = time.monotonic()
    until = began + DEADLINE
    checkups = _scalar(d, "SELECT count(*) FROM checkup")
    first = _worker(d, log)
    queued = _cli(d, "jobs", "enqueue")
    assert all(f"{job.name}: queued as job" in queued for job in SCHEDULE), queued

    # Mid-job: some chunks of the rescreen committed, the rest not yet.
    _wait("the rescreen to start", lambda: _rescreened(d) > 0, until, log)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    done_at_kill = _rescreened(d)
    print(f"killed after {time.monotonic() - began:.1f} s: {done_at_kill}/{checkups} rescreened")
    assert 0 < done_at_kill < checkups, (done_at_kill, checkups)
    assert _scalar(d, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'") >= 1
    # What the queue stores of a job: its name and tick, nothing about anyone.
    about = "SELECT count(*) FROM procrastinate_jobs WHERE args - 'timestamp' <> '{}'"
    assert _scalar(d, about) == 0

    second = _worker(d, log)
    queue_settings = Settings(database_url=d.env["OH_DATABASE_URL"])
    try:
        _wait("the jobs to finish", lambda: _unfinished_jobs(d) == 0, until, log)
        # Rescreening planned tasks, some overdue already: the next escalation run finds them,
        # and the next delivery sends what escalations queued after the first one ran.
        enqueue(queue_settings, ["tasks_escalate"])
        _wait("the escalation", lambda: _unfinished_jobs(d) == 0, until, log)
        enqueue(queue_settings, ["outbox_deliver"])
        _wait(
            "the outbox to be delivered",
            lambda: _scalar(d, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0,
            until,
            log,
        )
        _wait("the last chain link", lambda: _unchained(d) == 0, until, log)
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(20) == 0
    print(f"all done after {time.monotonic() - began:.1f} s")
    assert time.monotonic() - began < DEADLINE

    with d.rt.sessions() as session:
        # Each checkup rescreened once: one event and one current screening of the new version.
        events = Counter(
            session.scalars(
                select(AuditEvent.resource_id).where(AuditEvent.action == "checkup.rescreen")
            )
        )
        assert len(events) == checkups
        assert set(events.values()) == {1}
        version = rulesets.active_ruleset(Ctx(session, d.rt.vault, SYSTEM)).version
        per_checkup = Counter(
            session.scalars(
                select(Screening.checkup_id).where(Screening.ruleset_version == version)
            )
        )
        assert len(per_checkup) == checkups
        assert set(per_checkup.values()) == {1}
        # Figures of this year for every unit.
        units = session.scalar(select(func.count()).select_from(Unit))
        year = utcnow().year
        stored = session.scalar(
            select(func.count()).select_from(UnitReport).where(UnitReport.year == year)
        )
        assert stored == units
        sent = list(session.scalars(select(Outbox)))
        # The chain: every event linked, none twice (verify names the first bad row).
        report = audit.verify(session, d.rt.vault.hasher)
        assert report.ok, report.reason
        assert report.unchained == 0
    assert sent, "the demo force has overdue tasks to escalate"

    # Nothing was left undone: running the jobs again here changes nothing.
    with d.rt.sessions.begin() as session:
        ctx = Ctx(session, d.rt.vault, SYSTEM)
        settings = d.rt.settings
        again = followup_jobs.escalate(ctx, mail=mail(settings), policy=escalation_policy(settings))
        assert again == 0
    assert rescreen.run(d.rt.sessions, d.rt.vault, SYSTEM).rescreened == 0

    # Each notice reached the relay (its Message-ID is the outbox row's dedup key); delivery is
    # at least once, so only a message in flight at the kill may have gone out twice.
    received = Counter(
        email.message_from_bytes(m.as_bytes())["Message-ID"] for m in Maildir(d.maildir)
    )
    assert len(received) == len(sent)
    assert sum(received.values()) - len(received) <= 1


def _unchained(d: Deployment) -> int:
    return _scalar(
        d,
        "SELECT count(*) FROM audit_event e "
        "WHERE NOT EXISTS (SELECT 1 FROM audit_link l WHERE l.event_seq = e.seq)",
    )


def test_worker_on_sqlite_explains_and_jobs_run_from_the_cli(tmp_path: Path) -> None:
    """The embedded default has no queue: ``worker`` says what to run instead, and exits 2;
    ``jobs run`` runs the same jobs in the calling process (from cron)."""
    env = {
        **os.environ,
        "OH_VAR_DIR": str(tmp_path / "var"),
        "OH_PASSWORD_PROFILE": "fast-insecure",
    }
    env.pop("OH_DATABASE_URL", None)
    subprocess.run([CLI, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    refused = subprocess.run([CLI, "worker"], env=env, capture_output=True, text=True, timeout=30)
    assert refused.returncode == 2
    assert "officer-health jobs run" in " ".join(refused.stderr.split())
    ran = subprocess.run(
        [CLI, "jobs", "run", "audit_sequence", "tasks_escalate", "figures"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    assert "audit_sequence: linked" in ran.stderr
    assert "tasks_escalate: 0 escalation notices queued" in ran.stderr
