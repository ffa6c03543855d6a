"""The landing folder reports every file it does not land, reads names literally, stays inside
the folder, and lands an earlier export dropped back."""

from __future__ import annotations

import duckdb
from helpers import incident, write_incidents

from ingestion import airwars, ledger


def land(landing):
    con = duckdb.connect()
    return con, {result.source_file: result for result in airwars.land(con, landing)}


def test_every_file_not_landed_is_reported_with_why(tmp_path):
    for name in (
        "incidents.csv",
        "Incidents_2017.csv",
        "incidents_2017.CSV",
        "airwars_incidents.csv",
    ):
        write_incidents(tmp_path, name, [incident()])
    (tmp_path / "airwars" / "ATTRIBUTION.md").write_text("Data: Airwars, CC BY-NC 4.0\n")
    _, results = land(tmp_path)
    assert {name: result.summary.split(": ", 1)[1] for name, result in results.items()} == {
        "airwars/incidents.csv": f"1 rows landed as {results['airwars/incidents.csv'].load_id}",
        "airwars/Incidents_2017.csv": "NOT landed: the name matches incidents*.csv only when"
        " ignoring case; names are case-sensitive: rename it incidents_2017.csv",
        "airwars/incidents_2017.CSV": "NOT landed: the name matches incidents*.csv only when"
        " ignoring case; names are case-sensitive: rename it incidents_2017.csv",
        "airwars/airwars_incidents.csv": "NOT landed: the name matches none of incidents*.csv,"
        " incident_sources*.csv",
        "airwars/ATTRIBUTION.md": "documentation, not data",
    }


def test_a_file_named_like_a_glob_is_refused_not_expanded(tmp_path):
    write_incidents(tmp_path, "incidents_2017.csv", [incident()])
    write_incidents(tmp_path, "incidents_2018.csv", [incident(airwars_id="2", incident_code="T2")])
    write_incidents(tmp_path, "incidents_*.csv", [incident(airwars_id="3", incident_code="T3")])
    con, results = land(tmp_path)
    assert results["airwars/incidents_*.csv"].summary == (
        "airwars/incidents_*.csv: NOT landed: the name holds a glob character (* ? [ ]);"
        " rename the file"
    )
    assert con.execute(
        "select _source_file, count(*) from raw.airwars_incidents group by all order by 1"
    ).fetchall() == [("airwars/incidents_2017.csv", 1), ("airwars/incidents_2018.csv", 1)]


def test_a_symlink_out_of_the_drop_folder_is_refused(tmp_path):
    outside = write_incidents(tmp_path / "elsewhere", "incidents.csv", [incident()])
    (tmp_path / "landing" / "airwars").mkdir(parents=True)
    (tmp_path / "landing" / "airwars" / "incidents.csv").symlink_to(outside)
    con, results = land(tmp_path / "landing")
    assert results["airwars/incidents.csv"].not_landed == (
        "a symbolic link leading outside the drop folder"
    )
    assert con.execute("select count(*) from raw.airwars_incidents").fetchone() == (0,)


def test_an_earlier_export_dropped_back_is_landed_again(tmp_path):
    export_a = [incident(civilians_killed_max="5")]
    export_b = [incident(civilians_killed_max="7")]
    con = duckdb.connect()
    sequence = []
    for rows in (export_a, export_b, export_a):
        write_incidents(tmp_path, "incidents.csv", rows)
        (result,) = [r for r in airwars.land(con, tmp_path) if r.source_file.endswith("ts.csv")]
        sequence.append(result.skipped)
    assert sequence == [False, False, False]
    newest = con.execute(
        "select civilians_killed_max from raw.airwars_incidents"
        " order by _loaded_at desc, _load_id desc limit 1"
    ).fetchone()
    assert newest == ("5",)
    write_incidents(tmp_path, "incidents.csv", export_a)  # the same export again: nothing new
    assert [r.skipped for r in airwars.land(con, tmp_path)] == [True]


def test_ledger_files_not_landed_are_reported(tmp_path):
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "claims.YAML").write_text("document: {}\n")
    con = duckdb.connect()
    (result,) = ledger.land(con, tmp_path)
    assert result.summary == (
        "ledger/claims.YAML: NOT landed: the name matches *.yaml only when ignoring case; names"
        " are case-sensitive: rename it claims.yaml"
    )
