{#
    Every row an API source landed: the live raw table plus the rows that later fetches of the same
    month replaced (`<table>_replaced`, with `_replaced_by_fetch` / `_replaced_at`). Before the
    source has landed anything, the tables do not exist yet: an empty relation of the same shape
    keeps the models buildable (a default `civcas run` without API credentials).
#}
{% macro api_raw_rows(table, columns) -%}
    {%- set live = source('raw', table) -%}
    {%- set replaced = source('raw', table ~ '_replaced') -%}
    {%- set found = execute and adapter.get_relation(
        database=live.database, schema=live.schema, identifier=live.identifier) is not none -%}
    {%- if found %}
    select *, null::varchar as _replaced_by_fetch, null::timestamp as _replaced_at from {{ live }}
    union all by name
    select * from {{ replaced }}
    {%- else %}
    select
        {% for column in columns -%}
        null::varchar as "{{ column }}",
        {% endfor -%}
        null::varchar as _load_id,
        null::varchar as _source_file,
        null::bigint as _row_number,
        null::timestamp as _loaded_at,
        null::varchar as _replaced_by_fetch,
        null::timestamp as _replaced_at
    where false
    {%- endif %}
{%- endmacro %}
