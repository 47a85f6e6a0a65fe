"""The ``officer-health`` command line; heavy imports happen inside commands for a quick start."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from health.errors import HealthError
from health.settings import Settings, get_settings

if TYPE_CHECKING:
    from api.runtime import Runtime

app = typer.Typer(
    help="Officer Health: occupational health record and screening.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
keys_app = typer.Typer(help="Key management.", no_args_is_help=True)
officers_app = typer.Typer(help="Officer records.", no_args_is_help=True)
audit_app = typer.Typer(help="Audit trail.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(officers_app, name="officers")
app.add_typer(audit_app, name="audit")
app.add_typer(users_app, name="users")
tasks_app = typer.Typer(
    help="Follow-up jobs (idempotent: safe to run again).", no_args_is_help=True
)
outbox_app = typer.Typer(help="Notification outbox.", no_args_is_help=True)
app.add_typer(tasks_app, name="tasks")
app.add_typer(outbox_app, name="outbox")

console = Console(stderr=True)


def _fail(exc: HealthError) -> typer.Exit:
    console.print(f"[bold red]error:[/] {exc.detail}")
    return typer.Exit(code=2)


def _settings() -> Settings:
    return get_settings()


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply Alembic migrations to the configured database."""
    from api.runtime import database
    from models.migrate import upgrade

    engine, _ = database(_settings())
    upgrade(engine, revision)
    console.print(f"database at revision {revision} ({engine.dialect.name})")
    engine.dispose()


@app.command()
def demo(officers_per_station: int = 20, years: int = 3) -> None:
    """Seed a synthetic demo force with one account per role (once; no-op when units exist)."""
    import json
    import os

    from api.runtime import start
    from health.services import demo as demo_service
    from health.services.context import SYSTEM, Ctx

    settings = _settings()
    try:
        rt = start(settings)
    except HealthError as exc:
        raise _fail(exc) from None
    with rt.sessions.begin() as session:
        report = demo_service.seed(
            Ctx(session, rt.vault, SYSTEM),
            rt.auth,
            officers_per_station=officers_per_station,
            years=years,
        )
    if not report.created:
        console.print("demo data already present; nothing done")
        return
    path = settings.demo_credentials_file
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(report.credentials, handle, indent=2)
    console.print(
        f"demo force: {report.units} units, {report.officers} officers, "
        f"{report.checkups} checkups; demo logins in {path}"
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[int, typer.Option(help="worker processes (one per core)")] = 1,
    access_log: Annotated[bool, typer.Option()] = True,
) -> None:
    """Start the HTTP service (refuses to start on a missing or mismatched keyring)."""
    import uvicorn

    from api.app import create_app
    from api.runtime import freeze_startup_heap, start

    settings = _settings()
    try:
        rt = start(settings)
    except HealthError as exc:
        raise _fail(exc) from None
    bind_host, bind_port = host or settings.host, port or settings.port
    log_level = settings.log_level.lower()
    _announce(f"http://{bind_host}:{bind_port}/", settings.demo_credentials_file)
    # Longer than a load balancer's idle timeout (60 s is common), so the server never closes
    # a kept-alive connection just as a client reuses it (the client would see a dropped
    # connection, not an answer).
    keep_alive = 75
    if workers > 1:
        rt.engine.dispose()
        # Each worker process builds its own app (and engine) from the same environment.
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            workers=workers,
            host=bind_host,
            port=bind_port,
            log_level=log_level,
            access_log=access_log,
            timeout_keep_alive=keep_alive,
        )
    else:
        app = create_app(settings, rt)
        freeze_startup_heap()
        uvicorn.run(
            app,
            host=bind_host,
            port=bind_port,
            log_level=log_level,
            access_log=access_log,
            timeout_keep_alive=keep_alive,
        )


def _announce(address: str, credentials: Path) -> None:
    """Where the pages are and, on a demo database, the account of each role (web sign-in)."""
    import json

    console.print(f"Officer Health pages: {address}  (API: {address}api/v1, docs: {address}docs)")
    if not credentials.exists():
        return
    logins = json.loads(credentials.read_text())
    console.print(f"demo accounts (from {credentials}):")
    for username, login in logins.items():
        console.print(f"  {login['role']:<13} {username:<12} password {login['password']}")


@keys_app.command("rotate")
def keys_rotate(batch_size: Annotated[int | None, typer.Option()] = None) -> None:
    """Add a KEK version and re-wrap every data key under it; re-run to resume."""
    from api.runtime import database, key_provider
    from health.services import keys

    settings = _settings()
    _, sessions = database(settings)
    try:
        report = keys.rotate(
            sessions, key_provider(settings), batch_size=batch_size or settings.rotation_batch_size
        )
    except HealthError as exc:
        raise _fail(exc) from None
    verb = "resumed" if report.resumed else "rotated"
    console.print(
        f"{verb}: KEK version {report.kek_version} current, "
        f"{report.rewrapped} data keys re-wrapped, retired {list(report.retired)}"
    )


@keys_app.command("new")
def keys_new(path: Path) -> None:
    """Write a fresh keyring (0600) for a new deployment, e.g. the compose secret; refuses to
    overwrite one (losing a keyring loses every sealed value)."""
    from health.crypto import FileKeyProvider, Keyring

    if path.exists():
        console.print(f"[bold red]error:[/] {path} exists; a keyring is never overwritten")
        raise typer.Exit(code=2)
    FileKeyProvider(path).save(Keyring.generate())
    console.print(f"new keyring in {path} (0600); keep a copy apart from the database backups")


@officers_app.command("erase")
def officers_erase(
    officer_id: uuid.UUID, yes: Annotated[bool, typer.Option("--yes")] = False
) -> None:
    """Crypto-shred one officer: their data can never be opened again."""
    from api.runtime import start
    from health.services import keys
    from health.services.context import SYSTEM, Ctx

    if not yes and not typer.confirm(f"Erase officer {officer_id} irreversibly?"):
        raise typer.Exit(code=1)
    try:
        rt = start(_settings())
        with rt.sessions.begin() as session:
            keys.erase_officer(Ctx(session, rt.vault, SYSTEM), officer_id)
    except HealthError as exc:
        raise _fail(exc) from None
    console.print(f"officer {officer_id} erased")


@audit_app.command("verify")
def audit_verify(
    sequence_first: Annotated[
        bool, typer.Option("--sequence/--no-sequence", help="link waiting events first")
    ] = True,
) -> None:
    """Check the audit hash chain and its unchained tail; names the first broken row."""
    from api.runtime import start
    from health.services import audit, audit_sequencer

    try:
        rt = start(_settings())
    except HealthError as exc:
        raise _fail(exc) from None
    if sequence_first:
        # Forged or edited events are never chained, so linking first hides nothing.
        audit_sequencer.sequence(rt.sessions, rt.vault.hasher)
    with rt.sessions() as session:
        report = audit.verify(session, rt.vault.hasher)
    if report.ok:
        console.print(
            f"audit chain intact: {report.checked} events chained, "
            f"{report.unchained} waiting (within {int(audit.CHAIN_BOUND.total_seconds())} s)"
        )
        return
    where = f" at row {report.broken_seq}" if report.broken_seq is not None else ""
    console.print(f"[bold red]audit chain broken[/]{where}: {report.reason}")
    raise typer.Exit(code=1)


@audit_app.command("sequence")
def audit_sequence() -> None:
    """Link committed audit events into the hash chain (what ``serve`` does every second)."""
    from api.runtime import start
    from health.services import audit_sequencer

    try:
        rt = start(_settings())
    except HealthError as exc:
        raise _fail(exc) from None
    report = audit_sequencer.sequence(rt.sessions, rt.vault.hasher)
    console.print(f"linked {report.linked} events; refused {report.refused} with a wrong MAC")
    rt.engine.dispose()
    if report.refused:
        raise typer.Exit(code=1)


@app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="preview; store nothing")] = False,
    mode: Annotated[str, typer.Option(help="all (all-or-nothing) or valid")] = "all",
    chunk_size: Annotated[int, typer.Option()] = 2000,
    exam_date: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD for rows without an exam date")
    ] = None,
) -> None:
    """Import a checkup session (CSV, XLSX or FHIR Bundle) with a progress bar and a summary."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    from rich.table import Table

    from api.runtime import start
    from health.services import imports
    from health.services.context import SYSTEM

    if mode not in ("all", "valid"):
        raise typer.BadParameter("mode is 'all' or 'valid'")
    from datetime import date

    try:
        session_date = date.fromisoformat(exam_date) if exam_date else None
    except ValueError:
        raise typer.BadParameter("exam date is YYYY-MM-DD") from None
    try:
        rt = start(_settings())
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task(f"importing {path.name}", total=None)
            report = imports.run(
                rt.sessions,
                rt.vault,
                SYSTEM,
                path.read_bytes(),
                path.name,
                dry_run=dry_run,
                mode=mode,  # type: ignore[arg-type]
                chunk_size=chunk_size,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                exam_date=session_date,
            )
    except HealthError as exc:
        raise _fail(exc) from None
    summary = Table(title=f"{path.name}: {report.status}" + (" (dry run)" if dry_run else ""))
    for column in (
        "rows",
        "checkups",
        "valid",
        "stored",
        "duplicates",
        "corrected",
        "rejected",
        "problems",
    ):
        summary.add_column(column, justify="right")
    summary.add_row(
        *(
            str(v)
            for v in (
                report.rows_read,
                report.checkups,
                report.valid,
                report.stored,
                report.duplicates,
                report.corrected,
                report.rejected,
                len(report.errors),
            )
        )
    )
    console.print(summary)
    if report.repeated_file:
        console.print("this exact file was uploaded before; stored checkups were recognised")
    for warning in report.warnings:
        console.print(f"[yellow]ignored[/] column {warning.field}: {warning.reason}")
    if report.errors:
        problems = Table(title="problems (first 50)")
        for column in ("row", "field", "value", "reason"):
            problems.add_column(column)
        for error in report.errors[:50]:
            problems.add_row(str(error.row), error.field, error.value, error.reason)
        console.print(problems)
        raise typer.Exit(code=1 if report.status in ("rejected", "preview") else 0)


@app.command()
def rescreen(chunk_size: Annotated[int, typer.Option()] = 1000) -> None:
    """Screen every officer's latest checkup under the active ruleset; report what changed."""
    from rich.progress import Progress
    from rich.table import Table

    from api.runtime import start
    from health.services import rescreen as rescreen_service
    from health.services.context import SYSTEM

    try:
        rt = start(_settings())
        with Progress(console=console) as bar:
            task = bar.add_task("rescreening", total=None)
            report = rescreen_service.run(
                rt.sessions,
                rt.vault,
                SYSTEM,
                chunk_size=chunk_size,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except HealthError as exc:
        raise _fail(exc) from None
    console.print(
        f"ruleset {report.ruleset_version}: {report.officers} officers, "
        f"{report.rescreened} rescreened, {report.unchanged} already current"
    )
    changes = Table(title="findings that changed")
    for column in ("rule", "added", "removed"):
        changes.add_column(column)
    for rule in sorted(set(report.added) | set(report.removed)):
        changes.add_row(rule, str(report.added[rule]), str(report.removed[rule]))
    console.print(changes)


def _write_private(out: Path, data: bytes) -> None:
    """A file of health data, readable by its owner only (0600 from creation)."""
    import os

    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


@app.command()
def report(
    year: Annotated[list[int] | None, typer.Option(help="Year(s); default this and last.")] = None,
    session_id: Annotated[
        uuid.UUID | None,
        typer.Option("--session", help="Print the reports of a checkup session's officers."),
    ] = None,
    analysis_unit: Annotated[
        uuid.UUID | None,
        typer.Option("--analysis", help="Print the health analysis of a unit (and below) as PDF."),
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of a printed report: zh or en.")] = "zh",
    out: Annotated[Path | None, typer.Option(help="Where a printed report goes (PDF).")] = None,
) -> None:
    """Compute unit figures, the force health analysis and the units' appraisal over the whole
    force ahead of time (managers then read them); or, with --session or --analysis and --out,
    print a session's officer reports or a unit's health analysis as one PDF."""
    from api.jobs import figures_for
    from api.runtime import start
    from health.clock import utcnow

    if lang not in ("zh", "en"):
        raise typer.BadParameter("zh or en", param_hint="--lang")
    this_year = utcnow().year
    years = year or [this_year - 1, this_year]
    try:
        rt = start(_settings())
        if session_id is not None or analysis_unit is not None:
            if out is None:
                raise typer.BadParameter("a printed report needs --out FILE", param_hint="--out")
            if session_id is not None and analysis_unit is not None:
                raise typer.BadParameter("one printed report at a time", param_hint="--session")
            _print_report(rt, session_id, analysis_unit, lang, max(years), out)
            return
        for one in years:
            for line in figures_for(rt, one):
                console.print(line)
    except HealthError as exc:
        raise _fail(exc) from None


def _print_report(
    rt: Runtime,
    session_id: uuid.UUID | None,
    analysis_unit: uuid.UUID | None,
    lang: str,
    year: int,
    out: Path,
) -> None:
    from typing import cast

    from health.i18n import Lang
    from health.services.context import SYSTEM, Ctx

    chosen = cast(Lang, lang)
    with rt.sessions.begin() as session:
        ctx = Ctx(session, rt.vault, SYSTEM)
        if session_id is not None:
            from api.reports.officer_pdf import batch_pdf
            from health.services import session_reports

            reports = session_reports.session_reports(ctx, session_id, chosen, limit=None)
            _write_private(out, batch_pdf(reports))
            console.print(f"{len(reports)} officer reports written to {out}")
        elif analysis_unit is not None:
            from api.reports.analysis_pdf import analysis_pdf
            from health.services import analysis_summary

            summary = analysis_summary.summary(ctx, analysis_unit, year, chosen)
            _write_private(out, analysis_pdf(summary))
            console.print(f"health analysis {year} written to {out}")


@tasks_app.command("escalate")
def tasks_escalate() -> None:
    """Queue escalation notices for overdue tasks (outbox; a rerun queues nothing twice)."""
    from api.jobs import escalate
    from api.runtime import start

    try:
        console.print(escalate(start(_settings())))
    except HealthError as exc:
        raise _fail(exc) from None


@tasks_app.command("remind")
def tasks_remind() -> None:
    """Queue reminders: officers for their rechecks, medics for tasks due soon."""
    from api.jobs import remind
    from api.runtime import start

    try:
        console.print(remind(start(_settings())))
    except HealthError as exc:
        raise _fail(exc) from None


@outbox_app.command("deliver")
def outbox_deliver() -> None:
    """Send pending notices through the SMTP relay (OH_SMTP_*); each is marked once sent."""
    from api.jobs import notifier
    from api.runtime import start
    from health.services import followup_jobs
    from health.services.context import SYSTEM

    settings = _settings()
    try:
        rt = start(settings)
        report = followup_jobs.deliver(rt.sessions, rt.vault, SYSTEM, notifier(settings))
    except HealthError as exc:
        raise _fail(exc) from None
    console.print(f"{report.sent} sent, {report.failed} failed")
    for reason, count in sorted(report.reasons.items(), key=lambda item: -item[1]):
        console.print(f"[red]{count} failed[/]: {reason}")
    if report.failed:
        raise typer.Exit(code=1)


def _read_password(generate: bool) -> str:
    import sys

    from health.services.accounts import generate_password

    if generate:
        password = generate_password()
        console.print(f"generated password (shown once): {password}")
        return password
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[
        str, typer.Option(help="officer, medic, unit_manager, auditor, admin or integrator")
    ],
    unit: Annotated[list[str] | None, typer.Option(help="unit code (medics, managers)")] = None,
    officer_id: Annotated[uuid.UUID | None, typer.Option()] = None,
    generate: Annotated[bool, typer.Option(help="generate and print a password")] = False,
) -> None:
    """Create an account (password from stdin, a prompt, or --generate)."""
    from api.runtime import start
    from health.services import accounts, units
    from health.services.context import SYSTEM, Ctx

    password = _read_password(generate)
    try:
        rt = start(_settings())
        with rt.sessions.begin() as session:
            ctx = Ctx(session, rt.vault, SYSTEM)
            unit_ids = [units.by_code(ctx, code).id for code in unit or []]
            user = accounts.create_user(
                ctx,
                rt.auth,
                username=username,
                role=role,
                password=password,
                unit_ids=unit_ids,
                officer_id=officer_id,
            )
    except HealthError as exc:
        raise _fail(exc) from None
    console.print(f"created {role} {username} ({user.id})")


@users_app.command("disable")
def users_disable(username: str, enable: bool = False) -> None:
    """Disable (or --enable) an account; disabling ends its sessions."""
    from api.runtime import start
    from health.services import accounts
    from health.services.context import SYSTEM, Ctx

    try:
        rt = start(_settings())
        with rt.sessions.begin() as session:
            ctx = Ctx(session, rt.vault, SYSTEM)
            accounts.set_disabled(ctx, accounts.user_id_of(ctx, username), not enable)
    except HealthError as exc:
        raise _fail(exc) from None
    console.print(f"{username} {'enabled' if enable else 'disabled'}")


@users_app.command("reset")
def users_reset(username: str, generate: bool = False) -> None:
    """Set a new password (stdin, prompt or --generate); ends the account's sessions."""
    from api.runtime import start
    from health.services import accounts
    from health.services.context import SYSTEM, Ctx

    password = _read_password(generate)
    try:
        rt = start(_settings())
        with rt.sessions.begin() as session:
            ctx = Ctx(session, rt.vault, SYSTEM)
            accounts.reset_password(ctx, rt.auth, accounts.user_id_of(ctx, username), password)
    except HealthError as exc:
        raise _fail(exc) from None
    console.print(f"password of {username} reset; lockout cleared")


from api.cli_selfcare import selfcare_app  # noqa: E402 - registered last, like a plugin
from api.cli_worker import jobs_app, worker  # noqa: E402

app.add_typer(selfcare_app, name="selfcare")
app.add_typer(jobs_app, name="jobs")
app.command("worker")(worker)


ml_app = typer.Typer(
    help="Risk model: train on the store's history, promote.", no_args_is_help=True
)
app.add_typer(ml_app, name="ml")


@ml_app.command("train")
def ml_train(
    synthetic: Annotated[
        int, typer.Option(help="train on a SYNTHETIC force of this many officers instead")
    ] = 0,
    seed: int = 7,
) -> None:
    """Train (temporal split), register with its manifest, print the report; not promoted."""
    import json

    from api.runtime import start
    from health.services import risk_history, risk_models
    from health.services.context import SYSTEM, Ctx
    from ml.questionnaire import as_codes
    from ml.scoring import with_derived
    from ml.synthetic import ForceShape, force

    try:
        rt = start(_settings())
        with rt.sessions.begin() as session:
            ctx = Ctx(session, rt.vault, SYSTEM)
            if synthetic:
                frame = force(ForceShape(officers=synthetic, seed=seed))
            else:
                frame = as_codes(with_derived(risk_history.history(ctx)))
            version, report = risk_models.train_and_register(ctx, frame, synthetic=bool(synthetic))
    except (HealthError, ValueError) as exc:
        detail = exc.detail if isinstance(exc, HealthError) else str(exc)
        console.print(f"[bold red]error:[/] {detail}")
        raise typer.Exit(code=2) from None
    print(
        json.dumps(
            {
                "version": version,
                "test_year": report.test_year,
                "train_years": report.train_years,
                "metrics": report.metrics,
                "skipped": report.skipped,
            },
            indent=2,
        )
    )
    console.print(f"registered model {version} (not active; `officer-health ml promote {version}`)")


@ml_app.command("promote")
def ml_promote(version: str) -> None:
    """Make a registered version active after checksum and type checks (audited)."""
    from api.runtime import start
    from health.services import risk_models
    from health.services.context import SYSTEM, Ctx

    rt = start(_settings())
    ctx = Ctx(rt.sessions(), rt.vault, SYSTEM)
    try:
        with ctx.session.begin():
            risk_models.promote(ctx, version)
    except HealthError as exc:
        with rt.sessions.begin() as session:
            for work in ctx.deferred:
                work(Ctx(session, rt.vault, SYSTEM))
        raise _fail(exc) from None
    console.print(f"model {version} is active")


if __name__ == "__main__":
    app()
