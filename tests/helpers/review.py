"""A review as the end-to-end tests play it in Slack: statements agreed, the judgement
form filled in, a need's form opened, `/qpr history` asked for; and what the bot posted."""

from __future__ import annotations

import json
from datetime import date, timedelta

from bot.slack import ids
from reviews import outcomes
from tests.e2e.forms import fill
from tests.helpers.slack import (
    ANN,
    BEN,
    CAT,
    FACILITATOR,
    eventually,
    outcomes_of,
    reply,
    start_review,
)


def posts(fake) -> list[dict]:
    """Messages the app posted, or tried to: its own and its file shares (see
    FakeSlack.posts)."""
    return fake.posts()


def evidence_posts(fake) -> list[dict]:
    """The evidence at a glance, each time it was posted (with its charts or without)."""
    return [p for p in posts(fake) if "Evidence at a glance" in json.dumps(p.get("blocks"))]


def post_with(fake, fragment: str, after: int = 0) -> dict:
    """The first message posted (after the first `after` ones) that holds this fragment."""
    return eventually(lambda: next(p for p in posts(fake)[after:] if fragment in json.dumps(p)))


def agree_all(slack, factory, thread: str, statements: list[str]) -> dict:
    """Each statement proposed in the thread and agreed as it stands; the posted evidence
    prompt is returned."""
    had = len(outcomes_of(factory))
    for n, text in enumerate(statements, start=had + 1):
        reply(slack, [ANN, BEN, CAT][n % 3], f"5.{n}", thread, text)
    eventually(lambda: len(outcomes_of(factory)) == had + len(statements))
    opened = len(slack.fake.calls("views.open"))
    slack.command("agree")
    modal = slack.fake.wait_for("views.open", opened + 1)[-1].params["view"]
    block_ids = [b.get("block_id", "") for b in modal["blocks"]]
    changes: dict = {b: "agree" for b in block_ids if b.startswith("do_")}
    changes |= {b: [] for b in block_ids if b.startswith("link_")}
    before = len(posts(slack.fake))
    assert slack.submit(modal, fill(modal, changes), user=FACILITATOR)[0] == 200
    return post_with(slack.fake, ids.OPEN_JUDGE, after=before)


def open_judgement(slack, prompt: dict, user: str = FACILITATOR) -> dict:
    opened = len(slack.fake.calls("views.open"))
    button = next(
        e
        for b in prompt["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("action_id") == ids.OPEN_JUDGE
    )
    slack.click(button["action_id"], button["value"], user=user, message_ts="9.9")
    return slack.fake.wait_for("views.open", opened + 1)[-1].params["view"]


DUE = (date.today() + timedelta(days=60)).isoformat()


def ratings_for(form: dict, rating: str = "good progress") -> dict:
    return {
        b["block_id"]: rating for b in form["blocks"] if b.get("block_id", "").startswith("rate_")
    }


def no_gap_needs(form: dict) -> dict:
    return {
        b["block_id"]: None
        for b in form["blocks"]
        if b.get("block_id", "").startswith("need_") and b["block_id"].endswith("_text")
    }


def judged(slack, factory, needs: list[tuple[str, str]], statements=None) -> dict:
    """A review of 2026/27 Q2 agreed and judged, raising these needs (text, owner)."""
    thread = start_review(slack, factory)
    prompt = agree_all(slack, factory, thread, statements or ["People are safe at home"])
    form = open_judgement(slack, prompt)
    changes = ratings_for(form) | no_gap_needs(form)
    for k, (text, owner) in enumerate(needs):
        changes |= {f"need_{k}_text": text, f"need_{k}_owner": owner, f"need_{k}_due": DUE}
    assert slack.submit(form, fill(form, changes), user=FACILITATOR) == (200, "")
    post_with(slack.fake, "Record of the QPR 2026/27 Q2")
    return form


def settle_form(slack, need_id: str, user: str = ANN) -> dict:
    """*Done* clicked on a need: the form that opens, as Slack sends it back on submit."""
    opened = len(slack.fake.calls("views.open"))
    slack.click(ids.NEED_DONE, need_id, user=user, message_ts="9.9")
    return {**slack.fake.wait_for("views.open", opened + 1)[-1].params["view"], "id": "V1"}


SAFE = "People are safe at home"


def judge(slack, prompt, rating: str, why: str, need: tuple[str, int] | None = None) -> None:
    form = open_judgement(slack, prompt)
    changes = ratings_for(form, rating) | no_gap_needs(form)
    changes |= dict.fromkeys((k.replace("rate_", "why_") for k in ratings_for(form)), why)
    if need:
        text, outcome_id = need
        changes |= {"need_0_text": text, "need_0_owner": ANN, "need_0_due": DUE}
        changes["need_0_about"] = f"o:{outcome_id}"
    assert slack.submit(form, fill(form, changes), user=FACILITATOR) == (200, "")


def history(slack) -> dict:
    before = len([c for c in slack.fake.calls() if c.method.startswith("respond/")])
    slack.command("history", user=CAT)
    return eventually(
        lambda: [c.params for c in slack.fake.calls() if c.method.startswith("respond/")][before:]
    )[-1]


def agree_one_outcome(session, review, facilitator: str) -> None:
    """ "People are safe at home", proposed in the thread and agreed (which owes the evidence
    to the thread)."""
    outcome, _ = outcomes.propose(session, review, "People are safe at home", "UANN", "3.1")
    outcomes.agree(
        session,
        review,
        facilitator,
        [outcomes.Decision(outcome.text, [outcome.id])],
        {outcome.id},
    )


def open_need(session, review, owner: str = ANN, text: str = "Count the falls", days: int = 3):
    """A need of the review's, open and due in `days` days, stored as the judgement would."""
    from storage.models import InformationNeed, NeedStatus

    need = InformationNeed(
        team_id=review.team_id,
        review_id=review.id,
        text=text,
        owner_user_id=owner,
        due=date.today() + timedelta(days=days),
        status=NeedStatus.OPEN,
    )
    session.add(need)
    session.flush()
    return need
