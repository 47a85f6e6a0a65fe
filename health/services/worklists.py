"""Worklists: a medic's (assigned to me, my units' queue) and a unit manager's (their subtree),
filtered, sorted and paged in the database, exported as CSV, and bulk assignment.

Managers see type, status, priority, due date, unit and the overdue flag only; never the
officer, the analyte family, a reason or an outcome note. Overdue is the SQL form of
``health.followup.overdue`` (open and past due), the same definition as everywhere else.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Literal

from health.crypto import Sealer
from health.csv_export import write_dicts
from health.errors import Invalid
from health.followup.lifecycle import STATUSES, TASK_TYPES
from health.followup.worklist import Filters
from health.services import access, audit, risk_scoring, task_labels
from health.services.context import MANAGER, MEDIC, Ctx
from health.services.task_work import TaskSummary, summary, task_in_scope, view
from health.services.tasks import family_of, history_row, open_detail
from health.vocabulary import Action, TaskMove
from models.repositories import officers as officers_repo
from models.repositories import tasks as tasks_repo
from models.repositories import units as units_repo
from models.repositories import users as users_repo
from models.repositories.tasks import SORTS
from models.tables import Task

MAX_PAGE = 200
MAX_EXPORT = 50_000
# Unit paths start with "/": a caller without units matches no task, rather than all of them.
NO_SCOPE = "!no-units"
View = Literal["all", "mine", "queue"]


@dataclass(frozen=True)
class Page:
    items: list[TaskSummary]
    total: int
    page: int
    page_size: int
    risk_tiers: dict[uuid.UUID, str] = field(default_factory=dict)
    labels: dict[uuid.UUID, task_labels.TaskLabels] = field(default_factory=dict)


PRIORITIES = (1, 2, 3, 4, 5)


class BadFilter(Invalid):
    """A filter value outside its vocabulary; ``allowed`` lists the values per filter, so the
    answer names them in every language."""

    code = "bad_filter"

    def __init__(self, detail: str, allowed: dict[str, list[str]]) -> None:
        super().__init__(detail)
        self.allowed = allowed


def check_filters(filters: Filters) -> None:
    """An unknown filter value is a 400 naming the allowed ones, not an empty worklist."""
    for name, given, allowed in (
        ("type", filters.types, TASK_TYPES),
        ("status", filters.statuses, STATUSES),
        ("priority", filters.priorities, PRIORITIES),
    ):
        unknown = [v for v in given if v not in allowed]
        if unknown:
            raise BadFilter(
                f"{name} {', '.join(map(str, unknown))} is not one of: "
                f"{', '.join(map(str, allowed))}",
                {name: [str(v) for v in allowed]},
            )


def _scoped(ctx: Ctx, filters: Filters, view_name: View) -> Filters:
    """The caller's scope, from the database (their units), never from the request."""
    paths = access.scope_paths(ctx.actor)
    if ctx.actor.role == MANAGER:
        return replace(filters, unit_paths=paths or (NO_SCOPE,))
    me = ctx.actor.user_id
    if view_name == "mine":
        return replace(filters, assignee=me or uuid.UUID(int=0))
    if view_name == "queue":
        return replace(filters, unit_paths=paths or (NO_SCOPE,), unassigned=True)
    return replace(filters, unit_paths=paths or (NO_SCOPE,), or_assignee=me)


def _sort(sort: str) -> tuple[str, bool]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        raise Invalid(f"sort must be one of {sorted(SORTS)}, optionally with '-'", code="bad_sort")
    return key, descending


def worklist(
    ctx: Ctx,
    filters: Filters,
    *,
    view_name: View = "all",
    sort: str = "due",
    page: int = 1,
    page_size: int = 50,
) -> Page:
    """One page of the caller's worklist; the read is audited with counts only."""
    access.require(ctx, Action.TASK_LIST)
    check_filters(filters)
    if page < 1 or not 1 <= page_size <= MAX_PAGE:
        raise Invalid(f"page ≥ 1 and 1 ≤ page_size ≤ {MAX_PAGE}", code="bad_page")
    key, descending = _sort(sort)
    now = ctx.clock()
    rows, total = tasks_repo.worklist(
        ctx.session,
        _scoped(ctx, filters, view_name),
        now,
        sort=key,
        descending=descending,
        limit=page_size,
        offset=(page - 1) * page_size,
    )
    items: list[TaskSummary] = (
        [summary(t, now) for t in rows] if ctx.actor.role == MANAGER else _medic_views(ctx, rows)
    )
    labels = task_labels.labels_for(ctx, rows, action="task.list")
    audit.record(ctx, "task.list", "task", detail=f"count={len(items)};total={total}")
    tiers = risk_scoring.tiers_of(ctx, [t.officer_id for t in rows])
    risk_tiers = {t.id: tiers[t.officer_id] for t in rows if t.officer_id in tiers}
    return Page(items, total, page, page_size, risk_tiers, labels)


MANAGER_COLUMNS = (
    "id",
    "unit_id",
    "unit_code",
    "unit_name",
    "type",
    "status",
    "priority",
    "due",
    "overdue",
    "version",
)
MEDIC_COLUMNS = (
    *MANAGER_COLUMNS,
    "badge_number",
    "officer_name",
    "reason",
    "officer_id",
    "family",
    "critical",
    "assignee_user_id",
    "created_at",
    "closed_at",
    "outcome",
)


def export_csv(ctx: Ctx, filters: Filters, *, view_name: View = "all", sort: str = "due") -> str:
    """The whole filtered worklist as CSV (up to MAX_EXPORT rows), same columns as the API."""
    access.require(ctx, Action.TASK_EXPORT)
    check_filters(filters)
    key, descending = _sort(sort)
    now = ctx.clock()
    rows, total = tasks_repo.worklist(
        ctx.session,
        _scoped(ctx, filters, view_name),
        now,
        sort=key,
        descending=descending,
        limit=MAX_EXPORT,
    )
    columns = MANAGER_COLUMNS if ctx.actor.role == MANAGER else MEDIC_COLUMNS
    labels = task_labels.labels_for(ctx, rows, action="task.export")
    views = (
        [summary(t, now) for t in rows] if ctx.actor.role == MANAGER else _medic_views(ctx, rows)
    )

    def record(task: Task, found: TaskSummary) -> dict[str, object]:
        fields = {**asdict(found), **asdict(labels[task.id])}
        return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in fields.items()}

    text = write_dicts(
        columns, (record(task, found) for task, found in zip(rows, views, strict=True))
    )
    audit.record(ctx, "task.export", "task", detail=f"count={len(rows)};total={total}")
    return text


def assign(
    ctx: Ctx, task_ids: Sequence[uuid.UUID], assignee_user_id: uuid.UUID | None
) -> list[TaskSummary]:
    """Assign tasks to a medic who serves their units (or back to the queue with None)."""
    access.require(ctx, Action.TASK_ASSIGN)
    if not task_ids or len(task_ids) > MAX_PAGE:
        raise Invalid(f"assign 1 to {MAX_PAGE} tasks at a time", code="bad_batch")
    assignee_paths: tuple[str, ...] = ()
    if assignee_user_id is not None:
        user = users_repo.get(ctx.session, assignee_user_id)
        if user is None or user.role != MEDIC or user.disabled:
            raise Invalid("the assignee must be an active medic", code="bad_assignee")
        assignee_paths = users_repo.unit_paths(ctx.session, assignee_user_id)
    tasks = [task_in_scope(ctx, task_id, action="task.assign") for task_id in task_ids]
    now = ctx.clock()
    events, specs = [], []
    for task in tasks:
        if assignee_user_id is not None:
            path = _path(ctx, task.unit_id)
            if not any(path.startswith(p) for p in assignee_paths):
                raise Invalid("the assignee does not serve this task's unit", code="bad_assignee")
        task.assignee_user_id = assignee_user_id
        events.append(history_row(ctx, task, TaskMove.ASSIGN, now))
        specs.append(
            audit.EventSpec(
                "task.assign",
                "task",
                str(task.id),
                task.officer_id,
                detail=f"assignee={assignee_user_id}",
            )
        )
    ctx.session.flush()
    tasks_repo.add_events(ctx.session, events)
    audit.record_many(ctx, specs)
    return [summary(task, now) for task in tasks]


def _medic_views(ctx: Ctx, tasks: Sequence[Task]) -> list[TaskSummary]:
    """Medics see each task's family and critical mark, opened from its sealed detail with the
    officer's key (one batched key read per page); the reason stays for the audited read."""
    now = ctx.clock()
    keys = officers_repo.keys_of(ctx.session, list({t.officer_id for t in tasks}))
    sealers: dict[uuid.UUID, Sealer] = {}
    views: list[TaskSummary] = []
    for task in tasks:
        found = view(task, now)
        key = keys.get(task.officer_id)
        if key is not None:
            sealer = sealers.get(task.officer_id)
            if sealer is None:
                sealer = sealers[task.officer_id] = ctx.vault.open_key(
                    task.officer_id, key.kek_version, key.dek_version, key.wrapped_dek
                )
            detail = open_detail(task, sealer)
            critical = bool(detail.get("critical", False))
            found = replace(found, family=family_of(detail), critical=critical)
        views.append(found)
    return views


def _path(ctx: Ctx, unit_id: uuid.UUID) -> str:
    unit = units_repo.get(ctx.session, unit_id)
    return unit.path if unit is not None else NO_SCOPE
