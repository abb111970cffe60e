"""A figure with its source, as every page, chart and export reads it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from app.domain.claim_comparison import ClaimFacts
from app.domain.dates import PartialDate, place_in_time
from app.domain.figure_spec import field_specs, form_text, reader_of, spec
from app.domain.figures import Bound, Claim, ClaimantKind, format_value_label
from app.domain.sources import Provenance, SourceKind, provenance_label


@dataclass(frozen=True)
class FigureRecord:
    """One figure joined with its area, metric and source: plain values, no database objects.

    This is the figure's one specification (app.domain.figure_spec): the fields' order is the
    export's column order.
    """

    id: int = spec("figure.id", export="figure_id", hxl="#meta+id", api="id")
    external_ref: str | None = spec(
        "figure.external_ref",
        export="external_ref",
        hxl="#meta+ref",
        api="external_ref",
        entered="external_ref",
        form=False,
        description="the figure's reference where it was gathered (a seed row id)",
    )
    area_code: str = spec(
        "figure.area_code",
        export="area",
        hxl="#country+code",
        api="area",
        entered="area",
        description="ISO 3166-1 alpha-3 code or region slug",
    )
    area_name: str = spec("area.name", export="area_name", hxl="#country+name", api="area_name")
    area_kind: str = spec("area.kind", api="area_kind", description="country or region")
    metric_slug: str = spec(
        "figure.metric_slug", export="metric", hxl="#indicator+code", api="metric", entered="metric"
    )
    metric_label: str = spec(
        "metric.label", export="metric_label", hxl="#indicator+name", api="metric_label"
    )
    low: Decimal | None = spec(
        "figure.low", export="low", hxl="#indicator+num+min", api="low", entered="low"
    )
    high: Decimal | None = spec(
        "figure.high", export="high", hxl="#indicator+num+max", api="high", entered="high"
    )
    bound: Bound = spec(
        "figure.bound", export="bound", hxl="#indicator+bound", api="bound", entered="bound"
    )
    qualifier: str = spec(
        "figure.qualifier",
        export="qualifier",
        hxl="#indicator+qualifier",
        api="qualifier",
        entered="qualifier",
        description="the source's own hedging words, verbatim",
    )
    unit: str = spec(
        "figure.unit", export="unit", hxl="#indicator+unit", api="unit", entered="unit"
    )
    currency: str | None = spec(
        "figure.currency", export="currency", hxl="#currency", api="currency", entered="currency"
    )
    counted_as: str = spec(
        "figure.counted_as",
        export="counted_as",
        hxl="#indicator+counted",
        api="counted_as",
        entered="counted_as",
        description="what exactly was counted, e.g. 'named list', 'Moscow only'",
    )
    as_of: PartialDate | None = spec(
        "figure.as_of", export="as_of", hxl="#date+as_of", api="as_of", entered="as_of"
    )
    period_start: PartialDate | None = spec(
        "figure.period_start",
        export="period_start",
        hxl="#date+start",
        api="period_start",
        entered="period_start",
    )
    period_end: PartialDate | None = spec(
        "figure.period_end",
        export="period_end",
        hxl="#date+end",
        api="period_end",
        entered="period_end",
    )
    claimant: str = spec(
        "figure.claimant",
        export="claimant",
        hxl="#org+claimant+name",
        api="claimant",
        entered="claimant",
    )
    claimant_kind: ClaimantKind = spec(
        "figure.claimant_kind",
        export="claimant_kind",
        hxl="#org+claimant+type+code",
        api="claimant_kind",
        entered="claimant_kind",
        description="who speaks, relative to the war",
    )
    quote: str = spec(
        "figure.quote",
        export="quote",
        hxl="#description+quote",
        api="quote",
        entered="quote",
        description="the sentence the figure comes from, verbatim",
    )
    source_id: int = spec("source.id", export="source_id", hxl="#meta+source+id")
    source_url: str = spec(
        "source.url", export="source_url", hxl="#meta+source+url", entered="source_url"
    )
    source_publisher: str = spec(
        "source.publisher",
        export="source_publisher",
        hxl="#meta+source+publisher",
        entered="source_publisher",
    )
    source_title: str = spec(
        "source.title", export="source_title", hxl="#meta+source+title", entered="source_title"
    )
    source_published: PartialDate | None = spec(
        "source.published",
        export="source_published",
        hxl="#date+source",
        entered="source_published",
    )
    source_kind: SourceKind = spec(
        "source.kind",
        export="source_kind",
        hxl="#meta+source+type",
        entered="source_kind",
        description="original, official, reprint (or aggregator), wire, or unknown",
    )
    source_original_publisher: str | None = spec(
        "source.original_publisher",
        export="source_original_publisher",
        hxl="#meta+source+original+publisher",
        entered="source_original_publisher",
        description="whose text a reprint or wire copy carries",
    )
    source_original_url: str | None = spec(
        "source.original_url",
        export="source_original_url",
        hxl="#meta+source+original+url",
        entered="source_original_url",
    )
    source_archive_url: str | None = spec(
        "source.archive_url",
        export="source_archive_url",
        hxl="#meta+source+archive",
        entered="source_archive_url",
    )
    source_text_damaged: bool = spec(
        "source.text_damaged",
        export="source_text_damaged",
        hxl="#meta+source+damaged",
        entered="source_text_damaged",
        description="true when numbers or words of the original are missing in this copy",
    )
    notes: str = spec(
        "figure.notes", export="notes", hxl="#description+notes", api="notes", entered="notes"
    )
    status: str = spec("figure.status", export="status", hxl="#status", api="status")
    repeats_id: int | None = spec(
        "figure.repeats_id",
        export="repeats",
        hxl="#meta+repeats",
        api="repeats",
        entered="repeats",
        description="the id of the figure this one repeats (a reprint or restatement: no new voice)",
    )
    repeats_ref: str | None = spec(
        "repeated.external_ref",
        description="the external reference of the figure this one repeats, if it has one",
    )

    @property
    def facts(self) -> ClaimFacts:
        """Return what comparing claims needs of the figure."""
        return ClaimFacts(
            figure_id=self.id,
            area_code=self.area_code,
            metric_slug=self.metric_slug,
            low=self.low,
            high=self.high,
            bound=self.bound,
            unit=self.unit,
            currency=self.currency,
            claimant=self.claimant,
            claimant_kind=self.claimant_kind,
            as_of=self.as_of,
            period_start=self.period_start,
            period_end=self.period_end,
            repeats_id=self.repeats_id,
        )

    @property
    def provenance(self) -> Provenance:
        """Return where the source's text comes from."""
        return Provenance(
            self.source_publisher,
            self.source_kind,
            self.source_original_publisher,
            self.source_original_url,
            self.source_text_damaged,
        )

    @property
    def provenance_label(self) -> str:
        """Return the source's provenance in words ('' when there is nothing to say)."""
        return provenance_label(self.provenance)

    @property
    def claim(self) -> Claim:
        """Return the part of the figure that comparisons use."""
        return Claim(
            self.id, self.low, self.high, self.bound, self.unit, self.currency, self.claimant_kind
        )

    @property
    def value_label(self) -> str:
        """Return the numbers as claimed, with currency and unit: at least 18,000 persons."""
        return format_value_label(self.low, self.high, self.bound, self.unit, self.currency)

    @property
    def date_label(self) -> str:
        """Return when the figure holds: as of a date, over a period, or 'not stated'."""
        parts: list[str] = []
        if self.period_start or self.period_end:
            start = self.period_start.label() if self.period_start else "?"
            end = self.period_end.label() if self.period_end else "?"
            parts.append(start if start == end else f"{start} – {end}")
        if self.as_of:
            parts.append(f"as of {self.as_of.label()}")
        return ", ".join(parts) if parts else "not stated"

    @property
    def chart_date(self) -> tuple[date, str] | None:
        """Return where the figure sits on a time axis and why there; None when it states no date
        (an undated figure is never placed in time, not even at its source's date)."""
        return place_in_time(self.as_of, self.period_start, self.period_end)

    @property
    def own_date(self) -> date | None:
        """Return the date the figure itself states (as of, else its period's end or start)."""
        partial = self.as_of or self.period_end or self.period_start
        return partial.midpoint() if partial else None

    @property
    def sort_date(self) -> date:
        """Return a date for ordering figures, undated ones first."""
        placed = self.chart_date
        return placed[0] if placed else date.min


@dataclass(frozen=True)
class ComparedFigure:
    """The part of a published figure that a group summary needs: its claim and its dates.

    `own_date` and `sort_date` follow FigureRecord's properties of the same names.
    """

    facts: ClaimFacts
    own_date: date | None
    sort_date: date

    @property
    def id(self) -> int:
        """Return the figure's id."""
        return self.facts.figure_id

    @property
    def area_code(self) -> str:
        """Return the figure's area code."""
        return self.facts.area_code

    @property
    def metric_slug(self) -> str:
        """Return the figure's metric slug."""
        return self.facts.metric_slug


def compared_figure(facts: ClaimFacts) -> ComparedFigure:
    """Return a compared figure from its claim's facts (its own dates only place it in time)."""
    own = facts.as_of or facts.period_end or facts.period_start
    own_date = _midpoint(own) if own else None
    return ComparedFigure(facts, own_date, own_date or date.min)


@lru_cache(maxsize=65_536)
def _midpoint(partial: PartialDate) -> date:
    return partial.midpoint()


FIGURE_SPEC = field_specs(FigureRecord)
_READERS = tuple(
    (field_spec.name, reader_of(field_spec), len(field_spec.stored_columns))
    for field_spec in FIGURE_SPEC
)


def record_from_stored(values: Sequence[Any]) -> FigureRecord:
    """Return the record from its stored columns' values, in FIGURE_SPEC's order (a partial
    date's precision right after its date)."""
    fields: dict[str, Any] = {}
    position = 0
    for name, reader, width in _READERS:
        if width == 2:
            fields[name] = reader(values[position], values[position + 1]) if reader else None
        else:
            value = values[position]
            fields[name] = value if reader is None or value is None else reader(value)
        position += width
    return FigureRecord(**fields)


def entered_values(record: FigureRecord) -> dict[str, str]:
    """Return a stored figure as the form's values (for editing): every field the form shows."""
    return {
        field_spec.entered: form_text(field_spec.kind, getattr(record, field_spec.name))
        for field_spec in FIGURE_SPEC
        if field_spec.entered and field_spec.form
    }


ENTERED_FIELDS = tuple(field_spec.entered for field_spec in FIGURE_SPEC if field_spec.entered)
FORM_FIELDS = tuple(
    field_spec.entered for field_spec in FIGURE_SPEC if field_spec.entered and field_spec.form
)
