-- Analysts' decisions as landed, every load (civcas review appends to a file, which then lands
-- again whole: int_decisions__link_decisions_triaged reads each file's latest load). Ids keep
-- their text as written beside the trimmed id.
with source as (
    select * from {{ source('decisions', 'link_decisions') }}
),

renamed as (
    select
        {{ landing_columns() }},
        report_id_a as report_id_a_raw,
        report_id_b as report_id_b_raw,
        trim(report_id_a) as report_id_a,
        trim(report_id_b) as report_id_b,
        lower(trim(decision)) as decision,
        note,
        trim(decided_by) as decided_by,
        to_json(source)::varchar as raw_record
    from source
)

select * from renamed
