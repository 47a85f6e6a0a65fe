"""selfcare_tables: first-aid kits, devices, courses and training (in clear); officers' own
readings and lifestyle programmes with their contacts (sealed documents)

Revision ID: selfcare_tables
Revises: 0006
Create Date: 2026-11-30 17:31:23.320045
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.types


revision = "selfcare_tables"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "selfcare_course",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("validity_months", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfcare_course")),
        sa.UniqueConstraint("code", name=op.f("uq_selfcare_course_code")),
    )
    op.create_table(
        "selfcare_kit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("template", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_selfcare_kit_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfcare_kit")),
        sa.UniqueConstraint("unit_id", "label", name="uq_selfcare_kit_unit_label"),
    )
    with op.batch_alter_table("selfcare_kit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_selfcare_kit_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "selfcare_device",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("holder_officer_id", sa.Uuid(), nullable=True),
        sa.Column("last_calibrated_on", sa.Date(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_officer_id"],
            ["officer.id"],
            name=op.f("fk_selfcare_device_holder_officer_id_officer"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_selfcare_device_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfcare_device")),
        sa.UniqueConstraint("serial", name=op.f("uq_selfcare_device_serial")),
    )
    with op.batch_alter_table("selfcare_device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_selfcare_device_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "selfcare_kit_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kit_id", sa.Uuid(), nullable=False),
        sa.Column("item", sa.String(length=48), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kit_id"], ["selfcare_kit.id"], name=op.f("fk_selfcare_kit_item_kit_id_selfcare_kit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfcare_kit_item")),
        sa.UniqueConstraint("kit_id", "item", "batch", name="uq_selfcare_kit_item_batch"),
    )
    with op.batch_alter_table("selfcare_kit_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_selfcare_kit_item_kit_id"), ["kit_id"], unique=False)

    op.create_table(
        "selfcare_programme",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_selfcare_programme_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_selfcare_programme_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfcare_programme")),
    )
    with op.batch_alter_table("selfcare_programme", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_selfcare_programme_officer_id"), ["officer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_selfcare_programme_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "selfcare_reading",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("taken_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("content_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_selfcare_reading_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_selfcare_reading_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfcare_reading")),
        sa.UniqueConstraint("officer_id", "content_hash", name="uq_selfcare_reading_content"),
    )
    with op.batch_alter_table("selfcare_reading", schema=None) as batch_op:
        batch_op.create_index(
            "ix_selfcare_reading_officer_taken", ["officer_id", "taken_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_selfcare_reading_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "selfcare_training",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("officer_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("attended_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("certificate", sa.String(length=64), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["selfcare_course.id"],
            name=op.f("fk_selfcare_training_course_id_selfcare_course"),
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_selfcare_training_officer_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfcare_training")),
        sa.UniqueConstraint(
            "officer_id", "course_id", "attended_on", name="uq_selfcare_training_attendance"
        ),
    )
    with op.batch_alter_table("selfcare_training", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_selfcare_training_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_selfcare_training_officer_id"), ["officer_id"], unique=False
        )

    op.create_table(
        "selfcare_programme_contact",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("contact_on", sa.Date(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["selfcare_programme.id"],
            name=op.f("fk_selfcare_programme_contact_programme_id_selfcare_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfcare_programme_contact")),
    )
    with op.batch_alter_table("selfcare_programme_contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_selfcare_programme_contact_programme_id"), ["programme_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("selfcare_programme_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_selfcare_programme_contact_programme_id"))

    op.drop_table("selfcare_programme_contact")
    with op.batch_alter_table("selfcare_training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_selfcare_training_officer_id"))
        batch_op.drop_index(batch_op.f("ix_selfcare_training_course_id"))

    op.drop_table("selfcare_training")
    with op.batch_alter_table("selfcare_reading", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_selfcare_reading_unit_id"))
        batch_op.drop_index("ix_selfcare_reading_officer_taken")

    op.drop_table("selfcare_reading")
    with op.batch_alter_table("selfcare_programme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_selfcare_programme_unit_id"))
        batch_op.drop_index(batch_op.f("ix_selfcare_programme_officer_id"))

    op.drop_table("selfcare_programme")
    with op.batch_alter_table("selfcare_kit_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_selfcare_kit_item_kit_id"))

    op.drop_table("selfcare_kit_item")
    with op.batch_alter_table("selfcare_device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_selfcare_device_unit_id"))

    op.drop_table("selfcare_device")
    with op.batch_alter_table("selfcare_kit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_selfcare_kit_unit_id"))

    op.drop_table("selfcare_kit")
    op.drop_table("selfcare_course")
