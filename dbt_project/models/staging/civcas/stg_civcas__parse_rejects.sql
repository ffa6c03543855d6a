-- Records no parser could read, as landed.
with source as (
    select * from {{ source('civcas', '_parse_rejects') }}
),

renamed as (
    select
        load_id,
        source,
        source_file,
        row_number,
        reason,
        raw_record
    from source
)

select * from renamed
