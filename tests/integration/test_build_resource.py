"""The warehouse resource: the settings and the run's build are resolved once per run and passed
to every step; the expectations' outcome reaches the publish step with the run, not through the
warehouse."""

from __future__ import annotations

import dagster as dg
import pytest
from helpers import incident, write_incidents

from civcas import settings as civcas_settings
from civcas import warehouse as wh
from orchestration import run  # noqa: F401 - its own resolution, before the run, is not counted
from orchestration.defs import resources


@pytest.mark.full_runs(1)
def test_landing_folder_and_build_path_are_resolved_once_per_run(civcas_env, monkeypatch):
    write_incidents(civcas_env.landing, "incidents.csv", [incident()])
    calls = {"settings": 0, "build": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    settings = counted("settings", civcas_settings.load_settings)
    monkeypatch.setattr(civcas_settings, "load_settings", settings)
    monkeypatch.setattr(resources, "load_settings", settings)
    monkeypatch.setattr(wh, "ensure_build", counted("build", wh.ensure_build))
    report = civcas_env.run()
    assert report.success, report.lines()
    # Landing, dbt, the checks, publish and the report: one resolution and one build.
    assert calls == {"settings": 1, "build": 1}
    assert civcas_env.query("select count(*) from marts.fct_civilian_harm_reports")[0][0] == 1
    # CIVCAS_RUN_HISTORY=none (tests/helpers.py): the run kept no history, made no instance folder.
    assert not (civcas_env.warehouse.parent.parent / "dagster_home").exists()


def test_publish_refuses_a_run_whose_checks_did_not_run(civcas_env):
    from orchestration.definitions import defs

    published = dg.AssetKey(["published", "civcas_warehouse"])
    job = dg.define_asset_job("publish_alone", selection=dg.AssetSelection.assets(published))
    resolved = dg.Definitions.merge(defs, dg.Definitions(jobs=[job])).resolve_job_def(
        "publish_alone"
    )
    result = resolved.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
    assert not result.success
    (failure,) = [event for event in result.all_events if event.is_step_failure]
    assert "did not validate its build" in failure.step_failure_data.user_failure_data.description
    assert not civcas_env.warehouse.exists()
