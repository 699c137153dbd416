"""Programme steering: the begroting per year with its versions (primitive, wijzigingen)
and lines per expense category and income scheme; the reserve's council-decided
mutations; and how certain a rate is (published, or provisional: announced or assumed).
Existing rates were entered from published sources, so they become ``published``.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import api.models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "budget_versions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decision_reference", sa.String(length=200), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("number >= 0", name=op.f("ck_budget_versions_number_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_versions")),
        sa.UniqueConstraint("year", "number", name=op.f("uq_budget_versions_year_number")),
    )
    op.create_table(
        "reserve_mutations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount", api.models.base.Money(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("decision_reference", sa.String(length=200), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_reserve_mutations_amount_not_zero")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reserve_mutations")),
    )
    with op.batch_alter_table("reserve_mutations", schema=None) as batch_op:
        batch_op.create_index("ix_reserve_mutations_on", ["booked_on"], unique=False)

    op.create_table(
        "budget_lines",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "expense",
                "income",
                name="budget_line_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "category",
            sa.Enum(
                "staff",
                "activities",
                "location",
                "living_allowance",
                "health",
                "transport",
                "communication",
                "volunteers",
                "other",
                name="budget_line_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("scheme_id", sa.Uuid(), nullable=True),
        sa.Column("amount", api.models.base.Money(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "(kind = 'expense' AND category IS NOT NULL AND scheme_id IS NULL)"
            " OR (kind = 'income' AND scheme_id IS NOT NULL AND category IS NULL)",
            name=op.f("ck_budget_lines_category_or_scheme"),
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["reimbursement_schemes.id"],
            name=op.f("fk_budget_lines_scheme_id_reimbursement_schemes"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["budget_versions.id"],
            name=op.f("fk_budget_lines_version_id_budget_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_lines")),
    )
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_lines_scheme_id"), ["scheme_id"], unique=False)
        batch_op.create_index("ix_budget_lines_version", ["version_id", "kind"], unique=False)

    with op.batch_alter_table("reimbursement_rates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "certainty",
                sa.Enum(
                    "published",
                    "announced",
                    "assumed",
                    name="rate_certainty",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="published",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("reimbursement_rates", schema=None) as batch_op:
        batch_op.drop_column("certainty")

    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_budget_lines_version")
        batch_op.drop_index(batch_op.f("ix_budget_lines_scheme_id"))

    op.drop_table("budget_lines")
    with op.batch_alter_table("reserve_mutations", schema=None) as batch_op:
        batch_op.drop_index("ix_reserve_mutations_on")

    op.drop_table("reserve_mutations")
    op.drop_table("budget_versions")
