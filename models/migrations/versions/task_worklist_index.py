"""the worklist's page read from the index alone: (unit_id, status, due, id) replaces
(unit_id, status, due), so a manager's first page (open tasks of their units, by due date,
id breaking ties) is found and counted without visiting the task rows

Revision ID: task_worklist_index
Revises: fhir_bulk_export
Create Date: 2026-11-30 23:40:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "task_worklist_index"
down_revision = "fhir_bulk_export"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_task_unit_status_due_id", "task", ["unit_id", "status", "due", "id"], unique=False
    )
    op.drop_index("ix_task_unit_status_due", table_name="task")


def downgrade() -> None:
    op.create_index("ix_task_unit_status_due", "task", ["unit_id", "status", "due"], unique=False)
    op.drop_index("ix_task_unit_status_due_id", table_name="task")
