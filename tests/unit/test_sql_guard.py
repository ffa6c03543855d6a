"""`civcas sql` cannot change, leak or escape the published warehouse."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time

import duckdb
import pytest

from civcas.cli import main
from civcas.query import QueryRefused, run_query


@pytest.fixture
def published(civcas_env):
    civcas_env.warehouse.parent.mkdir(parents=True)
    con = duckdb.connect(str(civcas_env.warehouse))
    con.execute("create schema marts")
    con.execute("create table marts.t as select range as id from range(3)")
    con.close()
    return civcas_env


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hostile_statements(warehouse, tmp_path) -> list[str]:
    return [
        f"COPY (select 'oops' as x) TO '{warehouse}' (FORMAT csv)",
        f"ATTACH '{tmp_path / 'other.duckdb'}' AS other",
        f"ATTACH '{warehouse}' AS again (READ_ONLY false)",
        f"COPY marts.t TO '{tmp_path / 'leak.csv'}'",
        f"EXPORT DATABASE '{tmp_path / 'export'}'",
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/passwd')",
        "SET autoinstall_known_extensions = true",
        "SET memory_limit = '64GB'",
        "SET enable_external_access = true",
        "INSTALL httpfs",
        "drop table marts.t",
    ]


def test_every_hostile_statement_is_refused_and_the_file_is_unchanged(published, tmp_path, capsys):
    before = sha256(published.warehouse)
    for statement in hostile_statements(published.warehouse, tmp_path):
        assert main(["sql", statement]) == 1, statement
        assert "civcas sql:" in capsys.readouterr().err
    assert sha256(published.warehouse) == before
    assert not (tmp_path / "leak.csv").exists()
    assert not (tmp_path / "other.duckdb").exists()
    assert not (tmp_path / "export").exists()
    assert main(["sql", "select count(*) as n from marts.t", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "3"]


def test_a_runaway_query_is_interrupted_by_the_time_limit(published):
    started = time.monotonic()
    with pytest.raises(QueryRefused, match=r"longer than 0.5 s"):
        run_query(
            published.warehouse,
            "select count(*) from range(1000000000) a, range(1000) b where a.range + b.range < 0",
            time_limit=0.5,
        )
    assert time.monotonic() - started < 10


def test_a_write_lock_held_elsewhere_is_explained(published, capsys):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
            " time.sleep(30)",
            str(published.warehouse),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        assert main(["sql", "select 1"]) == 1
        err = capsys.readouterr().err
        assert "open read-write in another process" in err
        assert f"PID {holder.pid}" in err
    finally:
        holder.kill()
        holder.wait()
