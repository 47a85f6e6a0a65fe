"""analysis_report, appraisal_scheme, appraisal_score: the force health analysis stored per
(year, unit) by the ``report`` job; published appraisal schemes and the scores they gave

Revision ID: reports_analysis
Revises: bulk_clear_facts
Create Date: 2026-11-30 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.types

revision = "reports_analysis"
down_revision = "bulk_clear_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_report",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("min_cell", sa.Integer(), nullable=False),
        sa.Column("computed_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cells", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_analysis_report_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("year", "unit_id", name=op.f("pk_analysis_report")),
    )
    op.create_table(
        "appraisal_scheme",
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("published_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_appraisal_scheme")),
    )
    op.create_index(
        op.f("ix_appraisal_scheme_published_at"), "appraisal_scheme", ["published_at"]
    )
    op.create_table(
        "appraisal_score",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("scheme_version", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("peers", sa.Integer(), nullable=False),
        sa.Column("computed_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("components", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_appraisal_score_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["scheme_version"],
            ["appraisal_scheme.version"],
            name=op.f("fk_appraisal_score_scheme_version_appraisal_scheme"),
        ),
        sa.PrimaryKeyConstraint("year", "unit_id", name=op.f("pk_appraisal_score")),
    )


def downgrade() -> None:
    op.drop_table("appraisal_score")
    op.drop_index(op.f("ix_appraisal_scheme_published_at"), table_name="appraisal_scheme")
    op.drop_table("appraisal_scheme")
    op.drop_table("analysis_report")
