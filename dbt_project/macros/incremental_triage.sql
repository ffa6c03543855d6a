{#
    Incremental triage (docs/architecture.md, "Incremental builds"). A triaged row's status
    depends on every row of its record key (versions, repeats, latest export), so a build
    triages again every row of each key that a new load lists, and never only the new rows:
    the table's rows of those keys are deleted and inserted again (delete+insert on the key).
    A load is new when this table has none of its rows yet. A build from scratch (`civcas run
    --full`, a code change, an empty warehouse) triages every row.
#}

{# The column stamping each row with the dbt invocation that last triaged it: a model that
   triages by another model's rows (citations by their incidents) reads which rows changed. #}
{% macro triaged_by_invocation() -%}
    '{{ invocation_id }}' as triaged_by_invocation
{%- endmacro %}

{# The config of an incrementally triaged model keyed by `key`. #}
{% macro incremental_triage_config(key) -%}
    {{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=key) }}
{%- endmacro %}

{# The rows of `staged` this build triages: all of them, or in an incremental build the rows of
   new loads and every row of each `key` they list or that the query `also` returns. #}
{% macro rows_to_triage(staged, key, also=none) -%}
    select * from {{ staged }}
    {%- if is_incremental() %}
    where
        load_id not in (select distinct load_id from {{ this }})
        or {{ key }} in (
            select {{ key }} from {{ staged }}
            where load_id not in (select distinct load_id from {{ this }})
            {%- if also %}
            union
            {{ also }}
            {%- endif %}
        )
    {%- endif %}
{%- endmacro %}
