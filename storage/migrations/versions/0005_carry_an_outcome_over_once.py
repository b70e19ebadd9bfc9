"""carry an outcome over once

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 20:01:35.301476
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outcome_statement", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_outcome_carried_once", ["review_id", "carried_from_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("outcome_statement", schema=None) as batch_op:
        batch_op.drop_constraint("uq_outcome_carried_once", type_="unique")
