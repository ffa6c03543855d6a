-- Each period claim beside another source's sums over the same period, place and belligerents,
-- with the claimant, governorate and belligerents named, for the report's claims table.
with names as (
    select map_from_entries(list((belligerent_id, belligerent_name))) as by_id
    from {{ ref('dim_belligerents') }}
)

select
    comparisons.claim_report_id,
    comparisons.compared_source,
    coalesce(claimants.claimant_name, comparisons.claimant_id) as claimant_name,
    comparisons.period_start,
    comparisons.period_end,
    comparisons.country_iso3,
    admin1.admin1_name,
    array_to_string(
        list_transform(list_sort(comparisons.belligerent_ids), id -> coalesce(names.by_id[id], id)),
        ', '
    ) as belligerent_names,
    comparisons.claim_civilians_killed_min,
    comparisons.claim_civilians_killed_max,
    comparisons.reports_counted,
    comparisons.civilians_killed_min_sum,
    comparisons.civilians_killed_max_sum,
    comparisons.headline_civilians_killed_min_sum,
    comparisons.headline_civilians_killed_max_sum,
    comparisons.claim_inside_range,
    comparisons.claim_inside_headline_range
from {{ ref('fct_period_comparisons') }} as comparisons
cross join names
left join {{ ref('dim_claimants') }} as claimants on comparisons.claimant_id = claimants.claimant_id
left join {{ ref('dim_admin1') }} as admin1 on comparisons.admin1_code = admin1.admin1_code
