"""What a quarter asks of people: one team's reviews of two quarters played on the real app
(signed HTTP, the stand-in Slack, the reminder rounds) while the clock is moved hour by
hour over six months, each from the kick-off to the last information need, with people
doing their part promptly. The second quarter is the steady one: last quarter's need comes
back settled, and nobody is new.

Counts, for each quarter, the reminders sent by kind and, for each person, the
notifications the bot gave them by Slack's default rules (a direct message, a mention, or
a reply in a thread they follow: they follow a thread once they have replied in it or been
mentioned in it; a reply of their own, a reaction or an ephemeral answer to their own
action does not notify), and the actions they took. Fails when, in either quarter, a
practitioner who does her part is notified more than 4 times or acts more than 3 times, or
a facilitator is notified more than 3 times.

    python bench/burden.py [-v]   (-v: each notification, as it was counted)
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import col, select

from bot.base.config import Settings
from bot.demo.play import FILES
from bot.slack import ids
from bot.slack.app import build_app, web_client
from bot.slack.blocks.pulse import pulse_buttons
from bot.slack.deps import Deps
from bot.slack.scheduler import Reminders
from bot.slack.server import Background, make_server
from bot.slack.standin import FakeSlack, SlackUser, fill_form
from reviews.teams import name_facilitator
from storage import migrate
from storage.db import SessionFactory, make_engine
from storage.imports import Options, import_file
from storage.models import InformationNeed, OutcomeStatement, PulseAnswer, Review

SECRET = "burden-secret"
CHANNEL = "CTEAM"
FACILITATOR, ANN, BEN, CAT = "UFAC", "UANN", "UBEN", "UCAT"
ROLES = {
    FACILITATOR: "facilitator",
    ANN: "practitioner (proposes, supports, settles her need)",
    BEN: "practitioner (proposes)",
    CAT: "practitioner (reads only)",
}
MOST_NOTIFIED = {ANN: 4, FACILITATOR: 3}
MOST_ACTIONS = {ANN: 3}
# The team meets on the third Tuesday: each quarter runs from before its kick-off to after
# its need falls due (three weeks before the next meeting).
QUARTERS = [
    (datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 3, 31, tzinfo=UTC), date(2027, 3, 12)),
    (datetime(2027, 4, 1, tzinfo=UTC), datetime(2027, 6, 30, tzinfo=UTC), date(2027, 6, 11)),
]
VERBOSE = "-v" in sys.argv
MENTION = re.compile(r"<@(U[A-Z0-9]+)(?:\|[^>]*)?>")


class Quarter:
    def __init__(self, slack: SlackUser, fake: FakeSlack, factory: SessionFactory):
        self.slack, self.fake, self.factory = slack, fake, factory
        self.actions: Counter[str] = Counter()
        # The two questions after the review, answered apart from each person's part.
        self.pulse_clicks: Counter[str] = Counter()
        self.replied: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
        self.ts = 0

    def act(self, who: str, what, *args, **kw):
        self.actions[who] += 1
        status, body = what(*args, **kw)
        assert status == 200, (status, body)
        return body

    def wait(self, check, what: str, within: float = 20):
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            time.sleep(0.02)
        raise RuntimeError(f"the quarter stalled waiting for {what}")

    def review(self) -> Review | None:
        """The latest review: the one under way."""
        with self.factory() as session:
            return session.exec(select(Review).order_by(col(Review.period_end).desc())).first()

    def reply(self, user: str, text: str) -> str:
        review = self.review()
        assert review is not None and review.slack_thread_ts
        self.ts += 1
        ts = f"1800000000.{self.ts:06d}"
        self.replied[(CHANNEL, review.slack_thread_ts)].add(user)
        event = {
            "type": "message",
            "channel": CHANNEL,
            "user": user,
            "text": text,
            "ts": ts,
            "thread_ts": review.slack_thread_ts,
            "channel_type": "channel",
        }
        self.act(user, self.slack.event, event)
        self.wait(lambda: self._proposal(ts), "a proposal to be kept")
        return ts

    def _proposal(self, ts: str):
        with self.factory() as session:
            return session.exec(
                select(OutcomeStatement).where(OutcomeStatement.slack_message_ts == ts)
            ).first()

    def support(self, user: str, ts: str) -> None:
        event = {
            "type": "reaction_added",
            "user": user,
            "reaction": "+1",
            "item": {"type": "message", "channel": CHANNEL, "ts": ts},
        }
        self.act(user, self.slack.event, event)

    def form(self, user: str, command: str) -> dict:
        before = len(self.fake.calls("views.open"))
        self.act(user, self.slack.command, command, user=user)
        return self.wait(lambda: self.fake.calls("views.open")[before:], f"/qpr {command}")[
            0
        ].params["view"]

    def submit(self, user: str, view: dict, changes: dict | None = None) -> str:
        return self.act(user, self.slack.submit, view, fill_form(view, changes), user=user)


def set_up(quarter: Quarter) -> None:
    slack, fake = quarter.slack, quarter.fake
    quarter.act(FACILITATOR, slack.command, "setup Older People's Services", user=FACILITATOR)
    quarter.act(FACILITATOR, slack.command, "schedule third tuesday 10:00", user=FACILITATOR)
    quarter.wait(lambda: len(fake.calls()) >= 2, "the set-up")


def play(quarter: Quarter, rounds: Reminders, start: datetime, end: datetime, due: date) -> Counter:
    """One quarter, hour by hour; the reminders sent, by kind."""
    slack, fake = quarter.slack, quarter.fake
    since = len(fake.calls())  # what this quarter's people were sent begins here
    reminded: Counter[str] = Counter()
    proposed = supported = agreed = judged = settled = False
    moment = start
    while moment <= end:
        reminded.update(rounds.tick(moment).kinds)
        review = quarter.review()
        stage = str(review.stage) if review else None
        if stage == "outcomes" and review.slack_thread_ts and not proposed:
            ours = quarter.reply(ANN, "Older people stay living in their own homes")
            theirs = quarter.reply(BEN, "Carers get a break when they need one")
            proposed = True
        elif proposed and not supported:
            quarter.support(ANN, theirs)
            quarter.support(BEN, ours)
            supported = True
        elif (
            stage == "outcomes" and _direct(fake, FACILITATOR, "close today", since) and not agreed
        ):
            view = quarter.form(FACILITATOR, "agree")
            assert quarter.submit(FACILITATOR, view) == ""
            agreed = True
        elif stage in ("evidence", "judgement") and moment >= _after_meeting(review):
            if not judged:
                _judge(quarter, due)
                _answer_pulse(quarter)
                judged = True
        elif judged and not settled and (dm := _direct(fake, ANN, "Due on", since)):
            need_id = _need_id(dm)
            quarter.act(
                ANN,
                slack.type_in,
                f"answer_{need_id}",
                ids.NEED_ANSWER,
                "Fewer falls since the new checks: 31 against 44 in the quarter before.",
                user=ANN,
                message_ts="9.9",
                channel="DANN",
            )
            quarter.wait(lambda n=need_id: _settled(quarter.factory, n), "the need to be settled")
            settled = True
        # Let the work behind the acks (posts owed, reactions) finish before the clock moves.
        time.sleep(0.01 if moment.hour not in (8, 9) else 0.2)
        moment += timedelta(hours=1)
    for done, what in ((agreed, "agreed"), (judged, "judged"), (settled, "the need settled")):
        if not done:
            raise RuntimeError(f"the quarter from {start:%d %b %Y} ended with nothing {what}")
    return reminded


def _after_meeting(review: Review) -> datetime:
    """Noon on the day of the meeting (10:00): when the facilitator records the judgement."""
    day = review.meeting_date or date.max
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _judge(quarter: Quarter, due: date) -> None:
    view = quarter.form(FACILITATOR, "judge")
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    changes: dict = {}
    for block in blocks:
        if block and block.startswith("rate_"):
            changes[block] = "some progress"
        if block and block.startswith("need_") and block.endswith("_text"):
            changes[block] = None
    changes |= {
        "need_0_text": "How many falls at home this quarter?",
        "need_0_owner": ANN,
        "need_0_due": due.isoformat(),
    }
    records = len(_records(quarter.fake))
    assert quarter.submit(FACILITATOR, view, changes) == ""
    quarter.wait(lambda: len(_records(quarter.fake)) > records, "the record")


def _answer_pulse(quarter: Quarter) -> None:
    """Those who took part answer the two questions under the record: a click each."""
    record = _records(quarter.fake)[-1]
    answered = _answers(quarter.factory)
    buttons = [b for (_, score), b in pulse_buttons(record["blocks"]).items() if score == 4]
    assert len(buttons) == 2, "the two questions are under the record"
    for user in (ANN, BEN, FACILITATOR):
        for button in buttons:
            quarter.pulse_clicks[user] += 1
            status, _ = quarter.slack.click(
                button["action_id"], button["value"], user=user, message_ts="9.9"
            )
            assert status == 200
    quarter.wait(lambda: _answers(quarter.factory) == answered + 6, "the answers to be kept")


def _answers(factory: SessionFactory) -> int:
    with factory() as session:
        return len(session.exec(select(PulseAnswer)).all())


def _direct(fake: FakeSlack, user: str, fragment: str, since: int = 0):
    """The latest direct message to `user` holding `fragment`, among calls from `since`."""
    found = [
        c
        for c in fake.calls()[since:]
        if c.method == "chat.postMessage"
        and c.params.get("channel") == user
        and fragment in c.params.get("text", "")
    ]
    return found[-1] if found else None


def _records(fake: FakeSlack) -> list[dict]:
    """Each record of a review posted, in order."""
    return [p for p in fake.posts() if p.get("text", "").startswith("Record of the QPR")]


def _need_id(call) -> int:
    blocks = call.params["blocks"]
    answer = next(b for b in blocks if b.get("block_id", "").startswith("answer_"))
    return int(answer["block_id"].removeprefix("answer_"))


def _settled(factory: SessionFactory, need_id: int) -> bool:
    with factory() as session:
        return str(session.get(InformationNeed, need_id).status) == "done"


def notifications(calls: list, replied: dict) -> dict[str, Counter]:
    """Each person's notifications by kind from these calls, under Slack's default rules."""
    followers: defaultdict[tuple[str, str], set[str]] = defaultdict(set, replied)
    found: dict[str, Counter] = defaultdict(Counter)
    for call in calls:
        params = call.params
        if call.method == "chat.postMessage":
            channel, thread = params.get("channel", ""), params.get("thread_ts")
        elif call.method == "files.completeUploadExternal" and params.get("channel_id"):
            channel, thread = params["channel_id"], params.get("thread_ts")
        else:
            continue  # an update, an ephemeral answer, a reaction or a form: no notification
        mentioned = set(MENTION.findall(json.dumps(params)))
        told: dict[str, str] = {}
        if channel.startswith(("U", "D")):
            told[channel] = "direct message"
        if thread:
            for user in followers[(channel, thread)] | mentioned:
                told.setdefault(user, "reply in a thread they follow")
            followers[(channel, thread)] |= mentioned
        for user in mentioned:
            told.setdefault(user, "mention")
        for user, kind in told.items():
            found[user][kind] += 1
            if VERBOSE:
                text = params.get("text") or params.get("initial_comment") or _first_words(params)
                print(f"  {user} <- {kind}: {text[:70]}")
    return found


def _first_words(params: dict) -> str:
    """A file share's message as its notification begins: its first block's words."""
    blocks = json.loads(params.get("blocks") or "[]")
    return blocks[0]["text"]["text"] if blocks and "text" in blocks[0] else "(files)"


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="qpr-burden-"))
    engine = make_engine(f"sqlite:///{folder / 'qpr.sqlite3'}")
    migrate.upgrade(engine)
    factory = SessionFactory(engine)
    # The demo's data, so the evidence has figures and charts; a team whose data is loaded
    # is set up by the facilitator its operator named.
    for kind, path in FILES:
        import_file(factory, kind, path, Options())
    with factory.unit_of_work() as session:
        name_facilitator(session, "Older People's Services", FACILITATOR)
    with FakeSlack() as fake:
        settings = Settings(
            slack_bot_token="xoxb-burden", slack_signing_secret=SECRET, slack_api_url=fake.url
        )
        deps = Deps(factory=factory, settings=settings)
        app = build_app(settings, factory, deps=deps)
        server = Background(make_server(app, factory, "127.0.0.1", 0, signing_secret=SECRET))
        slack = SlackUser(f"http://127.0.0.1:{server.port}/slack/events", fake, SECRET, CHANNEL)
        rounds = Reminders(deps, web_client(settings), instance="burden", channel_gap=0)
        quarter = Quarter(slack, fake, factory)
        started = time.monotonic()
        played = []  # per quarter: the reminders, the calls, the actions and the clicks
        try:
            set_up(quarter)
            for start, end, due in QUARTERS:
                since = len(fake.calls())
                acted, clicked = Counter(quarter.actions), Counter(quarter.pulse_clicks)
                reminded = play(quarter, rounds, start, end, due)
                time.sleep(0.5)  # what the last acks owed is posted
                played.append(
                    (
                        start,
                        end,
                        reminded,
                        fake.calls()[since:],
                        quarter.actions - acted,
                        quarter.pulse_clicks - clicked,
                    )
                )
        finally:
            server.stop()
            deps.stop()
    print(
        f"One team's reviews over {len(QUARTERS)} quarters, played in "
        f"{time.monotonic() - started:.0f} s.\n"
    )
    failed = []
    for start, end, reminded, calls, actions, clicks in played:
        found = notifications(calls, quarter.replied)
        sent = ", ".join(f"{n} {kind}" for kind, n in sorted(reminded.items())) or "none"
        print(f"{start:%d %b %Y} to {end:%d %b %Y}. Reminders sent: {sent}.")
        print(f"{'person':<8} {'notified':>8} {'actions':>8} {'pulse':>6}  by kind; role")
        for user, role in ROLES.items():
            kinds = found.get(user, Counter())
            total, acted = sum(kinds.values()), actions[user]
            detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
            print(f"{user:<8} {total:>8} {acted:>8} {clicks[user]:>6}  {detail}; {role}")
            when = f"{start:%b %Y}"
            if clicks[user] > 2:
                failed.append(f"{when}: {user} clicked {clicks[user]} times for the two questions")
            if total > MOST_NOTIFIED.get(user, 99):
                failed.append(
                    f"{when}: {user} notified {total} times (at most {MOST_NOTIFIED[user]})"
                )
            # The first quarter's facilitator also sets the team up and its schedule.
            most = MOST_ACTIONS.get(user, 99)
            if acted > most:
                failed.append(f"{when}: {user} took {acted} actions (at most {most})")
        print()
    asked_again = [
        c
        for c in fake.calls("chat.postMessage")
        if "Did this review help" in json.dumps(c.params)
        and "Record of the QPR" not in c.params.get("text", "")
    ]
    if asked_again:
        failed.append(f"the two questions were sent {len(asked_again)} time(s) outside the record")
    print("pulse: clicks to answer the two questions under the record (no message, no reminder)")
    for problem in failed:
        print(f"FAIL: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
