-- Ledger documents as landed, with the publication date read as a day, a month or a year.
with source as (
    select * from {{ source('ledger', 'ledger_documents') }}
),

renamed as (
    select
        {{ landing_columns() }},
        trim(document_id) as document_id,
        trim(publisher) as publisher,
        trim(title) as title,
        trim(url) as url,
        lower(trim(language)) as language,
        trim(published) as published_raw,
        lower(trim(published_precision)) as published_precision_raw,
        notes,
        to_json(source)::varchar as raw_record
    from source
),

dated as (
    select
        *,
        case
            when regexp_full_match(published_raw, '[0-9]{4}-[0-9]{2}-[0-9]{2}') then 'day'
            when regexp_full_match(published_raw, '[0-9]{4}-[0-9]{2}') then 'month'
            when regexp_full_match(published_raw, '[0-9]{4}') then 'year'
        end as published_form
    from renamed
)

select
    * exclude (published_form),
    coalesce(published_precision_raw, published_form) as published_precision,
    case published_form
        when 'day' then try_cast(published_raw as date)
        when 'month' then try_cast(published_raw || '-01' as date)
        when 'year' then try_cast(published_raw || '-01-01' as date)
    end as published_date
from dated
