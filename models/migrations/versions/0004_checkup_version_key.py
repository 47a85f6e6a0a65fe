"""checkup: unique per (officer, exam date, version); content hash only indexed

A correction back to earlier values (version 3 equal to version 1) is legitimate, so the content
hash cannot be unique; duplicates are recognised against the current version instead.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 13:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkup", schema=None) as batch_op:
        batch_op.drop_constraint("uq_checkup_officer_content", type_="unique")
        batch_op.create_unique_constraint("uq_checkup_exam_version",
                                          ["officer_id", "exam_date", "version"])
        batch_op.create_index("ix_checkup_content_hash", ["officer_id", "content_hash"])


def downgrade() -> None:
    with op.batch_alter_table("checkup", schema=None) as batch_op:
        batch_op.drop_index("ix_checkup_content_hash")
        batch_op.drop_constraint("uq_checkup_exam_version", type_="unique")
        batch_op.create_unique_constraint("uq_checkup_officer_content",
                                          ["officer_id", "content_hash"])
