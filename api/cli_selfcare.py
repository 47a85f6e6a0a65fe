"""``officer-health selfcare``: equipment reminders and training imports from the command line
(the jobs a scheduler runs on SQLite; idempotent, so safe to run again)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from health.errors import HealthError
from health.settings import get_settings

selfcare_app = typer.Typer(help="Self-care: equipment reminders, training.", no_args_is_help=True)
console = Console(stderr=True)


@selfcare_app.command("remind")
def remind(
    within: Annotated[int, typer.Option(help="expiry horizon: 30, 60 or 90 days")] = 30,
) -> None:
    """Queue kit and device reminders for managers and holders (outbox; then `outbox deliver`)."""
    from api.runtime import start
    from health.services import followup_jobs, selfcare_equipment
    from health.services.context import SYSTEM, Ctx

    settings = get_settings()
    try:
        rt = start(settings)
        mail = followup_jobs.Mail(settings.mail_domain, settings.site_url)
        with rt.sessions.begin() as session:
            queued = selfcare_equipment.remind(
                Ctx(session, rt.vault, SYSTEM), mail=mail, within=within
            )
    except HealthError as exc:
        console.print(f"[bold red]error:[/] {exc.detail}")
        raise typer.Exit(code=2) from None
    console.print(f"{queued} equipment reminders queued")


@selfcare_app.command("training-import")
def training_import(
    file: Path,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="preview only")] = False,
    mode: Annotated[str, typer.Option(help="all | valid")] = "all",
) -> None:
    """Import training attendance (CSV/XLSX: badge_number, course, attended_on[, certificate])."""
    from api.runtime import start
    from health.services import selfcare_training
    from health.services.context import SYSTEM, Ctx

    if mode not in ("all", "valid"):
        console.print("[bold red]error:[/] --mode must be all or valid")
        raise typer.Exit(code=2)
    try:
        rt = start(get_settings())
        with rt.sessions.begin() as session:
            report = selfcare_training.import_attendance(
                Ctx(session, rt.vault, SYSTEM),
                file.read_bytes(),
                file.name,
                dry_run=dry_run,
                mode=mode,  # type: ignore[arg-type]
            )
    except HealthError as exc:
        console.print(f"[bold red]error:[/] {exc.detail}")
        raise typer.Exit(code=2) from None
    for error in report.errors:
        console.print(error.log_message())
    console.print(
        f"{report.status}: {report.rows_read} rows, {report.stored} stored, "
        f"{report.duplicates} already recorded, {report.rejected} rejected"
    )
    if report.status == "refused":
        raise typer.Exit(code=1)
