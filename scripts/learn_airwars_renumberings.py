"""Learn how Airwars renumbered the incident codes UCDP cites, from a built warehouse, and write
dbt_project/seeds/airwars_code_renumberings.csv (docs/reconciliation.md, "Links from citations").

A cited code is learned when exactly one Airwars incident of any series lies within the citing
UCDP event's dates (a day either side) and has a place-name word alike to the cited place (the
citing event's place when the code is cited alone, as UCDP does from 2018)
(Jaro-Winkler >= 0.9, the noise words and major cities of the seeds left out). Each cited code
keeps the Airwars code most citations agree on; a renumbering whose offset differs by more than
OFFSET_TOLERANCE from the median of its neighbours in the series is left out (a coincidence of
date and a common place name, not a renumbering).

    .venv/bin/python scripts/learn_airwars_renumberings.py [WAREHOUSE]
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "dbt_project" / "seeds" / "airwars_code_renumberings.csv"
# Offsets drift by a few codes per hundred (S399 -> CS444, S1501 -> CS1702).
OFFSET_TOLERANCE = 10

LEARN_SQL = f"""
with words_left_out as (
    select list(word) as words from (
        select word from seeds.place_noise_words union all select word from seeds.major_cities
    )
),

citations as (
    select
        citations.report_id,
        citations.cited_code,
        regexp_extract(citations.cited_code, '^[A-Z]+') as cited_prefix,
        regexp_extract(citations.cited_code, '[0-9]+')::integer as cited_number,
        list_filter(
            -- A code cited alone (UCDP from 2018: "Airwars,2018-07-05,R3303") names no place:
            -- the citing event's own place stands in for it.
            regexp_split_to_array(
                lower(strip_accents(coalesce(citations.cited_place, reports.place))), '[^a-z]+'
            ),
            word -> length(word) >= 4 and not list_contains(words_left_out.words, word)
        ) as cited_words,
        reports.event_date as date_from,
        coalesce(reports.event_date_end, reports.event_date) as date_to
    from intermediate.int_airwars_citations as citations
    cross join words_left_out
    inner join marts.fct_civilian_harm_reports as reports on citations.report_id = reports.report_id
),

airwars as (
    select
        unnest(string_split(trim(incident_code), ' ')) as airwars_code,
        incident_date,
        regexp_split_to_array(lower(strip_accents(location)), '[^a-z]+') as place_words
    from intermediate.int_airwars__incidents_triaged
    where status = 'current'
),

candidates as (
    select
        citations.report_id,
        citations.cited_code,
        citations.cited_prefix,
        citations.cited_number,
        airwars.airwars_code
    from citations
    inner join airwars
        on airwars.incident_date between citations.date_from - 1 and citations.date_to + 1
    where list_bool_or(list_transform(
        citations.cited_words,
        cited -> list_bool_or(list_transform(
            airwars.place_words, word -> jaro_winkler_similarity(cited, word) >= 0.9
        ))
    ))
    qualify count(*) over (partition by citations.report_id, citations.cited_code) = 1
),

agreed as (
    select
        cited_code,
        any_value(cited_prefix) as cited_prefix,
        any_value(cited_number) as cited_number,
        mode(airwars_code) as airwars_code,
        count(*) as citations
    from candidates
    group by cited_code
),

offsets as (
    select
        *,
        regexp_extract(airwars_code, '[0-9]+')::integer - cited_number as number_offset
    from agreed
    where regexp_extract(airwars_code, '[0-9]+') != ''
),

neighbours as (
    select
        *,
        median(number_offset) over (
            partition by cited_prefix order by cited_number rows between 5 preceding and 5 following
        ) as neighbours_offset
    from offsets
)

select
    cited_code,
    airwars_code,
    'date and place of ' || citations || ' citing UCDP event(s) match' as evidence
from neighbours
where abs(number_offset - neighbours_offset) <= {OFFSET_TOLERANCE}
order by cited_prefix, cited_number
"""


def main(argv: list[str]) -> int:
    from civcas.settings import load_settings

    path = Path(argv[0]) if argv else load_settings().warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute(f"copy ({LEARN_SQL}) to '{SEED}' (header)")
        rows = con.execute(f"select count(*) from read_csv('{SEED}')").fetchone()[0]
    print(f"{SEED.relative_to(REPO)}: {rows} renumberings learned from {path}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main(sys.argv[1:]))
