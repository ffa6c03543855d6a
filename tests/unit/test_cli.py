"""`civcas sql` on a published warehouse: read-only, three formats."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from civcas.cli import main


@pytest.fixture
def published(civcas_env):
    civcas_env.warehouse.parent.mkdir(parents=True)
    con = duckdb.connect(str(civcas_env.warehouse))
    con.execute("create schema marts")
    con.execute(
        "create table marts.t as select * from (values (1, 'Aleppo'), (2, null)) v(id, name)"
    )
    con.close()
    return civcas_env


def test_sql_json(published, capsys):
    assert main(["sql", "select * from marts.t order by id", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"id": 1, "name": "Aleppo"},
        {"id": 2, "name": None},
    ]


def test_sql_csv(published, capsys):
    assert main(["sql", "select * from marts.t order by id", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["id,name", "1,Aleppo", "2,"]


def test_sql_table(published, capsys):
    assert main(["sql", "select count(*) as n from marts.t"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "┌───────┐",
        "│   n   │",
        "│ int64 │",
        "├───────┤",
        "│     2 │",
        "└───────┘",
    ]


def test_sql_is_read_only(published, capsys):
    assert main(["sql", "delete from marts.t"]) == 1
    assert "read-only" in capsys.readouterr().err
    con = duckdb.connect(str(published.warehouse), read_only=True)
    assert con.execute("select count(*) from marts.t").fetchone() == (2,)
    con.close()


def test_sql_without_a_warehouse(civcas_env, capsys):
    assert main(["sql", "select 1"]) == 2
    assert "no published warehouse" in capsys.readouterr().err


def test_only_civcas_run_imports_dagster():
    code = (
        "import sys, civcas.cli, civcas.warehouse, civcas.validation, civcas.report;"
        " print(sorted(m for m in ('dagster', 'dagster_dbt') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_empty_query_is_a_message_not_a_traceback(published, capsys):
    assert main(["sql", " ; "]) == 1
    err = capsys.readouterr().err
    assert "the query is empty" in err
    assert "Traceback" not in err


def test_a_reader_closing_the_pipe_ends_quietly(published):
    civcas = [sys.executable, "-m", "civcas.cli"]
    query = "select range as i from range(200000)"
    pipeline = subprocess.Popen(
        [*civcas, "sql", query, "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = pipeline.stdout.readline()
    pipeline.stdout.close()  # `| head -1`
    err = pipeline.stderr.read().decode()
    assert pipeline.wait(timeout=60) == 141
    assert first.strip() == b"i"
    assert err == ""


def test_run_help_lists_every_source(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for line in (
        "airwars  files dropped in <landing>/airwars/",
        "ledger   files dropped in <landing>/ledger/",
        "ucdp     API, event months given with --month",
        "acled    API, event months given with --month",
    ):
        assert line in out


def test_docs_serve_only_serves_what_exists_and_never_generates(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIVCAS_WAREHOUSE", str(tmp_path / "warehouse" / "civcas.duckdb"))
    assert main(["docs", "--serve-only"]) == 1  # nothing generated yet: said, and no dbt started
    assert "no pages in" in capsys.readouterr().err
    site = tmp_path / "warehouse" / "docs"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<h1>docs</h1>")
    served = []
    monkeypatch.setattr("civcas.docs_site.serve_docs", lambda path, port: served.append(path) or 0)
    assert main(["docs", "--serve-only", "--port", "8581"]) == 0
    assert served == [site]
