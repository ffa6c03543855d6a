{#
    Every row an API source landed: the live raw table plus the rows that later fetches of the same
    month replaced (`<table>_replaced`, with `_replaced_by_fetch` / `_replaced_at`).
#}
{% macro live_and_replaced_rows(source_name, table) -%}
    select
        *,
        null::varchar as _replaced_by_fetch,
        null::timestamp as _replaced_at
    from {{ source(source_name, table) }}
    union all by name
    select * from {{ source(source_name, table ~ '_replaced') }}
{%- endmacro %}
