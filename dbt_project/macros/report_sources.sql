{#
    The models every source of var('report_sources') provides, as (source, model name) pairs:
    `reports` (int_<source>__reports), `staged` (its stg_<source>__<name> models) or `triaged`
    (its int_<source>__<name>_triaged).
    A source added to the var is picked up by every model that unions sources.
#}
{% macro report_source_models(kind) -%}
    {%- set pairs = [] -%}
    {%- for source_name, models in var('report_sources').items() -%}
        {%- if kind == 'reports' -%}
            {%- do pairs.append((source_name, 'int_' ~ source_name ~ '__' ~ kind)) -%}
        {%- elif kind == 'staged' -%}
            {%- for name in models['staged'] -%}
                {%- do pairs.append((source_name, 'stg_' ~ source_name ~ '__' ~ name)) -%}
            {%- endfor -%}
        {%- elif kind == 'triaged' -%}
            {%- for name in models['triaged'] -%}
                {%- do pairs.append((source_name, 'int_' ~ source_name ~ '__' ~ name ~ '_triaged')) -%}
            {%- endfor -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error("report_source_models: unknown kind '" ~ kind ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}

{# `select * from` every model of `kind`, unioned by column name. #}
{% macro union_report_source_models(kind) -%}
    {%- for source_name, model in report_source_models(kind) %}
        select * from {{ ref(model) }}
        {{ 'union all by name' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
