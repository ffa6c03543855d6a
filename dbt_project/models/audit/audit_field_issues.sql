{{ config(alias='field_issues') }}
-- One row per problem with a secondary field of a record that reached the marts: the field was
-- nulled (or the belligerent alleged is `unmapped`) and the record kept (docs/data_quality.md,
-- "Degrade, never drop").
with issues as (
    {%- for model in report_record_models() %}
        select
            '{{ model.source }}' as source,
            {{ model.report_id }} as report_id,
            record_key,
            load_id,
            row_number,
            unnest(field_issues) as issue
        from {{ ref(model.model) }}
        where status = 'current'
        {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select
    source,
    report_id,
    record_key,
    load_id,
    row_number,
    issue.value as value_as_written,
    issue['field'] as field,
    issue['reason'] as reason
from issues
