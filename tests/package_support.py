"""Unpacking a download bundle and validating it with frictionless, for the package tests."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import frictionless

BUNDLE_FILES = ["figures.csv", "figures.json", "datapackage.json", "README.md", "LICENSE.txt"]


def unpacked(bundle: bytes, directory: Path) -> dict[str, Any]:
    """Unpack a zip bundle into the directory (after a CRC check) and return its datapackage.json."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == BUNDLE_FILES
        archive.extractall(directory)
    package: dict[str, Any] = json.loads((directory / "datapackage.json").read_text("utf-8"))
    return package


def validated(descriptor: Path) -> tuple[list[list[Any]], dict[str, int]]:
    """Return what `frictionless validate` finds wrong with a data package ([] when it is valid)
    and how many rows it read from each table."""
    report = frictionless.validate(str(descriptor))
    problems = [[None, None, None, error.type, error.note] for error in report.errors]
    for task in report.tasks:
        problems.extend(
            [
                task.name,
                getattr(error, "row_number", None),
                getattr(error, "field_name", None),
                error.type,
                error.note,
            ]
            for error in task.errors
        )
    return problems, {task.name: int(task.stats.get("rows") or 0) for task in report.tasks}
