"""UCDP GED read by column name in the three shapes users get it in, with real DuckDB."""

from __future__ import annotations

import csv

import duckdb
import pytest
from helpers import SAMPLE_LANDING

from ingestion import ucdp, ucdp_ged
from ingestion.landing import LandingError

IRAQ = SAMPLE_LANDING / "ucdp_ged" / "conflict_data_irq_2016_2017.csv"
SYRIA = SAMPLE_LANDING / "ucdp_ged" / "ged191_syria_2016_2017.csv"
AL_JADIDA = "238475"


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def _first_rows(path, count: int) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [next(reader) for _ in range(count)]
    return list(reader.fieldnames), rows


def _write(path, header, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def test_the_hdx_export_lands_by_name_without_its_hashtag_row(con, tmp_path):
    (tmp_path / "ucdp_ged").mkdir()
    (tmp_path / "ucdp_ged" / IRAQ.name).write_bytes(IRAQ.read_bytes())
    [result] = ucdp_ged.land(con, tmp_path)
    assert result.rows_in == 1325  # 1,327 lines: the header, HDX's hashtag row, 1,325 events
    row = con.execute(
        "select deaths_civilians, low, best, high, iso3, gwnoa, relid, _row_number"
        " from raw.ucdp_ged_file_events where id = ?",
        [AL_JADIDA],
    ).fetchone()
    assert row == ("105", "107", "107", "143", "IRQ", "645.0", None, row[-1])
    assert con.execute(
        "select count(*) from raw.ucdp_ged_file_events where id is null or id like '#%'"
    ).fetchone() == (0,)


def test_ucdp_download_and_syria_extract_land_into_the_same_columns(con, tmp_path):
    header, rows = _first_rows(SYRIA, 2)
    download = [{**row, "relid": f"SYR-{row['id']}", "where_description": "x"} for row in rows]
    _write(tmp_path / "ucdp_ged" / "a_download.csv", list(ucdp.COLUMNS), download)
    _write(tmp_path / "ucdp_ged" / "b_extract.csv", header, rows)
    results = ucdp_ged.land(con, tmp_path)
    assert [r.rows_in for r in results] == [2, 2]
    assert con.execute(
        "select _source_file, id, relid, where_description from raw.ucdp_ged_file_events"
        " order by _source_file, _row_number"
    ).fetchall() == [
        ("ucdp_ged/a_download.csv", rows[0]["id"], f"SYR-{rows[0]['id']}", "x"),
        ("ucdp_ged/a_download.csv", rows[1]["id"], f"SYR-{rows[1]['id']}", "x"),
        ("ucdp_ged/b_extract.csv", rows[0]["id"], None, None),
        ("ucdp_ged/b_extract.csv", rows[1]["id"], None, None),
    ]


def test_a_file_of_another_shape_fails_naming_the_columns_it_lacks(con, tmp_path):
    header, rows = _first_rows(SYRIA, 1)
    shape = [c for c in header if c not in ("best", "deaths_civilians")] + ["casualties"]
    _write(tmp_path / "ucdp_ged" / "other.csv", shape, rows)
    with pytest.raises(LandingError) as error:
        ucdp_ged.land(con, tmp_path)
    message = str(error.value)
    assert "other.csv" in message
    assert "missing: deaths_civilians, best;" in message
    assert "unexpected: casualties" in message
