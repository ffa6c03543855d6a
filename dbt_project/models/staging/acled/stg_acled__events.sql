-- ACLED events landed from the API (live and replaced rows), renamed and cast.
with source as (
    {{ live_and_replaced_rows('acled', 'acled_events') }}
),

renamed as (
    select
        {{ landing_columns(replaced=true) }},
        trim(landed.event_id_cnty) as event_id,
        event_date as event_date_raw,
        {{ to_date('event_date') }} as event_date,
        try_cast(time_precision as integer) as time_precision,
        landed.disorder_type,
        landed.event_type,
        landed.sub_event_type,
        trim(actor1) as actor1,
        nullif(trim(actor2), '') as actor2,
        nullif(trim(civilian_targeting), '') as civilian_targeting,
        landed.country,
        nullif(trim(admin1), '') as admin1,
        nullif(trim(admin2), '') as admin2,
        landed.location,
        {{ coordinate_columns() }},
        try_cast(geo_precision as integer) as geo_precision,
        landed.source as reported_by,
        landed.notes,
        {{ whole_number_columns(['fatalities']) }},
        landed.timestamp as timestamp_raw,
        try_cast(landed.timestamp as bigint) as source_timestamp,
        to_json(landed)::varchar as raw_record
    from source as landed
)

select * from renamed
