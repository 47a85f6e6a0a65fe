"""HTML to PDF for every printed report: one Jinja2 environment, and per thread one WeasyPrint
font configuration and one parsed stylesheet, reused from report to report.

Parsing the stylesheet and building the font configuration are a fixed cost per document
otherwise; Pango's font map is not shared between threads, so each request thread keeps its
own (the route threads are few and long-lived).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

TEMPLATES = Path(__file__).parent / "templates"
_local = threading.local()


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _style() -> tuple[FontConfiguration, CSS]:
    cached: tuple[FontConfiguration, CSS] | None = getattr(_local, "style", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        css = CSS(filename=str(TEMPLATES / "report.css"), font_config=fonts)
        cached = (fonts, css)
        _local.style = cached
    return cached


def pdf_of_many(htmls: Sequence[str]) -> bytes:
    """Several documents, each laid out on its own (page numbers restart), as one PDF."""
    from weasyprint import HTML

    fonts, css = _style()
    documents = [HTML(string=h).render(stylesheets=[css], font_config=fonts) for h in htmls]
    pages = [page for document in documents for page in document.pages]
    pdf = documents[0].copy(pages).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def pdf_bytes(html: str) -> bytes:
    """A self-contained HTML document laid out on A4 pages with the reports' stylesheet."""
    from weasyprint import HTML  # ~50 MB: loaded on the first PDF, not by every serving process

    fonts, css = _style()
    pdf = HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)
    assert pdf is not None
    return bytes(pdf)
