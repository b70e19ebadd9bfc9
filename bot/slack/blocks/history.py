"""`/qpr history`: the team's outcomes over its last four reviews, as one message: each
outcome's judgement quarter by quarter, and what its needs found."""

from __future__ import annotations

from bot.shared import pulse_words
from bot.shared.reports.words import then_text
from bot.slack.blocks.kit import context, header, section, short
from bot.slack.blocks.record import rating_text
from bot.slack.mrkdwn import escape
from reviews.history import NeedStory, OutcomeStory, Quarter, TeamHistory

MAX_OUTCOMES = 20  # two blocks each, within a message's 50
MAX_NEEDS = 3  # an outcome's latest needs
MAX_INDICATORS = 3  # of each quarter's linked indicators


def quarters_line(quarters: list[Quarter]) -> str:
    return " → ".join(f"{escape(q.period_label)} {rating_text(q.rating)}" for q in quarters)


def need_story_line(need: NeedStory) -> str:
    asked = f"• {escape(short(need.text, 200))} ({escape(need.raised_in)})"
    if need.status == "open":
        return f"{asked}: still open"
    said = "we found" if need.status == "done" else "dropped, because"
    return f"{asked}: {said}: {escape(short(need.answer or 'nothing recorded', 300))}"


def story_text(story: OutcomeStory) -> str:
    lines = [f"*{escape(short(story.text, 300))}*", quarters_line(story.quarters)]
    latest = next((q for q in reversed(story.quarters) if q.rationale), None)
    if latest is not None:
        lines.append(
            f"_Why, {escape(latest.period_label)}:_ {escape(short(latest.rationale, 400))}"
        )
    # Its linked indicators as they read when it was judged, in its last two quarters.
    for q in [q for q in story.quarters if q.indicators][-2:]:
        readings = "; ".join(then_text(i) for i in q.indicators[:MAX_INDICATORS])
        lines.append(f"_Indicators, {escape(q.period_label)}:_ {escape(short(readings, 400))}")
    lines += [need_story_line(n) for n in story.needs[-MAX_NEEDS:]]
    return "\n".join(lines)


def history_message(history: TeamHistory) -> tuple[str, list[dict]]:
    name = escape(history.team)
    if not history.periods:
        text = f"{history.team} has no reviews yet: `/qpr start` begins one."
        return text, [section(f"*{name}* has no reviews yet: `/qpr start` begins one.")]
    span = history.periods[0]
    if len(history.periods) > 1:
        span += f" to {history.periods[-1]}"
    blocks = [
        header(f"How our outcomes have gone: {short(history.team, 100)}"),
        context(
            f"The last {len(history.periods)} reviews, {escape(span)}. "
            "An outcome carried over is followed from quarter to quarter."
        ),
    ]
    if not history.outcomes:
        blocks.append(section("No outcome statements were agreed in these reviews."))
    for story in history.outcomes[:MAX_OUTCOMES]:
        blocks.append(section(story_text(story)))
    if len(history.outcomes) > MAX_OUTCOMES:
        blocks.append(context(f"And {len(history.outcomes) - MAX_OUTCOMES} more outcomes."))
    blocks.append(section(f"*Overall*\n{quarters_line(history.overall)}"))
    if history.pulse:
        lines = "\n".join(f"• {escape(pulse_words.history_line(p))}" for p in history.pulse)
        blocks.append(section(f"*{pulse_words.TITLE}*\n{lines}"))
        blocks.append(context(escape(pulse_words.CAUTION)))
    return f"How {history.team}'s outcomes have gone, {span}", blocks
