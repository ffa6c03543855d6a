"""Landing paths are literal: glob characters in the landing folder's path never make DuckDB read
a neighbour (issue 27, item 5)."""

from __future__ import annotations

import duckdb
from helpers import incident, write_incidents

from ingestion import airwars
from ingestion.landing import file_sha256, literal_path


def test_a_landing_folder_named_with_brackets_lands_its_own_file(tmp_path):
    own = tmp_path / "drop[x]"
    sibling = tmp_path / "dropx"  # what `drop[x]` matches as a glob pattern
    path = write_incidents(own, "incidents.csv", [incident(civilians_killed_max="5")])
    write_incidents(sibling, "incidents.csv", [incident(civilians_killed_max="500")])
    con = duckdb.connect()
    [result] = airwars.land(con, own)
    assert con.execute("select civilians_killed_max from raw.airwars_incidents").fetchall() == [
        ("5",)
    ]
    assert result.sha256 == file_sha256(path)


def test_every_glob_character_stands_for_itself(tmp_path):
    folder = tmp_path / "a*b?c[d]"
    path = write_incidents(folder, "incidents.csv", [incident(civilians_killed_max="7")])
    write_incidents(tmp_path / "aXbYcd", "incidents.csv", [incident(civilians_killed_max="70")])
    con = duckdb.connect()
    rows = con.execute(f"select count(*) from read_text('{literal_path(path)}')").fetchone()
    assert rows == (1,)
    airwars.land(con, folder)
    assert con.execute("select civilians_killed_max from raw.airwars_incidents").fetchall() == [
        ("7",)
    ]
