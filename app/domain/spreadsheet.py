"""Spreadsheet safety: cells a spreadsheet would run as a formula get one apostrophe in front.

A cell is neutralised when it starts with = + - @ tab or carriage return, possibly after
apostrophes: so text that really starts with an apostrophe before one of those characters is
neutralised too, and `restore_cell` can take exactly one apostrophe back off. The pair is a
bijection on text: restore_cell(neutralise_cell(text)) == text for every text.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = "=+-@\t\r"
NEUTRALISING_PREFIX = "'"
RISKY_FIRST_CHARACTERS = frozenset(FORMULA_TRIGGERS + NEUTRALISING_PREFIX)
_NEEDS_PREFIX = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise_cell(text: str) -> str:
    """Return the cell as a spreadsheet may open it: formula-like text gets an apostrophe in front."""
    if text[:1] in RISKY_FIRST_CHARACTERS and _NEEDS_PREFIX.match(text):
        return NEUTRALISING_PREFIX + text
    return text


def restore_cell(text: str) -> str:
    """Return the text a neutralised cell stood for (one leading apostrophe removed), else the cell."""
    if text[:1] == NEUTRALISING_PREFIX and _NEUTRALISED.match(text):
        return text[1:]
    return text
