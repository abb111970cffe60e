"""Dates known to a day, a month or a year, written as partial ISO text (2025, 2025-11, 2025-11-19)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache


class DatePrecision(StrEnum):
    """How much of a date the source states."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_PRECISIONS = {precision.value: precision for precision in DatePrecision}
_PARTIAL_ISO = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


class PartialDateError(ValueError):
    """Text that is not a partial ISO date."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date with its precision; `value` is the first day of the month or year it names."""

    value: date
    precision: DatePrecision

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Return the partial date written as YYYY, YYYY-MM or YYYY-MM-DD."""
        match = _PARTIAL_ISO.match(text.strip())
        if match is None:
            raise PartialDateError("write a date as YYYY, YYYY-MM or YYYY-MM-DD")
        year_text, month_text, day_text = match.groups()
        year = int(year_text)
        if not 1900 <= year <= 2100:
            raise PartialDateError("the year must be between 1900 and 2100")
        try:
            if day_text is not None:
                return cls(date(year, int(month_text), int(day_text)), DatePrecision.DAY)
            if month_text is not None:
                return cls(date(year, int(month_text), 1), DatePrecision.MONTH)
        except ValueError as error:
            raise PartialDateError(f"no such date: {error}") from None
        return cls(date(year, 1, 1), DatePrecision.YEAR)

    @classmethod
    def of(cls, value: date | None, precision: str | None) -> PartialDate | None:
        """Return the partial date stored as a date and a precision, or None."""
        if value is None or precision is None:
            return None
        return cls(value, _PRECISIONS[precision])

    def iso(self) -> str:
        """Return the partial ISO text, as precise as the source."""
        if self.precision is DatePrecision.DAY:
            return self.value.isoformat()
        if self.precision is DatePrecision.MONTH:
            return self.value.strftime("%Y-%m")
        return f"{self.value.year:04d}"

    def label(self) -> str:
        """Return the date for reading: 19 Nov 2025, Nov 2025 or 2025."""
        if self.precision is DatePrecision.DAY:
            return f"{self.value.day} {self.value.strftime('%b %Y')}"
        if self.precision is DatePrecision.MONTH:
            return self.value.strftime("%b %Y")
        return str(self.value.year)

    def last_day(self) -> date:
        """Return the last day the partial date covers."""
        if self.precision is DatePrecision.DAY:
            return self.value
        if self.precision is DatePrecision.MONTH:
            days = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=days)
        return date(self.value.year, 12, 31)

    def midpoint(self) -> date:
        """Return the middle of the span the partial date covers (for placing it on a time axis)."""
        return date.fromordinal((self.value.toordinal() + self.last_day().toordinal()) // 2)


@lru_cache(maxsize=65_536)  # figures share few distinct dates; pages place thousands of them
def place_in_time(
    as_of: PartialDate | None, period_start: PartialDate | None, period_end: PartialDate | None
) -> tuple[date, str] | None:
    """Return where a figure sits on a time axis and why there; None when it states no date
    (an undated figure is never placed in time, not even at its source's date)."""
    if as_of:
        return as_of.midpoint(), f"as of {as_of.label()}"
    if period_end:
        return period_end.midpoint(), f"end of period, {period_end.label()}"
    if period_start:
        return period_start.midpoint(), f"start of period, {period_start.label()}"
    return None
