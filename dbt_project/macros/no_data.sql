{# fct_period_comparisons: `value`, or empty when the compared source has no data for the claim
   (its no_data_reason); with `airwars_only`, empty for every other source too (gradings are
   Airwars' own). #}
{% macro unless_no_data(value, airwars_only=false) -%}
    case
        when no_data.no_data_reason is null
            {%- if airwars_only %} and compared_sources.compared_source = 'airwars'{% endif %}
            then {{ value }}
    end
{%- endmacro %}
