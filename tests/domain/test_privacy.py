"""The privacy check: a personal name next to a phone number, a passport number or an address."""

from __future__ import annotations

import csv

import pytest

from app.domain.privacy import privacy_warnings
from app.settings import PROJECT_ROOT


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Call his mother Sita Sharma on +977 980 123 4567 for news of him.", "a phone number"),
        ("John Mwangi, reachable at 0712345678, signed in Moscow.", "a phone number"),
        ("Ramesh Thapa, passport no. PA1234567, left in March.", "a passport number"),
        ("Peter Otieno's family lives at 14 Moi Avenue Street, Nairobi.", "an address"),
        ("Amit Kumar of house no. 27 in Hisar was sent to the front.", "an address"),
    ],
)
def test_a_name_next_to_an_identifier_is_flagged(text: str, found: str) -> None:
    warnings = privacy_warnings({"quote": text})
    assert [(w.field, w.found) for w in warnings] == [("quote", found)]
    assert warnings[0].describe().startswith(f"quote: a name next to {found}")


@pytest.mark.parametrize(
    "text",
    [
        # Counts, ranges, dates and money are not phone numbers; a spokesperson's name is not a
        # recruit's identity without an identifier beside it.
        "Andrii Yusov said at least 20,000 people from Cuba had been recruited.",
        "between 14,000 and 15,000 Nepalese are fighting, said Rajendra Lingden on 2024-02-10.",
        "a salary of 1 to 1.5 million rupees (3292 and 4938 dollars) from 2024 to 2025",
        "Call +977 980 123 4567 for help.",  # a helpline with no name beside it
    ],
)
def test_numbers_without_a_name_or_names_without_an_identifier_pass(text: str) -> None:
    assert privacy_warnings({"quote": text}) == []


def test_the_seeds_carry_no_such_data() -> None:
    for path in sorted((PROJECT_ROOT / "seeds").glob("figures*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                texts = {"quote": row["quote"], "notes": row["notes"]}
                assert privacy_warnings(texts) == [], (path.name, row["external_ref"])
