"""The canonical filter of any request selects exactly the published figures the request does,
on the demo data and hostile rows: FigureFilter.canonical (the API's kept answers and links)
and within_span on top of it (the downloads' kept files)."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from app import queries
from app.domain.figures import ClaimantKind
from app.domain.filters import FigureFilter, Side, within_span
from app.web.api.schemas import FigureQuery
from stored_hostile import store_hostile_figures

AREAS = ("NPL", "npl", " NPL ", "IND", "KEN", "CUB", "ZZZ", "africa", "World")
METRICS = ("killed", "enlisted", "pay_monthly", " killed")
# As-of dates around the demo data's first (2022) and last (2026-03) and the hostile rows'.
AS_OF = ("2021", "2021-12-31", "2022", "2022-01-01", "2022-03", "2023", "2024-02", "2024-02-01",
         "2025-11-19", "2025-12", "2026", "2026-02-26", "2026-03", "2026-03-31", "2027")  # fmt: skip
TEXTS = (None, "", " ", "Post", " ministry ", "space", " leading space", "%", "_", "Ωmega")


def sometimes(values: tuple[str | None, ...]) -> st.SearchStrategy[str | None]:
    """Return None half the time, otherwise one of the values (most requests leave most open)."""
    return st.one_of(st.none(), st.sampled_from(values))


REQUESTS = st.builds(
    FigureQuery,
    area=st.lists(st.sampled_from(AREAS), max_size=3),
    metric=st.lists(st.sampled_from(METRICS), max_size=2),
    claimant_kind=st.one_of(st.just([]), st.lists(st.sampled_from(list(ClaimantKind)), max_size=5)),
    side=st.sampled_from([None, *Side]),
    as_of_from=sometimes(AS_OF),
    as_of_to=sometimes(AS_OF),
    q=sometimes(TEXTS),
)


def selected(session: Session, figure_filter: FigureFilter) -> list[int]:
    """Return the ids of the published figures the filter selects, as downloads and pages do."""
    ids = [record.id for record in queries.stream_published(session, figure_filter)]
    assert queries.count_published(session, figure_filter) == len(ids)
    return ids


def test_the_canonical_filter_of_any_request_selects_the_same_figures(session: Session) -> None:
    store_hostile_figures(session)
    span = queries.published_as_of_span(session)
    assert span is not None and span[0] <= date(2022, 1, 1) and span[1] >= date(2026, 3, 1)
    sizes: list[int] = []

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(REQUESTS)
    def same_figures(query: FigureQuery) -> None:
        asked = query.to_filter()
        figures = selected(session, asked)
        canonical = asked.canonical()
        assert selected(session, canonical) == figures, canonical
        kept = within_span(canonical, span)
        assert selected(session, kept) == figures, kept
        sizes.append(len(figures))

    same_figures()
    assert 0 in sizes and sum(size > 10 for size in sizes) > 10  # both kinds of answer were asked
