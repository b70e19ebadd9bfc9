"""whether a team's figures are its council's, when its schedule was set, why an
indicator's limits were recalculated, and its unit in words

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("council_figures", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("schedule_set_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "recalculate_reason",
                sqlmodel.sql.sqltypes.AutoString(length=300),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("unit_label", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("unit_label")
        batch_op.drop_column("recalculate_reason")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("schedule_set_at")
        batch_op.drop_column("council_figures")
