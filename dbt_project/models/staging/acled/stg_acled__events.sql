-- ACLED events landed from the API (live and replaced rows), renamed and cast.
with source as (
    {{ live_and_replaced_rows('acled', 'acled_events') }}
),

renamed as (
    select
        landed._load_id as load_id,
        landed._source_file as source_file,
        landed._row_number as row_number,
        landed._loaded_at as loaded_at,
        landed._replaced_by_fetch as replaced_by_fetch,
        landed._replaced_at as replaced_at,
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
        latitude as latitude_raw,
        longitude as longitude_raw,
        try_cast(latitude as double) as latitude,
        try_cast(longitude as double) as longitude,
        try_cast(geo_precision as integer) as geo_precision,
        landed.source as reported_by,
        landed.notes,
        fatalities as fatalities_raw,
        try_cast(fatalities as bigint) as fatalities,
        landed.timestamp as timestamp_raw,
        try_cast(landed.timestamp as bigint) as source_timestamp,
        to_json(landed)::varchar as raw_record
    from source as landed
)

select * from renamed
