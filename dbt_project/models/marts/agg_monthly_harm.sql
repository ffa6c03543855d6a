-- Month x country x source. Incident-scope reports of the monitoring sources only (ledger claims
-- are compared in fct_period_comparisons / fct_harm_events, never summed); each report counted
-- once; an empty figure adds 0.
select
    date_trunc('month', event_date)::date as month,
    country_iso3,
    source,
    count(*) as reports,
    {{ sum_of_figures() }}
from {{ ref('fct_civilian_harm_reports') }}
where scope = 'incident' and source in {{ summed_sources() }}
group by all
