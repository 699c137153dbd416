"""Reimbursement corrections (issue 17): the living-allowance status per person, and
durable Spreidingswet places by the regulation's conditions instead of the location kind.

- ``living_allowances``: a person receives the municipal living allowance from/to. The
  BooO pays its POO amount per person in private hosting who receives it, so BOO-POO
  gets ``requires_living_allowance`` and the engine counts only nights inside a range.
- Durable places. Confirmed in the sources (officielebekendmakingen.nl):
  Besluit gemeentelijke taak mogelijk maken asielopvangvoorzieningen (Stb. 2024, 13)
  art. 1.1: "duurzame opvangplaatsen: opvangplaatsen die voor minimaal vijf jaar
  beschikbaar zijn"; Regeling specifieke uitkeringen Wet gemeentelijke taak mogelijk maken
  asielopvangvoorzieningen (Stcrt. 2024, 3349) art. 3 lid 2: for durable places
  (Wet art. 9 lid 2 onder b) the uitkering is paid on application by the college; art. 3
  lid 5 onder a: the application states at least from when the place is available (the
  rest of lid 5, "for how long", was cut off in the text found). Not confirmed in an
  article: the minimum of 100 places per municipality (Rijksoverheid news of 2023-03-24
  and 2024-01-31 report "minimaal 100 plekken ... gedurende 5 jaar"); it is not enforced.
  So a location gets ``available_until`` (the last day the municipality plans to make its
  places available; NULL: not stated, so not durable, as the application must state it),
  and a place added on day d is durable when ``available_until >= d + 5 years - 1 day``.
  The SPW schemes cover every asylum kind and say by ``place_condition`` which places
  they pay for (durable / not_durable), no longer by kind.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 08:52:03.107984
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import api.models.base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "living_allowances",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", api.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_living_allowances_ends_after_starts"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_living_allowances_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_living_allowances")),
    )
    with op.batch_alter_table("living_allowances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_living_allowances_participant_starts", ["participant_id", "starts_on"], unique=False
        )

    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("available_until", sa.Date(), nullable=True))

    with op.batch_alter_table("reimbursement_schemes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "requires_living_allowance",
                sa.Boolean(),
                server_default=sa.text("false"),
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "place_condition",
                sa.Enum(
                    "durable",
                    "not_durable",
                    name="place_condition",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )

    schemes = sa.table(
        "reimbursement_schemes",
        sa.column("code", sa.String()),
        sa.column("requires_living_allowance", sa.Boolean()),
        sa.column("place_condition", sa.String()),
        sa.column("location_kinds", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
        sa.column("description", sa.Text()),
    )
    op.execute(
        schemes.update().where(schemes.c.code == "BOO-POO").values(requires_living_allowance=True)
    )
    for code, condition, description in (
        ("SPW-DUURZAAM", "durable", DURABLE),
        ("SPW-OVERIG", "not_durable", OTHER),
    ):
        op.execute(
            schemes.update()
            .where(schemes.c.code == code)
            .values(place_condition=condition, location_kinds=ASYLUM_KINDS, description=description)
        )


ASYLUM_KINDS = ["asylum_center", "amv_small_scale", "emergency"]
DURABLE = (
    "Once per place added that is available at least five years from the day it is added "
    "(Besluit gemeentelijke taak mogelijk maken asielopvangvoorzieningen art. 1.1; Regeling "
    "Stcrt. 2024, 3349 art. 3 lid 2 and 5): the location's availableUntil decides."
)
OTHER = "Once per place added that is not durable (available less than five years, or not stated)."
BEFORE = {
    "SPW-DUURZAAM": (
        ["asylum_center", "amv_small_scale"],
        "Once per place added. Which locations hold durable places is set by location kind.",
    ),
    "SPW-OVERIG": (
        ["emergency"],
        "Once per place added (temporary places: emergency locations).",
    ),
}


def downgrade() -> None:
    schemes = sa.table(
        "reimbursement_schemes",
        sa.column("code", sa.String()),
        sa.column("location_kinds", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
        sa.column("description", sa.Text()),
    )
    for code, (kinds, description) in BEFORE.items():
        op.execute(
            schemes.update()
            .where(schemes.c.code == code)
            .values(location_kinds=kinds, description=description)
        )
    with op.batch_alter_table("reimbursement_schemes", schema=None) as batch_op:
        # The enum's CHECK first: SQLite's table copy would keep it and miss the column.
        batch_op.drop_constraint(op.f("ck_reimbursement_schemes_place_condition"), type_="check")
        batch_op.drop_column("place_condition")
        batch_op.drop_column("requires_living_allowance")

    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_column("available_until")

    with op.batch_alter_table("living_allowances", schema=None) as batch_op:
        batch_op.drop_index("ix_living_allowances_participant_starts")

    op.drop_table("living_allowances")
