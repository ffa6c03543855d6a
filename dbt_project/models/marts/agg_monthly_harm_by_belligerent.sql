-- Month x country x source x alleged belligerent. A report alleged against several belligerents
-- counts under each of them, so rows must not be summed across belligerents. Monitoring sources
-- only: ledger claims are compared, never summed.
select
    date_trunc('month', reports.event_date)::date as month,
    reports.country_iso3,
    reports.source,
    bridge.belligerent_id,
    count(*) as reports,
    {{ sum_of_figures('reports') }}
from {{ ref('fct_civilian_harm_reports') }} as reports
inner join {{ ref('bridge_report_belligerents') }} as bridge on reports.report_id = bridge.report_id
where reports.scope = 'incident' and reports.source in {{ summed_sources() }}
group by all
