"""The worker the adapter's `Deps` makes: the draining of the inbox and the owed posts knows
no platform and lives in bot/shared/worker.py; the listeners give it the handlers that work
Slack's requests, and bot/slack/owed.py the sender that posts to Slack."""

from __future__ import annotations

from bot.shared.worker import Worker

__all__ = ["Worker"]
