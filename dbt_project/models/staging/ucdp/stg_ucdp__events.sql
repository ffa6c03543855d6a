-- UCDP GED events landed from the API (live and replaced rows), renamed and cast.
with source as (
    {{ live_and_replaced_rows('ucdp', 'ucdp_ged_events') }}
),

renamed as (
    select
        _load_id as load_id,
        _source_file as source_file,
        _row_number as row_number,
        _loaded_at as loaded_at,
        _replaced_by_fetch as replaced_by_fetch,
        _replaced_at as replaced_at,
        trim(id) as event_id,
        relid,
        try_cast(type_of_violence as integer) as type_of_violence,
        conflict_name,
        dyad_name,
        trim(side_a) as side_a,
        trim(side_b) as side_b,
        try_cast(number_of_sources as integer) as number_of_sources,
        source_article,
        source_office,
        source_headline,
        try_cast(where_prec as integer) as where_prec,
        where_coordinates,
        where_description,
        nullif(trim(adm_1), '') as adm_1,
        nullif(trim(adm_2), '') as adm_2,
        latitude as latitude_raw,
        longitude as longitude_raw,
        try_cast(latitude as double) as latitude,
        try_cast(longitude as double) as longitude,
        country,
        try_cast(country_id as integer) as country_id,
        try_cast(event_clarity as integer) as event_clarity,
        try_cast(date_prec as integer) as date_prec,
        date_start as date_start_raw,
        {{ to_date('date_start') }} as date_start,
        date_end as date_end_raw,
        {{ to_date('date_end') }} as date_end,
        deaths_a as deaths_a_raw,
        deaths_b as deaths_b_raw,
        deaths_civilians as deaths_civilians_raw,
        deaths_unknown as deaths_unknown_raw,
        best as best_raw,
        low as low_raw,
        high as high_raw,
        try_cast(deaths_a as bigint) as deaths_a,
        try_cast(deaths_b as bigint) as deaths_b,
        try_cast(deaths_civilians as bigint) as deaths_civilians,
        try_cast(deaths_unknown as bigint) as deaths_unknown,
        try_cast(best as bigint) as best,
        try_cast(low as bigint) as low,
        try_cast(high as bigint) as high,
        to_json(landed)::varchar as raw_record
    -- The alias names the whole row for to_json().
    from source as landed  -- noqa: AL05
)

select * from renamed
