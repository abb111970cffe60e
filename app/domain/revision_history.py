"""A figure's revision history as moderators and as the public see it.

Moderators see every revision, from the submission as received. The public history begins when
the figure was first published: what came before (the submission, edits made during review)
stays with the moderators. A moderator may redact a field of a revision: the value the field
had after that revision is then shown publicly as 'redacted' wherever the history shows it (as
that revision's 'after' and as a later revision's 'before').
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

REDACTED = "redacted"
PUBLISHED = "published"


class StoredRevision(Protocol):
    """What a stored revision holds (app.models.FigureRevision)."""

    @property
    def number(self) -> int: ...
    @property
    def changed_at(self) -> datetime: ...
    @property
    def changed_by(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def previous_state(self) -> dict[str, Any] | None: ...
    @property
    def new_state(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after a revision; a withheld value reads REDACTED."""

    before: Any
    after: Any
    before_redacted: bool = False
    after_redacted: bool = False

    @property
    def redacted(self) -> bool:
        """Return True when a value of this change is withheld."""
        return self.before_redacted or self.after_redacted


@dataclass(frozen=True)
class RevisionView:
    """One revision as shown: `first` marks where the history begins (no changes listed)."""

    number: int
    changed_at: datetime
    changed_by: str
    reason: str
    first: bool
    changes: dict[str, FieldChange]
    redacted_fields: tuple[str, ...] = field(default=())


def _changes(
    previous: Mapping[str, Any], new: Mapping[str, Any], hidden: Mapping[str, list[Any]]
) -> dict[str, FieldChange]:
    changes = {}
    for name, after in new.items():
        before = previous.get(name)
        if before == after:
            continue
        withheld = hidden.get(name, [])
        before_hidden, after_hidden = before in withheld, after in withheld
        changes[name] = FieldChange(
            REDACTED if before_hidden else before,
            REDACTED if after_hidden else after,
            before_hidden,
            after_hidden,
        )
    return changes


def moderator_history(
    revisions: Sequence[StoredRevision], redactions: Mapping[int, Collection[str]]
) -> list[RevisionView]:
    """Return every revision with every value, each marked with the fields redacted from it."""
    return [
        RevisionView(
            revision.number,
            revision.changed_at,
            revision.changed_by,
            revision.reason,
            revision.previous_state is None,
            {}
            if revision.previous_state is None
            else _changes(revision.previous_state, revision.new_state, {}),
            tuple(sorted(redactions.get(revision.number, ()))),
        )
        for revision in revisions
    ]


def withheld_values(
    revisions: Sequence[StoredRevision], redactions: Mapping[int, Collection[str]]
) -> dict[str, list[Any]]:
    """Return, per field, the values redactions withhold: each redacted field's value after its
    revision."""
    hidden: dict[str, list[Any]] = {}
    for revision in revisions:
        for name in redactions.get(revision.number, ()):
            hidden.setdefault(name, []).append(revision.new_state.get(name))
    return hidden


def public_history(
    revisions: Sequence[StoredRevision], redactions: Mapping[int, Collection[str]]
) -> list[RevisionView]:
    """Return the revisions from the figure's first publication on, redacted values withheld."""
    start = next(
        (
            index
            for index, revision in enumerate(revisions)
            if revision.new_state.get("status") == PUBLISHED
        ),
        len(revisions),
    )
    public = revisions[start:]
    hidden = withheld_values(revisions, redactions)
    views = []
    for index, revision in enumerate(public):
        first = index == 0 or revision.previous_state is None
        changes = (
            {} if first else _changes(revision.previous_state or {}, revision.new_state, hidden)
        )
        views.append(
            RevisionView(
                revision.number,
                revision.changed_at,
                revision.changed_by,
                revision.reason,
                first,
                changes,
            )
        )
    return views


def redactable_fields(revision: StoredRevision) -> list[str]:
    """Return the fields of a revision a moderator may redact: every field it recorded."""
    return sorted(revision.new_state)
