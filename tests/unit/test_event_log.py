"""The instance's event log keeps its connections (orchestration/event_log.py) and stays
Dagster's own format: a plain SqliteEventLogStorage, as another Dagster tool opens it, reads what
it wrote."""

from __future__ import annotations

import dagster as dg
from dagster._core.storage.event_log import SqliteEventLogStorage

from orchestration.event_log import ENGINES_KEPT, KeptConnectionSqliteEventLogStorage
from orchestration.instance import civcas_instance


@dg.asset
def counted() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 7})


def test_runs_are_stored_through_kept_connections_and_read_by_plain_dagster(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    instance = civcas_instance()
    storage = instance.event_log_storage
    assert isinstance(storage, KeptConnectionSqliteEventLogStorage)
    runs = [dg.materialize([counted], instance=instance).run_id for _ in range(ENGINES_KEPT + 2)]
    assert len(storage._engines) == ENGINES_KEPT  # older runs' engines are closed
    with storage.run_connection(runs[-1]) as conn:
        assert conn.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL, not FULL
        assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"

    plain = SqliteEventLogStorage(str(tmp_path / "home" / "history" / "runs"))
    records = plain.get_records_for_run(runs[0]).records
    assert sum(record.event_log_entry.is_dagster_event for record in records) >= 5
    latest = plain.get_latest_materialization_events([dg.AssetKey("counted")])
    event = latest[dg.AssetKey("counted")]
    assert event.run_id == runs[-1]
    assert event.asset_materialization.metadata["rows"].value == 7
    instance.dispose()
