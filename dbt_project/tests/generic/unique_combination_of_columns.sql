{# Fails when a combination of columns repeats (like dbt_utils.unique_combination_of_columns,
   without the package: nothing may be downloaded at build time). #}
{% test unique_combination_of_columns(model, columns) %}
select {{ columns | join(', ') }}, count(*) as copies
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
