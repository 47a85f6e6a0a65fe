"""Printed reports read back as a reader would: the PDF and its pages as PNG (``pdftoppm``)
kept under ``var/artefacts/reports/`` (CI keeps them), and the text layer (``pdftotext``)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "artefacts" / "reports"


def flat(text: str) -> str:
    """pdftotext breaks lines and spaces where the layout does; compare without whitespace."""
    return re.sub(r"\s+", "", text)


def read_pdf(pdf: bytes, stem: str, *, layout: bool = True, pages: bool = True) -> str:
    """The text layer of ``pdf``, after keeping it (and, with ``pages``, its PNG pages)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{stem}.pdf"
    path.write_bytes(pdf)
    if pages:
        for old in ARTEFACTS.glob(f"{stem}-*.png"):
            old.unlink()
        command = ["pdftoppm", "-png", "-r", "80", str(path), str(ARTEFACTS / stem)]
        subprocess.run(command, check=True)
        assert sorted(ARTEFACTS.glob(f"{stem}-*.png")), "pdftoppm produced no page"
    done = subprocess.run(
        ["pdftotext", *(["-layout"] if layout else []), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout
