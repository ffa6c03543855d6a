"""`civcas sql` like the DuckDB CLI, and safe on a terminal (issue 27, items 9 and 14; issue 26,
item 4): every statement's result in DuckDB's box renderer, a row cap, control characters
escaped, results streamed, temporary files in a private capped folder."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from civcas.cli import main
from civcas.query import GuardedSession, escape_controls

HOSTILE = "a\nb\x1b[31mred\x9b2J\x07"


@pytest.fixture
def published(civcas_env):
    civcas_env.warehouse.parent.mkdir(parents=True)
    con = duckdb.connect(str(civcas_env.warehouse))
    con.execute("create schema marts")
    con.execute("create table marts.t as select range as id, ? as note from range(1000)", [HOSTILE])
    con.close()
    return civcas_env


def test_every_statement_prints_its_result(published, capsys):
    assert main(["sql", "select 1 as first_result; select 'x' as second_result"]) == 0
    out = capsys.readouterr().out
    assert "first_result" in out and "second_result" in out


def test_a_table_shows_at_most_max_rows_and_says_how_many_there_are(published, capsys):
    assert main(["sql", "select id from marts.t order by id", "--max-rows", "10"]) == 0
    out = capsys.readouterr().out
    assert "1000 rows" in out and "(10 shown)" in out
    assert " 999 │" in out and " 500 │" not in out


def test_control_characters_never_reach_the_terminal(published, capsys):
    assert main(["sql", "select note from marts.t limit 1"]) == 0
    out = capsys.readouterr().out
    assert not any(0 < ord(char) < 32 and char != "\n" or 127 <= ord(char) < 160 for char in out)
    assert r"a\nb\e[31mred\x9b2J\a" in out


def test_escape_controls_spells_out_every_control_character():
    assert escape_controls("ok\x1b[2J\x9b\x00") == r"ok\x1b[2J\x9b\x00"


def test_json_streams_every_row_of_every_statement(published, capsys):
    assert main(["sql", "select id from marts.t order by id", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1000 and rows[-1] == {"id": 999}


def test_temporary_files_go_to_a_private_capped_folder(published, monkeypatch):
    monkeypatch.setenv("CIVCAS_SQL_TEMP_LIMIT", "64MB")
    with GuardedSession(published.warehouse) as session:
        folder, cap = session.con.execute(
            "select current_setting('temp_directory'), current_setting('max_temp_directory_size')"
        ).fetchone()
        assert folder == str(session.temp_dir)
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        assert not folder.startswith(str(published.warehouse.parent))
        assert cap == "61.0 MiB"  # 64 MB
    assert not os.path.exists(folder)


def test_the_duckdb_cli_the_readme_names_is_installed(published):
    duckdb_cli = Path(sys.executable).parent / "duckdb"
    done = subprocess.run(
        [
            str(duckdb_cli),
            "-readonly",
            "-csv",
            str(published.warehouse),
            "-c",
            "select count(*) as n from marts.t",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["n", "1000"]
