-- Every Airwars incident code a UCDP event cites (`Airwars,2017-03-01,January 14th, 2017: (S399)
-- Al Mayadeen, …` in source_article), resolved to today's Airwars incident. Airwars has renumbered
-- its codes since UCDP cited them (S399 is today's CS444): a code in
-- seeds/airwars_code_renumberings.csv takes the code written there; another code of a renumbered
-- series takes the offset of the nearest renumbering learned below it (offsets drift slowly);
-- any other code is looked up as cited. The seed is learned from the data
-- (scripts/learn_airwars_renumberings.py, docs/reconciliation.md).
with ucdp_events as (
    select
        'ucdp:' || event_id as report_id,
        source_article
    from {{ ref('int_ucdp__events_triaged') }}
    where status = 'current' and source_article ilike '%airwars,%'
),

-- One row per Airwars article a UCDP event cites.
cited_articles as (
    select distinct
        report_id,
        unnest(regexp_extract_all(source_article, 'Airwars,[0-9-]+,[^"]*', 0)) as article
    from ucdp_events
),

-- The code in brackets after the incident's date and before its place (2016-2017: "(S399)
-- Al Mayadeen"), or alone after the article's date (2018-2019: "Airwars,2018-07-05,R3303").
cited as (
    select
        report_id,
        article,
        regexp_extract(
            article, '(?:\(|^Airwars,[0-9-]+,\s*)([A-Z]{1,4})([0-9]+)([a-z]?)(?:\)|$|[^A-Za-z0-9])',
            ['prefix', 'digits', 'suffix']
        ) as code_parts,
        -- What the article names after the code, up to the first comma (nothing in the bare form).
        nullif(trim(regexp_extract(article, '\)\s*([^,]*)', 1)), '') as cited_place
    from cited_articles
    where
        regexp_matches(article, '\([A-Z]{1,4}[0-9]+[a-z]?\)')
        or regexp_matches(article, '^Airwars,[0-9-]+,\s*[A-Z]{1,4}[0-9]+[a-z]?($|[^A-Za-z0-9])')
),

codes as (
    select
        report_id,
        code_parts.prefix || code_parts.digits || code_parts.suffix as cited_code,
        code_parts.prefix as cited_prefix,
        try_cast(code_parts.digits as integer) as cited_number,
        code_parts.suffix as cited_suffix,
        cited_place,
        article
    from cited
),

renumberings as (
    select
        cited_code,
        airwars_code,
        regexp_extract(cited_code, '^[A-Z]+') as cited_prefix,
        regexp_extract(cited_code, '[0-9]+')::integer as cited_number,
        regexp_extract(airwars_code, '^[A-Z]+') as airwars_prefix,
        regexp_extract(airwars_code, '[0-9]+')::integer - regexp_extract(cited_code, '[0-9]+')::integer
            as number_offset
    from {{ ref('airwars_code_renumberings') }}
),

translated as (
    select
        codes.*,
        case
            when known.airwars_code is not null then known.airwars_code
            when nearest.airwars_prefix is not null
                then nearest.airwars_prefix || (codes.cited_number + nearest.number_offset) || codes.cited_suffix
            else codes.cited_code
        end as airwars_code,
        case
            when known.airwars_code is not null then 'renumbering'
            when nearest.airwars_prefix is not null then 'nearest_offset'
            else 'as_cited'
        end as code_resolved_by
    from codes
    left join renumberings as known on codes.cited_code = known.cited_code
    asof left join renumberings as nearest
        on codes.cited_prefix = nearest.cited_prefix and codes.cited_number >= nearest.cited_number
),

-- Airwars gives a joint incident several codes ("CS439a RS1821"); each finds it.
airwars_codes as (
    select
        'airwars:' || incidents.airwars_id as airwars_report_id,
        unnest(string_split(trim(incidents.incident_code), ' ')) as airwars_code
    from {{ ref('int_airwars__incidents_triaged') }} as incidents
    where incidents.status = 'current'
),

resolved as (
    select
        translated.*,
        coalesce(exact.airwars_report_id, unlettered.airwars_report_id) as airwars_report_id
    from translated
    left join airwars_codes as exact on translated.airwars_code = exact.airwars_code
    -- "S887" cited where Airwars now has only "CS887a": the code without its letter.
    left join airwars_codes as unlettered
        on
            exact.airwars_report_id is null
            and translated.airwars_code = regexp_replace(unlettered.airwars_code, '[a-z]$', '')
    qualify row_number() over (
        partition by translated.report_id, translated.cited_code
        order by exact.airwars_report_id nulls last, unlettered.airwars_code
    ) = 1
)

select
    report_id,
    cited_code,
    cited_place,
    article,
    airwars_code,
    code_resolved_by,
    airwars_report_id
from resolved
