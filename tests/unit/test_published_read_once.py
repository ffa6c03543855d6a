"""Readers resolve and open the published warehouse once: `civcas sql --as-of` reads the publish
it names on stderr even when another lands in between, and "up to date" opens the published
warehouse once (in lake mode each open attaches the catalog) (#28)."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
from helpers import incident, write_incidents

from civcas import inputs, published
from civcas import warehouse as wh
from civcas.cli import main
from civcas.settings import load_settings

FIRST = "0b1c2d3e-0000-4000-8000-000000000001"
SECOND = "0b1c2d3e-0000-4000-8000-000000000002"
REPORTS = "marts.fct_civilian_harm_reports"


def _publish(settings, run_id: str, reports: int) -> None:
    path = wh.build_path(settings, run_id)
    path.parent.mkdir(parents=True)
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(f"create table {REPORTS} as select range as report_id from range({reports})")
    con.close()
    wh.publish(settings, run_id)


def test_sql_as_of_reads_the_publish_it_resolved_when_another_lands_meanwhile(
    civcas_env, capsys, monkeypatch
):
    settings = load_settings()
    _publish(settings, FIRST, 3)
    resolve = published.publish_as_of
    calls = []

    def resolve_then_another_publishes(settings, as_of):
        found = resolve(settings, as_of)
        calls.append(as_of)
        if len(calls) == 1:
            _publish(settings, SECOND, 5)  # lands between resolving WHEN and opening
        return found

    monkeypatch.setattr(published, "publish_as_of", resolve_then_another_publishes)
    today = f"{datetime.now(UTC):%Y-%m-%d}"
    code = main(
        ["sql", f"select count(*) as n from {REPORTS}", "--format", "csv"]
        + [
            "--as-of",
            today,
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert f"by run {FIRST}" in err
    assert out.split() == ["n", "3"]  # what stderr named, not the publish that came after
    assert calls == [today]


def test_up_to_date_for_some_sources_opens_the_published_warehouse_once(civcas_env, monkeypatch):
    from orchestration.run_tags import FINGERPRINT_TAG, fingerprint_tags, tagged_source_fingerprints

    settings = load_settings()
    write_incidents(civcas_env.landing, "incidents.csv", [incident()])
    tags = fingerprint_tags(settings)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(settings.warehouse))
    inputs.record_published_inputs(
        con, "run", tags[FINGERPRINT_TAG], tagged_source_fingerprints(tags)
    )
    con.close()
    opened = []
    real_open = inputs.open_published
    monkeypatch.setattr(
        inputs, "open_published", lambda settings: opened.append(1) or real_open(settings)
    )
    assert inputs.up_to_date(settings, sources=["airwars"])
    assert len(opened) == 1
    write_incidents(civcas_env.landing, "incidents_2.csv", [incident(airwars_id="2")])
    assert not inputs.up_to_date(settings, sources=["airwars"])
    assert len(opened) == 2
