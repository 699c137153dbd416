"""Programme steering: the begroting per year with its versions (primitive, wijzigingen)
and lines per expense category and income scheme; the reserve's council-decided
mutations; the capacity plan (future changes, apart from the capacity history), the
forecast's occupancy assumptions and the scenarios; and how certain a rate is
(published, or provisional: announced or assumed).
Existing rates were entered from published sources, so they become ``published``.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

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

    op.create_table(
        "scenarios",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
        sa.UniqueConstraint("name", name=op.f("uq_scenarios_name")),
    )
    op.create_table(
        "scenario_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("scenario_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "rate",
                "capacity",
                "occupancy",
                "location_open",
                "location_close",
                "cost",
                name="scenario_change_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column(
            "params",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_scenario_changes_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_changes_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_changes")),
    )
    with op.batch_alter_table("scenario_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scenario_changes_scenario", ["scenario_id", "position"], unique=False
        )

    op.create_table(
        "occupancy_assumptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "rate_bp BETWEEN 0 AND 10000", name=op.f("ck_occupancy_assumptions_rate_bp_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_occupancy_assumptions_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occupancy_assumptions")),
        sa.UniqueConstraint("location_id", name=op.f("uq_occupancy_assumptions_location_id")),
    )
    op.create_table(
        "planned_capacity_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "capacity",
                "opening",
                "closing",
                name="planned_change_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("takes_effect_on", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("decision_reference", sa.String(length=200), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("realised_at", api.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'closing' AND capacity IS NULL) OR (kind <> 'closing' AND capacity >= 0)",
            name=op.f("ck_planned_capacity_changes_capacity_unless_closing"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_planned_capacity_changes_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planned_capacity_changes")),
        sa.UniqueConstraint(
            "location_id",
            "takes_effect_on",
            name=op.f("uq_planned_capacity_changes_location_id_takes_effect_on"),
        ),
    )
    with op.batch_alter_table("planned_capacity_changes", schema=None) as batch_op:
        batch_op.create_index("ix_planned_capacity_changes_day", ["takes_effect_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("planned_capacity_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_planned_capacity_changes_day")

    op.drop_table("planned_capacity_changes")
    op.drop_table("occupancy_assumptions")
    with op.batch_alter_table("scenario_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_scenario_changes_scenario")

    op.drop_table("scenario_changes")
    op.drop_table("scenarios")
    with op.batch_alter_table("reimbursement_rates", schema=None) as batch_op:
        # The enum's CHECK first: SQLite's batch copy would keep it and miss the column.
        batch_op.drop_constraint(op.f("ck_reimbursement_rates_rate_certainty"), type_="check")
        batch_op.drop_column("certainty")

    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_budget_lines_version")
        batch_op.drop_index(batch_op.f("ix_budget_lines_scheme_id"))

    op.drop_table("budget_lines")
    with op.batch_alter_table("reserve_mutations", schema=None) as batch_op:
        batch_op.drop_index("ix_reserve_mutations_on")

    op.drop_table("reserve_mutations")
    op.drop_table("budget_versions")
