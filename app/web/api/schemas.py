"""The API's query parameters and its area, metric and source models (figures and comparisons:
app.web.api.figure_schemas).

Numbers are exact decimals written as text ("15000", "2.5"), as stored; dates are partial ISO
text ("2025", "2025-11", "2025-11-19"), as precise as the source.
"""

from __future__ import annotations

from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.dates import PartialDate
from app.domain.figures import MAX_IDENTIFIER, ClaimantKind
from app.domain.filters import FigureFilter, Side
from app.figure_input import parse_partial_date
from app.models import Area, Metric, Source, TimelineEvent
from app.queries.sources import source_provenance
from app.web import urls
from app.web.api.figure_schemas import (
    ComparisonOut,
    FigureOut,
    PartialIso,
    ProvenanceOut,
    partial_iso,
)
from app.web.pages.data import AreaData

PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100


class FigureQuery(BaseModel):
    """Which published figures: every parameter narrows the selection (repeat one to allow several)."""

    model_config = ConfigDict(extra="forbid")

    area: list[str] = Field(
        default_factory=list, description="ISO 3166-1 alpha-3 code or region slug (world, africa)"
    )
    metric: list[str] = Field(default_factory=list, description="metric slug, e.g. enlisted")
    claimant_kind: list[ClaimantKind] = Field(default_factory=list, description="who speaks")
    side: Side | None = Field(
        default=None,
        description="official: governments' figures (official_* kinds); independent: the rest",
    )
    as_of_from: str | None = Field(
        default=None,
        pattern=PARTIAL_DATE_PATTERN,
        description="figures whose as-of date is on or after the first day of this partial date",
    )
    as_of_to: str | None = Field(
        default=None,
        pattern=PARTIAL_DATE_PATTERN,
        description="figures whose as-of date is on or before the last day of this partial date",
    )
    q: str | None = Field(
        default=None,
        max_length=200,
        description="text in the claimant, the quote, or the source's publisher, title or address",
    )
    source: int | None = Field(
        default=None, ge=1, le=MAX_IDENTIFIER, description="the id of a source"
    )

    @field_validator("as_of_from", "as_of_to")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        parse_partial_date(value)
        return value

    @field_validator("area")
    @classmethod
    def _area_codes(cls, codes: list[str]) -> list[str]:
        cleaned = [code.strip() for code in codes if code.strip()]
        return [code.upper() if len(code) == 3 else code.lower() for code in cleaned]

    @field_validator("metric")
    @classmethod
    def _metric_slugs(cls, slugs: list[str]) -> list[str]:
        return [slug.strip() for slug in slugs if slug.strip()]

    def to_filter(self) -> FigureFilter:
        """Return the domain filter these parameters ask for."""
        return FigureFilter(
            areas=tuple(self.area),
            metrics=tuple(self.metric),
            claimant_kinds=tuple(self.claimant_kind),
            side=self.side,
            as_of_from=parse_partial_date(self.as_of_from),
            as_of_to=parse_partial_date(self.as_of_to),
            text=(self.q or "").strip(),
            source_id=self.source,
        )


def filter_parameters(figure_filter: FigureFilter) -> list[tuple[str, str]]:
    """Return the query parameters that ask for this filter, in FigureQuery's order and spelling
    (none for what the filter leaves open): one spelling for every spelling of one selection
    once the filter is canonical."""
    dates = (("as_of_from", figure_filter.as_of_from), ("as_of_to", figure_filter.as_of_to))
    single = (
        ("side", figure_filter.side.value if figure_filter.side else None),
        *((name, partial.iso() if partial else None) for name, partial in dates),
        ("q", figure_filter.text or None),
        ("source", None if figure_filter.source_id is None else str(figure_filter.source_id)),
    )
    return [
        *(("area", code) for code in figure_filter.areas),
        *(("metric", slug) for slug in figure_filter.metrics),
        *(("claimant_kind", kind.value) for kind in figure_filter.claimant_kinds),
        *((name, value) for name, value in single if value is not None),
    ]


class FigurePageQuery(FigureQuery):
    """The figure filters with a page: `limit` figures from `offset`, ordered by figure id."""

    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(default=0, ge=0, le=10**9)


class ExportQuery(FigureQuery):
    """The figure filters of a download, and whether to add HXL hashtags (CSV only)."""

    hxl: bool = Field(default=False, description="add a row of HXL hashtags under the header")

    @classmethod
    def of_filter(cls, figure_filter: FigureFilter, *, hxl: bool) -> ExportQuery:
        """Return the parameters that ask for this filter (and the HXL row, when hxl)."""
        return cls(
            area=list(figure_filter.areas),
            metric=list(figure_filter.metrics),
            claimant_kind=list(figure_filter.claimant_kinds),
            side=figure_filter.side,
            as_of_from=figure_filter.as_of_from.iso() if figure_filter.as_of_from else None,
            as_of_to=figure_filter.as_of_to.iso() if figure_filter.as_of_to else None,
            q=figure_filter.text or None,
            source=figure_filter.source_id,
            hxl=hxl,
        )

    def query_string(self) -> str:
        """Return the parameters that differ from the defaults as a query string (flags as 1)."""
        values = self.model_dump(mode="json", exclude_defaults=True)
        flags_as_digits = {
            name: int(value) if isinstance(value, bool) else value for name, value in values.items()
        }
        return urlencode(flags_as_digits, doseq=True)


class AreaSummaryOut(BaseModel):
    """A country or region and how many published figures it has, per metric."""

    code: str
    name: str
    kind: str
    figure_count: int
    metric_counts: dict[str, int]
    page: str
    api: str
    downloads: dict[str, str]

    @classmethod
    def of(cls, area: Area, metric_counts: dict[str, int]) -> AreaSummaryOut:
        """Return the summary of an area with its published-figure counts per metric."""
        return cls(
            code=area.code,
            name=area.name,
            kind=area.kind,
            figure_count=sum(metric_counts.values()),
            metric_counts=metric_counts,
            page=urls.area_page(area.code, area.kind),
            api=urls.area_api(area.code),
            downloads=urls.downloads(area=area.code),
        )


class AreaListOut(BaseModel):
    """Countries and regions with published figures."""

    dataset_version: str
    areas: list[AreaSummaryOut]


class TimelineEventOut(BaseModel):
    """A dated event in an area's story, with its source."""

    date: str = Field(description="partial ISO date")
    title: str
    description: str
    source_url: str
    source_publisher: str

    @classmethod
    def of(cls, event: TimelineEvent) -> TimelineEventOut:
        """Return the output of a stored timeline event."""
        partial = PartialDate.of(event.happened_on, event.date_precision)
        return cls(
            date=partial.iso() if partial else event.happened_on.isoformat(),
            title=event.title,
            description=event.description,
            source_url=event.source.url,
            source_publisher=event.source.publisher,
        )


class AreaDetailOut(AreaSummaryOut):
    """A country's or region's page as data: one comparison per metric, and its timeline."""

    dataset_version: str
    description: str
    comparisons: list[ComparisonOut]
    timeline: list[TimelineEventOut]

    @classmethod
    def of(cls, data: AreaData, base_url: str) -> AreaDetailOut:  # type: ignore[override]
        """Return an area's data as its page shows it."""
        return cls(
            **AreaSummaryOut.of(data.area, data.metric_counts).model_dump(),
            dataset_version=data.dataset_version,
            description=data.area.description,
            comparisons=[ComparisonOut.of(group.group(), base_url) for group in data.groups],
            timeline=[TimelineEventOut.of(event) for event in data.timeline],
        )


class MetricOut(BaseModel):
    """One metric of the fixed vocabulary and how many published figures it has."""

    slug: str
    label: str
    group: str
    unit_kind: str
    definition: str
    figure_count: int
    page: str
    api: str
    downloads: dict[str, str]

    @classmethod
    def of(cls, metric: Metric, figure_count: int) -> MetricOut:
        """Return the output of a metric with its published-figure count."""
        return cls(
            slug=metric.slug,
            label=metric.label,
            group=metric.group,
            unit_kind=metric.unit_kind,
            definition=metric.definition,
            figure_count=figure_count,
            page=urls.metric(metric.slug),
            api=urls.metric_api(metric.slug),
            downloads=urls.downloads(metric=metric.slug),
        )


class MetricListOut(BaseModel):
    """The metric vocabulary."""

    dataset_version: str
    metrics: list[MetricOut]


class MetricDetailOut(MetricOut):
    """A metric's page as data: one comparison per area, the most contested first."""

    dataset_version: str
    comparisons: list[ComparisonOut]


class SourceOut(ProvenanceOut):
    """A document figures come from, and how many published figures it supports."""

    id: int
    url: str
    publisher: str
    title: str
    published: PartialIso
    figure_count: int
    page: str
    api: str
    downloads: dict[str, str]

    @classmethod
    def of(cls, source: Source, figure_count: int) -> SourceOut:
        """Return the output of a stored source."""
        return cls(
            id=source.id,
            url=source.url,
            publisher=source.publisher,
            title=source.title,
            published=partial_iso(PartialDate.of(source.published, source.published_precision)),
            figure_count=figure_count,
            page=urls.source(source.id),
            api=urls.source_api(source.id),
            downloads=urls.downloads(source=source.id),
            **ProvenanceOut.fields_of(source_provenance(source), source.archive_url),
        )


class SourceListOut(BaseModel):
    """Every source that public figures, events or exchange rates cite."""

    dataset_version: str
    sources: list[SourceOut]


class SourceDetailOut(SourceOut):
    """A source's page as data: the published figures it supports."""

    dataset_version: str
    figures: list[FigureOut]


class LicenceOut(BaseModel):
    """The dataset's licence and the line to credit it with (app/domain/licence.py)."""

    name: str = Field(description="CC BY 4.0")
    title: str
    spdx: str = Field(description="the SPDX identifier, CC-BY-4.0")
    url: str
    scope: str = Field(description="what the licence covers")
    attribution: str = Field(description="the line to credit the data with, for this version")


class ApiIndexOut(BaseModel):
    """Where everything is, the dataset version and its licence."""

    dataset_version: str
    endpoints: dict[str, str]
    docs: str
    openapi: str
    licence: LicenceOut
