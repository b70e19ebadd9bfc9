"""a pulse after each review, its answers kept apart from who gave them

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 16:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pulse_answer",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.CheckConstraint("question IN (1, 2)", name=op.f("ck_pulse_answer_one_of_the_questions")),
        sa.CheckConstraint(
            "score BETWEEN 1 AND 5", name=op.f("ck_pulse_answer_score_on_the_scale")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_pulse_answer_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_answer")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("pulse_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_answer_review_id"), ["review_id"], unique=False)

    op.create_table(
        "pulse_comment",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_pulse_comment_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_comment")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("pulse_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_comment_review_id"), ["review_id"], unique=False)

    op.create_table(
        "pulse_taken",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_pulse_taken_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "review_id", "slack_user_id", "question", name=op.f("pk_pulse_taken")
        ),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("pulse_taken")
    with op.batch_alter_table("pulse_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_comment_review_id"))

    op.drop_table("pulse_comment")
    with op.batch_alter_table("pulse_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_answer_review_id"))

    op.drop_table("pulse_answer")
