"""Someone forgotten, or past the retention period, is named as the record names them and
never mentioned: there is nobody in Slack to notify, and `<@former-...>` would show as
broken text."""

from __future__ import annotations

from datetime import date

from bot.slack.blocks.needs import need_line
from bot.slack.mrkdwn import mention
from reviews.people import UNNAMED, pseudonym, stands_in
from storage.models import InformationNeed, NeedStatus


def test_a_person_is_mentioned_and_a_stand_in_is_named():
    assert mention("U012AB3CD") == "<@U012AB3CD>"
    assert mention(pseudonym()) == "a former member"
    assert mention(UNNAMED) == "a member of the team"


def test_pseudonyms_are_fresh_and_never_a_slack_id():
    made = {pseudonym() for _ in range(50)}
    assert len(made) == 50 and all(stands_in(p) for p in made)
    assert not any(p.startswith(("U", "W")) for p in made)
    assert not stands_in("U012AB3CD") and not stands_in(None) and not stands_in("former-x")


def test_an_open_need_of_someone_forgotten_names_them_without_a_mention():
    need = InformationNeed(
        team_id=1,
        review_id=1,
        text="Count the falls",
        owner_user_id=pseudonym(),
        due=date(2027, 1, 15),
        status=NeedStatus.OPEN,
    )
    line = need_line(need, date(2026, 12, 6))
    assert "a former member" in line and "<@" not in line
