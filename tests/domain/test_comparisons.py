"""Grouping figures by area and metric, the latest figure, and the most contested groups."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from app.domain.comparisons import group_by_area_and_metric, group_by_metric, most_contested
from app.domain.figures import ClaimantKind
from app.domain.records import FigureRecord
from support import record


def test_latest_prefers_figures_with_their_own_date() -> None:
    groups = group_by_metric(
        [
            record(1, "200", "200", as_of="2023-12-26"),
            record(2, "2000", "2000", published="2026"),
            record(3, "699", "699", as_of="2025-11"),
        ],
        ["enlisted"],
    )
    assert groups[0].latest.id == 3


def test_latest_of_undated_figures_uses_the_source_date() -> None:
    groups = group_by_metric(
        [record(1, "5", "5", published="2024"), record(2, "6", "6", published="2025")], ["enlisted"]
    )
    assert groups[0].latest.id == 2


def test_groups_follow_the_vocabulary_order() -> None:
    records = [record(1, "5", "5", metric="killed"), record(2, "6", "6", metric="enlisted")]
    assert [g.metric_slug for g in group_by_metric(records, ["enlisted", "killed"])] == [
        "enlisted",
        "killed",
    ]


def test_most_contested_orders_by_factor_and_leaves_out_agreement() -> None:
    def claim(figure_id: int, value: str, area: str, claimant: str) -> FigureRecord:
        return replace(
            record(figure_id, value, value, as_of="2025-03", area=area), claimant=claimant
        )

    records = [
        claim(1, "10", "AAA", "first"),
        claim(2, "100", "AAA", "second"),
        claim(3, "10", "BBB", "first"),
        claim(4, "30", "BBB", "second"),
        claim(5, "7", "CCC", "first"),
        claim(6, "7", "CCC", "second"),
        claim(7, "9", "DDD", "first"),
        claim(8, "10", "EEE", "same"),
        claim(9, "90", "EEE", "same"),
    ]
    contested = most_contested(group_by_area_and_metric(records), limit=5)
    assert [(g.area_code, g.disagreement.factor) for g in contested] == [
        ("AAA", D(10)),
        ("BBB", D(3)),
    ]


def test_official_and_independent_records_split_by_kind() -> None:
    groups = group_by_metric(
        [record(1, "5", "5", kind=ClaimantKind.OFFICIAL_RUSSIA), record(2, "6", "6")], ["enlisted"]
    )
    assert [r.id for r in groups[0].official_records] == [1]
    assert [r.id for r in groups[0].independent_records] == [2]
