"""loaded_at orders versions: a UTC instant, after every earlier landing, whatever the time zone
of the process or the DuckDB session (issue 27, item 1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
from helpers import incident, write_incidents

from civcas.settings import DEFAULT_LANDING_DIR
from ingestion import airwars, ledger
from ingestion.landing import ensure_load_log

SAMPLE_LEDGER = "2017-03-17-press-al-jinah-mosque.yaml"


def _earlier_load(con: duckdb.DuckDBPyConnection, loaded_at: datetime) -> None:
    ensure_load_log(con)
    con.execute(
        "insert into raw._loads values ('earlier', 'airwars', 'airwars/old.csv', 'x', 1, ?, null)",
        [loaded_at],
    )


def test_a_landing_in_los_angeles_comes_after_a_utc_landing_an_hour_ago(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    con = duckdb.connect()
    con.execute("set TimeZone = 'America/Los_Angeles'")
    an_hour_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)
    _earlier_load(con, an_hour_ago)
    write_incidents(tmp_path, "incidents.csv", [incident(airwars_id="48901")])
    airwars.land(con, tmp_path)
    (landed, row_time) = con.execute(
        "select loads.loaded_at, rows._loaded_at from raw._loads as loads"
        " inner join raw.airwars_incidents as rows on rows._load_id = loads.load_id"
    ).fetchone()
    # local time there is 7 or 8 hours behind UTC: a local stamp would sort before the old load
    assert landed > an_hour_ago
    assert row_time == landed


def test_a_clock_set_back_still_lands_after_the_latest_landing(tmp_path):
    con = duckdb.connect()
    tomorrow = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)
    _earlier_load(con, tomorrow)
    write_incidents(tmp_path, "incidents.csv", [incident()])
    airwars.land(con, tmp_path)
    assert con.execute(
        "select loaded_at from raw._loads where load_id <> 'earlier'"
    ).fetchone() == (tomorrow + timedelta(microseconds=1),)


def test_ledger_rows_carry_their_loads_utc_instant(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    con = duckdb.connect()
    con.execute("set TimeZone = 'America/Los_Angeles'")
    an_hour_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)
    _earlier_load(con, an_hour_ago)
    folder = tmp_path / "ledger"
    folder.mkdir()
    (folder / SAMPLE_LEDGER).write_bytes(
        (DEFAULT_LANDING_DIR / "ledger" / SAMPLE_LEDGER).read_bytes()
    )
    ledger.land(con, tmp_path)
    times = con.execute(
        "select distinct _loaded_at from raw.ledger_claims"
        " union select distinct _loaded_at from raw.ledger_documents"
    ).fetchall()
    [(load_time,)] = con.execute(
        "select loaded_at from raw._loads where source = 'ledger'"
    ).fetchall()
    assert times == [(load_time,)] and load_time > an_hour_ago
