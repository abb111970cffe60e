"""Which published figures a reader asked for: the filters shared by the API and the exports."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from app.domain.dates import DatePrecision, PartialDate
from app.domain.figures import ClaimantKind


class Side(StrEnum):
    """Governments' figures (the `official_*` claimant kinds) or everyone else's."""

    OFFICIAL = "official"
    INDEPENDENT = "independent"


@dataclass(frozen=True)
class FigureFilter:
    """Published figures wanted: every field narrows the selection; empty ones select everything."""

    areas: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    claimant_kinds: tuple[ClaimantKind, ...] = ()
    side: Side | None = None
    as_of_from: PartialDate | None = None
    as_of_to: PartialDate | None = None
    text: str = ""
    source_id: int | None = None

    @property
    def first_day(self) -> date | None:
        """Return the earliest as-of date wanted: the first day `as_of_from` covers."""
        return self.as_of_from.value if self.as_of_from else None

    @property
    def last_day(self) -> date | None:
        """Return the latest as-of date wanted: the last day `as_of_to` covers."""
        return self.as_of_to.last_day() if self.as_of_to else None

    @property
    def wanted_kinds(self) -> tuple[ClaimantKind, ...]:
        """Return the claimant kinds wanted (kinds and side together), empty when any will do."""
        kinds = self.claimant_kinds or tuple(ClaimantKind)
        if self.side is Side.OFFICIAL:
            kinds = tuple(kind for kind in kinds if kind.is_official)
        elif self.side is Side.INDEPENDENT:
            kinds = tuple(kind for kind in kinds if not kind.is_official)
        if not self.claimant_kinds and self.side is None:
            return ()
        return kinds

    @property
    def selects_nothing(self) -> bool:
        """Return True when kinds and side contradict each other (official kinds, independent side)."""
        return bool(self.claimant_kinds or self.side) and not self.wanted_kinds

    @property
    def bounds_as_of(self) -> bool:
        """Return True when the filter bounds the as-of date (on either side)."""
        return self.as_of_from is not None or self.as_of_to is not None

    def canonical(self) -> FigureFilter:
        """Return the same selection written one way: each list sorted, once, and the text trimmed
        (the filters select a figure that matches any of a list's values, in any order)."""
        return replace(
            self,
            areas=tuple(sorted(set(self.areas))),
            metrics=tuple(sorted(set(self.metrics))),
            claimant_kinds=tuple(sorted(set(self.claimant_kinds), key=lambda kind: kind.value)),
            text=self.text.strip(),
        )

    def slug(self) -> str:
        """Return a short name for a file of this selection: NPL-enlisted, all, or none."""
        if self.selects_nothing:
            return "none"
        parts = [*self.areas, *self.metrics]
        return "-".join(parts)[:80] if parts else "all"

    def words(self) -> str:
        """Return the selection in words ('' when it selects every published figure)."""
        if self.selects_nothing:
            return "no published figure: the filters asked for exclude every one"
        parts = [
            f"{label} {', '.join(values)}"
            for label, values in (
                ("area", self.areas),
                ("metric", self.metrics),
                ("claimant kind", tuple(kind.value for kind in self.claimant_kinds)),
            )
            if values
        ]
        if self.side is not None:
            parts.append(f"{self.side.value} side")
        if self.as_of_from is not None:
            parts.append(f"as of {self.as_of_from.iso()} or later")
        if self.as_of_to is not None:
            parts.append(f"as of {self.as_of_to.iso()} or earlier")
        if self.text:
            parts.append(f"text {self.text!r}")
        if self.source_id is not None:
            parts.append(f"source #{self.source_id}")
        return f"the published figures of {'; '.join(parts)}" if parts else ""


# The one spelling of every filter that selects no published figure.
SELECTS_NOTHING = FigureFilter(
    claimant_kinds=(next(kind for kind in ClaimantKind if kind.is_official),), side=Side.INDEPENDENT
)


def _day(value: date) -> PartialDate:
    return PartialDate(value, DatePrecision.DAY)


def _canonical_bounds(
    figure_filter: FigureFilter, as_of_span: tuple[date, date] | None
) -> tuple[PartialDate | None, PartialDate | None] | None:
    """Return the as-of bounds that select what the filter's do among published figures dated
    within as_of_span (first and last as-of date), as days; None when they select nothing.

    Bounds outside the span are dropped, but a bound keeps its figures dated: when both drop,
    the span's first day stays as the lower bound, since no bound at all would add the undated.
    """
    if not figure_filter.bounds_as_of:
        return None, None
    if as_of_span is None:
        return None  # no published figure has an as-of date: every bound excludes every one
    first, last = as_of_span
    lowest = max(figure_filter.first_day or first, first)
    highest = min(figure_filter.last_day or last, last)
    if lowest > highest:
        return None
    lower = _day(lowest) if lowest > first else None
    upper = _day(highest) if highest < last else None
    if lower is None and upper is None:
        lower = _day(first)
    return lower, upper


def canonical_filter(
    figure_filter: FigureFilter, as_of_span: tuple[date, date] | None = None
) -> FigureFilter:
    """Return the one spelling of the filter: every filter selecting the same published figures
    by the same rules gets the same one.

    Areas and metrics sorted, once each; claimant kinds and side folded into the kinds wanted
    (none when every kind is); as-of bounds as days, those outside as_of_span (the first and
    last as-of date of the published figures, needed only when the filter bounds the as-of
    date) dropped; and every filter that selects nothing is SELECTS_NOTHING.
    """
    bounds = _canonical_bounds(figure_filter, as_of_span)
    if figure_filter.selects_nothing or bounds is None:
        return SELECTS_NOTHING
    kinds = set(figure_filter.wanted_kinds)
    wanted = () if kinds == set(ClaimantKind) else tuple(k for k in ClaimantKind if k in kinds)
    return FigureFilter(
        areas=tuple(sorted(set(figure_filter.areas))),
        metrics=tuple(sorted(set(figure_filter.metrics))),
        claimant_kinds=wanted,
        as_of_from=bounds[0],
        as_of_to=bounds[1],
        text=figure_filter.text,
        source_id=figure_filter.source_id,
    )
