"""Writing a team's charts to files."""

from __future__ import annotations

import re
from pathlib import Path

from reviews.evidence.charts import indicator_chart, overview_chart
from reviews.evidence.model import Evidence


def chart_file_name(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", code).strip("_") + ".png"


def write_charts(evidence: Evidence, folder: Path) -> list[Path]:
    """overview.png and one PNG per indicator, named after its code (none for a series of
    counts too small to show)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "overview.png"]
    written[0].write_bytes(overview_chart(evidence))
    for indicator in evidence.indicators:
        png = indicator_chart(indicator)
        if png is None:
            continue
        path = folder / chart_file_name(indicator.code)
        path.write_bytes(png)
        written.append(path)
    return written
