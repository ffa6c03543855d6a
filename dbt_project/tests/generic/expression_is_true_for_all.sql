{# Fails on every row where the expression is not true (like dbt_utils.expression_is_true,
   without the package). #}
{% test expression_is_true_for_all(model, expression) %}
select * from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}
