"""Landing into raw with real DuckDB: as received, once per content, malformed records kept."""

from __future__ import annotations

import duckdb
import pytest
from helpers import INCIDENT_HEADER, incident, write_incidents

from ingestion import airwars
from ingestion.landing import LandingError


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def test_lands_every_value_as_text_with_load_metadata(con, tmp_path):
    write_incidents(tmp_path, "incidents.csv", [incident(civilians_killed_max="0005")])
    [result] = [r for r in airwars.land(con, tmp_path) if r.source_file.endswith("incidents.csv")]
    assert result.rows_in == 1 and not result.skipped
    row = con.execute(
        "select civilians_killed_max, _row_number, _source_file, _load_id"
        " from raw.airwars_incidents"
    ).fetchone()
    assert row == ("0005", 1, "airwars/incidents.csv", result.load_id)
    assert con.execute("select rows_in, source from raw._loads").fetchall() == [(1, "airwars")]


def test_the_same_content_is_landed_once(con, tmp_path):
    write_incidents(tmp_path, "incidents.csv", [incident()])
    airwars.land(con, tmp_path)
    again = airwars.land(con, tmp_path)
    assert [r.skipped for r in again] == [True]
    assert con.execute("select count(*) from raw.airwars_incidents").fetchone() == (1,)
    # a newer export (different bytes) is a new load
    write_incidents(tmp_path, "incidents_2.csv", [incident(last_modified="2021-01-01")])
    newer = airwars.land(con, tmp_path)
    assert sorted(r.skipped for r in newer) == [False, True]
    assert con.execute("select count(distinct _load_id) from raw.airwars_incidents").fetchone() == (
        2,
    )


def test_wrong_header_names_the_file_and_columns(con, tmp_path):
    path = tmp_path / "airwars" / "incidents.csv"
    path.parent.mkdir(parents=True)
    header = [c for c in INCIDENT_HEADER if c != "incident_date"] + ["casualties"]
    path.write_text(",".join(header) + "\n" + ",".join("x" for _ in header) + "\n")
    with pytest.raises(LandingError) as error:
        airwars.land(con, tmp_path)
    message = str(error.value)
    assert str(path) in message
    assert "missing: incident_date" in message
    assert "unexpected: casualties" in message
    assert con.execute("select count(*) from raw._loads").fetchone() == (0,)


def test_malformed_records_are_kept_with_their_line(con, tmp_path):
    path = write_incidents(tmp_path, "incidents.csv", [incident(), incident(airwars_id="2")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("T9,3,2017-01-01,too,few,fields\n")
    [result] = airwars.land(con, tmp_path)
    assert result.rows_in == 3
    assert con.execute("select count(*) from raw.airwars_incidents").fetchone() == (2,)
    row_number, reason, raw_record = con.execute(
        "select row_number, reason, raw_record from raw._parse_rejects"
    ).fetchone()
    assert row_number == 4
    assert reason.startswith("malformed CSV record at line 4:")
    assert raw_record == "T9,3,2017-01-01,too,few,fields"
