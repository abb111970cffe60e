"""Revision histories: the public one begins at publication and withholds redacted values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.domain.revision_history import (
    REDACTED,
    moderator_history,
    public_history,
    redactable_fields,
)

WHEN = datetime(2026, 12, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Revision:
    number: int
    previous_state: dict[str, Any] | None
    new_state: dict[str, Any]
    changed_at: datetime = WHEN
    changed_by: str = "someone"
    reason: str = "why"


def history(*states: dict[str, Any]) -> list[Revision]:
    """Return revisions moving a figure through these states, the first a creation."""
    return [
        Revision(number, states[number - 2] if number > 1 else None, state)
        for number, state in enumerate(states, start=1)
    ]


SUBMITTED = {"status": "pending", "quote": "call +977 980"}
CLEANED = {"status": "pending", "quote": "clean"}
PUBLISHED = {"status": "published", "quote": "clean"}
SLIP = {"status": "published", "quote": "call +977 980 again"}
FIXED = {"status": "published", "quote": "clean again"}


def test_the_public_history_begins_at_publication_with_no_state_before_it() -> None:
    views = public_history(history(SUBMITTED, CLEANED, PUBLISHED, SLIP), {})
    assert [(view.number, view.first, view.changes) for view in views[:1]] == [(3, True, {})]
    assert views[1].changes["quote"].before == "clean"
    shown = [
        value for view in views for c in view.changes.values() for value in (c.before, c.after)
    ]
    assert SUBMITTED["quote"] not in shown


def test_a_figure_published_at_creation_starts_its_history_there() -> None:
    views = public_history(history(PUBLISHED, SLIP), {})
    assert [view.number for view in views] == [1, 2] and views[0].first


def test_an_unpublished_figure_has_no_public_history() -> None:
    assert public_history(history(SUBMITTED, CLEANED), {}) == []


def test_a_redacted_value_is_withheld_as_after_and_as_the_next_before() -> None:
    views = public_history(history(PUBLISHED, SLIP, FIXED), {2: {"quote"}})
    slip, fix = views[1].changes["quote"], views[2].changes["quote"]
    assert (slip.before, slip.after, slip.after_redacted) == ("clean", REDACTED, True)
    assert (fix.before, fix.after, fix.before_redacted) == (REDACTED, "clean again", True)
    assert "+977" not in repr(views)


def test_moderators_see_every_revision_and_value_with_its_redactions_named() -> None:
    views = moderator_history(history(SUBMITTED, CLEANED, PUBLISHED), {1: {"quote"}})
    assert [view.number for view in views] == [1, 2, 3]
    assert views[0].redacted_fields == ("quote",)
    assert views[1].changes["quote"].before == "call +977 980"


def test_every_recorded_field_of_a_revision_can_be_redacted() -> None:
    assert redactable_fields(history(PUBLISHED, SLIP)[1]) == ["quote", "status"]
