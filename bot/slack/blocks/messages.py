"""Long content as several Slack messages, each within Slack's limits."""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack.mrkdwn import escape

# Slack allows 50 blocks a message, but refuses long block sets well before that
# (msg_blocks_too_long at about 12,000 characters): stay clear of both.
BLOCKS_PER_MESSAGE = 40
CHARS_PER_MESSAGE = 9000


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict]


def _size(block: dict) -> int:
    return len(str(block))


def split(text: str, blocks: list[dict]) -> list[Message]:
    """The blocks in order, as few messages as the limits allow; numbered when several."""
    messages: list[list[dict]] = []
    current: list[dict] = []
    size = 0
    for block in blocks:
        if current and (
            len(current) >= BLOCKS_PER_MESSAGE or size + _size(block) > CHARS_PER_MESSAGE
        ):
            messages.append(current)
            current, size = [], 0
        current.append(block)
        size += _size(block)
    if current:
        messages.append(current)
    if len(messages) == 1:
        return [Message(text, messages[0])]
    return [Message(f"{text} ({i} of {len(messages)})", m) for i, m in enumerate(messages, start=1)]


# The blocks Slack is known to take with a file share (files.completeUploadExternal): its
# SDKs' examples use these, and it refuses a markdown block there that chat.postMessage
# takes. Headers and context lines are given as sections.
WITH_FILES = {"section", "divider", "actions", "rich_text"}


def with_files(blocks: list[dict]) -> list[dict] | None:
    """The blocks as a message with files attached shows them; None if one cannot be."""
    shown = []
    for block in blocks:
        if block["type"] == "header":
            shown.append(_section(f"*{escape(block['text']['text'])}*", block))
        elif block["type"] == "context":
            words = [e["text"] for e in block["elements"] if e.get("type") == "mrkdwn"]
            shown.append(_section(" ".join(words), block))
        elif block["type"] in WITH_FILES:
            shown.append(block)
        else:
            return None
    return shown


def _section(text: str, block: dict) -> dict:
    found = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if "block_id" in block:
        found["block_id"] = block["block_id"]
    return found
