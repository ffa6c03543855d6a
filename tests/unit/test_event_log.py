"""The instance keeps Dagster's own storage (no storage class of civcas): what a `civcas run`
stores, a plain Dagster instance on the same folder reads."""

from __future__ import annotations

import dagster as dg

from orchestration.instance import civcas_instance


@dg.asset
def counted() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 7})


def test_runs_are_stored_by_dagsters_own_storage_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    instance = civcas_instance()
    assert type(instance.event_log_storage).__module__.startswith("dagster.")
    runs = [dg.materialize([counted], instance=instance).run_id for _ in range(2)]
    instance.dispose()

    plain = dg.DagsterInstance.from_config(str(tmp_path / "home"))
    latest = plain.get_latest_materialization_event(dg.AssetKey("counted"))
    assert latest is not None and latest.run_id == runs[-1]
    assert latest.asset_materialization.metadata["rows"].value == 7
    assert (tmp_path / "home" / "history" / "runs" / f"{runs[0]}.db").exists()
    plain.dispose()
