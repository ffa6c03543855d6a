with source as (
    select * from {{ source('airwars', 'airwars_incident_sources') }}
),

renamed as (
    select
        {{ landing_columns() }},
        trim(incident_code) as incident_code,
        source_order as source_order_raw,
        try_cast(source_order as integer) as source_order,
        trim(source_name) as source_name,
        platform,
        source_date as source_date_raw,
        url,
        archive_url,
        to_json(source)::varchar as raw_record
    from source
)

select * from renamed
