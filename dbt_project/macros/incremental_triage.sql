{#
    Incremental triage (docs/architecture.md, "Incremental builds"). A triaged row's status
    depends on every row of its record key (versions, repeats, latest export), so a build
    triages again every row of each key that a new load lists, and never only the new rows:
    the table's rows of those keys are deleted and inserted again (delete+insert on the key).
    A load is new when this table has none of its rows yet. A build from scratch (`civcas run
    --full`, a code change, an empty warehouse) triages every row.
#}

{# When a build last triaged the row (the start of its dbt invocation). #}
{% macro triaged_at() -%}
    {{ build_started() }} as triaged_at
{%- endmacro %}

{# `column` of the rows of `model` triaged since this table's own last triage: a model triaging
   by another model's rows (citations by their incidents) triages again what changed there,
   also in builds that left this model out (a subset chosen in Dagster's UI). #}
{% macro triaged_since_this(model, column) -%}
    select {{ column }} from {{ model }}
    where triaged_at > (select max(triaged_at) from {{ this }})
{%- endmacro %}

{# The config of an incrementally triaged model keyed by `key`. Built from scratch (1M incidents,
   6M citations) it fills any DuckDB cap it is given while dbt's process holds its own Python
   besides: it runs under var('triage_memory_limit') and gives the profile's cap back after
   (safe because dbt builds one model at a time: civcas/settings.py, DBT_THREADS). #}
{% macro incremental_triage_config(key) -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=key,
        pre_hook="set memory_limit = '" ~ var('triage_memory_limit') ~ "'",
        post_hook="set memory_limit = '{{ target.settings.memory_limit }}'",
    ) }}
{%- endmacro %}

{# How a triage model holds the rows it triages, which it reads three times. Built from scratch
   (7M rows at 1M incidents) they stream from the landed rows at each read. In an incremental
   build they are few and held once. #}
{% macro staged_rows_materialization() -%}
    {{ 'materialized' if is_incremental() else 'not materialized' }}
{%- endmacro %}

{# The rows of `staged` this build triages: all of them, or in an incremental build the rows of
   new loads and every row of each `key` they list or that the query `also` returns.
   They are picked by their landing key (load_id, row_number) from the view's key columns alone,
   then joined back: filtering the view's rows directly computes every landed row's columns
   (raw_record) first, as DuckDB does not push the filter below the view's projection. At 1M
   incidents that took the citation triage 1.9 s; picking, 0.4 s. #}
{% macro rows_to_triage(staged, key, also=none) -%}
    {%- if is_incremental() %}
    with new_rows as (
        select load_id, {{ key }} from {{ staged }}
        where load_id not in (select distinct load_id from {{ this }})
    ),

    picked as materialized (
        select load_id, row_number from {{ staged }}
        where
            load_id in (select new_rows.load_id from new_rows)
            or {{ key }} in (
                select new_rows.{{ key }} from new_rows
                {%- if also %}
                union
                {{ also }}
                {%- endif %}
            )
    )

    select staged_rows.* from {{ staged }} as staged_rows
    inner join picked
        on staged_rows.load_id = picked.load_id and staged_rows.row_number = picked.row_number
    {%- else %}
    select * from {{ staged }}
    {%- endif %}
{%- endmacro %}

{# The filter of a lookup over another table to the `key`s of the rows this build triages: those
   of the model's CTE `staged` (rows_to_triage), in incremental builds; every row otherwise,
   where the filter would only cost. #}
{% macro only_keys_triaged(key) -%}
    {%- if is_incremental() -%}
        {{ key }} in (select staged.{{ key }} from staged)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
