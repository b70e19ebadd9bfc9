"""What the stand-in Slack received, as a person in the channel would read it: messages
rendered from their Block Kit, reactions, forms opened, files uploaded."""

from __future__ import annotations

import json
import re
import textwrap

from bot.slack.mrkdwn import unescape
from bot.slack.standin import Call

WIDTH = 92
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CDG][A-Z0-9]+)(?:\|[^>]*)?>")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
# The coloured circles stand beside the words they colour: in text, the words suffice.
EMOJI = {
    ":large_blue_circle: ": "",
    ":large_orange_circle: ": "",
    ":white_circle: ": "",
    ":large_purple_circle: ": "",
    ":large_green_circle: ": "",
    ":large_yellow_circle: ": "",
    ":red_circle: ": "",
    ":grey_question: ": "",
    ":heavy_minus_sign: ": "",
    ":+1:": "thumbs-up",
    ":memo:": "memo",
    ":white_check_mark:": "(done)",
    ":warning:": "(!)",
}


class Transcript:
    def __init__(
        self,
        names: dict[str, str],
        channels: dict[str, str],
        roles: dict[str, str] | None = None,
    ):
        self.names = names
        self.channels = channels
        self.roles = roles or {}
        # What the team has to read: words the bot posted in the review's thread (its
        # opening message and the replies), not what it showed one person.
        self.words_posted = 0

    def plain(self, text: str) -> str:
        """Slack mrkdwn as plain text: mentions named, markup and escapes removed."""
        text = _USER.sub(lambda m: "@" + self.names.get(m.group(1), m.group(1)), text)
        text = _CHANNEL.sub(lambda m: "#" + self.channels.get(m.group(1), m.group(1)), text)
        text = _BOLD.sub(r"\1", text)
        text = _ITALIC.sub(r"\1", text)
        text = _CODE.sub(r"\1", text)
        for code, word in EMOJI.items():
            text = text.replace(code, word)
        return unescape(text)

    def blocks(self, blocks: list[dict]) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            kind = block["type"]
            if kind == "header":
                lines.append(f"== {block['text']['text']} ==")
            elif kind == "section":
                these = self.plain(block["text"]["text"]).splitlines() if "text" in block else []
                accessory = block.get("accessory")
                if accessory and accessory.get("type") == "button" and these:
                    # Beside the section's first line, where Slack shows it.
                    these[0] += f"   [{accessory['text']['text']}]"
                lines += these
            elif kind == "context":
                text = " ".join(self.plain(e.get("text", "")) for e in block["elements"])
                lines.append(f"({text})")
            elif kind == "actions":
                buttons = [
                    f"[{(e.get('text') or e.get('placeholder') or {}).get('text', e['type'])}"
                    + (" \u25be]" if e["type"].endswith("select") else "]")
                    for e in block["elements"]
                ]
                lines.append(" ".join(buttons))
            elif kind == "input":
                lines.append(f"  {block['label']['text']}: ____")
        return lines

    def call(self, call: Call) -> list[str]:
        """How one Web API call shows to people, or nothing for plumbing."""
        p = call.params
        method = call.method
        if method == "chat.postMessage":
            where = self._where(p)
            body = self.blocks(p["blocks"]) if p.get("blocks") else [self.plain(p.get("text", ""))]
            if p.get("channel") not in self.names:
                self.words_posted += words(body)
            return self._said(f"qpr bot{where}", body)
        if method == "chat.postEphemeral":
            return self._said(
                f"qpr bot (only to {self._name(p.get('user'))})", [self.plain(p["text"])]
            )
        if method.startswith("respond/"):
            body = self.blocks(p["blocks"]) if p.get("blocks") else [self.plain(p.get("text", ""))]
            seen = "in the channel" if p.get("response_type") == "in_channel" else "only to you"
            return self._said(f"qpr bot ({seen})", body)
        if method == "reactions.add":
            return [f"  qpr bot reacts :{p['name']}: to the reply"]
        if method == "views.open":
            view = p["view"]
            opened = [f"  [a form opens: {view['title']['text']}]"]
            if "submit" in view:
                return opened
            # A form that only shows something: what it shows, as the person reads it.
            return opened + [
                "    " + line for line in self._said("", self.blocks(view["blocks"]))[1:]
            ]
        if method == "views.publish":
            return self._said(
                f"App Home of {self._name(p.get('user_id'))}", self.blocks(p["view"]["blocks"])
            )
        if method == "files.completeUploadExternal":
            files = json.loads(p.get("files", "[]"))
            if p.get("blocks"):  # a message with its files attached
                body = self.blocks(json.loads(p["blocks"]))
            else:
                body = [self.plain(p.get("initial_comment", ""))]
            self.words_posted += words(body)
            names = ", ".join(f.get("title", "").split(":")[0] for f in files)
            where = self._where({"channel": p.get("channel_id"), "thread_ts": p.get("thread_ts")})
            return self._said(
                f"qpr bot{where}", [*body, f"[{len(files)} charts attached: {names}]"]
            )
        return []

    def _name(self, user: str | None) -> str:
        return self.names.get(user or "", user or "someone")

    def _where(self, params: dict) -> str:
        channel = params.get("channel", "")
        if channel in self.names:
            return f" (direct message to {self.names[channel]})"
        return " (in the thread)" if params.get("thread_ts") else ""

    def _said(self, who: str, body: list[str]) -> list[str]:
        lines = [f"{who}:"]
        for line in body:
            wrapped = textwrap.wrap(line, WIDTH - 4) or [""]
            lines += ["    " + w for w in wrapped]
        return lines

    def person(self, user: str, text: str) -> list[str]:
        role = self.roles.get(user)
        return self._said(self._name(user) + (f" ({role})" if role else ""), [text])


def words(lines: list[str]) -> int:
    """Words as a reader counts them: markup and symbols are not words."""
    return sum(1 for w in " ".join(lines).split() if any(c.isalnum() for c in w))
