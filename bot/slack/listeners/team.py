"""A channel's team: `/qpr setup`, `/qpr facilitators` and `/qpr status`."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.slack.blocks.schedule import outlook_text
from bot.slack.deps import Invocation
from bot.slack.mrkdwn import escape, user_id
from reviews import outcomes, schedule, teams
from reviews.errors import QprError


def setup_command(call: Invocation) -> None:
    name = call.rest
    if not name.strip():
        raise QprError("Give the team's name: `/qpr setup Older People's Services`.")
    deps = call.deps
    with deps.factory.unit_of_work() as session:
        team, changed = teams.setup_team(
            session, call.channel, name, call.user, call.trigger_id, deps.settings.timezone
        )
        names = teams.facilitators(session, team)
    who = ", ".join(f"<@{u}>" for u in names)
    if changed:
        call.respond(
            response_type="in_channel",
            text=f"This channel is now the home of *{escape(team.name)}* and its quarterly "
            f"reviews. Facilitators: {who}. Start a review with `/qpr start`.",
        )
    else:
        call.respond(
            f"This channel is already set up for *{escape(team.name)}*. Facilitators: {who}."
        )


def status_command(call: Invocation) -> None:
    deps = call.deps
    with deps.factory() as session:
        team = teams.team_for_channel(session, call.channel)
        review = outcomes.open_review(session, team)
        who = ", ".join(f"<@{u}>" for u in teams.facilitators(session, team))
        found = schedule.outlook(session, team, datetime.now(UTC), deps.settings.fy_start_month)
        outlook = outlook_text(found, team.timezone)
        if review is None:
            call.respond(
                f"*{escape(team.name)}*: no review open. Facilitators: {who}. "
                f"Start one with `/qpr start`. {outlook}"
            )
            return
        proposed = len(outcomes.proposals(session, review))
        agreed = len(outcomes.agreed(session, review))
    stage = {
        "outcomes": f"agreeing outcome statements ({proposed} proposed)",
        "evidence": f"looking at the evidence ({agreed} outcomes agreed)",
        "judgement": "recording the judgement",
    }.get(str(review.stage), str(review.stage))
    call.respond(
        f"*{escape(team.name)}*, review of {review.period_label}: {stage}. "
        f"Facilitators: {who}. {outlook}"
    )


def facilitators_command(call: Invocation) -> None:
    deps, args = call.deps, call.args
    usage = "Usage: `/qpr facilitators add @someone` or `/qpr facilitators remove @someone`."
    if len(args) < 2 or args[0].lower() not in ("add", "remove"):
        with deps.factory() as session:
            team = teams.team_for_channel(session, call.channel)
            who = ", ".join(f"<@{u}>" for u in teams.facilitators(session, team))
        call.respond(f"Facilitators of *{escape(team.name)}*: {who}.\n{usage}")
        return
    who = " ".join(args[1:])  # a mention's display name may hold spaces
    target = user_id(who)
    if target is None:
        raise QprError(f"I can't tell who `{who}` is. {usage}")
    adding = args[0].lower() == "add"
    with deps.factory.unit_of_work() as session:
        team = teams.team_for_channel(session, call.channel)
        change = teams.add_facilitator if adding else teams.remove_facilitator
        changed = change(session, team, call.user, target, call.trigger_id)
    if adding:
        call.respond(f"<@{target}> is {'now' if changed else 'already'} a facilitator.")
    else:
        call.respond(f"<@{target}> is {'no longer' if changed else 'not'} a facilitator.")
