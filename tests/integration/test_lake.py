"""The warehouse as a DuckLake, for real: a throwaway PostgreSQL cluster as the catalog (started
here, as an unprivileged user, on 127.0.0.1), Parquet in a folder and in moto's S3 server.

One bundled build into the lake per module (a module-scoped fixture: the module runs on one
worker); the other tests publish copies of it with civcas.lake directly, which is what a run's
publish step calls.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import boto3
import duckdb
import pytest
from helpers import SAMPLE_LANDING, incident, isolate, write_incidents

from civcas import lake, lake_writer, local_lake
from civcas import warehouse as wh
from civcas.as_of import AsOfError
from civcas.published import current_release, open_published
from civcas.query import GuardedSession, QueryRefused
from civcas.settings import Lake, SettingsError, lake_from_env, load_settings
from civcas.status import status_lines

REPORTS = "select count(*) from marts.fct_civilian_harm_reports"
BUNDLED_REPORTS = 14_554  # the bundled sample data's reports (as in file mode)


# A run id as Dagster makes them (a UUID): `--as-of` tells run ids from dates by their shape.
SECOND_RUN = "5ec0d000-0000-4000-8000-000000000002"


@pytest.fixture(scope="module")
def cluster():
    root = Path(tempfile.mkdtemp(prefix="civcas-lake-test-"))
    root.chmod(0o755)  # the cluster's own user must reach its folder
    started = local_lake.start(root)
    yield started
    local_lake.stop(root)
    shutil.rmtree(root, ignore_errors=True)


def _lake_env(monkeypatch, cluster, name: str, data: str) -> None:
    monkeypatch.setenv("CIVCAS_LAKE_CATALOG", local_lake.create_database(cluster, name))
    monkeypatch.setenv("CIVCAS_LAKE_DATA", data)
    monkeypatch.setenv("PGPASSWORD", cluster.password)


@pytest.fixture(scope="module")
def lake_build(cluster, tmp_path_factory):
    """The bundled sample data built by a real run into a lake with its data in a folder."""
    from orchestration.run import landing_tags

    root = tmp_path_factory.mktemp("lake")
    shutil.copytree(SAMPLE_LANDING, root / "landing")
    with pytest.MonkeyPatch.context() as monkeypatch:
        env = isolate(monkeypatch, root / "landing", root / "work" / "civcas.duckdb")
        _lake_env(monkeypatch, cluster, "bundled", str(root / "data"))
        report = env.run(tags=landing_tags())
        yield env, report, load_settings()


def _count(settings, sql: str = REPORTS, **options):
    con = open_published(settings, **options)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_the_bundled_build_is_published_into_the_lake_with_its_run_id(lake_build):
    env, report, settings = lake_build
    assert report.success, report.lines()
    assert _count(settings) == BUNDLED_REPORTS
    # Nothing was published as a file: the lake is the only published warehouse.
    assert not env.warehouse.exists()
    con = lake.connect(settings.lake)
    try:
        published = lake.publishes(con)
        # The data is in Parquet files under the data folder, the catalog in PostgreSQL.
        files = con.execute(
            "select count(*) from ducklake_list_files('civcas', 'fct_civilian_harm_reports',"
            " schema => 'marts')"
        ).fetchone()[0]
    finally:
        con.close()
    assert [p.run_id for p in published] == [report.run_id]
    assert files >= 1
    assert list(Path(settings.lake.data_path).rglob("*.parquet"))


def test_status_sql_report_and_export_read_the_lake(lake_build, tmp_path):
    _env, report, settings = lake_build
    lines = status_lines(settings)
    assert lines[0].startswith("published: the lake")
    assert f"published by run {report.run_id}" in lines[2]
    # The recent publishes, from the lake's snapshots, as file mode lists its publish log.
    first = lake.latest_publish(settings.lake)
    at = lines.index(
        "recent publishes (1 snapshot in the lake; `civcas sql --as-of WHEN` reads any of them):"
    )
    assert lines[at + 1] == (
        f"  {first.published_at:%Y-%m-%d %H:%M:%S} UTC run {report.run_id}:"
        f" {BUNDLED_REPORTS:,} reports, snapshot {first.snapshot_id}"
    )
    with GuardedSession(settings) as session:
        assert session.fetch_all(REPORTS).rows == [(BUNDLED_REPORTS,)]
        # Locked down as a file is: the lake's data folder is all it reaches.
        with pytest.raises(QueryRefused, match="disabled by configuration"):
            session.fetch_all("select * from read_csv('/etc/passwd')")
    from civcas.export import export

    export(settings, tmp_path / "out", "csv", ["fct_civilian_harm_reports"], _manifest())
    exported = (tmp_path / "out" / "fct_civilian_harm_reports.csv").read_text().splitlines()
    assert len(exported) == BUNDLED_REPORTS + 1
    from civcas.report_site import write_report

    index = write_report(settings, tmp_path / "site")
    assert f"{current_release(settings).published_at:%Y-%m-%d}" in index.read_text()


def test_docs_are_generated_from_the_lakes_last_publish(lake_build):
    _env, report, settings = lake_build
    from civcas.docs_site import build_docs

    site = build_docs(settings)
    catalog = json.loads((site / "dbt" / "catalog.json").read_text())
    reports = catalog["nodes"]["model.civcas.fct_civilian_harm_reports"]
    # Column types come from the published tables, which only the lake holds.
    assert reports["columns"]["report_id"]["type"] == "VARCHAR"
    assert f"Run {report.run_id}:" in (site / "validation.html").read_text()


def _manifest() -> Path:
    from civcas.dbt_manifest import ensure_manifest

    return ensure_manifest()


def test_a_failed_error_check_changes_nothing_readers_see(lake_build):
    env, _report, settings = lake_build
    before = lake.latest_publish(settings.lake)
    # A typing error (extra zeros) is quarantined, which keeps more than 1 % of the load's deaths
    # out of the marts: an error-level expectation fails (as tests/integration/test_publishing.py
    # does in file mode).
    extra = write_incidents(
        env.landing,
        "incidents_typo.csv",
        [incident(airwars_id="900002", incident_code="T2", civilians_killed_max="50000")],
    )
    try:
        failed = env.run()
    finally:
        extra.unlink()
    assert not failed.success
    assert any("quarantined_share_at_most_one_percent" in line for line in failed.lines())
    assert lake.latest_publish(settings.lake) == before
    assert lake_writer.holder(settings.lake) is None  # the failed run let the next writer in
    assert _count(settings) == BUNDLED_REPORTS
    assert (
        _count(
            settings,
            "select count(*) from marts.fct_civilian_harm_reports"
            " where report_id = 'airwars:900002'",
        )
        == 0
    )


def _build_copy(settings, run_id: str) -> Path:
    """A run's build, copied from the lake's last publish, as a run's first step makes it."""
    return wh.ensure_build(settings, run_id)


def _drop_reports(build: Path, how_many: int) -> None:
    con = duckdb.connect(str(build))
    try:
        con.execute(
            "delete from marts.fct_civilian_harm_reports where report_id in (select report_id"
            f" from marts.fct_civilian_harm_reports order by report_id limit {how_many})"
        )
    finally:
        con.close()


def test_readers_during_a_publish_and_as_of_a_run_or_a_time(lake_build):
    _env, report, settings = lake_build
    first = lake.latest_publish(settings.lake)
    build = _build_copy(settings, SECOND_RUN)
    _drop_reports(build, 5)

    answers, errors, publishing = [], [], threading.Event()

    def read() -> None:
        while publishing.is_set():
            try:
                answers.append(_count(settings))
            except Exception as error:  # noqa: BLE001 - every error is what the test reports
                errors.append(repr(error))

    publishing.set()
    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        wh.publish(settings, SECOND_RUN)
    finally:
        publishing.clear()
        for reader in readers:
            reader.join()
    second = lake.latest_publish(settings.lake)
    assert second.run_id == SECOND_RUN and second.snapshot_id > first.snapshot_id
    assert errors == []
    assert answers and set(answers) <= {BUNDLED_REPORTS, BUNDLED_REPORTS - 5}
    assert _count(settings) == BUNDLED_REPORTS - 5

    # As of: a run id, a UTC time (ISO 8601) or a date, each resolved to a publish.
    assert _count(settings, as_of=report.run_id) == BUNDLED_REPORTS
    assert _count(settings, as_of=SECOND_RUN) == BUNDLED_REPORTS - 5
    moment = f"{first.published_at:%Y-%m-%dT%H:%M:%S.%f}"
    assert _count(settings, as_of=moment) == BUNDLED_REPORTS
    assert _count(settings, as_of=f"{second.published_at:%Y-%m-%d}") == BUNDLED_REPORTS - 5
    with pytest.raises(AsOfError, match="2020-01-01: nothing was published yet then"):
        _count(settings, as_of="2020-01-01")
    # The same through `civcas sql --as-of`.
    done = subprocess.run(
        [sys.executable, "-m", "civcas.cli", "sql", "--as-of", report.run_id, "--format", "csv"]
        + [REPORTS],
        capture_output=True,
        text=True,
    )
    assert done.stdout.splitlines()[-1] == str(BUNDLED_REPORTS), done.stderr


def test_two_publishes_from_the_same_state_one_wins_the_other_changes_nothing(lake_build):
    _env, _report, settings = lake_build
    dropped = {"run-a": 1, "run-b": 2}
    for run_id, how_many in dropped.items():
        _drop_reports(_build_copy(settings, run_id), how_many)
    expected = _count(settings)
    outcomes: dict[str, object] = {}

    def publish(run_id) -> None:
        try:
            outcomes[run_id] = wh.publish(settings, run_id)
        except Exception as error:  # noqa: BLE001 - the test asserts which
            outcomes[run_id] = error

    threads = [threading.Thread(target=publish, args=(run_id,)) for run_id in dropped]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [run for run, outcome in outcomes.items() if isinstance(outcome, Exception)]
    assert len(outcomes) == 2 and len(refused) == 1, outcomes
    assert isinstance(outcomes[refused[0]], wh.PublishConflict)
    [won] = set(dropped) - set(refused)
    assert _count(settings) == expected - dropped[won]
    assert lake.latest_publish(settings.lake).run_id == won


def test_a_build_copied_from_the_lake_records_its_inputs_again(lake_build, tmp_path):
    """Another machine's build is copied from the lake, which keeps no primary keys: recording a
    publish's inputs (and dbt's build watermarks) must not rely on them."""
    from civcas.inputs import record_published_inputs

    _env, _report, settings = lake_build
    build = tmp_path / "civcas.duckdb"
    assert lake.copy_published_into(settings.lake, build) is not None
    con = duckdb.connect(str(build))
    try:
        # The table came from the lake (the bundled run recorded it), without its key.
        assert con.execute(
            "select count(*) from duckdb_tables() t left join duckdb_constraints() c"
            " using (table_oid) where t.schema_name = 'audit'"
            " and t.table_name = 'published_source_inputs'"
        ).fetchone() == (1,)
        for run_id, fingerprint in (("first", "f1"), ("second", "f2")):
            record_published_inputs(con, run_id, None, {"airwars": fingerprint})
        recorded = con.execute(
            "select landing_fingerprint, run_id from audit.published_source_inputs"
            " where source = 'airwars'"
        ).fetchall()
    finally:
        con.close()
    assert recorded == [("f2", "second")]


def _run_as_another_machine(root: Path, airwars_id: str) -> subprocess.Popen:
    """`civcas run` in a process of its own whose warehouse folder, landing folder and Dagster
    instance are its own: all it shares with other writers is the lake (catalog and data). Its
    landing folder is the bundled one plus one new incident."""
    landing = root / "landing"
    shutil.copytree(SAMPLE_LANDING, landing)
    write_incidents(
        landing,
        f"incidents_{airwars_id}.csv",
        [incident(airwars_id=airwars_id, incident_code=f"C{airwars_id}")],
    )
    env = {
        **os.environ,
        "CIVCAS_LANDING_DIR": str(landing),
        "CIVCAS_WAREHOUSE": str(root / "work" / "civcas.duckdb"),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "civcas.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.timeout(2700)  # two full runs, one after the other by design, on a shared machine
def test_two_runs_at_once_both_publish_while_eight_analysts_read(lake_build, tmp_path):
    _env, _report, settings = lake_build
    before = [p.run_id for p in _publishes(settings)]
    answers, errors, stop = [], [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                answers.append(_count(settings))
            except Exception as error:  # noqa: BLE001 - every error is what the test reports
                errors.append(repr(error))
            stop.wait(1.0)  # pace: the readers share two cores with the writers

    readers = [threading.Thread(target=read) for _ in range(8)]
    for reader in readers:
        reader.start()
    try:
        runs = {
            airwars_id: _run_as_another_machine(tmp_path / airwars_id, airwars_id)
            for airwars_id in ("910001", "910002")
        }
        outputs = {airwars_id: run.communicate()[0] for airwars_id, run in runs.items()}
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    for airwars_id, run in runs.items():
        assert run.returncode == 0, outputs[airwars_id]
    run_ids = [
        re.search(r"^run (\S+): succeeded; published", out, re.M)[1] for out in outputs.values()
    ]
    # Two snapshots, each recorded with its run's id, on top of what was there.
    assert [p.run_id for p in _publishes(settings)] in (before + run_ids, before + run_ids[::-1])
    assert lake_writer.holder(settings.lake) is None
    recent = [
        line.split(" UTC run ")[1].split(":")[0]
        for line in status_lines(settings)
        if " UTC run " in line
    ]
    assert recent[:2] == [p.run_id for p in _publishes(settings)][::-1][:2]
    # Every row either run landed is in the lake, and both incidents reach the marts: the second
    # writer built on the first one's publish.
    landed = _count(
        settings,
        "select count(*) from raw.airwars_incidents where airwars_id in ('910001', '910002')",
    )
    assert landed == 2
    reports = _count(
        settings,
        "select count(*) from marts.fct_civilian_harm_reports"
        " where report_id in ('airwars:910001', 'airwars:910002')",
    )
    assert reports == 2
    assert errors == []
    assert len(answers) >= 8


@pytest.fixture(scope="module")
def s3_endpoint():
    port = local_lake.free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="civcas-test-key",
        aws_secret_access_key="civcas-test-secret",
        region_name="us-east-1",
    )
    for _ in range(300):  # until the server listens (readiness, not a speed limit)
        try:
            client.create_bucket(Bucket="lake")
            break
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.1)
    yield endpoint, client
    server.terminate()
    server.wait()


def test_a_file_warehouse_moves_into_a_lake_on_s3(lake_build, cluster, s3_endpoint, tmp_path):
    _env, _report, folder_settings = lake_build
    build = _build_copy(folder_settings, "to-s3")
    expected = _count(folder_settings)
    endpoint, client = s3_endpoint
    with pytest.MonkeyPatch.context() as monkeypatch:
        _lake_env(monkeypatch, cluster, "on_s3", "s3://lake/civcas")
        monkeypatch.setenv("CIVCAS_LAKE_S3_ENDPOINT", endpoint)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "civcas-test-key")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "civcas-test-secret")
        settings = load_settings()
        assert "civcas-test-secret" not in repr(settings)
        moved = lake.publish(settings.lake, build, "import-file", None)
        assert moved.run_id == "import-file"
        assert _count(settings) == expected
        assert _count(settings, "select count(*) from marts.fct_harm_events") == _count(
            folder_settings, "select count(*) from marts.fct_harm_events"
        )
    keys = [item["Key"] for item in client.list_objects_v2(Bucket="lake")["Contents"]]
    assert any(key.startswith("civcas/") and key.endswith(".parquet") for key in keys)


def test_a_password_in_the_catalog_string_is_refused():
    with pytest.raises(SettingsError, match="PGPASSWORD"):
        lake_from_env({"CIVCAS_LAKE_CATALOG": "dbname=x password=hunter2", "CIVCAS_LAKE_DATA": "d"})
    lake_settings = lake_from_env(
        {
            "CIVCAS_LAKE_CATALOG": "dbname=x",
            "CIVCAS_LAKE_DATA": "s3://b/p",
            "AWS_SECRET_ACCESS_KEY": "s3cr3t",
        }
    )
    assert lake_settings == Lake("dbname=x", "s3://b/p/", "", "us-east-1", "", "s3cr3t")
    assert "s3cr3t" not in repr(lake_settings)


def test_maintenance_expires_old_publishes_and_removes_their_files(lake_build):
    # Last in the module: it removes the history the tests above read.
    _env, _report, settings = lake_build
    answer = _count(settings)
    files_before = len(list(Path(settings.lake.data_path).rglob("*.parquet")))
    assert len(_publishes(settings)) >= 2
    done = lake.maintain(replace(settings.lake, keep_days=0), grace_days=0)
    assert done["snapshots_expired"] >= 1
    assert len(_publishes(settings)) == 1  # the latest snapshot is never expired
    assert _count(settings) == answer
    assert len(list(Path(settings.lake.data_path).rglob("*.parquet"))) < files_before


def _publishes(settings) -> list[lake.Publish]:
    con = lake.connect(settings.lake)
    try:
        return lake.publishes(con)
    finally:
        con.close()


def test_lake_maintenance_is_scheduled_only_in_lake_mode(monkeypatch, cluster, tmp_path):
    import dagster as dg

    from orchestration.defs.publish.lake_maintenance import lake_maintenance_schedule
    from orchestration.defs.resources import WarehouseResource

    monkeypatch.delenv("CIVCAS_LAKE_CATALOG", raising=False)
    with dg.build_schedule_context(resources={"warehouse": WarehouseResource()}) as context:
        skipped = lake_maintenance_schedule(context)
    assert isinstance(skipped, dg.SkipReason) and "file mode" in skipped.skip_message
    _lake_env(monkeypatch, cluster, "scheduled", str(tmp_path / "data"))
    with dg.build_schedule_context(resources={"warehouse": WarehouseResource()}) as context:
        assert isinstance(lake_maintenance_schedule(context), dg.RunRequest)
