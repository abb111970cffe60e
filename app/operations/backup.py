"""Logical backups: every table's rows as gzipped JSON lines with counts and checksums, restorable
into an empty database of either kind (SQLite or PostgreSQL)."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    Table,
    func,
    select,
    text,
)

from app import models  # noqa: F401  (registers the tables)
from app.db import Base, ExactDecimal

FORMAT = "recruitment-dashboard-backup/1"
BATCH = 2000


class BackupError(ValueError):
    """A backup that cannot be restored here (wrong format, target not empty, checksum mismatch)."""


@dataclass(frozen=True)
class TableSummary:
    """A table's row count and the checksum of its rows in key order."""

    name: str
    rows: int
    checksum: str


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for name, value in row.items():
        column_type = table.columns[name].type
        if value is None:
            decoded[name] = None
        elif isinstance(column_type, ExactDecimal):
            decoded[name] = Decimal(value)
        elif isinstance(column_type, DateTime):
            decoded[name] = datetime.fromisoformat(value)
        elif isinstance(column_type, Date):
            decoded[name] = date.fromisoformat(value)
        elif isinstance(column_type, Boolean):
            decoded[name] = bool(value)
        else:
            decoded[name] = value
    return decoded


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    query = select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(yield_per=BATCH).execute(query)
    for row in result.mappings():
        yield {name: _encode(value) for name, value in row.items()}


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def summarise(engine: Engine) -> list[TableSummary]:
    """Return every table's row count and checksum, as a backup records them."""
    summaries = []
    with engine.connect() as connection:
        for table in _tables():
            digest = hashlib.sha256()
            count = 0
            for row in _rows(connection, table):
                digest.update(_line(row).encode())
                digest.update(b"\n")
                count += 1
            summaries.append(TableSummary(table.name, count, digest.hexdigest()))
    return summaries


def write_backup(engine: Engine, path: Path) -> list[TableSummary]:
    """Write every table to a gzipped JSON-lines file, in one consistent read; return the summaries."""
    summaries = []
    with gzip.open(path, "wt", encoding="utf-8") as output, engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        output.write(
            _line({"format": FORMAT, "written_at": datetime.now().astimezone().isoformat()}) + "\n"
        )
        for table in _tables():
            digest = hashlib.sha256()
            count = 0
            output.write(_line({"table": table.name}) + "\n")
            for row in _rows(connection, table):
                line = _line(row)
                output.write(line + "\n")
                digest.update(line.encode() + b"\n")
                count += 1
            summary = TableSummary(table.name, count, digest.hexdigest())
            output.write(
                _line({"end": table.name, "rows": count, "checksum": summary.checksum}) + "\n"
            )
            summaries.append(summary)
    return summaries


def _records(handle: IO[str]) -> Iterator[dict[str, Any]]:
    header = json.loads(handle.readline() or "{}")
    if header.get("format") != FORMAT:
        raise BackupError(f"not a backup of this dashboard (format {header.get('format')!r})")
    for line in handle:
        yield json.loads(line)


def restore_backup(engine: Engine, path: Path) -> list[TableSummary]:
    """Load a backup into an empty, migrated database; verify every table's count and checksum."""
    tables = {table.name: table for table in _tables()}
    expected: list[TableSummary] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle, engine.begin() as connection:
        for table in tables.values():
            if connection.scalar(select(func.count()).select_from(table)):
                raise BackupError(f"the target database is not empty (table {table.name} has rows)")
        current: Table | None = None
        batch: list[dict[str, Any]] = []
        for record in _records(handle):
            if "table" in record and len(record) == 1:
                current = tables[record["table"]]
            elif "end" in record:
                if current is not None and batch:
                    connection.execute(current.insert(), batch)
                batch = []
                expected.append(TableSummary(record["end"], record["rows"], record["checksum"]))
                current = None
            elif current is not None:
                batch.append(_decode(current, record))
                if len(batch) >= BATCH:
                    connection.execute(current.insert(), batch)
                    batch = []
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, list(tables.values()))
    restored = {summary.name: summary for summary in summarise(engine)}
    for summary in expected:
        if restored[summary.name] != summary:
            raise BackupError(f"table {summary.name} does not match the backup after restoring")
    return expected


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    for table in tables:
        keys = list(table.primary_key.columns)
        if (
            len(keys) == 1
            and isinstance(keys[0].type, Integer)
            and keys[0].autoincrement is not False
        ):
            # Table and column names come from the project's own metadata, never from input.
            name, column = table.name, keys[0].name
            sequence = f"pg_get_serial_sequence('{name}', '{column}')"
            highest = f"(SELECT MAX({column}) FROM {name})"  # noqa: S608
            connection.execute(
                text(f"SELECT setval({sequence}, COALESCE({highest}, 0) + 1, false)")
            )
