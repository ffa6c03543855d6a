"""Publishing cannot be undone by a reader: a read-write session held across a publish writes
beside its own release, never into what new readers open; a WAL beside the published file is
reported by the run's publish step and by `civcas status` (issue 27, item 4)."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from civcas import warehouse as wh
from civcas.publish_guard import published_wals
from civcas.settings import Settings
from civcas.status import status_lines

# The audit tables `civcas status` reads, empty.
AUDIT_TABLES = """
create schema audit;
create table audit.validation_results (run_id varchar, checked_at timestamp, severity varchar,
    suite varchar, expectation varchar, table_name varchar, unexpected_count bigint,
    success boolean);
create table audit.loads (source varchar, rows_in bigint, rows_rejected bigint,
    loaded_at timestamp);
create table audit.rejected_records (source varchar, status varchar, reason varchar);
"""


# A read-write session that writes and leaves its WAL behind (as a killed one would).
ANALYST = (
    "import sys, duckdb; con = duckdb.connect(sys.argv[1]);"
    " con.execute('pragma disable_checkpoint_on_shutdown'); con.execute('delete from reports');"
    " con.close()"
)


def _settings(tmp_path, keep_releases_days: float = 0.0) -> Settings:
    return Settings(
        warehouse=tmp_path / "warehouse" / "civcas.duckdb",
        landing_dir=tmp_path,
        keep_releases_days=keep_releases_days,
    )


def _build(settings: Settings, run_id: str, rows: int) -> None:
    path = wh.build_path(settings, run_id)
    path.parent.mkdir(parents=True)
    con = duckdb.connect(str(path))
    con.execute(f"create table reports as select range as i from range({rows})")
    con.execute(AUDIT_TABLES)
    con.close()


def _count_in_new_reader(path) -> int:
    code = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True);"
        " print(con.execute('select count(*) from reports').fetchone()[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True
    )
    return int(out.stdout)


def test_a_session_held_across_a_publish_cannot_write_into_the_new_release(tmp_path):
    settings = _settings(tmp_path)
    _build(settings, "first", 100)
    wh.publish(settings, "first")
    analyst = duckdb.connect(str(settings.warehouse))  # read-write, as the duckdb CLI opens it
    _build(settings, "second", 8102)
    notices: list[str] = []
    wh.publish(settings, "second", notices)
    # Written after the publish: its release is gone, so its WAL cannot even be created
    with pytest.raises(duckdb.Error, match="civcas.duckdb.wal"):
        analyst.execute("delete from reports where i > 0")

    assert _count_in_new_reader(settings.warehouse) == 8102
    assert published_wals(settings.warehouse) == []
    assert settings.warehouse.is_symlink()
    assert settings.warehouse.resolve().name == "civcas.duckdb"  # DuckDB's catalog: `civcas`
    analyst.close()

    _build(settings, "third", 7)
    wh.publish(settings, "third", notices)
    assert _count_in_new_reader(settings.warehouse) == 7
    # with no retention, earlier releases are removed: the warehouse never takes twice its disk
    releases = [p.name for p in settings.releases_dir.iterdir() if p.is_dir()]
    assert len(releases) == 1 and releases[0].endswith("-third")


def test_status_reports_a_wal_beside_the_published_release(tmp_path):
    settings = _settings(tmp_path)
    _build(settings, "first", 3)
    wh.publish(settings, "first")
    assert not any("warning" in line for line in status_lines(settings))
    release = settings.warehouse.resolve()
    wal = release.with_name(release.name + ".wal")
    subprocess.run([sys.executable, "-c", ANALYST, str(settings.warehouse)], check=True)
    assert wal.exists()
    lines = status_lines(settings)
    assert any(line.startswith(f"  warning: {wal} (") for line in lines), lines


def test_a_wal_left_beside_the_release_being_replaced_is_reported_by_the_publish(tmp_path):
    settings = _settings(tmp_path)
    _build(settings, "first", 3)
    wh.publish(settings, "first")
    subprocess.run([sys.executable, "-c", ANALYST, str(settings.warehouse)], check=True)
    _build(settings, "second", 5)
    notices: list[str] = []
    wh.publish(settings, "second", notices)
    assert len(notices) == 1 and "a read-write session wrote into an earlier release" in notices[0]
    assert _count_in_new_reader(settings.warehouse) == 5
