"""bulk_export and bulk_export_file: FHIR Bulk Data export requests and their sealed files

Revision ID: fhir_bulk_export
Revises: vocabulary_checks
Create Date: 2026-11-30 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.types

revision = "fhir_bulk_export"
down_revision = "vocabulary_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bulk_export",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("group_unit_id", sa.Uuid(), nullable=True),
        sa.Column("types", sa.String(length=200), nullable=False),
        sa.Column("since", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("request_url", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.Column("kek_version", sa.Integer(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["app_user.id"], name=op.f("fk_bulk_export_requested_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["group_unit_id"], ["unit.id"], name=op.f("fk_bulk_export_group_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_export")),
    )
    op.create_index(op.f("ix_bulk_export_requested_by"), "bulk_export", ["requested_by"])
    op.create_index(op.f("ix_bulk_export_completed_at"), "bulk_export", ["completed_at"])
    op.create_index(op.f("ix_bulk_export_expires_at"), "bulk_export", ["expires_at"])
    op.create_table(
        "bulk_export_file",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("export_id", sa.Uuid(), nullable=False),
        sa.Column("resource_type", sa.String(length=32), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("downloaded_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["export_id"], ["bulk_export.id"], name=op.f("fk_bulk_export_file_export_id_bulk_export")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_export_file")),
        sa.UniqueConstraint(
            "export_id", "resource_type", "part", name="uq_bulk_export_file_part"
        ),
    )
    op.create_index(op.f("ix_bulk_export_file_export_id"), "bulk_export_file", ["export_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_bulk_export_file_export_id"), table_name="bulk_export_file")
    op.drop_table("bulk_export_file")
    op.drop_index(op.f("ix_bulk_export_expires_at"), table_name="bulk_export")
    op.drop_index(op.f("ix_bulk_export_completed_at"), table_name="bulk_export")
    op.drop_index(op.f("ix_bulk_export_requested_by"), table_name="bulk_export")
    op.drop_table("bulk_export")
