"""How good is the linking, measured on the bundled real data (docs/reconciliation.md).

- Recall: every bundled UCDP event whose `source_office` cites Airwars describes an incident that
  Airwars also assessed, so it must share an event (marts.bridge_event_reports) with an Airwars
  incident; counted in the countries the Airwars data covers (the bundled export is Syria's:
  UCDP's Iraq events citing Airwars have no Airwars incident to find).
- Precision: of the hand-labelled candidate pairs in tests/fixtures/linkage_labels.csv that the
  warehouse puts in one event, the share labelled "same".

Usage: .venv/bin/python -m benchmarks.linkage_quality [WAREHOUSE]   (default: the published one)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

LABELS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "linkage_labels.csv"

RECALL_SQL = """
with cited as (
    select 'ucdp:' || event_id as report_id
    from intermediate.int_ucdp__events_triaged
    where
        status = 'current'
        and source_office ilike '%airwars%'
        and country_iso3 in (
            select country_iso3 from marts.fct_civilian_harm_reports where source = 'airwars'
        )
),

airwars_events as (
    select distinct bridge.event_id
    from marts.bridge_event_reports as bridge
    inner join marts.fct_civilian_harm_reports as reports on bridge.report_id = reports.report_id
    where reports.source = 'airwars'
)

select
    count(*) as cited,
    count(*) filter (where bridge.event_id in (select event_id from airwars_events)) as found
from cited
left join marts.bridge_event_reports as bridge on cited.report_id = bridge.report_id
"""

PRECISION_SQL = """
with labels as (
    select * from read_csv(?, header = true, all_varchar = true)
),

judged as (
    select
        labels.label,
        event_a.event_id = event_b.event_id as same_event
    from labels
    inner join marts.bridge_event_reports as event_a on labels.report_id_a = event_a.report_id
    inner join marts.bridge_event_reports as event_b on labels.report_id_b = event_b.report_id
)

select
    (select count(*) from labels) as labelled,
    count(*) filter (where same_event) as predicted_same,
    count(*) filter (where same_event and label = 'same') as true_same,
    count(*) filter (where label = 'same') as labelled_same
from judged
"""


@dataclass(frozen=True)
class LinkageQuality:
    cited: int
    found: int
    labelled: int
    predicted_same: int
    true_same: int
    labelled_same: int

    @property
    def recall(self) -> float:
        return self.found / self.cited

    @property
    def precision(self) -> float:
        return self.true_same / self.predicted_same

    @property
    def labelled_recall(self) -> float:
        return self.true_same / self.labelled_same

    def report(self) -> str:
        return "\n".join(
            [
                f"recall    {self.recall:.3f}  ({self.found} of {self.cited} UCDP events citing"
                " Airwars share an event with an Airwars incident)",
                f"precision {self.precision:.3f}  ({self.true_same} of {self.predicted_same}"
                f" labelled pairs put in one event are the same event; {self.labelled} labelled)",
                f"recall on the labelled pairs {self.labelled_recall:.3f}"
                f"  ({self.true_same} of {self.labelled_same} labelled 'same')",
            ]
        )


def measure(con: duckdb.DuckDBPyConnection) -> LinkageQuality:
    cited, found = con.execute(RECALL_SQL).fetchone()
    labelled, predicted, true_same, labelled_same = con.execute(
        PRECISION_SQL, [str(LABELS)]
    ).fetchone()
    return LinkageQuality(cited, found, labelled, predicted, true_same, labelled_same)


def main(argv: list[str]) -> int:
    from civcas.settings import load_settings

    path = Path(argv[0]) if argv else load_settings().warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        print(measure(con).report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
