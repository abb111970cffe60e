"""A figure with its source, as every page, chart and export reads it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.claim_comparison import ClaimFacts
from app.domain.dates import PartialDate
from app.domain.figure_spec import field_specs, form_text, reader_of, spec
from app.domain.figures import Bound, Claim, ClaimantKind, format_value_label
from app.domain.sources import Provenance, SourceKind, provenance_label


@dataclass(frozen=True)
class FigureRecord:
    """One figure joined with its area, metric and source: plain values, no database objects.

    This is the figure's one specification (app.domain.figure_spec): the fields' order is the
    export's column order.
    """

    id: int = spec(
        "figure.id",
        export="figure_id",
        hxl="#meta+id",
        api="id",
        description="the figure's id in this dataset (its permalink ends with it)",
    )
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
    area_name: str = spec(
        "area.name",
        export="area_name",
        hxl="#country+name",
        api="area_name",
        description="the country's or region's name",
    )
    area_kind: str = spec("area.kind", api="area_kind", description="country or region")
    metric_slug: str = spec(
        "figure.metric_slug",
        export="metric",
        hxl="#indicator+code",
        api="metric",
        entered="metric",
        description="what is counted, as a metric's code (enlisted, killed, pay_monthly, ...)",
    )
    metric_label: str = spec(
        "metric.label",
        export="metric_label",
        hxl="#indicator+name",
        api="metric_label",
        description="the metric's name",
    )
    low: Decimal | None = spec(
        "figure.low",
        export="low",
        hxl="#indicator+num+min",
        api="low",
        entered="low",
        description="the claim's lower end, an exact decimal; empty when it states only an upper end",
    )
    high: Decimal | None = spec(
        "figure.high",
        export="high",
        hxl="#indicator+num+max",
        api="high",
        entered="high",
        description="the claim's upper end, an exact decimal; empty when it states only a lower end",
    )
    bound: Bound = spec(
        "figure.bound",
        export="bound",
        hxl="#indicator+bound",
        api="bound",
        entered="bound",
        description="what the numbers say of the true value: exact, approximate, at_least, at_most, range",
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
        "figure.unit",
        export="unit",
        hxl="#indicator+unit",
        api="unit",
        entered="unit",
        description="the unit of the numbers, from the metric's own list",
    )
    currency: str | None = spec(
        "figure.currency",
        export="currency",
        hxl="#currency",
        api="currency",
        entered="currency",
        description="the ISO 4217 code of an amount of money; empty for counts",
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
        "figure.as_of",
        export="as_of",
        hxl="#date+as_of",
        api="as_of",
        entered="as_of",
        description="the date the figure holds on, as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD",
    )
    period_start: PartialDate | None = spec(
        "figure.period_start",
        export="period_start",
        hxl="#date+start",
        api="period_start",
        entered="period_start",
        description="the start of the period the figure counts over (YYYY, YYYY-MM or YYYY-MM-DD)",
    )
    period_end: PartialDate | None = spec(
        "figure.period_end",
        export="period_end",
        hxl="#date+end",
        api="period_end",
        entered="period_end",
        description="the end of the period the figure counts over (YYYY, YYYY-MM or YYYY-MM-DD)",
    )
    claimant: str = spec(
        "figure.claimant",
        export="claimant",
        hxl="#org+claimant+name",
        api="claimant",
        entered="claimant",
        description="who makes the claim",
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
    source_id: int = spec(
        "source.id",
        export="source_id",
        hxl="#meta+source+id",
        description="the id of the source record",
    )
    source_url: str = spec(
        "source.url",
        export="source_url",
        hxl="#meta+source+url",
        entered="source_url",
        description="the source's address",
    )
    source_publisher: str = spec(
        "source.publisher",
        export="source_publisher",
        hxl="#meta+source+publisher",
        entered="source_publisher",
        description="who published the source",
    )
    source_title: str = spec(
        "source.title",
        export="source_title",
        hxl="#meta+source+title",
        entered="source_title",
        description="the source's title",
    )
    source_published: PartialDate | None = spec(
        "source.published",
        export="source_published",
        hxl="#date+source",
        entered="source_published",
        description="when the source was published (YYYY, YYYY-MM or YYYY-MM-DD)",
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
        description="the address of the original a reprint or wire copy carries",
    )
    source_archive_url: str | None = spec(
        "source.archive_url",
        export="source_archive_url",
        hxl="#meta+source+archive",
        entered="source_archive_url",
        description="the address of an archived copy of the source",
    )
    source_text_damaged: bool = spec(
        "source.text_damaged",
        export="source_text_damaged",
        hxl="#meta+source+damaged",
        entered="source_text_damaged",
        description="true when numbers or words of the original are missing in this copy",
    )
    notes: str = spec(
        "figure.notes",
        export="notes",
        hxl="#description+notes",
        api="notes",
        entered="notes",
        description="the editors' notes on the figure",
    )
    status: str = spec(
        "figure.status",
        export="status",
        hxl="#status",
        api="status",
        description="where the figure stands in moderation: downloads hold published figures only",
    )
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
        if self.as_of:
            return self.as_of.midpoint(), f"as of {self.as_of.label()}"
        if self.period_end:
            return self.period_end.midpoint(), f"end of period, {self.period_end.label()}"
        if self.period_start:
            return self.period_start.midpoint(), f"start of period, {self.period_start.label()}"
        return None

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
