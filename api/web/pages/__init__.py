"""Page routers, one module per use case (listed here so the app installs them all)."""

from __future__ import annotations

from fastapi import APIRouter

from api.web.pages import auth, medic, officer, roster, staff, tasks, unit_pages, uploads

PAGE_ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    officer.router,
    roster.router,
    medic.router,
    uploads.router,
    tasks.router,
    unit_pages.router,
    staff.router,
)
