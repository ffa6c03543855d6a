-- UCDP rows kept out of the marts, each with its reason: replaced by a later fetch of their month,
-- quarantined, or superseded by a newer release of the same event.
with checked as (
    select * from {{ ref('int_ucdp__events_checked') }}
),

versions as (
    select
        load_id,
        row_number,
        version_rank,
        current_release,
        current_load_id
    from {{ ref('int_ucdp__events_versions') }}
)

select
    'ucdp' as source,
    checked.load_id,
    checked.source_file,
    checked.row_number,
    'id=' || coalesce(checked.event_id, '') || ',release=' || coalesce(checked.release, '') as record_key,
    case
        when checked.replaced_by_fetch is not null
            then
                'replaced: month ' || strftime(checked.requested_month, '%Y-%m') || ' of release '
                || checked.release || ' was fetched again (' || checked.replaced_by_fetch || ')'
        when checked.rejection_reason is not null then checked.rejection_reason
        else
            'superseded by release ' || versions.current_release || ' of id ' || checked.event_id
            || ' (load ' || versions.current_load_id || ')'
    end as reason,
    checked.raw_record
from checked
left join versions
    on checked.load_id = versions.load_id and checked.row_number = versions.row_number
where
    checked.replaced_by_fetch is not null
    or checked.rejection_reason is not null
    or versions.version_rank > 1
