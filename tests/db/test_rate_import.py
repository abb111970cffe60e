"""`python -m app rates import FILE.csv`: all or nothing, every refused row reported."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.__main__ import main
from app.db import make_engine
from app.models import AuditEvent, ExchangeRate, ExchangeRateRevision
from app.rate_input import RATE_COLUMNS
from support import rate_fields


def rates_csv(rows: list[dict[str, str]], columns: tuple[str, ...] = RATE_COLUMNS) -> str:
    """Return a rates CSV file's text with these rows."""
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue()


@pytest.fixture
def rates_url(empty_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Return an empty, migrated database that the command line uses."""
    monkeypatch.setenv("DATABASE_URL", empty_database)
    assert main(["migrate"]) == 0
    return empty_database


def _stored(url: str) -> list[tuple[str, str, str, str, str | None, int, int]]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            rates = session.scalars(select(ExchangeRate).order_by(ExchangeRate.id)).all()
            revisions = session.scalars(select(ExchangeRateRevision)).all()
            events = session.scalars(select(AuditEvent)).all()
            return [
                (
                    rate.currency,
                    str(rate.usd_per_unit),
                    rate.as_of.isoformat(),
                    rate.as_of_precision,
                    rate.external_ref,
                    len([r for r in revisions if r.rate_id == rate.id]),
                    len([e for e in events if e.object_id == str(rate.id)]),
                )
                for rate in rates
            ]
    finally:
        engine.dispose()


def _write(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "rates.csv"
    path.write_text(rates_csv(rows), encoding="utf-8")
    return path


def test_a_good_file_is_stored_with_revisions_and_audit_events(
    rates_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path,
        [
            rate_fields(external_ref="R1"),
            rate_fields(
                currency="lkr",
                usd_per_unit="0.003292",
                as_of="2024-05",
                quote="مليون روبيه (3292 دولارا)",
                source_url="https://example.org/lkr",
                external_ref="R2",
                notes="mid-May",
            ),
        ],
    )
    assert main(["rates", "import", str(path)]) == 0
    assert "2 exchange rates imported, 0 already stored" in capsys.readouterr().out
    assert _stored(rates_url) == [
        ("KES", "0.0077", "2025-03-14", "day", "R1", 1, 1),
        ("LKR", "0.003292", "2024-05-01", "month", "R2", 1, 1),
    ]
    assert main(["rates", "import", str(path)]) == 0
    assert "0 exchange rates imported, 2 already stored" in capsys.readouterr().out
    assert len(_stored(rates_url)) == 2


def test_one_refused_row_refuses_the_file_and_every_problem_is_reported(
    rates_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path,
        [
            rate_fields(external_ref="R1"),
            rate_fields(external_ref="R2", currency="USD", usd_per_unit="-1", as_of="2024"),
            rate_fields(external_ref="R3", as_of="2025-04-01", quote=""),
        ],
    )
    assert main(["rates", "import", str(path)]) == 1
    output = capsys.readouterr()
    assert "refused row 3 (R2), column currency: must not be USD" in output.err
    assert "refused row 3 (R2), column usd_per_unit:" in output.err
    assert "refused row 3 (R2), column as_of: needs a month at least" in output.err
    assert "refused row 4 (R3), column quote: is required" in output.err
    assert "nothing imported: 2 of 3 rows refused, 4 problems" in output.out
    assert _stored(rates_url) == []


def test_a_stored_rate_stated_otherwise_is_refused(
    rates_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rates", "import", str(_write(tmp_path, [rate_fields()]))]) == 0
    capsys.readouterr()
    changed = _write(tmp_path, [rate_fields(usd_per_unit="0.008")])
    assert main(["rates", "import", str(changed)]) == 1
    assert "row 2, column usd_per_unit: rate #" in capsys.readouterr().err
    assert [row[1] for row in _stored(rates_url)] == ["0.0077"]


def test_a_source_stated_otherwise_than_its_record_is_refused(
    rates_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path,
        [rate_fields(), rate_fields(as_of="2025-04-02", source_publisher="Someone Else")],
    )
    assert main(["rates", "import", str(path)]) == 1
    assert "row 3, column source_publisher: the source record" in capsys.readouterr().err
    assert _stored(rates_url) == []


def test_an_unreadable_file_is_refused_whole(
    rates_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rates", "import", str(tmp_path / "missing.csv")]) == 2
    assert "nothing imported" in capsys.readouterr().err
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(rates_csv([rate_fields()]).encode("utf-16"))
    assert main(["rates", "import", str(utf16)]) == 2
    assert "UTF-16" in capsys.readouterr().err
    missing = tmp_path / "columns.csv"
    missing.write_text(rates_csv([rate_fields()], ("currency", "as_of")), encoding="utf-8")
    assert main(["rates", "import", str(missing)]) == 2
    assert "missing columns: quote, source_publisher, source_url, usd_per_unit" in (
        capsys.readouterr().err
    )
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(rates_csv([rate_fields()], (*RATE_COLUMNS, "area")), encoding="utf-8")
    assert main(["rates", "import", str(unknown)]) == 2
    assert "unknown columns: 'area' (the columns of a rates file:" in capsys.readouterr().err
    assert _stored(rates_url) == []
