{# The measures of the agg_ tables; an empty figure is unknown and adds 0. #}
{% macro sum_of_figures(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- for column in ['civilians_killed_min', 'civilians_killed_max', 'children_killed_min',
                       'women_killed_min', 'civilians_injured_min'] %}
    coalesce(sum({{ prefix }}{{ column }}), 0)::bigint as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
