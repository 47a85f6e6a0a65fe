"""unit_report: unit figures computed ahead of time by the ``report`` job

Figures are computed over the whole force (for one consistent small-cell suppression) and
stored per (year, unit), so a manager's request reads a few rows instead of the whole force.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_report",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("min_cell", sa.Integer(), nullable=False),
        sa.Column("computed_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_unit_report_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("year", "unit_id", name=op.f("pk_unit_report")),
    )


def downgrade() -> None:
    op.drop_table("unit_report")
