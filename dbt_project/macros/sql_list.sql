{# A list of strings (a dbt var) as an SQL list for `in`: ('a', 'b'). #}
{% macro sql_list(values) -%}
    ('{{ values | join("', '") }}')
{%- endmacro %}

{# The sources whose incident figures may be summed (var monitoring_sources). #}
{% macro monitoring_sources_sql() -%}
    {{ sql_list(var('monitoring_sources')) }}
{%- endmacro %}
