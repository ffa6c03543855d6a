{# The figures an event dataset does not break down (children, women, men, injured): empty,
   never 0, in the shape of fct_civilian_harm_reports. #}
{% macro unbroken_down_figures() -%}
    {%- for measure in ['children_killed', 'women_killed', 'men_killed', 'civilians_injured'] %}
    null::bigint as {{ measure }}_min,
    null::bigint as {{ measure }}_max{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
