"""A check that warns moderators when a quote or note looks like it identifies one recruit.

Figures are aggregates. A quote may name a spokesperson, but a personal name next to a phone
number, a passport number or a street address is how a recruit or a family is identified, and
must not be published. The check is a warning for a person to judge, never a refusal: it looks
for a name (two or more capitalised words) within a short distance of such an identifier.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

NEARBY_CHARACTERS = 80
_IDENTIFIERS: dict[str, re.Pattern[str]] = {
    "a phone number": re.compile(r"(?<![\d,.])\+?\(?\d[\d\s().-]{7,}\d(?!\d|[,.]\d)"),
    "a passport number": re.compile(
        r"\bpassport\s*(?:no\.?|number|#)?\s*[:#]?\s*[A-Z0-9]{6,10}\b|\b[A-Z]{1,2}\d{6,8}\b",
        re.IGNORECASE,
    ),
    "an address": re.compile(
        r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'-]+\s+){1,3}"
        r"(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Boulevard|Blvd\.|Drive|Marg|Ulitsa|ul\.)"
        r"|\b(?:house|flat|apartment|apt\.?)\s*(?:no\.?\s*)?\d+\b",
        re.IGNORECASE,
    ),
}
PHONE_DIGITS = range(9, 16)  # a phone number has 9 to 15 digits (E.164 at most 15)
_NAME = re.compile(r"\b[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)+\b")


def _is_phone_number(candidate: str) -> bool:
    """Return True for 9 to 15 digits that are not a date (2025-12-18) or a year range."""
    digits = sum(character.isdigit() for character in candidate)
    if digits not in PHONE_DIGITS:
        return False
    return not re.fullmatch(
        r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{4}\s*[-–]\s*\d{4}", candidate.strip()
    )


@dataclass(frozen=True)
class PrivacyWarning:
    """A field whose text may identify a person: what was found and an excerpt around it."""

    field: str
    found: str
    excerpt: str

    def describe(self) -> str:
        """Return one line for a moderator: quote: a name next to a phone number ("...")."""
        return f'{self.field}: a name next to {self.found} ("{self.excerpt}")'


def privacy_warnings(texts: Mapping[str, str]) -> list[PrivacyWarning]:
    """Return a warning for each field whose text has a personal name within NEARBY_CHARACTERS of
    a phone number, a passport number or an address."""
    warnings = []
    for field, text in texts.items():
        names = [match.span() for match in _NAME.finditer(text)]
        for found, pattern in _IDENTIFIERS.items():
            for match in pattern.finditer(text):
                if found == "a phone number" and not _is_phone_number(match.group()):
                    continue
                start, end = match.span()
                if any(
                    name_start - NEARBY_CHARACTERS <= end and start <= name_end + NEARBY_CHARACTERS
                    for name_start, name_end in names
                ):
                    low, high = max(0, start - 40), min(len(text), end + 40)
                    warnings.append(PrivacyWarning(field, found, text[low:high].strip()))
                    break
    return warnings
