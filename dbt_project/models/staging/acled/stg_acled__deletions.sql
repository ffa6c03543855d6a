-- ACLED's deletions feed landed from the API (live and replaced rows), renamed and cast.
with source as (
    {{ live_and_replaced_rows('acled', 'acled_deletions') }}
),

renamed as (
    select
        {{ landing_columns(replaced=true) }},
        trim(landed.event_id_cnty) as event_id,
        landed.deleted_timestamp as deleted_timestamp_raw,
        try_cast(landed.deleted_timestamp as bigint) as deleted_timestamp,
        to_json(landed)::varchar as raw_record
    from source as landed
)

select * from renamed
