"""The end of step 1 in Slack: agreeing the outcome statements (the form, from `/qpr agree`
or the kick-off's button), and, after, changing what each agreed outcome is linked to."""

from __future__ import annotations

from functools import partial

from bot.slack import forms
from bot.slack.blocks import review as review_blocks
from bot.slack.blocks.links import Choices, links_modal
from bot.slack.calls import form_command, modal_button, open_form, tell
from bot.slack.deps import Deps, asker
from bot.slack.mrkdwn import form_error
from reviews.cases import agree
from reviews.errors import QprError


def open_agree_modal(
    deps: Deps, client, channel: str, user: str, trigger_id: str, review_id: int | None = None
) -> str | None:
    """Open the agreement form (after a shortlist, when one form cannot hold every
    proposal); a message for the user if it cannot be opened."""
    page = review_blocks.MAX_MODAL_PROPOSALS
    form = agree.agree_form(deps.ctx, asker(user, channel, trigger_id), review_id, suggest_for=page)
    if len(form.proposals) > page:
        view = review_blocks.shortlist_modal(form.review, form.proposals, form.seen)
    else:
        view = _agree_view(form)
    return open_form(client, trigger_id, view)


def _agree_view(form: agree.AgreeForm, keep_the_rest: bool = True, more: int = 0) -> dict:
    choices = Choices.of(form.linkable)
    return review_blocks.agree_modal(
        form.review, form.proposals, choices, form.suggested, form.seen, keep_the_rest, more
    )


def open_agree(deps: Deps):
    return modal_button(partial(open_agree_modal, deps))


def submit_shortlist(deps: Deps):
    """The shortlist chosen: the agreement form with those proposals takes its place."""

    def on_submit(ack, body, view, client):
        review_id, seen, chosen, errors = forms.read_shortlist(view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        try:
            who = asker(body["user"]["id"], None, view.get("id"))
            form = agree.agree_form(deps.ctx, who, review_id, only=chosen, seen=seen)
        except QprError as refused:
            ack(response_action="errors", errors={"shortlist_0": form_error(refused)})
            return
        more = form.total - len(form.proposals)
        ack(response_action="update", view=_agree_view(form, more=more))

    return on_submit


def submit_agree(deps: Deps):
    def on_submit(ack, body, view, client):
        meta = forms.agree_metadata(view)
        first = next(iter(view["state"]["values"]))
        user = body["user"]["id"]
        try:
            linkable = agree.linkable(deps.ctx, meta.review_id)
            decisions, errors = forms.read_decisions(view, Choices.of(linkable))
            if errors:
                ack(response_action="errors", errors=errors)
                return
            # Committed before the form closes: a refusal rolls everything back and says why.
            done = agree.agree(
                deps.ctx,
                asker(user, None, view.get("id")),
                meta.review_id,
                decisions,
                meta.shown,
                meta.seen,
                meta.keep_the_rest,
            )
        except QprError as refused:
            ack(response_action="errors", errors={first: form_error(refused)})
            return
        ack()
        deps.wake()  # the worker sends the evidence, owed with the agreement
        if done.kept or done.dropped:
            tell(client, done.review.slack_channel_id, user, agreed_note(done))

    return on_submit


def agreed_note(done: agree.Agreement) -> str:
    """What the facilitator is told became of the proposals that were not agreed."""
    agreed = len(done.agreed)
    said = [
        f"{agreed} outcome statement{'' if agreed == 1 else 's'} agreed for "
        f"{done.review.period_label}."
    ]
    if done.kept:
        late = f" ({done.late} came in while the form was open)" if done.late else ""
        said.append(f"{_count(done.kept)} kept for next quarter{late}: its kick-off offers them.")
    if done.dropped:
        said.append(f"{_count(done.dropped)} dropped.")
    return " ".join(said)


def _count(n: int) -> str:
    return "1 proposal" if n == 1 else f"{n} proposals"


def open_links_modal(
    deps: Deps, client, channel: str, user: str, trigger_id: str, review_id: int | None = None
) -> str | None:
    """The form that changes what each agreed outcome is linked to; a message instead if it
    cannot be opened."""
    form = agree.links_form(deps.ctx, asker(user, channel, trigger_id), review_id)
    choices = Choices.of(form.linkable)
    rows = [(r.outcome, r.links, r.offered) for r in form.rows]
    return open_form(client, trigger_id, links_modal(form.review, rows, choices))


agree_command = form_command(open_agree_modal)
links_command = form_command(open_links_modal)


def open_links(deps: Deps):
    return modal_button(partial(open_links_modal, deps))


def submit_links(deps: Deps):
    def on_submit(ack, body, view, client):
        values = view["state"]["values"]
        review_id = int(view["private_metadata"])
        try:
            choices = Choices.of(agree.linkable(deps.ctx, review_id))
            chosen = {
                int(block[len("link_") :]): choices.read(forms.selected(values, block))
                for block in values
                if block.startswith("link_")
            }
            # The evidence goes up again with the new links, owed with the change.
            agree.relink(
                deps.ctx,
                asker(body["user"]["id"], None, view.get("id")),
                review_id,
                chosen,
                offered=set(choices.by_key),
            )
        except QprError as refused:
            first = next(iter(values), "link")
            ack(response_action="errors", errors={first: form_error(refused)})
            return
        ack()
        deps.wake()  # the worker sends what is owed

    return on_submit
