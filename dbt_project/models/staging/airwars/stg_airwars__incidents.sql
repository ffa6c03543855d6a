with source as (
    select * from {{ source('airwars', 'airwars_incidents') }}
),

renamed as (
    select
        {{ landing_columns() }},
        trim(airwars_id) as airwars_id,
        trim(incident_code) as incident_code,
        incident_date as incident_date_raw,
        {{ to_date('incident_date') }} as incident_date,
        incident_date_end as incident_date_end_raw,
        {{ to_date('incident_date_end') }} as incident_date_end,
        date_type,
        country,
        governorate,
        region,
        location,
        {{ coordinate_columns() }},
        geolocation_accuracy,
        belligerents,
        -- One name each; an empty list means "unknown".
        list_transform(
            string_split(coalesce(nullif(trim(belligerents), ''), 'Unknown'), ','), name -> trim(name)
        ) as belligerent_names,
        strike_type,
        strike_status,
        grading,
        civilian_harm_reported,
        {{ whole_number_columns([
            'civilians_killed_min', 'civilians_killed_max', 'children_killed_min',
            'children_killed_max', 'women_killed_min', 'women_killed_max', 'men_killed_min',
            'men_killed_max', 'civilians_injured_min', 'civilians_injured_max', 'source_count'
        ]) }},
        published_date as published_date_raw,
        {{ to_date('published_date') }} as published_date,
        last_modified as last_modified_raw,
        {{ to_date('last_modified') }} as last_modified,
        url as source_url,
        to_json(source)::varchar as raw_record
    from source
)

select * from renamed
