"""Information needs in Slack: `/qpr needs`, settling one (what was found, or why it is
dropped), and the App Home."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime

from slack_bolt.context.respond import Respond
from slack_sdk.errors import SlackApiError

from bot.shared.reports.teams import TeamsReport
from bot.slack.blocks.kit import context, short
from bot.slack.blocks.needs import TeamState, home_view, needs_message, settle_form
from bot.slack.blocks.overview import overview_blocks
from bot.slack.blocks.schedule import outlook_text
from bot.slack.calls import open_form, slack_error
from bot.slack.deps import Deps, Invocation
from bot.slack.mrkdwn import escape, refusal
from reviews import managers, needs, outcomes, schedule, teams
from reviews.as_of import figures_as_of
from reviews.calendar import local_date
from reviews.errors import QprError
from reviews.evidence.quality import review_data_notes
from reviews.kinds import NeedStatus
from reviews.overview import overview
from reviews.periods import last_ended_quarter

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
            facilitating = user in teams.facilitators(session, team)
            notes = (
                review_data_notes(session, team, latest, figures_as_of(latest, date.today()), fy)
                if latest is not None and facilitating
                else []
            )
            # Overdue needs stay in sight of those who can chase them (owners see theirs below).
            overdue = needs.overdue_for_team(session, team, date.today()) if facilitating else []
            states.append(
                TeamState(team, review, outlook_text(found, team.timezone), notes, overdue)
            )
        # A manager sees every team's review of the latest quarter first.
        across = None
        if managers.is_manager(session, user):
            today = local_date(now, deps.settings.timezone)
            found = TeamsReport(overview(session, last_ended_quarter(today, fy), today, fy))
            across = overview_blocks(found, home=True)[1]
        return home_view(states, needs.owned_by(session, user), date.today(), notice, across)


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


def open_settle(deps: Deps):
    """*Done* on a need: the form asking what was found (a form opens within 3 seconds of
    the click, so this runs before the ack returns)."""

    def on_click(ack, body, client):
        ack()
        user = body["user"]["id"]
        action = body["actions"][0]
        from_home = (body.get("container") or {}).get("type") == "view"
        try:
            with deps.factory() as session:
                need = needs.settable(session, int(action["value"]), user, "settle that need")
                view = settle_form(
                    need,
                    json.dumps(
                        {
                            "need": need.id,
                            "home": from_home,
                            # The message the button was on, to be updated once it is saved.
                            "response_url": body.get("response_url"),
                            "one": action.get("block_id", "").startswith("need_"),
                        }
                    ),
                )
            message = open_form(client, body["trigger_id"], view)
        except QprError as refused:
            message = refusal(refused)
        if message and from_home:
            publish_home(deps, client, user, notice=message)
        elif message and body.get("response_url"):
            Respond(response_url=body.get("response_url"))(
                replace_original=False, response_type="ephemeral", text=message
            )

    return on_click


def submit_settle(deps: Deps):
    def on_submit(ack, body, view, client):
        user = body["user"]["id"]
        values = view["state"]["values"]
        meta = json.loads(view["private_metadata"])
        files = values.get("file", {}).get("file", {}).get("files") or []
        try:
            with deps.factory.unit_of_work() as session:
                need, changed = needs.settle(
                    session,
                    int(meta["need"]),
                    user,
                    NeedStatus(values["status"]["status"]["selected_option"]["value"]),
                    values["answer"]["answer"].get("value") or "",
                    link=values.get("link", {}).get("link", {}).get("value"),
                    file=files[0].get("permalink") if files else None,
                    request_id=view.get("id"),
                )
                team = teams.team_by_id(session, need.team_id)
                text, blocks = needs_message(
                    team.name, needs.open_for_team(session, team), date.today()
                )
        except QprError as refused:
            block = "link" if "link" in refusal(refused) else "answer"
            ack(response_action="errors", errors={block: refusal(refused)[:150]})
            return
        ack()
        word = "Marked done" if need.status == NeedStatus.DONE else "Dropped"
        said = f":white_check_mark: {word}: {escape(short(need.text, 150))}"
        if not changed:
            said = "That need was settled already: what was said then stands."
        deps.later(_show_settled, deps, client, user, meta, said, text, blocks)

    return on_submit


def _show_settled(deps: Deps, client, user: str, meta: dict, said: str, text, blocks) -> None:
    """Where the *Done* was clicked, the need shown settled."""
    if meta.get("home"):
        publish_home(deps, client, user, notice=said)
        return
    if not meta.get("response_url"):
        return
    respond = Respond(response_url=meta["response_url"])
    if meta.get("one"):
        respond(replace_original=True, text=said)  # a reminder about this one need
    else:
        respond(replace_original=True, text=text, blocks=[*blocks[:1], context(said), *blocks[1:]])


def done_kept_earlier(deps: Deps, body, client, respond) -> None:
    """A *Done* click kept before Done asked what was found: the person is asked to press
    it again, rather than the need being settled with nothing said."""
    if body.get("response_url"):
        respond(
            replace_original=False,
            response_type="ephemeral",
            text="Done now asks what was found: please press it again.",
        )


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
        respond(replace_original=False, text=refusal(refused))
        return
    respond(replace_original=True, text=f"Moved to {due:%A %d %B %Y}: {text}")
