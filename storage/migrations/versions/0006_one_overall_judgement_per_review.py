"""one overall judgement per review

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 21:24:30.972926
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OVERALL = sa.text("outcome_id IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("judgement", schema=None) as batch_op:
        batch_op.create_index(
            "uq_judgement_overall",
            ["review_id"],
            unique=True,
            sqlite_where=OVERALL,
            postgresql_where=OVERALL,
        )


def downgrade() -> None:
    with op.batch_alter_table("judgement", schema=None) as batch_op:
        batch_op.drop_index("uq_judgement_overall")
