-- Current Airwars incidents in the shape of fct_civilian_harm_reports, with what they say about
-- where they happened (admin1_text*, resolved to an admin-1 in int_report_admin1).
-- Belligerents: the names it gives; an empty list means unknown.
-- Incremental: the reports of the airwars_ids triaged again since its last build
-- (incremental_by_key.sql).
{{ incremental_by_key_config('report_id', 'airwars_reports_triaged_since') }}

with current_incidents as (
    select * from {{ ref('int_airwars__incidents_triaged') }}
    where status = 'current' and {{ only_touched("'airwars:' || airwars_id") }}
),

belligerents as (
    {{ belligerents_of('airwars', 'current_incidents', 'airwars_id', 'belligerent_names') }}
)

select
    'airwars:' || airwars_id as report_id,
    'airwars' as source,
    airwars_id as source_record_id,
    incident_date as event_date,
    incident_date_end as event_date_end,
    case
        when incident_date_end is not null and incident_date_end > incident_date
            then 'range'
        else 'day'
    end as date_precision,
    country_iso3,
    location as place,
    governorate as admin1_text,
    region as admin1_text_alt,
    latitude,
    longitude,
    geolocation_accuracy as geo_precision,
    'incident' as scope,
    strike_status,
    grading,
    {{ figure_range_columns() }},
    source_url,
    load_id,
    last_modified as source_last_modified,
    belligerents.belligerent_ids,
    newer_version_rejected_reason,
    {{ built_at() }}
from current_incidents
left join belligerents on current_incidents.airwars_id = belligerents.event_id
