"""Progress history index with valid_from, for the reports' "value on a day" look-ups

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_participant_progress_participant", table_name="participant_progress")
    op.create_index(
        "ix_participant_progress_participant",
        "participant_progress",
        ["participant_id", "field", "valid_from"],
    )


def downgrade() -> None:
    op.drop_index("ix_participant_progress_participant", table_name="participant_progress")
    op.create_index(
        "ix_participant_progress_participant", "participant_progress", ["participant_id", "field"]
    )
