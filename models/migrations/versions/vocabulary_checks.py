"""closed vocabularies enforced by the database: CHECK constraints on roles, task types,
statuses, moves and outcomes (the words of health.vocabulary, spelled here as of this revision)

Revision ID: vocabulary_checks
Revises: worker_queue
Create Date: 2026-11-30 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "vocabulary_checks"
down_revision = "worker_queue"
branch_labels = None
depends_on = None

# Spelled out, not imported: a migration must keep meaning what it meant when it was written.
ACCOUNT_ROLES = ("officer", "medic", "unit_manager", "auditor", "admin", "integrator")
ROLES = (*ACCOUNT_ROLES, "system")
TASK_TYPES = ("urgent_contact", "recheck", "referral", "lifestyle", "home_visit")
STATUSES = ("requested", "accepted", "in-progress", "on-hold", "completed", "cancelled", "failed")
MOVES = (
    "create",
    "accept",
    "start",
    "hold",
    "resume",
    "record_contact",
    "complete",
    "cancel",
    "fail",
    "merge",
    "assign",
)
OUTCOMES = (
    "done_with_result",
    "agreed_to_visit",
    "call_again_later",
    "unreachable",
    "declined",
    "transferred",
    "not_needed_after_review",
)


def _in(column: str, words: tuple[str, ...], *, nullable: bool = False) -> str:
    listed = ", ".join(f"'{w}'" for w in words)
    return f"{column} IS NULL OR {column} IN ({listed})" if nullable else f"{column} IN ({listed})"


CHECKS = {
    "app_user": {"role": _in("role", ACCOUNT_ROLES)},
    "task": {
        "type": _in("type", TASK_TYPES),
        "status": _in("status", STATUSES),
        "outcome": _in("outcome", OUTCOMES, nullable=True),
    },
    "task_event": {
        "actor_role": _in("actor_role", ROLES),
        "action": _in("action", MOVES),
        "from_status": _in("from_status", STATUSES, nullable=True),
        "to_status": _in("to_status", STATUSES),
        "outcome": _in("outcome", OUTCOMES, nullable=True),
    },
}


# SQLite's batch mode copies the table and cannot reflect an expression index, so the
# case-insensitive username index is dropped first and built again afterwards.
USERNAME_INDEX = "uq_app_user_username_lower"


def upgrade() -> None:
    op.drop_index(USERNAME_INDEX, table_name="app_user")
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column, condition in checks.items():
                batch.create_check_constraint(op.f(f"ck_{table}_{column}"), condition)
    op.create_index(USERNAME_INDEX, "app_user", [sa.text("lower(username)")], unique=True)


def downgrade() -> None:
    op.drop_index(USERNAME_INDEX, table_name="app_user")
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for column in checks:
                batch.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
    op.create_index(USERNAME_INDEX, "app_user", [sa.text("lower(username)")], unique=True)
