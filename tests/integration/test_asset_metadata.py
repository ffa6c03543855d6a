"""After `civcas run`, the persistent instance `make dev` opens shows every asset's last
materialization with its row count and column schema (issue 9, item 3)."""

from __future__ import annotations

import dagster as dg
from dagster._core.instance.ref import InstanceRef


def _latest(instance: dg.DagsterInstance, *path: str):
    event = instance.get_latest_materialization_event(dg.AssetKey(list(path)))
    assert event is not None, path
    return event.asset_materialization.metadata


def test_the_run_is_in_the_shared_instance_with_row_counts_and_schemas(bundled_build, monkeypatch):
    env, report = bundled_build
    home = env.warehouse.parent.parent / "dagster_home"
    # The instance's event log is found through DAGSTER_HOME (orchestration/dagster.yaml), as
    # `civcas run`, `make dev` and the daemon set it; another session build's may be set here.
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        assert instance.get_run_by_id(report.run_id).is_success
        fact = _latest(instance, "marts", "fct_civilian_harm_reports")
        reports = env.query("select count(*) from marts.fct_civilian_harm_reports")[0][0]
        assert fact["dagster/row_count"].value == reports
        columns = {c.name: c.type for c in fact["dagster/column_schema"].schema.columns}
        assert columns["report_id"] == "VARCHAR"
        assert columns["counts_consistent"] == "BOOLEAN"
        raw = _latest(instance, "raw", "airwars_incidents")
        landed = env.query("select count(*) from raw.airwars_incidents")[0][0]
        assert raw["dagster/row_count"].value == landed
        assert "_load_id" in {c.name for c in raw["dagster/column_schema"].schema.columns}
        assert _latest(instance, "published", "civcas_warehouse")["path"].value == str(
            env.warehouse
        )
