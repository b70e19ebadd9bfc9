"""An outcome's story across quarters: carried over from one review to the next, it keeps
each quarter's judgement and reasons, its linked indicators as they were when it was judged,
and the needs raised for it with what they found. The team's history is its outcomes over
its last few reviews."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from reviews import pulse
from reviews.judgement import ratings
from reviews.kinds import id_of
from reviews.pulse import PulseResult
from reviews.then import IndicatorThen
from storage import queries
from storage.models import InformationNeed, Judgement, OutcomeStatement, Review, Team


@dataclass(frozen=True)
class Quarter:
    period_label: str
    rating: str | None  # None: agreed, not judged (yet)
    rationale: str = ""
    indicators: tuple[IndicatorThen, ...] = ()  # the linked indicators when it was judged


@dataclass(frozen=True)
class NeedStory:
    text: str
    raised_in: str
    status: str
    answer: str | None  # what was found, or why it was dropped


@dataclass
class OutcomeStory:
    text: str  # as its latest quarter words it
    quarters: list[Quarter] = field(default_factory=list)  # oldest first
    needs: list[NeedStory] = field(default_factory=list)


@dataclass(frozen=True)
class TeamHistory:
    team: str
    periods: list[str]  # the reviews looked at, oldest first
    outcomes: list[OutcomeStory]
    overall: list[Quarter]
    # The two questions' answers of each review whose judgement is recorded, oldest first.
    pulse: list[PulseResult] = field(default_factory=list)


def team_history(session: Session, team: Team, quarters: int = 4) -> TeamHistory:
    """The team's last `quarters` reviews: each outcome (an outcome carried over is one
    story) with its judgement in each, and the overall judgement of each."""
    reviews = list(
        reversed(
            session.exec(
                select(Review)
                .where(Review.team_id == team.id)
                .order_by(col(Review.period_end).desc())
                .limit(quarters)
            ).all()
        )
    )
    stories: dict[int, OutcomeStory] = {}
    members: dict[int, list[int]] = {}
    overall = []
    for review in reviews:
        judged = ratings(session, review)
        for outcome, _ in queries.agreed_outcomes(session, id_of(review)):
            key = _first_of(session, outcome)
            story = stories.setdefault(key, OutcomeStory(outcome.text))
            story.text = outcome.text
            story.quarters.append(_quarter(review, judged.get(outcome.id)))
            members.setdefault(key, []).append(id_of(outcome))
        overall.append(_quarter(review, judged.get(None)))
    labels = {id_of(r): r.period_label for r in reviews}
    for key, ids in members.items():
        stories[key].needs = needs_for(session, ids, labels)
    return TeamHistory(
        team.name,
        [r.period_label for r in reviews],
        list(stories.values()),
        overall,
        [pulse.result(session, r) for r in reviews if pulse.is_open(session, r)],
    )


def story_before(session: Session, outcome: OutcomeStatement) -> OutcomeStory | None:
    """What came before an outcome carried over: each earlier quarter's judgement, and the
    needs raised for it with what they found; None for an outcome new this quarter."""
    chain = _earlier(session, outcome)
    if not chain:
        return None
    reviews = {o.review_id: session.get_one(Review, o.review_id) for o in chain}
    story = OutcomeStory(chain[-1].text)
    for o in chain:
        review = reviews[o.review_id]
        story.quarters.append(_quarter(review, ratings(session, review).get(o.id)))
    labels = {id_of(r): r.period_label for r in reviews.values()}
    story.needs = needs_for(session, [id_of(o) for o in chain], labels)
    return story


def needs_for(session: Session, outcome_ids: list[int], labels: dict[int, str]) -> list[NeedStory]:
    found = session.exec(
        select(InformationNeed)
        .where(col(InformationNeed.outcome_id).in_(outcome_ids))
        .order_by(col(InformationNeed.created_at), col(InformationNeed.id))
    ).all()
    return [NeedStory(n.text, labels.get(n.review_id, ""), str(n.status), n.answer) for n in found]


def _first_of(session: Session, outcome: OutcomeStatement) -> int:
    """The id of the first outcome of its chain of carry-overs."""
    chain = _earlier(session, outcome)
    return id_of(chain[0] if chain else outcome)


def _earlier(session: Session, outcome: OutcomeStatement) -> list[OutcomeStatement]:
    """The outcomes it was carried over from, oldest first."""
    chain, seen = [], {outcome.id}
    while outcome.carried_from_id is not None and outcome.carried_from_id not in seen:
        earlier = session.get(OutcomeStatement, outcome.carried_from_id)
        if earlier is None:
            break
        chain.append(earlier)
        seen.add(earlier.id)
        outcome = earlier
    return chain[::-1]


def _quarter(review: Review, judgement: Judgement | None) -> Quarter:
    if judgement is None or str(review.stage) != "closed":
        # Ratings saved from the first pages of an unfinished form are not a judgement yet.
        return Quarter(review.period_label, None)
    then = tuple(IndicatorThen.from_kept(row) for row in judgement.indicators_then or [])
    return Quarter(review.period_label, str(judgement.rating), judgement.rationale, then)
