"""Area codes as ONS gives them: which are councils and which are aggregates of them."""

from __future__ import annotations

# England (E92), its regions (E12) and the UK's and Great Britain's totals: compared
# against, never ranked among councils or weighed as one.
AGGREGATE_PREFIXES = ("E92", "E12", "K02", "K03", "K04")


def is_aggregate(area_code: str) -> bool:
    return area_code.upper().startswith(AGGREGATE_PREFIXES)
