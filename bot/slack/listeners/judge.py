"""Step 4 in Slack: the judgement form and its pages, and closing a review (the record is
posted by the outbox once the judgement is saved)."""

from __future__ import annotations

from functools import partial

from bot.slack import forms
from bot.slack.blocks import judge as judge_blocks
from bot.slack.calls import form_command, modal_button, open_form
from bot.slack.deps import Deps, Invocation, asker
from bot.slack.mrkdwn import form_error, refusal
from reviews.cases import judge
from reviews.errors import Invalid, QprError


def open_judge_modal(
    deps: Deps, client, channel: str, user: str, trigger_id: str, review_id: int | None = None
) -> str | None:
    """Open the judgement form; a message for the user if it cannot be opened."""
    form = judge.judge_form(deps.ctx, asker(user, channel, trigger_id), review_id)
    return open_form(client, trigger_id, judge_blocks.modal(form))


def submit_judge(deps: Deps):
    def on_submit(ack, body, view, client):
        values = view["state"]["values"]
        review_id, _, page = view["private_metadata"].partition(":")
        first = next(iter(values), "rate_overall")
        # Needs and last time's needs are on the last page only: elsewhere none are read.
        rated, errors = forms.read_ratings(values)
        new_needs, need_errors = forms.read_needs(values)
        earlier, earlier_errors = forms.read_earlier(values)
        errors |= need_errors | earlier_errors
        try:
            following = judge.judge(
                deps.ctx,
                asker(body["user"]["id"], None, view.get("id")),
                int(review_id),
                int(page or 0),
                rated,
                new_needs,
                earlier,
                unread=errors,
            )
        except Invalid as refused:
            ack(response_action="errors", errors=refused.fields)
            return
        except QprError as refused:
            ack(response_action="errors", errors={first: form_error(refused)})
            return
        if following is not None:
            ack(response_action="update", view=judge_blocks.modal(following))
            return
        ack()
        deps.wake()  # the worker posts the record, owed with the judgement

    return on_submit


judge_command = form_command(open_judge_modal)


def close_command(call: Invocation) -> None:
    """A review is closed by recording its judgement; closing it otherwise is asked first."""
    found = judge.closing(call.deps.ctx, call.asker)
    call.respond(
        text=f"Close {found.review.period_label} without a judgement?",
        blocks=forms.confirm_close(found),
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
