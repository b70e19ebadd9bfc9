"""where an owed post goes (its channel and thread, or a user id), and a failed reminder
holds no lease

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column("thread_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
    # Posts owed before now go where they were always sent: the review's channel, in its
    # thread unless its kick-off was still being posted.
    op.execute(
        "UPDATE outbox SET "
        "channel = (SELECT slack_channel_id FROM review WHERE review.id = outbox.review_id), "
        "thread_ts = (SELECT slack_thread_ts FROM review WHERE review.id = outbox.review_id "
        "AND slack_thread_ts NOT LIKE 'posting:%')"
    )
    # A failed reminder now lets go of its lease, so that it is tried again once its wait is
    # over (storage/leases.py), as it always was.
    op.execute("UPDATE reminder SET claimed_at = NULL WHERE state = 'failed'")


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("thread_ts")
        batch_op.drop_column("channel")
