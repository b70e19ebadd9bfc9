"""indicator basis, frequency and publication lag

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 20:45:29.871476
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "basis",
                sa.Enum(
                    "point",
                    "rolling_12_months",
                    "year_to_date",
                    name="basis",
                    native_enum=False,
                    create_constraint=True,
                    length=17,
                ),
                server_default="point",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "frequency",
                sa.Enum(
                    "monthly",
                    "quarterly",
                    "annual",
                    name="frequency",
                    native_enum=False,
                    create_constraint=True,
                    length=9,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("lag_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("lag_days")
        batch_op.drop_column("frequency")
        batch_op.drop_column("basis")
