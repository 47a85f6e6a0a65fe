"""finding_tally replaces finding; task.family and task.critical leave the clear columns

A finding's family and severity, and a task's family and critical mark, are health facts keyed
by officer. Findings now live only inside the sealed screening document, and unit figures
count ``finding_tally`` rows (keyed HMAC of the screening id, no officer); a task's family and
critical mark move into its sealed detail. The old clear values cannot be sealed here (a
migration holds no keys): tasks stored before it keep their reason but are no longer merged by
family, and ``finding_tally`` starts empty (figures count screenings stored from now on).

Revision ID: bulk_clear_facts
Revises: selfcare_tables
Create Date: 2026-11-30 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "bulk_clear_facts"
down_revision = "selfcare_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "finding_tally",
        sa.Column("token", sa.LargeBinary(length=32), nullable=False),
        sa.Column("family", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("token", "family", name=op.f("pk_finding_tally")),
    )
    with op.batch_alter_table("finding_tally", schema=None) as batch_op:
        batch_op.create_index("ix_finding_tally_year", ["year"], unique=False)
    op.drop_table("finding")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_officer_open")
        batch_op.drop_column("family")
        batch_op.drop_column("critical")
        batch_op.create_index("ix_task_officer_open", ["officer_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_officer_open")
        batch_op.add_column(
            sa.Column("critical", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("family", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.create_index(
            "ix_task_officer_open", ["officer_id", "type", "family", "status"], unique=False
        )
    op.create_table(
        "finding",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("screening_id", sa.Uuid(), nullable=False),
        sa.Column("checkup_id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("exam_date", sa.Date(), nullable=False),
        sa.Column("family", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkup_id"], ["checkup.id"], name=op.f("fk_finding_checkup_id_checkup")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_finding_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"], ["screening.id"], name=op.f("fk_finding_screening_id_screening")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_finding_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_checkup_id"), ["checkup_id"], unique=False)
        batch_op.create_index("ix_finding_officer_status", ["officer_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_screening_id"), ["screening_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_unit_id"), ["unit_id"], unique=False)
    op.drop_index("ix_finding_tally_year", table_name="finding_tally")
    op.drop_table("finding_tally")
