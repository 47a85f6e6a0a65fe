"""Portal accounts for a whole unit in one step: one officer-role login per officer who has none.

Usernames are random (``p-`` and ten letters/digits): a badge number as username would put an
identifier in clear in the database and in every login log line. The one-time passwords come
back once, to the medic who hands them out; only their argon2id hashes are stored.
"""

from __future__ import annotations

import secrets
import string
import uuid
from dataclasses import dataclass

from health.services import access, audit
from health.services.accounts import AuthPolicy, generate_password
from health.services.audit import EventSpec
from health.services.context import OFFICER, Ctx
from health.services.officer_directory import open_personal
from health.vocabulary import Action
from models.repositories import officer_roster as roster_repo
from models.repositories import units as units_repo

_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class PortalAccount:
    officer_id: uuid.UUID
    unit_code: str
    badge_number: str
    name: str
    username: str
    password: str


def new_username() -> str:
    return "p-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def create_for_unit(ctx: Ctx, policy: AuthPolicy, unit_id: uuid.UUID) -> list[PortalAccount]:
    """Accounts for every officer in the unit subtree without one; running it again creates
    only those added since (officers who already have an account are skipped)."""
    access.require(ctx, Action.USER_CREATE_PORTAL)
    access.require_unit(ctx, unit_id, action="user.create_portal")
    unit = units_repo.get(ctx.session, unit_id)
    assert unit is not None
    everyone = roster_repo.all_in_subtrees(ctx.session, (unit.path,))
    have = roster_repo.officers_with_account(ctx.session, [o.id for o, _, _ in everyone])
    now = ctx.clock()
    created: list[PortalAccount] = []
    users: list[dict[str, object]] = []
    for officer, key, officer_unit in everyone:
        if officer.id in have:
            continue
        data = open_personal(ctx, officer, key)
        password = generate_password()
        user_id = uuid.uuid4()
        username = new_username()
        users.append(
            {
                "id": user_id,
                "username": username,
                "role": OFFICER,
                "officer_id": officer.id,
                "disabled": False,
                "created_at": now,
                "password_hash": policy.passwords.hash(password),
                "totp_enabled": False,
                "failed_logins": 0,
            }
        )
        created.append(
            PortalAccount(
                officer.id,
                officer_unit.code,
                str(data["badge_number"]),
                str(data["name"]),
                username,
                password,
            )
        )
    roster_repo.add_users(ctx.session, users)
    audit.record_many(
        ctx,
        [
            EventSpec(
                "user.create",
                "app_user",
                str(u["id"]),
                created[i].officer_id,
                detail="role=officer",
            )
            for i, u in enumerate(users)
        ],
    )
    created.sort(key=lambda a: (a.unit_code, a.badge_number))
    return created
