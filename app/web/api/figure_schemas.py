"""The API's figure and comparison models, and how domain values become them.

Numbers are exact decimals written as text ("15000", "2.5"), as stored; dates are partial ISO
text ("2025", "2025-11", "2025-11-19"), as precise as the source.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Self

from pydantic import BaseModel, Field, create_model

from app.domain.claim_comparison import ClaimDisagreement, ClaimFacts, Verdict
from app.domain.claim_sides import Side as ClaimSide
from app.domain.claim_sides import SideComparison
from app.domain.comparisons import FigureGroup
from app.domain.dates import PartialDate
from app.domain.figure_spec import FieldSpec, ValueKind, decimal_text, plain_value
from app.domain.figures import Bound, ClaimantKind, format_factor
from app.domain.records import FIGURE_SPEC, FigureRecord
from app.domain.revision_history import RevisionView
from app.domain.sources import SOURCE_KIND_LABELS, Provenance, SourceKind, provenance_label
from app.domain.vocabulary import KIND_LABELS
from app.web import urls

Exact = Annotated[
    str | None, Field(description="exact decimal as text, e.g. '15000' or '2.5'; null if none")
]
PartialIso = Annotated[
    str | None, Field(description="partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD); null if none")
]


def as_utc(moment: datetime) -> datetime:
    """Return the moment with its time zone (SQLite returns stored UTC times without one)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ProvenanceOut(BaseModel):
    """Where a source's text comes from: its kind, the original a copy carries, its damage."""

    kind: SourceKind = Field(
        description="original, official (document or statement), reprint (or aggregator), wire"
        " (copy), or unknown (not recorded)"
    )
    kind_label: str
    original_publisher: str | None = Field(description="whose text a reprint or wire copy carries")
    original_url: str | None
    archive_url: str | None
    text_damaged: bool = Field(description="numbers or words of the original missing in this copy")
    provenance: str = Field(
        description="the provenance in words, e.g. 'reprinted by News Directory 3 from The Cipher"
        " Brief; numbers or words missing in this copy' (empty when there is nothing to say)"
    )

    @staticmethod
    def fields_of(provenance: Provenance, archive_url: str | None) -> dict[str, Any]:
        """Return the provenance fields of a source or a record's source."""
        return {
            "kind": provenance.kind,
            "kind_label": SOURCE_KIND_LABELS[provenance.kind],
            "original_publisher": provenance.original_publisher,
            "original_url": provenance.original_url,
            "archive_url": archive_url,
            "text_damaged": provenance.text_damaged,
            "provenance": provenance_label(provenance),
        }


class SourceRefOut(ProvenanceOut):
    """The document a figure comes from."""

    id: int
    url: str
    publisher: str
    title: str
    published: PartialIso
    page: str
    api: str


class FigureOutBase(BaseModel):
    """What the API's figure says besides its specified fields: links, labels and its source."""

    permalink: str = Field(description="the figure's permanent address, to cite")
    api: str
    value_label: str = Field(description="the numbers as claimed, e.g. '14,000–15,000 persons'")
    date_label: str
    claimant_kind_label: str
    official: bool = Field(description="true for governments' figures (the official_* kinds)")
    source: SourceRefOut

    @classmethod
    def of(cls, record: FigureRecord, public_base_url: str) -> Self:
        """Return the output of a figure record."""
        return cls(**figure_fields(record, public_base_url))


def _api_type(field_spec: FieldSpec) -> Any:
    """Return the API type of a specified field."""
    if field_spec.choices is not None:
        return field_spec.choices
    return _API_TYPES[field_spec.kind]


_API_TYPES: dict[ValueKind, Any] = {
    ValueKind.ID: int,
    ValueKind.OPTIONAL_ID: int | None,
    ValueKind.TEXT: str,
    ValueKind.OPTIONAL_TEXT: str | None,
    ValueKind.NUMBER: Exact,
    ValueKind.PARTIAL_DATE: PartialIso,
}
_API_FIELDS = tuple(field_spec for field_spec in FIGURE_SPEC if field_spec.api)

if TYPE_CHECKING:
    FigureOut = FigureOutBase
else:
    FigureOut = create_model(
        "FigureOut",
        __base__=FigureOutBase,
        __doc__="A published figure: who claims how many of what, where, when, from which source,"
        " in which words.",
        **{
            field_spec.api: (
                _api_type(field_spec),
                Field(description=field_spec.description) if field_spec.description else ...,
            )
            for field_spec in _API_FIELDS
        },
    )


def partial_iso(partial: PartialDate | None) -> str | None:
    """Return a partial date as partial ISO text, None for none."""
    return partial.iso() if partial else None


def figure_fields(record: FigureRecord, public_base_url: str) -> dict[str, Any]:
    """Return the FigureOut fields of a record."""
    specified = {
        field_spec.api: plain_value(field_spec.kind, getattr(record, field_spec.name))
        for field_spec in _API_FIELDS
        if field_spec.api
    }
    return {
        **specified,
        "permalink": urls.permalink(public_base_url, record.id),
        "api": urls.figure_api(record.id),
        "value_label": record.value_label,
        "date_label": record.date_label,
        "claimant_kind_label": KIND_LABELS[record.claimant_kind],
        "official": record.claimant_kind.is_official,
        "source": SourceRefOut(
            id=record.source_id,
            url=record.source_url,
            publisher=record.source_publisher,
            title=record.source_title,
            published=partial_iso(record.source_published),
            page=urls.source(record.source_id),
            api=urls.source_api(record.source_id),
            **ProvenanceOut.fields_of(record.provenance, record.source_archive_url),
        ),
    }


class FieldChangeOut(BaseModel):
    """One field's value before and after a change; a value withheld by a moderator reads
    "redacted", with `redacted` true."""

    before: str | int | bool | None
    after: str | int | bool | None
    redacted: bool = False


class RevisionOut(BaseModel):
    """One change to a figure: who, when, why, and which fields changed. The public history
    begins at the figure's publication (`created` true, no changes listed)."""

    number: int
    changed_at: datetime
    changed_by: str
    reason: str
    created: bool
    changes: dict[str, FieldChangeOut]

    @classmethod
    def of(cls, revision: RevisionView) -> RevisionOut:
        """Return the output of a revision of the public history."""
        return cls(
            number=revision.number,
            changed_at=as_utc(revision.changed_at),
            changed_by=revision.changed_by,
            reason=revision.reason,
            created=revision.first,
            changes={
                name: FieldChangeOut(
                    before=change.before, after=change.after, redacted=change.redacted
                )
                for name, change in revision.changes.items()
            },
        )


class FigureDetailOut(FigureOut):
    """A figure with its citation text and its revision history."""

    citation: str = Field(description="a citation ready to paste, with the dataset version")
    dataset_version: str
    revisions: list[RevisionOut]


class FigurePageOut(BaseModel):
    """One page of published figures and how many match in all."""

    dataset_version: str
    total: int
    limit: int
    offset: int
    next: str | None = Field(description="the address of the next page, null on the last")
    previous: str | None
    downloads: dict[str, str] = Field(description="every matching figure as CSV and JSON")
    items: list[FigureOut]


class ClaimRefOut(BaseModel):
    """One figure a comparison used: its id, its numbers as claimed, who says so and when."""

    figure_id: int
    low: Exact
    high: Exact
    bound: Bound
    value_label: str
    claimant: str
    claimant_kind: ClaimantKind
    date: str = Field(description="the date or period the figure holds for, for reading")

    @classmethod
    def of(cls, facts: ClaimFacts) -> ClaimRefOut:
        """Return the reference of a compared claim."""
        return cls(
            figure_id=facts.figure_id,
            low=_exact(facts.low),
            high=_exact(facts.high),
            bound=facts.bound,
            value_label=facts.value_label,
            claimant=facts.claimant,
            claimant_kind=facts.claimant_kind,
            date=facts.date_label,
        )


def _claim_ref(facts: ClaimFacts | None) -> ClaimRefOut | None:
    return None if facts is None else ClaimRefOut.of(facts)


class DisagreementOut(BaseModel):
    """The largest conflict between current comparable claims, or why there is none.

    Claims conflict only when their intervals do not overlap; a claimant's later figure
    supersedes its earlier ones and repeats add no voice (docs/comparing.md, "Comparing claims").
    """

    verdict: Verdict = Field(description="conflict, consistent or not_compared")
    label: str = Field(description="as the pages show it: '70x', 'consistent', 'not compared: …'")
    factor: Exact = Field(
        description="for a conflict: the higher claim's lower end over the lower claim's upper"
        " end, rounded to two decimals; null otherwise"
    )
    higher: ClaimRefOut | None
    lower: ClaimRefOut | None
    reason: str = Field(description="why the claims are consistent or not compared")

    @classmethod
    def of(cls, found: ClaimDisagreement) -> DisagreementOut:
        """Return the output of a disagreement."""
        return cls(
            verdict=found.verdict,
            label=found.label(),
            factor=_rounded(found.factor),
            higher=_claim_ref(found.higher),
            lower=_claim_ref(found.lower),
            reason=found.reason,
        )


class SideOut(BaseModel):
    """One official side's current figure against the independent side's, never pooled."""

    side: ClaimSide
    side_label: str
    official: ClaimRefOut | None = Field(description="the side's latest dated figure")
    independent: ClaimRefOut | None = Field(
        description="the independent side's latest dated figure"
    )
    ratio: Exact = Field(description="the larger central value over the smaller, two decimals")
    ratio_label: str | None
    higher: str | None = Field(description="official, independent, or null")
    reason: str = Field(description="why there is no ratio; empty when there is one")

    @classmethod
    def of(cls, compared: SideComparison) -> SideOut:
        """Return the output of one side's comparison."""
        return cls(
            side=compared.side,
            side_label=compared.side.label,
            official=_claim_ref(compared.official),
            independent=_claim_ref(compared.independent),
            ratio=_rounded(compared.ratio),
            ratio_label=format_factor(compared.ratio) if compared.ratio else None,
            higher=compared.higher,
            reason=compared.reason,
        )


class ChartPointOut(BaseModel):
    """Where a figure sits on the estimates chart, and why there."""

    figure_id: int
    date: str
    placed: str
    low: Exact
    high: Exact
    bound: Bound
    claimant_kind: ClaimantKind


def _rounded(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value.quantize(Decimal("0.01")))


def _exact(value: Decimal | None) -> str | None:
    return decimal_text(value)


class ComparisonOut(BaseModel):
    """One area and one metric: the figures, how far they disagree, official against the rest."""

    area: str
    area_name: str
    metric: str
    metric_label: str
    page: str
    api: str
    downloads: dict[str, str]
    figure_count: int
    log_scale: bool
    disagreement: DisagreementOut
    sides: list[SideOut] = Field(
        description="each official side (Russian, Ukrainian, home, other governments) against"
        " independent sources, one at a time"
    )
    chart_points: list[ChartPointOut]
    undated_figures: list[int] = Field(description="figures the chart cannot place (no date)")
    figures: list[FigureOut]

    @classmethod
    def of(cls, group: FigureGroup, public_base_url: str) -> ComparisonOut:
        """Return the output of a group of figures of one area and metric."""
        area_kind = group.records[0].area_kind
        points = [
            ChartPointOut(
                figure_id=record.id,
                date=placed[0].isoformat(),
                placed=placed[1],
                low=_exact(record.low),
                high=_exact(record.high),
                bound=record.bound,
                claimant_kind=record.claimant_kind,
            )
            for record in group.records
            if (placed := record.chart_date) is not None
        ]
        return cls(
            area=group.area_code,
            area_name=group.area_name,
            metric=group.metric_slug,
            metric_label=group.metric_label,
            page=f"{urls.area_page(group.area_code, area_kind)}#metric-{group.metric_slug}",
            api=urls.comparison_api(group.area_code, group.metric_slug),
            downloads=urls.downloads(area=group.area_code, metric=group.metric_slug),
            figure_count=len(group.records),
            log_scale=group.log_scale,
            disagreement=DisagreementOut.of(group.disagreement),
            sides=[SideOut.of(compared) for compared in group.sides],
            chart_points=points,
            undated_figures=[record.id for record in group.records if record.chart_date is None],
            figures=[FigureOut.of(record, public_base_url) for record in group.records],
        )
