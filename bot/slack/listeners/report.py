"""`/qpr report [period]`: the record of a review as a PDF in its thread. It is not posted
again as messages: those would mention, and so notify, everyone in it once more."""

from __future__ import annotations

from datetime import date

from bot.shared.people import people_in
from bot.shared.reports import render
from bot.shared.reports.markdown import file_name
from bot.shared.reports.report import report_of
from bot.slack.deps import Invocation
from bot.slack.names import refresh_names
from bot.slack.posts import post_report_file
from reviews.as_of import figures_as_of
from reviews.cases import report
from reviews.errors import QprError
from reviews.kinds import id_of
from reviews.periods import PeriodError, parse_quarter


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
    review, record = report.record_of(deps.ctx, call.asker, period)
    refresh_names(call.client, deps.factory, people_in(record))
    made = report_of(
        deps.factory,
        id_of(review),
        figures_as_of(review, date.today()),
        deps.settings.fy_start_month,
    )
    record = made.record
    state = "" if record.judged else " (no judgement recorded yet)"
    problem = post_report_file(
        call.client,
        review,
        render(made, "pdf"),
        file_name(record, "pdf"),
        f"QPR {record.period_label}: {record.team}",
        f"The record of {record.period_label}{state}.",
    )
    call.respond(problem or f"The record of {review.period_label} is in its thread, as a PDF.")
