"""The menu of each role: only pages the role may open (the services still check each one)."""

from __future__ import annotations

from dataclasses import dataclass

from api.web.messages import N_
from health.vocabulary import Role


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str


NAV: dict[str, tuple[NavItem, ...]] = {
    Role.OFFICER: (
        NavItem("/me", N_("My record")),
        NavItem("/me/access", N_("Who accessed my record")),
    ),
    Role.MEDIC: (
        NavItem("/officers", N_("Officers")),
        NavItem("/checkups/new", N_("Enter a checkup")),
        NavItem("/uploads", N_("Upload a session")),
        NavItem("/tasks", N_("Tasks")),
        NavItem("/units", N_("Units")),
    ),
    Role.MANAGER: (
        NavItem("/tasks", N_("Worklist")),
        NavItem("/units", N_("Units")),
    ),
    Role.AUDITOR: (NavItem("/audit", N_("Audit trail")),),
    Role.ADMIN: (
        NavItem("/admin/users", N_("Accounts")),
        NavItem("/admin/units", N_("Units")),
    ),
}
HOME = {role: items[0].path for role, items in NAV.items()}


def nav_for(role: str) -> tuple[NavItem, ...]:
    return NAV.get(role, ())
