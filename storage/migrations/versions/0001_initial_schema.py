"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 18:57:24.340819
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("new_teams", sa.Integer(), nullable=False),
        sa.Column("imported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_run")),
    )
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column(
            "unit",
            sa.Enum(
                "percent",
                "rate",
                "count",
                "days",
                "score",
                name="unit",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "polarity",
            sa.Enum(
                "higher",
                "lower",
                "neutral",
                name="polarity",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("key", sa.Boolean(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("caveats", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("code", name=op.f("uq_indicator_code")),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("slack_channel_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("meeting_rule", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("next_meeting", sa.Date(), nullable=True),
        sa.Column("complaint_response_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
        sa.UniqueConstraint("name_key", name=op.f("uq_team_name_key")),
        sa.UniqueConstraint("slack_channel_id", name=op.f("uq_team_slack_channel_id")),
    )
    op.create_table(
        "comparator_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("area_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("period_label", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("missing_marker", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("source_file", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_comparator_value_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comparator_value")),
        sa.UniqueConstraint(
            "indicator_id",
            "area_code",
            "period_start",
            "period_end",
            name=op.f("uq_comparator_value_indicator_id"),
        ),
    )
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "upheld",
                "partly upheld",
                "not upheld",
                "withdrawn",
                "open",
                name="complaintoutcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("closed", sa.Date(), nullable=True),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "closed IS NULL OR closed >= received", name=op.f("ck_complaint_closed_after_received")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_complaint_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
        sa.UniqueConstraint("team_id", "reference", name=op.f("uq_complaint_team_id")),
    )
    op.create_table(
        "facilitator",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_facilitator_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "slack_user_id", name=op.f("pk_facilitator")),
    )
    op.create_table(
        "indicator_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("source_file", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.CheckConstraint(
            "numerator IS NULL OR denominator IS NULL OR numerator <= denominator",
            name=op.f("ck_indicator_value_numerator_within_denominator"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_value_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_indicator_value_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value")),
        sa.UniqueConstraint(
            "team_id", "indicator_id", "period_end", name=op.f("uq_indicator_value_team_id")
        ),
    )
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_value_indicator_id"), ["indicator_id"], unique=False
        )

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("period_label", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "outcomes",
                "evidence",
                "judgement",
                "closed",
                name="reviewstage",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column("slack_channel_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("slack_thread_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column(
            "facilitator_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True
        ),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_review_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint("team_id", "period_end", name=op.f("uq_review_team_id")),
    )
    op.create_table(
        "survey_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("survey", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("wave", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("response", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("positive", sa.Boolean(), nullable=False),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_survey_result_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_survey_result_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_result")),
        sa.UniqueConstraint(
            "survey",
            "wave",
            "question",
            "response",
            "team_id",
            name=op.f("uq_survey_result_survey"),
        ),
    )
    with op.batch_alter_table("survey_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_result_team_id"), ["team_id"], unique=False)

    op.create_table(
        "user_view",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "compliment",
                "comment",
                "suggestion",
                name="viewkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("theme", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_user_view_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_view")),
        sa.UniqueConstraint("team_id", "reference", name=op.f("uq_user_view_team_id")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("slack_request_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_audit_event_review_id_review"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_audit_event_team_id_team"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_team_id"), ["team_id"], unique=False)

    op.create_table(
        "outcome_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("proposer_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("slack_message_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "agreed",
                "withdrawn",
                name="outcomestatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carried_from_id"],
            ["outcome_statement.id"],
            name=op.f("fk_outcome_statement_carried_from_id_outcome_statement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_outcome_statement_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_statement")),
        sa.UniqueConstraint(
            "review_id", "slack_message_ts", name=op.f("uq_outcome_statement_review_id")
        ),
    )
    with op.batch_alter_table("outcome_statement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outcome_statement_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "information_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("owner_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "done",
                "dropped",
                name="needstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_information_need_indicator_id_indicator"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome_statement.id"],
            name=op.f("fk_information_need_outcome_id_outcome_statement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_information_need_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_information_need_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_information_need")),
    )
    with op.batch_alter_table("information_need", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_information_need_team_id"), ["team_id"], unique=False)

    op.create_table(
        "judgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column(
            "rating",
            sa.Enum(
                "good progress",
                "some progress",
                "not enough progress",
                "cannot judge yet",
                name="rating",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("rationale", sqlmodel.sql.sqltypes.AutoString(length=3000), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome_statement.id"],
            name=op.f("fk_judgement_outcome_id_outcome_statement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_judgement_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judgement")),
        sa.UniqueConstraint("review_id", "outcome_id", name=op.f("uq_judgement_review_id")),
    )
    op.create_table(
        "outcome_indicator",
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_outcome_indicator_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome_statement.id"],
            name=op.f("fk_outcome_indicator_outcome_id_outcome_statement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("outcome_id", "indicator_id", name=op.f("pk_outcome_indicator")),
    )
    op.create_table(
        "outcome_support",
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome_statement.id"],
            name=op.f("fk_outcome_support_outcome_id_outcome_statement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("outcome_id", "slack_user_id", name=op.f("pk_outcome_support")),
    )


def downgrade() -> None:
    op.drop_table("outcome_support")
    op.drop_table("outcome_indicator")
    op.drop_table("judgement")
    with op.batch_alter_table("information_need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_information_need_team_id"))

    op.drop_table("information_need")
    with op.batch_alter_table("outcome_statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_statement_review_id"))

    op.drop_table("outcome_statement")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_team_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
    op.drop_table("user_view")
    with op.batch_alter_table("survey_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_result_team_id"))

    op.drop_table("survey_result")
    op.drop_table("review")
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_value_indicator_id"))

    op.drop_table("indicator_value")
    op.drop_table("facilitator")
    op.drop_table("complaint")
    op.drop_table("comparator_value")
    op.drop_table("team")
    op.drop_table("indicator")
    op.drop_table("import_run")
