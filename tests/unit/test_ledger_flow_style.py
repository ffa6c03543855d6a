"""A flow-style (JSON) ledger file lands like a block-style one: each claim its own row, numbered
in the file, with the line it starts on (issue 27, item 6)."""

from __future__ import annotations

import json

import duckdb
import yaml
from helpers import SAMPLE_LANDING

from civcas.ledger_check import check_files
from ingestion import ledger

SAMPLE = SAMPLE_LANDING / "ledger" / "2017-04-01-sohr-coalition-monthly.yaml"


def _as_json(tmp_path, indent: int | None, **changes):
    document = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    for index, fields in changes.items():
        document["claims"][int(index.removeprefix("claim"))].update(fields)
    folder = tmp_path / "ledger"
    folder.mkdir(exist_ok=True)
    text = json.dumps(document, indent=indent, default=str)
    (folder / SAMPLE.name).write_text(text, encoding="utf-8")
    return folder / SAMPLE.name


def _landed(tmp_path) -> list[tuple[int, int]]:
    con = duckdb.connect()
    ledger.land(con, tmp_path)
    return con.execute(
        "select _row_number, _line from raw.ledger_claims order by _row_number"
    ).fetchall()


def test_claims_on_one_line_are_numbered_in_the_file(tmp_path):
    _as_json(tmp_path, indent=None)
    assert _landed(tmp_path) == [(1, 1), (2, 1), (3, 1)]


def test_claims_of_an_indented_json_file_keep_their_lines(tmp_path):
    _as_json(tmp_path, indent=2)
    assert _landed(tmp_path) == [(1, 11), (2, 25), (3, 37)]


def test_ledger_check_names_the_claim_of_a_one_line_file(tmp_path):
    path = _as_json(tmp_path, indent=None, claim1={"country": "Atlantis"})
    problems = [(p.line, p.field, p.message) for p in check_files([path])]
    claim_id = yaml.safe_load(SAMPLE.read_text())["claims"][1]["id"]
    assert problems == [
        (
            1,
            f"claims[1].country (claim {claim_id})",
            "country 'Atlantis' is not in seeds/countries.csv",
        )
    ]
