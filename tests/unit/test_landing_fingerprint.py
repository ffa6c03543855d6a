""" "Up to date" sees a change of content at a bounded cost, and the code digest covers the locked
dependencies (issue 27, item 10)."""

from __future__ import annotations

import os

from helpers import incident, write_incidents

from civcas import inputs


def _restore_times(path, times) -> None:
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


def test_one_figure_changed_with_size_and_mtime_restored_is_a_change(tmp_path):
    path = write_incidents(tmp_path, "incidents.csv", [incident(civilians_killed_max="3")])
    cache = tmp_path / "cache.json"
    before, _ = inputs.landing_fingerprint(tmp_path, cache)
    times = path.stat()
    path.write_text(path.read_text().replace(",3,", ",9,"))  # same size
    _restore_times(path, times)
    assert path.stat().st_size == times.st_size and path.stat().st_mtime_ns == times.st_mtime_ns
    assert inputs.landing_fingerprint(tmp_path, cache)[0] != before


def test_only_files_whose_stat_changed_are_read_again(tmp_path, monkeypatch):
    first = write_incidents(tmp_path, "incidents.csv", [incident()])
    write_incidents(tmp_path, "incidents_2.csv", [incident(airwars_id="2")])
    cache = tmp_path / "cache.json"
    read: list[str] = []
    real = inputs.file_sha256
    monkeypatch.setattr(inputs, "file_sha256", lambda path: read.append(path.name) or real(path))
    digest, _ = inputs.landing_fingerprint(tmp_path, cache)
    assert sorted(read) == ["incidents.csv", "incidents_2.csv"]
    read.clear()
    assert inputs.landing_fingerprint(tmp_path, cache)[0] == digest
    assert read == []
    os.utime(first)  # touched, content unchanged: read again, same digest
    assert inputs.landing_fingerprint(tmp_path, cache)[0] == digest
    assert read == ["incidents.csv"]
    read.clear()
    inputs.landing_fingerprint(tmp_path, cache, verify=True)  # --verify reads every file
    assert sorted(read) == ["incidents.csv", "incidents_2.csv"]


def test_the_code_digest_covers_the_lock_file_and_pyproject(tmp_path):
    for name in ("pyproject.toml", "requirements.lock"):
        (tmp_path / name).write_text("duckdb==1.5.6\n")
    digest = inputs.code_fingerprint(tmp_path)
    (tmp_path / "requirements.lock").write_text("duckdb==1.5.7\n")
    assert inputs.code_fingerprint(tmp_path) != digest
    changed = inputs.code_fingerprint(tmp_path)
    (tmp_path / "pyproject.toml").write_text('dependencies = ["duckdb>=1.5"]\n')
    assert inputs.code_fingerprint(tmp_path) != changed


def test_a_run_of_some_sources_records_the_whole_folder_with_the_others_as_published(
    civcas_env,
):
    """Issue 26: after `civcas run --source airwars` publishes, the next plain run is up to date;
    a run that landed what nobody knows (untagged) leaves the next run to build."""
    import duckdb

    from civcas.settings import load_settings
    from orchestration.run_tags import (
        FINGERPRINT_TAG,
        fingerprint_tags,
        tagged_source_fingerprints,
    )

    settings = load_settings()
    write_incidents(civcas_env.landing, "incidents.csv", [incident()])
    con = duckdb.connect()

    def recorded(run_id: str, tags: dict) -> str | None:
        inputs.record_published_inputs(
            con, run_id, tags.get(FINGERPRINT_TAG), tagged_source_fingerprints(tags)
        )
        return con.execute(
            "select landing_fingerprint from audit.published_inputs where run_id = ?", [run_id]
        ).fetchone()[0]

    whole = fingerprint_tags(settings)  # a run of every file source
    assert recorded("all", whole) == whole[FINGERPRINT_TAG]
    write_incidents(civcas_env.landing, "incidents_2.csv", [incident(airwars_id="2")])
    airwars = fingerprint_tags(settings, ["airwars", "ucdp"])  # ucdp: an API source
    assert FINGERPRINT_TAG not in airwars and airwars["civcas/landed_file_sources"] == "airwars"
    now = inputs.settings_fingerprint(settings)[0]
    assert now != whole[FINGERPRINT_TAG]
    assert recorded("airwars", airwars) == now
    assert recorded("api months", fingerprint_tags(settings, ["ucdp"])) == now  # no file landed
    assert recorded("daemon", {}) is None  # what it landed is unknown
    assert con.execute("select count(*) from audit.published_source_inputs").fetchone() == (0,)
