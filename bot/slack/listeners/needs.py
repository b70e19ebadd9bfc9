"""Information needs in Slack: `/qpr needs`, settling one (what was found, or why it is
dropped), and the App Home."""

from __future__ import annotations

import json
import logging
from datetime import date

from slack_bolt.context.respond import Respond
from slack_sdk.errors import SlackApiError

from bot.shared.reports.teams import TeamsReport
from bot.slack.blocks.kit import context, short
from bot.slack.blocks.needs import TeamState, home_view, needs_message, settle_form
from bot.slack.blocks.overview import overview_blocks
from bot.slack.blocks.schedule import outlook_text
from bot.slack.calls import open_form, slack_error
from bot.slack.deps import Deps, Invocation, asker
from bot.slack.mrkdwn import escape, form_error, refusal
from reviews.cases import needs
from reviews.errors import QprError
from reviews.kinds import NeedStatus

log = logging.getLogger(__name__)


def needs_command(call: Invocation) -> None:
    found = needs.team_needs(call.deps.ctx, call.asker)
    text, blocks = needs_message(found.team.name, found.open, date.today())
    call.respond(text=text, blocks=blocks)


def home(deps: Deps, user: str, notice: str | None = None) -> dict:
    found = needs.home(deps.ctx, user)
    states = [
        TeamState(
            t.team,
            t.review,
            outlook_text(t.outlook, t.team.timezone),
            t.data_notes,
            t.overdue,
            t.pulse,
        )
        for t in found.teams
    ]
    # A manager sees every team's review of the latest quarter first.
    across = overview_blocks(TeamsReport(found.across), home=True)[1] if found.across else None
    return home_view(states, found.owned, date.today(), notice, across)


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
            need = needs.to_settle(deps.ctx, asker(user, None), int(action["value"]))
            carried = {
                "need": need.id,
                "home": from_home,
                # The message the button was on, to be updated once it is saved.
                "response_url": body.get("response_url"),
                "one": action.get("block_id", "").startswith("need_"),
            }
            view = settle_form(need, json.dumps(carried))
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
            settled = needs.settle(
                deps.ctx,
                asker(user, None, view.get("id")),
                int(meta["need"]),
                NeedStatus(values["status"]["status"]["selected_option"]["value"]),
                values["answer"]["answer"].get("value") or "",
                link=values.get("link", {}).get("link", {}).get("value"),
                file=files[0].get("permalink") if files else None,
            )
        except QprError as refused:
            block = "link" if "link" in form_error(refused) else "answer"
            ack(response_action="errors", errors={block: form_error(refused)})
            return
        ack()
        need = settled.need
        word = "Marked done" if need.status == NeedStatus.DONE else "Dropped"
        said = f":white_check_mark: {word}: {escape(short(need.text, 150))}"
        text, blocks = needs_message(settled.team.team.name, settled.team.open, date.today())
        if not settled.changed:
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
        who = asker(body["user"]["id"], None, body.get("trigger_id"))
        text = escape(short(needs.move_due(deps.ctx, who, need_id, due).text, 150))
    except QprError as refused:
        respond(replace_original=False, text=refusal(refused))
        return
    respond(replace_original=True, text=f"Moved to {due:%A %d %B %Y}: {text}")


def answered(deps: Deps, body, client, respond) -> None:
    """What was found, typed in a need's reminder and sent with Enter: the need is done,
    in one action (kept by the inbox, then worked here)."""
    action = body["actions"][0]
    need_id = int(action["block_id"].removeprefix("answer_"))
    who = asker(body["user"]["id"], None, body.get("trigger_id"))
    try:
        settled = needs.settle(deps.ctx, who, need_id, NeedStatus.DONE, action.get("value") or "")
    except QprError as refused:
        respond(replace_original=False, text=refusal(refused))
        return
    if not settled.changed:
        respond(
            replace_original=True,
            text="That need was settled already: what was said then stands.",
        )
        return
    need = settled.need
    respond(
        replace_original=True,
        text=f":white_check_mark: Marked done: {escape(short(need.text, 150))}\n"
        f"> {escape(short(need.answer or '', 500))}",
    )
