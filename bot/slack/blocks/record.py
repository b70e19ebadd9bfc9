"""The record of a review as Slack messages: posted in the thread when the judgement is
recorded, and again on `/qpr report`."""

from __future__ import annotations

from bot.slack.blocks.kit import MAX_TEXT, context, header, section
from bot.slack.blocks.messages import Message, split
from bot.slack.mrkdwn import escape, mention
from reviews.record import NeedRecord, ReviewRecord

RATING_ICONS = {
    "good progress": ":large_green_circle:",
    "some progress": ":large_yellow_circle:",
    "not enough progress": ":red_circle:",
    "cannot judge yet": ":grey_question:",
}
SETTLED = {"done": "done", "dropped": "dropped", "open": "still open"}


def rating_text(rating: str | None) -> str:
    if rating is None:
        return "_not judged_"
    return f"{RATING_ICONS.get(rating, '')} *{rating.capitalize()}*".strip()


def need_text(
    need: NeedRecord, outcomes: dict[str, int], names: dict[str, str] | None = None
) -> str:
    """A need, its owner mentioned while it is open (they have something to do), else
    named, so as not to notify them again."""
    parts = []
    if need.owner and need.status == "open":
        parts.append(mention(need.owner))
    elif need.owner:
        parts.append(escape((names or {}).get(need.owner, "its owner")))
    if need.due:
        parts.append(f"due {need.due:%d %b %Y}")
    if need.outcome and need.outcome in outcomes:
        parts.append(f"for outcome {outcomes[need.outcome]}")
    if need.indicator_code:
        parts.append(f"about {escape(need.indicator_code)}")
    return f"• {escape(need.text)}" + (f" ({', '.join(parts)})" if parts else "")


def quoted(text: str) -> list[dict]:
    """Reasons as quoted sections, as many as their length needs: never cut short."""
    lines = "> " + escape(text).replace("\n", "\n> ")
    return [section(chunk) for chunk in chunks(lines, MAX_TEXT - 100)]


def chunks(text: str, size: int) -> list[str]:
    """Pieces of at most `size` characters, broken at a line or a space where possible."""
    found = []
    while len(text) > size:
        cut = max(text.rfind("\n", 0, size), text.rfind(" ", 0, size))
        cut = cut if cut > size // 2 else size
        found.append(text[:cut])
        text = text[cut:].lstrip(" ")
        if text.startswith("\n"):
            text = text[1:]
        if not text.startswith("> "):
            text = "> " + text
    return [*found, text]


def record_messages(record: ReviewRecord, names: dict[str, str] | None = None) -> list[Message]:
    """`names`: people's names, by user id, for those named but not mentioned."""
    title = f"Record of the QPR {record.period_label}: {record.team}"
    blocks: list[dict] = [header(title)]
    if record.judged and record.judged_by and record.closed_at:
        # Whoever recorded it has just done so: named, not notified.
        who = escape((names or {}).get(record.judged_by, "a facilitator"))
        blocks.append(context(f"Judgement recorded by {who} on {record.closed_at:%d %b %Y}."))
    elif record.stage == "closed":
        blocks.append(context("Closed without a judgement."))
    else:
        blocks.append(context("In progress: no judgement is recorded yet."))
    numbers = record.numbers
    for i, outcome in enumerate(record.outcomes, start=1):
        rating = rating_text(outcome.rating if record.judged else None)
        blocks.append(section(f"*{i}. {escape(outcome.text)}*\n{rating}"))
        if record.judged and outcome.rationale:
            blocks += quoted(outcome.rationale)
        if outcome.carried_from:
            # Who proposed and supported it is in the thread above and in the report;
            # mentioning them again would notify them again.
            blocks.append(context(f"Carried over from {escape(outcome.carried_from)}."))
    if record.judged:
        blocks.append(section(f"*Overall*: {rating_text(record.overall_rating)}"))
        if record.overall_rationale:
            blocks += quoted(record.overall_rationale)
    if record.needs:
        blocks.append(section("*Information needs*"))
        blocks += [section(need_text(n, numbers, names)) for n in record.needs]
    if record.earlier_needs:
        blocks.append(section("*Needs from earlier reviews*"))
        blocks += [
            section(f"{need_text(n, numbers, names)}: {SETTLED.get(n.status, n.status)}")
            for n in record.earlier_needs
        ]
    return split(title, blocks)


def closed_note(review, user: str, names: dict[str, str] | None = None) -> Message:
    """The note in a review's thread that it was closed without a judgement, and by whom
    (named, not notified: they have just done it)."""
    who = escape((names or {}).get(user, "a facilitator"))
    note = (
        f"The review of {escape(review.period_label)} was closed by {who} without a "
        "judgement. Information needs still open come back at the next review."
    )
    return Message("Closed without a judgement", [section(note)])
