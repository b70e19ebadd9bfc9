"""linked indicators as they were when judged

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 10:05:48.352675
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("judgement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("indicators_then", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("judgement", schema=None) as batch_op:
        batch_op.drop_column("indicators_then")
