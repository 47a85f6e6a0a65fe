"""`make bench`: every benchmark, printed with its baseline and target. BENCH_N scales the size."""

from __future__ import annotations

import os

from rich.console import Console
from rich.table import Table

from benchmarks import storage
from benchmarks.common import backends


def main() -> None:
    console = Console()
    n = int(os.environ.get("BENCH_N", "100000"))
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


if __name__ == "__main__":
    main()
