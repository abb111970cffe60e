"""The dataset version: a short text that changes whenever public data changes, for citations.

It is derived from the latest revision of a public (published or retracted) figure, the
latest revision of a source record, the latest revision of an exchange rate, the latest
timeline event, and the latest redaction of a field of a past revision (which changes the public
history without a revision of its own). That suffices because nothing is ever deleted, revisions are append-only, every
change to a figure, a source record or a rate writes one (adding a rate writes its first), and a
figure that has been public stays public (retracting keeps it, with its history): so any change
to what the public sees adds a row with a larger identifier, and a version is never repeated.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DatasetState:
    """The latest identifiers of everything the public sees, and when it last changed."""

    last_revision_id: int
    last_revision_at: datetime | None
    last_event_id: int
    last_rate_revision_id: int
    last_source_revision_id: int = 0
    last_redaction_id: int = 0


def dataset_version(state: DatasetState) -> str:
    """Return the version: the date of the last public change and a hash, e.g. 2026-05-03.3f9a1c2e."""
    parts = [
        str(state.last_revision_id),
        str(state.last_event_id),
        str(state.last_rate_revision_id),
    ]
    if state.last_source_revision_id:
        parts.append(str(state.last_source_revision_id))
    if state.last_redaction_id:
        parts.append(f"redaction {state.last_redaction_id}")
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:8]
    if state.last_revision_at is None:
        return f"empty.{digest}"
    return f"{state.last_revision_at:%Y-%m-%d}.{digest}"


def version_date(version: str) -> date | None:
    """Return the day of a version's last public change (its first part), or None when it has none."""
    try:
        return date.fromisoformat(version.split(".", 1)[0])
    except ValueError:
        return None
