"""Issue 17 acceptance 5: the peak memory of one ``officer-health import FILE`` process, the way
an operator runs it, for N NHANES-resampled checkups in one file (target < 2 GiB at 1 million).

The officers are registered first (untimed, another process); the import runs as the real CLI
in a child process and its peak resident set is read from the kernel's accounting of that child
(``wait4`` rusage), so the figure is the import's own and not the benchmark's.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from api.runtime import start
from benchmarks.common import scratch_database
from benchmarks.ingest import nhanes_session
from health.services import officers, units
from health.services.context import SYSTEM, Ctx
from health.settings import Settings

REGISTER_BATCH = 5000
CLI = str(Path(sys.executable).with_name("officer-health"))


def run(backend: str, n: int, *, dry_run: bool = False) -> dict[str, Any]:
    """Peak RSS (MiB) and seconds of the import process for ``n`` checkups in one CSV file."""
    frame, badges, people = nhanes_session(n)
    with tempfile.TemporaryDirectory() as tmp, scratch_database(backend) as url:
        var = Path(tmp) / "var"
        rt = start(Settings(var_dir=var, database_url=url))
        with rt.sessions.begin() as session:
            ctx = Ctx(session, rt.vault, SYSTEM)
            unit = units.create(ctx, code="MEM", name="Memory", kind="force", parent_id=None)
        for start_at in range(0, n, REGISTER_BATCH):
            with rt.sessions.begin() as session:
                officers.register_many(
                    Ctx(session, rt.vault, SYSTEM),
                    [
                        officers.OfficerIn(unit.id, badge, f"Officer {badge}", born, sex)
                        for badge, (born, sex) in zip(
                            badges[start_at : start_at + REGISTER_BATCH],
                            people[start_at : start_at + REGISTER_BATCH],
                            strict=True,
                        )
                    ],
                )
        rt.engine.dispose()
        path = Path(tmp) / "session.csv"
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        del frame, buffer
        env = {**os.environ, "OH_DATABASE_URL": url, "OH_VAR_DIR": str(var)}
        command = [CLI, "import", str(path)] + (["--dry-run"] if dry_run else [])
        started = time.perf_counter()
        child = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        assert os.waitstatus_to_exitcode(status) == 0, child.stderr.read() if child.stderr else ""
    return {
        "n": n,
        "file_mb": size_mb,
        "seconds": seconds,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "dry_run": dry_run,
    }
