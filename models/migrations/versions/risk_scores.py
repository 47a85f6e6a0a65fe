"""risk_score: sealed risk estimates per checkup version, tier and versions in clear

Revision ID: risk_scores
Revises: auth_hardening
Create Date: 2026-11-30 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.types

revision = "risk_scores"
down_revision = "auth_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risk_score",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("checkup_id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("exam_date", sa.Date(), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("equations_version", sa.String(length=400), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkup_id"], ["checkup.id"], name=op.f("fk_risk_score_checkup_id_checkup")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_risk_score_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_risk_score_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_score")),
    )
    op.create_index(op.f("ix_risk_score_checkup_id"), "risk_score", ["checkup_id"])
    op.create_index(op.f("ix_risk_score_unit_id"), "risk_score", ["unit_id"])
    op.create_index("ix_risk_score_officer_status", "risk_score", ["officer_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_risk_score_officer_status", table_name="risk_score")
    op.drop_index(op.f("ix_risk_score_unit_id"), table_name="risk_score")
    op.drop_index(op.f("ix_risk_score_checkup_id"), table_name="risk_score")
    op.drop_table("risk_score")
