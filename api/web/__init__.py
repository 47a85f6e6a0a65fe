"""Server-rendered pages for medics, officers, unit managers, auditors and admins.

They call the same services as the JSON API (so the same authorization and audit apply), in
zh-CN by default and English, with cookie sessions, CSRF tokens and a strict CSP.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.web.headers import WebHeaders
from api.web.pages import PAGE_ROUTERS

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Add the pages, their static assets and their security headers to the app."""
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(WebHeaders)
