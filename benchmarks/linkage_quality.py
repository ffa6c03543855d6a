"""How good is the linking, measured on the bundled real data (docs/reconciliation.md).

- Recall: every bundled UCDP event whose `source_office` cites Airwars describes an incident that
  Airwars also assessed, so it must share an event (marts.bridge_event_reports) with an Airwars
  incident; counted in the countries the Airwars data covers (the bundled export is Syria's:
  UCDP's Iraq events citing Airwars have no Airwars incident to find). Without the citation
  path: the share of them the rules alone link to an Airwars incident (`rule_linked` in
  marts.fct_link_candidates). This counts a rule link to any Airwars incident; stricter, and
  printed beside it: of the pairs a citation names through a learned renumbering or as cited,
  that nothing contradicts, the share the rules link.
- Citations: how many of those events cite an Airwars code, and how many codes resolve to a
  bundled Airwars incident (intermediate.int_airwars_citations).
- Why the rules miss the others: each missed event in one class, the first that applies (a
  city-wide tally; its cited code finds no bundled incident; the cited incident lies outside
  the date or place windows; the two name different places; the belligerents; other).
- Precision, on the labelled pairs of tests/fixtures/linkage_labels.csv, split by the year of the
  pair's earlier report (2016: the pairs the rules were tuned on; 2017: reported): of the pairs
  put in one event, and of the pairs in the links mart (marts.fct_report_links), the share
  labelled "same"; for all labels and apart for those judged by hand, those read from UCDP's
  citations (scripts/label_pairs_from_citations.py) and the held-out ones (`heldout`: Syria,
  July-December 2017, labelled after the rules were last changed and never tuned on).
- Civilian deaths kept out of the marts (quarantined; out of scope does not count), per source.

Usage: .venv/bin/python -m benchmarks.linkage_quality [WAREHOUSE]   (default: the published one)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

LABELS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "linkage_labels.csv"
TUNED_ON_YEAR = 2016

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
),

rule_linked as (
    select report_id_b as report_id from marts.fct_link_candidates
    where rule_linked and source_a = 'airwars' and source_b = 'ucdp'
),


codes as (
    select
        report_id,
        bool_or(airwars_report_id is not null) as resolved
    from intermediate.int_airwars_citations
    group by report_id
)

select
    count(*) as cited,
    count(*) filter (where bridge.event_id in (select event_id from airwars_events)) as found,
    count(*) filter (where cited.report_id in (select report_id from rule_linked))
        as found_by_rules,
    count(codes.report_id) as citing_a_code,
    count(*) filter (where codes.resolved) as code_resolved
from cited
left join marts.bridge_event_reports as bridge on cited.report_id = bridge.report_id
left join codes on cited.report_id = codes.report_id
"""

PRECISION_SQL = """
with labels as (
    select * from read_csv(?, header = true, all_varchar = true)
),

judged as (
    select
        labels.label,
        labels.labelled_by,
        case
            when year(least(report_a.event_date, report_b.event_date)) <= ? then 'tuned'
            else 'reported'
        end as split,
        event_a.event_id = event_b.event_id as same_event,
        links.report_id_a is not null as in_links_mart
    from labels
    inner join marts.fct_civilian_harm_reports as report_a
        on labels.report_id_a = report_a.report_id
    inner join marts.fct_civilian_harm_reports as report_b
        on labels.report_id_b = report_b.report_id
    inner join marts.bridge_event_reports as event_a on labels.report_id_a = event_a.report_id
    inner join marts.bridge_event_reports as event_b on labels.report_id_b = event_b.report_id
    left join marts.fct_report_links as links
        on least(labels.report_id_a, labels.report_id_b) = links.report_id_a
        and greatest(labels.report_id_a, labels.report_id_b) = links.report_id_b
)

select
    split || ', ' || coalesce(labelled_by, 'all labels') as split,
    count(*) as labelled,
    count(*) filter (where label = 'same') as labelled_same,
    count(*) filter (where same_event) as in_one_event,
    count(*) filter (where same_event and label = 'same') as in_one_event_same,
    count(*) filter (where in_links_mart) as in_links_mart,
    count(*) filter (where in_links_mart and label = 'same') as in_links_mart_same
from judged
group by grouping sets ((split, labelled_by), (split))
order by split desc
"""

# The pairs a citation names whose code is certain (a learned renumbering, or cited as Airwars
# numbers it today) and that nothing contradicts: the pairs the rules should find on their own.
VERIFIED_SQL = """
select count(*), count(*) filter (where candidates.rule_linked)
from intermediate.int_citation_links as links
inner join intermediate.int_airwars_citations as citations
    on links.report_id_b = citations.report_id
    and links.report_id_a = citations.airwars_report_id
    and links.cited_code = citations.cited_code
left join intermediate.int_link_candidates as candidates
    on links.report_id_a = candidates.report_id_a and links.report_id_b = candidates.report_id_b
where
    citations.code_resolved_by in ('renumbering', 'as_cited')
    and not (links.date_contradicts or links.place_contradicts or links.code_uncertain)
"""

MISSES_SQL = """
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

missed as (
    select report_id from cited
    except
    select report_id_b from marts.fct_link_candidates
    where rule_linked and source_a = 'airwars' and source_b = 'ucdp'
),

cited_pairs as (
    select
        missed.report_id,
        bool_or(citations.airwars_report_id is not null) as resolved,
        bool_or(candidates.report_id_a is not null) as candidate,
        bool_or(candidates.both_name_places and len(candidates.place_words_alike) = 0)
            as names_differ,
        bool_or(candidates.place_within_window and not candidates.belligerents_compatible)
            as belligerents
    from missed
    left join intermediate.int_airwars_citations as citations
        on missed.report_id = citations.report_id
    left join intermediate.int_link_candidates as candidates
        on citations.airwars_report_id = candidates.report_id_a
        and missed.report_id = candidates.report_id_b
    group by missed.report_id
)

select
    case
        when reports.city_wide then 'a city-wide tally (which strikes it holds is unknown)'
        when reports.report_id is null then 'not linkable (dated or placed too vaguely)'
        when not coalesce(cited_pairs.resolved, false)
            then 'its cited code finds no bundled incident'
        when not cited_pairs.candidate
            then 'the cited incident lies outside the date or place windows'
        when cited_pairs.names_differ then 'the two name different places'
        when cited_pairs.belligerents then 'no belligerent in common'
        else 'other (figures, score, no coordinates)'
    end as why,
    count(*) as events
from cited_pairs
left join intermediate.int_link_reports as reports on cited_pairs.report_id = reports.report_id
group by why
order by events desc, why
"""

KEPT_OUT_SQL = """
select 'airwars' as source,
    sum(try_cast(civilians_killed_min_raw as bigint)) filter (where status = 'quarantined'),
    sum(try_cast(civilians_killed_min_raw as bigint)) filter (where status != 'out_of_scope')
from intermediate.int_airwars__incidents_triaged
union all
select 'ucdp',
    sum(try_cast(deaths_civilians_raw as bigint)) filter (where status = 'quarantined'),
    sum(try_cast(deaths_civilians_raw as bigint)) filter (where status != 'out_of_scope')
from intermediate.int_ucdp__events_triaged
"""


@dataclass(frozen=True)
class Split:
    name: str
    labelled: int
    labelled_same: int
    in_one_event: int
    in_one_event_same: int
    in_links_mart: int
    in_links_mart_same: int

    @property
    def event_precision(self) -> float:
        return self.in_one_event_same / self.in_one_event

    @property
    def links_precision(self) -> float:
        return self.in_links_mart_same / self.in_links_mart

    @property
    def labelled_recall(self) -> float:
        return self.in_one_event_same / self.labelled_same


@dataclass(frozen=True)
class LinkageQuality:
    cited: int
    found: int
    found_by_rules: int
    citing_a_code: int
    code_resolved: int
    verified: int
    verified_rule_linked: int
    splits: dict[str, Split]
    kept_out: dict[str, tuple[int, int]]
    misses: dict[str, int]

    @property
    def recall(self) -> float:
        return self.found / self.cited

    @property
    def recall_without_citations(self) -> float:
        return self.found_by_rules / self.cited

    @property
    def labelled(self) -> int:
        return sum(split.labelled for split in self.splits.values())

    def report(self) -> str:
        lines = [
            f"recall                    {self.recall:.3f}  ({self.found} of {self.cited}"
            " UCDP events citing Airwars share an event with an Airwars incident)",
            f"recall without citations  {self.recall_without_citations:.3f}  ({self.found_by_rules}"
            f" of {self.cited} have a rule link to an Airwars incident)",
            f"rules on verified pairs   {self.verified_rule_linked / self.verified:.3f}"
            f"  ({self.verified_rule_linked} of {self.verified} pairs a citation names through a"
            " learned renumbering or as cited, uncontradicted, have a rule link)",
            f"citations                 {self.citing_a_code} of {self.cited} cite an Airwars code;"
            f" {self.code_resolved} resolve to a bundled Airwars incident",
            "missed by the rules, why:",
            *(f"  {events:4d}  {why}" for why, events in self.misses.items()),
        ]
        for split in self.splits.values():
            lines += [
                f"{split.name} ({split.labelled} labelled pairs, {split.labelled_same} 'same'):",
                f"  event pairs precision   {split.event_precision:.3f}"
                f"  ({split.in_one_event_same} of {split.in_one_event} in one event are the same)",
                f"  links mart precision    {split.links_precision:.3f}"
                f"  ({split.in_links_mart_same} of {split.in_links_mart} in fct_report_links)",
                f"  labelled recall         {split.labelled_recall:.3f}",
            ]
        for source, (kept_out, total) in self.kept_out.items():
            lines.append(
                f"civilian deaths kept out  {source}: {kept_out} of {total}"
                f" ({kept_out / total:.1%}; quarantined, out of scope not counted)"
            )
        return "\n".join(lines)


def measure(con: duckdb.DuckDBPyConnection, labels: Path = LABELS) -> LinkageQuality:
    cited, found, by_rules, citing, resolved = con.execute(RECALL_SQL).fetchone()
    verified, verified_rule_linked = con.execute(VERIFIED_SQL).fetchone()
    splits = {
        row[0]: Split(*row)
        for row in con.execute(PRECISION_SQL, [str(labels), TUNED_ON_YEAR]).fetchall()
    }
    kept_out = {
        source: (kept or 0, total or 0)
        for source, kept, total in con.execute(KEPT_OUT_SQL).fetchall()
    }
    misses = dict(con.execute(MISSES_SQL).fetchall())
    return LinkageQuality(
        cited,
        found,
        by_rules,
        citing,
        resolved,
        verified,
        verified_rule_linked,
        splits,
        kept_out,
        misses,
    )


def main(argv: list[str]) -> int:
    from civcas.settings import load_settings

    path = Path(argv[0]) if argv else load_settings().warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        print(measure(con).report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
