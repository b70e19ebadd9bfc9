"""Slack's word that it no longer has the app, and the start that finds it back."""

from __future__ import annotations

from reviews import installation
from reviews.cases.context import Context


def stop(ctx: Context, why: str) -> bool:
    """Stop sending (the app was uninstalled or its tokens revoked); False if stopped
    already."""
    with ctx.changing() as session:
        return installation.stop(session, why)


def resume(ctx: Context) -> bool:
    """Send again, the token having been accepted; False if nothing was stopped."""
    with ctx.changing() as session:
        return installation.resume(session)


def is_stopped(ctx: Context) -> bool:
    with ctx.reading() as session:
        return installation.stopped(session) is not None
