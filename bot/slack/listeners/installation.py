"""Slack saying the app was uninstalled or its tokens revoked: every instance stops
sending, the records are kept, and the operator reads one line on what to do."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.slack.deps import Deps
from reviews.cases import installation

log = logging.getLogger(__name__)


def gone(deps: Deps) -> Callable[[dict, dict, object], None]:
    def handler(body: dict, event: dict, client) -> None:
        why = str(event.get("type"))
        if installation.stop(deps.ctx, why):
            log.warning(
                "Slack says %s: nothing more is sent and every record is kept; install the "
                "app again and restart qpr serve to resume",
                why,
            )

    return handler
