"""The pulse after a review in words, the same on every surface: each question's answers
as counts on the scale (small ones kept back) and the share agreeing, or why they are not
shown; and the team's last reviews side by side, with no verdict read from so few."""

from __future__ import annotations

from reviews.evidence.disclosure import THRESHOLD
from reviews.pulse import QUESTIONS, SCALE, SHORT, PulseResult, QuestionResult

TITLE = "Was it worth it?"
ASKED = (
    "Two questions asked of everyone who took part, once the judgement was recorded; "
    "answers are kept without names, and shown once 5 people have answered."
)
CAUTION = (
    "A few reviews' answers side by side, not a trend: no better or worse is read from "
    "them (a change shows only over many quarters, as with any measure)."
)


def agreeing_text(q: QuestionResult) -> str:
    """ "71% agree (of 7)", or why not: too few answered, or the share would tell a few."""
    if not q.shown:
        return f"not shown: {answered_words(q)}"
    if q.agreeing is None:
        return f"share not shown, as it would tell a count below {THRESHOLD} (of {q.answered})"
    return f"{q.agreeing:.0f}% agree or strongly agree (of {q.answered})"


def answered_words(q: QuestionResult) -> str:
    if q.answered == 0:
        return "nobody has answered yet"
    if not q.shown:
        return f"fewer than {THRESHOLD} answered"
    return f"{q.answered} answered"


def scale_text(q: QuestionResult) -> str:
    """The counts on the scale, strongly agree first: "strongly agree 5, agree fewer than 5,
    ..."."""
    return ", ".join(f"{SCALE[s]} {q.counts[s]}" for s in sorted(q.counts, reverse=True))


def question_lines(result: PulseResult) -> list[str]:
    lines = []
    for q in result.questions:
        line = f"{QUESTIONS[q.question]} {agreeing_text(q)}"
        if q.shown:
            line += f"; {scale_text(q)}"
        lines.append(line + ".")
    return lines


def history_line(result: PulseResult) -> str:
    parts = [f"{SHORT[q.question].lower()}: {agreeing_text(q)}" for q in result.questions]
    return f"{result.period_label}: " + "; ".join(parts)
