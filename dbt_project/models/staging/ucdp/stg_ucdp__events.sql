-- UCDP GED events landed from the API (live and replaced rows), renamed and cast.
with source as (
    {{ live_and_replaced_rows('ucdp', 'ucdp_ged_events') }}
),

renamed as (
    select
        {{ ucdp_event_columns() }}
    -- The alias names the whole row for to_json().
    from source as landed  -- noqa: AL05
)

select * from renamed
