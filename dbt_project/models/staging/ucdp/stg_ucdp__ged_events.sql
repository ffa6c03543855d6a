-- UCDP GED events landed from CSV file drops (ucdp_ged/*.csv), in the shape of stg_ucdp__events.
-- relid and where_description are empty for a file that lacks them (ingestion/ucdp_ged.py); a
-- file is never replaced by a fetch, so the replacement columns stay empty.
with source as (
    select
        *,
        null::varchar as _replaced_by_fetch,
        null::timestamp as _replaced_at
    from {{ source('ucdp', 'ucdp_ged_file_events') }}
),

renamed as (
    select
        {{ ucdp_event_columns() }}
    -- The alias names the whole row for to_json().
    from source as landed  -- noqa: AL05
)

select * from renamed
