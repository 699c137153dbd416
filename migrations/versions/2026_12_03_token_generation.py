"""Token generations on users and API clients: tokens issued before a change of role,
partner or password (or before a deletion) are refused

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("users", "api_clients")


def upgrade() -> None:
    # Tokens issued before this migration carry no generation and count as generation 0,
    # so an upgrade signs nobody out.
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("token_generation", sa.Integer(), server_default="0", nullable=False)
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("token_generation")
