"""Every team's review of a quarter as one document for a senior management meeting: a
table of where each review stands (late ones named first), then each team's outcomes
and judgements, needs and key indicators. Markdown, CSV and JSON are written here; HTML
and PDF in `teams_html.py`. Like the overview it is made from, it holds no proposer and
none of the complaints' or views' own words."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.base.wording import plural, title_text, unit_name
from bot.shared import pulse_words
from bot.shared.reports.as_json import indicator_json
from bot.shared.reports.markdown import caption, md, named_file
from bot.shared.reports.words import (
    age_text,
    assurance_alt,
    assurance_label,
    key_indicators_caption,
    latest_cell,
    latest_period,
    long_date,
    peers_cell,
    rating_text,
    target_cell,
    variation_alt,
    variation_label,
)
from reviews.overview import NO_CHANNEL, NOT_STARTED, Overview, TeamLine
from reviews.pulse import QUESTIONS

SCHEMA_ID = "qpr-teams-report/1"
SCHEMA_PATH = Path(__file__).with_name("teams-report.schema.json")

STAGES = {
    NOT_STARTED: "not started",
    NO_CHANNEL: "not set up in a Slack channel",
    "outcomes": "agreeing outcome statements",
    "evidence": "looking at the evidence",
    "judgement": "recording the judgement",
    "closed": "closed",
}


@dataclass(frozen=True)
class TeamsReport:
    overview: Overview
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def title(self) -> str:
        return f"QPR {self.overview.period.label}: every team"

    @property
    def teams(self) -> list[TeamLine]:
        """Late reviews first, so the meeting sees them first; then by name."""
        return sorted(self.overview.teams, key=lambda t: t.late is None)


def file_name(report: TeamsReport, extension: str) -> str:
    """qpr-every-team-2026-27-q2.html"""
    return named_file(f"qpr every team {report.overview.period.label}", extension)


def stage_text(team: TeamLine) -> str:
    words = STAGES.get(team.stage, team.stage)
    if team.stage == "closed" and not team.judged:
        words += ", without a judgement"
    return words


def meeting_text(team: TeamLine) -> str:
    return long_date(team.meeting) if team.meeting else "no meeting set"


def meeting_words(team: TeamLine) -> str:
    """The meeting in a sentence: "meeting 14 October 2026", or "no meeting set"."""
    return f"meeting {meeting_text(team)}" if team.meeting else meeting_text(team)


def needs_text(team: TeamLine) -> str:
    if not team.open_needs:
        return "none open"
    return f"{team.open_needs} open" + (
        f", {team.overdue_needs} overdue" if team.overdue_needs else ""
    )


def before_text(team: TeamLine) -> str:
    if team.before is None:
        return ""
    period, rating = team.before
    return f"Last review ({period}): {rating_text(rating).lower()}."


def summary_text(report: TeamsReport) -> str:
    """One line: how many teams, how many judged, which are late."""
    teams = report.overview.teams
    parts = [
        plural(len(teams), "team"),
        f"{len(report.overview.judged)} judged",
    ]
    late = report.overview.late
    parts.append(f"{len(late)} late" if late else "none late")
    return (
        f"{', '.join(parts)}. As at {long_date(report.overview.as_of)}, for "
        f"{long_date(report.overview.period.start)} to {long_date(report.overview.period.end)}."
    )


def teams_caption(report: TeamsReport) -> str:
    return (
        f"Every team's review of {report.overview.period.label}, late reviews first: its "
        "stage, meeting, overall judgement and needs"
    )


def outcomes_caption(team: str) -> str:
    return f"{team}: the judgement of each outcome, and overall"


def markdown(report: TeamsReport) -> str:
    lines = [f"# {md(report.title)}", "", summary_text(report), ""]
    lines += [
        *caption(teams_caption(report)),
        "| Team | Review | Meeting | Overall | Needs | Late |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for t in report.teams:
        lines.append(
            f"| {md(t.team)} | {stage_text(t)} | {meeting_text(t)} | "
            f"{rating_text(t.overall)} | {needs_text(t)} | {t.late or ''} |"
        )
    for t in report.teams:
        lines += ["", f"## {md(t.team)}", ""]
        if t.late:
            lines += [f"**Late:** {t.late}.", ""]
        lines.append(f"Review: {stage_text(t)}; {meeting_words(t)}. {before_text(t)}".strip())
        if t.outcomes:
            lines += ["", *caption(outcomes_caption(t.team)), "| Outcome | Judgement |"]
            lines.append("| --- | --- |")
            for o in t.outcomes:
                carried = " (carried over)" if o.carried else ""
                lines.append(f"| {md(o.text)}{carried} | {rating_text(o.rating)} |")
            lines.append(f"| **Overall** | {rating_text(t.overall)} |")
        if t.overall_rationale:
            lines += ["", *(f"> {md(line)}" for line in t.overall_rationale.splitlines())]
        lines += ["", f"Information needs: {needs_text(t)}."]
        if t.pulse is not None:
            lines += ["", f"{pulse_words.TITLE} {md(pulse_words.history_line(t.pulse))}."]
        if t.key:
            lines += [
                "",
                *caption(key_indicators_caption(t.team)),
                "| Key indicator | Latest | Target | Variation | Assurance | Among peers |",
                "| --- | --- | --- | --- | --- | --- |",
            ]
            lines += [
                "| "
                + " | ".join(
                    md(cell)
                    for cell in (
                        f"{e.code} {title_text(e)}",
                        latest_cell(e),
                        target_cell(e),
                        variation_label(e),
                        assurance_label(e),
                        peers_cell(e),
                    )
                )
                + " |"
                for e in t.key
            ]
    lines += ["", f"Made {report.generated_at:%d %B %Y %H:%M} UTC.", ""]
    return "\n".join(lines)


CSV_COLUMNS = [
    "team",
    "section",
    "text",
    "stage",
    "meeting",
    "rating",
    "rationale",
    "open_needs",
    "overdue_needs",
    "late",
    "code",
    "value",
    "period",
    "age_days",
    "variation",
    "assurance",
    "target",
    "target_status",
    "among_peers",
    "unit",
]


def as_csv(report: TeamsReport) -> str:
    """A row per team, then a row per outcome and per key indicator of each team."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for t in report.teams:
        writer.writerow(
            {
                "team": t.team,
                "section": "team",
                "stage": stage_text(t),
                "meeting": t.meeting.isoformat() if t.meeting else "",
                "rating": t.overall or "",
                "rationale": t.overall_rationale,
                "open_needs": t.open_needs,
                "overdue_needs": t.overdue_needs,
                "late": t.late or "",
            }
        )
        for o in t.outcomes:
            writer.writerow(
                {"team": t.team, "section": "outcome", "text": o.text, "rating": o.rating or ""}
            )
        for q in t.pulse.questions if t.pulse else []:
            writer.writerow(
                {
                    "team": t.team,
                    "section": "pulse",
                    "text": QUESTIONS[q.question],
                    "period": t.pulse.period_label if t.pulse else "",
                    "value": "" if q.agreeing is None else f"{q.agreeing:.0f}",
                    "unit": "percent agreeing" if q.agreeing is not None else "",
                    "stage": pulse_words.answered_words(q),
                }
            )
        for e in t.key:
            writer.writerow(
                {
                    "team": t.team,
                    "section": "key indicator",
                    "text": title_text(e),
                    "code": e.code,
                    "value": e.shown(e.rounded(e.latest.value)),
                    "period": latest_period(e),
                    "age_days": e.age_days,
                    "variation": variation_alt(e),
                    "assurance": assurance_alt(e),
                    "target": "" if e.target is None else e.rounded(e.target),
                    "target_status": e.target_status or "",
                    "among_peers": peers_cell(e),
                    "unit": unit_name(e),
                }
            )
    return out.getvalue()


def as_json(report: TeamsReport) -> str:
    overview = report.overview
    return json.dumps(
        {
            "schema": SCHEMA_ID,
            "period": overview.period.label,
            "as_of": overview.as_of.isoformat(),
            "generated_at": report.generated_at.isoformat(),
            "teams": [_team_json(t) for t in report.teams],
        },
        indent=2,
        ensure_ascii=False,
    )


def _team_json(t: TeamLine) -> dict:
    return {
        "team": t.team,
        "stage": t.stage,  # a review stage, or "not started"
        "stage_words": stage_text(t),
        "meeting_date": t.meeting.isoformat() if t.meeting else None,
        "late": t.late is not None,
        "late_because": t.late,
        "overall": t.overall,
        "overall_rationale": t.overall_rationale or None,
        "outcomes": [
            {"text": o.text, "rating": o.rating, "carried_over": o.carried} for o in t.outcomes
        ],
        "open_needs": t.open_needs,
        "overdue_needs": t.overdue_needs,
        "key_indicators": [{**indicator_json(e), "age": age_text(e)} for e in t.key],
        "previous_review": ({"period": t.before[0], "overall": t.before[1]} if t.before else None),
        "pulse": None
        if t.pulse is None
        else {
            "period": t.pulse.period_label,
            "questions": [
                {
                    "question": q.question,
                    "answered": q.answered_cell,
                    "agreeing_percent": None if q.agreeing is None else round(q.agreeing, 1),
                }
                for q in t.pulse.questions
            ],
        },
    }
