-- Current Iraq Body Count incidents in the shape of fct_civilian_harm_reports. IBC counts
-- civilian deaths in Iraq only and gives no coordinates: the place is its Location text, resolved
-- through the admin-1 spellings and the named areas (int_report_admin1, int_report_areas).
-- Belligerents: those seeds/ibc_weapons.csv reads in the weapons (air attacks); none (no row in
-- `belligerents`: there are no names to look up) means
-- unknown. A range IBC writes reversed (minimum above maximum) is read as the range between.
with current_incidents as (
    select * from {{ ref('int_ibc__incidents_triaged') }}
    where status = 'current'
),

by_weapon as (
    select
        ibc_code as event_id,
        unnest(weapon_belligerent_ids) as belligerent_id
    from current_incidents
),

belligerents as (
    {{ belligerents_of('ibc', 'current_incidents', 'ibc_code', '[]::varchar[]', also='by_weapon') }}
)

select
    'ibc:' || current_incidents.ibc_code as report_id,
    'ibc' as source,
    current_incidents.ibc_code as source_record_id,
    current_incidents.start_date as event_date,
    case
        when current_incidents.end_date > current_incidents.start_date then current_incidents.end_date
    end as event_date_end,
    case
        when current_incidents.end_date - current_incidents.start_date > 6 then 'long_range'
        when current_incidents.end_date > current_incidents.start_date then 'range'
        else 'day'
    end as date_precision,
    'IRQ' as country_iso3,
    current_incidents.location as place,
    current_incidents.location as admin1_text,
    null::varchar as admin1_text_alt,
    null::double as latitude,
    null::double as longitude,
    case
        when regexp_matches(lower(current_incidents.location), '\b(area|neighbou?rhood|hay|district)\b')
            then 'neighbourhood'
        else 'place'
    end as geo_precision,
    'incident' as scope,
    null::varchar as strike_status,
    null::varchar as grading,
    case
        when current_incidents.figures_reversed then current_incidents.reported_max
        else current_incidents.reported_min
    end as civilians_killed_min,
    case
        when current_incidents.figures_reversed then current_incidents.reported_min
        else current_incidents.reported_max
    end as civilians_killed_max,
    {{ unbroken_down_figures() }},
    null::varchar as source_url,
    current_incidents.load_id,
    null::date as source_last_modified,
    coalesce(belligerents.belligerent_ids, ['unknown']) as belligerent_ids,
    {{ built_at() }}
from current_incidents
left join belligerents on current_incidents.ibc_code = belligerents.event_id
