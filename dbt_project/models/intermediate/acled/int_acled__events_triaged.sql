-- Every landed ACLED row (live and replaced) with the fetch it came from, triaged: replaced by a
-- later fetch of its month, quarantined or out of scope for its problems, else the current version
-- per event id (latest ACLED `timestamp`; for equal timestamps, the latest fetch) or superseded by it;
-- a current version is withdrawn when ACLED's deletions feed deleted its event after that version.
{%- set current_version =
    'ranked.rejection_reason is null and ranked.version_rank = 1 and ranked.replaced_by_fetch is null' %}
with events as (
    select * from {{ ref('stg_acled__events') }}
),

actors as (
    {{ api_actors('acled') }}
),

located as (
    {{ api_rows_located('acled') }}
),

checked as (
    select
        located.*,
        -- What keeps the event out of the marts.
        list_filter([
            case when event_id is null or event_id = '' then 'event_id_cnty is empty' end,
            {{ repeated_in_fetch('event_id_cnty') }},
            {{ event_date_problems('event_date_raw', 'event_date', 'event_date') }},
            {{ outside_requested_month('event_date') }},
            {{ unknown_country('country') }},
            {{ whole_number_problems('fatalities') }},
            case
                when source_timestamp is null
                    then 'timestamp ''' || coalesce(timestamp_raw, '') || ''' is not a Unix time'
            end
        ], problem -> problem is not null) as quarantine_problems,
        nullif(array_to_string(quarantine_problems, '; '), '') as quarantine_reason,
        -- Dated in another month than its fetch asked for, and nothing else: that month's fetch
        -- publishes it (audit.load_kept_out does not count it as kept out).
        len(quarantine_problems) = 1 and {{ outside_requested_month('event_date') }} is not null
            as only_outside_requested_month,
        case
            when civilian_targeting is null
                then 'out of scope: not a civilian-targeting event (civilian_targeting is empty)'
        end as out_of_scope_reason,
        {{ rejection_reason('quarantine_reason', 'out_of_scope_reason') }} as rejection_reason,
        -- What the event keeps, that field nulled (an unknown actor is alleged as `unmapped`).
        list_concat(
            {{ field_issues([
                field_issue('latitude', 'latitude_raw', coordinate_problems('latitude', 90)),
                field_issue('longitude', 'longitude_raw', coordinate_problems('longitude', 180)),
            ]) }},
            {{ unmapped_belligerent_issues(
                "list_filter([case when actor1_map.actor_key is null then coalesce(actor1, '') end], name -> name is not null)",
                'actor1', 'seeds/api_actor_belligerents.csv') }},
            {{ unmapped_belligerent_issues(
                "list_filter([case when actor2 is not null and actor2_map.actor_key is null then actor2 end], name -> name is not null)",
                'actor2', 'seeds/api_actor_belligerents.csv') }}
        ) as field_issues
    from located
    left join actors as actor1_map on lower(located.actor1) = actor1_map.actor_key
    left join actors as actor2_map on lower(located.actor2) = actor2_map.actor_key
),

ranked as (
    select
        *,
        {{ version_columns(
            'event_id',
            'rejection_reason is null and replaced_by_fetch is null',
            'source_timestamp desc',
            [('source_timestamp', 'current_timestamp_value')]
        ) }},
        {{ landing_rank('event_id', 'source_timestamp desc nulls last') }}
    from checked
),

{{ newest_rejected_version(
    'event_id',
    rejected="quarantine_reason is not null and replaced_by_fetch is null"
) }},

-- The newest deletion of each event in ACLED's deletions feed.
withdrawals as (
    select
        event_id,
        max(deleted_timestamp) as deleted_timestamp,
        arg_max(deleted_at, deleted_timestamp) as deleted_at,
        arg_max(load_id, deleted_timestamp) as deletion_load_id
    from {{ ref('int_acled__deletions_triaged') }}
    where status = 'current'
    group by event_id
),

-- The ACLED timestamp of each event's current version, for the reason of a replaced row.
current_versions as (
    select
        event_id,
        source_timestamp
    from ranked
    where rejection_reason is null and replaced_by_fetch is null and version_rank = 1
)

select
    ranked.* exclude (
        release, quarantine_problems, quarantine_reason, out_of_scope_reason, rejection_reason,
        version_rank, current_timestamp_value, current_load_id, landing_rank
    ) replace ({{ degraded_coordinates() }}),
    case
        when withdrawals.deleted_timestamp >= ranked.source_timestamp and {{ current_version }}
            then 'withdrawn'
        else {{ triage_status(
            'ranked.quarantine_reason', 'ranked.version_rank', out_of_scope_reason='ranked.out_of_scope_reason'
        ) }}
    end as status,
    case
        when withdrawals.deleted_timestamp >= ranked.source_timestamp and {{ current_version }}
            then
                'withdrawn by ACLED: deleted at ' || strftime(withdrawals.deleted_at, '%Y-%m-%d %H:%M:%S')
                || ' UTC (deleted_timestamp ' || withdrawals.deleted_timestamp || ', load '
                || withdrawals.deletion_load_id || ')'
        when ranked.replaced_by_fetch is not null and current_versions.source_timestamp > ranked.source_timestamp
            then
                'replaced by a newer version: timestamp ' || ranked.source_timestamp || ' -> '
                || current_versions.source_timestamp || ' (month ' || strftime(ranked.requested_month, '%Y-%m')
                || ' fetched again: ' || ranked.replaced_by_fetch || ')'
        when ranked.replaced_by_fetch is not null
            then
                'replaced: month ' || strftime(ranked.requested_month, '%Y-%m')
                || ' was fetched again (' || ranked.replaced_by_fetch || ')'
        when ranked.rejection_reason is not null then ranked.rejection_reason
        when ranked.version_rank > 1
            then
                'superseded by a newer version of event_id_cnty ' || ranked.event_id || ' (timestamp '
                || ranked.current_timestamp_value || ', load ' || ranked.current_load_id || ')'
    end as reason,
    {{ newer_version_rejected_reason(current=current_version) }},
    'event_id_cnty=' || coalesce(ranked.event_id, '') as record_key
from ranked
left join current_versions on ranked.event_id = current_versions.event_id
left join withdrawals on ranked.event_id = withdrawals.event_id
{{ join_newest_rejected_version('event_id') }}
