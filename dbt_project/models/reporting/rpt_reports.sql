-- One row per report of the marts, as the report's lists, map and event pages show it: its
-- belligerents named, its event (incident-scope reports only) and its number of citations.
with belligerents as (
    select
        bridge.report_id,
        list(bridge.belligerent_id order by bridge.belligerent_id) as belligerent_ids,
        string_agg(
            coalesce(named.belligerent_name, bridge.belligerent_id), ', '
            order by bridge.belligerent_id
        ) as belligerent_names
    from {{ ref('bridge_report_belligerents') }} as bridge
    left join {{ ref('dim_belligerents') }} as named
        on bridge.belligerent_id = named.belligerent_id
    group by bridge.report_id
),

citations as (
    select
        report_id,
        count(*) as citations
    from {{ ref('fct_report_citations') }}
    group by report_id
)

select
    reports.report_id,
    reports.source,
    reports.source_record_id,
    reports.scope,
    date_trunc('month', reports.event_date)::date as month,
    reports.event_date,
    reports.event_date_end,
    reports.country_iso3,
    reports.admin1_code,
    reports.admin1_name,
    reports.place,
    reports.latitude,
    reports.longitude,
    coalesce(reports.grading, 'not graded') as grading,
    coalesce(reports.grading in {{ sql_list(var('headline_gradings')) }}, false) as headline_grading,
    reports.strike_status,
    belligerents.belligerent_ids,
    coalesce(belligerents.belligerent_names, '') as belligerent_names,
    reports.civilians_killed_min,
    reports.civilians_killed_max,
    reports.scope = 'incident' and reports.source in {{ summed_sources() }} as summed,
    reports.claimant_id,
    reports.source_url,
    events.event_id,
    coalesce(citations.citations, 0) as citations
from {{ ref('fct_civilian_harm_reports') }} as reports
left join belligerents on reports.report_id = belligerents.report_id
left join {{ ref('bridge_event_reports') }} as events on reports.report_id = events.report_id
left join citations on reports.report_id = citations.report_id
