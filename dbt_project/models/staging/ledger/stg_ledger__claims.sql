-- Ledger claims as landed; dates read as a day, a month or a year (first and last day of what is
-- written). Quantities stay text here: int_ledger__figures reads them.
with source as (
    select * from {{ source('ledger', 'ledger_claims') }}
),

renamed as (
    select
        {{ landing_columns() }},
        -- rows landed before `_line` existed carry their line as row_number
        coalesce(_line, _row_number) as line,
        trim(document_id) as document_id,
        trim(claim_id) as claim_id,
        trim(claimant) as claimant,
        lower(trim(scope)) as scope,
        trim(date) as date_raw,
        trim(date_end) as date_end_raw,
        lower(trim(date_precision)) as date_precision_raw,
        date_text,
        lower(trim(average_per)) as average_per,
        trim(country) as country,
        nullif(trim(admin1), '') as admin1,
        nullif(trim(place), '') as place,
        {{ coordinate_columns() }},
        belligerents as belligerents_raw,
        -- One name each; none written means "unknown".
        list_transform(
            case
                when coalesce(json_array_length(belligerents), 0) = 0 then ['Unknown']
                else from_json(belligerents, '["varchar"]')
            end,
            name -> trim(name)
        ) as belligerent_names,
        civilians_killed as civilians_killed_text,
        civilians_injured as civilians_injured_text,
        children_killed as children_killed_text,
        women_killed as women_killed_text,
        quote,
        nullif(trim(part_of), '') as part_of,
        notes,
        to_json(source)::varchar as raw_record
    from source
)

select
    {%- for field in ['date', 'date_end'] %}
        case
            when regexp_full_match({{ field }}_raw, '[0-9]{4}-[0-9]{2}-[0-9]{2}') then 'day'
            when regexp_full_match({{ field }}_raw, '[0-9]{4}-[0-9]{2}') then 'month'
            when regexp_full_match({{ field }}_raw, '[0-9]{4}') then 'year'
        end as {{ field }}_form,
        case
            when regexp_full_match({{ field }}_raw, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                then try_cast({{ field }}_raw as date)
            when regexp_full_match({{ field }}_raw, '[0-9]{4}-[0-9]{2}')
                then try_cast({{ field }}_raw || '-01' as date)
            when regexp_full_match({{ field }}_raw, '[0-9]{4}')
                then try_cast({{ field }}_raw || '-01-01' as date)
        end as {{ field }}_first_day,
        case
            when regexp_full_match({{ field }}_raw, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                then try_cast({{ field }}_raw as date)
            when regexp_full_match({{ field }}_raw, '[0-9]{4}-[0-9]{2}')
                then last_day(try_cast({{ field }}_raw || '-01' as date))
            when regexp_full_match({{ field }}_raw, '[0-9]{4}')
                then try_cast({{ field }}_raw || '-12-31' as date)
        end as {{ field }}_last_day,
    {%- endfor %}
    renamed.*
from renamed
