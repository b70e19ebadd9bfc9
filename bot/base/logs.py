"""Logging for every front end. Modules log through `logging.getLogger(__name__)`; a log
line names the kind of thing that happened and Slack's ids, never what people wrote, as a
message, a statement or an exception's text could carry their words."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(level: int = logging.INFO) -> None:
    """Log lines for a long-running process, on standard error."""
    logging.basicConfig(level=level, format=FORMAT)
    # Bolt logs a refused request's body at INFO and WARNING: people's words stay out.
    logging.getLogger("slack_bolt").setLevel(logging.ERROR)


def kind(exc: BaseException) -> str:
    """What went wrong, by its kind alone: an exception's text may quote a person."""
    return type(exc).__name__
