"""Every team's review of a quarter in Slack: posted by `/qpr overview`, sent to each
manager when the last team's review closes, and at the top of a manager's App Home. One
section a team, late ones first: where its review stands, its judgements, its needs, and
its key indicators with their variation."""

from __future__ import annotations

from bot.shared import pulse_words
from bot.shared.reports.teams import (
    TeamsReport,
    meeting_words,
    needs_text,
    stage_text,
    summary_text,
)
from bot.shared.reports.words import rating_text
from bot.slack.blocks.evidence import glance_line
from bot.slack.blocks.kit import context, header, section, short
from bot.slack.mrkdwn import escape
from reviews.overview import NO_CHANNEL, NOT_STARTED, TeamLine

TEAMS_SHOWN = 40  # each team is one block; a message holds 50
TEAMS_AT_HOME = 20  # the App Home holds 100 blocks, and the manager's own teams follow
OUTCOMES_SHOWN = 6
KEY_SHOWN = 5


def team_text(t: TeamLine, home: bool = False) -> str:
    """A team's review in a few lines. In the App Home its channel is linked and its
    facilitators named (a view notifies nobody); a message mentions no one."""
    name = f"*{escape(t.team)}*"
    if home and t.channel:
        name += f" in <#{t.channel}>"
    lines = [name + (f" :warning: *Late*: {t.late}" if t.late else "")]
    lines.append(
        f"Review: {stage_text(t)}; {meeting_words(t)}. "
        f"Overall: *{rating_text(t.overall).lower()}*. "
        f"Needs: {needs_text(t)}."
    )
    if t.before and t.stage in (NOT_STARTED, NO_CHANNEL):
        period, rating = t.before
        lines.append(f"Last review ({escape(period)}): {rating_text(rating).lower()}.")
    for o in t.outcomes[:OUTCOMES_SHOWN]:
        carried = " _(carried over)_" if o.carried else ""
        lines.append(f"• {escape(short(o.text, 150))}{carried}: {rating_text(o.rating).lower()}")
    if len(t.outcomes) > OUTCOMES_SHOWN:
        lines.append(f"…and {len(t.outcomes) - OUTCOMES_SHOWN} more outcomes")
    for e in t.key[:KEY_SHOWN]:
        lines.append(short(glance_line(e), 300))
    if len(t.key) > KEY_SHOWN:
        lines.append(f"…and {len(t.key) - KEY_SHOWN} more key indicators")
    if t.pulse is not None:
        lines.append(f"_{pulse_words.TITLE}_ {escape(pulse_words.history_line(t.pulse))}")
    if home and t.facilitators:
        lines.append("Facilitators: " + ", ".join(f"<@{u}>" for u in t.facilitators[:5]))
    return short("\n".join(lines), 3000)


def overview_blocks(report: TeamsReport, home: bool = False) -> tuple[str, list[dict]]:
    """The overview as a message (or, with `home`, as the top of the App Home)."""
    title = report.title
    blocks = [header(title), context(escape(summary_text(report)))]
    teams = report.teams
    shown = TEAMS_AT_HOME if home else TEAMS_SHOWN
    blocks += [section(team_text(t, home)) for t in teams[:shown]]
    if not teams:
        blocks.append(section("No teams yet."))
    if len(teams) > shown:
        more = f"And {len(teams) - shown} more teams"
        where = "`/qpr overview` in a managers' channel" if home else "the all-teams report"
        blocks.append(context(f"{more}: {where} has every one."))
    return f"{title}: {summary_text(report)}", blocks
