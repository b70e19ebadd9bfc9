"""The app's listeners, one feature a module, wired onto a Bolt app by `register`. The
modules never import each other: what two of them share lives below them (posts, owed,
blocks, calls)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack import ids
from bot.slack.deps import Deps, in_background
from bot.slack.listeners import (
    command,
    evidence,
    judge,
    needs,
    outcomes,
    report,
    schedule,
    team,
    thread,
)

VERBS = {
    "setup": team.setup_command,
    "status": team.status_command,
    "facilitators": team.facilitators_command,
    "facilitator": team.facilitators_command,
    "start": outcomes.start_command,
    "outcomes": outcomes.outcomes_command,
    "agree": outcomes.agree_command,
    "links": outcomes.links_command,
    "evidence": evidence.evidence_command,
    "judge": judge.judge_command,
    "close": judge.close_command,
    "report": report.report_command,
    "needs": needs.needs_command,
    "schedule": schedule.schedule_command,
}
# A form must open within 3 seconds of the command: these run before the ack returns.
OPENS_A_FORM = {"agree", "judge", "links"}


def register(app: App, deps: Deps) -> None:
    app.command(ids.COMMAND)(command.handler(deps, VERBS, OPENS_A_FORM))
    app.message()(in_background(deps, thread.thread_reply(deps)))
    app.event({"type": "message", "subtype": "message_changed"})(
        in_background(deps, thread.reply_edited(deps))
    )
    app.event({"type": "message", "subtype": "message_deleted"})(
        in_background(deps, thread.reply_deleted(deps))
    )
    app.event("message")(thread.ignore)
    app.event("reaction_added")(in_background(deps, thread.reaction(deps, supports=True)))
    app.event("reaction_removed")(in_background(deps, thread.reaction(deps, supports=False)))
    app.action(ids.CARRY_OVER)(outcomes.carry_over(deps))
    app.action(ids.PROPOSE_ANONYMOUSLY)(outcomes.open_anonymous(deps))
    app.action(ids.OPEN_AGREE)(outcomes.open_agree(deps))
    app.view(ids.ANONYMOUS_VIEW)(outcomes.submit_anonymous(deps))
    app.view(ids.AGREE_VIEW)(outcomes.submit_agree(deps))
    app.action(ids.OPEN_LINKS)(outcomes.open_links(deps))
    app.view(ids.LINKS_VIEW)(outcomes.submit_links(deps))
    app.action(ids.OPEN_JUDGE)(judge.open_judge(deps))
    app.action(ids.OPEN_DETAIL)(evidence.open_detail(deps))
    app.action(ids.CLOSE_REVIEW)(judge.close_clicked(deps))
    app.view(ids.JUDGE_VIEW)(judge.submit_judge(deps))
    app.action(ids.NEED_DONE)(needs.need_done(deps))
    app.action(ids.NEED_MOVE)(needs.need_moved(deps))
    app.event("app_home_opened")(in_background(deps, needs.home_opened(deps)))
