"""Which published figures a reader asked for: the filters shared by the API and the exports."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from app.domain.dates import PartialDate
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
        """Return a short name for a file of this selection: NPL-enlisted, or all."""
        parts = [*self.areas, *self.metrics]
        return "-".join(parts)[:80] if parts else "all"

    def words(self) -> str:
        """Return the selection in words ('' when it selects every published figure)."""
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
