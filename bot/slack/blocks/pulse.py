"""The two questions under the record of a review, as buttons in its thread (no message of
their own, so no ping), and the form for a comment."""

from __future__ import annotations

from bot.slack import ids
from bot.slack.blocks.kit import button, context, plain, section
from bot.slack.blocks.messages import Message
from reviews import pulse

LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither",
    4: "Agree",
    5: "Strongly agree",
}
MESSAGE_BLOCKS = 50  # Slack's limit for a message


def pulse_blocks(review_id: int) -> list[dict]:
    blocks = [section("*Was it worth it?* For everyone who took part:")]
    for question, words in pulse.QUESTIONS.items():
        blocks.append(section(f"{question}. {words}"))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"pulse_{review_id}_{question}",
                "elements": [
                    button(LABELS[score], action_id, f"{review_id}:{question}:{score}")
                    for score, action_id in enumerate(ids.PULSE_ANSWERS, start=1)
                ],
            }
        )
    blocks.append(context("Kept without your name; shown once 5 have answered."))
    return blocks


def pulse_buttons(blocks: list[dict]) -> dict[tuple[int, int], dict]:
    """The buttons `pulse_blocks` made, found in a message's blocks: by (question, score)."""
    found = {}
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") in ids.PULSE_ANSWERS:
                _, question, score = element["value"].split(":")
                found[int(question), int(score)] = element
    return found


def with_pulse(messages: list[Message], review_id: int) -> list[Message]:
    """The record's messages with the questions under the last one (in a message of their
    own only where the last is full)."""
    added = pulse_blocks(review_id)
    *rest, last = messages
    if len(last.blocks) + len(added) <= MESSAGE_BLOCKS:
        return [*rest, Message(last.text, [*last.blocks, *added])]
    return [*messages, Message("Was it worth it?", added)]


def thanks(unanswered: list[int], may_comment: bool, review_id: int) -> dict:
    """What the person who answered sees, privately."""
    said = "Thank you: your answer is kept without your name."
    if unanswered:
        said += f" Question {unanswered[0]} is still yours to answer, if you wish."
    blocks = [section(said)]
    if may_comment and not unanswered:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    button("Add a comment", ids.PULSE_COMMENT, str(review_id)),
                ],
            }
        )
    return {"text": said, "blocks": blocks}


def comment_form(review_id: int, period_label: str) -> dict:
    return {
        "type": "modal",
        "callback_id": ids.PULSE_COMMENT_VIEW,
        "private_metadata": str(review_id),
        "title": plain("A comment"),
        "submit": plain("Send"),
        "close": plain("Cancel"),
        "blocks": [
            section(
                f"Anything to add about the review of {period_label}? Kept without your name "
                "or its date; the team sees comments once 5 have been given."
            ),
            {
                "type": "input",
                "block_id": "comment",
                "label": plain("Your comment"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "comment",
                    "multiline": True,
                    "max_length": pulse.COMMENT_LENGTH,
                },
            },
        ],
    }
