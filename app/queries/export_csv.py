"""The CSV download's rows as the storage writes them fastest: PostgreSQL's COPY, or lean tuples.

On PostgreSQL the database writes the rows: `COPY (SELECT ...) TO STDOUT WITH (FORMAT csv)`,
every cell computed in SQL as the Python row path writes it (app.domain.exports: numbers
without trailing zeros, partial dates at their precision, formula-like text neutralised, the
permalink and the dataset version), so the bytes are the same. COPY ends its rows with a line
feed where Python's csv writer ends them with CR LF, and quotes an empty text that the writer
leaves bare: each row's last byte is its line feed (one COPY message a row), and empty texts are
written as NULL. On SQLite the rows are read as the driver's own tuples, a batch at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Select,
    String,
    and_,
    case,
    func,
    literal,
    null,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from app.db import ExactDecimal
from app.domain.export_rows import (
    CHUNK_BYTES,
    RowContext,
    csv_head,
    csv_row_batches,
    row_context,
)
from app.domain.exports import EXPORT_SPEC, kind_cells, provenance_templates, safe_cell
from app.domain.figure_spec import FieldSpec, ValueKind
from app.domain.figures import FigureStatus
from app.domain.filters import FigureFilter
from app.domain.records import FIGURE_SPEC
from app.domain.spreadsheet import FORMULA_TRIGGERS, NEUTRALISING_PREFIX, RISKY_FIRST_CHARACTERS
from app.models import Figure, Source
from app.queries.published import published_conditions
from app.queries.records import RECORD_COLUMNS, REPEATED, TABLES, joined

RAW_BATCH_ROWS = 2_000
_ISO_FORMATS = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}
_FIELDS_BY_EXPORT = {field.export: field for field in FIGURE_SPEC if field.export is not None}


def _text(value: str) -> ColumnElement[str]:
    return literal(value, String)


def _starts_with_one_of(text: ColumnElement[Any], characters: str) -> ColumnElement[bool]:
    """Return whether a text's first character is one of these (by code point: one integer
    compare; an empty text's code is 0, NULL's is NULL)."""
    return func.ascii(text).in_(sorted(ord(character) for character in characters))


def neutralised_sql(
    text: ColumnElement[Any], *, bare: ColumnElement[Any] | None = None
) -> ColumnElement[Any]:
    """Return the SQL of app.domain.spreadsheet.neutralise_cell on a text (NULL stays NULL);
    `bare` is what a text that starts with no risky character becomes, when not the text itself.

    A text starting with a letter, or any character past the last risky one, costs one integer
    compare and is the cell as it is; the others are looked at more closely.
    """
    after_prefixes = func.ltrim(text, _text(NEUTRALISING_PREFIX))
    neutralised = case(
        (_starts_with_one_of(after_prefixes, FORMULA_TRIGGERS), _text(NEUTRALISING_PREFIX) + text),
        else_=text,
    )
    risky = "".join(RISKY_FIRST_CHARACTERS)
    closer_look = case(
        (_starts_with_one_of(text, risky), neutralised), else_=text if bare is None else bare
    )
    last_risky = max(ord(character) for character in risky)
    return case((func.ascii(text) <= last_risky, closer_look), else_=text)


def _safe_text(text: ColumnElement[Any]) -> ColumnElement[Any]:
    """Return a stored text as its spreadsheet-safe cell, NULL for none or empty (an empty
    text's first code is 0: it takes the closer look)."""
    return neutralised_sql(text, bare=func.nullif(text, _text("")))


def _is_plain(text: str) -> bool:
    """Return True when a text is its own cell: not empty, starting with no risky character."""
    return bool(text) and text[0] not in RISKY_FIRST_CHARACTERS


def _stored(field_spec: FieldSpec, position: int = 0) -> ColumnElement[Any]:
    column: ColumnElement[Any] = getattr(
        TABLES[field_spec.table], field_spec.stored_columns[position]
    )
    return column


def _flag(condition: ColumnElement[Any]) -> ColumnElement[str]:
    return case((type_coerce(condition, Boolean), _text("true")), else_=_text("false"))


def _field_sql(field_spec: FieldSpec) -> ColumnElement[Any]:
    """Return the SQL of a stored field's cell, as app.domain.exports' _field_cell writes it."""
    stored = _stored(field_spec)
    if field_spec.kind in (ValueKind.ID, ValueKind.OPTIONAL_ID):
        return func.cast(stored, String)
    if field_spec.kind is ValueKind.NUMBER:
        return type_coerce(func.trim_scale(stored), String).cast(String)
    if field_spec.kind is ValueKind.PARTIAL_DATE:
        precision = _stored(field_spec, 1)
        return case(
            *(
                (precision == _text(name), func.to_char(stored, _text(pattern)))
                for name, pattern in _ISO_FORMATS.items()
            ),
            else_=null(),
        )
    if field_spec.kind is ValueKind.FLAG:
        return _flag(stored)
    if field_spec.choices is not None and all(
        _is_plain(choice.value) for choice in field_spec.choices
    ):
        return stored  # one of its choices (as the Python path assumes), none formula-like
    return _safe_text(stored)


def _words_sql(
    template: tuple[str, ...], values: dict[str, ColumnElement[Any]]
) -> ColumnElement[Any]:
    """Return the SQL of words written from a template: text, a value's name, text, ..."""
    parts: list[ColumnElement[Any]] = [
        values[piece] if index % 2 else _text(piece)
        for index, piece in enumerate(template)
        if index % 2 or piece
    ]
    if not parts:
        return _text("")
    joined_words = parts[0]
    for part in parts[1:]:
        joined_words = joined_words + part
    first = template[0][:1]
    return (
        joined_words
        if first and first not in RISKY_FIRST_CHARACTERS
        else neutralised_sql(joined_words)
    )


def _provenance_sql() -> ColumnElement[Any]:
    """Return the SQL of a source's provenance in words (app.domain.sources.provenance_label)."""
    original = func.nullif(Source.original_publisher, _text(""))
    publisher: ColumnElement[Any] = Source.__table__.c.publisher
    values = {"publisher": publisher, "original": original}
    damaged = func.coalesce(Source.text_damaged, literal(False))
    by_kind = []
    for kind, (plain, with_damage, plain_unnamed, damage_unnamed) in provenance_templates().items():
        named = case((damaged, _words_sql(with_damage, values)), else_=_words_sql(plain, values))
        unnamed = case(
            (damaged, _words_sql(damage_unnamed, values)), else_=_words_sql(plain_unnamed, values)
        )
        words = (
            named
            if plain == plain_unnamed and with_damage == damage_unnamed
            else case((original.is_(None), unnamed), else_=named)
        )
        by_kind.append((Source.kind == _text(kind), words))
    return func.nullif(case(*by_kind, else_=null()), _text(""))


def _kind_sql(position: int) -> ColumnElement[Any]:
    return case(
        {kind: _text(cells[position]) for kind, cells in kind_cells().items()},
        value=Figure.claimant_kind,
        else_=null(),
    )


def _repeats_sql() -> ColumnElement[Any]:
    reference = func.coalesce(
        func.nullif(REPEATED.external_ref, _text("")),
        _text("#") + func.cast(Figure.repeats_id, String),
    )
    return case((Figure.repeats_id.is_(None), null()), else_=neutralised_sql(reference))


def _derived_sql(context: RowContext) -> dict[str, Callable[[], ColumnElement[Any]]]:
    """Return how the columns that are not a stored field's value are written in SQL."""
    return {
        "repeats": _repeats_sql,
        "claimant_kind_label": lambda: _kind_sql(0),
        "official": lambda: _kind_sql(1),
        "source_provenance": _provenance_sql,
        # Downloads hold published figures only (published_conditions): one status, one cell.
        "status": lambda: _text(safe_cell(FigureStatus.PUBLISHED.value)),
        "permalink": lambda: _text(context.permalink_prefix) + func.cast(Figure.id, String),
        "dataset_version": lambda: func.nullif(_text(context.version), _text("")),
    }


def export_cells_query(figure_filter: FigureFilter, context: RowContext) -> Select[Any]:
    """Return the select of the CSV cells of the published figures the filter selects, by id."""
    derived = _derived_sql(context)
    cells = []
    for column in EXPORT_SPEC:
        if column.name in derived:
            cells.append(derived[column.name]())
        else:
            cells.append(_field_sql(_FIELDS_BY_EXPORT[column.name]))
    labelled = [cell.label(f"c{index}") for index, cell in enumerate(cells)]
    query = joined(select(*labelled)).where(and_(*published_conditions(figure_filter)))
    return query.order_by(Figure.id)


def copy_statement(
    session: Session, figure_filter: FigureFilter, context: RowContext
) -> tuple[str, dict[str, Any]]:
    """Return the COPY statement writing the filter's CSV rows, and its parameters."""
    dialect = session.get_bind().dialect
    compiled = export_cells_query(figure_filter, context).compile(
        dialect=dialect, compile_kwargs={"render_postcompile": True}
    )
    return f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv)", dict(compiled.params)


def copied_csv_rows(
    session: Session, figure_filter: FigureFilter, context: RowContext
) -> Iterator[bytes]:
    """Yield the CSV rows PostgreSQL writes for the filter, UTF-8, in chunks of about CHUNK_BYTES."""
    statement, parameters = copy_statement(session, figure_filter, context)
    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement, parameters) as copy:
        rows: list[Any] = []
        size = 0
        for row in copy:
            rows.append(row[:-1])
            size += len(row)
            if size >= CHUNK_BYTES:
                rows.append(b"")
                yield b"\r\n".join(rows)
                rows, size = [], 0
        if rows:
            rows.append(b"")
            yield b"\r\n".join(rows)


def copies_csv(session: Session) -> bool:
    """Return True when the database writes the CSV itself: PostgreSQL storing and speaking
    UTF-8 (the cells' SQL reads first characters as code points, and the bytes go out as sent)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    info = getattr(session.connection().connection.driver_connection, "info", None)
    if info is None:
        return False
    return bool(info.encoding == "utf-8" and info.parameter_status("server_encoding") == "UTF8")


# The stored columns of a record, numbers and dates as the driver reads them as text (SQLite) or
# as Decimal and date (PostgreSQL): the export's fast row path turns them into cells.
_STORED_ROW_COLUMNS = tuple(
    type_coerce(column, String) if isinstance(column.type, Date | ExactDecimal) else column
    for column in RECORD_COLUMNS
)
EXPORT_BATCH_ROWS = 5_000


def stored_rows_query(figure_filter: FigureFilter) -> Select[Any]:
    """Return the select of the stored columns of the published figures the filter selects, by id."""
    query = joined(select(*_STORED_ROW_COLUMNS)).where(*published_conditions(figure_filter))
    return query.order_by(Figure.id)


def stream_export_rows(
    session: Session, figure_filter: FigureFilter, *, batch_rows: int = EXPORT_BATCH_ROWS
) -> Iterator[tuple[Any, ...]]:
    """Yield the published figures matching the filter as plain tuples of their stored columns, by id.

    Values come as the driver reads them (numbers and dates as text on SQLite, as Decimal and
    date on PostgreSQL), through a server-side cursor where the database has one.
    """
    streamed = stored_rows_query(figure_filter).execution_options(
        stream_results=True, yield_per=batch_rows
    )
    for partition in session.connection().execute(streamed).partitions():
        yield from partition


def stored_row_batches(
    session: Session, figure_filter: FigureFilter, *, batch_rows: int = RAW_BATCH_ROWS
) -> Iterator[Sequence[Any]]:
    """Yield the stored rows of the published figures the filter selects, by id, as the
    driver's own tuples (STORED_OFFSETS' layout), a batch at a time.

    The statement goes through SQLAlchemy (its parameters processed), the rows come straight
    from the driver's cursor: no row objects, no result processing.
    """
    result = session.connection().execute(stored_rows_query(figure_filter))
    try:
        cursor = result.cursor
        while batch := cursor.fetchmany(batch_rows):
            yield batch
    finally:
        result.close()


def csv_download(
    session: Session,
    figure_filter: FigureFilter,
    *,
    permalink_prefix: str,
    version: str,
    hxl: bool = False,
) -> Iterator[bytes]:
    """Yield the CSV download of the published figures the filter selects, UTF-8 encoded: the
    head, then the rows written by PostgreSQL's COPY, or by the lean Python row path on SQLite."""
    yield csv_head(hxl=hxl).encode()
    context = row_context(permalink_prefix, version)
    if copies_csv(session):
        yield from copied_csv_rows(session, figure_filter, context)
        return
    for text in csv_row_batches(stored_row_batches(session, figure_filter), context):
        yield text.encode()
