"""Write the synthetic sample data for the QPR bot.

Every team, figure, complaint, survey answer and comment made here is synthetic: drawn from a
seeded random generator, not taken from any council. (The one exception is
examples/comparators.csv, which copies a few real published ASCOF 3A values; see
EXAMPLE_COMPARATORS.) The data covers three fictional teams, "Older People's Services" and
"Adults with Learning Disabilities" (adult social care) and "Children in Need" (children's
social care), from April 2023 to September 2026, in the import formats of SPEC.md:

    indicators.csv   indicator definitions (ASCOF, Oflog, Skills for Care, CIN and local PIs)
    values.csv       monthly values, and annual ones for the survey-based ASCOF measures
    complaints.csv   complaints received, with category, outcome and closing date
    survey.csv       response counts for two waves of a user survey per team
    views.csv        compliments, comments and suggestions, anonymous and short
    examples/        a handful of rows of each kind (plus comparators.csv) for the README

Patterns built in on purpose, so the evidence summary has something to find:

    step change     ASCOF 2B(1), Older People's Services: about 8 points up from October 2024,
                    when a new reablement service started
    steady trend    CIN CASELOAD, Children in Need: creeps down from about 21.5 to about 17
    missing month   ASCOF 2D, both adult teams: no row at all for February 2025
    late quarter    LOCAL REVIEW12, Adults with Learning Disabilities: ends June 2026, so
                    July to September 2026 has not arrived yet
    outlier         LOCAL WAITDAYS, Older People's Services: January 2025 (about 64 days)
    moving survey   the finding-information question, Older People's Services, 2024/25 to 2025/26
    small base      the have-your-say question in the Children and Families Survey (base < 30)
    seasonal rise   complaints to Older People's Services go up from December to February
    growing issue   complaints about delays rise through 2026 in both adult teams

The output is byte-identical on any machine: one seeded generator, only its integer and
random() draws (normal noise is a sum of uniforms, so no platform libm is involved), fixed
number formats and "\\n" line endings.

Usage: python sample_data/generate.py [OUTPUT_DIR]   (default: the folder of this script)
"""

from __future__ import annotations

import csv
import datetime
import math
import random
import sys
from pathlib import Path

SEED = 20261126
FIRST_MONTH = datetime.date(2023, 4, 30)
LAST_MONTH = datetime.date(2026, 9, 30)
EXTRACT_DATE = LAST_MONTH

OP = "Older People's Services"
LD = "Adults with Learning Disabilities"
CIN = "Children in Need"
TEAMS = (OP, LD, CIN)

STEP_START = datetime.date(2024, 10, 1)
MISSING_MONTH = datetime.date(2025, 2, 28)
LATE_LAST_MONTH = datetime.date(2026, 6, 30)
OUTLIER_MONTH = datetime.date(2025, 1, 31)

INDICATOR_HEADER = [
    "code",
    "title",
    "unit",
    "polarity",
    "target",
    "tags",
    "key",
    "source",
    "caveats",
    "description",
    "basis",
    "frequency",
    "lag_days",
    "unit_label",
]
VALUE_HEADER = ["team", "indicator", "period_end", "value", "numerator", "denominator"]
COMPLAINT_HEADER = ["team", "received", "category", "outcome", "closed"]
SURVEY_HEADER = ["team", "survey", "wave", "question", "response", "count", "positive"]
VIEW_HEADER = ["team", "received", "kind", "theme", "text"]
COMPARATOR_HEADER = ["indicator", "area_code", "area_name", "period", "value"]

ASCOF = "NHS England, ASCOF"
ASCS = "NHS England, ASCOF (Adult Social Care Survey)"
SACE = "NHS England, ASCOF (Survey of Adult Carers in England)"
LOCAL = "Local case management system"
SURVEY_CAVEAT = "Annual survey; small sample"
CARERS_CAVEAT = "Carers survey; small sample; the national survey is every two years"

# code, title, unit, polarity, target, tags, key, source, caveats, description
INDICATORS = [
    (
        "ASCOF 1A",
        "Social care-related quality of life",
        "score",
        "higher",
        "",
        "wellbeing;outcomes;survey",
        "no",
        ASCS,
        SURVEY_CAVEAT,
        "Average quality of life score (0 to 24) of people who use services, over eight domains "
        "such as control, safety and social contact.",
    ),
    (
        "ASCOF 1B",
        "Proportion of people who use services who have control over their daily life",
        "percent",
        "higher",
        "",
        "control;independence;survey",
        "no",
        ASCS,
        SURVEY_CAVEAT,
        "Share of survey respondents who have as much control, or adequate control, over their "
        "daily life as they want.",
    ),
    (
        "ASCOF 1D",
        "Carer-reported quality of life",
        "score",
        "higher",
        "",
        "carers;wellbeing;survey",
        "no",
        SACE,
        CARERS_CAVEAT,
        "Average quality of life score (0 to 12) reported by unpaid carers.",
    ),
    (
        "ASCOF 1J",
        "Adjusted social care-related quality of life: impact of adult social care services",
        "score",
        "higher",
        "",
        "wellbeing;outcomes;survey",
        "no",
        ASCS,
        "Annual survey; small sample; modelled, so not directly comparable with ASCOF 1A",
        "Estimated gain in quality of life that people attribute to their care and support.",
    ),
    (
        "ASCOF 2A(2)",
        "Permanent admissions to residential and nursing care homes, aged 65 and "
        "over, per 100,000 population",
        "rate",
        "lower",
        "560",
        "independence;home;residential",
        "no",
        "NHS England, ASCOF; local client records",
        "Rolling 12 months; denominator is the ONS mid-year population aged 65 and over",
        "Older people whose long-term support needs were met by a permanent move into a care "
        "home in the last 12 months, per 100,000 people aged 65 and over.",
    ),
    (
        "ASCOF 2B(1)",
        "Older people (65 and over) still at home 91 days after discharge from "
        "hospital into reablement",
        "percent",
        "higher",
        "82",
        "independence;home;reablement",
        "yes",
        "NHS England, ASCOF; local client records",
        "Month shown is the month of discharge; the result is known 91 days later",
        "Share of people aged 65 and over discharged from hospital into reablement who were "
        "living at home 91 days later.",
    ),
    (
        "ASCOF 2D",
        "Outcome of short-term services: sequel to service",
        "percent",
        "higher",
        "",
        "reablement;independence;home",
        "no",
        ASCOF,
        "",
        "Share of completed short-term support episodes followed by no ongoing support or by "
        "support of a lower level.",
    ),
    (
        "ASCOF 3A",
        "Overall satisfaction of people who use services with their care and support",
        "percent",
        "higher",
        "65",
        "satisfaction;experience;survey",
        "yes",
        ASCS,
        "Annual survey; small sample; counts only 'extremely' and 'very' satisfied",
        "Share of survey respondents who are extremely or very satisfied with their care and "
        "support.",
    ),
    (
        "ASCOF 3D(1)",
        "People who use services who find it easy to find information about support",
        "percent",
        "higher",
        "",
        "information;experience;survey",
        "no",
        ASCS,
        "Annual survey; small sample; excludes people who never looked for information",
        "Share of survey respondents who found it very or fairly easy to find information and "
        "advice about support, services or benefits.",
    ),
    (
        "ASCOF 3D(2)",
        "Carers who find it easy to find information about support",
        "percent",
        "higher",
        "",
        "carers;information;survey",
        "no",
        SACE,
        CARERS_CAVEAT,
        "Share of unpaid carers who found it very or fairly easy to find information and advice "
        "about support.",
    ),
    (
        "OFLOG ASC6",
        "Requests for adult social care support resulting in a service, per 100,000 adults",
        "rate",
        "neutral",
        "",
        "demand;access",
        "no",
        "Office for Local Government (Oflog)",
        "Definition changed in 2022-23; rolling 12 months; neither high nor low is better in "
        "itself",
        "Requests for support from new clients in the last 12 months that led to a service, per "
        "100,000 people aged 18 and over.",
    ),
    (
        "SFC TURNOVER",
        "Social care workforce turnover rate",
        "percent",
        "lower",
        "",
        "workforce;staffing",
        "no",
        "Skills for Care, Adult Social Care Workforce Data Set",
        "Rolling 12 months; directly employed staff only",
        "Leavers in the last 12 months as a share of the average number of directly employed "
        "staff.",
    ),
    (
        "LOCAL ASSESS28",
        "Adult social care assessments completed within 28 days",
        "percent",
        "higher",
        "80",
        "assessment;timeliness;waiting",
        "yes",
        LOCAL,
        "",
        "Share of needs assessments completed in the month that were finished within 28 days of "
        "the request.",
    ),
    (
        "LOCAL REVIEW12",
        "People receiving long-term support reviewed in the last 12 months",
        "percent",
        "higher",
        "75",
        "reviews;safety;timeliness",
        "no",
        LOCAL,
        "Snapshot at the end of the month",
        "Share of people receiving long-term support at the month end whose care and support was "
        "reviewed in the previous 12 months.",
    ),
    (
        "CIN ASSESS45",
        "Children in need assessments completed within 45 working days",
        "percent",
        "higher",
        "85",
        "assessment;timeliness;children",
        "yes",
        LOCAL,
        "Follows the DfE children in need census definition",
        "Share of children's social care assessments completed in the month within 45 working "
        "days of the referral.",
    ),
    (
        "CIN REREF12",
        "Re-referrals to children's social care within 12 months",
        "percent",
        "lower",
        "22",
        "outcomes;children;stability",
        "no",
        LOCAL,
        "Follows the DfE children in need census definition",
        "Share of referrals in the month about a child referred before in the previous 12 months.",
    ),
    (
        "CIN VISITS",
        "Child protection visits within timescale",
        "percent",
        "higher",
        "90",
        "safeguarding;children;timeliness",
        "no",
        LOCAL,
        "Local timescale: at least every 10 working days",
        "Share of visits due in the month to children on a child protection plan that took place "
        "on time.",
    ),
    (
        "CIN CASELOAD",
        "Average social worker caseload",
        "count",
        "lower",
        "18",
        "workforce;caseload;children",
        "yes",
        "Local workforce and case management systems",
        "Cases per full-time equivalent social worker holding cases, at the month end",
        "Average number of children's cases held by each case-holding social worker.",
    ),
    (
        "LOCAL WAITDAYS",
        "Average days waiting for an occupational therapy assessment",
        "days",
        "lower",
        "28",
        "waiting;timeliness;home",
        "yes",
        LOCAL,
        "People assessed in the month only; people still waiting are not counted",
        "Average number of days from request to occupational therapy assessment for people "
        "assessed in the month.",
    ),
]

ADULT_MONTHLY = (
    "ASCOF 2A(2)",
    "ASCOF 2B(1)",
    "ASCOF 2D",
    "OFLOG ASC6",
    "SFC TURNOVER",
    "LOCAL ASSESS28",
    "LOCAL REVIEW12",
    "LOCAL WAITDAYS",
)
ADULT_ANNUAL = (
    "ASCOF 1A",
    "ASCOF 1B",
    "ASCOF 1D",
    "ASCOF 1J",
    "ASCOF 3A",
    "ASCOF 3D(1)",
    "ASCOF 3D(2)",
)
CIN_MONTHLY = ("CIN ASSESS45", "CIN REREF12", "CIN VISITS", "CIN CASELOAD")
SURVEY_YEAR_ENDS = tuple(datetime.date(year, 3, 31) for year in range(2023, 2027))
WAVES = ("2024/25", "2025/26")


# --- random helpers --------------------------------------------------------------------


def normal(rng: random.Random) -> float:
    """Approximately standard normal, from plain arithmetic on random() draws."""
    return sum(rng.random() for _ in range(12)) - 6.0


def binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p)


def poisson_like(rng: random.Random, mean: float) -> int:
    trials = max(20, math.ceil(mean * 10))
    return binomial(rng, trials, mean / trials)


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    draw = rng.random() * sum(weights.values())
    for key, weight in weights.items():
        draw -= weight
        if draw < 0:
            return key
    return key


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


# --- dates and formats -----------------------------------------------------------------


def month_end(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    ends, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        ends.append(month_end(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends


MONTHS = month_ends(FIRST_MONTH, LAST_MONTH)


def random_weekday(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    days = [
        first + datetime.timedelta(days=offset)
        for offset in range((last - first).days + 1)
        if (first + datetime.timedelta(days=offset)).weekday() < 5
    ]
    return rng.choice(days)


def fmt(value: float, places: int = 1) -> str:
    return f"{value:.{places}f}"


def percent_row(team: str, code: str, day: datetime.date, num: int, den: int) -> list[str]:
    return [team, code, day.isoformat(), fmt(100 * num / den), str(num), str(den)]


def rate_row(team: str, code: str, day: datetime.date, num: int, population: int) -> list[str]:
    return [team, code, day.isoformat(), fmt(100_000 * num / population), str(num), str(population)]


def plain_row(team: str, code: str, day: datetime.date, value: float, places: int = 1):
    return [team, code, day.isoformat(), fmt(value, places), "", ""]


# --- values: one generator per kind of measure -------------------------------------------


def flow_percent(rng, team, code, mean_den, probability):
    """A percentage of things that happened in the month, each month independent."""
    rows = []
    for index, day in enumerate(MONTHS):
        den = max(3, round(mean_den + normal(rng) * math.sqrt(mean_den)))
        p = clamp(probability(index, day), 0.0, 1.0)
        rows.append(percent_row(team, code, day, binomial(rng, den, p), den))
    return rows


def snapshot_percent(rng, team, code, cohort, start_p, end_p):
    """A month-end snapshot of a rolling measure, so one month leans on the last."""
    rows, drift = [], 0.0
    for index, day in enumerate(MONTHS):
        drift = 0.6 * drift + 0.012 * normal(rng)
        p = start_p + (end_p - start_p) * index / (len(MONTHS) - 1) + drift
        den = cohort + round(12 * normal(rng)) + index
        rows.append(percent_row(team, code, day, binomial(rng, den, clamp(p, 0, 1)), den))
    return rows


def rolling_counts(rng, mean_per_month):
    """Monthly counts from 11 months before the first month, summed over 12-month windows."""
    counts = [poisson_like(rng, mean_per_month) for _ in range(len(MONTHS) + 11)]
    return [sum(counts[index : index + 12]) for index in range(len(MONTHS))]


def rolling_rate(rng, team, code, mean_per_month, population):
    totals = rolling_counts(rng, mean_per_month)
    return [
        rate_row(team, code, day, total, population)
        for day, total in zip(MONTHS, totals, strict=True)
    ]


def rolling_turnover(rng, team, code, headcount, leavers_per_month):
    totals = rolling_counts(rng, leavers_per_month)
    return [
        percent_row(team, code, day, total, headcount + round(3 * normal(rng)))
        for day, total in zip(MONTHS, totals, strict=True)
    ]


def average_days(rng, team, code, mean_days, spread):
    rows = []
    for day in MONTHS:
        winter = 4.0 if day.month in (12, 1, 2) else 0.0
        value = max(1.0, mean_days + winter + spread * normal(rng))
        # Outlier: a backlog after the case management system migration in January 2025.
        if team == OP and day == OUTLIER_MONTH:
            value = 64.0 + normal(rng)
        rows.append(plain_row(team, code, day, value))
    return rows


def caseload(rng, team, code):
    # Steady trend: caseloads creep down as newly recruited social workers take cases.
    start, end = 21.5, 17.0
    rows = []
    for index, day in enumerate(MONTHS):
        trend = start + (end - start) * index / (len(MONTHS) - 1)
        rows.append(plain_row(team, code, day, max(0.0, trend + 0.45 * normal(rng))))
    return rows


def reablement_probability(team):
    if team != OP:
        return lambda index, day: 0.78
    # Step change: the new reablement service started in October 2024.
    return lambda index, day: 0.845 if day >= STEP_START else 0.755


def adult_monthly_values(rng, team):
    older = team == OP
    population_65 = 54_300
    population_18 = 251_800
    return {
        "ASCOF 2A(2)": rolling_rate(
            rng, team, "ASCOF 2A(2)", 26.5 if older else 6.5, population_65
        ),
        "ASCOF 2B(1)": flow_percent(
            rng, team, "ASCOF 2B(1)", 48 if older else 14, reablement_probability(team)
        ),
        "ASCOF 2D": flow_percent(
            rng, team, "ASCOF 2D", 72 if older else 22, lambda index, day: 0.77 if older else 0.70
        ),
        "OFLOG ASC6": rolling_rate(rng, team, "OFLOG ASC6", 120 if older else 9, population_18),
        "SFC TURNOVER": rolling_turnover(
            rng, team, "SFC TURNOVER", 160 if older else 95, 3.2 if older else 1.9
        ),
        "LOCAL ASSESS28": flow_percent(
            rng,
            team,
            "LOCAL ASSESS28",
            115 if older else 34,
            lambda index, day: (0.735 + 0.0012 * index) if older else 0.71,
        ),
        "LOCAL REVIEW12": snapshot_percent(
            rng,
            team,
            "LOCAL REVIEW12",
            1450 if older else 620,
            0.66 if older else 0.80,
            0.72 if older else 0.78,
        ),
        "LOCAL WAITDAYS": average_days(
            rng, team, "LOCAL WAITDAYS", 33.0 if older else 41.0, 3.0 if older else 4.5
        ),
    }


def children_monthly_values(rng, team):
    return {
        "CIN ASSESS45": flow_percent(rng, team, "CIN ASSESS45", 95, lambda index, day: 0.83),
        "CIN REREF12": flow_percent(rng, team, "CIN REREF12", 160, lambda index, day: 0.21),
        "CIN VISITS": flow_percent(rng, team, "CIN VISITS", 75, lambda index, day: 0.885),
        "CIN CASELOAD": caseload(rng, team, "CIN CASELOAD"),
    }


def drop_gaps(team, code, rows):
    # Missing month: the February 2025 extract of short-term services failed and was never rerun.
    if code == "ASCOF 2D":
        rows = [row for row in rows if row[2] != MISSING_MONTH.isoformat()]
    # Late quarter: reviews for this team come from a separate system that lags a quarter.
    if team == LD and code == "LOCAL REVIEW12":
        rows = [row for row in rows if row[2] <= LATE_LAST_MONTH.isoformat()]
    return rows


# --- the surveys, which also feed the annual ASCOF values -------------------------------

ADULT_SURVEY = "Adult Social Care Survey"
CHILDREN_SURVEY = "Children and Families Survey"

SATISFACTION = (
    "Overall, how satisfied or dissatisfied are you with the care and support services you receive?"
)
CONTROL = (
    "Which of the following statements best describes how much control you have over "
    "your daily life?"
)
INFORMATION = (
    "In the past year, have you found it easy or difficult to find information and "
    "advice about support, services or benefits?"
)
NEVER_TRIED = "I've never tried to find information or advice"

# question -> list of (response, positive); `positive` follows the ASCOF definitions, so for
# satisfaction only "extremely" and "very" count, as in ASCOF 3A.
ADULT_QUESTIONS = {
    SATISFACTION: [
        ("I am extremely satisfied", True),
        ("I am very satisfied", True),
        ("I am quite satisfied", False),
        ("I am neither satisfied nor dissatisfied", False),
        ("I am quite dissatisfied", False),
        ("I am very dissatisfied", False),
        ("I am extremely dissatisfied", False),
    ],
    CONTROL: [
        ("I have as much control over my daily life as I want", True),
        ("I have adequate control over my daily life", True),
        ("I have some control over my daily life but not enough", False),
        ("I have no control over my daily life", False),
    ],
    INFORMATION: [
        ("Very easy to find", True),
        ("Fairly easy to find", True),
        ("Fairly difficult to find", False),
        ("Very difficult to find", False),
        (NEVER_TRIED, False),
    ],
    "Which of the following statements best describes how safe you feel?": [
        ("I feel as safe as I want", True),
        ("Generally I feel adequately safe, but not as safe as I would like", False),
        ("I feel less than adequately safe", False),
        ("I don't feel at all safe", False),
    ],
    "Thinking about how much contact you've had with people you like, which of the following "
    "statements best describes your social situation?": [
        ("I have as much social contact as I want with people I like", True),
        ("I have adequate social contact with people", False),
        ("I have some social contact with people, but not enough", False),
        ("I have little social contact with people and feel socially isolated", False),
    ],
    "Do care and support services help you in having control over your daily life?": [
        ("Yes", True),
        ("No", False),
    ],
}

YOUNG_PERSON = "If you are a young person: did you get to have your say in meetings about you?"

CHILDREN_QUESTIONS = {
    "Overall, how satisfied are you with the help your family got from children's social care?": [
        ("Very satisfied", True),
        ("Fairly satisfied", True),
        ("Neither satisfied nor dissatisfied", False),
        ("Fairly dissatisfied", False),
        ("Very dissatisfied", False),
    ],
    "Did your social worker listen to you?": [
        ("Always", True),
        ("Most of the time", True),
        ("Sometimes", False),
        ("Never", False),
    ],
    "Did you understand why children's social care was involved with your family?": [
        ("Yes, completely", True),
        ("Yes, to some extent", True),
        ("No", False),
    ],
    "Were you kept informed about what was happening?": [
        ("Always", True),
        ("Most of the time", True),
        ("Sometimes", False),
        ("Never", False),
    ],
    "Do you feel things are better for your family now?": [
        ("Yes, a lot better", True),
        ("Yes, a little better", True),
        ("No change", False),
        ("Worse", False),
    ],
    YOUNG_PERSON: [("Yes", True), ("Sometimes", False), ("No", False)],
}

# team -> response shares of each question, in question order, for the first wave (the second
# wave reuses them, with jitter, except where SURVEY_SHIFTS says otherwise).
SURVEY_SHARES = {
    OP: [
        [0.26, 0.34, 0.25, 0.07, 0.04, 0.02, 0.02],
        [0.34, 0.42, 0.19, 0.05],
        [0.19, 0.33, 0.20, 0.09, 0.19],
        [0.70, 0.22, 0.06, 0.02],
        [0.44, 0.30, 0.18, 0.08],
        [0.88, 0.12],
    ],
    LD: [
        [0.36, 0.34, 0.19, 0.06, 0.03, 0.01, 0.01],
        [0.38, 0.42, 0.16, 0.04],
        [0.21, 0.34, 0.18, 0.08, 0.19],
        [0.72, 0.21, 0.05, 0.02],
        [0.52, 0.27, 0.15, 0.06],
        [0.91, 0.09],
    ],
    CIN: [
        [0.30, 0.34, 0.16, 0.11, 0.09],
        [0.42, 0.30, 0.20, 0.08],
        [0.55, 0.33, 0.12],
        [0.33, 0.31, 0.25, 0.11],
        [0.28, 0.36, 0.28, 0.08],
        [0.55, 0.27, 0.18],
    ],
}

# Moving survey question: after the new information and advice service, finding information
# got clearly easier for Older People's Services between the two waves.
SURVEY_SHIFTS = {(OP, INFORMATION): [0.27, 0.39, 0.13, 0.05, 0.16]}

SURVEY_BASES = {OP: 214, LD: 88, CIN: 64}


def jittered(rng, shares, amount=0.04):
    raw = [share * (1 + amount * (2 * rng.random() - 1)) for share in shares]
    total = sum(raw)
    return [share / total for share in raw]


def allocate(base, shares):
    """Split base into whole counts in proportion to shares (largest remainder)."""
    exact = [base * share for share in shares]
    counts = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - exact[i], i))
    for index in by_remainder[: base - sum(counts)]:
        counts[index] += 1
    return counts


def question_base(rng, team, question):
    # Small base: few young people fill in the family survey themselves.
    if question == YOUNG_PERSON:
        return 18 + rng.randrange(8)
    return SURVEY_BASES[team] - rng.randrange(max(2, SURVEY_BASES[team] // 12))


def survey_counts(rng, team):
    """{(wave, question): [(response, count, positive), ...]} for one team."""
    questions = CHILDREN_QUESTIONS if team == CIN else ADULT_QUESTIONS
    results = {}
    for wave_index, wave in enumerate(WAVES):
        for position, (question, options) in enumerate(questions.items()):
            shares = SURVEY_SHARES[team][position]
            if wave_index == 1:
                shares = SURVEY_SHIFTS.get((team, question), shares)
            counts = allocate(question_base(rng, team, question), jittered(rng, shares))
            results[wave, question] = [
                (response, count, positive)
                for (response, positive), count in zip(options, counts, strict=True)
            ]
    return results


def survey_rows(team, counts):
    name = CHILDREN_SURVEY if team == CIN else ADULT_SURVEY
    return [
        [team, name, wave, question, response, str(count), "yes" if positive else "no"]
        for (wave, question), answers in counts.items()
        for response, count, positive in answers
    ]


def ascof_from_survey(answers, excluded=()):
    counted = [
        (count, positive) for response, count, positive in answers if response not in excluded
    ]
    return sum(count for count, positive in counted if positive), sum(c for c, _ in counted)


def annual_values(rng, team, counts):
    """Annual survey-based ASCOF values; the last two years agree with survey.csv."""
    older = team == OP
    from_survey = {
        "ASCOF 1B": (CONTROL, ()),
        "ASCOF 3A": (SATISFACTION, ()),
        "ASCOF 3D(1)": (INFORMATION, (NEVER_TRIED,)),
    }
    earlier = {
        "ASCOF 1B": (0.76, 0.80),
        "ASCOF 3A": (0.60, 0.70),
        "ASCOF 3D(1)": (0.63, 0.66),
        "ASCOF 3D(2)": (0.57, 0.61),
    }
    scores = {
        "ASCOF 1A": ((18.7, 19.5), 0.25, 1),
        "ASCOF 1D": ((7.2, 7.6), 0.2, 1),
        "ASCOF 1J": ((0.392, 0.428), 0.008, 3),
    }
    rows = {code: [] for code in ADULT_ANNUAL}
    for year_end in SURVEY_YEAR_ENDS:
        wave = f"{year_end.year - 1}/{year_end.year % 100:02d}"
        for code in ADULT_ANNUAL:
            if code in scores:
                means, spread, places = scores[code]
                value = means[0 if older else 1] + spread * normal(rng)
                rows[code].append(plain_row(team, code, year_end, value, places))
            elif code in from_survey and wave in WAVES:
                question, excluded = from_survey[code]
                num, den = ascof_from_survey(counts[wave, question], excluded)
                rows[code].append(percent_row(team, code, year_end, num, den))
            else:
                base = (190 if older else 80) if code != "ASCOF 3D(2)" else (140 if older else 60)
                den = base + rng.randrange(20)
                p = earlier[code][0 if older else 1]
                rows[code].append(percent_row(team, code, year_end, binomial(rng, den, p), den))
    return rows


# --- complaints ---------------------------------------------------------------------------

CATEGORY_WEIGHTS = {
    OP: {
        "communication": 22,
        "care quality": 24,
        "delays": 16,
        "charging": 14,
        "staff attitude": 10,
        "safeguarding process": 4,
        "assessment decision": 10,
    },
    LD: {
        "communication": 24,
        "care quality": 20,
        "delays": 14,
        "charging": 10,
        "staff attitude": 10,
        "safeguarding process": 6,
        "assessment decision": 16,
    },
    CIN: {
        "communication": 30,
        "delays": 14,
        "staff attitude": 22,
        "safeguarding process": 16,
        "assessment decision": 18,
    },
}
COMPLAINTS_PER_MONTH = {OP: 4.8, LD: 1.8, CIN: 2.2}
# Growing issue: extra complaints about delays each month of 2026, as waiting lists lengthen.
EXTRA_DELAYS_2026 = {OP: 2.0, LD: 0.6, CIN: 0.0}
OUTCOME_WEIGHTS = {"upheld": 22, "partly upheld": 28, "not upheld": 42, "withdrawn": 8}


def complaints_in_month(rng, team, day):
    rate = COMPLAINTS_PER_MONTH[team]
    # Seasonal rise: winter pressures on home care and hospital discharge.
    if team == OP and day.month in (12, 1, 2):
        rate *= 1.45
    categories = [pick(rng, CATEGORY_WEIGHTS[team]) for _ in range(poisson_like(rng, rate))]
    if day.year == 2026:
        categories += ["delays"] * poisson_like(rng, EXTRA_DELAYS_2026[team])
    return categories


def days_to_close(rng):
    if rng.random() < 0.04:
        return 61 + rng.randrange(60)
    return 5 + round(55 * rng.random() ** 1.6)


def complaint_row(rng, team, day, category):
    received = random_weekday(rng, day.replace(day=1), day)
    closed = received + datetime.timedelta(days=days_to_close(rng))
    # A few complex complaints received this year stay open past their usual time.
    if closed > EXTRACT_DATE or (received.year == 2026 and rng.random() < 0.08):
        return [team, received.isoformat(), category, "open", ""]
    return [team, received.isoformat(), category, pick(rng, OUTCOME_WEIGHTS), closed.isoformat()]


def complaint_rows(rng):
    rows = []
    for team in TEAMS:
        team_rows = [
            complaint_row(rng, team, day, category)
            for day in MONTHS
            for category in complaints_in_month(rng, team, day)
        ]
        rows += sorted(team_rows, key=lambda row: row[1])
    return rows


# --- user views ---------------------------------------------------------------------------

NEW_REABLEMENT = STEP_START
THIS_YEAR = datetime.date(2026, 1, 12)

# team -> (kind, theme, text, earliest date or None)
VIEW_TEXTS = {
    OP: [
        (
            "compliment",
            "reablement",
            "The reablement team got my mother back on her feet after "
            "her fall. She is making her own breakfast again and is much more confident.",
            NEW_REABLEMENT,
        ),
        (
            "compliment",
            "reablement",
            "Thank you to the reablement workers who came every "
            "morning for six weeks. I can manage the stairs on my own now.",
            NEW_REABLEMENT,
        ),
        (
            "compliment",
            "reablement",
            "The new reablement service was brilliant. They set goals "
            "with me from day one and I met every one of them.",
            NEW_REABLEMENT,
        ),
        (
            "compliment",
            "reablement",
            "The exercises from the reablement team made a real "
            "difference. I can walk to the shop again.",
            NEW_REABLEMENT,
        ),
        (
            "compliment",
            "reablement",
            "Staff were patient and encouraging and never rushed me. I "
            "did not expect to be back home so soon after hospital.",
            None,
        ),
        (
            "compliment",
            "home care",
            "The carers who come in the morning are kind and always on "
            "time. They treat my husband with real dignity.",
            None,
        ),
        (
            "compliment",
            "home care",
            "My dad looks forward to his carers coming. They chat with "
            "him and notice when something is not right.",
            None,
        ),
        (
            "compliment",
            "home care",
            "Thank you to the home care team for all the help over the "
            "last year, it has made a huge difference to us.",
            None,
        ),
        (
            "compliment",
            "home care",
            "The night carer is so gentle with my wife. I can finally sleep knowing she is safe.",
            None,
        ),
        (
            "compliment",
            "social worker",
            "The social worker took time to understand what mattered "
            "to me and did not rush the assessment.",
            None,
        ),
        (
            "compliment",
            "social worker",
            "Our social worker was honest about the options and "
            "helped us make a hard decision about a care home.",
            None,
        ),
        (
            "compliment",
            "social worker",
            "Very grateful to the duty social worker who sorted out "
            "emergency support over a weekend.",
            None,
        ),
        (
            "compliment",
            "communication",
            "Every time I rang, someone called me back the same day. "
            "That made a stressful time much easier.",
            None,
        ),
        (
            "compliment",
            "communication",
            "The review meeting was well organised and my views were written down accurately.",
            None,
        ),
        (
            "compliment",
            "information",
            "The leaflet about paying for care was clear and answered "
            "most of our questions before the financial assessment.",
            None,
        ),
        (
            "compliment",
            "information",
            "The advice line told me about a day centre and a carers group I did not know existed.",
            None,
        ),
        (
            "compliment",
            "respite",
            "The respite stay gave me a proper break for the first time "
            "in two years. Mum was well looked after.",
            None,
        ),
        (
            "compliment",
            "waiting times",
            "The occupational therapist came within a week, and the "
            "grab rails were fitted a few days later.",
            None,
        ),
        (
            "comment",
            "waiting times",
            "We waited over two months for an occupational therapy "
            "assessment, and my mother had another fall in that time.",
            None,
        ),
        (
            "comment",
            "waiting times",
            "It took too long to get a date for the assessment. Nobody "
            "could tell us where we were in the queue.",
            None,
        ),
        (
            "comment",
            "waiting times",
            "Since the start of this year the wait for an assessment "
            "seems to have got longer again.",
            THIS_YEAR,
        ),
        (
            "comment",
            "waiting times",
            "Hospital discharge was delayed by a week because the care package was not ready.",
            None,
        ),
        (
            "comment",
            "home care",
            "Carers arrive at different times every day, sometimes very "
            "late for the teatime call. It unsettles my father.",
            None,
        ),
        (
            "comment",
            "home care",
            "Too many different carers. Mum does not know who is coming "
            "and has to explain everything again.",
            None,
        ),
        (
            "comment",
            "home care",
            "The carers are lovely, but fifteen minutes is not enough time to help Dad to shower.",
            None,
        ),
        (
            "comment",
            "communication",
            "I was passed between three teams before anyone could "
            "answer a simple question about my care plan.",
            None,
        ),
        (
            "comment",
            "communication",
            "Letters are full of jargon. I had to ask my daughter what the review letter meant.",
            None,
        ),
        (
            "comment",
            "information",
            "The website does not say how long you will wait or what happens after you first ring.",
            None,
        ),
        (
            "comment",
            "information",
            "The bill for my care arrived months late and was more than I was told it would be.",
            None,
        ),
        (
            "comment",
            "social worker",
            "We have had four different social workers in a year. Each "
            "time we start again from the beginning.",
            None,
        ),
        (
            "comment",
            "social worker",
            "The social worker listened, but nothing happened for weeks after the visit.",
            None,
        ),
        (
            "comment",
            "reablement",
            "Reablement was good, but it ended suddenly and there was a "
            "gap before the home care started.",
            NEW_REABLEMENT,
        ),
        (
            "comment",
            "respite",
            "Finding respite at short notice is almost impossible. The list "
            "of homes we were given was out of date.",
            None,
        ),
        (
            "comment",
            "respite",
            "The respite room was clean and the staff were friendly, but "
            "nobody told us what activities were on.",
            None,
        ),
        (
            "suggestion",
            "communication",
            "It would help to have one named contact for the whole "
            "assessment rather than a different person each time.",
            None,
        ),
        (
            "suggestion",
            "information",
            "Please send a text message the day before a visit to confirm the time.",
            None,
        ),
        (
            "suggestion",
            "information",
            "A simple guide to what happens after you leave hospital "
            "would have saved us a lot of worry.",
            None,
        ),
        (
            "suggestion",
            "waiting times",
            "Tell people roughly how long they will wait when they "
            "first get in touch, even if it is a long time.",
            None,
        ),
        (
            "suggestion",
            "waiting times",
            "Could small adaptations like grab rails be ordered by "
            "phone without waiting for a full assessment?",
            None,
        ),
        (
            "suggestion",
            "home care",
            "Could carers have a short note of the person's routine so new staff know what to do?",
            None,
        ),
        (
            "suggestion",
            "respite",
            "Carers should be able to book respite online and see what is available.",
            None,
        ),
        (
            "suggestion",
            "reablement",
            "Let families sit in on the first reablement visit, so we "
            "know how to help between visits.",
            NEW_REABLEMENT,
        ),
        (
            "suggestion",
            "social worker",
            "Offer evening or Saturday appointments for family members who work.",
            None,
        ),
        (
            "suggestion",
            "communication",
            "Send a copy of the care plan in large print without having to ask for it.",
            None,
        ),
    ],
    LD: [
        (
            "compliment",
            "respite",
            "My son loves his short breaks at the respite house. Staff "
            "know him well and keep to his routines.",
            None,
        ),
        (
            "compliment",
            "respite",
            "The overnight respite gives us time to rest as a family. We "
            "could not keep going without it.",
            None,
        ),
        (
            "compliment",
            "social worker",
            "The social worker used pictures and easy words so my "
            "daughter could say what she wanted herself.",
            None,
        ),
        (
            "compliment",
            "social worker",
            "Our social worker worked hard to find the right supported living place. Thank you.",
            None,
        ),
        (
            "compliment",
            "communication",
            "Easy read letters are much better. I can read them on my own now.",
            None,
        ),
        (
            "compliment",
            "communication",
            "Staff rang us straight away when there was a problem, "
            "and told us what they had done about it.",
            None,
        ),
        (
            "compliment",
            "day services",
            "The day centre staff helped me get a volunteering job at a cafe. I am very proud.",
            None,
        ),
        (
            "compliment",
            "day services",
            "The new music and art sessions are brilliant and she comes home happy.",
            None,
        ),
        (
            "compliment",
            "home care",
            "The support workers in my flat help me cook and shop. I like living on my own.",
            None,
        ),
        (
            "compliment",
            "information",
            "The transition worker explained everything about moving "
            "from children's to adult services in good time.",
            None,
        ),
        (
            "comment",
            "respite",
            "Respite nights were cut from twelve to eight a year without any explanation.",
            None,
        ),
        (
            "comment",
            "respite",
            "The respite house was closed for repairs for three months and "
            "no alternative was offered.",
            None,
        ),
        (
            "comment",
            "social worker",
            "We were not told our social worker had left until we rang "
            "to ask why nobody had been in touch.",
            None,
        ),
        (
            "comment",
            "communication",
            "Review meetings are arranged at short notice and in the "
            "daytime, so working parents cannot go.",
            None,
        ),
        (
            "comment",
            "information",
            "The direct payments information is very hard to follow. We "
            "needed help from a local charity.",
            None,
        ),
        (
            "comment",
            "waiting times",
            "It took eight months to find a supported living place after the assessment agreed it.",
            None,
        ),
        (
            "comment",
            "waiting times",
            "Still waiting for the sensory assessment that was promised at the last review.",
            None,
        ),
        (
            "comment",
            "home care",
            "Support staff change too often. My brother finds new faces very upsetting.",
            None,
        ),
        (
            "comment",
            "transition",
            "Planning for adult services started far too late. We felt rushed at eighteen.",
            None,
        ),
        (
            "suggestion",
            "communication",
            "Please send everything in easy read as standard, not only when we ask.",
            None,
        ),
        (
            "suggestion",
            "communication",
            "Use video calls for short reviews. Travelling to the office is hard for my son.",
            None,
        ),
        (
            "suggestion",
            "information",
            "A list of local clubs and activities for adults with "
            "learning disabilities would be really useful.",
            None,
        ),
        (
            "suggestion",
            "respite",
            "Could families see the respite booking calendar, so we can plan holidays?",
            None,
        ),
        (
            "suggestion",
            "social worker",
            "Let people meet a new social worker with the old one before the handover.",
            None,
        ),
        (
            "suggestion",
            "day services",
            "More day service sessions at weekends, please. Saturdays are long.",
            None,
        ),
        (
            "suggestion",
            "transition",
            "Start talking about adult services at fourteen, not seventeen.",
            None,
        ),
        (
            "suggestion",
            "waiting times",
            "Tell us who to contact while we are on the waiting "
            "list, so we are not left wondering.",
            None,
        ),
        (
            "suggestion",
            "home care",
            "Support workers should have time to get to know a person "
            "before working alone with them.",
            None,
        ),
    ],
    CIN: [
        (
            "compliment",
            "social worker",
            "Our social worker was always honest with us, even when "
            "it was hard to hear, and never gave up on our family.",
            None,
        ),
        (
            "compliment",
            "social worker",
            "The social worker listened to my children and made "
            "sure their wishes were in the plan.",
            None,
        ),
        (
            "compliment",
            "social worker",
            "My social worker helped me get back into college. I "
            "did not think anyone cared about that.",
            None,
        ),
        (
            "compliment",
            "family support",
            "The parenting course helped me handle bedtimes and "
            "mornings without shouting. Things are calmer at home.",
            None,
        ),
        (
            "compliment",
            "family support",
            "The family support worker came every week and helped "
            "us sort out the money worries and the school problems.",
            None,
        ),
        (
            "compliment",
            "family support",
            "Thank you for the help after the baby was born. We "
            "got the right support at the right time.",
            None,
        ),
        (
            "compliment",
            "communication",
            "I always knew what was happening and why. Nothing was kept from me.",
            None,
        ),
        (
            "compliment",
            "information",
            "The leaflet about the child protection conference helped me know what to expect.",
            None,
        ),
        (
            "compliment",
            "meetings",
            "The chair of the meeting made sure I got to speak and did not talk over me.",
            None,
        ),
        (
            "comment",
            "social worker",
            "We have had three social workers in six months. My son will not talk to the new one.",
            None,
        ),
        (
            "comment",
            "social worker",
            "The social worker was kind but always in a hurry, and I felt like a number.",
            None,
        ),
        (
            "comment",
            "communication",
            "Reports were sent to me the night before the meeting, so I had no time to read them.",
            None,
        ),
        (
            "comment",
            "communication",
            "Visits were cancelled at short notice more than once and nobody explained why.",
            None,
        ),
        (
            "comment",
            "waiting times",
            "We waited weeks after the referral before anyone came "
            "out, and things got worse at home.",
            None,
        ),
        (
            "comment",
            "waiting times",
            "It took a long time to get a referral to the mental health service for my daughter.",
            None,
        ),
        (
            "comment",
            "information",
            "Nobody explained the words used in the assessment, or what a child in need plan was.",
            None,
        ),
        (
            "comment",
            "information",
            "No one told us we could bring someone with us for support at the meeting.",
            None,
        ),
        (
            "comment",
            "meetings",
            "Too many professionals at the meeting. It felt like everyone was against us.",
            None,
        ),
        (
            "comment",
            "family support",
            "The support was good, but it stopped as soon as the "
            "case closed and we were on our own again.",
            None,
        ),
        (
            "suggestion",
            "communication",
            "Text me when a visit is cancelled rather than leaving a note.",
            None,
        ),
        (
            "suggestion",
            "communication",
            "Ask children how they want to be contacted. My "
            "daughter prefers messages to phone calls.",
            None,
        ),
        (
            "suggestion",
            "information",
            "A short video about what happens after a referral would "
            "help parents who struggle with reading.",
            None,
        ),
        (
            "suggestion",
            "information",
            "Give young people their own copy of their plan, written for them.",
            None,
        ),
        (
            "suggestion",
            "meetings",
            "Hold meetings after school so the children do not miss lessons.",
            None,
        ),
        (
            "suggestion",
            "social worker",
            "Keep the same social worker for as long as possible. Children need to trust someone.",
            None,
        ),
        (
            "suggestion",
            "social worker",
            "Social workers should visit at times that fit around "
            "school and work, not only in the daytime.",
            None,
        ),
        (
            "suggestion",
            "family support",
            "A drop-in group for parents going through the same "
            "thing would help us feel less alone.",
            None,
        ),
        (
            "suggestion",
            "waiting times",
            "Let families know how long they will wait for a "
            "service, and check in while they are waiting.",
            None,
        ),
    ],
}


# The comments on waiting times that came in during the quarter the demo reviews: enough of
# them (5 or more) for the review to quote some, as disclosure control allows.
QUARTER_VIEWS = {
    OP: [
        (
            "2026-07-14",
            "comment",
            "waiting times",
            "Three weeks on, we still have no date for the OT visit.",
        ),
        (
            "2026-07-29",
            "comment",
            "waiting times",
            "The assessment itself was good; the wait for it was not.",
        ),
        (
            "2026-08-11",
            "comment",
            "waiting times",
            "Please tell families how long the wait is likely to be.",
        ),
        (
            "2026-08-26",
            "comment",
            "waiting times",
            "Dad managed the stairs badly for weeks before anyone came.",
        ),
        ("2026-09-09", "comment", "waiting times", "We were told six weeks and it was nearer ten."),
        (
            "2026-09-22",
            "comment",
            "waiting times",
            "A phone call while we waited would have helped.",
        ),
    ],
}


def view_rows(rng):
    rows = []
    for team in TEAMS:
        team_rows = []
        for kind, theme, text, earliest in VIEW_TEXTS[team]:
            received = random_weekday(rng, earliest or MONTHS[0].replace(day=1), LAST_MONTH)
            team_rows.append([team, received.isoformat(), kind, theme, text])
        team_rows += [[team, *view] for view in QUARTER_VIEWS.get(team, [])]
        rows += sorted(team_rows, key=lambda row: (row[1], row[4]))
    return rows


# --- examples for the README --------------------------------------------------------------

EXAMPLE_INDICATORS = (
    "ASCOF 2B(1)",
    "ASCOF 3A",
    "LOCAL ASSESS28",
    "LOCAL WAITDAYS",
    "CIN ASSESS45",
    "CIN CASELOAD",
)

# Real published ASCOF 3A values (LG Inform metric 10680, as copied in data/real/ of the
# project's shared data), so the one comparators example shows a genuine suppression (NA).
EXAMPLE_COMPARATORS = [
    ["ASCOF 3A", "E92000001", "England", "2023/24", "65.4"],
    ["ASCOF 3A", "E92000001", "England", "2024/25", "65.1"],
    ["ASCOF 3A", "E08000009", "Trafford", "2020/21", "NA"],
    ["ASCOF 3A", "E08000009", "Trafford", "2023/24", "52.3"],
    ["ASCOF 3A", "E08000009", "Trafford", "2024/25", "58.1"],
    ["ASCOF 3A", "E09000004", "Bexley", "2023/24", "60.1"],
    ["ASCOF 3A", "E09000004", "Bexley", "2024/25", "57.6"],
    ["ASCOF 3A", "E09000017", "Hillingdon", "2024/25", "62"],
]


def example_values(values):
    recent = [row for row in values if row[0] == OP and row[1] == "ASCOF 2B(1)"][-6:]
    survey_based = [row for row in values if row[0] == OP and row[1] == "ASCOF 3A"][-2:]
    return recent + survey_based


def example_complaints(complaints):
    chosen, outcomes = [], set()
    for row in complaints:
        if row[0] == OP and row[1] >= "2026-04-01" and row[3] not in outcomes:
            chosen.append(row)
            outcomes.add(row[3])
    return chosen[:6]


def example_survey(survey):
    return [
        row for row in survey if row[0] == OP and row[2] == WAVES[-1] and row[3] == SATISFACTION
    ]


def example_views(views):
    chosen = []
    for team in TEAMS:
        for kind in ("compliment", "suggestion"):
            chosen.append(next(row for row in views if row[0] == team and row[2] == kind))
    return chosen


# --- putting it together ------------------------------------------------------------------


def values_and_survey(rng):
    values, survey = [], []
    for team in TEAMS:
        if team == CIN:
            by_code = children_monthly_values(rng, team)
        else:
            by_code = adult_monthly_values(rng, team)
        counts = survey_counts(rng, team)
        if team != CIN:
            by_code.update(annual_values(rng, team, counts))
        for code, *_ in INDICATORS:
            values += drop_gaps(team, code, by_code.get(code, []))
        survey += survey_rows(team, counts)
    return values, survey


# What each series is, and how long after a period its figure comes out: monthly extracts
# from the case management system within a month, the annual ASCOF figures in the December
# after the year (about 250 days). A rolling series sums the last 12 months, so consecutive
# figures share eleven of them: the evidence gives it no SPC rules.
ROLLING = {"ASCOF 2A(2)", "OFLOG ASC6", "SFC TURNOVER", "LOCAL REVIEW12"}
ANNUAL_CODES = {
    "ASCOF 1A",
    "ASCOF 1B",
    "ASCOF 1D",
    "ASCOF 1J",
    "ASCOF 3A",
    "ASCOF 3D(1)",
    "ASCOF 3D(2)",
}
ANNUAL_LAG_DAYS = "250"
MONTHLY_LAG_DAYS = "30"
# A figure whose result is known only after a follow-up: 2B(1) counts who is at home 91 days
# after discharge, so a month's figure comes a month after those 91 days.
FOLLOW_UP_LAG_DAYS = {"ASCOF 2B(1)": "120"}
# A score's scale and what a count counts, written after each figure.
UNIT_LABELS = {
    "ASCOF 1A": "out of 24",
    "ASCOF 1D": "out of 12",
    "CIN CASELOAD": "cases per social worker",
}


def series_columns(code: str) -> list[str]:
    """basis, frequency, lag_days and unit_label of an indicator, as the sample data holds
    them."""
    annual = code in ANNUAL_CODES
    return [
        "rolling_12_months" if code in ROLLING else "point",
        "annual" if annual else "monthly",
        ANNUAL_LAG_DAYS if annual else FOLLOW_UP_LAG_DAYS.get(code, MONTHLY_LAG_DAYS),
        UNIT_LABELS.get(code, ""),
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(out: Path) -> None:
    rng = random.Random(SEED)
    indicators = [[*definition, *series_columns(definition[0])] for definition in INDICATORS]
    values, survey = values_and_survey(rng)
    complaints = complaint_rows(rng)
    views = view_rows(rng)

    write_csv(out / "indicators.csv", INDICATOR_HEADER, indicators)
    write_csv(out / "values.csv", VALUE_HEADER, values)
    write_csv(out / "complaints.csv", COMPLAINT_HEADER, complaints)
    write_csv(out / "survey.csv", SURVEY_HEADER, survey)
    write_csv(out / "views.csv", VIEW_HEADER, views)

    examples = out / "examples"
    write_csv(
        examples / "indicators.csv",
        INDICATOR_HEADER,
        [row for row in indicators if row[0] in EXAMPLE_INDICATORS],
    )
    write_csv(examples / "values.csv", VALUE_HEADER, example_values(values))
    write_csv(examples / "comparators.csv", COMPARATOR_HEADER, EXAMPLE_COMPARATORS)
    write_csv(examples / "complaints.csv", COMPLAINT_HEADER, example_complaints(complaints))
    write_csv(examples / "survey.csv", SURVEY_HEADER, example_survey(survey))
    write_csv(examples / "views.csv", VIEW_HEADER, example_views(views))


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    generate(out)


if __name__ == "__main__":
    main(sys.argv)
