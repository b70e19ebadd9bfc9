"""Step 4 in Slack: the judgement form and its pages, and closing a review (the record is
posted by the outbox once the judgement is saved)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import partial

from bot.slack import ids
from bot.slack.blocks import judge as judge_blocks
from bot.slack.blocks.kit import button, section
from bot.slack.calls import form_command, modal_button, open_form
from bot.slack.deps import Deps, Invocation
from bot.slack.mrkdwn import escape, refusal
from reviews import judgement, needs, outcomes, teams
from reviews.as_of import figures_as_of
from reviews.calendar import local_date
from reviews.errors import NoOpenReview, QprError
from reviews.evidence import build_evidence
from reviews.judgement import NewNeed, Rated, Settling
from reviews.kinds import NeedStatus, Rating, Review, Team
from reviews.periods import period_of, quarter_containing
from reviews.work import unit_of_work


def _review(session, channel: str, review_id: int | None) -> tuple[Team, Review]:
    """The review a request is about: the channel's own, or one named by a button, which
    is honoured in its team's channel or in a direct message from the bot (a reminder)."""
    if review_id is not None and channel.startswith("D"):
        review = outcomes.review_by_id(session, review_id)
        if review is None:
            raise NoOpenReview()
        return teams.team_by_id(session, review.team_id), review
    team = teams.team_for_channel(session, channel)
    return team, outcomes.review_here(session, team, review_id)


def judge_form(deps: Deps, session, team: Team, review: Review) -> judge_blocks.Form:
    agreed = outcomes.agreed(session, review)
    as_of = figures_as_of(review, date.today())
    evidence = build_evidence(
        session, team.name, period_of(review), as_of, deps.settings.fy_start_month
    )
    gap_ids = {g.outcome_id for g in evidence.gaps}
    following = quarter_containing(
        review.period_end + timedelta(days=1), deps.settings.fy_start_month
    )
    return judge_blocks.Form(
        review_id=review.id,
        period_label=review.period_label,
        outcomes=agreed,
        saved=judgement.ratings(session, review),
        gaps=[o for o in agreed if o.id in gap_ids],
        earlier=needs.earlier_open(session, review),
        indicators=outcomes.team_evidence(session, team.id)[0],
        due=following.end,
    )


def open_judge_modal(
    deps: Deps, client, channel: str, user: str, trigger_id: str, review_id: int | None = None
) -> str | None:
    """Open the judgement form; a message for the user if it cannot be opened."""
    with deps.factory() as session:
        team, review = _review(session, channel, review_id)
        teams.require_facilitator(session, team, user, "record the judgement")
        judgement.ready_to_judge(review)
        view = judge_blocks.modal(judge_form(deps, session, team, review))
    return open_form(client, trigger_id, view)


def read_ratings(values: dict) -> tuple[list[Rated], dict[str, str]]:
    rated, errors = [], {}
    for block, fields in values.items():
        if not block.startswith("rate_"):
            continue
        key = block[len("rate_") :]
        chosen = (fields.get("rating") or {}).get("selected_option")
        if not chosen:
            errors[block] = "Choose a rating."
            continue
        why = (values.get(f"why_{key}", {}).get("why") or {}).get("value") or ""
        outcome_id = None if key == "overall" else int(key)
        rated.append(Rated(outcome_id, Rating(chosen["value"]), why))
    return rated, errors


def read_needs(values: dict, today: date) -> tuple[list[NewNeed], dict[str, str]]:
    found, errors = [], {}
    slots = sorted({b.split("_")[1] for b in values if b.startswith("need_")}, key=int)
    for k in slots:
        text = ((values.get(f"need_{k}_text", {}).get("text") or {}).get("value") or "").strip()
        owner = (values.get(f"need_{k}_owner", {}).get("owner") or {}).get("selected_user")
        due_text = (values.get(f"need_{k}_due", {}).get("due") or {}).get("selected_date")
        about = (
            (values.get(f"need_{k}_about", {}).get("about") or {}).get("selected_option") or {}
        ).get("value", "")
        if not text:
            if owner:
                errors[f"need_{k}_text"] = "Say what we need to know, or clear the owner."
            continue
        if not owner:
            errors[f"need_{k}_owner"] = "Who will find this out?"
        due = date.fromisoformat(due_text) if due_text else None
        if due is None:
            errors[f"need_{k}_due"] = "By when?"
        elif due < today:
            errors[f"need_{k}_due"] = "That date has passed."
        if owner and due and due >= today:
            kind, _, ident = about.partition(":")
            found.append(
                NewNeed(
                    text,
                    owner,
                    due,
                    outcome_id=int(ident) if kind == "o" else None,
                    indicator_id=int(ident) if kind == "i" else None,
                )
            )
    return found, errors


def read_earlier(values: dict) -> tuple[dict[int, Settling], dict[str, str]]:
    """Last time's needs as the form settles them, each with what was found (or why it is
    dropped); and the errors, by block, of one settled without a word."""
    choices, errors = {}, {}
    for block, fields in values.items():
        if block.startswith("earlier_"):
            need_id = int(block[len("earlier_") :])
            chosen = (fields.get("choice") or {}).get("selected_option") or {}
            value = chosen.get("value", "keep")
            status = NeedStatus.OPEN if value == "keep" else NeedStatus(value)
            found = ((values.get(f"found_{need_id}") or {}).get("found") or {}).get("value")
            answer = (found or "").strip()
            if status != NeedStatus.OPEN and not answer:
                errors[f"found_{need_id}"] = (
                    "Say what was found out." if status == NeedStatus.DONE else "Say why."
                )
            choices[need_id] = Settling(status, answer or None)
    return choices, errors


class _Refused(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors


def submit_judge(deps: Deps):
    def on_submit(ack, body, view, client):
        values = view["state"]["values"]
        user = body["user"]["id"]
        review_id, _, page_text = view["private_metadata"].partition(":")
        page = int(page_text or 0)
        first = next(iter(values), "rate_overall")
        try:
            # Another facilitator may save the same page at the same moment.
            with unit_of_work(
                deps.factory, "Someone saved this form at the same moment: submit it again."
            ) as session:
                review = outcomes.review_by_id(session, int(review_id))
                if review is None:
                    raise NoOpenReview()
                team = teams.team_by_id(session, review.team_id)
                rated, errors = read_ratings(values)
                pages = -(-len(outcomes.agreed(session, review)) // judge_blocks.PER_PAGE)
                last = page >= pages - 1  # from the form's own page, not from what came back
                new_needs: list[NewNeed] = []
                earlier: dict[int, Settling] = {}
                if last:
                    today = local_date(datetime.now(UTC), team.timezone)
                    new_needs, need_errors = read_needs(values, today)
                    earlier, earlier_errors = read_earlier(values)
                    errors |= need_errors | earlier_errors
                if errors:
                    raise _Refused(errors)
                if not last:
                    judgement.save_ratings(session, review, user, rated, request_id=view.get("id"))
                    next_view = judge_blocks.modal(
                        judge_form(deps, session, team, review), page + 1
                    )
                else:
                    judgement.record_judgement(
                        session,
                        review,
                        user,
                        rated,
                        new_needs,
                        earlier,
                        request_id=view.get("id"),
                        fy_start_month=deps.settings.fy_start_month,
                    )  # which owes the record to the review's thread
        except _Refused as refused:
            ack(response_action="errors", errors=refused.errors)
            return
        except QprError as refused:
            ack(response_action="errors", errors={first: refusal(refused)[:150]})
            return
        if not last:
            ack(response_action="update", view=next_view)
            return
        ack()
        deps.wake()  # the worker sends what is owed

    return on_submit


def confirm_close(review: Review, drafted: int, total: int) -> list[dict]:
    if drafted:
        state = (
            f"The judgement of {escape(review.period_label)} is not finished ({drafted} of "
            f"{total} outcomes rated on the form's first pages); closing now keeps those "
            "ratings as drafts, not as the record."
        )
    else:
        state = f"No judgement is recorded for the review of {escape(review.period_label)}."
    return [
        section(
            f"{state} Close it without one? Its outcomes and the needs still open stay as they are."
        ),
        {
            "type": "actions",
            "elements": [
                button("Close without a judgement", ids.CLOSE_REVIEW, str(review.id), "danger"),
                button("Record the judgement", ids.OPEN_JUDGE, str(review.id), "primary"),
            ],
        },
    ]


judge_command = form_command(open_judge_modal)


def close_command(call: Invocation) -> None:
    """A review is closed by recording its judgement; closing it otherwise is asked first."""
    with call.deps.factory() as session:
        team, review = _review(session, call.channel, None)
        teams.require_facilitator(session, team, call.user, "close a review")
        drafted = sum(1 for k in judgement.ratings(session, review) if k is not None)
        total = len(outcomes.agreed(session, review))
    call.respond(
        text=f"Close {review.period_label} without a judgement?",
        blocks=confirm_close(review, drafted, total),
    )


def close_clicked(deps: Deps, body, client, respond) -> None:
    """*Close without a judgement*, confirmed (kept by the inbox, then worked here)."""
    user = body["user"]["id"]
    try:
        with deps.factory.unit_of_work() as session:
            review = outcomes.review_by_id(session, int(body["actions"][0]["value"]))
            if review is None or review.slack_channel_id != body["channel"]["id"]:
                raise NoOpenReview()
            closed = judgement.close_review(session, review, user, body.get("trigger_id"))
    except QprError as refused:
        respond(replace_original=False, text=refusal(refused))
        return
    if not closed:
        respond(
            replace_original=True, text=f"The review of {review.period_label} was already closed."
        )
        return
    respond(replace_original=True, text=f"The review of {review.period_label} is closed.")
    deps.wake()  # the worker posts the note owed in its thread


def open_judge(deps: Deps):
    return modal_button(partial(open_judge_modal, deps))
