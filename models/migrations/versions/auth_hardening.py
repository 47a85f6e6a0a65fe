"""auth hardening: pending/last-step TOTP, forced password change, case-insensitive usernames,
retired refresh tokens (reuse detection), second-admin approval requests, upload heartbeat

Revision ID: auth_hardening
Revises: reports_analysis
Create Date: 2026-11-30 17:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.types

revision = "auth_hardening"
down_revision = "reports_analysis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_pending", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.add_column(sa.Column("worker", sa.String(length=120), nullable=True))
        batch_op.add_column(
            sa.Column("heartbeat_at", models.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_index(
        "uq_app_user_username_lower", "app_user", [sa.text("lower(username)")], unique=True
    )
    op.create_table(
        "retired_refresh",
        sa.Column("refresh_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("retired_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["auth_session.id"], name=op.f("fk_retired_refresh_session_id_auth_session")
        ),
        sa.PrimaryKeyConstraint("refresh_hash", name=op.f("pk_retired_refresh")),
    )
    op.create_index(
        op.f("ix_retired_refresh_session_id"), "retired_refresh", ["session_id"], unique=False
    )
    op.create_table(
        "approval_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("requested_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_approval_request_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_approval_request_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["app_user.id"], name=op.f("fk_approval_request_requested_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_approval_request_decided_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_request")),
    )
    op.create_index(
        op.f("ix_approval_request_user_id"), "approval_request", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_approval_request_user_id"), table_name="approval_request")
    op.drop_table("approval_request")
    op.drop_index(op.f("ix_retired_refresh_session_id"), table_name="retired_refresh")
    op.drop_table("retired_refresh")
    op.drop_index("uq_app_user_username_lower", table_name="app_user")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_pending")
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("worker")
