"""The scheduled jobs, named once: what each does, when it runs, and the one function that runs
it, shared by the PostgreSQL worker (procrastinate periodic tasks) and ``officer-health jobs
run`` (SQLite, cron). Every job is idempotent: run twice, or again after a crash, it changes
nothing twice (outbox rows are unique per step and recipient, the rescreen skips what is
current, figures replace their year, the sequencer links each event once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from api.runtime import Runtime
from health.clock import utcnow
from health.followup.escalation import EscalationPolicy
from health.followup.notify import SmtpNotifier
from health.services import (
    analysis,
    appraisal,
    audit_sequencer,
    fhir_export,
    fhir_export_run,
    followup_jobs,
    imports,
    rescreen,
    selfcare_equipment,
    unit_reports,
)
from health.services.context import SYSTEM, Ctx
from health.settings import Settings


@dataclass(frozen=True)
class Job:
    """``cron`` in procrastinate's syntax: five fields, or six with seconds last."""

    name: str
    cron: str
    run: Callable[[Runtime], str]
    doc: str


def mail(settings: Settings) -> followup_jobs.Mail:
    return followup_jobs.Mail(settings.mail_domain, settings.site_url)


def notifier(settings: Settings) -> SmtpNotifier:
    """The SMTP relay of the settings (``OH_SMTP_*``)."""
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpNotifier(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_sender,
        starttls=settings.smtp_starttls,
        username=settings.smtp_username,
        password=password,
    )


def escalation_policy(settings: Settings) -> EscalationPolicy:
    hours = settings.escalation_delay_hours
    return EscalationPolicy(delays=tuple(timedelta(hours=h) for h in hours))


def sequence_audit(rt: Runtime) -> str:
    report = audit_sequencer.sequence(rt.sessions, rt.vault.hasher)
    return f"linked {report.linked} events, refused {report.refused}"


def fail_stuck_uploads(rt: Runtime) -> str:
    return f"{imports.fail_stuck(rt.sessions, rt.vault)} stuck uploads failed"


def escalate(rt: Runtime) -> str:
    with rt.sessions.begin() as session:
        queued = followup_jobs.escalate(
            Ctx(session, rt.vault, SYSTEM),
            mail=mail(rt.settings),
            policy=escalation_policy(rt.settings),
        )
    return f"{queued} escalation notices queued"


def remind(rt: Runtime) -> str:
    with rt.sessions.begin() as session:
        queued = followup_jobs.remind(Ctx(session, rt.vault, SYSTEM), mail=mail(rt.settings))
    return f"{queued} reminders queued"


def remind_equipment(rt: Runtime) -> str:
    with rt.sessions.begin() as session:
        queued = selfcare_equipment.remind(Ctx(session, rt.vault, SYSTEM), mail=mail(rt.settings))
    return f"{queued} equipment reminders queued"


def deliver_outbox(rt: Runtime) -> str:
    """Per-message failures stay on their outbox row (attempts, last error) and are retried by
    the next run; they do not fail the job, which would only resend the ones that went out."""
    report = followup_jobs.deliver(rt.sessions, rt.vault, SYSTEM, notifier(rt.settings))
    reasons = "; ".join(f"{n}x {why}" for why, n in sorted(report.reasons.items()))
    return f"{report.sent} sent, {report.failed} failed" + (f" ({reasons})" if reasons else "")


def figures_for(rt: Runtime, year: int) -> list[str]:
    """Unit figures, the force health analysis and the appraisal of one year, each stored in
    its own transaction (each replaces what the year had)."""
    with rt.sessions.begin() as session:
        units = unit_reports.compute(Ctx(session, rt.vault, SYSTEM), year)
    with rt.sessions.begin() as session:
        analysed = analysis.compute(Ctx(session, rt.vault, SYSTEM), year)
    with rt.sessions.begin() as session:
        scored = appraisal.appraise(Ctx(session, rt.vault, SYSTEM), year)
    return [
        f"{year}: figures for {units} units stored",
        f"{year}: health analysis for {analysed} units stored",
        f"{year}: appraisal scores for {scored} units stored",
    ]


def figures(rt: Runtime) -> str:
    this_year = utcnow().year
    return "; ".join(line for year in (this_year - 1, this_year) for line in figures_for(rt, year))


def rescreen_stale(rt: Runtime) -> str:
    report = rescreen.run(rt.sessions, rt.vault, SYSTEM, chunk_size=rt.settings.job_chunk_size)
    return (
        f"ruleset {report.ruleset_version}: {report.rescreened} rescreened, "
        f"{report.unchanged} already current"
    )


def fhir_exports(rt: Runtime) -> str:
    """Delete expired Bulk Data exports, then generate any left waiting (the API runs each
    in-process after its kick-off; a restart in between leaves it to this job)."""
    with rt.sessions.begin() as session:
        gone = fhir_export.purge_expired(Ctx(session, rt.vault, SYSTEM))
    ran = fhir_export_run.run_pending(rt.sessions, rt.vault)
    return f"{gone} expired exports deleted, {len(ran)} waiting exports run"


SCHEDULE: tuple[Job, ...] = (
    Job(
        "audit_sequence",
        "* * * * * */5",
        sequence_audit,
        "link committed audit events into the hash chain (well inside the 5-minute bound)",
    ),
    Job(
        "fail_stuck_uploads",
        "*/5 * * * *",
        fail_stuck_uploads,
        "mark uploads a killed process left running as failed",
    ),
    Job("outbox_deliver", "* * * * *", deliver_outbox, "send pending notices (SMTP)"),
    Job("tasks_escalate", "5 * * * *", escalate, "queue escalation notices for overdue tasks"),
    Job("tasks_remind", "10 * * * *", remind, "queue reminders for tasks due soon"),
    Job("equipment_remind", "0 6 * * *", remind_equipment, "queue kit and device reminders"),
    Job("figures", "30 1 * * *", figures, "unit figures, analysis, appraisal (this, last year)"),
    Job("rescreen", "0 2 * * *", rescreen_stale, "screen again what an older ruleset screened"),
    Job(
        "fhir_exports",
        "* * * * *",
        fhir_exports,
        "delete expired FHIR bulk exports; generate exports left waiting",
    ),
)
BY_NAME = {job.name: job for job in SCHEDULE}
