"""Issue 17 acceptance 5: the peak memory of one ``officer-health import FILE`` process, the way
an operator runs it, for N NHANES-resampled checkups in one file (target < 2 GiB at 1 million).

The officers are registered first (untimed); the import runs as the real CLI in a child process,
which reports its own peak resident set (``VmHWM`` of its address space, read as it exits). Not
``wait4``'s ``ru_maxrss``: Linux carries the high-water mark of the image a child replaced at
``exec`` into it, and Python starts children with ``vfork``, so that figure was the benchmark's
own peak (the NHANES frame and the registration, growing with N), not the import's.
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
# The CLI, run in this interpreter, saying its own peak resident set as it exits.
OWN_PEAK = (
    "import sys\n"
    "from api.cli import app\n"
    "try:\n"
    "    app(sys.argv[1:], prog_name='officer-health')\n"
    "finally:\n"
    "    hwm = next(line for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
    "    sys.stderr.write('PEAK_KB ' + hwm.split()[1] + '\\n')\n"
)


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
        command = [sys.executable, "-c", OWN_PEAK, "import", str(path)]
        command += ["--dry-run"] if dry_run else []
        started = time.perf_counter()
        done = subprocess.run(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        seconds = time.perf_counter() - started
        assert done.returncode == 0, done.stderr[-3000:]
        peak_kb = int(done.stderr.rsplit("PEAK_KB ", 1)[1].split()[0])
    return {
        "n": n,
        "file_mb": size_mb,
        "seconds": seconds,
        "peak_rss_mib": peak_kb / 1024,
        "dry_run": dry_run,
    }
