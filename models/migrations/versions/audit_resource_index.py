"""audit events found by their resource (a unit's grants to medics show in officers' logs)

Revision ID: audit_resource_index
Revises: season_schedules
Create Date: 2026-11-30 20:50:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "audit_resource_index"
down_revision = "season_schedules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_event_resource", "audit_event", ["resource_type", "resource_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_audit_event_resource", table_name="audit_event")
