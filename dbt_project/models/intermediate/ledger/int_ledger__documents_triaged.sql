-- Every landed ledger document with the end of its lifetime, triaged: a document id landed again
-- (the file was edited, or another file reuses the id) is superseded by the latest load.
with documents as (
    select * from {{ ref('stg_ledger__documents') }}
),

ranked as (
    select
        *,
        -- Nothing a document reports can happen after the last day its publication date allows.
        case published_precision
            when 'year' then (date_trunc('year', published_date) + interval 1 year - interval 1 day)::date
            when 'month' then last_day(published_date)
            else published_date
        end as published_date_end,
        row_number() over (
            partition by document_id order by loaded_at desc, load_id desc
        ) as version_rank,
        first_value(load_id) over (
            partition by document_id order by loaded_at desc, load_id desc
        ) as current_load_id,
        first_value(source_file) over (
            partition by document_id order by loaded_at desc, load_id desc
        ) as current_source_file
    from documents
)

select
    * exclude (version_rank),
    case when version_rank > 1 then 'superseded' else 'current' end as status,
    case
        when version_rank > 1
            then
                'superseded by a newer version of document ' || document_id || ' (' || current_source_file
                || ', load ' || current_load_id || ')'
    end as reason,
    'document_id=' || coalesce(document_id, '') as record_key
from ranked
