"""The pulse in words, as the App Home and the overview show it: the share with its base,
or why it is not shown; never a count below 5."""

from __future__ import annotations

from datetime import date

from bot.shared.pulse_words import history_line, question_lines
from bot.slack.blocks.needs import TeamState, home_view
from reviews.pulse import PulseResult, QuestionResult
from storage.models import Team

SHOWN = PulseResult(
    1,
    "2026/27 Q2",
    [
        QuestionResult(1, 7, True, {5: 5, 4: "fewer than 5", 3: 0, 2: 0, 1: 0}, 100.0),
        QuestionResult(2, 3, False),
    ],
    [],
)


def test_a_question_is_said_with_its_share_and_base_or_why_not():
    first, second = question_lines(SHOWN)
    assert "100% agree or strongly agree (of 7); strongly agree 5, agree fewer than 5" in first
    assert second.endswith("not shown: fewer than 5 answered.")
    assert "3" not in second  # the count below 5 is not said


def test_a_facilitators_home_shows_the_latest_pulse():
    team = Team(id=1, name="Ours", name_key="ours", slack_channel_id="C1")
    state = TeamState(team, None, "No meeting set.", pulse=SHOWN)
    text = str(home_view([state], [], date(2026, 12, 6)))
    assert "Was it worth it?" in text and history_line(SHOWN) in text
