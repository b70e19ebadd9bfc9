"""Step 4 in Slack: the judgement form and its pages, and closing a review (the record is
posted by the outbox once the judgement is saved)."""

from __future__ import annotations

from datetime import date
from functools import partial

from bot.slack import ids
from bot.slack.blocks import judge as judge_blocks
from bot.slack.blocks.kit import button, section
from bot.slack.calls import form_command, modal_button, open_form
from bot.slack.deps import Deps, Invocation, asker
from bot.slack.mrkdwn import escape, refusal
from reviews.cases import judge
from reviews.errors import Invalid, QprError
from reviews.judgement import NewNeed, Rated, Settling
from reviews.kinds import NeedStatus, Rating


def open_judge_modal(
    deps: Deps, client, channel: str, user: str, trigger_id: str, review_id: int | None = None
) -> str | None:
    """Open the judgement form; a message for the user if it cannot be opened."""
    form = judge.judge_form(deps.ctx, asker(user, channel, trigger_id), review_id)
    return open_form(client, trigger_id, judge_blocks.modal(form))


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


def read_needs(values: dict) -> tuple[list[NewNeed], dict[str, str]]:
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
        if owner and due:
            kind, _, ident = about.partition(":")
            found.append(
                NewNeed(
                    text,
                    owner,
                    due,
                    outcome_id=int(ident) if kind == "o" else None,
                    indicator_id=int(ident) if kind == "i" else None,
                    field=f"need_{k}",
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


def submit_judge(deps: Deps):
    def on_submit(ack, body, view, client):
        values = view["state"]["values"]
        review_id, _, page = view["private_metadata"].partition(":")
        first = next(iter(values), "rate_overall")
        # Needs and last time's needs are on the last page only: elsewhere none are read.
        rated, errors = read_ratings(values)
        new_needs, need_errors = read_needs(values)
        earlier, earlier_errors = read_earlier(values)
        errors |= need_errors | earlier_errors
        if errors:
            ack(response_action="errors", errors=errors)
            return
        try:
            following = judge.judge(
                deps.ctx,
                asker(body["user"]["id"], None, view.get("id")),
                int(review_id),
                int(page or 0),
                rated,
                new_needs,
                earlier,
            )
        except Invalid as refused:
            ack(response_action="errors", errors=refused.fields)
            return
        except QprError as refused:
            ack(response_action="errors", errors={first: refusal(refused)[:150]})
            return
        if following is not None:
            ack(response_action="update", view=judge_blocks.modal(following))
            return
        ack()
        deps.wake()  # the worker posts the record, owed with the judgement

    return on_submit


def confirm_close(found: judge.Closing) -> list[dict]:
    review, drafted, total = found.review, found.drafted, found.agreed
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
    found = judge.closing(call.deps.ctx, call.asker)
    call.respond(
        text=f"Close {found.review.period_label} without a judgement?",
        blocks=confirm_close(found),
    )


def close_clicked(deps: Deps, body, client, respond) -> None:
    """*Close without a judgement*, confirmed (kept by the inbox, then worked here)."""
    who = asker(body["user"]["id"], body["channel"]["id"], body.get("trigger_id"))
    try:
        review, closed = judge.close(deps.ctx, who, int(body["actions"][0]["value"]))
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
