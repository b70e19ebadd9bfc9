"""`/qpr history`: the team's outcomes over its last four reviews, as one message."""

from __future__ import annotations

from bot.slack.blocks.history import history_message
from bot.slack.deps import Invocation
from reviews.cases import team


def history_command(call: Invocation) -> None:
    text, blocks = history_message(team.team_history(call.deps.ctx, call.asker))
    call.respond(text=text, blocks=blocks)
