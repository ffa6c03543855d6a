-- Every landed UCDP row (live and replaced) with the fetch it came from, triaged: replaced by a later
-- fetch of its month; quarantined when it cannot be identified (an id UCDP would not write) or
-- dated, or its civilian figure is unusable; out of scope when it counts no civilian and no
-- unknown deaths; else a version of its event id. A problem with any other field (coordinates,
-- actors, UCDP's total-death estimates, an end date) nulls that field (an unknown actor is
-- alleged as `unmapped`) and is listed in `field_issues`: the event stays.
-- The newest version whose key facts are usable wins, also when it is out of scope (it takes the
-- event out of the marts); a newer version quarantined leaves the previous one current, marked
-- with newer_version_rejected_reason.
-- API pages and GED file drops both land here; a file has no fetch, so the file (its load)
-- stands for one. Among API fetches the latest release wins (for the same release, the latest
-- fetch); between an API fetch and a file (which names no release) the newer landing wins.
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
        -- What keeps the event out of the marts.
        list_filter([
            {{ ucdp_id_problems('event_id') }},
            {{ repeated_in_fetch('id') }},
            {{ event_date_problems('date_start_raw', 'date_start', 'date_start') }},
            {{ outside_requested_month('date_start') }},
            {{ unknown_country('country') }},
            {{ whole_number_problems('deaths_civilians') }}
        ], problem -> problem is not null) as quarantine_problems,
        nullif(array_to_string(quarantine_problems, '; '), '') as quarantine_reason,
        -- Dated in another month than its fetch asked for, and nothing else: that month's fetch
        -- publishes it (audit.load_kept_out does not count it as kept out).
        len(quarantine_problems) = 1 and {{ outside_requested_month('date_start') }} is not null
            as only_outside_requested_month,
        case
            when deaths_civilians = 0 and coalesce(deaths_unknown, 0) <= 0
                then
                    'out of scope: no civilian or unknown deaths in this event'
                    || ' (deaths_civilians = 0, deaths_unknown '
                    || coalesce('= ' || nullif(trim(deaths_unknown_raw), ''), 'empty') || ')'
        end as out_of_scope_reason,
        {{ rejection_reason('quarantine_reason', 'out_of_scope_reason') }} as rejection_reason,
        -- What the event keeps, that field nulled.
        list_concat(
            {{ field_issues([
                field_issue('date_end', 'date_end_raw', unreadable_value('date_end', 'a date (YYYY-MM-DD)')),
                field_issue('date_end', 'date_end_raw', end_before_start('date_end', 'date_start')),
                field_issue('latitude', 'latitude_raw', coordinate_problems('latitude', 90)),
                field_issue('longitude', 'longitude_raw', coordinate_problems('longitude', 180)),
                field_issue('deaths_unknown', 'deaths_unknown_raw', whole_number_problems('deaths_unknown')),
                field_issue('best', 'best_raw', whole_number_problems('best')),
                field_issue('low', 'low_raw', whole_number_problems('low')),
                field_issue('high', 'high_raw', whole_number_problems('high')),
                field_issue('low/best/high', "concat_ws(', ', 'low=' || low_raw, 'best=' || best_raw, 'high=' || high_raw)",
                    ucdp_estimate_problems()),
                field_issue('number_of_sources', 'number_of_sources_raw',
                    unreadable_value('number_of_sources', 'a whole number')),
                field_issue('event_clarity', 'event_clarity_raw', unreadable_value('event_clarity', 'a whole number')),
            ]) }},
            {{ unmapped_belligerent_issues(
                "list_filter([case when side_a_actor.actor_key is null then side_a end], name -> name is not null)",
                'side_a', 'seeds/api_actor_belligerents.csv') }},
            {{ unmapped_belligerent_issues(
                "list_filter([case when side_b_actor.actor_key is null then side_b end], name -> name is not null)",
                'side_b', 'seeds/api_actor_belligerents.csv') }}
        ) as field_issues
    from located
    left join actors as side_a_actor on lower(located.side_a) = side_a_actor.actor_key
    left join actors as side_b_actor on lower(located.side_b) = side_b_actor.actor_key
),

versions as (
    select
        *,
        -- A version whose identity, date and civilian figure are usable may become current.
        quarantine_reason is null and replaced_by_fetch is null as key_facts_usable
    from checked
),

channel_ranked as (
    select
        *,
        row_number() over (
            partition by event_id, key_facts_usable, release is null
            -- UCDP release numbers compare part by part: 25.1 > 25.0.3 > 24.1.
            order by
                list_transform(string_split(release, '.'), part -> try_cast(part as integer)) desc,
                loaded_at desc, load_id desc, row_number desc
        ) as channel_rank
    from versions
),

ranked as (
    select
        * exclude (channel_rank),
        {{ version_columns(
            'event_id',
            'key_facts_usable',
            'channel_rank asc',
            [("coalesce(release, 'GED file drop')", 'current_release'), ('rejection_reason', 'current_rejection_reason')]
        ) }},
        {{ landing_rank('event_id', 'loaded_at desc') }}
    from channel_ranked
),

{{ newest_rejected_version(
    'event_id',
    rejected="not key_facts_usable and replaced_by_fetch is null"
) }}

select
    ranked.* exclude (
        quarantine_problems, quarantine_reason, out_of_scope_reason, rejection_reason, key_facts_usable,
        version_rank, current_release, current_rejection_reason, current_load_id, landing_rank
    ) replace (
        {{ unless_field_issue('date_end') }} as date_end,
        {{ degraded_coordinates() }},
        {{ unless_field_issue('deaths_unknown') }} as deaths_unknown,
        {{ degraded_ucdp_estimates() }}
    ),
    {{ triage_status('quarantine_reason', 'version_rank', out_of_scope_reason='out_of_scope_reason') }} as status,
    case
        when replaced_by_fetch is not null
            then
                'replaced: month ' || strftime(requested_month, '%Y-%m') || ' of release '
                || release || ' was fetched again (' || replaced_by_fetch || ')'
        when rejection_reason is not null then rejection_reason
        when version_rank > 1
            then
                'superseded by release ' || current_release || ' of id ' || ranked.event_id
                || ' (load ' || current_load_id || ')'
                || coalesce(', which is ' || current_rejection_reason, '')
    end as reason,
    {{ newer_version_rejected_reason(
        current='rejection_reason is null and version_rank = 1 and replaced_by_fetch is null'
    ) }},
    'id=' || coalesce(ranked.event_id, '') || ',release=' || coalesce(release, '') as record_key
from ranked
{{ join_newest_rejected_version('event_id') }}
