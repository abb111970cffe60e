"""What an estimates chart reads of a figure and of a group (app/web/pages/charts.py draws them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from app.domain.claim_comparison import ClaimFacts
from app.domain.figures import Bound, Claim, ClaimantKind, spread_needs_log_scale


class Drawable(Protocol):
    """What an estimates chart reads of a figure (a FigureRecord)."""

    @property
    def id(self) -> int: ...
    @property
    def low(self) -> Decimal | None: ...
    @property
    def high(self) -> Decimal | None: ...
    @property
    def bound(self) -> Bound: ...
    @property
    def unit(self) -> str: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def claimant(self) -> str: ...
    @property
    def claimant_kind(self) -> ClaimantKind: ...
    @property
    def value_label(self) -> str: ...
    @property
    def claim(self) -> Claim: ...
    @property
    def chart_date(self) -> tuple[date, str] | None: ...
    @property
    def facts(self) -> ClaimFacts: ...


class DrawableGroup(Protocol):
    """What an estimates chart reads of a group (a FigureGroup, or Records of one currency)."""

    @property
    def records(self) -> Sequence[Drawable]: ...
    @property
    def log_scale(self) -> bool: ...


@dataclass(frozen=True)
class Records:
    """Some of a group's figures with their own scale (a chart of one currency's figures)."""

    records: tuple[Drawable, ...]

    @property
    def log_scale(self) -> bool:
        """Return True when the figures' positive values span more than a factor of ten."""
        return spread_needs_log_scale([record.claim for record in self.records])
