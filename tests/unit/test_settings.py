"""DuckDB's memory cap and dbt's connection settings have one home (dbt_project/profiles.yml),
which civcas/settings.py reads."""

from __future__ import annotations

import pytest
import yaml

from civcas.settings import (
    DBT_DUCKDB_SETTINGS,
    DBT_PROJECT_DIR,
    DBT_THREADS,
    DUCKDB_CONFIG,
    DUCKDB_MEMORY_LIMIT,
    SettingsError,
    load_settings,
)


def test_civcas_takes_the_dbt_profiles_settings_and_memory_cap():
    assert DBT_THREADS == 1
    assert DBT_DUCKDB_SETTINGS == {
        "memory_limit": "768MB",
        "preserve_insertion_order": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    assert DUCKDB_CONFIG["memory_limit"] == DUCKDB_MEMORY_LIMIT == "768MB"
    # The triage models' lower cap holds dbt's one connection only while they run.
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["triage_memory_limit"] == "512MB"


def test_explicit_paths_win_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVCAS_WAREHOUSE", str(tmp_path / "env" / "w.duckdb"))
    monkeypatch.setenv("CIVCAS_LANDING_DIR", str(tmp_path / "env-landing"))
    from_env = load_settings()
    assert from_env.warehouse == tmp_path / "env" / "w.duckdb"
    assert from_env.builds_dir == tmp_path / "env" / ".builds"
    explicit = load_settings(tmp_path / "x.duckdb", tmp_path / "drop")
    assert (explicit.warehouse, explicit.landing_dir) == (tmp_path / "x.duckdb", tmp_path / "drop")


def test_run_history_is_kept_unless_set_to_none(monkeypatch):
    monkeypatch.delenv("CIVCAS_RUN_HISTORY", raising=False)
    assert load_settings().keep_run_history is True
    monkeypatch.setenv("CIVCAS_RUN_HISTORY", "none")
    assert load_settings().keep_run_history is False
    monkeypatch.setenv("CIVCAS_RUN_HISTORY", "keep")
    assert load_settings().keep_run_history is True
    monkeypatch.setenv("CIVCAS_RUN_HISTORY", "off")
    with pytest.raises(SettingsError, match="CIVCAS_RUN_HISTORY is 'off': give one of keep, none"):
        load_settings()
