"""locations participants placements

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 04:34:11.809462
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import api.models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("postcode", sa.String(length=7), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "municipal_ukrainian",
                "private_hosting",
                "asylum_center",
                "amv_small_scale",
                "emergency",
                name="location_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("operator_partner_id", sa.Uuid(), nullable=False),
        sa.Column("external_code", sa.String(length=64), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "closed_on IS NULL OR closed_on >= opened_on",
            name=op.f("ck_locations_closed_after_opened"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_partner_id"],
            ["partners.id"],
            name=op.f("fk_locations_operator_partner_id_partners"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
        sa.UniqueConstraint("name", name=op.f("uq_locations_name")),
        sa.UniqueConstraint(
            "operator_partner_id",
            "external_code",
            name=op.f("uq_locations_operator_partner_id_external_code"),
        ),
    )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_locations_operator_partner_id"), ["operator_partner_id"], unique=False
        )

    op.create_table(
        "participants",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=True),
        sa.Column("v_number", sa.String(length=20), nullable=True),
        sa.Column("given_name", sa.String(length=100), nullable=True),
        sa.Column("family_name", sa.String(length=100), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column(
            "group",
            sa.Enum(
                "ukrainian_displaced",
                "asylum_seeker",
                "unaccompanied_minor",
                name="participant_group",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("guardian_partner_id", sa.Uuid(), nullable=True),
        sa.Column("household_ref", sa.String(length=64), nullable=True),
        sa.Column(
            "languages",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "dutch_level",
            sa.Enum(
                "none",
                "A1",
                "A2",
                "B1",
                "B2",
                "C1",
                "C2",
                name="dutch_level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "employment_status",
            sa.Enum(
                "not_working",
                "volunteering",
                "studying",
                "part_time",
                "full_time",
                name="employment_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("anonymised_at", api.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guardian_partner_id"],
            ["partners.id"],
            name=op.f("fk_participants_guardian_partner_id_partners"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint("bsn", name=op.f("uq_participants_bsn")),
        sa.UniqueConstraint("reference", name=op.f("uq_participants_reference")),
        sa.UniqueConstraint("v_number", name=op.f("uq_participants_v_number")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participants_group"), ["group"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_participants_guardian_partner_id"), ["guardian_partner_id"], unique=False
        )

    op.create_table(
        "capacity_changes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("capacity >= 0", name=op.f("ck_capacity_changes_capacity_not_negative")),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_capacity_changes_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_changes")),
        sa.UniqueConstraint(
            "location_id", "valid_from", name=op.f("uq_capacity_changes_location_id_valid_from")
        ),
    )
    with op.batch_alter_table("capacity_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_capacity_changes_location_valid_from", ["location_id", "valid_from"], unique=False
        )

    op.create_table(
        "participant_progress",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column(
            "field",
            sa.Enum(
                "dutch_level",
                "employment_status",
                name="progress_field",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_progress_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_progress")),
    )
    with op.batch_alter_table("participant_progress", schema=None) as batch_op:
        batch_op.create_index(
            "ix_participant_progress_participant", ["participant_id", "field"], unique=False
        )

    op.create_table(
        "placements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column(
            "end_reason",
            sa.Enum(
                "transfer",
                "housing",
                "returned",
                "left",
                "other",
                name="end_reason",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("capacity_override_reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date > start_date", name=op.f("ck_placements_end_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_placements_location_id_locations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_placements_participant_id_participants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placements")),
    )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_placements_location_start", ["location_id", "start_date"], unique=False
        )
        batch_op.create_index(
            "ix_placements_participant_start", ["participant_id", "start_date"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_index("ix_placements_participant_start")
        batch_op.drop_index("ix_placements_location_start")

    op.drop_table("placements")
    with op.batch_alter_table("participant_progress", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_progress_participant")

    op.drop_table("participant_progress")
    with op.batch_alter_table("capacity_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_capacity_changes_location_valid_from")

    op.drop_table("capacity_changes")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participants_guardian_partner_id"))
        batch_op.drop_index(batch_op.f("ix_participants_group"))

    op.drop_table("participants")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_locations_operator_partner_id"))

    op.drop_table("locations")
