"""Step 1 in Slack: starting a review, carrying outcomes over, anonymous proposals, the
list so far, and agreeing the set (replies and reactions in the thread are in thread.py)."""

from __future__ import annotations

from datetime import date
from functools import partial

from bot.slack.blocks import review as review_blocks
from bot.slack.blocks.links import Choices, links_modal
from bot.slack.calls import form_command, modal_button, open_form, tell
from bot.slack.deps import Deps, Invocation
from bot.slack.mrkdwn import escape, refusal
from bot.slack.posts import post_kickoff, post_statement
from reviews import outcomes, reminders, teams
from reviews.calendar import local_date
from reviews.errors import NoOpenReview, QprError
from reviews.evidence.relevance import INDICATOR
from reviews.periods import Period, PeriodError, last_ended_quarter, parse_quarter
from reviews.work import unit_of_work


def _period(text: str, fy_start_month: int) -> Period:
    if not text:
        return last_ended_quarter(date.today(), fy_start_month)
    try:
        return parse_quarter(text, fy_start_month)
    except PeriodError as exc:
        raise QprError(
            f"{exc!s}. Usage: `/qpr start [period]`, e.g. `/qpr start 2026/27 Q2`."
        ) from None


def start_command(call: Invocation) -> None:
    deps = call.deps
    period = _period(call.rest, deps.settings.fy_start_month)
    with deps.factory.unit_of_work() as session:
        team = teams.team_for_channel(session, call.channel)
        meeting = reminders.meeting_of(team, period, None, deps.settings.fy_start_month)
        review, _ = outcomes.start_review(
            session,
            team,
            period,
            call.user,
            call.trigger_id,
            meeting=local_date(meeting, team.timezone) if meeting else None,
        )
        review_id = review.id
    result = post_kickoff(deps, call.client, review_id)
    if result == "posting":
        call.respond(
            f"The kick-off of {period.label} is being posted. If it does not "
            "appear, run this again in a minute."
        )
    elif result == "already":
        call.respond(f"The review of {period.label} is already under way in its thread.")
    elif result != "posted":
        call.respond(
            f"The review of {period.label} is started, but Slack would not take the "
            f"kick-off message ({result}). Run `/qpr start {period.label}` again "
            "to post it."
        )


def outcomes_command(call: Invocation) -> None:
    with call.deps.factory() as session:
        team = teams.team_for_channel(session, call.channel)
        review = outcomes.open_review(session, team)
        if review is None:
            raise NoOpenReview()
        agreed = outcomes.agreed(session, review)
        found = outcomes.proposals(session, review)
    if agreed:
        lines = "\n".join(f"{i}. {escape(o.text)}" for i, o in enumerate(agreed, start=1))
        call.respond(f"*Agreed outcome statements for {review.period_label}*\n{lines}")
    elif not found:
        call.respond(f"No outcome statements proposed yet for {review.period_label}.")
    else:
        lines = "\n".join(
            f"{i}. {escape(p.outcome.text)} ({len(p.supporters)} :+1:)"
            for i, p in enumerate(found, start=1)
        )
        call.respond(f"*Proposed for {review.period_label}*\n{lines}")


def open_agree_modal(
    deps: Deps, client, channel: str, user: str, trigger_id: str, review_id: int | None = None
) -> str | None:
    """Open the agreement modal; a message for the user if it cannot be opened."""
    with deps.factory() as session:
        team = teams.team_for_channel(session, channel)
        teams.require_facilitator(session, team, user, "agree the outcomes")
        review = outcomes.review_here(session, team, review_id)
        if str(review.stage) != "outcomes":
            return f"The outcomes of {review.period_label} are already agreed."
        found = outcomes.proposals(session, review)
        if not found:
            return "There are no proposals to agree yet: people reply in the review thread."
        indicators, names = outcomes.team_evidence(session, team.id)
        suggested = {
            p.outcome.id: outcomes.suggest_links(p.outcome, indicators, names) for p in found
        }
        view = review_blocks.agree_modal(review, found, Choices.of(indicators, names), suggested)
    return open_form(client, trigger_id, view)


def carry_over_clicked(deps: Deps, body, client, respond) -> None:
    """*Carry over* on an earlier quarter's outcome (kept by the inbox, then worked here)."""
    user, channel = body["user"]["id"], body["channel"]["id"]
    old_id = int(body["actions"][0]["value"])
    try:
        with unit_of_work(deps.factory, "That outcome has already been carried over.") as session:
            review = outcomes.review_by_thread(session, channel, body["message"]["ts"])
            old = outcomes.outcome_by_id(session, old_id)
            if review is None or old is None or old.review_id == review.id:
                raise QprError("That outcome can't be carried over from here.")
            outcome, _ = outcomes.propose(
                session,
                review,
                old.text,
                user,
                None,
                carried_from=old,
                request_id=body.get("trigger_id"),
            )
            label = outcomes.review_by_id(session, old.review_id).period_label
            text = review_blocks.carried_over(old, label, user)
    except QprError as refused:
        tell(client, channel, user, refusal(refused))
        return
    post_statement(deps, client, review, outcome.id, text, user, "The outcome is carried over")


def open_anonymous(deps: Deps):
    def on_click(ack, body, client):
        ack()
        channel, user = body["channel"]["id"], body["user"]["id"]
        with deps.factory() as session:
            review = outcomes.review_by_id(session, int(body["actions"][0]["value"]))
            # A review is reached only from its own channel.
            if review is not None and review.slack_channel_id != channel:
                review = None
            if review is None or str(review.stage) != "outcomes":
                tell(client, channel, user, "Proposals for this review are closed.")
                return
            view = review_blocks.anonymous_modal(review)
        problem = open_form(client, body["trigger_id"], view)
        if problem:
            tell(client, channel, user, problem)

    return on_click


def submit_anonymous(deps: Deps):
    def on_submit(ack, body, view, client):
        text = view["state"]["values"]["statement"]["text"].get("value") or ""
        if not text.strip():
            ack(response_action="errors", errors={"statement": "Write the statement first."})
            return
        try:
            with deps.factory.unit_of_work() as session:
                review_id, _, channel = view["private_metadata"].partition(":")
                review = outcomes.review_by_id(session, int(review_id))
                # A review is reached only from its own channel, as the form was opened.
                if review is None or review.slack_channel_id != channel:
                    raise QprError("Proposals for this review are closed.")
                # Stored with no proposer; the request id is left out too, as it would lead
                # back to whoever opened the form.
                outcome, _ = outcomes.propose(session, review, text, None, None, anonymous=True)
                post = review_blocks.anonymous_post(outcome.text)
        except QprError as refused:
            ack(response_action="errors", errors={"statement": refusal(refused)[:150]})
            return
        ack()
        post_statement(
            deps, client, review, outcome.id, post, body["user"]["id"], "Your statement is saved"
        )

    return on_submit


def open_agree(deps: Deps):
    return modal_button(partial(open_agree_modal, deps))


def selected(values: dict, block_id: str) -> list[dict]:
    """The options left chosen in a form's multi-select."""
    return values.get(block_id, {}).get("link", {}).get("selected_options") or []


def read_decisions(view: dict, choices: Choices) -> tuple[list[outcomes.Decision], dict[str, str]]:
    """The facilitator's choices in the agreement modal, or the errors to show in it."""
    values = view["state"]["values"]
    ids_ = [int(block[len("do_") :]) for block in values if block.startswith("do_")]
    choice = {i: values[f"do_{i}"]["do"]["selected_option"]["value"] for i in ids_}
    text = {i: (values[f"text_{i}"]["text"].get("value") or "").strip() for i in ids_}
    links = {i: choices.read(selected(values, f"link_{i}")) for i in ids_}
    errors: dict[str, str] = {}
    merged_into: dict[int, list[int]] = {}
    for i, what in choice.items():
        if what.startswith("merge:"):
            target = int(what.split(":", 1)[1])
            if choice.get(target) != "agree":
                errors[f"do_{i}"] = "Merge into a statement that is agreed."
            merged_into.setdefault(target, []).append(i)
    decisions = []
    for i in ids_:
        if choice[i] != "agree":
            continue
        if not text[i]:
            errors[f"text_{i}"] = "An agreed statement needs some words."
        sources = [i, *merged_into.get(i, [])]
        linked = sorted({indicator for j in sources for indicator in links[j][0]})
        named: dict[str, list[str]] = {}
        for j in sources:
            for kind, keys in links[j][1].items():
                named.setdefault(kind, []).extend(keys)
        decisions.append(outcomes.Decision(text[i], sources, linked, named))
    if not decisions and ids_:
        errors[f"do_{ids_[0]}"] = "Agree at least one statement."
    return decisions, errors


def agree_metadata(view: dict) -> tuple[int, set[int]]:
    """The review and the proposals shown, as the agreement modal carries them."""
    review_id, _, shown = view["private_metadata"].partition(":")
    return int(review_id), {int(i) for i in shown.split(",") if i}


def team_choices(session, team_id: int) -> Choices:
    """What the team's outcomes can be linked to, as the forms offer it."""
    return Choices.of(*outcomes.team_evidence(session, team_id))


def submit_agree(deps: Deps):
    def on_submit(ack, body, view, client):
        review_id, shown = agree_metadata(view)
        with deps.factory() as session:
            review = outcomes.review_by_id(session, review_id)
            choices = team_choices(session, review.team_id) if review else None
        if review is None or choices is None:
            first = next(iter(view["state"]["values"]))
            ack(response_action="errors", errors={first: "That review no longer exists."})
            return
        decisions, errors = read_decisions(view, choices)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        user = body["user"]["id"]
        try:
            # Committed before the form closes: a refusal rolls everything back and says why.
            with deps.factory.unit_of_work() as session:
                review = outcomes.review_by_id(session, review_id)
                # The evidence at a glance is owed with the agreement.
                outcomes.agree(session, review, user, decisions, shown, request_id=view.get("id"))
        except QprError as refused:
            first = next(iter(view["state"]["values"]))
            ack(response_action="errors", errors={first: refusal(refused)[:150]})
            return
        ack()
        deps.wake()  # the worker sends what is owed

    return on_submit


def open_links_modal(
    deps: Deps, client, channel: str, user: str, trigger_id: str, review_id: int | None = None
) -> str | None:
    """The form that changes what each agreed outcome is linked to; a message instead if it
    cannot be opened."""
    with deps.factory() as session:
        team = teams.team_for_channel(session, channel)
        teams.require_facilitator(session, team, user, "change what an outcome is linked to")
        review = outcomes.review_here(session, team, review_id)
        agreed = outcomes.agreed(session, review)
        if not agreed:
            return f"No outcomes of {review.period_label} are agreed yet: `/qpr agree` first."
        choices = team_choices(session, team.id)
        if not choices.groups:
            return (
                f"{escape(team.name)} has no evidence loaded to link yet: import its "
                "indicators' values, complaints, views or survey results first."
            )
        indicators, names = outcomes.team_evidence(session, team.id)
        rows = []
        for outcome in agreed:
            links = outcomes.links(session, outcome)
            linked = {(k, v) for k, vs in links.items() for v in vs}
            offered = [
                s
                for s in outcomes.suggest_links(outcome, indicators, names)
                if (s.kind, s.key) not in linked
            ]
            rows.append((outcome, links, offered))
        view = links_modal(review, rows, choices)
    return open_form(client, trigger_id, view)


agree_command = form_command(open_agree_modal)
links_command = form_command(open_links_modal)


def open_links(deps: Deps):
    return modal_button(partial(open_links_modal, deps))


def submit_links(deps: Deps):
    def on_submit(ack, body, view, client):
        user = body["user"]["id"]
        values = view["state"]["values"]
        try:
            with deps.factory.unit_of_work() as session:
                review = outcomes.review_by_id(session, int(view["private_metadata"]))
                if review is None:
                    raise NoOpenReview()
                choices = team_choices(session, review.team_id)
                changes = {}
                for block in values:
                    if block.startswith("link_"):
                        outcome_id = int(block[len("link_") :])
                        indicator_ids, named = choices.read(selected(values, block))
                        # A link the form had no room to offer was not taken away.
                        outcome = outcomes.outcome_by_id(session, outcome_id)
                        if outcome is None or outcome.review_id != review.id:
                            raise QprError(
                                "An outcome in the form is not this review's: open it again."
                            )
                        for kind, keys in outcomes.links(session, outcome).items():
                            for key in keys:
                                if (kind, key) in choices.by_key:
                                    continue
                                if kind == INDICATOR:
                                    indicator_ids.append(outcomes.indicator_id(session, key))
                                else:
                                    named.setdefault(kind, []).append(key)
                        changes[outcome_id] = (indicator_ids, named)
                # The evidence goes up again with the new links, owed with the change.
                outcomes.relink_outcomes(session, review, user, changes, request_id=view.get("id"))
        except QprError as refused:
            first = next(iter(values), "link")
            ack(response_action="errors", errors={first: refusal(refused)[:150]})
            return
        ack()
        deps.wake()  # the worker sends what is owed

    return on_submit
