"""The ``officer-health`` command line; heavy imports happen inside commands for a quick start."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from rich.console import Console

from health.errors import HealthError
from health.settings import Settings, get_settings

app = typer.Typer(
    help="Officer Health: occupational health record and screening.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
keys_app = typer.Typer(help="Key management.", no_args_is_help=True)
officers_app = typer.Typer(help="Officer records.", no_args_is_help=True)
audit_app = typer.Typer(help="Audit trail.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(officers_app, name="officers")
app.add_typer(audit_app, name="audit")

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
    """Seed a synthetic demo force (once; does nothing when units already exist)."""
    from api.runtime import start
    from health.services import demo as demo_service
    from health.services.context import SYSTEM, Ctx

    try:
        rt = start(_settings())
    except HealthError as exc:
        raise _fail(exc) from None
    with rt.sessions.begin() as session:
        report = demo_service.seed(
            Ctx(session, rt.vault, SYSTEM), officers_per_station=officers_per_station, years=years
        )
    if report.created:
        console.print(
            f"demo force: {report.units} units, {report.officers} officers, "
            f"{report.checkups} checkups"
        )
    else:
        console.print("demo data already present; nothing done")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Start the HTTP service (refuses to start on a missing or mismatched keyring)."""
    import uvicorn

    from api.app import create_app
    from api.runtime import start

    settings = _settings()
    try:
        rt = start(settings)
    except HealthError as exc:
        raise _fail(exc) from None
    console.print(
        f"API token for this instance is in {settings.api_token_file}"
        if settings.api_token is None
        else "API token from OH_API_TOKEN"
    )
    uvicorn.run(
        create_app(settings, rt),
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level.lower(),
    )


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
def audit_verify() -> None:
    """Check the audit hash chain; names the first broken row."""
    from api.runtime import start
    from health.services import audit

    try:
        rt = start(_settings())
    except HealthError as exc:
        raise _fail(exc) from None
    with rt.sessions() as session:
        report = audit.verify(session, rt.vault.hasher)
    if report.ok:
        console.print(f"audit chain intact: {report.checked} events")
        return
    console.print(f"[bold red]audit chain broken[/] at row {report.broken_seq}: {report.reason}")
    raise typer.Exit(code=1)


if __name__ == "__main__":
    app()
