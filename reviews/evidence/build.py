"""Gathering a team's evidence for one quarter from the store."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from sqlmodel import Session

from reviews.errors import UnknownTeam
from reviews.evidence.comparators import benchmarks, placement
from reviews.evidence.complaints import complaint_part, complaint_summary
from reviews.evidence.indicators import team_indicators
from reviews.evidence.model import ComplaintSummary, Evidence, IndicatorEvidence, ViewSummary
from reviews.evidence.relevance import INDICATOR, outcome_evidence
from reviews.evidence.surveys import survey_findings
from reviews.evidence.views import view_part, view_summary
from reviews.kinds import id_of
from storage import queries
from storage.models import Indicator, Team
from storage.periods import Period, previous_quarter, quarter_containing


def year_before(period: Period, fy_start_month: int) -> Period:
    """The same quarter a year earlier."""
    return quarter_containing(period.start.replace(year=period.start.year - 1), fy_start_month)


def span_frequency(end: date, start: date) -> str:
    """How often figures covering `start` to `end` come: a year's, a quarter's, a month's."""
    days = (end - start).days
    if days >= 350:
        return "annual"
    return "quarterly" if days >= 80 else "monthly"


def one_span_each(rows: list[tuple]) -> list[tuple]:
    """(indicator_id, period_end, value, period_start) rows keeping, for each indicator,
    only its commonest span: a file may carry a quarter and the year to the same date, and
    one series must not hold both."""
    spans: dict[int, Counter] = {}
    for indicator_id, end, _, start in rows:
        spans.setdefault(indicator_id, Counter())[(end - start).days // 28] += 1
    usual = {i: counts.most_common(1)[0][0] for i, counts in spans.items()}
    return [r for r in rows if (r[1] - r[3]).days // 28 == usual[r[0]]]


def indicators_of(
    session: Session,
    team: Team,
    period: Period,
    as_of: date,
    fy_start_month: int,
    only: set[int] | None = None,
) -> tuple[list[IndicatorEvidence], dict[int, Indicator]]:
    """Every indicator the team has figures of (of those in `only`, if given), with its
    place among peers; and the indicators' rows, by id."""
    values = queries.team_values(session, id_of(team), period.end, only)
    published: dict[int, str] = {}
    if team.area_code:
        # The council's published figures are the team's where it has none of its own.
        own = {v[0] for v in values}
        extra = one_span_each(
            [
                r
                for r in queries.area_values(session, team.area_code, period.end, only)
                if r[0] not in own
            ]
        )
        published = {r[0]: span_frequency(r[1], r[3]) for r in extra}
        values = sorted([*values, *((i, end, v, None, None) for i, end, v, _ in extra)])
    indicator_rows = queries.indicators_by_id(session, {v[0] for v in values})
    indicators = team_indicators(
        indicator_rows,
        values,
        as_of,
        fy_start_month,
        queries.newest_value_ends(session, id_of(team)),
        published,
    )
    ids_by_code = {i.code: id_of(i) for i in indicator_rows.values()}
    comparator_rows: dict[int, list[tuple]] = {}
    for row in queries.comparator_values(session, set(ids_by_code.values())):
        comparator_rows.setdefault(row[0], []).append(row[1:])
    from_area = {indicator_rows[i].code for i in published}
    found = [
        replace(
            e,
            placement=placement(
                e,
                comparator_rows.get(ids_by_code[e.code], []),
                team.area_code,
                own_figures=team.council_figures or e.code in from_area,
            ),
            from_area=team.area_code if e.code in from_area else None,
            benchmarks=benchmarks(e, comparator_rows.get(ids_by_code[e.code], []), team.area_code),
        )
        for e in indicators
    ]
    return found, indicator_rows


def build_evidence(
    session: Session, team_name: str, period: Period, as_of: date, fy_start_month: int = 4
) -> Evidence:
    team = queries.team_by_name(session, team_name)
    if team is None:
        raise UnknownTeam(team_name, queries.team_names(session))
    team_id = id_of(team)
    previous = previous_quarter(period, fy_start_month)
    last_year = year_before(period, fy_start_month)
    indicators, indicator_rows = indicators_of(session, team, period, as_of, fy_start_month)
    surveys = survey_findings(queries.survey_results(session, team_id), period.end, fy_start_month)
    complaint_rows = queries.complaints_touching(session, team_id, last_year.start, period.end)

    complaints = complaint_summary(
        complaint_rows, period, previous, last_year, team.complaint_response_days
    )

    def complaints_of(categories: list[str]) -> ComplaintSummary:
        return complaint_part(complaints, complaint_rows, categories, previous, last_year)

    view_rows = queries.views_between(session, team_id, period.start, period.end)
    views = view_summary(view_rows, period)

    def views_of(themes: list[str]) -> ViewSummary:
        return view_part(views, view_rows, themes)

    comparators = [e.placement for e in indicators if e.placement]

    outcomes = []
    review = queries.review_for(session, team_id, period.end)
    if review is not None:
        codes_of = {i.id: i.code for i in indicator_rows.values()}
        names = queries.team_evidence_names(session, team_id)
        agreed = queries.agreed_outcomes(session, id_of(review))
        links = queries.outcome_links(session, {id_of(o) for o, _ in agreed})
        for outcome, linked in agreed:
            outcome_id = id_of(outcome)
            codes = [codes_of[i] for i in linked if i in codes_of]
            outcomes.append(
                outcome_evidence(
                    outcome_id,
                    outcome.text,
                    list(outcome.tags),
                    {**links[outcome_id], INDICATOR: codes},
                    indicators,
                    surveys,
                    names,
                    complaints_of,
                    views_of,
                )
            )

    return Evidence(
        team=team.name,
        period=period,
        as_of=as_of,
        indicators=indicators,
        surveys=surveys,
        complaints=complaints,
        views=views,
        comparators=comparators,
        outcomes=outcomes,
    )
