"""Step 4 at its edges: a form filled in wrongly, the wrong person, a double submission, a
long list of outcomes, needs marked done from a message, closing without a judgement, the
report, and last time's needs settled."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

from pypdf import PdfReader
from sqlmodel import select

from bot.slack import ids
from storage.imports import Options, import_file
from storage.models import InformationNeed, Judgement, NeedStatus, Review
from tests.e2e.conftest import CHANNEL
from tests.e2e.forms import fill
from tests.helpers.review import (
    agree_all,
    judged,
    no_gap_needs,
    open_judgement,
    post_with,
    posts,
    ratings_for,
    settle_form,
)
from tests.helpers.slack import (
    ANN,
    BEN,
    CAT,
    FACILITATOR,
    eventually,
    said,
    start_review,
    thread_of,
)


def review_stage(factory, period: str = "2026/27 Q2") -> str:
    with factory() as session:
        return str(session.exec(select(Review).where(Review.period_label == period)).one().stage)


def test_a_need_without_an_owner_or_with_a_past_date_is_refused_and_nothing_is_lost(slack, factory):
    thread = start_review(slack, factory)
    form = open_judgement(slack, agree_all(slack, factory, thread, ["People are safe at home"]))
    changes = ratings_for(form) | {
        "need_0_text": "Ask people whether they feel safe",
        "need_0_owner": None,
        "need_1_text": "Count the falls",
        "need_1_owner": BEN,
        "need_1_due": (date.today() - timedelta(days=1)).isoformat(),
    }
    status, body = slack.submit(form, fill(form, changes), user=FACILITATOR)
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        "need_0_owner": "Who will find this out?",
        "need_1_due": "That date has passed.",
    }
    assert review_stage(factory) == "evidence"
    with factory() as session:
        assert session.exec(select(Judgement)).all() == []
        assert session.exec(select(InformationNeed)).all() == []


def test_only_a_facilitator_records_it_and_only_once(slack, factory):
    thread = start_review(slack, factory)
    prompt = agree_all(slack, factory, thread, ["People are safe at home"])
    judge = next(e for e in prompt["blocks"][-1]["elements"] if e["action_id"] == ids.OPEN_JUDGE)
    slack.click(ids.OPEN_JUDGE, judge["value"], user=ANN, message_ts="9.9")
    refusal = slack.fake.wait_for("chat.postEphemeral")[-1].params
    assert refusal["user"] == ANN
    assert refusal["text"].startswith("Only a facilitator can record the judgement")

    form = open_judgement(slack, prompt)
    values = fill(form, ratings_for(form) | no_gap_needs(form))
    assert slack.submit(form, values, user=FACILITATOR) == (200, "")
    _, body = slack.submit(form, values, user=FACILITATOR)
    assert "is closed: /qpr report shows its record" in json.dumps(json.loads(body)["errors"])
    post_with(slack.fake, "Record of the QPR")
    with factory() as session:
        assert len(session.exec(select(Judgement)).all()) == 2  # the outcome, and overall
    assert sum("Record of the QPR" in p["text"] for p in posts(slack.fake)) == 1


def test_eight_outcomes_take_two_pages_and_the_first_page_is_kept(slack, factory):
    thread = start_review(slack, factory)
    statements = [f"Outcome number {n} for the people we serve" for n in range(1, 9)]
    form = open_judgement(slack, agree_all(slack, factory, thread, statements))
    rated = ratings_for(form, "some progress")
    assert len(rated) == 6 and "rate_overall" not in rated
    assert form["submit"]["text"] == "Next"
    assert len(form["blocks"]) <= 100
    _, body = slack.submit(form, fill(form, rated), user=FACILITATOR)
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    second = answer["view"]
    assert len(ratings_for(second)) == 3 and "rate_overall" in ratings_for(second)
    assert second["submit"]["text"] == "Record"
    assert review_stage(factory) == "judgement"  # the first page is saved
    with factory() as session:
        assert len(session.exec(select(Judgement)).all()) == 6

    # Closing part way asks first, and says the ratings so far are only drafts.
    slack.command("close")
    said(slack.fake, "Close 2026/27 Q2 without a judgement?")
    asked = next(c.params for c in slack.fake.calls() if "is not finished" in json.dumps(c.params))
    assert "6 of 8 outcomes rated" in json.dumps(asked["blocks"])
    assert review_stage(factory) == "judgement"

    # A last page that comes back without its overall rating is refused, not taken for an
    # earlier page.
    incomplete = fill(second, ratings_for(second) | no_gap_needs(second))
    del incomplete["rate_overall"]
    _, body = slack.submit({**second, "id": "V1"}, incomplete, user=FACILITATOR)
    assert json.loads(body)["response_action"] == "errors"
    assert "Give an overall judgement" in body
    assert review_stage(factory) == "judgement"

    # Opened again part way, the form shows what was saved.
    slack.command("judge")
    reopened = slack.fake.wait_for("views.open", 3)[-1].params["view"]
    kept = [
        b["element"].get("initial_option", {}).get("value")
        for b in reopened["blocks"]
        if b.get("block_id", "").startswith("rate_")
    ]
    assert kept == ["some progress"] * 6

    second = {**second, "id": "V1"}
    changes = ratings_for(second, "good progress") | no_gap_needs(second)
    assert slack.submit(second, fill(second, changes), user=FACILITATOR) == (200, "")
    post_with(slack.fake, "Record of the QPR")
    assert review_stage(factory) == "closed"
    with factory() as session:
        assert len(session.exec(select(Judgement)).all()) == 9


def test_needs_are_listed_and_marked_done_by_their_owner_from_the_message(slack, factory):
    judged(slack, factory, [("How many people waited over 28 days?", ANN)])
    slack.command("needs", user=CAT)
    listing = eventually(
        lambda: next(
            c.params for c in slack.fake.calls() if "open information needs" in str(c.params)
        )
    )
    button = next(b["accessory"] for b in listing["blocks"] if "accessory" in b)
    assert "waited over 28 days" in json.dumps(listing["blocks"])
    assert f"<@{ANN}>" in json.dumps(listing["blocks"])

    slack.click(ids.NEED_DONE, button["value"], user=CAT, message_ts="9.9")
    said(slack.fake, "Only its owner or a facilitator of its team can settle that need")
    form = settle_form(slack, button["value"])
    assert "waited over 28 days" in json.dumps(form["blocks"])

    # Done asks what was found: nothing, or a link that is not one, is refused in the form.
    status, body = slack.submit(form, fill(form, {"answer": "  "}), user=ANN)
    assert status == 200
    assert json.loads(body)["errors"] == {"answer": "Say what was found out."}
    wrong = {"answer": "Nine people", "link": "javascript:alert(1)"}
    status, body = slack.submit(form, fill(form, wrong), user=ANN)
    assert status == 200
    assert "https://" in json.loads(body)["errors"]["link"]
    with factory() as session:
        assert session.exec(select(InformationNeed)).one().status == NeedStatus.OPEN

    found = {
        "answer": "Nine people waited over 28 days, all for a first assessment.",
        "link": "https://intranet.example.org/waits",
    }
    assert slack.submit(form, fill(form, found), user=ANN) == (200, "")
    updated = eventually(
        lambda: next(
            c.params
            for c in slack.fake.calls()
            if c.method.startswith("respond/") and "Marked done" in json.dumps(c.params)
        )
    )
    assert updated["replace_original"] is True
    assert "has no open information needs" in json.dumps(updated["blocks"])
    with factory() as session:
        need = session.exec(select(InformationNeed)).one()
    assert need.status == NeedStatus.DONE
    assert need.answer == found["answer"] and need.answer_link == found["link"]
    assert need.settled_by == ANN

    # The same form sent again changes nothing: what was said first stands.
    again = {"answer": "Something else", "status": "dropped"}
    assert slack.submit(form, fill(form, again), user=ANN) == (200, "")
    eventually(
        lambda: next(c for c in slack.fake.calls() if "settled already" in json.dumps(c.params))
    )
    with factory() as session:
        assert session.exec(select(InformationNeed)).one().answer == found["answer"]


def test_a_need_dropped_from_a_reminder_says_why_and_keeps_the_file(slack, factory):
    judged(slack, factory, [("Do carers know where to get help?", ANN)])
    with factory() as session:
        need = session.exec(select(InformationNeed)).one()
    form = settle_form(slack, str(need.id))
    file = {"id": "F1", "name": "carers.pdf", "permalink": "https://files.example/F1"}
    dropped = {"status": "dropped", "answer": "The carers' survey asks it.", "file": [file]}
    assert slack.submit(form, fill(form, dropped), user=ANN) == (200, "")
    with factory() as session:
        need = session.exec(select(InformationNeed)).one()
    assert need.status == NeedStatus.DROPPED
    assert (need.answer, need.answer_file) == ("The carers' survey asks it.", file["permalink"])


def test_closing_without_a_judgement_asks_first(slack, factory):
    thread = start_review(slack, factory)
    agree_all(slack, factory, thread, ["People are safe at home"])
    slack.command("close", user=ANN)
    said(slack.fake, "Only a facilitator can close a review")
    slack.command("close")
    confirm = eventually(
        lambda: next(
            c.params
            for c in slack.fake.calls()
            if c.method.startswith("respond/") and ids.CLOSE_REVIEW in json.dumps(c.params)
        )
    )
    assert "No judgement is recorded" in json.dumps(confirm["blocks"])
    assert review_stage(factory) == "evidence"  # asking changed nothing

    actions = next(b for b in confirm["blocks"] if b["type"] == "actions")["elements"]
    slack.click(ids.CLOSE_REVIEW, actions[0]["value"], user=FACILITATOR, message_ts="9.9")
    said(slack.fake, "The review of 2026/27 Q2 is closed.")
    note = post_with(slack.fake, "without a judgement")
    # Who closed it is named, not mentioned: they have just done it.
    assert note["thread_ts"] == thread and "<@" not in json.dumps(note["blocks"])
    assert "was closed by" in json.dumps(note["blocks"])
    assert review_stage(factory) == "closed"


def test_the_report_is_uploaded_to_the_thread_as_a_pdf(slack, factory):
    judged(slack, factory, [("Ask carers what helps", BEN)], statements=["Carers get a break"])
    before = len(posts(slack.fake))
    slack.command("report", user=CAT)
    said(slack.fake, "The record of 2026/27 Q2 is in its thread, as a PDF.")
    slack.fake.wait_for("files.completeUploadExternal")
    shared = posts(slack.fake)[before:]
    # A file, not the mentions all over again.
    assert len(shared) == 1 and "blocks" not in shared[0] and "<@" not in shared[0]["text"]
    upload = slack.fake.wait_for("files.getUploadURLExternal")[-1].params
    assert upload["filename"] == "qpr-older-people-s-services-2026-27-q2.pdf"
    body = next(c.params["_body"] for c in slack.fake.calls() if c.method.startswith("upload/"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "QPR 2026/27 Q2: Older People" in text
    assert "Carers get a break" in text and "Ask carers what helps" in text
    slack.command("report 2019/20 Q1")
    said(slack.fake, "has no review of 2019/20 Q1 yet")
    slack.command("report last week")
    said(slack.fake, "Usage: `/qpr report [period]`")


def test_last_times_needs_are_settled_when_the_next_review_is_judged(slack, factory):
    judged(slack, factory, [("Count the falls", ANN), ("Ask about loneliness", BEN)])
    with factory() as session:
        first, second = session.exec(select(InformationNeed).order_by(InformationNeed.id)).all()
    slack.command("start 2026/27 Q3")
    thread = thread_of(factory, "2026/27 Q3")
    before = len(posts(slack.fake))
    prompt = agree_all(slack, factory, thread, ["People are safe at home"] * 1)
    # The evidence step lists what is still open.
    still_open = json.dumps([p["blocks"] for p in posts(slack.fake)[before:]])
    assert "Information needs still open" in still_open and "Count the falls" in still_open
    shown = json.dumps([p["blocks"] for p in posts(slack.fake)[before:]], ensure_ascii=False)
    assert "• •" not in shown  # one bullet a line

    form = open_judgement(slack, prompt)
    assert {f"earlier_{first.id}", f"earlier_{second.id}"} <= {
        b.get("block_id") for b in form["blocks"]
    }
    changes = ratings_for(form) | no_gap_needs(form)
    changes |= {f"earlier_{first.id}": "done", f"earlier_{second.id}": "keep"}
    # Done in the form asks what was found, as the need's own form does.
    _, body = slack.submit(form, fill(form, changes), user=FACILITATOR)
    assert json.loads(body)["errors"] == {f"found_{first.id}": "Say what was found out."}
    changes[f"found_{first.id}"] = "Twelve falls at home, half of them at night."
    assert slack.submit(form, fill(form, changes), user=FACILITATOR) == (200, "")
    record = post_with(slack.fake, "Record of the QPR 2026/27 Q3")
    shown = json.dumps(record["blocks"])
    assert "Count the falls" in shown and ": done" in shown and ": still open" in shown
    with factory() as session:
        statuses = {n.id: n.status for n in session.exec(select(InformationNeed)).all()}
    assert statuses == {first.id: NeedStatus.DONE, second.id: NeedStatus.OPEN}
    with factory() as session:
        assert session.get(InformationNeed, first.id).answer.startswith("Twelve falls")


def test_the_evidence_says_when_new_figures_may_answer_a_need(slack, factory, tmp_path):
    (tmp_path / "indicators.csv").write_text(
        "code,title,unit,polarity\nFALLS,Falls at home,count,lower\n"
    )
    import_file(factory, "indicators", tmp_path / "indicators.csv")
    values = tmp_path / "values.csv"
    values.write_text(
        "team,indicator,period_end,value\nOlder People's Services,FALLS,2026-09-30,40\n"
    )
    slack.command("setup Older People's Services")
    said(slack.fake, "now the home of")
    import_file(factory, "values", values)
    slack.command("start 2026/27 Q2")
    thread = thread_of(factory)
    prompt = agree_all(slack, factory, thread, ["People are safe at home"])
    form = open_judgement(slack, prompt)
    about = next(
        o["value"]
        for b in form["blocks"]
        if b.get("block_id") == "need_0_about"
        for g in b["element"]["option_groups"]
        for o in g["options"]
        if o["value"].startswith("i:")
    )
    changes = ratings_for(form) | no_gap_needs(form)
    changes |= {"need_0_text": "Why are falls up?", "need_0_owner": ANN, "need_0_about": about}
    assert slack.submit(form, fill(form, changes), user=FACILITATOR) == (200, "")
    post_with(slack.fake, "Record of the QPR")

    values.write_text(
        "team,indicator,period_end,value\nOlder People's Services,FALLS,2026-12-31,31\n"
    )
    # Loaded once the quarter's figure exists: a date in the future is refused.
    import_file(factory, "values", values, Options(today=date(2027, 1, 15)))
    before = len(posts(slack.fake))
    slack.command("start 2026/27 Q3")
    thread = thread_of(factory, "2026/27 Q3")
    agree_all(slack, factory, thread, ["People are safe at home"])
    line = post_with(slack.fake, "Information needs still open", after=before)
    assert "new figures for FALLS have been loaded since it was raised (latest 31 Dec 2026)" in (
        json.dumps(line["blocks"])
    )
    assert line["channel"] == CHANNEL


def test_long_reasons_reach_the_record_whole(slack, factory):
    thread = start_review(slack, factory)
    form = open_judgement(slack, agree_all(slack, factory, thread, ["People are safe at home"]))
    reasons = ("Falls are down & <fewer> people waited. " * 80)[:2990] + " THE END"
    changes = ratings_for(form) | no_gap_needs(form) | {"why_overall": reasons}
    assert slack.submit(form, fill(form, changes), user=FACILITATOR) == (200, "")
    record = post_with(slack.fake, "Record of the QPR")
    quoted = "".join(
        b["text"]["text"]
        for b in record["blocks"]
        if b["type"] == "section" and b["text"]["text"].startswith(">")
    )
    assert quoted.endswith("THE END")
    assert quoted.count("&lt;fewer&gt;") == reasons.count("<fewer>")
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in record["blocks"])


def test_an_earlier_quarters_form_does_not_settle_a_later_quarters_needs(slack, factory):
    judged(slack, factory, [("Count the falls", ANN)])  # 2026/27 Q2
    slack.command("start 2026/27 Q1")  # a review of an earlier quarter, started late
    thread = thread_of(factory, "2026/27 Q1")
    form = open_judgement(slack, agree_all(slack, factory, thread, ["Carers get a break"]))
    assert not any(b.get("block_id", "").startswith("earlier_") for b in form["blocks"])
