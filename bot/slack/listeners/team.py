"""A channel's team: `/qpr setup`, `/qpr facilitators` and `/qpr status`."""

from __future__ import annotations

from bot.slack.blocks.schedule import outlook_text
from bot.slack.deps import Invocation
from bot.slack.mrkdwn import escape, user_id
from reviews.cases import team
from reviews.errors import QprError


def _mentions(users: list[str]) -> str:
    return ", ".join(f"<@{u}>" for u in users)


def setup_command(call: Invocation) -> None:
    found = team.set_up(call.deps.ctx, call.asker, call.rest)
    name, who = escape(found.team.name), _mentions(found.facilitators)
    if found.changed:
        call.respond(
            response_type="in_channel",
            text=f"This channel is now the home of *{name}* and its quarterly "
            f"reviews. Facilitators: {who}. Start a review with `/qpr start`.",
        )
    else:
        call.respond(f"This channel is already set up for *{name}*. Facilitators: {who}.")


def status_command(call: Invocation) -> None:
    found = team.status(call.deps.ctx, call.asker)
    name, who = escape(found.team.name), _mentions(found.facilitators)
    outlook = outlook_text(found.outlook, found.team.timezone)
    review = found.review
    if review is None:
        call.respond(
            f"*{name}*: no review open. Facilitators: {who}. Start one with `/qpr start`. {outlook}"
        )
        return
    stage = {
        "outcomes": f"agreeing outcome statements ({found.proposed} proposed)",
        "evidence": f"looking at the evidence ({found.agreed} outcomes agreed)",
        "judgement": "recording the judgement",
    }.get(str(review.stage), str(review.stage))
    call.respond(
        f"*{name}*, review of {review.period_label}: {stage}. Facilitators: {who}. {outlook}"
    )


USAGE = "Usage: `/qpr facilitators add @someone` or `/qpr facilitators remove @someone`."


def facilitators_command(call: Invocation) -> None:
    args = call.args
    if len(args) < 2 or args[0].lower() not in ("add", "remove"):
        found = team.facilitators(call.deps.ctx, call.asker)
        call.respond(
            f"Facilitators of *{escape(found.team.name)}*: "
            f"{_mentions(found.facilitators)}.\n{USAGE}"
        )
        return
    who = " ".join(args[1:])  # a mention's display name may hold spaces
    target = user_id(who)
    if target is None:
        raise QprError(f"I can't tell who `{who}` is. {USAGE}")
    adding = args[0].lower() == "add"
    changed = team.change_facilitator(call.deps.ctx, call.asker, target, adding)
    if adding:
        call.respond(f"<@{target}> is {'now' if changed else 'already'} a facilitator.")
    else:
        call.respond(f"<@{target}> is {'no longer' if changed else 'not'} a facilitator.")
