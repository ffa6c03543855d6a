"""Publishing: only a build whose error-level checks pass replaces the published file, atomically;
a failed run leaves it byte-identical, and readers holding it open see no error."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
import time

import pytest
from helpers import incident, write_incidents


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def civcas_env(one_incident_copy):
    """A copy of the shared one-incident build (tests/conftest.py), to run again."""
    return one_incident_copy


@pytest.mark.full_runs(1)
def test_failing_error_expectation_keeps_the_published_file(civcas_env):
    before = _sha256(civcas_env.warehouse)

    # A typing error (extra zeros) above the plausible maximum is quarantined with its reason; the
    # load then keeps more than 1 % of its civilian deaths out of the marts, and that error-level
    # expectation stops the publish.
    write_incidents(
        civcas_env.landing,
        "incidents_2021.csv",
        [incident(airwars_id="900002", incident_code="T2", civilians_killed_max="50000")],
    )
    second = civcas_env.run()

    assert not second.success
    assert not second.published
    assert second.validation_failures == [
        "kept_out.quarantined_share_at_most_one_percent on audit.load_kept_out: 1 unexpected row"
    ]
    assert any("quarantined_share_at_most_one_percent" in line for line in second.lines())
    assert _sha256(civcas_env.warehouse) == before
    assert civcas_env.query("select count(*) from marts.fct_civilian_harm_reports") == [(1,)]
    assert civcas_env.query("select count(*) from audit.loads") == [(1,)]


READER = textwrap.dedent(
    """
    import sys, time, duckdb
    path, stop = sys.argv[1], sys.argv[2]
    con = duckdb.connect(path, read_only=True)
    counts, errors = set(), 0
    import os
    while not os.path.exists(stop):
        try:
            query = "select count(*) from marts.fct_civilian_harm_reports"
            counts.add(con.execute(query).fetchone()[0])
        except Exception as error:
            errors += 1
            print("ERROR", error, flush=True)
        time.sleep(0.05)
    con.close()  # DuckDB shares one instance per file and process: close it to see a new build
    fresh = duckdb.connect(path, read_only=True)
    latest = fresh.execute("select count(*) from marts.fct_civilian_harm_reports").fetchone()[0]
    print(sorted(counts), errors, latest, flush=True)
    """
)


@pytest.mark.full_runs(1)
def test_reader_holding_the_published_file_sees_no_error(civcas_env, tmp_path):
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(civcas_env.warehouse), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    write_incidents(
        civcas_env.landing,
        "incidents_2021.csv",
        [incident(airwars_id="900002", incident_code="T2")],
    )
    report = civcas_env.run()
    stop.touch()
    output, _ = reader.communicate(timeout=60)

    assert report.success, report.lines()
    # The open connection kept reading the build it opened (1 report), without a single error;
    # a new connection sees the new build (2 reports).
    assert output.strip().splitlines()[-1] == "[1] 0 2"
