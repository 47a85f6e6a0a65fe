"""`make bench`: every benchmark, printed with its baseline and target.

BENCH_N scales the data sizes, BENCH_SECONDS the load duration (BENCH_STALL_SECONDS the
api's 200-connection no-stall run, default 30; 0 skips it), BENCH_ONLY picks some
(comma-separated: storage, screening, ingest, memory, worklist, web, reports, api, risk, fhir;
BENCH_MEMORY_N sizes the memory run, default 1,000,000, BENCH_MEMORY_MODES picks dry-run and/or
import). BENCH_PROFILE=1 adds a cProfile of one PostgreSQL ingest run and of one live
unit-figures request; BENCH_REPS and BENCH_LIVE_REPS set the worklist benchmark's repetitions
(200, 20).
"""

from __future__ import annotations

import os

from rich.console import Console
from rich.table import Table

from benchmarks import (
    api,
    fhir_export,
    ingest,
    memory,
    nhanes,
    reports,
    risk,
    screening,
    storage,
    web,
    worklist,
)
from benchmarks.common import backends, postgres_available


def _storage(console: Console, n: int) -> None:
    table = Table(title=f"storage: seal + blind index + insert, {n:,} officers + 1 checkup each")
    for column in ("backend", "plain rows/s", "sealed rows/s", "sealed/plain", "target ≤ 3×"):
        table.add_column(column, justify="right")
    for backend in backends():
        figures = storage.run(backend, n)
        table.add_row(
            backend,
            f"{figures['plain_rows_s']:,.0f}",
            f"{figures['sealed_rows_s']:,.0f}",
            f"{figures['ratio']:.2f}×",
            "met" if figures["ratio"] <= 3 else "MISSED",
        )
    console.print(table)


def _risk(console: Console, n: int) -> None:
    figures = risk.run(n)
    table = Table(title=f"risk: {n:,} checkups, every enabled equation (and the active model)")
    for column in ("path", "checkups/s", "× bare numpy", "target"):
        table.add_column(column, justify="right")
    table.add_row("bare numpy (same equations)", f"{figures['bare_per_s']:,.0f}", "1.00×", "")
    eq_met = figures["equations_per_s"] >= 100_000 and figures["equations_ratio"] <= 2
    table.add_row(
        "equations (score_frame)",
        f"{figures['equations_per_s']:,.0f}",
        f"{figures['equations_ratio']:.2f}×",
        ("met" if eq_met else "MISSED") + " (≥100,000/s, ≤2×)",
    )
    table.add_row(
        "equations + active model",
        f"{figures['with_model_per_s']:,.0f}",
        f"{figures['with_model_ratio']:.2f}×",
        "met" if figures["with_model_ratio"] <= 2 else "MISSED (≤2×)",
    )
    console.print(table)


def _api(console: Console, seconds: int, stall_seconds: int) -> None:
    for backend in backends():
        results, profile = api.run(backend, seconds=seconds, stall_seconds=stall_seconds)
        table = Table(title=f"api: 50 concurrent clients (wrk), 2 uvicorn workers, {backend}")
        for column in ("route", "requests/s", "p50 ms", "p99 ms", "non-2xx", "errors", "target"):
            table.add_column(column, justify="right")
        hello = results["hello (/healthz, no auth)"]
        for name, figures in results.items():
            target = ""
            if name.startswith("own record"):
                met = figures["rps"] >= 1000 and figures["p99_ms"] <= 50
                target = (
                    ("met" if met else "MISSED")
                    + " (≥1,000/s, p99 ≤ 50 ms); "
                    + f"{figures['rps'] / hello['rps']:.2f}× hello"
                )
            elif name == api.STALL:
                kept = figures["rps"] > 0 and figures["non2xx"] + figures["socket_errors"] == 0
                target = (
                    "met" if kept else "MISSED"
                ) + f" ({stall_seconds} s: no error, p99 shown)"
            table.add_row(
                name,
                f"{figures['rps']:,.0f}",
                f"{figures['p50_ms']:.1f}",
                f"{figures['p99_ms']:.1f}",
                f"{figures['non2xx']:.0f}",
                f"{figures['socket_errors']:.0f}",
                target,
            )
        console.print(table)
        phases = Table(title=f"api: one GET /api/v1/me in-process, {backend} (ms per phase)")
        phases.add_column("phase")
        phases.add_column("ms", justify="right")
        for phase, ms in profile.items():
            phases.add_row(phase, f"{ms:.3f}")
        console.print(phases)


def _screening(console: Console, n: int) -> None:
    for source in ["synthetic"] + (["nhanes"] if nhanes.available() else []):
        _screening_one(console, n, source)


def _screening_one(console: Console, n: int, source: str) -> None:
    figures = screening.run(n, source)
    table = Table(
        title=f"screening ({source}): {n:,} checkups × {figures['results']:.0f} results, "
        f"{figures['findings']:,.0f} findings, {figures['tasks']:,.0f} task plans, default ruleset"
    )
    for column in ("pass", "seconds", "checkups/s", "vs baseline", "target"):
        table.add_column(column, justify="right")
    base = figures["plain_s"]
    table.add_row("baseline: plain pandas thresholds", f"{base:.3f}", f"{n / base:,.0f}", "1×", "")
    for label, key in (
        ("screen_columns (bulk path: provenance per rule block)", "columns_s"),
        ("screen_frame (provenance per finding)", "screen_s"),
    ):
        rate = n / figures[key]
        ratio = figures[key] / base
        met = rate >= 50_000
        table.add_row(
            label,
            f"{figures[key]:.3f}",
            f"{rate:,.0f}",
            f"{ratio:.1f}×",
            ("met" if met else "MISSED") + " (≥50,000/s)",
        )
    table.add_row(
        "plan_frame (task plans)",
        f"{figures['plan_s']:.3f}",
        f"{n / figures['plan_s']:,.0f}",
        f"{figures['plan_s'] / base:.1f}×",
        "",
    )
    console.print(table)


def _ingest(console: Console, n: int) -> None:
    profile = os.environ.get("BENCH_PROFILE") == "1"
    sources = ["synthetic"] + (["nhanes"] if nhanes.available() else [])
    table = Table(
        title=f"ingest: wide CSV → imports.run → sealed rows, screened, tasks planned; {n:,} "
        "officers (synthetic: ~45 analytes; nhanes: NHANES 2017-2018 adults resampled whole)"
    )
    for column in (
        "data",
        "backend",
        "checkups/s",
        "results/s",
        "bare load rows/s",
        "import/bare",
        "read / resolve / store (screening) s",
        "tallied / tasks per checkup",
        "peak RSS MiB",
        "target",
    ):
        table.add_column(column, justify="right")
    profiles = []
    for source in sources:
        for backend in backends():
            figures = ingest.run(
                backend, n, profile=profile and backend == "postgresql", source=source
            )
            phases = figures["phases"]
            fast, close = figures["checkups_s"] >= 20_000, figures["ratio"] <= 3
            target = f"≥20,000/s {'met' if fast else 'MISSED'}; ≤3× {'met' if close else 'MISSED'}"
            table.add_row(
                source,
                backend,
                f"{figures['checkups_s']:,.0f}",
                f"{figures['results_s']:,.0f}",
                f"{figures['bare_rows_s']:,.0f}",
                f"{figures['ratio']:.1f}×",
                " / ".join(f"{phases.get(k, 0):.2f}" for k in ("read", "resolve", "store"))
                + f" ({phases.get('screening', 0):.2f})",
                f"{figures['tallied_per_checkup']:.2f} / {figures['tasks_per_checkup']:.2f}",
                f"{figures['peak_rss_mib']:,.0f}",
                target,
            )
            profiles.append(figures["profile"])
    console.print(table)
    for text in filter(None, profiles):
        console.print(text, markup=False, highlight=False)


def _memory(console: Console, n: int) -> None:
    table = Table(
        title=f"memory: one `officer-health import FILE` process, {n:,} NHANES checkups "
        "in one CSV (BENCH_MEMORY_N)"
    )
    for column in ("backend", "mode", "file MB", "seconds", "peak RSS MiB", "target"):
        table.add_column(column, justify="right")
    modes = os.environ.get("BENCH_MEMORY_MODES", "dry-run,import").split(",")
    for backend in backends()[-1:]:
        for dry_run in [mode == "dry-run" for mode in modes]:
            figures = memory.run(backend, n, dry_run=dry_run)
            rss = figures["peak_rss_mib"]
            table.add_row(
                backend,
                "dry run" if dry_run else "import",
                f"{figures['file_mb']:,.1f}",
                f"{figures['seconds']:,.1f}",
                f"{rss:,.0f}",
                ("met" if rss < 2048 else "MISSED") + f" (< 2 GiB; at {n:,} checkups)",
            )
    console.print(table)


def _worklist(console: Console, n: int) -> None:
    reps = int(os.environ.get("BENCH_REPS", "200"))
    live = int(os.environ.get("BENCH_LIVE_REPS", "20"))
    for backend in backends():
        _worklist_one(console, n, reps, live, backend)


def _worklist_one(console: Console, n: int, reps: int, live: int, backend: str) -> None:
    figures = worklist.run(n, repetitions=reps, live_repetitions=live, backend=backend)
    force = figures["force"]
    table = Table(
        title=f"worklist: {force.officers:,} officers, {force.tasks:,} tasks, {backend}; "
        f"a manager of a bureau of {force.bureau_officers:,} officers "
        f"({figures['overdue_in_bureau']:,} open overdue tasks); load {figures['load_s']:.0f} s"
    )
    for column in ("path", "reps", "p50 ms", "p99 ms", "bare SQL p50/p99", "p99 ratio", "target"):
        table.add_column(column, justify="right")
    rows = (
        ("worklist (overdue, by due, 50)", "worklist", "worklist_sql", 50.0),
        ("figures, stored", "figures", "figures_sql", 200.0),
        ("figures, live", "figures_live", "figures_sql", 200.0),
    )
    for label, key, base, target in rows:
        got, bare = figures[key], figures[base]
        table.add_row(
            label,
            f"{got['n']}",
            f"{got['p50_ms']:.1f}",
            f"{got['p99_ms']:.1f}",
            f"{bare['p50_ms']:.1f} / {bare['p99_ms']:.1f}" if bare else "n/a (PostgreSQL SQL)",
            f"{got['p99_ms'] / bare['p99_ms']:.1f}×" if bare else "",
            f"≤ {target:.0f} ms " + ("met" if got["p99_ms"] <= target else "MISSED"),
        )
    console.print(table)
    console.print(f"report job (whole force, one year): {figures['report_s']:.2f} s")
    if figures["profile"]:
        console.print(figures["profile"], markup=False, highlight=False)


def _web(console: Console, n: int) -> None:
    if not postgres_available():
        console.print("web: skipped, PostgreSQL not reachable")
        return
    figures = web.run(n, repetitions=int(os.environ.get("BENCH_REPS", "200")))
    table = Table(
        title=f"web pages: {figures['officers']:,} officers, {figures['tasks']:,} tasks, "
        f"PostgreSQL, in-process requests; load {figures['load_s']:.0f} s"
    )
    for column in ("page", "reps", "p50 ms", "p99 ms", "JSON p50/p99", "p99 ratio", "target"):
        table.add_column(column, justify="right")
    rows = (
        (
            f"officer record ({figures['checkups']} checkups, {figures['charts']} charts) "
            "vs /me/record + /me/trends + /me/tasks",
            "record_page",
            "record_json",
        ),
        ("manager worklist (overdue, 50) vs /api/v1/tasks", "worklist_page", "worklist_json"),
    )
    for label, key, base in rows:
        got, bare = figures[key], figures[base]
        table.add_row(
            label,
            f"{got['n']}",
            f"{got['p50_ms']:.1f}",
            f"{got['p99_ms']:.1f}",
            f"{bare['p50_ms']:.1f} / {bare['p99_ms']:.1f}",
            f"{got['p99_ms'] / bare['p99_ms']:.2f}×",
            "≤ 100 ms " + ("met" if got["p99_ms"] <= 100 else "MISSED"),
        )
    console.print(table)


def _reports(console: Console, n: int) -> None:
    figures = reports.run_analysis(n)
    table = Table(
        title=f"analysis: {n:,} officers × {reports.YEARS} years, {figures['cells']:,.0f} cells"
    )
    for column in ("pass", "seconds", "vs baseline", "target"):
        table.add_column(column, justify="right")
    table.add_row(
        "baseline: bare pandas thresholds + groupby", f"{figures['bare_s']:.2f}", "1×", ""
    )
    met = figures["analysis_s"] < 30 * n / 100_000
    scale = "" if n == 100_000 else f", scaled to {n:,}: {30 * n / 100_000:.1f} s"
    table.add_row(
        "force analysis (derived, conditions, prevalence, CIs, suppression)",
        f"{figures['analysis_s']:.2f}",
        f"{figures['ratio']:.1f}×",
        ("met" if met else "MISSED") + f" (< 30 s at 100k × 5{scale})",
    )
    console.print(table)
    pdf = reports.run_pdf()
    table = Table(
        title=f"officer report PDF: 5 checkups, zh, {pdf['bytes'] / 1024:,.0f} KiB, median of 5"
    )
    for column in ("pass", "seconds", "vs baseline", "target"):
        table.add_column(column, justify="right")
    table.add_row("baseline: WeasyPrint one-line page", f"{pdf['bare_s']:.3f}", "1×", "")
    table.add_row(
        "annual report (read, audit, HTML, SVG charts, PDF)",
        f"{pdf['pdf_s']:.3f}",
        f"{pdf['ratio']:.1f}×",
        ("met" if pdf["pdf_s"] < 1 else "MISSED") + " (< 1 s)",
    )
    console.print(table)


def _fhir(console: Console, n: int) -> None:
    table = Table(
        title=f"FHIR $export: {n:,} officers' Observations as NDJSON vs a bare JSON dump of the "
        "same rows"
    )
    for column in ("backend", "pass", "lines", "seconds", "lines/s", "bare/export"):
        table.add_column(column, justify="right")
    for backend in backends():
        figures = fhir_export.run(backend, n)
        table.add_row(
            backend,
            "bare dump (open + json.dumps per value)",
            f"{figures['bare_lines']:,}",
            f"{figures['bare_s']:.2f}",
            f"{figures['bare_per_s']:,.0f}",
            "1×",
        )
        table.add_row(
            backend,
            "$export (scope, grade, build, validate, audit, seal)",
            f"{figures['observations']:,}",
            f"{figures['export_s']:.2f}",
            f"{figures['export_per_s']:,.0f}",
            f"{figures['ratio']:.1f}×",
        )
    console.print(table)


def main() -> None:
    console = Console()
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    if not only or "storage" in only:
        _storage(console, int(os.environ.get("BENCH_N", "100000")))
    if not only or "screening" in only:
        _screening(console, int(os.environ.get("BENCH_N", "100000")))
    if not only or "ingest" in only:
        _ingest(console, int(os.environ.get("BENCH_N", "100000")))
    if not only or "memory" in only:
        _memory(console, int(os.environ.get("BENCH_MEMORY_N", "1000000")))
    if not only or "worklist" in only:
        _worklist(console, int(os.environ.get("BENCH_N", "100000")))
    if not only or "web" in only:
        _web(console, int(os.environ.get("BENCH_N", "100000")))
    if not only or "reports" in only:
        _reports(console, int(os.environ.get("BENCH_N", "100000")))
    if not only or "risk" in only:
        _risk(console, int(os.environ.get("BENCH_N", "100000")))
    if not only or "fhir" in only:
        _fhir(console, int(os.environ.get("BENCH_N", "100000")))
    if not only or "api" in only:
        _api(
            console,
            int(os.environ.get("BENCH_SECONDS", "15")),
            int(os.environ.get("BENCH_STALL_SECONDS", "30")),
        )


if __name__ == "__main__":
    main()
