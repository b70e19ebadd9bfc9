"""What every listener needs: the database, the settings, and a way to post that tells the
user when Slack refuses."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot.config import Settings
from storage.db import SessionFactory

log = logging.getLogger("qpr.bot")


@dataclass(frozen=True)
class Deps:
    factory: SessionFactory
    settings: Settings


def slack_error(exc: SlackApiError) -> str:
    """What Slack said, without anything a user wrote."""
    return str(exc.response.get("error", "unknown_error")) if exc.response else "no_response"
