"""`qpr demo`: a whole review played through the real app, with no Slack workspace.

A fresh SQLite database gets the sample data; the app listens on loopback, and a stand-in
for Slack's Web API takes what it posts. A facilitator and three practitioners then use the
app as people would, through signed requests: set up, start, propose and support outcome
statements, agree them, see the evidence, record the judgement and two information needs.
Then one need's owner says what she found, and next quarter's kick-off brings it back. The
conversation is printed as a transcript, and the review's report is written in every
format."""

from __future__ import annotations

import secrets
import sys
import time
from datetime import date
from pathlib import Path

from sqlmodel import col, select

from bot.base.config import Settings
from bot.demo.transcript import Transcript
from bot.shared.import_text import describe_import
from bot.shared.reports import FORMATS, render, render_teams
from bot.shared.reports.markdown import file_name
from bot.shared.reports.report import build_report
from bot.shared.reports.teams import TeamsReport
from bot.shared.reports.teams import file_name as teams_file_name
from bot.slack import ids
from bot.slack.app import build_app
from bot.slack.blocks.pulse import pulse_buttons
from bot.slack.deps import Deps
from bot.slack.server import Background, make_server
from bot.slack.standin import FakeSlack, SlackUser, fill_form
from reviews import outcomes as outcome_rules
from reviews.as_of import figures_as_of
from reviews.cases import Context, managers
from reviews.periods import period_of
from reviews.teams import name_facilitator, update_team
from storage import migrate
from storage.db import SessionFactory, make_engine
from storage.imports import Options, import_file
from storage.models import OutcomeStatement, OutcomeSupport, Review
from storage.periods import last_ended_quarter, quarter_containing


def _sample_data() -> Path:
    """Beside the source in a checkout; where pyproject.toml's data-files put it in an
    installation."""
    checkout = Path(__file__).resolve().parents[2] / "sample_data"
    return checkout if checkout.is_dir() else Path(sys.prefix) / "share" / "qpr-bot" / "sample_data"


SAMPLE = _sample_data()
COUNCIL = "E08000009"
ADULT_TEAMS = ("Older People's Services", "Adults with Learning Disabilities")
DEMO_TEAM = "Older People's Services"
FILES = [
    ("indicators", SAMPLE / "indicators.csv"),
    ("values", SAMPLE / "values.csv"),
    ("comparators", SAMPLE / "examples" / "comparators.csv"),
    ("complaints", SAMPLE / "complaints.csv"),
    ("survey", SAMPLE / "survey.csv"),
    ("views", SAMPLE / "views.csv"),
]
CHANNEL = "CDEMO"
CHILDREN, ADULTS, HEADS = "CCHILDREN", "CADULTS", "CHEADS"
CHANNELS = {
    CHANNEL: "older-people",
    CHILDREN: "children-in-need",
    ADULTS: "learning-disabilities",
    HEADS: "heads-of-service",
}
FATIMA, ANN, BEN, CAT = "UFATIMA", "UANN", "UBEN", "UCAT"
DEV, EVE, HANA, GILL = "UDEV", "UEVE", "UHANA", "UGILL"
NAMES = {
    FATIMA: "Fatima",
    ANN: "Ann",
    BEN: "Ben",
    CAT: "Cat",
    DEV: "Dev",
    EVE: "Eve",
    HANA: "Hana",
    GILL: "Gill",
}
ROLES = {FATIMA: "facilitator", HANA: "head of adult social care"}
FIRST_FACILITATORS = {
    "Older People's Services": FATIMA,
    "Children in Need": DEV,
    "Adults with Learning Disabilities": EVE,
}
# What a team reads of the bot in one review, at most: 700, and about 50 for the two
# questions under the record.
WORDS_AIM = 800
STATEMENTS = [
    (ANN, "Older people stay living in their own homes for as long as they want to"),
    (BEN, "Carers get a break and feel supported"),
    (CAT, "People get an assessment without a long wait"),
]
SUPPORT = [(BEN, 0), (CAT, 0), (ANN, 1), (FATIMA, 1), (ANN, 2), (GILL, 2)]
# The two questions under the record, answered by the five who took part (1 to 5 each).
PULSE = [(FATIMA, 4, 4), (ANN, 5, 4), (BEN, 4, 3), (CAT, 5, 5), (GILL, 4, 4)]
RATINGS = ["some progress", "cannot judge yet", "not enough progress"]
REASONS = [
    "More people are still at home 91 days after reablement since the new service began, a "
    "real signal; admissions to care homes miss their target and waits for occupational "
    "therapy miss theirs.",
    "We heard nothing from carers about breaks this quarter, and our only figures come from "
    "the annual survey.",
    "Assessments within 28 days hover around the target, waits for occupational therapy "
    "miss theirs, and the complaints about delay keep coming.",
]
NEEDS = [
    (
        ANN,
        "Why do waits for occupational therapy assessments stay above target, and who waits "
        "longest?",
    ),
    (BEN, "Ask carers what a good break looks like and how many got one this quarter."),
]
FOUND = (
    "Most of the long waits are for bathing and stair-lift assessments: 38 of the 52 people "
    "waiting over 28 days. Two OT posts were vacant from July; one is filled from January."
)
WAIT = 30.0


def run_demo(folder: Path, settings: Settings, today: date | None = None) -> int:
    started = time.monotonic()
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "demo.sqlite3"
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        stale.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database}")
    migrate.upgrade(engine)
    factory = SessionFactory(engine)
    print(f"Database: {database}")
    for kind, path in FILES:
        report = import_file(factory, kind, path, Options(fy_start_month=settings.fy_start_month))
        print(describe_import(report))
    # The adult teams are services of one council: its published figures are ranked among
    # councils as its own, never a team's figure in their place.
    # A team's data is loaded before it has a channel, so whoever runs the bot names each
    # team's first facilitator; only they can then set its channel up.
    with factory.unit_of_work() as session:
        for name in ADULT_TEAMS:
            update_team(session, name, area_code=COUNCIL)
        for name, user in FIRST_FACILITATORS.items():
            name_facilitator(session, name, user)
    print("The bot's operator (in a terminal):")
    for name in ADULT_TEAMS:
        print(f'    qpr team "{name}" --area-code {COUNCIL}    # the council, Trafford')
    for name, user in FIRST_FACILITATORS.items():
        print(f'    qpr team "{name}" --facilitator {user}    # {NAMES[user]}')
    today = today or date.today()
    period = last_ended_quarter(today, settings.fy_start_month)
    secret = secrets.token_hex(16)
    with FakeSlack() as fake:
        fake.people = dict(NAMES)
        played = Settings(
            slack_bot_token="xoxb-demo",
            slack_signing_secret=secret,
            slack_api_url=fake.url,
            timezone=settings.timezone,
            fy_start_month=settings.fy_start_month,
        )
        deps = Deps(factory=factory, settings=played)
        server = Background(
            make_server(
                build_app(played, factory, deps=deps),
                factory,
                "127.0.0.1",
                0,
                signing_secret=secret,
            )
        )
        try:
            slack = SlackUser(f"http://127.0.0.1:{server.port}/slack/events", fake, secret, CHANNEL)
            print(
                f"\nThe review of {period.label} in #older-people (Slack played by a stand-in):\n"
            )
            transcript = Transcript(NAMES, CHANNELS, ROLES)
            _play(slack, fake, factory, period.label, transcript)
            words = transcript.words_posted
            print("\nWeeks later, before the next review:\n")
            _next_quarter(
                slack, fake, factory, quarter_containing(today, played.fy_start_month), transcript
            )
            print(
                f"\nThe bot posted {words:,} words in the review's thread "
                f"(the aim: under {WORDS_AIM})."
            )
            print("\nAcross the teams, before the senior management meeting:\n")
            _across_teams(slack, fake, factory, period.label, transcript)
        finally:
            server.stop()
            deps.stop()
    written = _write_reports(factory, folder, today, settings.fy_start_month)
    engine.dispose()
    print(f"\nReports of the review in {folder}/:")
    for path in written:
        print(f"  {path.name:48} {path.stat().st_size:>9,} bytes")
    print(f"\nDone in {time.monotonic() - started:.0f} s. Open {written[1]} in a browser.")
    return 0


def _write_reports(factory, folder: Path, today: date, fy_start_month: int) -> list[Path]:
    with factory() as session:
        review = session.exec(select(Review).order_by(col(Review.period_end))).first()
        report = build_report(session, review, figures_as_of(review, today), fy_start_month)
        period = period_of(review)
    written = []
    for fmt in FORMATS:
        path = folder / file_name(report.record, fmt)
        path.write_bytes(render(report, fmt))
        written.append(path)
    # And the paper for the meeting across teams.
    ctx = Context(factory, fy_start_month)
    teams = TeamsReport(managers.every_team(ctx, managers.operator(), period, today))
    for fmt in FORMATS:
        path = folder / teams_file_name(teams, fmt)
        path.write_bytes(render_teams(teams, fmt))
        written.append(path)
    return written


class _Player:
    """Prints what happened since the last look, waiting for the bot where it must."""

    def __init__(self, slack: SlackUser, fake: FakeSlack, transcript: Transcript):
        self.slack, self.fake, self.transcript = slack, fake, transcript
        self.seen = 0

    def say(self, user: str, text: str) -> None:
        for line in self.transcript.person(user, text):
            print(line)

    def show(self) -> None:
        calls = self.fake.calls()
        for call in calls[self.seen :]:
            for line in self.transcript.call(call):
                print(line)
        self.seen = len(calls)

    def wait(self, check, what: str):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            time.sleep(0.05)
        raise RuntimeError(f"the demo stalled waiting for {what}")

    def calls_after(self, method: str, count: int) -> list:
        found = self.fake.calls(method)
        return found if len(found) >= count else []


def _play(slack: SlackUser, fake: FakeSlack, factory, period: str, transcript: Transcript):
    player = _Player(slack, fake, transcript)

    player.say(FATIMA, "/qpr setup Older People's Services")
    slack.command("setup Older People's Services", user=FATIMA)
    player.wait(lambda: any(c.method.startswith("respond/") for c in fake.calls()), "set-up")
    player.show()

    player.say(FATIMA, f"/qpr start {period}")
    slack.command(f"start {period}", user=FATIMA)
    thread = player.wait(lambda: _thread(factory), "the kick-off")
    player.show()

    for n, (user, text) in enumerate(STATEMENTS, start=1):
        player.say(user, f"(in the thread) {text}")
        slack.event(
            {
                "type": "message",
                "channel": CHANNEL,
                "user": user,
                "text": text,
                "ts": f"{thread}{n}",
                "thread_ts": thread,
                "channel_type": "channel",
            }
        )
        player.wait(lambda n=n: player.calls_after("reactions.add", n), "a proposal")
        player.show()
    proposals = player.wait(lambda: _proposals(factory, len(STATEMENTS)), "the proposals")
    for user, index in SUPPORT:
        player.say(user, f"(reacts :+1: to {NAMES[STATEMENTS[index][0]]}'s statement)")
        slack.event(
            {
                "type": "reaction_added",
                "user": user,
                "reaction": "+1",
                "item": {
                    "type": "message",
                    "channel": CHANNEL,
                    "ts": proposals[index].slack_message_ts,
                },
            }
        )
    player.wait(lambda: _supports(factory) == len(SUPPORT), "the support")

    player.say(FATIMA, "/qpr agree")
    slack.command("agree", user=FATIMA)
    form = player.wait(lambda: player.calls_after("views.open", 1), "the agreement form")[-1]
    player.show()
    view = form.params["view"]
    agree = {
        b["block_id"]: "agree" for b in view["blocks"] if b.get("block_id", "").startswith("do_")
    }
    player.say(FATIMA, "(agrees all three statements, keeping the indicators the form suggests)")
    slack.submit(view, fill_form(view, agree), user=FATIMA)
    # The evidence comes with its charts attached: one post.
    glance = player.wait(
        lambda: next((p for p in fake.posts() if ids.OPEN_JUDGE in str(p.get("blocks"))), None),
        "the evidence and its charts",
    )
    player.show()
    elements = [
        b for block in glance["blocks"] if block["type"] == "actions" for b in block["elements"]
    ]
    buttons = {b["text"]["text"]: b for b in elements if b["type"] == "button"}

    player.say(CAT, "(clicks [In full] beside outcome 3)")
    in_full = [b["accessory"] for b in glance["blocks"] if "accessory" in b]
    opened = len(fake.calls("views.open"))
    slack.click(in_full[2]["action_id"], in_full[2]["value"], user=CAT, message_ts="1.1")
    player.wait(lambda: player.calls_after("views.open", opened + 1), "the outcome's detail")
    player.show()

    player.say(FATIMA, "(after the meeting, clicks [Record the judgement])")
    button = buttons["Record the judgement"]
    opened = len(fake.calls("views.open"))
    slack.click(button["action_id"], button["value"], user=FATIMA, message_ts="1.1")
    form = player.wait(lambda: player.calls_after("views.open", opened + 1), "the judgement form")[
        -1
    ]
    player.show()
    view = form.params["view"]
    changes: dict = {}
    rate_blocks = [
        b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("rate_")
    ]
    for block, rating, why in zip(rate_blocks, RATINGS, REASONS, strict=False):
        changes[block] = rating
        changes[block.replace("rate_", "why_")] = why
    changes["rate_overall"] = "some progress"
    changes["why_overall"] = "Keeping people at home is going the right way; waiting is not."
    slots = [b["block_id"] for b in view["blocks"] if b.get("block_id", "").endswith("_text")]
    for k, slot in enumerate(slots):
        prefix = slot.removesuffix("_text")
        if k < len(NEEDS):
            owner, text = NEEDS[k]
            changes |= {slot: text, f"{prefix}_owner": owner}
        else:
            changes[slot] = None
    player.say(FATIMA, "(rates each outcome, gives the reasons, and adds two information needs)")
    slack.submit(view, fill_form(view, changes), user=FATIMA)
    player.wait(
        lambda: any(
            "Record of the QPR" in c.params.get("text", "") for c in fake.calls("chat.postMessage")
        ),
        "the record",
    )
    player.show()
    _pulse(slack, fake, player)

    player.say(ANN, "(opens the QPR bot's Home tab)")
    slack.event({"type": "app_home_opened", "user": ANN, "channel": "DANN", "tab": "home"})
    player.wait(lambda: player.calls_after("views.publish", 1), "the App Home")
    player.show()


def _pulse(slack: SlackUser, fake: FakeSlack, player: _Player) -> None:
    """The five who took part answer the two questions under the record; each is thanked
    privately (shown for the first)."""
    record = next(
        c.params for c in fake.calls("chat.postMessage") if "Record of the QPR" in c.params["text"]
    )
    buttons = pulse_buttons(record["blocks"])
    for n, (user, first, second) in enumerate(PULSE):
        words = [buttons[q, score]["text"]["text"] for q, score in ((1, first), (2, second))]
        player.say(user, f"(answers the two questions under the record: {' and '.join(words)})")
        for q, score in ((1, first), (2, second)):
            before = len([c for c in fake.calls() if c.method.startswith("respond/")])
            button = buttons[q, score]
            slack.click(button["action_id"], button["value"], user=user, message_ts="9.9")
            player.wait(
                lambda before=before: (
                    len([c for c in fake.calls() if c.method.startswith("respond/")]) > before
                ),
                "a thank-you",
            )
        if n == 0:
            player.show()
        else:
            player.seen = len(fake.calls())


def _next_quarter(slack: SlackUser, fake: FakeSlack, factory, period, transcript) -> None:
    """Ann says what she found out about her need, from her Home tab; the next quarter's
    kick-off brings it back to the team."""
    player = _Player(slack, fake, transcript)
    player.seen = len(fake.calls())
    home = fake.calls("views.publish")[-1].params["view"]
    done = next(
        b["accessory"]
        for b in home["blocks"]
        if b.get("accessory", {}).get("action_id") == ids.NEED_DONE
    )
    player.say(ANN, "(clicks [Done] beside her information need)")
    opened = len(fake.calls("views.open"))
    slack.click_in_home(ids.NEED_DONE, done["value"], user=ANN)
    form = player.wait(lambda: player.calls_after("views.open", opened + 1), "the need's form")
    view = form[-1].params["view"]
    player.say(ANN, f"(writes what she found) {FOUND}")
    slack.submit(view, fill_form(view, {"answer": FOUND}), user=ANN)
    player.wait(lambda: player.calls_after("views.publish", 2), "the Home tab again")
    player.seen = len(fake.calls())  # her Home tab again: nothing new to read

    player.say(FATIMA, f"/qpr start {period.label}")
    posted = len(fake.calls("chat.postMessage"))
    slack.command(f"start {period.label}", user=FATIMA)
    player.wait(lambda: player.calls_after("chat.postMessage", posted + 1), "the next kick-off")
    player.show()


def _across_teams(slack: SlackUser, fake: FakeSlack, factory, period: str, transcript) -> None:
    """Two more teams set up in their channels (one starts its review, the other only sets
    its meeting); the head of service is made a manager and posts every team's overview."""
    player = _Player(slack, fake, transcript)
    player.seen = len(fake.calls())
    steps = [
        (DEV, CHILDREN, "setup Children in Need"),
        (DEV, CHILDREN, f"start {period}"),
        (EVE, ADULTS, "setup Adults with Learning Disabilities"),
        (EVE, ADULTS, "schedule second wednesday 10:00"),
    ]
    for user, channel, text in steps:
        player.say(user, f"(in #{CHANNELS[channel]}) /qpr {text}")
        answered = len(fake.calls())
        slack.command(text, user=user, channel=channel)
        player.wait(lambda n=answered: len(fake.calls()) > n, f"/qpr {text.split()[0]}")
        player.seen = len(fake.calls())  # their answers are theirs to read
    # The first manager, who sees every team, is named by whoever runs the bot too.
    print(f"The bot's operator (in a terminal):\n    qpr managers add {HANA}")
    managers.change_manager(Context(factory), managers.operator(), HANA, True)
    player.say(HANA, f"(in #{CHANNELS[HEADS]}) /qpr overview {period}")
    responded = len([c for c in fake.calls() if c.method.startswith("respond/")])
    slack.command(f"overview {period}", user=HANA, channel=HEADS)
    player.wait(
        lambda: len([c for c in fake.calls() if c.method.startswith("respond/")]) > responded,
        "the overview",
    )
    player.show()


def _thread(factory) -> str | None:
    with factory() as session:
        ts = session.exec(select(Review.slack_thread_ts)).first()
    return ts if ts and not outcome_rules.posting(ts) else None


def _proposals(factory, count: int) -> list[OutcomeStatement] | None:
    with factory() as session:
        found = session.exec(select(OutcomeStatement).order_by(col(OutcomeStatement.id))).all()
    return list(found) if len(found) >= count else None


def _supports(factory) -> int:
    with factory() as session:
        return len(session.exec(select(OutcomeSupport)).all())
