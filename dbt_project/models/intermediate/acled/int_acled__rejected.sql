-- ACLED rows kept out of the marts, each with its reason: replaced by a later fetch of their
-- month, quarantined, or superseded by a newer version (ACLED `timestamp`) of the same event.
with checked as (
    select * from {{ ref('int_acled__events_checked') }}
),

versions as (
    select
        load_id,
        row_number,
        version_rank,
        current_timestamp_value,
        current_load_id
    from {{ ref('int_acled__events_versions') }}
),

current_events as (
    select
        event_id,
        source_timestamp
    from {{ ref('int_acled__events') }}
)

select
    'acled' as source,
    checked.load_id,
    checked.source_file,
    checked.row_number,
    'event_id_cnty=' || coalesce(checked.event_id, '') as record_key,
    case
        when checked.replaced_by_fetch is not null and current_events.source_timestamp > checked.source_timestamp
            then
                'replaced by a newer version: timestamp ' || checked.source_timestamp || ' -> '
                || current_events.source_timestamp || ' (month ' || strftime(checked.requested_month, '%Y-%m')
                || ' fetched again: ' || checked.replaced_by_fetch || ')'
        when checked.replaced_by_fetch is not null
            then
                'replaced: month ' || strftime(checked.requested_month, '%Y-%m')
                || ' was fetched again (' || checked.replaced_by_fetch || ')'
        when checked.rejection_reason is not null then checked.rejection_reason
        else
            'superseded by a newer version of event_id_cnty ' || checked.event_id || ' (timestamp '
            || versions.current_timestamp_value || ', load ' || versions.current_load_id || ')'
    end as reason,
    checked.raw_record
from checked
left join versions
    on checked.load_id = versions.load_id and checked.row_number = versions.row_number
left join current_events on checked.event_id = current_events.event_id
where
    checked.replaced_by_fetch is not null
    or checked.rejection_reason is not null
    or versions.version_rank > 1
