"""The report's evidence in plain words, the same in every format: Markdown, HTML and CSV
add only their own markup around these lines."""

from __future__ import annotations

from datetime import date

from bot.base.wording import (
    WITHHELD_NOTE,
    base_text,
    category_line,
    complaint_lines,
    context_text,
    format_value,
    latest_text,
    limits_text,
    plural,
    rank_text,
    safe_url,
    target_text,
    title_text,
    value_text,
    view_counts,
)
from bot.shared.icons import assurance_words, variation_words
from reviews.evidence.model import (
    WITHHELD,
    CategoryCount,
    ComplaintSummary,
    IndicatorEvidence,
    Placement,
    SurveyFinding,
    ViewSummary,
    period_words,
)
from reviews.evidence.vocabulary import SHORT_ASSURANCE, variation_phrase, variation_short
from reviews.history import OutcomeStory
from reviews.record import NeedRecord
from reviews.then import IndicatorThen

NOT_JUDGED = "not judged"


def long_date(day: date) -> str:
    """1 July 2026."""
    return f"{day.day} {day:%B %Y}"


def indicator_text(e: IndicatorEvidence) -> str:
    """Everything said about an indicator's figures, after its code and title."""
    parts = [latest_text(e)]
    target = target_text(e)  # None when there is no target
    if target is not None:
        parts.append(target)
    parts += context_text(e)
    parts.append(e.reading)
    limits = limits_text(e)
    if limits:
        parts.append(limits)
    return "; ".join(parts)


def indicator_name(e: IndicatorEvidence) -> str:
    return f"{e.code} {title_text(e)}"


def place_name(p: Placement, e: IndicatorEvidence | None) -> str:
    """Which indicator a place among peers is for: its code and title where the team has
    figures of it, else its code."""
    return indicator_name(e) if e is not None else p.code


def latest_period(e: IndicatorEvidence) -> str:
    return period_words(e.frequency, e.latest.period_end)


def age_text(e: IndicatorEvidence) -> str:
    """How old the latest figure is, and whether a newer one is overdue: "61 days old",
    "67 days old, late"."""
    return f"{plural(e.age_days, 'day')} old" + (", late" if e.out_of_date else "")


def latest_cell(e: IndicatorEvidence) -> str:
    """The latest figure with the period it describes and its age, for a table."""
    base = base_text(e)
    return f"{value_text(e, e.latest.value)} ({latest_period(e)}, {age_text(e)}" + (
        f"; {base})" if base else ")"
    )


TARGET_STATUS = {
    "met": "met",
    "missed": "missed",
    "within_margin": "within the margin of error",
    "small_base": "no verdict: too few people",
}


def target_cell(e: IndicatorEvidence) -> str:
    """The target, and what the latest figure says of it as far as its uncertainty allows."""
    if e.target is None:
        return "none"
    status = TARGET_STATUS.get(e.target_status or "")
    return value_text(e, e.target) + (f" ({status})" if status else "")


def peers_cell(e: IndicatorEvidence) -> str:
    return rank_text(e.placement) if e.placement else ""


def variation_alt(e: IndicatorEvidence) -> str:
    """The variation icon in words, with why there is no reading where there is none."""
    return variation_phrase(e.variation, e.variation_side, e.spc_note)


def assurance_alt(e: IndicatorEvidence) -> str:
    """The assurance icon in words, or why there is none: one reason, said one way."""
    return assurance_words(e.assurance, e.assurance_why_not)


def variation_label(e: IndicatorEvidence) -> str:
    """The variation in a word or two, written beside its icon in a table (so that the icon
    is never the only way it is said): "improvement (high)", "common cause", "no SPC: too
    few points: 8 of 12"."""
    if e.variation is None:
        return variation_alt(e)
    return variation_short(e.variation, e.variation_side)


def assurance_label(e: IndicatorEvidence) -> str:
    """The assurance in a word or two, beside its icon: "consistently passes", "hit and
    miss", or why there is none ("no target to assure against")."""
    if e.assurance is None:
        return assurance_alt(e)
    return SHORT_ASSURANCE[e.assurance]


def survey_text(s: SurveyFinding) -> str:
    """A survey finding with its 95% interval, and a change only where the intervals say so."""
    where = f"{s.survey} {s.wave}"
    if s.percent is None:
        return (
            f"{s.question}: {where}, base {s.base}; the percentage is withheld (fewer than 5 "
            "answered one way)"
        )
    line = (
        f"{s.question}: {s.percent:.0f}% positive, {where} (95% interval "
        f"{s.ci_low:.0f}-{s.ci_high:.0f}%, base {s.base})"
    )
    if s.change:
        line += f"; {s.change} since {s.previous_wave or 'the wave before'}"
    if s.small_base:
        line += " (a small base: read with care)"
    return line


CATEGORY_HEADINGS = [
    "Category",
    "Received",
    "The quarter before",
    "The same quarter last year",
    "Open at the end",
]


def complaints_caption(title: str, c: ComplaintSummary) -> str:
    """The caption of a complaints table, under the heading `title`."""
    return (
        f"{title}, by category: received in {c.period.label}, the quarter before and the same "
        "quarter last year, and open at its end"
    )


SUMMARY_CAPTION = (
    "Key indicators and those linked to an outcome: the latest figure, the target, Making "
    "Data Count's variation and assurance, and the place among peers"
)


def key_indicators_caption(team: str) -> str:
    return (
        f"{team}: key indicators, with the latest figure, the target, Making Data Count's "
        "variation and assurance, and the place among peers"
    )


def category_cells(k: CategoryCount) -> list[str]:
    """One category's row of the complaints table, as a report's table shows it."""
    counts = (k.count, k.previous_quarter, k.same_quarter_last_year, k.open_at_period_end)
    return [k.category, *(str(n) for n in counts)]


def complaint_text(c: ComplaintSummary, table: bool = False) -> list[str]:
    """The quarter's complaints: totals, upheld share, time to close, then every category
    with each of its counts (unless a table beside the lines shows them); a count kept back
    by secondary suppression reads "withheld", and a line says why."""
    lines = complaint_lines(c)
    if c.categories and not table:
        lines.append("by category: " + "; ".join(category_line(k) for k in c.categories))
    if withholds(c):
        lines.append(WITHHELD_NOTE)
    return lines


def withholds(c: ComplaintSummary) -> bool:
    """Whether any count of the summary is kept back by secondary suppression."""
    counts = [c.received, c.previous_quarter, c.same_quarter_last_year, c.open_at_period_end]
    counts += [
        n
        for k in c.categories
        for n in (k.count, k.previous_quarter, k.same_quarter_last_year, k.open_at_period_end)
    ]
    return WITHHELD in counts


def views_heading(themes: list[str], v: ViewSummary) -> str:
    about = f" on {', '.join(themes)}" if themes else ""
    return f"User views{about}: {view_counts(v)}"


def sentence(words: str) -> str:
    """Words with a capital first letter, leaving "SPC" and the like as they are."""
    return words[:1].upper() + words[1:]


def rating_text(rating: str | None) -> str:
    return (rating or NOT_JUDGED).capitalize()


def serves_text(numbers: list[int], key: bool) -> str:
    """Why an indicator is in the summary: a key indicator, and the outcomes it bears on."""
    parts = ["key indicator"] if key else []
    if numbers:
        word = "outcome" if len(numbers) == 1 else "outcomes"
        parts.append(f"{word} {', '.join(map(str, numbers))}")
    return "; ".join(parts)


def answer_words(status: str) -> str:
    """What leads a settled need's answer: what was found, or why it was let go."""
    return "Dropped, because:" if status == "dropped" else "We found:"


def answer_places(need: NeedRecord) -> list[tuple[str, str]]:
    """Where a need's finding is: ("link", url), ("file", url), each safe to write out."""
    places = (("link", need.answer_link), ("file", need.answer_file))
    return [(name, safe_url(url)) for name, url in places if url]


def then_text(i: IndicatorThen) -> str:
    """A linked indicator as it read when the outcome was judged: "ASCOF 2B(1) 84.4%
    (Sep 2026): special cause improvement (high)"."""
    shown = format_value(i.value, i.unit, i.decimals, i.unit_words)
    reading = variation_words(i.variation, i.variation_side)
    if i.variation is None and i.spc_note:
        reading = f"no SPC ({i.spc_note})"
    return f"{i.code} {shown} ({period_words(i.frequency, i.period_end)}): {reading}"


def since_lines(story: OutcomeStory) -> list[str]:
    """An outcome carried over: how it was judged before, with its linked indicators then,
    and what its needs found."""
    lines = []
    for q in story.quarters:
        line = f"{q.period_label}: {rating_text(q.rating)}" + (
            f". {q.rationale}" if q.rationale else ""
        )
        if q.indicators:
            line += ". Indicators then: " + "; ".join(map(then_text, q.indicators))
        lines.append(line)
    for need in story.needs:
        asked = f"We asked ({need.raised_in}): {need.text}"
        if need.status == "open":
            lines.append(f"{asked}. Still open.")
        else:
            lines.append(
                f"{asked}. {answer_words(need.status)} {need.answer or 'nothing recorded'}"
            )
    return lines
