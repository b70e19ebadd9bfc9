"""`qpr serve`: the Slack app, in Socket Mode when SLACK_APP_TOKEN is set, else over HTTP."""

from __future__ import annotations

from bot.base.config import Settings


def add(serve) -> None:
    serve.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on")
    serve.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    # Loaded here: Bolt and the Slack SDK are for this command alone.
    from bot.slack.serve import serve

    return serve(settings, args.host)
