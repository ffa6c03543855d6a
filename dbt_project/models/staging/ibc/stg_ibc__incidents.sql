-- Iraq Body Count incidents, renamed and cast. Dates are written "28 Feb 2017"; minimum and
-- maximum are civilian deaths, kept as written (`<field>_raw`) for the quarantine rules.
with source as (
    select * from {{ source('ibc', 'ibc_incidents') }}
),

renamed as (
    select
        {{ landing_columns() }},
        trim("IBC code") as ibc_code,
        "Start Date" as start_date_raw,
        try_strptime(trim("Start Date"), '%d %b %Y')::date as start_date,
        "End Date" as end_date_raw,
        try_strptime(trim("End Date"), '%d %b %Y')::date as end_date,
        -- IBC's column is named Time, a type name in SQL.
        nullif(trim("Time"), '') as time_of_day,  -- noqa: RF06
        nullif(trim(location), '') as location,
        nullif(trim(target), '') as target,
        nullif(trim(weapons), '') as weapons,
        nullif(trim("Reported Minimum"), '') as reported_min_raw,
        try_cast(trim("Reported Minimum") as bigint) as reported_min,
        nullif(trim("Reported Maximum"), '') as reported_max_raw,
        try_cast(trim("Reported Maximum") as bigint) as reported_max,
        nullif(trim(sources), '') as sources,
        to_json(landed)::varchar as raw_record
    -- The alias names the whole row for to_json().
    from source as landed  -- noqa: AL05
)

select * from renamed
