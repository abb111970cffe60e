"""Coverage: what the record holds for each area and metric, and what it does not.

For every area and metric with published figures: how many figures, from how many voices (a
figure that repeats another adds no voice; a claimant's later figures are its one voice), and the
latest date a figure holds for. Absence is stated, never read as zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.claim_comparison import ClaimFacts

# The metrics whose absence an area's coverage line names ("no figure for ...").
CORE_METRICS = ("enlisted", "killed", "missing", "criminal_cases", "pay_monthly")


@dataclass(frozen=True)
class CoverageCell:
    """One area's and metric's published figures, counted as figures and as voices."""

    area_code: str
    metric_slug: str
    figure_count: int
    voice_count: int
    latest: ClaimFacts | None  # the claim whose date or period ends last; None when none is dated

    @property
    def latest_label(self) -> str:
        """Return the latest date a figure holds for, in words, or that none states one."""
        return self.latest.date_label if self.latest is not None else "no date stated"


def voice_count(claims: Sequence[ClaimFacts]) -> int:
    """Return how many voices the claims are: one per claimant (kind and normalised name), and
    none for a figure that repeats another of the same claims."""
    ids = {claim.figure_id for claim in claims}
    return len(
        {
            claim.voice_key
            for claim in claims
            if claim.repeats_id is None or claim.repeats_id not in ids - {claim.figure_id}
        }
    )


def coverage_cells(claims: Iterable[ClaimFacts]) -> list[CoverageCell]:
    """Return one cell per (area, metric) with claims, ordered by area then metric."""
    by_key: dict[tuple[str, str], list[ClaimFacts]] = defaultdict(list)
    for claim in claims:
        by_key[(claim.area_code, claim.metric_slug)].append(claim)
    cells = []
    for (area_code, metric_slug), members in sorted(by_key.items()):
        dated = [claim for claim in members if claim.is_dated]
        cells.append(
            CoverageCell(
                area_code=area_code,
                metric_slug=metric_slug,
                figure_count=len(members),
                voice_count=voice_count(members),
                latest=max(dated, key=lambda claim: claim.recency, default=None),
            )
        )
    return cells


def missing_core_metrics(cells: Sequence[CoverageCell], area_code: str) -> list[str]:
    """Return the core metrics an area has no published figure for, in CORE_METRICS' order."""
    present = {cell.metric_slug for cell in cells if cell.area_code == area_code}
    return [slug for slug in CORE_METRICS if slug not in present]
