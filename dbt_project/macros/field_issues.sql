{#
    Field issues: a problem with a secondary field of a record that stays in the marts
    (docs/data_quality.md, "Degrade, never drop"). The field is nulled (or its belligerent is
    `unmapped`) and the problem is listed in the triaged row's `field_issues`, one struct per
    problem: the field, its value as written, the reason and, for a name no seed maps, the seed
    that would map it (`unmapped_in`). audit.field_issues unnests them.
#}

{# One issue: `reason` is a SQL expression that is null when the field is fine. #}
{% macro field_issue(field, value, reason) -%}
    {'field': '{{ field }}', 'value': ({{ value }})::varchar, 'reason': {{ reason }}, 'unmapped_in': null::varchar}
{%- endmacro %}

{# The issues of a row: the list of `issues` (field_issue() expressions) whose reason is not null. #}
{% macro field_issues(issues) -%}
    list_filter(
        [
            {%- for issue in issues %}
            {{ issue }}{{ ',' if not loop.last }}
            {%- endfor %}
        ],
        issue -> issue.reason is not null
    )
{%- endmacro %}

{# True when the row's `field_issues` name `field`. #}
{% macro has_field_issue(field) -%}
    list_contains(list_transform(field_issues, issue -> issue.field), '{{ field }}')
{%- endmacro %}

{# `column`, nulled when the row has an issue with `field` (default: the column itself). #}
{% macro unless_field_issue(column, field=none) -%}
    case when not {{ has_field_issue(field or column) }} then {{ column }} end
{%- endmacro %}

{# An end date before its start date (`end` and `start` are columns). #}
{% macro end_before_start(end, start) -%}
    case when {{ end }} < {{ start }} then '{{ end }} ' || {{ end }} || ' is before {{ start }} ' || {{ start }} end
{%- endmacro %}

{# The issues of the breakdown `measures` (children, women, ...: never the civilian figure): a
   bound that is not a whole number, negative or implausible (field <measure>_min / _max), and a
   minimum above its maximum (field <measure>: both bounds are nulled). #}
{% macro breakdown_issues(measures) -%}
    {%- set issues = [] -%}
    {%- for measure in measures -%}
        {%- for bound in ['_min', '_max'] -%}
            {%- do issues.append(field_issue(measure ~ bound, measure ~ bound ~ '_raw', whole_number_problems(measure ~ bound))) -%}
        {%- endfor -%}
        {%- do issues.append(field_issue(
            measure,
            "'" ~ measure ~ "_min=' || " ~ measure ~ "_min_raw || ', " ~ measure ~ "_max=' || " ~ measure ~ "_max_raw",
            min_above_max(measure)
        )) -%}
    {%- endfor -%}
    {{ return(issues) }}
{%- endmacro %}

{# The breakdown `measures`, each bound nulled when it or its measure has an issue. #}
{% macro degraded_breakdown(measures) -%}
    {%- set columns = [] -%}
    {%- for measure in measures -%}
        {%- do columns.append((measure, measure ~ '_min')) -%}
        {%- do columns.append((measure, measure ~ '_max')) -%}
    {%- endfor -%}
    {%- for measure, column in columns %}
    case
        when not ({{ has_field_issue(measure) }} or {{ has_field_issue(column) }}) then {{ column }}
    end as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{# Latitude and longitude, both nulled when either has an issue: half a position places nothing. #}
{% macro degraded_coordinates() -%}
    case when not ({{ has_field_issue('latitude') }} or {{ has_field_issue('longitude') }}) then latitude end as latitude,
    case when not ({{ has_field_issue('latitude') }} or {{ has_field_issue('longitude') }}) then longitude end as longitude
{%- endmacro %}

{# One issue per name of the list `names` that a seed does not map (the record is alleged
   against `unmapped`). #}
{% macro unmapped_belligerent_issues(names, field, seed) -%}
    list_transform(
        coalesce({{ names }}, []),
        name -> {
            'field': '{{ field }}',
            'value': name,
            'reason': '{{ field }} ''' || name || ''' not in {{ seed }}: alleged against unmapped',
            'unmapped_in': '{{ seed }}'
        }
    )
{%- endmacro %}

{# UCDP's low, best and high estimates of total deaths: each nulled when it cannot be read, all
   three when they are out of order (field `low/best/high`, ucdp_estimate_problems). #}
{% macro degraded_ucdp_estimates() -%}
    {%- for estimate in ['low', 'best', 'high'] %}
    case
        when not ({{ has_field_issue(estimate) }} or {{ has_field_issue('low/best/high') }})
            then {{ estimate }}
    end as {{ estimate }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
