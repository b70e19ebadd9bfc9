"""The installed `qpr`, run as a person runs it: a process of its own, with only what a
person's shell would give it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

QPR = Path(sys.executable).parent / "qpr"


def qpr(*args: str, database: str, cwd: Path, env: dict | None = None, timeout: float = 120):
    """Run the installed `qpr` with only what a person's shell would give it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "QPR_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [str(QPR), *args],
        cwd=cwd,
        env={**clean, "DATABASE_URL": database, **(env or {})},
        capture_output=True,
        timeout=timeout,
    )


def text(run) -> str:
    return run.stdout.decode() + run.stderr.decode()
