"""what was found when a need was settled

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 06:50:27.118751
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("information_need", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("answer_link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.add_column(
            sa.Column("answer_file", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.add_column(
            sa.Column("settled_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("information_need", schema=None) as batch_op:
        batch_op.drop_column("settled_by")
        batch_op.drop_column("answer_file")
        batch_op.drop_column("answer_link")
        batch_op.drop_column("answer")
