-- Every landed row of ACLED's deletions feed, triaged: replaced by a later fetch, quarantined
-- when its event id is empty or its time cannot be read, superseded by an earlier landing of the
-- same deletion (event and time), else current: the event is withdrawn
-- (int_acled__events_triaged).
with deletions as (
    select * from {{ ref('stg_acled__deletions') }}
),

checked as (
    select
        *,
        nullif(concat_ws(
            '; ',
            case when event_id is null or event_id = '' then 'event_id_cnty is empty' end,
            case
                when deleted_timestamp is null
                    then 'deleted_timestamp ''' || coalesce(deleted_timestamp_raw, '') || ''' is not a Unix time'
            end
        ), '') as rejection_reason
    from deletions
),

ranked as (
    select
        *,
        row_number() over (
            partition by event_id, deleted_timestamp, rejection_reason is null and replaced_by_fetch is null
            order by loaded_at, load_id, row_number
        ) as landing_rank,
        first_value(load_id) over (
            partition by event_id, deleted_timestamp, rejection_reason is null and replaced_by_fetch is null
            order by loaded_at, load_id, row_number
        ) as first_load_id
    from checked
)

select
    load_id,
    source_file,
    row_number,
    loaded_at,
    replaced_by_fetch,
    event_id,
    deleted_timestamp,
    make_timestamp(deleted_timestamp * 1000000) as deleted_at,
    {{ triage_status('rejection_reason', 'landing_rank') }} as status,
    case
        when replaced_by_fetch is not null
            then 'replaced: the deletions feed was fetched again (' || replaced_by_fetch || ')'
        when rejection_reason is not null then rejection_reason
        when landing_rank > 1
            then 'superseded: the same deletion was landed before (load ' || first_load_id || ')'
    end as reason,
    'event_id_cnty=' || coalesce(event_id, '')
    || ',deleted_timestamp=' || coalesce(deleted_timestamp_raw, '') as record_key,
    raw_record
from ranked
