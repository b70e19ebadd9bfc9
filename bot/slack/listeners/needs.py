"""Information needs in Slack: `/qpr needs`, marking one done, and the App Home."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from slack_sdk.errors import SlackApiError

from bot.slack.blocks.kit import context, short
from bot.slack.blocks.needs import TeamState, home_view, needs_message
from bot.slack.blocks.schedule import outlook_text
from bot.slack.calls import slack_error
from bot.slack.deps import Deps, Invocation
from bot.slack.mrkdwn import escape
from reviews import needs, outcomes, schedule, teams
from reviews.errors import QprError
from reviews.evidence.quality import review_data_notes
from storage.models import Team

log = logging.getLogger(__name__)


def needs_command(call: Invocation) -> None:
    with call.deps.factory() as session:
        team = teams.team_for_channel(session, call.channel)
        text, blocks = needs_message(team.name, needs.open_for_team(session, team), date.today())
    call.respond(text=text, blocks=blocks)


def home(deps: Deps, user: str, notice: str | None = None) -> dict:
    now = datetime.now(UTC)
    fy = deps.settings.fy_start_month
    with deps.factory() as session:
        states = []
        for team in teams.teams_of(session, user):
            review = outcomes.open_review(session, team)
            found = schedule.outlook(session, team, now, fy)
            # Notes on the data are for facilitators, who can have it put right.
            latest = review or outcomes.latest_review(session, team)
            notes = (
                review_data_notes(session, team, latest, date.today(), fy)
                if latest is not None and user in teams.facilitators(session, team)
                else []
            )
            states.append(TeamState(team, review, outlook_text(found, team.timezone), notes))
        return home_view(states, needs.owned_by(session, user), date.today(), notice)


def publish_home(deps: Deps, client, user: str, notice: str | None = None) -> None:
    try:
        client.views_publish(user_id=user, view=home(deps, user, notice))
    except SlackApiError as exc:
        log.warning("home not published: %s", slack_error(exc))


def home_opened(deps: Deps):
    def on_open(body, event, client):
        if event.get("tab", "home") == "home":
            publish_home(deps, client, event["user"])

    return on_open


def done_clicked(deps: Deps, body, client, respond) -> None:
    """*Done* on a need (kept by the inbox, then worked here)."""
    user = body["user"]["id"]
    from_home = (body.get("container") or {}).get("type") == "view"
    try:
        with deps.factory.unit_of_work() as session:
            need, changed = needs.mark_done(
                session, int(body["actions"][0]["value"]), user, body.get("trigger_id")
            )
            team = session.get(Team, need.team_id)
            text, blocks = needs_message(
                team.name, needs.open_for_team(session, team), date.today()
            )
    except QprError as refused:
        if from_home:
            publish_home(deps, client, user, notice=str(refused))
        else:
            respond(replace_original=False, text=str(refused))
        return
    done = f":white_check_mark: Marked done: {escape(short(need.text, 150))}"
    if not changed:
        done = "That need was settled already."
    if from_home:
        publish_home(deps, client, user, notice=done)
    elif body["actions"][0].get("block_id", "").startswith("need_"):
        respond(replace_original=True, text=done)  # a reminder about this one need
    else:
        respond(replace_original=True, text=text, blocks=[*blocks[:1], context(done), *blocks[1:]])


def date_picked(deps: Deps, body, client, respond) -> None:
    """A new due date for a need (kept by the inbox, then worked here)."""
    action = body["actions"][0]
    need_id = int(action["block_id"].removeprefix("need_"))
    try:
        due = date.fromisoformat(action["selected_date"])
        with deps.factory.unit_of_work() as session:
            need = needs.move_due(
                session, need_id, body["user"]["id"], due, datetime.now(UTC), body.get("trigger_id")
            )
            text = escape(short(need.text, 150))
    except QprError as refused:
        respond(replace_original=False, text=str(refused))
        return
    respond(replace_original=True, text=f"Moved to {due:%A %d %B %Y}: {text}")
