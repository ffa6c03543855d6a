{# The measures of the agg_ tables; an empty figure is unknown and adds 0. The headline sums
   count only Airwars incidents graded Fair or Confirmed (var headline_gradings), Airwars' own
   convention; they are empty for sources without gradings. #}
{% macro sum_of_figures(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- for column in ['civilians_killed_min', 'civilians_killed_max', 'children_killed_min',
                       'women_killed_min', 'civilians_injured_min'] %}
    coalesce(sum({{ prefix }}{{ column }}), 0)::bigint as {{ column }},
    {%- endfor %}
    {%- for column in ['civilians_killed_min', 'civilians_killed_max'] %}
    case
        when bool_or({{ prefix }}source = 'airwars')
            then coalesce(sum({{ prefix }}{{ column }}) filter (
                where {{ prefix }}grading in {{ sql_list(var('headline_gradings')) }}
            ), 0)::bigint
    end as fair_or_confirmed_{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{# The <measure>_min and <measure>_max columns of a report, for each measure given (default: every
   measure of measures()). #}
{% macro figure_range_columns(measures_given=none) -%}
    {%- for measure in (measures_given or measures()) %}
    {{ measure }}_min,
    {{ measure }}_max{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
