"""Claim-level comparison of how outlets covered one event (``newsloom compare``) and quotes queries.

Pure functions over ``(Article, Analysis)`` pairs live in ``claims``, ``group`` and ``core``; ``api`` runs them
over a store; ``commands`` adds ``newsloom compare`` and ``newsloom quotes``.
"""
from newsloom.compare.claims import Claim, Quantity, split_claims
from newsloom.compare.core import (
    ClaimGroup, Comparison, Disagreement, StorylineComparison, StorylineStep, compare_articles, compare_events,
    diff_comparisons,
)

__all__ = [
    "Claim", "Quantity", "split_claims", "ClaimGroup", "Comparison", "Disagreement", "StorylineComparison",
    "StorylineStep", "compare_articles", "compare_events", "diff_comparisons",
]
