"""A group chart written as compact JSON text and read back unchanged (the summaries table keeps
it beside the group's summary; app/domain/group_charts.py says what it holds)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, overload

from app.domain.chart_bins import PERIODS, ChartBins, FigureBin, Period
from app.domain.figures import ClaimantKind
from app.domain.group_charts import ChartPart, GroupChart
from app.domain.summary_text import day_of, day_text, decimal_of, number_text

_KINDS = {kind.value: kind for kind in ClaimantKind}


def _bin_fields(found: FigureBin) -> list[Any]:
    return [
        found.kind.value,
        day_text(found.start),
        found.count,
        number_text(found.lowest),
        number_text(found.highest),
        number_text(found.lowest_positive),
        found.at_least,
        found.at_most,
        found.ranges,
    ]


def _bin_of(period: Period | None, written: list[Any]) -> FigureBin:
    kind, start, count, lowest, highest, positive, at_least, at_most, ranges = written
    return FigureBin(
        kind=_KINDS[kind],
        period=period,
        start=day_of(start),
        count=count,
        lowest=Decimal(lowest),
        highest=Decimal(highest),
        lowest_positive=decimal_of(positive),
        at_least=at_least,
        at_most=at_most,
        ranges=ranges,
    )


def _span(span: tuple[date, date] | tuple[Decimal, Decimal] | None) -> list[str] | None:
    if span is None:
        return None
    return [str(value) if isinstance(value, Decimal) else value.isoformat() for value in span]


def group_chart_text(chart: GroupChart) -> str:
    """Return the group chart as JSON text (the same chart always gives the same text)."""
    written = {
        "listed": list(chart.listed_ids),
        "undated": list(chart.undated_ids),
        "undated_count": chart.undated_count,
        "parts": [
            {
                "currency": part.currency,
                "unit": part.unit,
                "count": part.figure_count,
                "dated": part.dated_count,
                "log": part.log_scale,
                "span": _span(part.date_span),
                "values": _span(part.positive_values),
                "bins": [
                    {
                        "dated": [_bin_fields(found) for found in binned.dated],
                        "undated": [_bin_fields(found) for found in binned.undated],
                    }
                    for binned in part.bins
                ],
            }
            for part in chart.parts
        ],
    }
    return json.dumps(written, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def group_chart_of_text(text: str) -> GroupChart:
    """Return the group chart that group_chart_text wrote."""
    written = json.loads(text)
    return GroupChart(
        listed_ids=tuple(written["listed"]),
        undated_ids=tuple(written["undated"]),
        undated_count=written["undated_count"],
        parts=tuple(_part_of(part) for part in written["parts"]),
    )


def _part_of(written: dict[str, Any]) -> ChartPart:
    span, values = written["span"], written["values"]
    return ChartPart(
        currency=written["currency"],
        unit=written["unit"],
        figure_count=written["count"],
        dated_count=written["dated"],
        log_scale=written["log"],
        date_span=None
        if span is None
        else (date.fromisoformat(span[0]), date.fromisoformat(span[1])),
        positive_values=None if values is None else (Decimal(values[0]), Decimal(values[1])),
        bins=_BinsAsWritten(written["count"], written["bins"]),
        mark_counts=tuple(len(found["dated"]) + len(found["undated"]) for found in written["bins"]),
    )


class _BinsAsWritten(Sequence[ChartBins]):
    """A part's bins at every period of PERIODS, each period's read from the text when first
    asked for: a page draws one period of a part, and reads only that one."""

    def __init__(self, figure_count: int, written: list[dict[str, Any]]) -> None:
        self._figure_count = figure_count
        self._written = written
        self._read: dict[int, ChartBins] = {}

    def __len__(self) -> int:
        return len(self._written)

    @overload
    def __getitem__(self, index: int) -> ChartBins: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[ChartBins]: ...

    def __getitem__(self, index: int | slice) -> ChartBins | Sequence[ChartBins]:
        if isinstance(index, slice):
            return [self[position] for position in range(len(self))[index]]
        position = range(len(self))[index]  # IndexError beyond the periods
        if position not in self._read:
            period, binned = PERIODS[position], self._written[position]
            self._read[position] = ChartBins(
                period=period,
                figure_count=self._figure_count,
                dated=tuple(_bin_of(period, found) for found in binned["dated"]),
                undated=tuple(_bin_of(None, found) for found in binned["undated"]),
            )
        return self._read[position]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside: never a dict key
