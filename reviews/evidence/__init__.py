"""The evidence engine: what a team's figures, surveys, complaints and views say about a
quarter, honestly. pandas is used here and nowhere else."""

from reviews.evidence.build import build_evidence
from reviews.evidence.model import Evidence

__all__ = ["Evidence", "build_evidence"]
