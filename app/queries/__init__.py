"""Every read and write as fn(session, ...): flush, never commit; the caller owns the transaction."""

from app.queries.figures import (
    add_figure,
    count_figures,
    differs_from,
    figure_by_external_ref,
    figure_columns,
    figure_state,
    public_record,
    published_counts_by_area,
    published_records,
    revisions_of,
    to_record,
)
from app.queries.sources import (
    exchange_rates,
    get_source,
    source_for,
    source_for_fields,
    sources_with_counts,
)
from app.queries.timeline import (
    add_event,
    event_by_external_ref,
    timeline_for,
)
from app.queries.vocabulary import (
    areas_by_code,
    claimant_kinds,
    country_name,
    get_area,
    get_metric,
    list_metrics,
    sync_vocabulary,
    validation_context,
)

__all__ = [
    "add_event",
    "add_figure",
    "areas_by_code",
    "claimant_kinds",
    "count_figures",
    "country_name",
    "differs_from",
    "event_by_external_ref",
    "exchange_rates",
    "figure_by_external_ref",
    "figure_columns",
    "figure_state",
    "get_area",
    "get_metric",
    "get_source",
    "list_metrics",
    "public_record",
    "published_counts_by_area",
    "published_records",
    "revisions_of",
    "source_for",
    "source_for_fields",
    "sources_with_counts",
    "sync_vocabulary",
    "timeline_for",
    "to_record",
    "validation_context",
]
