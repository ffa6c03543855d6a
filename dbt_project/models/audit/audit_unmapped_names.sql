{{ config(alias='unmapped_names') }}
-- Every belligerent or actor name no seed maps, with the reports that name it: what an analyst
-- maps in the seed named, after which the reports are alleged against the mapped belligerent
-- instead of `unmapped`.
with issues as (
    {%- for model in report_record_models() %}
        select
            '{{ model.source }}' as source,
            {{ model.report_id }} as report_id,
            unnest(field_issues) as issue
        from {{ ref(model.model) }}
        where status = 'current'
        {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select
    source,
    issue['field'] as field,
    issue.value as name,
    issue.unmapped_in as seed,
    count(distinct report_id) as reports
from issues
where issue.unmapped_in is not null
group by all
