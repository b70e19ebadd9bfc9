"""The evidence as the JSON object of the contract (`qpr evidence --format json`).

Field names and flag words are fixed: other tools read them. Fields may be added, never
renamed. Dates are ISO strings, percentages 0 to 100, and counts below 5 are the string
"fewer than 5".
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from reviews.evidence.model import (
    Change,
    ComplaintSummary,
    Evidence,
    Figure,
    IndicatorEvidence,
    OutcomeEvidence,
    Placement,
    ViewSummary,
    difference_unit,
)
from reviews.evidence.vocabulary import assurance_phrase, variation_phrase
from storage.periods import Period


def _period(period: Period) -> dict[str, str]:
    return {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()}


def _value(e: IndicatorEvidence, value: float | None) -> float | str | None:
    """A figure at its indicator's precision, or "fewer than 5"."""
    shown = e.shown(value)
    return shown if isinstance(shown, str) else e.rounded(shown)


def _point(e: IndicatorEvidence, figure: Figure) -> dict[str, Any]:
    return {"value": _value(e, figure.value), "period_end": figure.period_end.isoformat()}


def _change(e: IndicatorEvidence, change: Change | None) -> dict[str, Any] | None:
    if change is None:
        return None
    # A difference between two figures would give away a suppressed one.
    hidden = (
        e.shown(change.against.value) != change.against.value
        or e.shown(e.latest.value) != e.latest.value
    )
    difference = None if hidden else e.rounded(change.difference)
    return {**_point(e, change.against), "difference": difference}


def _indicator(e: IndicatorEvidence) -> dict[str, Any]:
    spc = None
    if e.spc is not None:
        spc = {
            # Two more places than the figures, so a reader can check every signal.
            "centre": e.limit(e.spc.centre, 2),
            "lower": e.limit(e.spc.lower, 2),
            "upper": e.limit(e.spc.upper, 2),
            "recalculated_from": e.spc.recalculated_from.isoformat()
            if e.spc.recalculated_from
            else None,
            "points": [
                {
                    "period_end": p.period_end.isoformat(),
                    "value": _value(e, p.value),
                    "flag": p.flag,
                    "centre": e.limit(p.centre, 2),
                    "lower": e.limit(p.lower, 2),
                    "upper": e.limit(p.upper, 2),
                    "rules": list(p.rules),
                    "side": p.side,
                }
                for p in e.spc.points
            ],
        }
    return {
        "code": e.code,
        "title": e.title,
        "unit": e.unit,
        "polarity": e.polarity,
        "key": e.key,
        "target": e.target,
        "decimals": e.decimals,
        "unit_words": e.unit_words,
        # Differences (to the quarter before, a year before, the peers' average) are in
        # percentage points for a percentage, else in the figures' own unit.
        "difference_unit": difference_unit(e.unit, e.unit_words),
        "meets_target": e.meets_target,
        "target_status": e.target_status,
        "base": e.base,
        "interval": e.shown_interval,
        "latest": {**_point(e, e.latest), "age_days": e.age_days},
        "previous_quarter": _change(e, e.previous_quarter),
        "year_before": _change(e, e.year_before),
        "basis": e.basis,
        "frequency": e.frequency,
        "series": [_point(e, f) for f in e.series],
        "spc": spc,
        "variation": e.variation,
        "variation_side": e.variation_side,
        "assurance": e.assurance,
        # Why there is none, one reason said one way (vocabulary.NO_ASSURANCE), and where
        # a sustained change the limits predate began.
        "assurance_why_not": e.assurance_why_not,
        "assurance_words": assurance_phrase(e.assurance, e.assurance_why_not),
        "variation_words": variation_phrase(e.variation, e.variation_side, e.spc_note),
        "change_from": _plain(e.change_from),
        "recalculation_reason": e.recalculation_reason,
        "no_spc_reason": e.no_spc_reason,
        "spc_note": e.spc_note,
        "reading": e.reading,
        "freshness": {
            "status": e.freshness.status,
            "next_expected": _plain(e.freshness.next_expected),
            "next_period_end": _plain(e.freshness.next_period_end),
            "lag_days": e.freshness.lag_days,
        },
        "out_of_date": e.out_of_date,
        "missing_periods": [d.isoformat() for d in e.missing_periods],
        "caveats": e.caveats,
        "source": e.source,
        "notes": e.notes,
    }


def _placement(p: Placement) -> dict[str, Any]:
    raw = asdict(p)
    found = _plain(raw)
    for name in ("team_value", "peer_average", "gap_to_average", "england"):
        if raw[name] is not None:
            found[name] = round(raw[name], 3 if p.decimals is None else p.decimals)
    return found


def _plain(value: Any) -> Any:
    """Dates as ISO strings, periods by their dates, shares to one decimal place."""
    if isinstance(value, float):
        return round(value, 1)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Period):
        return _period(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _complaints(c: ComplaintSummary) -> dict[str, Any]:
    found = {**_plain(asdict(c)), "period": c.period.label}
    # Every category now, under the name the contract first gave the list.
    found["top_categories"] = found["categories"]
    return found


def _views(v: ViewSummary) -> dict[str, Any]:
    found = {**_plain(asdict(v)), "period": v.period.label}
    # A quote's month, never a day.
    for quote, shown in zip(v.quotes, found["quotes"], strict=True):
        shown["month"] = f"{quote.month:%Y-%m}"
    return found


def _outcome(o: OutcomeEvidence) -> dict[str, Any]:
    found = {**_plain(asdict(o)), "evidence_gap": o.is_gap}
    # Periods by their label, as at the top level.
    if o.complaints is not None:
        found["complaints"] = _complaints(o.complaints)
    if o.views is not None:
        found["views"] = _views(o.views)
    return found


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "team": evidence.team,
        "period": evidence.period.label,
        "period_start": evidence.period.start.isoformat(),
        "period_end": evidence.period.end.isoformat(),
        "as_of": evidence.as_of.isoformat(),
        "indicators": [_indicator(e) for e in evidence.indicators],
        "surveys": [_plain(asdict(s)) for s in evidence.surveys],
        "complaints": _complaints(evidence.complaints),
        "views": _views(evidence.views),
        "comparators": [_placement(p) for p in evidence.comparators],
        "outcomes": [_outcome(o) for o in evidence.outcomes],
    }
