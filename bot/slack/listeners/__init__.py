"""The app's listeners, one feature a module, wired onto a Bolt app by `register`. The
modules never import each other: what two of them share lives below them (posts, owed,
blocks, calls)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App
from slack_bolt.context.respond import Respond

from bot.slack import ids
from bot.slack.deps import Deps
from bot.slack.inbox import keeping
from bot.slack.listeners import (
    agree,
    command,
    evidence,
    history,
    installation,
    judge,
    managers,
    needs,
    outcomes,
    pulse,
    report,
    schedule,
    team,
    thread,
)
from bot.slack.owed import deliver_owed

VERBS: dict[str, command.Verb] = {
    "setup": team.setup_command,
    "status": team.status_command,
    "facilitators": team.facilitators_command,
    "facilitator": team.facilitators_command,
    "start": outcomes.start_command,
    "outcomes": outcomes.outcomes_command,
    "agree": agree.agree_command,
    "links": agree.links_command,
    "evidence": evidence.evidence_command,
    "judge": judge.judge_command,
    "close": judge.close_command,
    "report": report.report_command,
    "needs": needs.needs_command,
    "history": history.history_command,
    "schedule": schedule.schedule_command,
    "managers": managers.managers_command,
    "manager": managers.managers_command,
    "overview": managers.overview_command,
}
# A form must open within 3 seconds of the command: these run before the ack returns.
OPENS_A_FORM = {"agree", "judge", "links"}
# Only read: kept in the inbox like the rest, so the work is done by the worker, but in no
# lane, so an answer never waits behind a channel's queue of changes.
READS = {"help", "status", "outcomes", "needs", "history", "overview"}
CLICKS = {
    ids.NEED_MOVE: "need_move",
    ids.NEED_ANSWER: "need_answer",
    ids.CLOSE_REVIEW: "close",
    ids.CARRY_OVER: "carry_over",
    **dict.fromkeys(ids.PULSE_ANSWERS, "pulse"),
}
# What Slack sends when it no longer has the app.
GONE = {"app_uninstalled", "tokens_revoked"}
# Message subtypes that are someone writing (the rest are joins, topics, pins, bots).
WRITTEN = {None, "thread_broadcast", "file_share"}


def route(body: dict) -> tuple[str, str | None] | None:
    """The inbox handler and lane of a request that changes anything; None for the rest."""
    if body.get("type") == "event_callback":
        return _event_route(body.get("event") or {})
    if body.get("command") == ids.COMMAND:
        verb = command.first_word(body)
        if verb in READS:
            return "command", None
        if verb in VERBS and verb not in OPENS_A_FORM:
            return "command", body.get("channel_id")
        return None
    if body.get("type") == "block_actions":
        actions = body.get("actions") or [{}]
        handler = CLICKS.get(actions[0].get("action_id"))
        if handler:
            return handler, (body.get("channel") or {}).get("id") or body["user"]["id"]
    return None


def _event_route(event: dict) -> tuple[str, str | None] | None:
    # A channel is one lane: a reaction must not overtake the reply it supports.
    kind, subtype, channel = event.get("type"), event.get("subtype"), event.get("channel")
    if kind == "message" and subtype in WRITTEN:
        thread_ts = event.get("thread_ts")
        if thread_ts and thread_ts != event.get("ts") and thread.is_person(event):
            return "reply", channel
    elif kind == "message" and subtype == "message_changed":
        message = event.get("message") or {}
        if message.get("thread_ts") and thread.is_person(message):
            return "edit", channel
    elif kind == "message" and subtype == "message_deleted":
        if (event.get("previous_message") or {}).get("thread_ts"):
            return "delete", channel
    elif kind in GONE:
        return "gone", None
    elif kind in ("reaction_added", "reaction_removed"):
        item = event.get("item") or {}
        if item.get("type") == "message" and thread.is_support(event.get("reaction", "")):
            return ("support" if kind == "reaction_added" else "unsupport"), item.get("channel")
    return None


def handlers(deps: Deps, client, run: Callable) -> dict[str, Callable[[dict], None]]:
    """How the worker does each kind of kept request, from its body as Slack sent it."""

    def on_event(fn):
        return lambda body: fn(body, body["event"], client)

    def clicked(fn):
        return lambda body: fn(deps, body, client, Respond(response_url=body.get("response_url")))

    return {
        "reply": on_event(thread.thread_reply(deps)),
        "edit": on_event(thread.reply_edited(deps)),
        "delete": on_event(thread.reply_deleted(deps)),
        "support": on_event(thread.reaction(deps, supports=True)),
        "unsupport": on_event(thread.reaction(deps, supports=False)),
        "gone": on_event(installation.gone(deps)),
        "command": lambda body: run(body, client, Respond(response_url=body.get("response_url"))),
        # Kept by an earlier version, when Done settled a need at once: it now asks first.
        "need_done": clicked(needs.done_kept_earlier),
        "need_move": clicked(needs.date_picked),
        "need_answer": clicked(needs.answered),
        "close": clicked(judge.close_clicked),
        "carry_over": clicked(outcomes.carry_over_clicked),
        "pulse": clicked(pulse.answered),
    }


def register(app: App, deps: Deps) -> None:
    """Wire the listeners and the inbox onto `app`; start the inbox's worker in this process
    unless it runs in another (`deps.elsewhere`)."""
    app.use(keeping(deps, route))
    app.command(ids.COMMAND)(command.handler(deps, command.runner(deps, VERBS), OPENS_A_FORM))
    # Thread events the inbox does not keep (joins, topics, pins, top-level messages,
    # other reactions): nothing to do, but Slack must hear a 200 or it retries them.
    app.event("message")(thread.ignore)
    app.event("reaction_added")(thread.ignore)
    app.event("reaction_removed")(thread.ignore)
    app.action(ids.PROPOSE_ANONYMOUSLY)(outcomes.open_anonymous(deps))
    app.action(ids.OPEN_AGREE)(agree.open_agree(deps))
    app.view(ids.ANONYMOUS_VIEW)(outcomes.submit_anonymous(deps))
    app.view(ids.SHORTLIST_VIEW)(agree.submit_shortlist(deps))
    app.view(ids.AGREE_VIEW)(agree.submit_agree(deps))
    app.action(ids.OPEN_LINKS)(agree.open_links(deps))
    app.view(ids.LINKS_VIEW)(agree.submit_links(deps))
    app.action(ids.OPEN_JUDGE)(judge.open_judge(deps))
    app.action(ids.OPEN_DETAIL)(evidence.open_detail(deps))
    app.view(ids.JUDGE_VIEW)(judge.submit_judge(deps))
    app.action(ids.NEED_DONE)(needs.open_settle(deps))
    app.view(ids.SETTLE_NEED_VIEW)(needs.submit_settle(deps))
    app.action(ids.PULSE_COMMENT)(pulse.open_comment(deps))
    app.view(ids.PULSE_COMMENT_VIEW)(pulse.submit_comment(deps))
    on_home = needs.home_opened(deps)  # only reads: answered after the ack
    app.event("app_home_opened")(
        lambda body, event, client: deps.later(on_home, body, event, client)
    )
    if deps.elsewhere is None:
        start_worker(deps, app.client)


def start_worker(deps: Deps, client) -> None:
    """Start `deps`'s worker on the inbox and the owed posts, sending with `client`."""
    worker = deps.worker
    worker.handlers.update(handlers(deps, client, command.runner(deps, VERBS)))
    worker.idle.append(lambda me: deliver_owed(deps, client, me))
    worker.start()
