"""The evidence engine: what a team's figures, surveys, complaints and views say about a
quarter, honestly. pandas is used here and nowhere else.

`build_evidence` is loaded on first use, so that commands which never summarise evidence
do not pay for importing pandas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviews.evidence.build import build_evidence
    from reviews.evidence.model import Evidence

__all__ = ["Evidence", "build_evidence"]


def __getattr__(name: str) -> Any:
    if name == "build_evidence":
        from reviews.evidence.build import build_evidence

        return build_evidence
    if name == "Evidence":
        from reviews.evidence.model import Evidence

        return Evidence
    raise AttributeError(name)
