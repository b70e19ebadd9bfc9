"""The use cases given ids from another team, another review or another need, or run by
the wrong person: each is refused, nothing is changed, and no refusal names anyone."""

from __future__ import annotations

import pytest
from sqlmodel import select

from reviews import judgement, needs, outcomes, teams
from reviews.errors import QprError
from reviews.judgement import NewNeed, Rated, Settling
from storage.models import (
    InformationNeed,
    Judgement,
    NeedStatus,
    OutcomeStatement,
    Rating,
    Review,
)
from storage.periods import parse_quarter

Q1, Q2 = parse_quarter("2026/27 Q1"), parse_quarter("2026/27 Q2")
OURS, THEIRS = "UOURS", "UTHEIRS"


def judged(session, channel: str, name: str, facilitator: str, period) -> tuple[Review, int, int]:
    """A team's review of `period`, agreed and judged with one need; (review, outcome id,
    need id)."""
    team, _ = teams.setup_team(session, channel, name, facilitator)
    review, _ = outcomes.start_review(session, team, period, facilitator)
    proposed, _ = outcomes.propose(session, review, f"{name}: people are safe", "UANN", "1.1")
    (agreed,) = outcomes.agree(
        session,
        review,
        facilitator,
        [outcomes.Decision(proposed.text, [proposed.id])],
        {proposed.id},
    ).agreed
    (need,) = judgement.record_judgement(
        session,
        review,
        facilitator,
        [Rated(agreed.id, Rating.SOME_PROGRESS), Rated(None, Rating.SOME_PROGRESS)],
        [NewNeed("Count the falls", "UANN", Q2.end, agreed.id)],
        {},
    )
    return review, agreed.id, need.id


@pytest.fixture
def two_teams(factory):
    """Ours, judged in Q1 and now agreeing Q2's outcomes; theirs, judged in Q1."""
    with factory.unit_of_work() as session:
        _, our_outcome, our_need = judged(session, "C1", "Ours", OURS, Q1)
        _, their_outcome, their_need = judged(session, "C2", "Theirs", THEIRS, Q1)
        team = teams.team_for_channel(session, "C1")
        review, _ = outcomes.start_review(session, team, Q2, OURS)
        proposed, _ = outcomes.propose(session, review, "Carers get a break", "UBEN", "2.1")
        outcomes.agree(
            session, review, OURS, [outcomes.Decision(proposed.text, [proposed.id])], {proposed.id}
        )
        ids = {
            "review": review.id,
            "outcome": proposed.id,
            "our_outcome": our_outcome,
            "their_outcome": their_outcome,
            "our_need": our_need,
            "their_need": their_need,
        }
    return ids


def snapshot(factory) -> list:
    """Every outcome, need, judgement and review as it stands."""
    with factory() as session:
        rows = [
            *((o.id, o.review_id, o.status) for o in session.exec(select(OutcomeStatement))),
            *((n.id, n.status, n.answer) for n in session.exec(select(InformationNeed))),
            *((j.review_id, j.outcome_id) for j in session.exec(select(Judgement))),
            *((r.id, r.stage) for r in session.exec(select(Review))),
        ]
    return sorted(map(str, rows))


def test_another_teams_outcome_cannot_be_carried_over(factory):
    with factory.unit_of_work() as session:
        _, _, _ = judged(session, "C1", "Ours", OURS, Q1)
        _, theirs, _ = judged(session, "C2", "Theirs", THEIRS, Q1)
        team = teams.team_for_channel(session, "C1")
        review, _ = outcomes.start_review(session, team, Q2, OURS)
        review_id = review.id
    before = snapshot(factory)
    with pytest.raises(QprError, match="can't be carried over"), factory.unit_of_work() as session:
        outcomes.propose(
            session,
            session.get(Review, review_id),
            "copied",
            OURS,
            None,
            carried_from=session.get(OutcomeStatement, theirs),
        )
    assert snapshot(factory) == before


def test_a_proposal_never_agreed_cannot_be_carried_over(factory):
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C1", "Ours", OURS)
        review, _ = outcomes.start_review(session, team, Q1, OURS)
        kept, _ = outcomes.propose(session, review, "People are safe", "UANN", "1.1")
        left, _ = outcomes.propose(session, review, "never agreed", "UBEN", "1.2")
        outcomes.agree(
            session, review, OURS, [outcomes.Decision(kept.text, [kept.id])], {kept.id, left.id}
        )
        judgement.close_review(session, review, OURS)
        later, _ = outcomes.start_review(session, team, Q2, OURS)
        left_id, later_id = left.id, later.id
    with pytest.raises(QprError, match="can't be carried over"), factory.unit_of_work() as session:
        outcomes.propose(
            session,
            session.get(Review, later_id),
            "copied",
            OURS,
            None,
            carried_from=session.get(OutcomeStatement, left_id),
        )


@pytest.mark.parametrize(
    "need, earlier, refusal",
    [
        ("their_outcome", None, "not one this review agreed"),
        ("our_outcome", None, "not one this review agreed"),  # an earlier review's
        (None, "their_need", "not one of this team's"),
    ],
)
def test_a_judgement_with_another_teams_or_reviews_ids_is_refused_whole(
    factory, two_teams, need, earlier, refusal
):
    before = snapshot(factory)
    rated = [Rated(two_teams["outcome"], Rating.SOME_PROGRESS), Rated(None, Rating.SOME_PROGRESS)]
    new = [NewNeed("Ask carers", "UBEN", Q2.end, two_teams[need])] if need else []
    settle = {two_teams[earlier]: Settling(NeedStatus.DONE, "found it")} if earlier else {}
    with pytest.raises(QprError, match=refusal), factory.unit_of_work() as session:
        judgement.record_judgement(
            session, session.get(Review, two_teams["review"]), OURS, rated, new, settle
        )
    assert snapshot(factory) == before


def test_a_need_settled_in_the_judgement_is_checked_and_audited_as_the_done_form_does(
    factory, two_teams
):
    from storage.models import AuditEvent

    rated = [Rated(two_teams["outcome"], Rating.SOME_PROGRESS), Rated(None, Rating.SOME_PROGRESS)]
    too_long = {two_teams["our_need"]: Settling(NeedStatus.DONE, "x" * (needs.MAX_ANSWER + 1))}
    with pytest.raises(QprError, match="at most"), factory.unit_of_work() as session:
        review = session.get(Review, two_teams["review"])
        judgement.record_judgement(session, review, OURS, rated, [], too_long)
    settle = {two_teams["our_need"]: Settling(NeedStatus.DONE, "Falls fell by a third.")}
    with factory.unit_of_work() as session:
        review = session.get(Review, two_teams["review"])
        judgement.record_judgement(session, review, OURS, rated, [], settle)
    with factory() as session:
        need = session.get(InformationNeed, two_teams["our_need"])
        actions = [e.action for e in session.exec(select(AuditEvent))]
    assert (str(need.status), need.answer) == ("done", "Falls fell by a third.")
    assert "need.done" in actions


def test_a_stranger_is_refused_a_need_without_being_told_who_could(factory, two_teams):
    with pytest.raises(QprError) as refused, factory.unit_of_work() as session:
        needs.settle(session, two_teams["their_need"], OURS, NeedStatus.DONE, "mine now")
    assert "<@" not in str(refused.value) and THEIRS not in str(refused.value)
    assert "UANN" not in str(refused.value)


def test_a_team_whose_data_is_loaded_is_set_up_only_by_a_named_facilitator_or_a_manager(
    factory, tmp_path
):
    from reviews import managers
    from storage.imports import import_file

    views = tmp_path / "views.csv"
    views.write_text("team,received,kind,theme,text\nLoaded,2026-05-01,comment,respite,Fine\n")
    import_file(factory, "views", views)
    with pytest.raises(QprError) as refused, factory.unit_of_work() as session:
        teams.setup_team(session, "C9", "Loaded", "USTRANGER")
    assert "--facilitator" in str(refused.value) and "<@" not in str(refused.value)
    with factory() as session:
        assert teams.team_by_channel(session, "C9") is None
    with factory.unit_of_work() as session:
        teams.name_facilitator(session, "Loaded", "UNAMED")
    with pytest.raises(QprError, match="one of them sets up"), factory.unit_of_work() as session:
        teams.setup_team(session, "C9", "Loaded", "USTRANGER")
    with factory.unit_of_work() as session:
        team, changed = teams.setup_team(session, "C9", "Loaded", "UNAMED")
        assert changed and teams.facilitators(session, team) == ["UNAMED"]
    # A manager may set up a loaded team with no facilitator, and becomes its facilitator.
    other = tmp_path / "other.csv"
    other.write_text("team,received,kind,theme,text\nAlso loaded,2026-05-01,comment,x,Fine\n")
    import_file(factory, "views", other)
    with factory.unit_of_work() as session:
        managers.add_manager(session, managers.OPERATOR, "UHEAD")
        team, _ = teams.setup_team(session, "C8", "Also loaded", "UHEAD")
        assert teams.facilitators(session, team) == ["UHEAD"]
    # A new team, with nothing loaded, is anyone's to set up.
    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C7", "Brand new", "USTRANGER")
        assert teams.facilitators(session, team) == ["USTRANGER"]


def test_agreeing_and_judging_owe_their_posts_whoever_calls_them(factory):
    """The follow-up posts are the use case's, not a front end's: agreeing owes the evidence
    to the thread, recording the judgement owes the record, in the same transaction."""
    from storage.models import Outbox

    with factory.unit_of_work() as session:
        review, _, _ = judged(session, "C1", "Ours", OURS, Q1)
        review_id = review.id
    with factory() as session:
        kinds = [(r.kind, r.review_id, r.user_id) for r in session.exec(select(Outbox))]
    assert kinds == [("evidence", review_id, OURS), ("record", review_id, OURS)]


def test_closing_without_a_judgement_owes_the_note_once(factory):
    from storage.models import Outbox

    with factory.unit_of_work() as session:
        team, _ = teams.setup_team(session, "C1", "Ours", OURS)
        review, _ = outcomes.start_review(session, team, Q2, OURS)
        assert judgement.close_review(session, review, OURS)
        assert not judgement.close_review(session, review, OURS)  # closed already: no more
    with factory() as session:
        assert [r.kind for r in session.exec(select(Outbox))] == ["closed"]
