"""HTTP payloads, separate from the ORM and from the service dataclasses."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from health.vocabulary import Outcome, Role, TaskMove


class UnitIn(BaseModel):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")
    name: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")
    kind: Literal["force", "bureau", "station"]
    parent_id: uuid.UUID | None = None


class UnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    parent_id: uuid.UUID | None
    kind: str
    code: str
    name: str


class OfficerIn(BaseModel):
    unit_id: uuid.UUID
    badge_number: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=100)
    birth_date: date
    sex: Literal["M", "F"]
    national_id: str | None = Field(default=None, max_length=32)


class OfficerCreated(BaseModel):
    id: uuid.UUID
    unit_id: uuid.UUID


class BadgeLookup(BaseModel):
    """Badge numbers travel in the body, never in a URL or query string (they end up in logs)."""

    badge_number: str = Field(min_length=1, max_length=32)


class OfficerOut(BaseModel):
    id: uuid.UUID
    unit_id: uuid.UUID
    badge_number: str
    name: str
    birth_date: date
    sex: str
    national_id: str | None


ResultValue = float | int | str | list[str]


class QuantityIn(BaseModel):
    """A value in a unit other than the catalog's canonical one, converted on the way in."""

    value: float | str
    unit: str = Field(min_length=1, max_length=32)


class CheckupIn(BaseModel):
    officer_id: uuid.UUID | None = None
    badge_number: str | None = Field(default=None, max_length=32)
    exam_date: date
    results: dict[str, ResultValue | QuantityIn] = Field(min_length=1)

    @model_validator(mode="after")
    def one_officer_reference(self) -> CheckupIn:
        if (self.officer_id is None) == (self.badge_number is None):
            raise ValueError("give exactly one of officer_id or badge_number")
        return self


class CheckupStored(BaseModel):
    id: uuid.UUID
    duplicate: bool
    corrected: bool = False


class RowErrorOut(BaseModel):
    """One problem in an upload: where, what was sent, why (shown only to the uploader)."""

    row: int
    field: str
    value: str
    reason: str
    code: str


class ImportReportOut(BaseModel):
    upload_id: uuid.UUID | None
    dry_run: bool
    mode: str
    status: str
    layout: str
    rows_read: int
    checkups: int
    valid: int
    stored: int
    duplicates: int
    corrected: int
    rejected: int
    repeated_file: bool
    errors: list[RowErrorOut]
    warnings: list[RowErrorOut] = []
    exam_date: date | None = None


class CheckupOut(BaseModel):
    id: uuid.UUID
    exam_date: date
    version: int
    status: str
    results: dict[str, ResultValue]
    findings: dict[str, Any]
    remarks: dict[str, str]


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    seq: int
    id: uuid.UUID
    occurred_at: datetime
    actor_id: str
    actor_role: str
    action: str
    resource_type: str
    resource_id: str | None
    officer_id: uuid.UUID | None
    purpose: str | None
    outcome: str
    source: str | None
    detail: str | None
    actor_username: str | None = None
    emergency_reason: str | None = None


class ChainReportOut(BaseModel):
    ok: bool
    checked: int
    broken_seq: int | None
    reason: str | None


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int
    refresh_token: str


class ClientTokenOut(BaseModel):
    """RFC 6749 §4.4.3: an access token and its scope, without a refresh token."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int
    scope: str


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class TotpEnrolOut(BaseModel):
    provisioning_uri: str


class TotpConfirmIn(BaseModel):
    code: str = Field(pattern=r"^\d{6}$")


class TotpEnrolIn(BaseModel):
    """Re-authentication: the password, and the current code when a factor is enrolled."""

    password: str = Field(min_length=1, max_length=200)
    totp: str | None = Field(default=None, pattern=r"^\d{6}$")


# What a presented username may hold: no control characters (PostgreSQL text has no NUL).
USERNAME = r"^[^\x00-\x1f\x7f]+$"
# The last page a list may ask for: far beyond any force, and its offset (times the largest
# page size) stays inside SQLite's 64-bit integers, so a wild page number is refused as bad
# input instead of failing in the store.
LAST_PAGE = 1_000_000


class PasswordChangeIn(BaseModel):
    username: str = Field(min_length=1, max_length=120, pattern=USERNAME)
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)
    totp: str | None = Field(default=None, pattern=r"^\d{6}$")


class ApprovalOut(BaseModel):
    """A change waiting for a second admin; nothing sensitive (the payload stays sealed)."""

    id: uuid.UUID
    kind: Literal["officer_link", "medic_scope", "password_reset"]
    user_id: uuid.UUID
    officer_id: uuid.UUID | None
    status: Literal["pending", "approved", "rejected", "superseded"]
    requested_by: uuid.UUID
    requested_at: datetime


class UserIn(BaseModel):
    username: str = Field(min_length=3, max_length=120, pattern=r"^[A-Za-z0-9_.@-]+$")
    role: Literal[Role.OFFICER, Role.MEDIC, Role.MANAGER, Role.AUDITOR, Role.ADMIN, Role.INTEGRATOR]
    password: str = Field(min_length=1, max_length=200)
    unit_ids: list[uuid.UUID] = Field(default_factory=list)
    officer_id: uuid.UUID | None = None


class UserOut(BaseModel):
    id: uuid.UUID
    username: str
    role: str
    disabled: bool
    officer_id: uuid.UUID | None
    unit_ids: list[uuid.UUID]
    # Requests for a second admin filed by this change (officer link, wide medic scope).
    pending_approvals: list[uuid.UUID] = Field(default_factory=list)


class PasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=200)


class UnitsIn(BaseModel):
    unit_ids: list[uuid.UUID]


class EmergencyIn(BaseModel):
    reason: str = Field(default="", max_length=1000)
    minutes: int = Field(default=60, ge=1, le=24 * 60)


class EmergencyOut(BaseModel):
    id: uuid.UUID
    officer_id: uuid.UUID
    expires_at: datetime


class AccessEntryOut(BaseModel):
    occurred_at: datetime
    who: str
    role: str
    action: str
    purpose: str | None
    outcome: str
    emergency_reason: str | None
    granted_to: str | None = None


class FindingOut(BaseModel):
    """A finding with its provenance; ``clinical`` text only for medics."""

    checkup_id: uuid.UUID
    exam_date: date
    ruleset_version: str
    rule_id: str
    kind: str
    family: str
    analyte: str | None
    severity: str
    interpretation: str
    category: str
    inputs: list[Any]
    threshold: str
    reference_low: float | None
    reference_high: float | None
    source: str
    meaning: dict[str, str] | None
    advice: dict[str, str] | None
    clinical: dict[str, str] | None


class MyFindingOut(BaseModel):
    """What an officer sees of a finding: what it means and what to do, in plain language."""

    exam_date: date
    family: str
    analyte: str | None
    severity: str
    interpretation: str
    source: str
    meaning: dict[str, str] | None
    advice: dict[str, str] | None


class ConditionsIn(BaseModel):
    conditions: list[str] = Field(max_length=20)


class PreviewIn(BaseModel):
    exam_date: date
    results: dict[str, ResultValue | QuantityIn] = Field(min_length=1)
    officer_id: uuid.UUID | None = None
    sex: Literal["M", "F"] | None = None
    age: float | None = Field(default=None, ge=14, le=100)
    conditions: list[str] = Field(default_factory=list, max_length=20)


class PlanOut(BaseModel):
    type: str
    family: str
    priority: int
    due: str
    finding_rule_ids: str | list[str]
    reason: str


class PreviewOut(BaseModel):
    ruleset_version: str
    findings: list[dict[str, Any]]
    plans: list[dict[str, Any]]


class RulesetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    kind: str
    name: str
    version: str
    uploaded_by: str
    uploaded_at: datetime | None
    active: bool
    builtin: bool = False


# --- follow-up tasks ------------------------------------------------------------------------


class TaskSummaryOut(BaseModel):
    """A task as a unit manager sees it: no officer, family, reason or outcome note."""

    id: uuid.UUID
    unit_id: uuid.UUID
    type: str
    status: str
    priority: int
    due: datetime
    overdue: bool
    version: int
    risk_tier: str | None = None


class TaskOut(TaskSummaryOut):
    """A task as a medic sees it; the reason only on the single-task read (audited)."""

    officer_id: uuid.UUID | None = None
    family: str | None = None
    critical: bool | None = None
    assignee_user_id: uuid.UUID | None = None
    exam_date: date | None = None
    created_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    source_checkup_id: uuid.UUID | None = None
    result_checkup_id: uuid.UUID | None = None
    based_on_id: uuid.UUID | None = None
    reason: str | None = None
    reason_text: dict[str, str] | None = None
    finding_rule_ids: list[str] | None = None
    note: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    badge_number: str | None = None
    officer_name: str | None = None


class TaskPageOut(BaseModel):
    items: list[TaskOut]
    total: int
    page: int
    page_size: int


class TransitionIn(BaseModel):
    action: Literal[
        TaskMove.ACCEPT,
        TaskMove.START,
        TaskMove.HOLD,
        TaskMove.RESUME,
        TaskMove.RECORD_CONTACT,
        TaskMove.COMPLETE,
        TaskMove.CANCEL,
        TaskMove.FAIL,
    ]
    outcome: (
        Literal[
            Outcome.DONE_WITH_RESULT,
            Outcome.AGREED_TO_VISIT,
            Outcome.CALL_AGAIN_LATER,
            Outcome.UNREACHABLE,
            Outcome.DECLINED,
            Outcome.TRANSFERRED,
            Outcome.NOT_NEEDED_AFTER_REVIEW,
        ]
        | None
    ) = None
    why: str | None = Field(default=None, max_length=4000)
    new_due: datetime | None = None


class AssignIn(BaseModel):
    task_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)
    assignee_user_id: uuid.UUID | None


class OwnTaskOut(BaseModel):
    id: uuid.UUID
    type: str
    status: str
    due: datetime
    overdue: bool
    reason: dict[str, str] | None
    type_name: dict[str, str]
    status_name: dict[str, str]


class UnitFiguresOut(BaseModel):
    """Counts, rates and medians per (unit, scope); finding counts suppressed below min_cell.
    ``computed_at`` is when they were computed; ``stored`` when by the ``report`` job."""

    unit_id: uuid.UUID
    year: int
    min_cell: int
    units: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    computed_at: datetime
    stored: bool


class RecallOut(BaseModel):
    unit_id: uuid.UUID
    due: list[uuid.UUID]
    overdue: list[uuid.UUID]
    done: int
    training_due: list[uuid.UUID] = []


class VisitOut(BaseModel):
    officer_id: uuid.UUID
    priority: int
    due: date
    task_ids: list[uuid.UUID]


class RoundOut(BaseModel):
    unit_id: uuid.UUID
    week: str
    visits: list[VisitOut]
