"""outcome links to complaint categories, view themes and survey questions

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 21:09:51.070085
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outcome_link",
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "complaint_category",
                "view_theme",
                "survey_question",
                name="linkkind",
                native_enum=False,
                create_constraint=True,
                length=18,
            ),
            nullable=False,
        ),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome_statement.id"],
            name=op.f("fk_outcome_link_outcome_id_outcome_statement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("outcome_id", "kind", "value", name=op.f("pk_outcome_link")),
    )


def downgrade() -> None:
    op.drop_table("outcome_link")
