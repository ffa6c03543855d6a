{# A list of strings (a dbt var) as an SQL list for `in`: ('a', 'b'). #}
{% macro sql_list(values) -%}
    ('{{ values | join("', '") }}')
{%- endmacro %}

{# The sources whose incident figures may be summed (seeds/sources.csv, column summed). #}
{% macro summed_sources() -%}
    (select source from {{ ref('sources') }} where summed)
{%- endmacro %}
