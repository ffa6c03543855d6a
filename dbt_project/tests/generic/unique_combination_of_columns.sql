{# Fails when a combination of columns repeats (like dbt_utils.unique_combination_of_columns,
   without the package: nothing may be downloaded at build time).

   `stamp`: the model's column stamping the build that wrote each row (built_at, triaged_at;
   incremental_by_key.sql). In an incremental `dbt build` only the combinations that rows written
   by this build hold are checked, across every row that holds them, old or new: a row the build
   left alone was checked when it was written, so no repeat goes unseen. At 1M incidents this is
   0.04 s instead of 0.9 s over 6M citations. Anything else (--full-refresh, `dbt test`) checks
   the whole table. #}
{% test unique_combination_of_columns(model, columns, stamp=none) %}
{%- if stamp and flags.WHICH == 'build' and not flags.FULL_REFRESH %}
with written as (
    select distinct {{ columns | join(', ') }}
    from {{ model }}
    where {{ stamp }} >= {{ build_started() }}
)

select
    {%- for column in columns %}
    checked.{{ column }},
    {%- endfor %}
    count(*) as copies
from {{ model }} as checked
semi join written
    on
    {%- for column in columns %}
        {{ 'and ' if not loop.first }}checked.{{ column }} is not distinct from written.{{ column }}
    {%- endfor %}
group by all
having count(*) > 1
{%- else %}
select {{ columns | join(', ') }}, count(*) as copies
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{%- endif %}
{% endtest %}
