"""Making Data Count's words for variation and assurance, held once. The thread, the
terminal, every report format, the charts' text and the JSON all say a reading through
these, so one indicator is never "fails consistently" in one place and "consistently
failing the target" in another.

The phrases are the ones NHS England's Making Data Count icons are described by
("special cause variation of an improving nature where the measure is significantly
higher"; "the system is expected to consistently fail the target"), in the short forms the
icons' letters stand for where space is tight."""

from __future__ import annotations

VARIATION = {
    "common_cause": "common cause variation",
    "special_cause_improvement": "special cause variation of an improving nature",
    "special_cause_concern": "special cause variation of a concerning nature",
    "special_cause_neutral": "special cause variation of a neutral nature",
}
SHORT_VARIATION = {
    "common_cause": "common cause",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral": "neutral",
}
ASSURANCE = {
    "consistent_pass": "consistently passes the target",
    "consistent_fail": "consistently fails the target",
    "inconsistent": "hit and miss: may pass or fail the target by chance",
}
SHORT_ASSURANCE = {
    "consistent_pass": "consistently passes",
    "consistent_fail": "consistently fails",
    "inconsistent": "hit and miss",
}
LETTER = {"consistent_pass": "P", "consistent_fail": "F", "inconsistent": "?"}

# Why an indicator with no assurance has none: one reason, said one way everywhere.
NO_TARGET = "no_target"
NO_DIRECTION = "neutral"
NO_SPC = "no_spc"
STALE_LIMITS = "stale_limits"
NO_ASSURANCE = {
    NO_TARGET: "no target to assure against",
    NO_DIRECTION: "no assurance: neither higher nor lower is better",
    NO_SPC: "no assurance without SPC",
    STALE_LIMITS: "no assurance: the limits predate a sustained change",
}


def variation_phrase(variation: str | None, side: str | None, why_not: str | None = None) -> str:
    """A variation in Making Data Count's words, or why there is none ("no SPC: ...")."""
    if variation is None:
        return f"no SPC: {why_not}" if why_not else "no SPC"
    words = VARIATION[variation]
    if side and variation != "common_cause":
        return (
            f"{words} where the measure is significantly {'higher' if side == 'high' else 'lower'}"
        )
    return words


def variation_short(variation: str | None, side: str | None) -> str:
    """A variation in a word or two, for a line of a thread: "improvement (high)"."""
    if variation is None:
        return "no SPC"
    words = SHORT_VARIATION[variation]
    return f"{words} ({side})" if side and variation != "common_cause" else words


def assurance_phrase(assurance: str | None, why_not: str | None = None) -> str:
    """An assurance in Making Data Count's words, or why there is none."""
    if assurance is not None:
        return ASSURANCE[assurance]
    return NO_ASSURANCE.get(why_not or NO_TARGET, NO_ASSURANCE[NO_TARGET])


def assurance_short(assurance: str) -> str:
    """The icon's letter and its words: "F consistently fails"."""
    return f"{LETTER[assurance]} {SHORT_ASSURANCE[assurance]}"
