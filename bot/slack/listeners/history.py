"""`/qpr history`: the team's outcomes over its last four reviews, as one message."""

from __future__ import annotations

from bot.slack.blocks.history import history_message
from bot.slack.deps import Invocation
from reviews import history, teams


def history_command(call: Invocation) -> None:
    with call.deps.factory() as session:
        team = teams.team_for_channel(session, call.channel)
        text, blocks = history_message(history.team_history(session, team))
    call.respond(text=text, blocks=blocks)
