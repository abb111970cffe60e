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
        """Return True when the filters contradict each other: kinds and side (official kinds,
        independent side), or as-of bounds that end before they start."""
        kinds_contradict = bool(self.claimant_kinds or self.side) and not self.wanted_kinds
        first, last = self.first_day, self.last_day
        return kinds_contradict or (first is not None and last is not None and first > last)

    @property
    def bounds_as_of(self) -> bool:
        """Return True when the filter bounds the as-of date (on either side)."""
        return self.as_of_from is not None or self.as_of_to is not None

    def canonical(self) -> FigureFilter:
        """Return the one spelling of the selection, read from the filter alone: every filter
        that selects the same published figures by the same rules gets the same one.

        Areas and metrics sorted, once each; the text trimmed; claimant kinds and side folded
        into one form (`side` alone when the kinds wanted are exactly one side's, neither when
        every kind is, otherwise the kinds in their listed order); as-of bounds as the days they
        start and end on; and every filter that contradicts itself is SELECTS_NOTHING. Which
        bounds the published figures' dates make redundant is within_span's to say.
        """
        if self.selects_nothing:
            return SELECTS_NOTHING
        kinds, side = _folded_kinds(set(self.wanted_kinds))
        return FigureFilter(
            areas=tuple(sorted(set(self.areas))),
            metrics=tuple(sorted(set(self.metrics))),
            claimant_kinds=kinds,
            side=side,
            as_of_from=_day(self.first_day) if self.first_day else None,
            as_of_to=_day(self.last_day) if self.last_day else None,
            text=self.text.strip(),
            source_id=self.source_id,
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


_SIDE_KINDS = {
    side: {kind for kind in ClaimantKind if kind.is_official == (side is Side.OFFICIAL)}
    for side in Side
}


def _folded_kinds(wanted: set[ClaimantKind]) -> tuple[tuple[ClaimantKind, ...], Side | None]:
    """Return the claimant kinds and side that write the kinds wanted (none: any) one way."""
    if not wanted or wanted == set(ClaimantKind):
        return (), None
    for side, kinds in _SIDE_KINDS.items():
        if wanted == kinds:
            return (), side
    return tuple(kind for kind in ClaimantKind if kind in wanted), None


def _day(value: date) -> PartialDate:
    return PartialDate(value, DatePrecision.DAY)


def within_span(figure_filter: FigureFilter, as_of_span: tuple[date, date] | None) -> FigureFilter:
    """Return the filter's canonical form (FigureFilter.canonical) with the as-of bounds that
    lie outside as_of_span dropped: every filter that selects the same published figures by the
    same rules, once the published figures' as-of dates are known, gets the same one.

    as_of_span is the first and last as-of date of the published figures (needed only when the
    filter bounds the as-of date; None when no published figure has one). A bound keeps its
    figures dated: when both drop, the span's first day stays as the lower bound, since no bound
    at all would add the undated. Bounds that exclude every dated figure make SELECTS_NOTHING.
    """
    canonical = figure_filter.canonical()
    if not canonical.bounds_as_of:
        return canonical  # SELECTS_NOTHING too
    if as_of_span is None:
        return SELECTS_NOTHING  # no published figure has an as-of date: every bound excludes it
    first, last = as_of_span
    lowest = max(canonical.first_day or first, first)
    highest = min(canonical.last_day or last, last)
    if lowest > highest:
        return SELECTS_NOTHING
    lower = _day(lowest) if lowest > first else None
    upper = _day(highest) if highest < last else None
    if lower is None and upper is None:
        lower = _day(first)
    return replace(canonical, as_of_from=lower, as_of_to=upper)
