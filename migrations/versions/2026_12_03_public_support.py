"""Public support (issue 18): decisions about locations with their conditions, meetings
with residents and the agreements made there, the communication log, candidate locations
with their scores against the housing criteria, the Spreidingswet task; public
information on locations, the decision behind a capacity change, and a due date on
signals (filled in here for the signals already entered: 7, 14 or 28 days after the
report by severity, the settings' defaults).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

import api.models.base

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "housing_criteria",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "weight BETWEEN 1 AND 10", name=op.f("ck_housing_criteria_weight_in_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_criteria")),
        sa.UniqueConstraint("name", name=op.f("uq_housing_criteria_name")),
    )
    op.create_table(
        "spreiding_tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_spreiding_tasks_ends_after_start")
        ),
        sa.CheckConstraint("places >= 0", name=op.f("ck_spreiding_tasks_places_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spreiding_tasks")),
        sa.UniqueConstraint("starts_on", name=op.f("uq_spreiding_tasks_starts_on")),
    )
    op.create_table(
        "candidate_locations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column(
            "proposed_kind",
            sa.Enum(
                "municipal_ukrainian",
                "private_hosting",
                "asylum_center",
                "amv_small_scale",
                "emergency",
                name="candidate_location_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("proposed_places", sa.Integer(), nullable=True),
        sa.Column("planned_months", sa.Integer(), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("operator_partner_id", sa.Uuid(), nullable=True),
        sa.Column(
            "stage",
            sa.Enum(
                "idea",
                "investigation",
                "proposed",
                "decided",
                "rejected",
                "withdrawn",
                name="candidate_stage",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "planned_months IS NULL OR planned_months > 0",
            name=op.f("ck_candidate_locations_planned_months_positive"),
        ),
        sa.CheckConstraint(
            "proposed_places IS NULL OR proposed_places > 0",
            name=op.f("ck_candidate_locations_places_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_candidate_locations_location_id_locations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["operator_partner_id"],
            ["partners.id"],
            name=op.f("fk_candidate_locations_operator_partner_id_partners"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_locations")),
        sa.UniqueConstraint("location_id", name=op.f("uq_candidate_locations_location_id")),
        sa.UniqueConstraint("name", name=op.f("uq_candidate_locations_name")),
    )
    with op.batch_alter_table("candidate_locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_locations_operator_partner_id"),
            ["operator_partner_id"],
            unique=False,
        )

    op.create_table(
        "candidate_scores",
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("criterion_id", sa.Uuid(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "score BETWEEN 0 AND 5", name=op.f("ck_candidate_scores_score_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate_locations.id"],
            name=op.f("fk_candidate_scores_candidate_id_candidate_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["housing_criteria.id"],
            name=op.f("fk_candidate_scores_criterion_id_housing_criteria"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("candidate_id", "criterion_id", name=op.f("pk_candidate_scores")),
    )
    with op.batch_alter_table("candidate_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_scores_criterion_id"), ["criterion_id"], unique=False
        )

    op.create_table(
        "candidate_stage_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "idea",
                "investigation",
                "proposed",
                "decided",
                "rejected",
                "withdrawn",
                name="candidate_change_stage",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("author_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate_locations.id"],
            name=op.f("fk_candidate_stage_changes_candidate_id_candidate_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_stage_changes")),
    )
    with op.batch_alter_table("candidate_stage_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_candidate_stage_changes", ["candidate_id", "changed_on"], unique=False
        )

    op.create_table(
        "communications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("candidate_id", sa.Uuid(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "letter",
                "newsletter",
                "website",
                "meeting",
                "social_media",
                name="communication_channel",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "audience",
            sa.Enum(
                "street",
                "neighbourhood",
                "municipality",
                name="communication_audience",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate_locations.id"],
            name=op.f("fk_communications_candidate_id_candidate_locations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_communications_location_id_locations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communications")),
    )
    with op.batch_alter_table("communications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_communications_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            "ix_communications_location_sent", ["location_id", "sent_on"], unique=False
        )

    op.create_table(
        "location_decisions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("candidate_id", sa.Uuid(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column(
            "body",
            sa.Enum(
                "council",
                "college",
                "mayor",
                name="decision_body",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("document_url", sa.String(length=500), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "location_id IS NOT NULL OR candidate_id IS NOT NULL",
            name=op.f("ck_location_decisions_location_or_candidate"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate_locations.id"],
            name=op.f("fk_location_decisions_candidate_id_candidate_locations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_location_decisions_location_id_locations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location_decisions")),
    )
    with op.batch_alter_table("location_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_location_decisions_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            "ix_location_decisions_location", ["location_id", "decided_on"], unique=False
        )

    op.create_table(
        "meetings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("candidate_id", sa.Uuid(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "neighbourhood_meeting",
                "information_evening",
                "sounding_board",
                name="meeting_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("residents_present", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "residents_present >= 0", name=op.f("ck_meetings_residents_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate_locations.id"],
            name=op.f("fk_meetings_candidate_id_candidate_locations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_meetings_location_id_locations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meetings_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index("ix_meetings_location_held", ["location_id", "held_on"], unique=False)

    op.create_table(
        "agreements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("meeting_id", sa.Uuid(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=True),
        sa.Column("owner_user_id", sa.Uuid(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "done",
                "cancelled",
                name="agreement_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "NOT (partner_id IS NOT NULL AND owner_user_id IS NOT NULL)",
            name=op.f("ck_agreements_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_agreements_location_id_locations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_agreements_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_agreements_owner_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_agreements_partner_id_partners"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreements_location_id"), ["location_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_agreements_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_agreements_owner_user_id"), ["owner_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_agreements_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index("ix_agreements_status_due", ["status", "due_on"], unique=False)

    op.create_table(
        "decision_conditions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("decision_id", sa.Uuid(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("evaluate_on", sa.Date(), nullable=False),
        sa.Column("owner_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "met",
                "not_met",
                "withdrawn",
                name="condition_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["location_decisions.id"],
            name=op.f("fk_decision_conditions_decision_id_location_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_decision_conditions_owner_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_conditions")),
    )
    with op.batch_alter_table("decision_conditions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_conditions_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index("ix_decision_conditions_due", ["status", "evaluate_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_decision_conditions_owner_user_id"), ["owner_user_id"], unique=False
        )

    op.create_table(
        "meeting_partners",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_partners_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_meeting_partners_partner_id_partners"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "partner_id", name=op.f("pk_meeting_partners")),
    )
    with op.batch_alter_table("meeting_partners", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_partners_partner_id"), ["partner_id"], unique=False
        )

    op.create_table(
        "agreement_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author_type", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=True),
        sa.Column("author_role", sa.String(length=16), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_notes_agreement_id_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_notes")),
    )
    with op.batch_alter_table("agreement_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_notes_agreement_id"), ["agreement_id"], unique=False
        )

    with op.batch_alter_table("capacity_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_id", sa.Uuid(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_capacity_changes_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_capacity_changes_decision_id_location_decisions"),
            "location_decisions",
            ["decision_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("public", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("public_contact", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("public_note", sa.Text(), nullable=True))

    with op.batch_alter_table("planned_capacity_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_id", sa.Uuid(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_planned_capacity_changes_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_planned_capacity_changes_decision_id_location_decisions"),
            "location_decisions",
            ["decision_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("due_at", api.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_signals_due_at"), ["due_at"], unique=False)

    _fill_due_dates()


def _fill_due_dates() -> None:
    signals = sa.table(
        "signals",
        sa.column("id", sa.Uuid()),
        sa.column("reported_at", api.models.base.UTCDateTime()),
        sa.column("severity", sa.String()),
        sa.column("due_at", api.models.base.UTCDateTime()),
    )
    bind = op.get_bind()
    days = {"high": 7, "medium": 14, "low": 28}
    rows = bind.execute(sa.select(signals.c.id, signals.c.reported_at, signals.c.severity))
    for signal_id, reported_at, severity in rows.all():
        bind.execute(
            signals.update()
            .where(signals.c.id == signal_id)
            .values(due_at=reported_at + timedelta(days=days[severity]))
        )


def downgrade() -> None:
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signals_due_at"))
        batch_op.drop_column("due_at")

    with op.batch_alter_table("planned_capacity_changes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_planned_capacity_changes_decision_id_location_decisions"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_planned_capacity_changes_decision_id"))
        batch_op.drop_column("decision_id")

    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_column("public_note")
        batch_op.drop_column("public_contact")
        batch_op.drop_column("public")

    with op.batch_alter_table("capacity_changes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_capacity_changes_decision_id_location_decisions"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_capacity_changes_decision_id"))
        batch_op.drop_column("decision_id")

    with op.batch_alter_table("agreement_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_notes_agreement_id"))

    op.drop_table("agreement_notes")
    with op.batch_alter_table("meeting_partners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_partners_partner_id"))

    op.drop_table("meeting_partners")
    with op.batch_alter_table("decision_conditions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_conditions_owner_user_id"))
        batch_op.drop_index("ix_decision_conditions_due")
        batch_op.drop_index(batch_op.f("ix_decision_conditions_decision_id"))

    op.drop_table("decision_conditions")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index("ix_agreements_status_due")
        batch_op.drop_index(batch_op.f("ix_agreements_partner_id"))
        batch_op.drop_index(batch_op.f("ix_agreements_owner_user_id"))
        batch_op.drop_index(batch_op.f("ix_agreements_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_agreements_location_id"))

    op.drop_table("agreements")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_location_held")
        batch_op.drop_index(batch_op.f("ix_meetings_candidate_id"))

    op.drop_table("meetings")
    with op.batch_alter_table("location_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_location_decisions_location")
        batch_op.drop_index(batch_op.f("ix_location_decisions_candidate_id"))

    op.drop_table("location_decisions")
    with op.batch_alter_table("communications", schema=None) as batch_op:
        batch_op.drop_index("ix_communications_location_sent")
        batch_op.drop_index(batch_op.f("ix_communications_candidate_id"))

    op.drop_table("communications")
    with op.batch_alter_table("candidate_stage_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_stage_changes")

    op.drop_table("candidate_stage_changes")
    with op.batch_alter_table("candidate_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_scores_criterion_id"))

    op.drop_table("candidate_scores")
    with op.batch_alter_table("candidate_locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_locations_operator_partner_id"))

    op.drop_table("candidate_locations")
    op.drop_table("spreiding_tasks")
    op.drop_table("housing_criteria")
