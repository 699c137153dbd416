"""An owner (a staff user) per signal; the weekdays an activity meets on

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("signals") as batch:
        batch.add_column(sa.Column("owner_user_id", sa.Uuid(), nullable=True))
        # A deleted user leaves the signal without an owner, not the signal without a row.
        batch.create_foreign_key(
            op.f("fk_signals_owner_user_id_users"),
            "users",
            ["owner_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(batch.f("ix_signals_owner_user_id"), ["owner_user_id"], unique=False)
    with op.batch_alter_table("activities") as batch:
        # Existing activities get no weekdays: their session date stays today's.
        batch.add_column(
            sa.Column(
                "weekdays",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="[]",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("weekdays")
    with op.batch_alter_table("signals") as batch:
        batch.drop_index(batch.f("ix_signals_owner_user_id"))
        batch.drop_constraint(op.f("fk_signals_owner_user_id_users"), type_="foreignkey")
        batch.drop_column("owner_user_id")
