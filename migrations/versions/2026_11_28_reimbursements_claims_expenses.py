"""Reimbursement schemes and rates (seeded with the published ones), claims with their
lines and status history, and expenses

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import api.models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reimbursement_schemes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "basis",
            sa.Enum(
                "per_place_day",
                "per_person_day",
                "per_person_month",
                "per_place_once",
                name="reimbursement_basis",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "location_kinds",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "groups",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reimbursement_schemes")),
        sa.UniqueConstraint("code", name=op.f("uq_reimbursement_schemes_code")),
    )
    op.create_table(
        "reimbursement_claims",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scheme_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "approved",
                "rejected",
                "paid",
                name="claim_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("total_amount", api.models.base.Money(), nullable=False),
        sa.Column("claimed_amount", api.models.base.Money(), nullable=True),
        sa.Column("received_amount", api.models.base.Money(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("corrects_claim_id", sa.Uuid(), nullable=True),
        sa.Column("computed_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("frozen_at", api.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("inputs_hash", sa.String(length=64), nullable=True),
        sa.Column(
            "rates_used",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "period_end >= period_start",
            name=op.f("ck_reimbursement_claims_period_end_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["corrects_claim_id"],
            ["reimbursement_claims.id"],
            name=op.f("fk_reimbursement_claims_corrects_claim_id_reimbursement_claims"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["reimbursement_schemes.id"],
            name=op.f("fk_reimbursement_claims_scheme_id_reimbursement_schemes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reimbursement_claims")),
    )
    with op.batch_alter_table("reimbursement_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reimbursement_claims_corrects_claim_id"),
            ["corrects_claim_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_reimbursement_claims_period", ["period_end", "scheme_id"], unique=False
        )
        batch_op.create_index(
            "uq_reimbursement_claims_filed",
            ["scheme_id", "period_start", "period_end"],
            unique=True,
            postgresql_where=sa.text(
                "corrects_claim_id IS NULL AND status IN ('submitted', 'approved', 'paid')"
            ),
            sqlite_where=sa.text(
                "corrects_claim_id IS NULL AND status IN ('submitted', 'approved', 'paid')"
            ),
        )

    op.create_table(
        "reimbursement_rates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("scheme_id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("amount", api.models.base.Money(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_reimbursement_rates_amount_not_negative")),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_reimbursement_rates_valid_to_after_from"),
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["reimbursement_schemes.id"],
            name=op.f("fk_reimbursement_rates_scheme_id_reimbursement_schemes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reimbursement_rates")),
        sa.UniqueConstraint(
            "scheme_id", "valid_from", name=op.f("uq_reimbursement_rates_scheme_id_valid_from")
        ),
    )
    op.create_table(
        "reimbursement_claim_lines",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("rate_from", sa.Date(), nullable=False),
        sa.Column("rate_to", sa.Date(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("rate", api.models.base.Money(), nullable=False),
        sa.Column("amount", api.models.base.Money(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["reimbursement_claims.id"],
            name=op.f("fk_reimbursement_claim_lines_claim_id_reimbursement_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_reimbursement_claim_lines_location_id_locations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reimbursement_claim_lines")),
    )
    with op.batch_alter_table("reimbursement_claim_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reimbursement_claim_lines_claim", ["claim_id", "position"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reimbursement_claim_lines_location_id"), ["location_id"], unique=False
        )

    op.create_table(
        "reimbursement_claim_status_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "draft",
                "submitted",
                "approved",
                "rejected",
                "paid",
                name="claim_status_from",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "draft",
                "submitted",
                "approved",
                "rejected",
                "paid",
                name="claim_status_to",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["reimbursement_claims.id"],
            name=op.f("fk_reimbursement_claim_status_changes_claim_id_reimbursement_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reimbursement_claim_status_changes")),
    )
    with op.batch_alter_table("reimbursement_claim_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reimbursement_claim_status_changes_claim", ["claim_id", "at"], unique=False
        )

    op.create_table(
        "expenses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
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
                name="expense_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount", api.models.base.Money(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("partner_id", sa.Uuid(), nullable=True),
        sa.Column("scheme_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_expenses_amount_not_zero")),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_expenses_activity_id_activities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_expenses_location_id_locations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_expenses_partner_id_partners"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["reimbursement_schemes.id"],
            name=op.f("fk_expenses_scheme_id_reimbursement_schemes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenses")),
    )
    with op.batch_alter_table("expenses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expenses_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expenses_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expenses_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expenses_scheme_id"), ["scheme_id"], unique=False)
        batch_op.create_index("ix_expenses_spent_on", ["spent_on"], unique=False)

    seed_published_rates()


def downgrade() -> None:
    with op.batch_alter_table("expenses", schema=None) as batch_op:
        batch_op.drop_index("ix_expenses_spent_on")
        batch_op.drop_index(batch_op.f("ix_expenses_scheme_id"))
        batch_op.drop_index(batch_op.f("ix_expenses_partner_id"))
        batch_op.drop_index(batch_op.f("ix_expenses_location_id"))
        batch_op.drop_index(batch_op.f("ix_expenses_activity_id"))

    op.drop_table("expenses")
    with op.batch_alter_table("reimbursement_claim_status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_reimbursement_claim_status_changes_claim")

    op.drop_table("reimbursement_claim_status_changes")
    with op.batch_alter_table("reimbursement_claim_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reimbursement_claim_lines_location_id"))
        batch_op.drop_index("ix_reimbursement_claim_lines_claim")

    op.drop_table("reimbursement_claim_lines")
    op.drop_table("reimbursement_rates")
    with op.batch_alter_table("reimbursement_claims", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_reimbursement_claims_filed",
            postgresql_where=sa.text(
                "corrects_claim_id IS NULL AND status IN ('submitted', 'approved', 'paid')"
            ),
            sqlite_where=sa.text(
                "corrects_claim_id IS NULL AND status IN ('submitted', 'approved', 'paid')"
            ),
        )
        batch_op.drop_index("ix_reimbursement_claims_period")
        batch_op.drop_index(batch_op.f("ix_reimbursement_claims_corrects_claim_id"))

    op.drop_table("reimbursement_claims")
    op.drop_table("reimbursement_schemes")


# The published schemes and rates (../shared/design/domain.md, with its sources). Amounts
# in cents, as the Money type stores them. Finance staff add later rates through the API.
BOOO = "Bekostigingsregeling opvang ontheemden Oekraïne (BooO), Stcrt. 2022, 27515"
NOS_2024 = "BooO normbedrag 2024, as reported by NOS (nos.nl, artikel 2530636)"
SPW = "Regeling specifieke uitkeringen Spreidingswet, Stcrt. 2024, 3349"
Rate = tuple[date, date | None, int, str]
Scheme = tuple[str, str, str, list[str], list[str] | None, str, list[Rate]]
SCHEMES: list[Scheme] = [
    (
        "BOO-GOO",
        "BooO: municipal reception of displaced persons from Ukraine (GOO)",
        "per_place_day",
        ["municipal_ukrainian"],
        None,
        "Per realised place per day, occupied or not.",
        [
            (date(2022, 3, 1), date(2022, 10, 14), 10000, BOOO),
            (
                date(2022, 10, 15),
                date(2023, 12, 31),
                8300,
                "BooO amendment, Stcrt. 2022, 27515; Rijksoverheid news 14-10-2022",
            ),
            (date(2024, 1, 1), date(2024, 12, 31), 6100, NOS_2024),
            (date(2025, 1, 1), date(2025, 12, 31), 4400, "Kamerbrief 13-11-2024 (TK 2024D43792)"),
        ],
    ),
    (
        "BOO-POO",
        "BooO: private hosting of displaced persons from Ukraine (POO)",
        "per_person_month",
        ["private_hosting"],
        ["ukrainian_displaced"],
        "Per person in private hosting receiving living allowance, per month.",
        [
            (date(2022, 3, 1), date(2023, 12, 31), 21000, BOOO),
            (date(2024, 1, 1), date(2024, 12, 31), 9200, NOS_2024),
            (
                date(2025, 1, 1),
                date(2025, 12, 31),
                4800,
                "Reported with the 2025 amounts (Kamerbrief 13-11-2024); check the Staatscourant",
            ),
        ],
    ),
    (
        "SPW-DUURZAAM",
        "Spreidingswet incentive: durable place (at least 5 years), first phase",
        "per_place_once",
        ["asylum_center", "amv_small_scale"],
        None,
        "Once per place added. Which locations hold durable places is set by location kind.",
        [(date(2024, 2, 1), None, 500000, SPW)],
    ),
    (
        "SPW-OVERIG",
        "Spreidingswet incentive: other place, first phase",
        "per_place_once",
        ["emergency"],
        None,
        "Once per place added (temporary places: emergency locations).",
        [(date(2024, 2, 1), None, 250000, SPW)],
    ),
]
SEED_NAMESPACE = uuid.UUID("6f1c2a8e-3d4b-4c5a-9e7f-0a1b2c3d4e5f")


def seed_published_rates() -> None:
    now = datetime.now(UTC)
    schemes = sa.table(
        "reimbursement_schemes",
        sa.column("id", sa.Uuid()),
        sa.column("code", sa.String()),
        sa.column("name", sa.String()),
        sa.column("basis", sa.String()),
        sa.column("location_kinds", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
        sa.column("groups", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
        sa.column("description", sa.Text()),
        sa.column("created_at", api.models.base.UTCDateTime()),
        sa.column("updated_at", api.models.base.UTCDateTime()),
        sa.column("version", sa.Integer()),
    )
    rates = sa.table(
        "reimbursement_rates",
        sa.column("id", sa.Uuid()),
        sa.column("scheme_id", sa.Uuid()),
        sa.column("valid_from", sa.Date()),
        sa.column("valid_to", sa.Date()),
        sa.column("amount", sa.BigInteger()),
        sa.column("source", sa.String()),
        sa.column("created_at", api.models.base.UTCDateTime()),
        sa.column("updated_at", api.models.base.UTCDateTime()),
        sa.column("version", sa.Integer()),
    )
    scheme_rows: list[dict[str, object]] = []
    rate_rows: list[dict[str, object]] = []
    for code, name, basis, kinds, groups, description, scheme_rates in SCHEMES:
        scheme_id = uuid.uuid5(SEED_NAMESPACE, code)
        scheme_rows.append(
            {
                "id": scheme_id,
                "code": code,
                "name": name,
                "basis": basis,
                "location_kinds": kinds,
                "groups": groups,
                "description": description,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        for valid_from, valid_to, cents, source in scheme_rates:
            rate_rows.append(
                {
                    "id": uuid.uuid5(SEED_NAMESPACE, f"{code}/{valid_from}"),
                    "scheme_id": scheme_id,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "amount": cents,
                    "source": source,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
    op.bulk_insert(schemes, scheme_rows)
    op.bulk_insert(rates, rate_rows)
