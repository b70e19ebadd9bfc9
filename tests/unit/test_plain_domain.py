"""The domain speaks no platform: its words hold no Slack command, mention or markup, and
each front end writes the command to run next its own way."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.slack.mrkdwn import refusal
from reviews.errors import NoOpenReview, NoTeamHere, NotFacilitator, QprError

REVIEWS = Path(__file__).resolve().parents[2] / "reviews"
SLACK_WORDS = ("/qpr", "<@", "<#", "<!")


def test_no_string_in_the_domain_holds_a_slack_command_or_mention():
    found = []
    for path in REVIEWS.rglob("*.py"):
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and any(word in node.value for word in SLACK_WORDS)
            ):
                found.append(f"{path.relative_to(REVIEWS.parent)}:{node.lineno}: {node.value!r}")
    assert found == []


def test_the_command_to_run_next_is_written_by_each_front_end():
    refused = NoTeamHere()
    assert refused.then == "setup <team name>"
    assert str(refused) == (
        "This channel has no team yet. A facilitator can set one up with the "
        "'setup <team name>' command."
    )
    assert refusal(refused) == (
        "This channel has no team yet. A facilitator can set one up with "
        "`/qpr setup &lt;team name&gt;`."
    )
    assert refusal(NoOpenReview()).endswith("start one with `/qpr start`.")
    # A name is only text, whatever it holds; whoever could help is mentioned in Slack only.
    odd = QprError("There is no team called '{then} <!channel>'.")
    assert refusal(odd) == "There is no team called '{then} &lt;!channel&gt;'."
    asked = NotFacilitator("agree the outcomes", ["UFAC"])
    assert str(asked) == "Only a facilitator can agree the outcomes."
    assert refusal(asked) == "Only a facilitator can agree the outcomes. Please ask <@UFAC>."


def test_beside_a_forms_field_a_refusal_is_plain_text():
    from bot.slack.mrkdwn import form_error

    # Slack shows a form's errors as plain text: markup would show literally.
    assert form_error(NoOpenReview()).endswith("start one with /qpr start.")
    assert form_error(QprError("There is no team called 'A <b> & C'.")) == (
        "There is no team called 'A <b> & C'."
    )
    assert form_error(NotFacilitator("agree the outcomes", ["UFAC"])) == (
        "Only a facilitator can agree the outcomes."
    )
    assert len(form_error(QprError("x" * 400))) == 150
