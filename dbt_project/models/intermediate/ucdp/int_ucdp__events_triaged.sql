-- Every landed UCDP row (live and replaced) with the fetch it came from, triaged: replaced by a later
-- fetch of its month, quarantined or out of scope for its problems, else the current version per
-- event id or superseded by it. API pages and GED file drops both land here; a file has no fetch,
-- so the file (its load) stands for one. Among API fetches the latest release wins (for the same
-- release, the latest fetch); between an API fetch and a file (which names no release) the newer
-- landing wins.
with events as (
    select * from {{ ref('stg_ucdp__events') }}
    union all by name
    select * from {{ ref('stg_ucdp__ged_events') }}
),

actors as (
    {{ api_actors('ucdp') }}
),

located as (
    {{ api_rows_located('ucdp', fetch='coalesce(loads.fetch_id, events.load_id)') }}
),

checked as (
    select
        located.*,
        nullif(concat_ws(
            '; ',
            case when event_id is null or event_id = '' then 'id is empty' end,
            {{ repeated_in_fetch('id') }},
            {{ event_date_problems('date_start_raw', 'date_start', 'date_start') }},
            {{ outside_requested_month('date_start') }},
            {{ unreadable_value('date_end', 'a date (YYYY-MM-DD)') }},
            case
                when date_end < date_start
                    then 'date_end ' || date_end || ' is before date_start ' || date_start
            end,
            {{ unknown_country('country') }},
            {{ coordinate_problems('latitude', 90) }},
            {{ coordinate_problems('longitude', 180) }},
            {{ unknown_api_actor('side_a', 'side_a_actor') }},
            {{ unknown_api_actor('side_b', 'side_b_actor') }},
            {{ whole_number_problems('deaths_civilians') }},
            {{ whole_number_problems('deaths_unknown') }},
            {{ whole_number_problems('best') }},
            {{ whole_number_problems('low') }},
            {{ whole_number_problems('high') }},
            case when low > best then 'low ' || low || ' exceeds best ' || best end,
            case when best > high then 'best ' || best || ' exceeds high ' || high end,
            case
                when deaths_civilians > best
                    then 'deaths_civilians ' || deaths_civilians || ' exceeds best ' || best
            end,
            case
                when deaths_civilians = 0
                    then 'out of scope: no civilian deaths in this event (deaths_civilians = 0)'
            end
        ), '') as rejection_reason
    from located
    left join actors as side_a_actor on lower(located.side_a) = side_a_actor.actor_key
    left join actors as side_b_actor on lower(located.side_b) = side_b_actor.actor_key
),

channel_ranked as (
    select
        *,
        row_number() over (
            partition by event_id, rejection_reason is null and replaced_by_fetch is null, release is null
            -- UCDP release numbers compare part by part: 25.1 > 25.0.3 > 24.1.
            order by
                list_transform(string_split(release, '.'), part -> try_cast(part as integer)) desc,
                loaded_at desc, load_id desc, row_number desc
        ) as channel_rank
    from checked
),

ranked as (
    select
        * exclude (channel_rank),
        {{ version_columns(
            'event_id',
            'rejection_reason is null and replaced_by_fetch is null',
            'channel_rank asc',
            [("coalesce(release, 'GED file drop')", 'current_release')]
        ) }}
    from channel_ranked
)

select
    * exclude (rejection_reason, version_rank, current_release, current_load_id),
    {{ triage_status('rejection_reason', 'version_rank') }} as status,
    case
        when replaced_by_fetch is not null
            then
                'replaced: month ' || strftime(requested_month, '%Y-%m') || ' of release '
                || release || ' was fetched again (' || replaced_by_fetch || ')'
        when rejection_reason is not null then rejection_reason
        when version_rank > 1
            then
                'superseded by release ' || current_release || ' of id ' || event_id
                || ' (load ' || current_load_id || ')'
    end as reason,
    'id=' || coalesce(event_id, '') || ',release=' || coalesce(release, '') as record_key
from ranked
