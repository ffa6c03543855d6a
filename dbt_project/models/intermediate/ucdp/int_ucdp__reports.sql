-- Current UCDP events in the shape of fct_civilian_harm_reports, with UCDP's own estimates and
-- the dyad's parties. Mapping and what is not comparable with Airwars: docs/api_sources.md.
-- Belligerents alleged (UCDP codes dyads, not who caused the deaths): for state-based violence
-- the government side (side_a; UCDP puts the government first), for one-sided violence the
-- perpetrator (side_a), for fighting between non-state groups both parties; plus those
-- seeds/ucdp_dyad_belligerents.csv judges to act within the dyad (Russia in the Government of
-- Syria's dyads, the coalition in "IS - SDF"). An actor no seed maps is `unmapped`; none named
-- means unknown.
with current_events as (
    select * from {{ ref('int_ucdp__events_triaged') }}
    where status = 'current'
),

by_dyad as (
    select
        current_events.event_id,
        dyads.belligerent_id
    from current_events
    inner join {{ ref('ucdp_dyad_belligerents') }} as dyads
        on current_events.dyad_name = dyads.dyad_name
),

belligerents as (
    {{ belligerents_of(
        'ucdp', 'current_events', 'event_id',
        'case when coalesce(type_of_violence, 2) = 2 then [side_a, side_b] else [side_a] end',
        api=true, also='by_dyad'
    ) }}
)

select
    'ucdp:' || event_id as report_id,
    'ucdp' as source,
    event_id as source_record_id,
    date_start as event_date,
    date_end as event_date_end,
    case date_prec
        when 1 then 'day'
        when 2 then 'range'
        when 3 then 'range'
        when 4 then 'month'
        when 5 then 'year'
        else 'unknown'
    end as date_precision,
    country_iso3,
    where_coordinates as place,
    adm_1 as admin1_text,
    adm_2 as admin1_text_alt,
    latitude,
    longitude,
    case where_prec
        when 1 then 'exact location'
        when 2 then 'within 25 km'
        when 3 then 'second-order division'
        when 4 then 'first-order division'
        when 5 then 'linear or area feature'
        when 6 then 'country'
        when 7 then 'international waters or airspace'
        else 'unknown'
    end as geo_precision,
    'incident' as scope,
    null::varchar as strike_status,
    null::varchar as grading,
    deaths_civilians as civilians_killed_min,
    -- Deaths of unknown status may include civilians: they widen the range, never the minimum
    -- (an event with 0 civilian but some unknown deaths ranges from 0 to them). An empty
    -- deaths_unknown adds none; an unreadable one (a field issue) leaves the maximum unknown.
    deaths_civilians
    + coalesce(deaths_unknown, case when not {{ has_field_issue('deaths_unknown') }} then 0 end)
        as civilians_killed_max,
    {{ unbroken_down_figures() }},
    'https://ucdp.uu.se/event/' || event_id as source_url,
    load_id,
    null::date as source_last_modified,
    belligerents.belligerent_ids,
    newer_version_rejected_reason,
    low as ucdp_deaths_low,
    best as ucdp_deaths_best,
    high as ucdp_deaths_high,
    event_clarity as ucdp_event_clarity,
    number_of_sources as ucdp_number_of_sources,
    dyad_name as ucdp_dyad_name,
    side_a as dyad_side_a,
    side_b as dyad_side_b,
    {{ built_at() }}
from current_events
left join belligerents using (event_id)
