-- Each period-scope claim beside each monitoring source's sums over the same period, country,
-- admin-1 (when the claim names one), named area (when the claim's place resolves to one, e.g.
-- west Mosul: int_report_areas) and belligerent (when the claim names any): reports
-- counted, sums of minima and maxima, the same over Airwars' headline gradings (Fair and
-- Confirmed), the differences and whether the claim lies inside the range.
-- No data is not zero: a source that holds no report for the claim's country in any month of its
-- period (agg_source_coverage) has empty figures and `no_data_reason` says why; its 0 would
-- read as "nothing happened".
with reports as (
    select * from {{ ref('fct_civilian_harm_reports') }}
),

belligerents as (
    select * from {{ ref('bridge_report_belligerents') }}
    where belligerent_id != 'unknown'
),

areas as (
    select * from {{ ref('int_report_areas') }}
),

claims as (
    select
        report_id,
        claimant_id,
        event_date as period_start,
        coalesce(event_date_end, event_date) as period_end,
        country_iso3,
        admin1_code,
        civilians_killed_min,
        civilians_killed_max,
        (
            select any_value(areas.finest_area_id) from areas
            where areas.report_id = reports.report_id
        ) as area_id
    from reports
    where scope = 'period'
),

claim_belligerents as (
    select
        report_id,
        list(belligerent_id order by belligerent_id) as belligerent_ids
    from belligerents
    semi join claims on belligerents.report_id = claims.report_id
    group by report_id
),

compared_sources as (
    select source as compared_source from {{ ref('sources') }}
    where summed
),

coverage as (
    select * from {{ ref('agg_source_coverage') }}
),

country_names as (
    select
        country_iso3,
        arg_min(country_name, length(country_name)) as country_name
    from {{ ref('countries') }}
    group by all
),

-- Why a source has nothing to compare for a claim: null when it holds reports for the claim's
-- country in a month of the period.
no_data as (
    select
        claims.report_id as claim_report_id,
        compared_sources.compared_source,
        case
            when count(coverage.source) = 0
                then 'no ' || compared_sources.compared_source || ' data loaded'
            when count(*) filter (where coverage.country_iso3 = claims.country_iso3) = 0
                then
                    'no ' || compared_sources.compared_source || ' coverage of '
                    || coalesce(any_value(country_names.country_name), claims.country_iso3)
            when
                count(*) filter (
                    where
                    coverage.country_iso3 = claims.country_iso3
                    and coverage.holds_reports
                    and coverage.month >= date_trunc('month', claims.period_start)
                    and coverage.month <= date_trunc('month', claims.period_end)
                ) = 0
                then
                    'no ' || compared_sources.compared_source || ' report for '
                    || coalesce(any_value(country_names.country_name), claims.country_iso3)
                    || ' in this period'
        end as no_data_reason
    from claims
    cross join compared_sources
    left join coverage on compared_sources.compared_source = coverage.source
    left join country_names on claims.country_iso3 = country_names.country_iso3
    group by claims.report_id, compared_sources.compared_source, claims.country_iso3
),

counted as (
    select
        claims.report_id as claim_report_id,
        incidents.source as compared_source,
        incidents.report_id,
        incidents.civilians_killed_min,
        incidents.civilians_killed_max,
        incidents.grading in {{ sql_list(var('headline_gradings')) }} as headline_graded
    from claims
    inner join reports as incidents
        on
            claims.country_iso3 = incidents.country_iso3
            and incidents.scope = 'incident'
            and incidents.event_date between claims.period_start and claims.period_end
            and (claims.admin1_code is null or claims.admin1_code = incidents.admin1_code)
            and (
                claims.area_id is null
                or exists (
                    select 1 from areas
                    where areas.report_id = incidents.report_id and areas.area_id = claims.area_id
                )
            )
    left join claim_belligerents on claims.report_id = claim_belligerents.report_id
    where
        claim_belligerents.belligerent_ids is null
        or exists (
            select 1
            from belligerents
            where
                belligerents.report_id = incidents.report_id
                and list_contains(claim_belligerents.belligerent_ids, belligerents.belligerent_id)
        )
),

sums as (
    select
        claim_report_id,
        compared_source,
        count(*) as reports_counted,
        coalesce(sum(civilians_killed_min), 0)::bigint as civilians_killed_min_sum,
        coalesce(sum(civilians_killed_max), 0)::bigint as civilians_killed_max_sum,
        count(*) filter (where headline_graded) as headline_reports_counted,
        coalesce(sum(civilians_killed_min) filter (where headline_graded), 0)::bigint
            as headline_civilians_killed_min_sum,
        coalesce(sum(civilians_killed_max) filter (where headline_graded), 0)::bigint
            as headline_civilians_killed_max_sum
    from counted
    group by all
)

select
    claims.report_id as claim_report_id,
    claims.claimant_id,
    claims.period_start,
    claims.period_end,
    claims.country_iso3,
    claims.admin1_code,
    claims.area_id,
    coalesce(claim_belligerents.belligerent_ids, []) as belligerent_ids,
    claims.civilians_killed_min as claim_civilians_killed_min,
    claims.civilians_killed_max as claim_civilians_killed_max,
    compared_sources.compared_source,
    no_data.no_data_reason,
    {{ unless_no_data('coalesce(sums.reports_counted, 0)') }} as reports_counted,
    {{ unless_no_data('coalesce(sums.civilians_killed_min_sum, 0)') }} as civilians_killed_min_sum,
    {{ unless_no_data('coalesce(sums.civilians_killed_max_sum, 0)') }} as civilians_killed_max_sum,
    -- Gradings are Airwars' own: other sources have no headline subset.
    {{ unless_no_data('coalesce(sums.headline_reports_counted, 0)', airwars_only=true) }}
        as headline_reports_counted,
    {{ unless_no_data('coalesce(sums.headline_civilians_killed_min_sum, 0)', airwars_only=true) }}
        as headline_civilians_killed_min_sum,
    {{ unless_no_data('coalesce(sums.headline_civilians_killed_max_sum, 0)', airwars_only=true) }}
        as headline_civilians_killed_max_sum,
    {{ unless_no_data('claims.civilians_killed_min - coalesce(sums.civilians_killed_min_sum, 0)') }}
        as claim_minus_min_sum,
    {{ unless_no_data('claims.civilians_killed_max - coalesce(sums.civilians_killed_max_sum, 0)') }}
        as claim_minus_max_sum,
    {{ unless_no_data(
        'claims.civilians_killed_min >= coalesce(sums.civilians_killed_min_sum, 0)'
        ~ ' and claims.civilians_killed_max <= coalesce(sums.civilians_killed_max_sum, 0)'
    ) }} as claim_inside_range,
    {{ unless_no_data(
        'claims.civilians_killed_min >= coalesce(sums.headline_civilians_killed_min_sum, 0)'
        ~ ' and claims.civilians_killed_max <= coalesce(sums.headline_civilians_killed_max_sum, 0)',
        airwars_only=true
    ) }} as claim_inside_headline_range
from claims
cross join compared_sources
left join claim_belligerents on claims.report_id = claim_belligerents.report_id
left join sums
    on claims.report_id = sums.claim_report_id and compared_sources.compared_source = sums.compared_source
left join no_data
    on claims.report_id = no_data.claim_report_id and compared_sources.compared_source = no_data.compared_source
