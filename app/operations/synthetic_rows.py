"""What a synthetic figure looks like: its area, metric, numbers, dates, claimant, quote, source,
history and submission, drawn from a seeded random generator (app/operations/synthetic.py stores them)."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pycountry

from app.domain.figure_spec import decimal_text
from app.domain.vocabulary import REGIONS
from app.queries.vocabulary import country_name

COUNTRY_COUNT = 197

FOCUS_COUNTRIES = ("NPL", "IND", "CUB", "KEN", "LKA", "PRK", "SYR", "UZB", "TJK", "GHA", "CMR")

EDITOR = "synthetic"

FIRST_DAY = date(2022, 3, 1)

DAYS = 1_400

CORRECTION = "Corrected the date after checking the source."

METRIC_WEIGHTS = {
    "enlisted": 10,
    "recruited": 6,
    "killed": 9,
    "missing": 6,
    "killed_or_missing": 2,
    "casualties": 2,
    "captured": 3,
    "criminal_cases": 4,
    "convictions": 2,
    "pay_monthly": 3,
    "signing_bonus": 2,
    "training_weeks": 1,
}

BOUND_WEIGHTS = {"exact": 15, "approximate": 35, "at_least": 25, "at_most": 5, "range": 20}

QUALIFIERS = {
    "exact": ("", "", "a total of"),
    "approximate": ("about", "around", "roughly", "nearly", "some"),
    "at_least": ("at least", "more than", "over", "no fewer than"),
    "at_most": ("up to", "no more than", "fewer than"),
    "range": ("between", "from", ""),
}

KIND_WEIGHTS = {
    "official_russia": 8,
    "official_origin": 18,
    "official_ukraine": 14,
    "official_third": 6,
    "independent": 22,
    "media": 20,
    "testimony": 8,
    "unknown": 4,
}

PUBLISHERS = (
    "The Kathmandu Post",
    "BBC News Russian",
    "Mediazona",
    "Reuters",
    "Associated Press",
    "The Hindu",
    "Kyiv Independent",
    "Meduza",
    "Radio Free Europe/Radio Liberty",
    "Daily Nation",
    "Al Jazeera",
    "The Guardian",
    "Ministry of Foreign Affairs",
    "Coordination HQ for the Treatment of POWs",
    "Institute for the Study of War",
    "Novaya Gazeta Europe",
)

COUNTED_AS = ("", "", "", "", "named list", "Moscow only", "bodies repatriated", "confirmed cases")

CURRENCIES = (("RUB", 150_000, 250_000), ("USD", 1_500, 3_000), ("NPR", 250_000, 400_000))


def area_codes(rng: random.Random) -> list[str]:
    """Return about 200 area codes: the focus countries, others drawn by seed, and the regions."""
    codes = sorted(country.alpha_3 for country in pycountry.countries if country.alpha_3 != "RUS")
    others = [code for code in codes if code not in FOCUS_COUNTRIES]
    chosen = list(FOCUS_COUNTRIES) + rng.sample(others, COUNTRY_COUNT - len(FOCUS_COUNTRIES))
    return chosen + ["RUS"] + [region.slug for region in REGIONS]


def area_names() -> dict[str, str]:
    names = {country.alpha_3: country_name(country) for country in pycountry.countries}
    names.update({region.slug: region.name for region in REGIONS})
    return names


def partial_date(rng: random.Random, day: date) -> tuple[date, str]:
    """Return a date with a precision (mostly a day), set to the first day of what it names."""
    draw = rng.random()
    if draw < 0.6:
        return day, "day"
    if draw < 0.9:
        return day.replace(day=1), "month"
    return day.replace(month=1, day=1), "year"


def value_of(rng: random.Random, unit_kind: str, slug: str) -> tuple[int, str, str | None]:
    """Return a plausible central value, its unit and currency for a metric."""
    if unit_kind == "money":
        currency, low, high = rng.choice(CURRENCIES)
        scale = 10 if slug == "signing_bonus" else 1
        unit = "one-off" if slug == "signing_bonus" else "per month"
        return rng.randrange(low, high, 500) * scale, unit, currency
    if unit_kind == "duration":
        return rng.randint(1, 12), "weeks", None
    magnitude = 10 ** rng.uniform(1, 4.3)
    return max(int(magnitude), 1), "cases" if "criminal" in slug else "persons", None


def bounds_of(rng: random.Random, central: int) -> tuple[int | None, int | None, str]:
    """Return low, high and the bound kind, in one of the shapes the constraints allow."""
    bound = rng.choices(list(BOUND_WEIGHTS), weights=list(BOUND_WEIGHTS.values()))[0]
    if bound == "at_least":
        return central, None, bound
    if bound == "at_most":
        return None, central, bound
    if bound == "range":
        return central, central + max(1, int(central * rng.uniform(0.05, 0.6))), bound
    return central, central, bound


def claimant(kind: str, area_name: str, publisher: str, rng: random.Random) -> str:
    """Return who makes the claim, in the way the sources name them."""
    return {
        "official_russia": rng.choice(("Russian Ministry of Defence", "Kremlin spokesperson")),
        "official_origin": f"Government of {area_name}",
        "official_ukraine": rng.choice(("Ukraine's HUR", "Coordination HQ for POWs")),
        "official_third": rng.choice(("UK Ministry of Defence", "US State Department")),
        "independent": rng.choice(("Mediazona and BBC Russian", "ISW", "a researcher")),
        "media": publisher,
        "testimony": rng.choice(("a returned recruit", "families of recruits", "a POW")),
        "unknown": "unattributed",
    }[kind]


def quote(low: int | None, high: int | None, qualifier: str, unit: str, area_name: str) -> str:
    """Return the sentence the figure came from."""
    if low is not None and high is not None and low != high:
        amount = f"{low:,} to {high:,}"
    else:
        amount = f"{low if low is not None else high:,}"
    words = f"{qualifier} {amount}".strip()
    return (
        f"Officials and families say {words} {unit} from {area_name} are involved, the report said."
    )


def revision_state(row: dict[str, Any], status: str, moment: datetime) -> dict[str, Any]:
    """Return a figure's state as its revisions keep it (every column, as JSON values)."""
    state = {name: json_value(value) for name, value in row.items()}
    state.update(status=status, created_at=str(moment), updated_at=str(moment))
    return state


def json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return decimal_text(value)
    return value


def hash_of(text_value: str) -> str:
    return hashlib.sha256(text_value.encode()).hexdigest()


def source_rows(rng: random.Random, first_id: int, count: int) -> list[dict[str, Any]]:
    rows = []
    for number in range(1, count + 1):
        publisher = PUBLISHERS[rng.randrange(len(PUBLISHERS))]
        host = "".join(character for character in publisher.lower() if character.isalnum())[:24]
        published, precision = partial_date(rng, FIRST_DAY + timedelta(days=rng.randrange(DAYS)))
        rows.append(
            {
                "id": first_id + number,
                "url": f"https://{host}.example/{published:%Y/%m}/recruits-abroad-{first_id + number}",
                "publisher": publisher,
                "title": f"Foreign recruits in Russia's army: report {number}",
                "published": published,
                "published_precision": precision,
                "accessed": published + timedelta(days=rng.randrange(1, 300)),
                "archive_url": None,
            }
        )
    return rows


def figure_row(
    rng: random.Random,
    figure_id: int,
    area: str,
    slug: str,
    low: int | None,
    high: int | None,
    bound: str,
    qualifier: str,
    unit: str,
) -> dict[str, Any]:
    """Return a figure's columns but claimant, source, quote and status: values and dates."""
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    as_of: tuple[date | None, str | None] = (None, None)
    start: tuple[date | None, str | None] = (None, None)
    end: tuple[date | None, str | None] = (None, None)
    draw = rng.random()
    if draw < 0.8:
        as_of = partial_date(rng, day)
    elif draw < 0.95:
        start = (date(FIRST_DAY.year, 1, 1), "year")
        end = partial_date(rng, day)
    return {
        "id": figure_id,
        "area_code": area,
        "metric_slug": slug,
        "low": None if low is None else Decimal(low),
        "high": None if high is None else Decimal(high),
        "bound": bound,
        "qualifier": qualifier,
        "unit": unit,
        "counted_as": rng.choice(COUNTED_AS),
        "as_of": as_of[0],
        "as_of_precision": as_of[1],
        "period_start": start[0],
        "period_start_precision": start[1],
        "period_end": end[0],
        "period_end_precision": end[1],
        "notes": "Counted from the ministry's list." if rng.random() < 0.05 else "",
    }


def history(rng: random.Random) -> tuple[str, list[tuple[str, str, str]], bool]:
    """Return a figure's status, its revisions (status, reason, by) and whether it was submitted."""
    draw = rng.random()
    if draw < 0.90:
        return "published", [("published", "imported from research spreadsheet", EDITOR)], False
    if draw < 0.93:
        return (
            "published",
            [
                ("published", "imported from research spreadsheet", EDITOR),
                ("published", "corrected after checking the source", "moderator"),
            ],
            False,
        )
    if draw < 0.95:
        return (
            "retracted",
            [
                ("published", "imported from research spreadsheet", EDITOR),
                ("retracted", "the source withdrew the number", "moderator"),
            ],
            False,
        )
    if draw < 0.97:
        return (
            "published",
            [
                ("pending", "submitted through the public form", "public submission"),
                ("published", "approved: source checked", "moderator"),
            ],
            True,
        )
    if draw < 0.98:
        return (
            "rejected",
            [
                ("pending", "submitted through the public form", "public submission"),
                ("rejected", "the source does not say this", "moderator"),
            ],
            True,
        )
    return (
        "pending",
        [("pending", "submitted through the public form", "public submission")],
        True,
    )


def submission_row(
    submission_id: int, figure_id: int, row: dict[str, Any], status: str, moment: datetime
) -> dict[str, Any]:
    """Return the submission a figure came from: its raw form text as received and the decision."""
    fields = {
        name: text_of(row[name])
        for name in ("area_code", "metric_slug", "low", "high", "bound", "claimant", "quote")
    }
    decision = {"published": "approved", "rejected": "rejected"}.get(status, "pending")
    decided = decision != "pending"
    return {
        "id": submission_id,
        "token_hash": hash_of(f"submission-{figure_id}"),
        "status": decision,
        "received_at": moment,
        "raw_body": urlencode(fields),
        "fields": json.loads(json.dumps(fields)),
        "submitter_name": "",
        "submitter_contact": "",
        "client_key": hash_of(f"client-{figure_id % 997}"),
        "figure_id": figure_id,
        "decided_at": moment + timedelta(minutes=1) if decided else None,
        "decided_by": "moderator" if decided else None,
        "decision_reason": "" if not decided else f"{decision} after checking the source",
    }


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)
