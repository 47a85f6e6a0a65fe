"""season schedules: routine home-visit round plans, checkup sessions and bookings

Revision ID: season_schedules
Revises: concurrency_audit_sequencer
Create Date: 2026-11-30 18:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.types

revision = "season_schedules"
down_revision = "concurrency_audit_sequencer"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "round_plan",
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("last_round_on", sa.Date(), nullable=True),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_round_plan_unit_id_unit")),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_round_plan")),
    )
    op.create_table(
        "checkup_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_checkup_session_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkup_session")),
    )
    op.create_index("ix_checkup_session_unit_day", "checkup_session", ["unit_id", "day"])
    op.create_table(
        "session_booking",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("booked_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("booked_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["checkup_session.id"],
            name=op.f("fk_session_booking_session_id_checkup_session"),
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_session_booking_officer_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_booking")),
        sa.UniqueConstraint("session_id", "officer_id", name="uq_session_booking_officer"),
    )
    op.create_index("ix_session_booking_officer", "session_booking", ["officer_id"])


def downgrade() -> None:
    op.drop_index("ix_session_booking_officer", table_name="session_booking")
    op.drop_table("session_booking")
    op.drop_index("ix_checkup_session_unit_day", table_name="checkup_session")
    op.drop_table("checkup_session")
    op.drop_table("round_plan")
