"""a proposal kept for next quarter: not reached when the set was agreed

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 14:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "status IN ('proposed', 'agreed', 'withdrawn')"
AFTER = "status IN ('proposed', 'agreed', 'withdrawn', 'kept')"


def upgrade() -> None:
    with op.batch_alter_table("outcome_statement", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outcome_statement_outcomestatus"), type_="check")
        batch_op.create_check_constraint("outcomestatus", AFTER)


def downgrade() -> None:
    op.execute("UPDATE outcome_statement SET status = 'proposed' WHERE status = 'kept'")
    with op.batch_alter_table("outcome_statement", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outcome_statement_outcomestatus"), type_="check")
        batch_op.create_check_constraint("outcomestatus", BEFORE)
