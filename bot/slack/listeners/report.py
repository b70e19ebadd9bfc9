"""`/qpr report [period]`: the record of a review as a PDF in its thread. It is not posted
again as messages: those would mention, and so notify, everyone in it once more."""

from __future__ import annotations

from datetime import date

from bot.shared.people import people_in
from bot.shared.reports import render
from bot.shared.reports.markdown import file_name
from bot.shared.reports.report import build_report
from bot.slack.deps import Invocation
from bot.slack.names import refresh_names
from bot.slack.posts import post_report_file
from reviews import outcomes, teams
from reviews.as_of import figures_as_of
from reviews.errors import QprError
from reviews.periods import PeriodError, parse_quarter
from reviews.record import review_record


def report_command(call: Invocation) -> None:
    deps = call.deps
    period = None
    if call.rest:
        try:
            period = parse_quarter(call.rest, deps.settings.fy_start_month)
        except PeriodError as exc:
            raise QprError(
                f"{exc!s}. Usage: `/qpr report [period]`, e.g. `/qpr report 2026/27 Q2`."
            ) from None
    with deps.factory() as session:
        team = teams.team_for_channel(session, call.channel)
        review = outcomes.review_of(session, team, period)
        people = people_in(review_record(session, review))
    refresh_names(call.client, deps.factory, people)
    with deps.factory() as session:
        review = outcomes.review_by_id(session, review.id)
        as_of = figures_as_of(review, date.today())
        report = build_report(session, review, as_of, deps.settings.fy_start_month)
    record = report.record
    state = "" if record.judged else " (no judgement recorded yet)"
    problem = post_report_file(
        call.client,
        review,
        render(report, "pdf"),
        file_name(record, "pdf"),
        f"QPR {record.period_label}: {record.team}",
        f"The record of {record.period_label}{state}.",
    )
    call.respond(problem or f"The record of {review.period_label} is in its thread, as a PDF.")
