"""Separation of duties: what would let one admin reach health data needs a second admin.

Linking an account to an officer, widening a medic's scope past a threshold, and resetting the
password of an account that reads health data are requests until a different admin approves
them (the officer's own password change needs nobody). Each step touching an officer's account
is audited with the officer's id, so it shows in the officer's access log.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any, Final

from health.crypto import Sealer, Slot
from health.errors import Conflict, Forbidden, NotFound
from health.services import access, account_notices, audit, scope_grants
from health.services.context import INTEGRATOR, MEDIC, OFFICER, Ctx
from health.vocabulary import Action
from models.repositories import approvals as approvals_repo
from models.repositories import users as users_repo
from models.tables import AppUser
from models.tables_auth import ApprovalRequest

OFFICER_LINK: Final = "officer_link"
MEDIC_SCOPE: Final = "medic_scope"
PASSWORD_RESET: Final = "password_reset"  # noqa: S105 - a request kind, not a secret
KINDS: Final = (OFFICER_LINK, MEDIC_SCOPE, PASSWORD_RESET)
HEALTH_DATA_ROLES: Final = (OFFICER, MEDIC, INTEGRATOR)


def _sealer(ctx: Ctx) -> Sealer:
    return Sealer(ctx.vault.hasher.derive_key(b"approval payloads"), 1)


def _slot(request_id: uuid.UUID) -> Slot:
    return Slot("approval_request", "payload", str(request_id))


def covers(ctx: Ctx, unit_ids: Sequence[uuid.UUID]) -> int:
    return approvals_repo.units_covered(ctx.session, unit_ids)


def force_wide(ctx: Ctx, unit_ids: Sequence[uuid.UUID]) -> bool:
    return approvals_repo.any_root(ctx.session, unit_ids)


def pending_for(ctx: Ctx, user_id: uuid.UUID, kind: str) -> bool:
    return approvals_repo.pending_for(ctx.session, user_id, kind) is not None


def request(ctx: Ctx, kind: str, user: AppUser, payload: dict[str, Any]) -> uuid.UUID:
    """File a request (one pending per account and kind: a newer one replaces the older)."""
    previous = approvals_repo.pending_for(ctx.session, user.id, kind)
    if previous is not None:
        _decide(ctx, previous, "superseded")
    request_id = uuid.uuid4()
    approvals_repo.add(
        ctx.session,
        ApprovalRequest(
            id=request_id,
            kind=kind,
            user_id=user.id,
            officer_id=user.officer_id,
            payload=_sealer(ctx).seal(json.dumps(payload).encode(), _slot(request_id)),
            status="pending",
            requested_by=_admin_id(ctx),
            requested_at=ctx.clock(),
        ),
    )
    audit.record(
        ctx,
        f"approval.request.{kind}",
        "app_user",
        resource_id=str(user.id),
        officer_id=user.officer_id,
        detail=f"request={request_id}",
    )
    return request_id


def _admin_id(ctx: Ctx) -> uuid.UUID:
    if ctx.actor.user_id is None:
        raise Forbidden("approvals are made by admin accounts", code="role_forbidden")
    return ctx.actor.user_id


def list_pending(ctx: Ctx) -> list[ApprovalRequest]:
    access.require(ctx, Action.APPROVAL_LIST)
    return list(approvals_repo.pending(ctx.session))


def _pending(ctx: Ctx, request_id: uuid.UUID, action: Action) -> ApprovalRequest:
    access.require(ctx, action)
    found = approvals_repo.get(ctx.session, request_id)
    if found is None:
        raise NotFound("approval request not found", code="approval_not_found")
    if found.status != "pending":
        raise Conflict(f"the request is already {found.status}", code="approval_decided")
    return found


def _decide(ctx: Ctx, found: ApprovalRequest, status: str) -> None:
    found.status = status
    found.decided_by = ctx.actor.user_id
    found.decided_at = ctx.clock()


def _decided_by_admin(
    ctx: Ctx, found: ApprovalRequest, verb: Action, status: str, officer_id: uuid.UUID | None
) -> None:
    """An admin's decision: on the request, and in the audit trail per kind of request."""
    _decide(ctx, found, status)
    audit.record(
        ctx,
        f"{verb}.{found.kind}",
        "app_user",
        resource_id=str(found.user_id),
        officer_id=officer_id,
        detail=f"request={found.id}",
    )


def approve(ctx: Ctx, request_id: uuid.UUID, mail_domain: str) -> ApprovalRequest:
    """A second admin (not the requester, not the account itself) applies the change."""
    found = _pending(ctx, request_id, Action.APPROVAL_APPROVE)
    me = _admin_id(ctx)
    if me in (found.requested_by, found.user_id):
        access.deny(ctx, "approval.approve", "approval_request", resource_id=str(found.id))
        raise Forbidden("a second admin must approve this request", code="second_admin_required")
    user = users_repo.get(ctx.session, found.user_id)
    assert user is not None
    payload = json.loads(_sealer(ctx).open(found.payload, _slot(found.id)))
    if found.kind == OFFICER_LINK:
        user.disabled = False
    elif found.kind == MEDIC_SCOPE:
        units = [uuid.UUID(u) for u in payload["unit_ids"]]
        scope_grants.assign(ctx, user, units, request=str(found.id))
    else:
        apply_password_reset(ctx, user, payload["password_hash"], mail_domain)
    _decided_by_admin(ctx, found, Action.APPROVAL_APPROVE, "approved", user.officer_id)
    return found


def reject(ctx: Ctx, request_id: uuid.UUID) -> ApprovalRequest:
    """Any admin may turn a request down (its requester withdraws it this way)."""
    found = _pending(ctx, request_id, Action.APPROVAL_REJECT)
    _decided_by_admin(ctx, found, Action.APPROVAL_REJECT, "rejected", found.officer_id)
    return found


def apply_password_reset(ctx: Ctx, user: AppUser, password_hash: str, mail_domain: str) -> None:
    """Set an admin-chosen password: sessions end, the user must change it at the next login,
    and is told."""
    user.password_hash = password_hash
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    users_repo.revoke_sessions_of(ctx.session, user.id, ctx.clock())
    audit.record(
        ctx,
        "user.reset_password",
        "app_user",
        resource_id=str(user.id),
        officer_id=user.officer_id,
    )
    account_notices.notify(ctx, user, "password_reset", mail_domain)


def pending_ids(ctx: Ctx, user_id: uuid.UUID) -> list[uuid.UUID]:
    return [
        found.id
        for kind in KINDS
        if (found := approvals_repo.pending_for(ctx.session, user_id, kind)) is not None
    ]
