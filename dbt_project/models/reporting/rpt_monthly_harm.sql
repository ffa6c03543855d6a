-- What the report's monthly chart filters and sums: month x country x source x grading x alleged
-- belligerent. The rows with an empty belligerent_id (all_belligerents) count each report once,
-- whatever its belligerents, because a report alleged against several belligerents counts under
-- each of them in the other rows. Rows of different sources are never summed: two monitors often
-- report the same deaths. Monitoring sources only: ledger claims are compared, never summed.
with reports as (
    select
        report_id,
        date_trunc('month', event_date)::date as month,
        country_iso3,
        source,
        coalesce(grading, 'not graded') as grading,
        coalesce(grading in {{ sql_list(var('headline_gradings')) }}, false) as headline_grading,
        civilians_killed_min,
        civilians_killed_max
    from {{ ref('fct_civilian_harm_reports') }}
    where scope = 'incident' and source in {{ summed_sources() }}
),

per_belligerent as (
    select
        reports.*,
        bridge.belligerent_id
    from reports
    inner join {{ ref('bridge_report_belligerents') }} as bridge
        on reports.report_id = bridge.report_id
),

every_belligerent as (
    select
        reports.*,
        null::varchar as belligerent_id
    from reports
),

both_grains as (
    select * from per_belligerent
    union all by name
    select * from every_belligerent
)

select
    month,
    country_iso3,
    source,
    grading,
    headline_grading,
    belligerent_id,
    belligerent_id is null as all_belligerents,
    count(*) as reports,
    count(civilians_killed_min) as reports_with_figures,
    coalesce(sum(civilians_killed_min), 0)::bigint as civilians_killed_min,
    coalesce(sum(civilians_killed_max), 0)::bigint as civilians_killed_max
from both_grains
group by all
