"""The labels and help texts of the figure form, in the form's order; each help text says what
the input rules (app/figure_input.py, the vocabulary) accept, from those rules themselves."""

from __future__ import annotations

from app.domain.vocabulary import METRICS, MONEY_METRICS
from app.figure_input import MAX_DECIMAL_PLACES, MAX_URL_BYTES, TEXT_LIMITS

FIELD_LABELS = {
    "area": "Country or region",
    "metric": "Metric",
    "counted_as": "Counted as",
    "bound": "Kind of number",
    "low": "Low",
    "high": "High",
    "qualifier": "The source's own words",
    "unit": "Unit",
    "currency": "Currency",
    "as_of": "As of",
    "period_start": "Period start",
    "period_end": "Period end",
    "claimant": "Claimant",
    "claimant_kind": "Claimant kind",
    "quote": "Quote",
    "source_url": "Source address",
    "source_publisher": "Publisher",
    "source_title": "Title",
    "source_published": "Published",
    "source_kind": "Kind of source",
    "source_original_publisher": "Original publisher",
    "source_original_url": "Original address",
    "source_archive_url": "Archived copy",
    "source_text_damaged": "Text damaged: numbers or words of the original are missing in this copy",
    "notes": "Notes",
    "repeats": "Repeats figure",
    "submitter_name": "Your name",
    "submitter_contact": "Email or other contact",
}

DATE = "YYYY, YYYY-MM or YYYY-MM-DD, a year from 1900 to 2100"
NUMBER = (
    "Digits, such as 14000, 14,000 or 2.5: no words, signs or spaces, "
    f"at most {MAX_DECIMAL_PLACES} digits after the point"
)
WEB_ADDRESS = f"starting with http:// or https://, without spaces, at most {MAX_URL_BYTES:,} bytes"


def units_help() -> str:
    """Return which units each metric takes, the most common first, from the vocabulary."""
    metrics_by_units: dict[tuple[str, ...], list[str]] = {}
    for metric in METRICS:
        units = tuple(sorted(metric.units))
        metrics_by_units.setdefault(units, []).append(metric.label.lower())
    common = max(metrics_by_units, key=lambda units: len(metrics_by_units[units]))
    others = [
        f"{' or '.join(repr(unit) for unit in units)} for {', '.join(labels)}"
        for units, labels in metrics_by_units.items()
        if units != common
    ]
    listed = "; ".join([f"{' or '.join(repr(unit) for unit in common)} for most metrics", *others])
    return f"Each metric takes its own units: {listed}"


def _limited(name: str, text: str = "") -> str:
    limit = f"at most {TEXT_LIMITS[name]:,} characters"
    return f"{text}; {limit}" if text else limit.capitalize()


def money_metrics_label() -> str:
    """Return the labels of the metrics counted in money."""
    return ", ".join(metric.label.lower() for metric in METRICS if metric.slug in MONEY_METRICS)


FIELD_HELP = {
    "counted_as": _limited(
        "counted_as",
        "What exactly was counted, if the source says: a named list, one city only, "
        "identified cases…",
    ),
    "bound": (
        "Exact or approximate: low and high the same. At least: low only. At most: high only. "
        "Range: both, high above low"
    ),
    "low": NUMBER,
    "high": NUMBER,
    "qualifier": _limited("qualifier", "Hedging words as written: 'about', 'at least', 'up to'…"),
    "unit": units_help(),
    "currency": (
        f"Required for money ({money_metrics_label()}) and only for money: an ISO 4217 code "
        "such as USD, RUB, KES"
    ),
    "as_of": f"The date the figure holds for, as precise as the source: {DATE}",
    "period_start": f"If the figure covers a period: {DATE}",
    "period_end": f"{DATE}; not before the start",
    "claimant": _limited(
        "claimant", "Who makes the claim (may differ from the outlet that published it)"
    ),
    "quote": _limited("quote", "The sentence carrying the figure, copied exactly"),
    "source_url": f"The page's address, {WEB_ADDRESS}",
    "source_publisher": _limited("source_publisher"),
    "source_title": _limited("source_title"),
    "source_published": DATE,
    "source_kind": (
        "Leave as 'kind not recorded' if you do not know. A reprint, aggregator or wire copy "
        "names the outlet whose text it carries"
    ),
    "source_original_publisher": _limited(
        "source_original_publisher",
        "Required for a reprint or wire copy, and only for those: whose text it is "
        "(The Cipher Brief, AFP…)",
    ),
    "source_original_url": f"For a reprint or wire copy only: where the original is, {WEB_ADDRESS}",
    "source_archive_url": (
        f"An archived copy of the source (web.archive.org, archive.today…), {WEB_ADDRESS}"
    ),
    "notes": _limited("notes", "Caveats, conflicts with other figures"),
    "repeats": (
        "If this only repeats a figure already here (a reprint, a restatement): that figure's "
        "number, such as 12, or its reference"
    ),
    "submitter_name": _limited("submitter_name"),
    "submitter_contact": _limited(
        "submitter_contact", "Only moderators see it, to ask about the source"
    ),
}
