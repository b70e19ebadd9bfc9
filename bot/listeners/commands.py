"""`/qpr ...`: every command is acknowledged at once; the work follows the ack."""

from __future__ import annotations

from datetime import date

from slack_sdk.errors import SlackApiError

from bot.blocks import review as review_blocks
from bot.listeners import judge, needs
from bot.listeners.context import Deps, log, slack_error
from bot.listeners.evidence import post_evidence
from bot.listeners.schedule import schedule_command, team_outlook
from bot.text import escape, unescape, user_id
from reviews import needs as team_needs
from reviews import outcomes, reminders, teams
from reviews.calendar import local_date
from reviews.errors import NoOpenReview, QprError
from storage import queries
from storage.models import Review, Team
from storage.periods import PeriodError, last_ended_quarter, parse_quarter

USAGE = """*QPR bot commands*
`/qpr setup <team name>`: set this channel up for a team (you become its facilitator)
`/qpr start [period]`: start the review of a quarter, e.g. `/qpr start 2026/27 Q2` (facilitators)
`/qpr status`: where this channel's review has got to
`/qpr outcomes`: the outcome statements proposed or agreed so far
`/qpr agree`: agree the outcome statements (facilitators)
`/qpr evidence`: post the evidence for the review in its thread
`/qpr judge`: record how well we are doing and what else we need to know (facilitators)
`/qpr needs`: the team's open information needs, to mark done
`/qpr report [period]`: post the record of a review in its thread
`/qpr close`: close the review (facilitators)
`/qpr schedule [date | rule | pause | resume]`: when the team meets, and its reminders
`/qpr facilitators add|remove @someone`: change who facilitates (facilitators)
`/qpr help`: this list"""

# Commands that open a modal: it must open within 3 seconds, so they are not queued.
MODAL = ("agree", "judge")


class Usage(QprError):
    """A command that could not be read; the message shows how to write it."""


def handler(deps: Deps):
    def qpr(ack, command, client, respond):
        ack()
        if (command.get("text") or "").lower().split()[:1] in [[m] for m in MODAL]:
            run(command, client, respond)
        else:
            deps.later(run, command, client, respond)

    def run(command, client, respond):
        # With escaping on, Slack sends & < > as entities; mentions stay <@U123|name>.
        words = unescape(command.get("text") or "").split()
        verb = words[0].lower() if words else "help"
        args = words[1:]
        request_id = command.get("trigger_id")
        channel, user = command["channel_id"], command["user_id"]
        try:
            if verb == "help":
                respond(USAGE)
            elif verb == "setup":
                _setup(deps, respond, channel, user, " ".join(args), request_id)
            elif verb == "start":
                _start(deps, client, respond, channel, user, " ".join(args), request_id)
            elif verb == "status":
                respond(_status(deps, channel))
            elif verb == "outcomes":
                respond(_outcomes(deps, channel))
            elif verb == "evidence":
                respond(_evidence(deps, client, channel, user))
            elif verb == "agree":
                _agree(deps, client, respond, channel, user, command["trigger_id"])
            elif verb == "judge":
                message = judge.open_judge_modal(deps, client, channel, user, command["trigger_id"])
                if message:
                    respond(message)
            elif verb == "needs":
                text, blocks = needs.needs_reply(deps, channel)
                respond(text=text, blocks=blocks)
            elif verb == "report":
                judge.report_command(deps, client, respond, channel, " ".join(args))
            elif verb == "close":
                judge.close_command(deps, respond, channel, user)
            elif verb in ("facilitators", "facilitator"):
                _facilitators(deps, respond, channel, user, args, request_id)
            elif verb == "schedule":
                schedule_command(deps, respond, channel, user, args, request_id)
            else:
                raise Usage(f"I don't know `/qpr {escape(verb)}`.\n\n{USAGE}")
        except QprError as refused:
            respond(str(refused))
        except Exception as exc:
            log.error("command failed: %s in /qpr %s", type(exc).__name__, verb)
            respond("Sorry, something went wrong and nothing was changed. Please try again.")

    return qpr


def _period(text: str, settings) -> object:
    if not text:
        return last_ended_quarter(date.today(), settings.fy_start_month)
    try:
        return parse_quarter(text, settings.fy_start_month)
    except PeriodError as exc:
        raise Usage(
            f"{escape(str(exc))}. Usage: `/qpr start [period]`, e.g. `/qpr start 2026/27 Q2`."
        ) from None


def _setup(deps, respond, channel, user, name, request_id) -> None:
    if not name.strip():
        raise Usage("Give the team's name: `/qpr setup Older People's Services`.")
    with deps.factory.unit_of_work() as session:
        team, changed = teams.setup_team(
            session, channel, name, user, request_id, deps.settings.timezone
        )
        names = teams.facilitators(session, team)
    who = ", ".join(f"<@{u}>" for u in names)
    if changed:
        respond(
            response_type="in_channel",
            text=f"This channel is now the home of *{escape(team.name)}* and its quarterly "
            f"reviews. Facilitators: {who}. Start a review with `/qpr start`.",
        )
    else:
        respond(f"This channel is already set up for *{escape(team.name)}*. Facilitators: {who}.")


def _start(deps, client, respond, channel, user, text, request_id) -> None:
    period = _period(text, deps.settings)
    with deps.factory.unit_of_work() as session:
        team = teams.team_for_channel(session, channel)
        meeting = reminders.meeting_of(team, period, None, deps.settings.fy_start_month)
        review, _ = outcomes.start_review(
            session,
            team,
            period,
            user,
            request_id,
            meeting=local_date(meeting, team.timezone) if meeting else None,
        )
        review_id = review.id
    result = post_kickoff(deps, client, review_id)
    if result == "posting":
        respond(
            f"The kick-off of {period.label} is being posted. If it does not "
            "appear, run this again in a minute."
        )
    elif result == "already":
        respond(f"The review of {period.label} is already under way in its thread.")
    elif result != "posted":
        respond(
            f"The review of {period.label} is started, but Slack would not take the "
            f"kick-off message ({result}). Run `/qpr start {period.label}` again "
            "to post it."
        )


def post_kickoff(deps, client, review_id: int) -> str:
    """Post a review's kick-off once: "posted", "already" (posted before), "posting" (being
    posted elsewhere), or what Slack said when it refused."""
    with deps.factory.unit_of_work() as session:
        review = session.get(Review, review_id)
        team = session.get(Team, review.team_id)
        if not outcomes.claim_kickoff(session, review):
            return "posting" if outcomes.posting(review.slack_thread_ts) else "already"
        before = outcomes.previous_review(session, review)
        blocks = review_blocks.kickoff(
            review,
            team.name,
            outcomes.carry_over_candidates(session, review),
            before.period_label if before else None,
            team_needs.open_for_team(session, team),
        )
        text = review_blocks.kickoff_text(review, team.name)
        channel = team.slack_channel_id
    try:
        posted = client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
        )
    except Exception as exc:
        # Whatever went wrong (Slack refused, the connection failed), the claim is let go,
        # so the next try can post it.
        problem = slack_error(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
        log.warning("kick-off not posted for review %s: %s", review_id, problem)
        with deps.factory.unit_of_work() as session:
            outcomes.release_kickoff(session, review_id)
        return problem
    with deps.factory.unit_of_work() as session:
        outcomes.set_thread(session, session.get(Review, review_id), posted["ts"])
    return "posted"


def _status(deps, channel) -> str:
    with deps.factory() as session:
        team = teams.team_for_channel(session, channel)
        review = outcomes.open_review(session, team)
        who = ", ".join(f"<@{u}>" for u in teams.facilitators(session, team))
        outlook = team_outlook(deps, session, team)
        if review is None:
            return (
                f"*{escape(team.name)}*: no review open. Facilitators: {who}. "
                f"Start one with `/qpr start`. {outlook}"
            )
        proposed = len(outcomes.proposals(session, review))
        agreed = len(outcomes.agreed(session, review))
    stage = {
        "outcomes": f"agreeing outcome statements ({proposed} proposed)",
        "evidence": f"looking at the evidence ({agreed} outcomes agreed)",
        "judgement": "recording the judgement",
    }.get(str(review.stage), str(review.stage))
    return (
        f"*{escape(team.name)}*, review of {review.period_label}: {stage}. "
        f"Facilitators: {who}. {outlook}"
    )


def _outcomes(deps, channel) -> str:
    with deps.factory() as session:
        team = teams.team_for_channel(session, channel)
        review = outcomes.open_review(session, team)
        if review is None:
            raise NoOpenReview()
        agreed = outcomes.agreed(session, review)
        found = outcomes.proposals(session, review)
    if agreed:
        lines = "\n".join(f"{i}. {escape(o.text)}" for i, o in enumerate(agreed, start=1))
        return f"*Agreed outcome statements for {review.period_label}*\n{lines}"
    if not found:
        return f"No outcome statements proposed yet for {review.period_label}."
    lines = "\n".join(
        f"{i}. {escape(p.outcome.text)} ({len(p.supporters)} :+1:)"
        for i, p in enumerate(found, start=1)
    )
    return f"*Proposed for {review.period_label}*\n{lines}"


def _evidence(deps, client, channel, user) -> str:
    with deps.factory() as session:
        team = teams.team_for_channel(session, channel)
        review = outcomes.open_review(session, team)
        if review is None or not review.slack_thread_ts or outcomes.posting(review.slack_thread_ts):
            raise NoOpenReview()
        review_id, label = review.id, review.period_label
    problem = post_evidence(deps, client, review_id, user)
    return problem or f"The evidence for {label} is in the review thread."


def open_agree_modal(
    deps, client, channel: str, user: str, trigger_id: str, review_id: int | None = None
) -> str | None:
    """Open the agreement modal; a message for the user if it cannot be opened."""
    with deps.factory() as session:
        team = teams.team_for_channel(session, channel)
        teams.require_facilitator(session, team, user, "agree the outcomes")
        review = (
            session.get(Review, review_id) if review_id else outcomes.open_review(session, team)
        )
        if review is None or review.team_id != team.id:
            raise NoOpenReview()
        if str(review.stage) != "outcomes":
            return f"The outcomes of {review.period_label} are already agreed."
        found = outcomes.proposals(session, review)
        if not found:
            return "There are no proposals to agree yet: people reply in the review thread."
        indicators = queries.team_indicators(session, team.id)
        suggested = {
            p.outcome.id: outcomes.suggest_indicators(p.outcome, indicators) for p in found
        }
        view = review_blocks.agree_modal(review, found, indicators, suggested)
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        return f"Slack would not open the form ({slack_error(exc)}): please try again."
    return None


def _agree(deps, client, respond, channel, user, trigger_id) -> None:
    message = open_agree_modal(deps, client, channel, user, trigger_id)
    if message:
        respond(message)


def _facilitators(deps, respond, channel, user, args, request_id) -> None:
    usage = "Usage: `/qpr facilitators add @someone` or `/qpr facilitators remove @someone`."
    if len(args) < 2 or args[0].lower() not in ("add", "remove"):
        with deps.factory() as session:
            team = teams.team_for_channel(session, channel)
            who = ", ".join(f"<@{u}>" for u in teams.facilitators(session, team))
        respond(f"Facilitators of *{escape(team.name)}*: {who}.\n{usage}")
        return
    who = " ".join(args[1:])  # a mention's display name may hold spaces
    target = user_id(who)
    if target is None:
        raise Usage(f"I can't tell who `{escape(who)}` is. {usage}")
    with deps.factory.unit_of_work() as session:
        team = teams.team_for_channel(session, channel)
        change = teams.add_facilitator if args[0].lower() == "add" else teams.remove_facilitator
        changed = change(session, team, user, target, request_id)
    if args[0].lower() == "add":
        respond(f"<@{target}> is {'now' if changed else 'already'} a facilitator.")
    else:
        respond(f"<@{target}> is {'no longer' if changed else 'not'} a facilitator.")
