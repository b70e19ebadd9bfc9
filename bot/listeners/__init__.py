"""The app's listeners, wired onto a Bolt app by `register`."""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.listeners import commands, events, interactions, judge, needs
from bot.listeners.context import Deps, in_background


def register(app: App, deps: Deps) -> None:
    app.command(ids.COMMAND)(commands.handler(deps))
    app.message()(in_background(deps, events.thread_reply(deps)))
    app.event({"type": "message", "subtype": "message_changed"})(
        in_background(deps, events.reply_edited(deps))
    )
    app.event({"type": "message", "subtype": "message_deleted"})(
        in_background(deps, events.reply_deleted(deps))
    )
    app.event("message")(events.ignore)
    app.event("reaction_added")(in_background(deps, events.reaction(deps, supports=True)))
    app.event("reaction_removed")(in_background(deps, events.reaction(deps, supports=False)))
    app.action(ids.CARRY_OVER)(interactions.carry_over(deps))
    app.action(ids.PROPOSE_ANONYMOUSLY)(interactions.open_anonymous(deps))
    app.action(ids.OPEN_AGREE)(interactions.open_agree(deps))
    app.view(ids.ANONYMOUS_VIEW)(interactions.submit_anonymous(deps))
    app.view(ids.AGREE_VIEW)(interactions.submit_agree(deps))
    app.action(ids.OPEN_JUDGE)(judge.open_judge(deps))
    app.action(ids.CLOSE_REVIEW)(judge.close_clicked(deps))
    app.view(ids.JUDGE_VIEW)(judge.submit_judge(deps))
    app.action(ids.NEED_DONE)(needs.need_done(deps))
    app.action(ids.NEED_MOVE)(needs.need_moved(deps))
    app.event("app_home_opened")(in_background(deps, needs.home_opened(deps)))
    app.error(interactions.on_error(deps))
