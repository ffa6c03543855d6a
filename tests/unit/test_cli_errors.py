"""Every user error ends in one clear line, never a traceback (issue 27, item 15)."""

from __future__ import annotations

import errno
import re
import subprocess
import sys

import duckdb
import pytest

from civcas.cli import main
from civcas.errors import explain
from ingestion import ledger
from ingestion.landing import LandingError

SURROGATE_LEDGER = """\
document:
  id: d
  publisher: P
  title: "bad \\udc80 title"
  published: 2017-03-28
claims:
  - id: c1
    claimant: SOHR
    scope: incident
    date: 2017-03-17
    country: Syria
    civilians_killed: "5"
"""


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_a_truncated_warehouse_is_one_line(civcas_env, capsys):
    civcas_env.warehouse.parent.mkdir(parents=True)
    civcas_env.warehouse.write_bytes(b"DUCK" * 100)
    for command in (["status"], ["report"]):
        assert main(command) == 1
        assert _one_line(capsys).startswith(f"civcas {command[0]}: ")


def test_a_warehouse_held_read_write_elsewhere_is_one_line(civcas_env, capsys):
    civcas_env.warehouse.parent.mkdir(parents=True)
    duckdb.connect(str(civcas_env.warehouse)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
            " time.sleep(30)",
            str(civcas_env.warehouse),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        assert main(["status"]) == 1
        line = _one_line(capsys)
        assert "open read-write in another process" in line and f"PID {holder.pid}" in line
    finally:
        holder.kill()
        holder.wait()


def test_a_warehouse_folder_that_cannot_be_written_is_one_line(civcas_env, monkeypatch, capsys):
    # sysfs refuses new files even to root, so this folder is read-only for whoever runs the test.
    monkeypatch.setenv("CIVCAS_WAREHOUSE", "/sys/fs/civcas.duckdb")
    assert main(["run", "--source", "airwars"]) == 1
    line = _one_line(capsys)
    refused = "(Operation not permitted|Permission denied)"
    assert re.fullmatch(rf"civcas run: {refused}: /sys/fs/\.builds\n", line)


def test_a_run_parses_a_changed_dbt_project_first_and_says_when_dbt_cannot(
    civcas_env, monkeypatch, capsys
):
    # The asset graph is the manifest: `civcas run` refreshes it (a pulled model), and a project
    # dbt cannot parse ends the run before Dagster starts, with dbt's own words.
    from civcas import dbt_manifest

    def unparsable():
        raise dbt_manifest.ManifestError("dbt could not parse and compile dbt_project (exit 2):\nX")

    monkeypatch.setattr(dbt_manifest, "ensure_manifest", unparsable)
    assert main(["run", "--source", "airwars"]) == 2
    assert capsys.readouterr().err == (
        "civcas run: dbt could not parse and compile dbt_project (exit 2):\nX\n"
    )
    assert not civcas_env.warehouse.exists()


def test_a_port_out_of_range_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["docs", "--port", "99999"])
    assert exit_.value.code == 2
    assert "'99999' is not a port number (1 to 65535)" in capsys.readouterr().err


def test_a_full_disk_says_the_disk_is_full():
    full = OSError(errno.ENOSPC, "No space left on device", "/data/warehouse/.builds/x")
    assert explain(full).startswith("the disk is full (/data/warehouse/.builds/x)")
    duck = duckdb.IOException('Could not write file "x": No space left on device')
    assert explain(duck).startswith("the disk is full")


def test_a_lone_surrogate_in_a_ledger_title_is_a_problem_not_a_traceback(tmp_path, capsys):
    folder = tmp_path / "ledger"
    folder.mkdir()
    path = folder / "bad.yaml"
    path.write_text(SURROGATE_LEDGER, encoding="utf-8")
    assert main(["ledger", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:4: document.title: holds a lone surrogate escape" in out
    with pytest.raises(LandingError, match="lone surrogate"):
        ledger.land(duckdb.connect(), tmp_path)
