"""A group's summary written as JSON text and read back unchanged (what the summaries table keeps).

Numbers are written as decimal text (exactly as computed, exponent included) and dates as ISO
days with their precision, so that a summary read back equals the one written: the pages show
the same labels as when they computed it from the figures.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from app.domain.claim_comparison import ClaimDisagreement, ClaimFacts, Verdict
from app.domain.claim_sides import CurrentEstimate, Side, SideComparison
from app.domain.comparisons import GroupSummary
from app.domain.dates import DatePrecision, PartialDate
from app.domain.figures import Bound, ClaimantKind

# Change it whenever what a summary holds or how it is computed changes (a comparison rule, a
# field): `python -m app migrate` then computes every kept summary again.
SUMMARY_FORMAT = 3  # 3: with the group's chart (app/domain/group_charts.py)
# How many latest figures of each side a summary names (the metric page lists them).
LISTED_PER_SIDE = 5


def number_text(value: Decimal | None) -> str | None:
    """Return a number as exact decimal text (None stays None)."""
    return None if value is None else str(value)


def decimal_of(text: str | None) -> Decimal | None:
    """Return the number number_text wrote."""
    return None if text is None else Decimal(text)


def day_text(value: date | None) -> str | None:
    """Return a day as ISO text (None stays None)."""
    return None if value is None else value.isoformat()


def day_of(text: str | None) -> date | None:
    """Return the day day_text wrote."""
    return None if text is None else date.fromisoformat(text)


def _partial(value: PartialDate | None) -> list[str] | None:
    return None if value is None else [value.value.isoformat(), value.precision.value]


def _partial_of(written: list[str] | None) -> PartialDate | None:
    return None if written is None else _partial_date(written[0], written[1])


@lru_cache(maxsize=8_192)
def _partial_date(day: str, precision: str) -> PartialDate:
    """Return the partial date (summaries share few distinct dates: each is made once)."""
    return PartialDate(date.fromisoformat(day), DatePrecision(precision))


# Enum members by value: a dict look-up, where calling the enum costs ten times more.
_BOUNDS = {bound.value: bound for bound in Bound}
_KINDS = {kind.value: kind for kind in ClaimantKind}
_SIDES = {side.value: side for side in Side}
_VERDICTS = {verdict.value: verdict for verdict in Verdict}


def _facts_fields(facts: ClaimFacts) -> dict[str, Any]:
    return {
        "area_code": facts.area_code,
        "metric_slug": facts.metric_slug,
        "low": number_text(facts.low),
        "high": number_text(facts.high),
        "bound": facts.bound.value,
        "unit": facts.unit,
        "currency": facts.currency,
        "claimant": facts.claimant,
        "claimant_kind": facts.claimant_kind.value,
        "as_of": _partial(facts.as_of),
        "period_start": _partial(facts.period_start),
        "period_end": _partial(facts.period_end),
        "repeats_id": facts.repeats_id,
    }


def _facts_of(figure_id: int, written: dict[str, Any]) -> ClaimFacts:
    return ClaimFacts(
        figure_id=figure_id,
        area_code=written["area_code"],
        metric_slug=written["metric_slug"],
        low=decimal_of(written["low"]),
        high=decimal_of(written["high"]),
        bound=_BOUNDS[written["bound"]],
        unit=written["unit"],
        currency=written["currency"],
        claimant=written["claimant"],
        claimant_kind=_KINDS[written["claimant_kind"]],
        as_of=_partial_of(written["as_of"]),
        period_start=_partial_of(written["period_start"]),
        period_end=_partial_of(written["period_end"]),
        repeats_id=written["repeats_id"],
    )


def _facts_named(summary: GroupSummary) -> list[ClaimFacts]:
    """Return every claim the summary refers to (each figure written once, by id)."""
    found = [summary.disagreement.higher, summary.disagreement.lower]
    for side in summary.sides:
        found += [side.official, side.independent]
    if summary.estimate is not None:
        found.append(summary.estimate.facts)
    return [facts for facts in found if facts is not None]


def _id(facts: ClaimFacts | None) -> int | None:
    return None if facts is None else facts.figure_id


def summary_text(summary: GroupSummary) -> str:
    """Return the summary as JSON text (keys sorted: the same summary always gives the same text)."""
    found = summary.disagreement
    written = {
        "area_code": summary.area_code,
        "metric_slug": summary.metric_slug,
        "figure_count": summary.figure_count,
        "latest_id": summary.latest_id,
        "official_count": summary.official_count,
        "other_count": summary.other_count,
        "latest_official_ids": list(summary.latest_official_ids),
        "latest_independent_ids": list(summary.latest_independent_ids),
        "first_day": day_text(summary.first_day),
        "last_day": day_text(summary.last_day),
        "facts": {str(f.figure_id): _facts_fields(f) for f in _facts_named(summary)},
        "disagreement": {
            "verdict": found.verdict.value,
            "factor": number_text(found.factor),
            "higher": _id(found.higher),
            "lower": _id(found.lower),
            "reason": found.reason,
        },
        "sides": [
            {
                "side": side.side.value,
                "official": _id(side.official),
                "independent": _id(side.independent),
                "ratio": number_text(side.ratio),
                "higher": side.higher,
                "reason": side.reason,
            }
            for side in summary.sides
        ],
        "estimate": (
            None
            if summary.estimate is None
            else {"side": summary.estimate.side.value, "facts": summary.estimate.facts.figure_id}
        ),
    }
    return json.dumps(written, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@lru_cache(maxsize=16_384)  # beyond the groups there are (about 6,300 at 1M figures)
def summary_of_text(text: str) -> GroupSummary:
    """Return the summary that summary_text wrote.

    Summaries are immutable and a text always reads as the same summary, so each text is read
    once per process: after a change, a page reading every group's summary reads again only
    those of the groups that changed.
    """
    written = json.loads(text)
    facts = {int(key): _facts_of(int(key), value) for key, value in written["facts"].items()}

    def named(figure_id: int | None) -> ClaimFacts | None:
        return None if figure_id is None else facts[figure_id]

    found = written["disagreement"]
    estimate = written["estimate"]
    return GroupSummary(
        area_code=written["area_code"],
        metric_slug=written["metric_slug"],
        figure_count=written["figure_count"],
        disagreement=ClaimDisagreement(
            verdict=_VERDICTS[found["verdict"]],
            factor=decimal_of(found["factor"]),
            higher=named(found["higher"]),
            lower=named(found["lower"]),
            reason=found["reason"],
        ),
        sides=tuple(
            SideComparison(
                side=_SIDES[side["side"]],
                official=named(side["official"]),
                independent=named(side["independent"]),
                ratio=decimal_of(side["ratio"]),
                higher=side["higher"],
                reason=side["reason"],
            )
            for side in written["sides"]
        ),
        latest_id=written["latest_id"],
        official_count=written["official_count"],
        other_count=written["other_count"],
        latest_official_ids=tuple(written["latest_official_ids"]),
        latest_independent_ids=tuple(written["latest_independent_ids"]),
        first_day=day_of(written["first_day"]),
        last_day=day_of(written["last_day"]),
        estimate=(
            None
            if estimate is None
            else CurrentEstimate(_SIDES[estimate["side"]], facts[estimate["facts"]])
        ),
    )
