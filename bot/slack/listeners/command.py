"""`/qpr ...`: every command is acknowledged at once and the work follows the ack. The verbs
are handled by the feature they belong to; `register` hands this router its table."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.base.logs import kind
from bot.base.wording import SOMETHING_WENT_WRONG
from bot.slack.deps import Deps, Invocation
from bot.slack.mrkdwn import escape, refusal, unescape
from reviews.errors import QprError

log = logging.getLogger(__name__)

USAGE = """*QPR bot commands*
`/qpr setup <team name>`: set this channel up for a team (you become its facilitator)
`/qpr start [period]`: start the review of a quarter, e.g. `/qpr start 2026/27 Q2` (facilitators)
`/qpr status`: where this channel's review has got to
`/qpr outcomes`: the outcome statements proposed or agreed so far, and those kept from last time
`/qpr agree`: agree the outcome statements (facilitators)
`/qpr evidence`: post the evidence for the review in its thread
`/qpr links`: change what each agreed outcome is linked to (facilitators)
`/qpr judge`: record how well we are doing and what else we need to know (facilitators)
`/qpr needs`: the team's open information needs, to mark done
`/qpr history`: how the team's outcomes have gone over its last four reviews
`/qpr report [period]`: post the record of a review in its thread
`/qpr close`: close the review (facilitators)
`/qpr schedule [date | rule | pause | resume]`: when the team meets, and its reminders
`/qpr facilitators add|remove @someone`: change who facilitates (facilitators)
`/qpr managers add|remove @someone`: change who sees every team's reviews (managers)
`/qpr overview [period]`: every team's review of a quarter, in a managers' channel (managers)
`/qpr help`: this list"""

Verb = Callable[[Invocation], None]


def runner(deps: Deps, verbs: dict[str, Verb]) -> Callable:
    """`run(command, client, respond)`: one `/qpr` command, done."""

    def run(command, client, respond):
        # With escaping on, Slack sends & < > as entities; mentions stay <@U123|name>.
        words = unescape(command.get("text") or "").split()
        verb = words[0].lower() if words else "help"
        call = Invocation(
            deps=deps,
            client=client,
            respond=respond,
            channel=command["channel_id"],
            user=command["user_id"],
            args=words[1:],
            trigger_id=command.get("trigger_id"),
        )
        try:
            if verb == "help":
                respond(USAGE)
            elif verb in verbs:
                verbs[verb](call)
            else:
                respond(f"I don't know `/qpr {escape(verb)}`.\n\n{USAGE}")
        except QprError as refused:
            respond(refusal(refused))
        except Exception as exc:
            # The verb is named only when it is one of ours: anything else is someone's words.
            log.error("command failed: %s in /qpr %s", kind(exc), verb if verb in verbs else "?")
            respond(SOMETHING_WENT_WRONG)

    return run


def first_word(command: dict) -> str:
    words = (command.get("text") or "").lower().split()
    return words[0] if words else "help"


def handler(deps: Deps, run: Callable, opens_a_form: set[str]):
    """The `/qpr` listener, for the commands the inbox does not keep (see `bot/slack/inbox.py`):
    those that open a form run before the ack returns, as a form must open within 3 seconds
    of its trigger; those that only read are queued."""

    def qpr(ack, command, client, respond):
        ack()
        if first_word(command) in opens_a_form:
            run(command, client, respond)
        else:
            deps.later(run, command, client, respond)

    return qpr
