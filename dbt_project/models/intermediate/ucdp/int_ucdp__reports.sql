-- Current UCDP events in the shape of fct_civilian_harm_reports. Mapping and what is not
-- comparable with Airwars: docs/api_sources.md.
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
    -- Deaths of unknown status may include civilians: they widen the range, never the minimum.
    deaths_civilians + coalesce(deaths_unknown, 0) as civilians_killed_max,
    {{ unbroken_down_figures() }},
    'https://ucdp.uu.se/event/' || event_id as source_url,
    load_id,
    null::date as source_last_modified
from {{ ref('int_ucdp__events_triaged') }}
where status = 'current'
