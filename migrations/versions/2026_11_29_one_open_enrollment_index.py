"""At most one open enrollment per participant and activity, held by the database

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status IN ('enrolled', 'active')"


def upgrade() -> None:
    op.create_index(
        "uq_enrollments_open",
        "enrollments",
        ["activity_id", "participant_id"],
        unique=True,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("uq_enrollments_open", table_name="enrollments")
