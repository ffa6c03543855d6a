-- One row per event of fct_harm_events, as its page and the disagreement table show it: the
-- month its page belongs to, its governorate and belligerents named.
with names as (
    select map_from_entries(list((belligerent_id, belligerent_name))) as by_id
    from {{ ref('dim_belligerents') }}
)

select
    events.event_id,
    date_trunc('month', events.event_date)::date as month,
    events.event_date,
    events.event_date_end,
    events.country_iso3,
    events.admin1_code,
    admin1.admin1_name,
    events.place,
    array_to_string(
        list_transform(list_sort(events.belligerent_ids), id -> coalesce(names.by_id[id], id)), ', '
    ) as belligerent_names,
    events.n_sources,
    events.n_reports,
    events.airwars_civilians_killed_min,
    events.airwars_civilians_killed_max,
    events.airwars_grading,
    events.ucdp_civilians_killed_min,
    events.ucdp_civilians_killed_max,
    events.acled_fatalities_min,
    events.acled_fatalities_max,
    events.envelope_min,
    events.envelope_max,
    events.agreed_min,
    events.agreed_max,
    events.agreement
from {{ ref('fct_harm_events') }} as events
cross join names
left join {{ ref('dim_admin1') }} as admin1 on events.admin1_code = admin1.admin1_code
