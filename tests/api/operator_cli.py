"""The ``officer-health`` command for tests: in this process by default, as a real process when
what is tested is the process itself (its entry point, its exit status, its start-up checks).

In process, each call reads its settings afresh from the environment it is given, exactly as a
new process would; what it saves is a Python start-up and import per call (seconds each).
"""

from __future__ import annotations

import gc
import os
import subprocess
import warnings
from pathlib import Path

from sqlalchemy import Connection, Engine, event
from typer.testing import CliRunner, Result

from api.cli import app
from health.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
EXECUTABLE = str(ROOT / ".venv" / "bin" / "officer-health")


class Cli:
    """``cli("audit", "verify", expect=1)`` runs one command against one database and ``var``."""

    def __init__(self, url: str, var: Path, *, process: bool = False) -> None:
        self.env = {"OH_DATABASE_URL": url, "OH_VAR_DIR": str(var)}
        self.process = process

    def __call__(self, *args: str, expect: int = 0) -> str:
        if self.process:
            done = subprocess.run(
                [EXECUTABLE, *args],
                env={**os.environ, **self.env},
                capture_output=True,
                text=True,
                timeout=180,
            )
            output, status = done.stdout + done.stderr, done.returncode
        else:
            result = self._in_process(args)
            output, status = result.output, result.exit_code
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
        assert status == expect, output
        return output

    def _in_process(self, args: tuple[str, ...]) -> Result:
        """One command, then what a process exit would close: its engines' connections."""
        engines: set[Engine] = set()

        def opened(connection: Connection) -> None:
            engines.add(connection.engine)

        event.listen(Engine, "engine_connect", opened)
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, list(args), env=self.env)
        finally:
            get_settings.cache_clear()
            event.remove(Engine, "engine_connect", opened)
            for engine in engines:
                engine.dispose()
            # A connection a command left checked out is closed by the exit of a real process;
            # here the collector closes it, and its "deleted while open" warning is that exit's.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                gc.collect()
