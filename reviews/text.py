"""What people type, made fit to keep: control characters (NUL among them, which
PostgreSQL will not store) are taken out, line breaks and tabs kept."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    return _CONTROL.sub("", text)
