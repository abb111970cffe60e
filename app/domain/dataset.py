"""The dataset version: a short text that changes whenever public data changes, for citations."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DatasetState:
    """Counts and latest identifiers of everything the public sees; any public change moves one."""

    published_count: int
    retracted_count: int
    revision_count: int
    last_revision_id: int
    last_revision_at: datetime | None
    event_count: int
    last_event_id: int
    rate_count: int
    last_rate_id: int


def dataset_version(state: DatasetState) -> str:
    """Return the version: the date of the last public change and a hash, e.g. 2026-05-03.3f9a1c2e."""
    numbers = (
        state.published_count,
        state.retracted_count,
        state.revision_count,
        state.last_revision_id,
        state.event_count,
        state.last_event_id,
        state.rate_count,
        state.last_rate_id,
    )
    digest = hashlib.sha256("|".join(str(number) for number in numbers).encode()).hexdigest()[:8]
    if state.last_revision_at is None:
        return f"empty.{digest}"
    return f"{state.last_revision_at:%Y-%m-%d}.{digest}"
