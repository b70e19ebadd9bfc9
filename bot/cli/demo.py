"""`qpr demo`: a whole review played with the sample data, no Slack needed."""

from __future__ import annotations

from pathlib import Path

from bot.base.config import Settings


def add(demo) -> None:
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("qpr-demo"),
        help="folder for the demo database and the review's reports (default: %(default)s)",
    )
    demo.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    from bot.demo.play import run_demo

    return run_demo(args.out, settings)
