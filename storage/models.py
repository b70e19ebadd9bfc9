"""The database schema: one table model per concept of the QPR.

Enumerations are stored as short strings guarded by CHECK constraints rather than native
PostgreSQL enums, so that SQLite and PostgreSQL hold the same schema and a new value is a
plain migration. Natural keys are unique constraints, so an import can upsert on them.
Timestamps are timezone-aware and stored as UTC.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Constraint names are fixed so migrations and both databases agree on them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Unit(enum.StrEnum):
    PERCENT = "percent"
    RATE = "rate"
    COUNT = "count"
    DAYS = "days"
    SCORE = "score"


class Polarity(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"


class Basis(enum.StrEnum):
    """What each figure of a series covers. Consecutive rolling or year-to-date figures
    share most of their months, so they are not independent points and get no SPC rules."""

    POINT = "point"
    ROLLING_12_MONTHS = "rolling_12_months"
    YEAR_TO_DATE = "year_to_date"


class Frequency(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class ComplaintOutcome(enum.StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly upheld"
    NOT_UPHELD = "not upheld"
    WITHDRAWN = "withdrawn"
    OPEN = "open"


class ViewKind(enum.StrEnum):
    COMPLIMENT = "compliment"
    COMMENT = "comment"
    SUGGESTION = "suggestion"


class ReviewStage(enum.StrEnum):
    OUTCOMES = "outcomes"
    EVIDENCE = "evidence"
    JUDGEMENT = "judgement"
    CLOSED = "closed"


class OutcomeStatus(enum.StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    WITHDRAWN = "withdrawn"  # by its proposer, or dropped when the set was agreed
    KEPT = "kept"  # not reached when the set was agreed: offered again next quarter


class Rating(enum.StrEnum):
    GOOD_PROGRESS = "good progress"
    SOME_PROGRESS = "some progress"
    NOT_ENOUGH_PROGRESS = "not enough progress"
    CANNOT_JUDGE_YET = "cannot judge yet"


class NeedStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


def enum_column(enum_type: type[enum.Enum], *, nullable: bool = False, **kw: Any) -> sa.Column:
    """A VARCHAR column holding an enum's values, with a CHECK constraint listing them."""
    return sa.Column(
        sa.Enum(
            enum_type,
            name=enum_type.__name__.lower(),
            native_enum=False,
            create_constraint=True,
            length=max(len(m.value) for m in enum_type),
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        nullable=nullable,
        **kw,
    )


def fk(
    target: str, *, nullable: bool = False, ondelete: str = "CASCADE", index: bool = False
) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_column_args=[sa.ForeignKey(target, ondelete=ondelete)],
        nullable=nullable,
        index=index,
    )


def stored_id(id_: int | None) -> int:
    """The id of a row read back from the database. Table models type their id
    `int | None`, for a row not yet added; a stored row always has one."""
    assert id_ is not None, "a stored row has an id"
    return id_


def table_of(model: type[SQLModel]) -> sa.Table:
    """The table a table model maps (SQLModel's types do not declare `__table__`)."""
    table = sa.inspect(model).local_table
    assert isinstance(table, sa.Table), f"{model.__name__} is not a table model"
    return table


class Team(SQLModel, table=True):
    """A service area reviewed together, bound to one Slack channel."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    # The name folded for case-insensitive matching; unique so "older people's services"
    # and "Older People's Services" are one team.
    name_key: str = Field(max_length=120, unique=True)
    slack_channel_id: str | None = Field(default=None, max_length=32, unique=True)
    # When the channel was set up: a team set up after a quarter has no review of it to wait for.
    channel_set_at: datetime | None = None
    timezone: str = Field(default="Europe/London", max_length=64)
    meeting_rule: str | None = Field(default=None, max_length=120)
    next_meeting: date | None = None
    # "HH:MM" of a meeting set by date; a rule carries its own time.
    meeting_time: str | None = Field(default=None, max_length=5)
    reminders_paused: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # Lead times, in working days before the meeting (needs: before the due date).
    kickoff_days: int = Field(default=10, ge=1, sa_column_kwargs={"server_default": "10"})
    outcomes_close_days: int = Field(default=5, ge=0, sa_column_kwargs={"server_default": "5"})
    need_notice_days: int = Field(default=3, ge=1, sa_column_kwargs={"server_default": "3"})
    complaint_response_days: int = Field(default=20, ge=1)
    # The council's ONS code (E08000009...), so that its own row in a comparator file is
    # not counted among its peers.
    area_code: str | None = Field(default=None, max_length=20)
    # Whether the team's own figures are its council's (a team that is the whole service),
    # and so may be ranked among councils. Otherwise the council's published figure is
    # ranked, as the council's.
    # When the meeting schedule was last set: a meeting the rule puts before it was never
    # the team's to miss.
    schedule_set_at: datetime | None = None
    council_figures: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_at: datetime = Field(default_factory=utcnow)


class Facilitator(SQLModel, table=True):
    team_id: int = Field(
        sa_column_args=[sa.ForeignKey("team.id", ondelete="CASCADE")], primary_key=True
    )
    slack_user_id: str = Field(max_length=32, primary_key=True)
    added_at: datetime = Field(default_factory=utcnow)


class Manager(SQLModel, table=True):
    """A person who sees every team's reviews: a head of service, or the performance team.
    One installation serves one organisation, so the role is held across all its teams."""

    slack_user_id: str = Field(max_length=32, primary_key=True)
    added_by: str = Field(max_length=32)
    added_at: datetime = Field(default_factory=utcnow)


class Indicator(SQLModel, table=True):
    """A performance indicator definition, shared by all teams."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    title: str = Field(max_length=300)
    unit: Unit = Field(sa_column=enum_column(Unit))
    polarity: Polarity = Field(sa_column=enum_column(Polarity))
    target: float | None = None
    tags: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    key: bool = False
    source: str | None = Field(default=None, max_length=300)
    caveats: str | None = None
    description: str | None = None
    # A known change in the process (a new service, a changed definition): control limits
    # are worked out afresh from here.
    recalculate_from: date | None = None
    # Why the limits start afresh there (a new service, a new definition): shown beside
    # the recalculation wherever it is drawn.
    recalculate_reason: str | None = Field(default=None, max_length=300)
    # What a figure is in words, written after it where the unit alone does not say:
    # "out of 12" for a score, "cases per social worker" for a count.
    unit_label: str | None = Field(default=None, max_length=60)
    basis: Basis = Field(
        default=Basis.POINT, sa_column=enum_column(Basis, server_default=Basis.POINT.value)
    )
    # None: inferred from the gaps between the values.
    frequency: Frequency | None = Field(
        default=None, sa_column=enum_column(Frequency, nullable=True)
    )
    # How long after a period ends its figure is normally published; None: the usual lag
    # for the frequency (see reviews/evidence/freshness.py).
    lag_days: int | None = None


class IndicatorValue(SQLModel, table=True):
    __tablename__ = "indicator_value"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "indicator_id", "period_end"),
        sa.CheckConstraint(
            "numerator IS NULL OR denominator IS NULL OR numerator <= denominator",
            name="numerator_within_denominator",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = fk("team.id")
    indicator_id: int = fk("indicator.id", index=True)
    period_end: date
    value: float
    numerator: float | None = None
    denominator: float | None = None
    loaded_at: datetime = Field(default_factory=utcnow)
    source_file: str | None = Field(default=None, max_length=255)


class ComparatorValue(SQLModel, table=True):
    """An indicator's value for another area (England, a region, a nearest neighbour)."""

    __tablename__ = "comparator_value"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "area_code", "period_start", "period_end"),
    )

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = fk("indicator.id")
    area_code: str = Field(max_length=20)
    area_name: str = Field(max_length=120)
    period_label: str = Field(max_length=20)
    period_start: date
    period_end: date
    # None when the source published no value (NA, blank or a suppression marker);
    # the marker is kept so a reader can tell "suppressed" from "not collected".
    value: float | None = None
    missing_marker: str | None = Field(default=None, max_length=10)
    loaded_at: datetime = Field(default_factory=utcnow)
    source_file: str | None = Field(default=None, max_length=255)


class Complaint(SQLModel, table=True):
    """A complaint about a team's service. No names or personal details are stored."""

    __table_args__ = (
        sa.UniqueConstraint("team_id", "reference"),
        sa.CheckConstraint("closed IS NULL OR closed >= received", name="closed_after_received"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = fk("team.id")
    # The council's own reference when the file carries one, else one derived from the
    # received date, category and position among identical rows, so re-imports match.
    reference: str = Field(max_length=120)
    received: date
    category: str = Field(max_length=80)
    outcome: ComplaintOutcome = Field(sa_column=enum_column(ComplaintOutcome))
    closed: date | None = None
    loaded_at: datetime = Field(default_factory=utcnow)


class SurveyResult(SQLModel, table=True):
    __tablename__ = "survey_result"
    __table_args__ = (
        sa.UniqueConstraint("survey", "wave", "question", "response", "team_id"),
        sa.CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = fk("team.id", index=True)
    survey: str = Field(max_length=120)
    wave: str = Field(max_length=40)
    question: str = Field(max_length=500)
    response: str = Field(max_length=200)
    count: int
    positive: bool
    loaded_at: datetime = Field(default_factory=utcnow)


class UserView(SQLModel, table=True):
    """A compliment, comment or suggestion, without the name of whoever gave it."""

    __tablename__ = "user_view"
    __table_args__ = (sa.UniqueConstraint("team_id", "reference"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = fk("team.id")
    reference: str = Field(max_length=120)
    received: date
    kind: ViewKind = Field(sa_column=enum_column(ViewKind))
    theme: str = Field(max_length=80)
    text: str = Field(max_length=500)
    loaded_at: datetime = Field(default_factory=utcnow)


class Review(SQLModel, table=True):
    """One QPR of one team for one quarter; its Slack thread is the review."""

    __table_args__ = (sa.UniqueConstraint("team_id", "period_end"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = fk("team.id")
    period_label: str = Field(max_length=20)
    period_start: date
    period_end: date
    stage: ReviewStage = Field(sa_column=enum_column(ReviewStage))
    meeting_date: date | None = None
    slack_channel_id: str | None = Field(default=None, max_length=32)
    slack_thread_ts: str | None = Field(default=None, max_length=32)
    facilitator_user_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None


class OutcomeStatement(SQLModel, table=True):
    __tablename__ = "outcome_statement"
    __table_args__ = (
        sa.UniqueConstraint("review_id", "slack_message_ts"),
        # An earlier outcome is carried over into a review once, however often it is clicked.
        sa.UniqueConstraint("review_id", "carried_from_id", name="uq_outcome_carried_once"),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = fk("review.id", index=True)
    text: str = Field(max_length=1000)
    # None for an anonymous proposal: the proposer is deliberately not recorded.
    proposer_user_id: str | None = Field(default=None, max_length=32)
    anonymous: bool = False
    slack_message_ts: str | None = Field(default=None, max_length=32)
    status: OutcomeStatus = Field(sa_column=enum_column(OutcomeStatus))
    tags: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    carried_from_id: int | None = fk("outcome_statement.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class OutcomeSupport(SQLModel, table=True):
    __tablename__ = "outcome_support"

    outcome_id: int = Field(
        sa_column_args=[sa.ForeignKey("outcome_statement.id", ondelete="CASCADE")],
        primary_key=True,
    )
    slack_user_id: str = Field(max_length=32, primary_key=True)
    added_at: datetime = Field(default_factory=utcnow)


class OutcomeIndicator(SQLModel, table=True):
    """An explicit link from an outcome statement to an indicator that bears on it."""

    __tablename__ = "outcome_indicator"

    outcome_id: int = Field(
        sa_column_args=[sa.ForeignKey("outcome_statement.id", ondelete="CASCADE")],
        primary_key=True,
    )
    indicator_id: int = Field(
        sa_column_args=[sa.ForeignKey("indicator.id", ondelete="CASCADE")], primary_key=True
    )


class LinkKind(enum.StrEnum):
    COMPLAINT_CATEGORY = "complaint_category"
    VIEW_THEME = "view_theme"
    SURVEY_QUESTION = "survey_question"


class OutcomeLink(SQLModel, table=True):
    """A link from an outcome statement to complaints of a category, views on a theme or a
    survey question that bear on it (indicators are linked by OutcomeIndicator)."""

    __tablename__ = "outcome_link"

    outcome_id: int = Field(
        sa_column_args=[sa.ForeignKey("outcome_statement.id", ondelete="CASCADE")],
        primary_key=True,
    )
    kind: LinkKind = Field(sa_column=enum_column(LinkKind, primary_key=True))
    value: str = Field(max_length=500, primary_key=True)


class Judgement(SQLModel, table=True):
    """How well the team is doing: one per agreed outcome, and one overall (no outcome)."""

    __table_args__ = (
        sa.UniqueConstraint("review_id", "outcome_id"),
        # The constraint above lets NULLs repeat: one overall judgement is kept by this one.
        sa.Index(
            "uq_judgement_overall",
            "review_id",
            unique=True,
            sqlite_where=sa.text("outcome_id IS NULL"),
            postgresql_where=sa.text("outcome_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = fk("review.id")
    outcome_id: int | None = fk("outcome_statement.id", nullable=True)
    rating: Rating = Field(sa_column=enum_column(Rating))
    rationale: str = Field(default="", max_length=3000)
    recorded_by: str = Field(max_length=32)
    recorded_at: datetime = Field(default_factory=utcnow)
    # The outcome's linked indicators as the group saw them when it judged: each one's code,
    # latest figure and period, and its variation. Kept, as later figures change the reading.
    indicators_then: list[dict[str, Any]] | None = Field(
        default=None, sa_column=sa.Column(sa.JSON(none_as_null=True), nullable=True)
    )


class InformationNeed(SQLModel, table=True):
    """Something the group needs to know; it comes back at the next review until done."""

    __tablename__ = "information_need"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = fk("team.id", index=True)
    review_id: int = fk("review.id")
    outcome_id: int | None = fk("outcome_statement.id", nullable=True, ondelete="SET NULL")
    indicator_id: int | None = fk("indicator.id", nullable=True, ondelete="SET NULL")
    text: str = Field(max_length=1000)
    owner_user_id: str | None = Field(default=None, max_length=32)
    due: date | None = None
    status: NeedStatus = Field(sa_column=enum_column(NeedStatus))
    created_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    # How it was settled: what was found (done), or why it was dropped; with a link to
    # where the finding is, and a file given with it (its Slack permalink).
    answer: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    answer_link: str | None = Field(default=None, max_length=500)
    answer_file: str | None = Field(default=None, max_length=500)
    settled_by: str | None = Field(default=None, max_length=32)


class AuditEvent(SQLModel, table=True):
    """Every state change: who did what, when, and from which Slack request."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    team_id: int | None = fk("team.id", nullable=True, ondelete="SET NULL", index=True)
    review_id: int | None = fk("review.id", nullable=True, ondelete="SET NULL")
    detail: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    slack_request_id: str | None = Field(default=None, max_length=64)


class ImportRun(SQLModel, table=True):
    """One successful file import, with what it changed."""

    __tablename__ = "import_run"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    file_name: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    rows: int
    added: int
    updated: int
    unchanged: int
    new_teams: int
    imported_at: datetime = Field(default_factory=utcnow)


class Reminder(SQLModel, table=True):
    """One reminder on one occasion, claimed here before it is sent, so that it goes out
    once whatever restarts or other instances there are."""

    __table_args__ = (
        sa.UniqueConstraint("kind", "subject", "occasion"),
        sa.CheckConstraint(
            "state IN ('claimed', 'sent', 'failed', 'skipped')", name="reminder_state"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    # What it is about (a team, review or need id) and when: a new date is a new occasion.
    subject: str = Field(max_length=64)
    occasion: str = Field(max_length=64)
    team_id: int = fk("team.id", index=True)
    due_at: datetime
    state: str = Field(max_length=10)
    claimed_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=64)
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = None


class Outbox(SQLModel, table=True):
    """A Slack post owed after a committed change (the evidence after the agreement, the
    record after the judgement), written in the same transaction and kept until it is sent:
    a restart between the change and the post loses nothing."""

    __table_args__ = (
        sa.CheckConstraint("state IN ('pending', 'sent', 'given_up')", name="outbox_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    review_id: int = fk("review.id", index=True)
    user_id: str = Field(max_length=32)  # who made the change: told if the post fails
    # Where it goes: a channel and its thread (the review's, as it was when the post was
    # owed), or a user id for a direct message.
    channel: str | None = Field(default=None, max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)
    state: str = Field(default="pending", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    claimed_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=64)
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = None


class InboxItem(SQLModel, table=True):
    """A request from Slack that changes something, written before Slack hears its 200 and
    worked from here: what was acknowledged survives a crash, a restart or a second
    instance. `key` is Slack's event id (or the request's trigger id, or a hash of it), so a
    retried delivery is kept once. Items of one `lane` (a channel) are worked in the order
    they came. The body is emptied once the item is done: people's words are kept where
    the review keeps them, not here."""

    __tablename__ = "inbox"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=100, unique=True)
    handler: str = Field(max_length=32)
    lane: str | None = Field(default=None, max_length=64, index=True)
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    received_at: datetime = Field(default_factory=utcnow)
    # Held by one process until then; that process renews it while it lives, so the items
    # of a process that died are taken up by another within seconds.
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = None
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=64)
    done_at: datetime | None = Field(default=None, index=True)


class Person(SQLModel, table=True):
    """The name Slack shows for a member of staff, kept so that reports can name who
    proposed, supported, judged and owns what. People who use services are never here."""

    slack_user_id: str = Field(max_length=32, primary_key=True)
    name: str = Field(max_length=120)
    fetched_at: datetime = Field(default_factory=utcnow)


class ProcessedEvent(SQLModel, table=True):
    """A Slack event already handled: Slack retries deliveries, and several instances may
    receive the same one, so each event id is claimed here before anything is done."""

    __tablename__ = "processed_event"

    event_id: str = Field(max_length=64, primary_key=True)
    received_at: datetime = Field(default_factory=utcnow)


class Installation(SQLModel, table=True):
    """Whether Slack still has the app: set when it is uninstalled or its tokens revoked,
    so that every instance stops sending (the data is kept), and cleared when `qpr serve`
    starts with a token Slack accepts."""

    id: int = Field(default=1, primary_key=True)  # one row: one workspace
    stopped_at: datetime | None = None
    why: str | None = Field(default=None, max_length=32)


class PulseAnswer(SQLModel, table=True):
    """One answer to one of the two questions asked after a review, kept without who gave
    it: a random id (no order of arrival), the day and nothing finer, no user or request.
    That a person has answered is kept apart, in PulseTaken."""

    __tablename__ = "pulse_answer"
    __table_args__ = (
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_on_the_scale"),
        sa.CheckConstraint("question IN (1, 2)", name="one_of_the_questions"),
        {"sqlite_with_rowid": False},
    )

    id: str = Field(max_length=32, primary_key=True)
    review_id: int = fk("review.id", index=True)
    question: int
    score: int
    answered_on: date


class PulseComment(SQLModel, table=True):
    """A comment given with the pulse, without who gave it or when."""

    __tablename__ = "pulse_comment"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: str = Field(max_length=32, primary_key=True)
    review_id: int = fk("review.id", index=True)
    text: str = Field(max_length=1000)


class PulseTaken(SQLModel, table=True):
    """That a person has answered a question of a review's pulse (0: given a comment), so
    that each answers once: no answer, time or order is kept with it."""

    __tablename__ = "pulse_taken"
    __table_args__ = ({"sqlite_with_rowid": False},)

    review_id: int = Field(
        sa_column_args=[sa.ForeignKey("review.id", ondelete="CASCADE")], primary_key=True
    )
    slack_user_id: str = Field(max_length=32, primary_key=True)
    question: int = Field(primary_key=True)
