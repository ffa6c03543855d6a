"""Add labelled pairs to tests/fixtures/linkage_labels.csv from what UCDP itself cites, not from
what the link rules decide (docs/reconciliation.md, "How good is the linking").

- same: a UCDP event and the one Airwars incident its source article cites, through a
  renumbering listed in seeds/airwars_code_renumberings.csv (learned from the date and the
  place name the article gives);
- different (hard negatives): a UCDP event that cites exactly one Airwars incident that way,
  paired with another Airwars incident the blocking put beside it within 10 km (or without a
  distance) that names a different place (a neighbouring village) or the same place on another
  day.

Pairs already labelled are left as they are. A fixed sample (ordered by a hash of the pair), so
that running it again on the same warehouse adds nothing new.

    .venv/bin/python scripts/label_pairs_from_citations.py WAREHOUSE [PAIRS_OF_EACH_KIND]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "tests" / "fixtures" / "linkage_labels.csv"

PAIRS_SQL = """
with labelled as (
    select least(report_id_a, report_id_b) as a, greatest(report_id_a, report_id_b) as b
    from read_csv(?, header = true, all_varchar = true)
),

confirmed as (
    select report_id, cited_code, airwars_code, airwars_report_id
    from intermediate.int_airwars_citations as citations
    where citations.code_resolved_by = 'renumbering'
),

single as (
    select * from confirmed
    where report_id in (
        select report_id from intermediate.int_airwars_citations
        group by report_id having count(*) = 1
    )
),

reports as (
    select report_id, place, event_date from marts.fct_civilian_harm_reports
),

same_pairs as (
    select
        least(confirmed.report_id, confirmed.airwars_report_id) as report_id_a,
        greatest(confirmed.report_id, confirmed.airwars_report_id) as report_id_b,
        'same' as label,
        'UCDP cites Airwars ' || confirmed.cited_code || ' (today ' || confirmed.airwars_code
        || ', ' || airwars.place || ', ' || airwars.event_date || '); UCDP: ' || ucdp.place || ', '
        || ucdp.event_date as reason
    from confirmed
    inner join reports as airwars on confirmed.airwars_report_id = airwars.report_id
    inner join reports as ucdp on confirmed.report_id = ucdp.report_id
),

different_pairs as (
    select
        candidates.report_id_a,
        candidates.report_id_b,
        'different' as label,
        'UCDP cites only Airwars ' || single.cited_code || ' (today ' || single.airwars_code || ', '
        || cited.place || ', ' || cited.event_date || '); this incident is '
        || other.place || ', ' || other.event_date || ', '
        || coalesce(candidates.km_apart || ' km', 'no distance') || ' from UCDP''s '
        || ucdp.place || case
            when len(candidates.place_words_alike) > 0 then ': the same place on another day'
            else ': a different place'
        end as reason
    from intermediate.int_link_candidates as candidates
    inner join single
        on single.report_id in (candidates.report_id_a, candidates.report_id_b)
        and single.airwars_report_id not in (candidates.report_id_a, candidates.report_id_b)
    inner join reports as cited on single.airwars_report_id = cited.report_id
    inner join reports as other
        on other.report_id = case
            when candidates.report_id_a = single.report_id then candidates.report_id_b
            else candidates.report_id_a
        end
    inner join reports as ucdp on single.report_id = ucdp.report_id
    where
        candidates.source_a = 'airwars' and candidates.source_b = 'ucdp'
        -- Hard ones only: within 10 km (neighbouring villages), or placed by name alone.
        and coalesce(candidates.km_apart, 0) <= 10
        -- Two incidents in one place on the cited day may both be in UCDP's count: not a label.
        and (len(candidates.place_words_alike) = 0 or other.event_date != cited.event_date)
),

unlabelled as (
    select * from same_pairs
    union all
    select * from different_pairs
)

select report_id_a, report_id_b, label, reason
from unlabelled
anti join labelled on unlabelled.report_id_a = labelled.a and unlabelled.report_id_b = labelled.b
qualify row_number() over (partition by label order by hash(report_id_a || report_id_b)) <= ?
order by label, report_id_a, report_id_b
"""


def main(argv: list[str]) -> int:
    warehouse = Path(argv[0])
    per_kind = int(argv[1]) if len(argv) > 1 else 70
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(PAIRS_SQL, [str(LABELS), per_kind]).fetchall()
    with LABELS.open("a", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        for report_id_a, report_id_b, label, reason in rows:
            writer.writerow([report_id_a, report_id_b, label, reason, "citation"])
    print(f"{LABELS.relative_to(REPO)}: {len(rows)} pairs added")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
