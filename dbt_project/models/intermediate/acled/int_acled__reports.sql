-- Current civilian-targeting ACLED events in the shape of fct_civilian_harm_reports. Mapping and
-- what is not comparable with Airwars: docs/api_sources.md.
-- Belligerents: actor1 and actor2, victims left out; none named means unknown.
with current_events as (
    select * from {{ ref('int_acled__events_triaged') }}
    where status = 'current'
),

belligerents as (
    {{ belligerents_of('acled', 'current_events', 'event_id', '[actor1, actor2]', api=true) }}
)

select
    'acled:' || event_id as report_id,
    'acled' as source,
    event_id as source_record_id,
    event_date,
    null::date as event_date_end,
    case time_precision
        when 1 then 'day'
        when 2 then 'week'
        when 3 then 'month'
        else 'unknown'
    end as date_precision,
    country_iso3,
    location as place,
    admin1 as admin1_text,
    admin2 as admin1_text_alt,
    latitude,
    longitude,
    case geo_precision
        when 1 then 'exact location'
        when 2 then 'near a named place'
        when 3 then 'second-order division'
        else 'unknown'
    end as geo_precision,
    'incident' as scope,
    null::varchar as strike_status,
    null::varchar as grading,
    -- ACLED's fatalities of an event that targeted civilians are not all civilians: an upper bound.
    null::bigint as civilians_killed_min,
    fatalities as civilians_killed_max,
    {{ unbroken_down_figures() }},
    null::varchar as source_url,
    load_id,
    to_timestamp(source_timestamp)::date as source_last_modified,
    belligerents.belligerent_ids,
    newer_version_rejected_reason,
    {{ built_at() }}
from current_events
left join belligerents using (event_id)
