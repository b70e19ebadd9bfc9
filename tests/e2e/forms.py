"""Filling in a modal as a person would (the demo does it too)."""

from bot.slack.standin import fill_form as fill

__all__ = ["fill"]
