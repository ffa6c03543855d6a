-- Which months of which country each source holds reports for: per source and country, every
-- month from its first report to its last (reports counted, 0 in a month it holds none), so a
-- chart can leave a gap instead of drawing 0 across a month a source did not cover, and a
-- comparison can tell "no data" from "nothing found" (fct_period_comparisons). For a monthly API
-- source, `fetched` says whether the month was fetched at all.
with reports as (
    select
        source,
        country_iso3,
        date_trunc('month', event_date)::date as month
    from {{ ref('fct_civilian_harm_reports') }}
    where scope = 'incident'
),

spans as (
    select
        source,
        country_iso3,
        min(month) as first_month,
        max(month) as last_month
    from reports
    group by all
),

months as (
    select
        spans.source,
        spans.country_iso3,
        unnest(generate_series(spans.first_month, spans.last_month, interval 1 month))::date as month
    from spans
),

counted as (
    select
        source,
        country_iso3,
        month,
        count(*) as reports
    from reports
    group by all
),

fetched as (
    select distinct
        sources.source,
        loads.requested_month as month
    from {{ ref('stg_civcas__loads') }} as loads
    inner join {{ ref('sources') }} as sources
        on loads.source = sources.source and sources.kind = 'monthly_api'
    where loads.requested_month is not null
)

select
    months.source,
    months.country_iso3,
    months.month,
    coalesce(counted.reports, 0) as reports,
    counted.reports is not null as holds_reports,
    case when sources.kind = 'monthly_api' then fetched.month is not null end as fetched
from months
inner join {{ ref('sources') }} as sources on months.source = sources.source
left join counted
    on
        months.source = counted.source
        and months.country_iso3 = counted.country_iso3
        and months.month = counted.month
left join fetched on months.source = fetched.source and months.month = fetched.month
