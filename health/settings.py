"""Runtime configuration, read from ``OH_*`` environment variables only when asked for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the service needs to start; defaults give the embedded development setup."""

    model_config = SettingsConfigDict(env_prefix="OH_", extra="ignore")

    var_dir: Path = Path("var")
    database_url: str | None = None
    keyring_file: Path | None = None
    # JSON keyring given as a secret (environment provider); wins over the file when set.
    keyring: SecretStr | None = None
    # Create a fresh development keyring when none exists and the database holds no sealed data.
    keyring_create: bool = True
    access_token_minutes: int = 15
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    login_lockout_threshold: int = 5
    login_lockout_minutes: int = 15
    # Per client address, on the token, refresh and password-change routes (429 past it).
    login_rate_per_minute: float = 30.0
    login_rate_burst: int = 30
    # A medic covering more units than this (or the whole force) needs a second admin.
    wide_scope_units: int = 10
    emergency_max_minutes: int = 240
    # "production" (argon2id tuned to 20–50 ms) or "fast-insecure" (tests only).
    password_profile: str = "production"  # noqa: S105 - a profile name, not a secret
    host: str = "127.0.0.1"
    port: int = 8000
    rotation_batch_size: int = 500
    log_level: str = "INFO"
    # Follow-up notices: the SMTP relay, and how staff addresses are formed (username@domain).
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_sender: str = "officer-health@localhost"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    mail_domain: str = "localhost"
    site_url: str = ""
    # Escalation ladder after the due date, in hours (own unit, parent, grandparent ...).
    escalation_delay_hours: tuple[float, ...] = (72.0, 240.0, 720.0)
    # Concurrency: per worker process, at most ``max_in_flight`` requests hold a database
    # connection and a thread at once (default: the pool size); a request that waits longer
    # than ``queue_timeout_seconds`` for a slot gets 503 with Retry-After, never a hang.
    db_pool_size: int = 8
    max_in_flight: int | None = None
    queue_timeout_seconds: float = 10.0
    retry_after_seconds: int = 2
    # The in-process audit sequencer's period (0: off; run ``audit sequence`` or the worker).
    audit_sequence_seconds: float = 1.0
    # The background worker (``officer-health worker``, PostgreSQL): jobs run at once, its
    # heartbeat period, and how long without a heartbeat before a worker counts as gone and the
    # jobs it was running are run again (its name defaults to the host name).
    worker_concurrency: int = 4
    worker_name: str | None = None
    worker_heartbeat_seconds: float = 10.0
    worker_stalled_seconds: float = 30.0
    # Officers per transaction in the scheduled rescreen (a killed run loses one chunk at most).
    job_chunk_size: int = 1000
    # How long a checked session may be reused from memory (data keys never are: each
    # request unwraps the one it needs and drops it).
    session_cache_seconds: float = 5.0
    # Request bodies: JSON small; uploads streamed to a bounded temporary file.
    max_json_bytes: int = 1024 * 1024
    max_upload_bytes: int = 32 * 1024 * 1024
    max_json_depth: int = 64

    @property
    def resolved_database_url(self) -> str:
        """The explicit URL, or the SQLite file under ``var_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'officer-health.db').resolve()}"

    @property
    def in_flight_limit(self) -> int:
        return self.max_in_flight or self.db_pool_size

    @property
    def resolved_keyring_file(self) -> Path:
        return self.keyring_file or self.var_dir / "keyring.json"

    @property
    def demo_credentials_file(self) -> Path:
        return self.var_dir / "demo-credentials.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Build settings once, lazily, so importing a module never reads the environment."""
    return Settings()
