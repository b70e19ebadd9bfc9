"""meeting schedules and reminders

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 21:40:13.769324
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("occasion", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('claimed', 'sent', 'failed', 'skipped')",
            name=op.f("ck_reminder_reminder_state"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_reminder_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint("kind", "subject", "occasion", name=op.f("uq_reminder_kind")),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_team_id"), ["team_id"], unique=False)

    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("meeting_time", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True)
        )
        batch_op.add_column(
            sa.Column("reminders_paused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("kickoff_days", sa.Integer(), nullable=False, server_default="10")
        )
        batch_op.add_column(
            sa.Column("outcomes_close_days", sa.Integer(), nullable=False, server_default="5")
        )
        batch_op.add_column(
            sa.Column("need_notice_days", sa.Integer(), nullable=False, server_default="3")
        )


def downgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        for column in (
            "need_notice_days",
            "outcomes_close_days",
            "kickoff_days",
            "reminders_paused",
            "meeting_time",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_team_id"))
    op.drop_table("reminder")
