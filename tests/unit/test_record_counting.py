"""Records are counted independently of the CSV parser: nothing it swallows is lost silently."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from helpers import SAMPLE_LANDING

from ingestion import airwars
from ingestion.csv_records import scan_records
from ingestion.landing import LandingError, land_csv

CITATIONS = SAMPLE_LANDING / "airwars" / "incident_sources.csv"
RECORD = 32_693  # the record: RS3839 citation 32, starting on physical line 47,183


def with_stray_quote(tmp_path, *, at_field_start: bool):
    lines = CITATIONS.read_bytes().split(b"\n")
    index = 47_183 - 1
    assert lines[index].startswith(b"RS3839,32,Jouzef Today,")
    replacement = b'"Jouzef Today' if at_field_start else b'Jouze"f Today'
    lines[index] = lines[index].replace(b"Jouzef Today", replacement, 1)
    path = tmp_path / "airwars" / "incident_sources.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\n".join(lines))
    return path


def land_citations(path):
    con = duckdb.connect()
    result = land_csv(
        con,
        source="airwars",
        table="airwars_incident_sources",
        path=path,
        columns=airwars.CITATION_COLUMNS,
        source_file="airwars/incident_sources.csv",
    )
    return con, result


def test_the_real_citations_file_counts_50326_records():
    scan = scan_records(CITATIONS)
    assert scan.data_records == 50_326
    assert scan.open_quote_line is None
    assert int(scan.start_lines[RECORD]) == 47_183  # record numbers count the header as 1


@pytest.mark.parametrize("at_field_start", [True, False], ids=["field-start", "mid-field"])
def test_one_stray_quote_fails_naming_the_line_and_lands_nothing(tmp_path, at_field_start):
    path = with_stray_quote(tmp_path, at_field_start=at_field_start)
    con = duckdb.connect()
    with pytest.raises(LandingError) as raised:
        land_citations(path)
    assert str(raised.value).startswith(
        f"airwars/incident_sources.csv line 47183 (data record {RECORD}): a quote opens a field"
    )
    assert "Nothing of this file was landed" in str(raised.value)
    del con


def test_the_unchanged_file_lands_all_records_and_conserves_them(tmp_path):
    path = tmp_path / "incident_sources.csv"
    shutil.copyfile(CITATIONS, path)
    con, result = land_citations(path)
    assert result.rows_in == 50_326
    assert con.execute("select count(*) from raw.airwars_incident_sources").fetchone() == (50_326,)
    assert con.execute("select rows_in from raw._loads").fetchone() == (50_326,)


def test_two_stray_quotes_that_balance_are_refused_naming_the_line(tmp_path):
    """Two stray quotes 150 records apart: the quotes balance, and both the parser and a quote
    count read the 150 records as one value; no real value spans that many lines."""
    rows = [f"T{n},{n},Outlet {n},web,2017-01-01,https://e.org/{n}," for n in range(1, 201)]
    rows[2] = 'T3,3,"Outlet 3,web,2017-01-01,https://e.org/3,'
    rows[152] = 'T153,153,Outlet 153",web,2017-01-01,https://e.org/153,'
    path = tmp_path / "incident_sources.csv"
    path.write_text(",".join(airwars.CITATION_COLUMNS) + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(
        LandingError,
        match=r"^airwars/incident_sources.csv line 4: one record"
        r" spans 151 lines",
    ):
        land_citations(path)


def test_rejected_records_keep_their_full_raw_text(tmp_path):
    long_name = "x" * 30_000
    rows = [
        "T1,1,Outlet,web,2017-01-01,https://e.org/1,",
        f'T2,2,"{long_name}\nsecond line",web',  # two fields missing, spans two lines
        "T3,3,Outlet,web,2017-01-01,https://e.org/3,",
    ]
    path = tmp_path / "incident_sources.csv"
    path.write_text(",".join(airwars.CITATION_COLUMNS) + "\n" + "\n".join(rows) + "\n")
    con, result = land_citations(path)
    assert result.rows_in == 3
    assert con.execute("select raw_record from raw._parse_rejects").fetchall() == [
        (f'T2,2,"{long_name}\nsecond line",web',)
    ]
