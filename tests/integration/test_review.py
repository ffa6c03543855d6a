"""The review loop end to end on a copy of the bundled build: `civcas review` shows a pair and
appends the analyst's decision to the landing folder's decisions file; the next run lands it,
applies it, and reports a bad row by file and row without blocking the build."""

from __future__ import annotations

import io

from helpers import copy_env

from civcas.cli import main
from orchestration.run import landing_tags

# Airwars' Al Jazmati strike (3 killed) and UCDP's Aleppo tally that day (5): rule-linked,
# listed for review (figures apart, city-wide), not in one event today.
PAIR = ("airwars:28747", "ucdp:223930")


def test_a_decision_recorded_by_review_is_applied_by_the_next_run(
    bundled_build, tmp_path, monkeypatch, capsys
):
    env = copy_env(bundled_build[0], tmp_path, monkeypatch)
    monkeypatch.setattr("sys.stdin", io.StringIO("s\nSame strike: UCDP's tally names Jazmati\n"))
    assert main(["review", "--pair", *PAIR, "--by", "tester"]) == 0
    shown = capsys.readouterr().out
    assert "Al Jazmati (Aleppo)" in shown and "Aleppo town" in shown
    assert "a city-wide tally linked to a strike" in shown
    decisions = env.landing / "decisions" / "review.csv"
    assert decisions.read_text(encoding="utf-8").splitlines() == [
        "report_id_a,report_id_b,decision,note,decided_by",
        "airwars:28747,ucdp:223930,same,Same strike: UCDP's tally names Jazmati,tester",
    ]
    # A second file with a self-pair and an unknown report: reported, never applied, never blocking.
    (env.landing / "decisions" / "bad.csv").write_text(
        "report_id_a,report_id_b,decision,note,decided_by\n"
        "ucdp:223930,ucdp:223930,same,oops,tester\n"
        "airwars:404,ucdp:223930,different,typo,tester\n",
        encoding="utf-8",
    )

    report = env.run(tags=landing_tags())

    assert report.success, report.lines()
    assert env.query(
        "select decided_by, analyst from marts.fct_report_links"
        " where report_id_a = ? and report_id_b = ?",
        list(PAIR),
    ) == [("analyst", "tester")]
    events = env.query(
        "select count(distinct event_id) from marts.bridge_event_reports where report_id in (?, ?)",
        list(PAIR),
    )
    assert events == [(1,)]
    assert env.query(
        "select row_number, status, problems from audit.decision_problems"
        " where source_file = 'decisions/bad.csv' order by row_number"
    ) == [
        (1, "rejected", "a report paired with itself"),
        (2, "rejected", "report_id_a airwars:404 is no known report"),
    ]
    # Decided, the pair leaves the review list.
    assert env.query(
        "select count(*) from marts.rpt_links_to_review where report_id_a = ? and report_id_b = ?",
        list(PAIR),
    ) == [(0,)]
