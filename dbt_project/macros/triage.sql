{#
    The status of a landed row (contract: docs/data_quality.md, "Triage"): `superseded` when a later
    fetch replaced it or a newer version of its record exists, `out_of_scope` when its only
    problems say so, `quarantined` for any other problem, else `current`. An API row that a later
    fetch replaced counts as superseded even when it also has problems.
#}
{% macro triage_status(rejection_reason, version_rank, replaced='replaced_by_fetch') -%}
    case
        when {{ replaced }} is not null then 'superseded'
        when {{ rejection_reason }} like 'out of scope:%' then 'out_of_scope'
        when {{ rejection_reason }} is not null then 'quarantined'
        when {{ version_rank }} > 1 then 'superseded'
        else 'current'
    end
{%- endmacro %}

{# Version columns of a row among the rows of its record that may be shown (`candidate` true),
   newest first by the source's own order (`newest_first`), then the latest load: version_rank
   (1 = current), current_load_id and, for each (column, alias) of `carry`, the current
   version's value. #}
{% macro version_columns(record_id, candidate, newest_first, carry=[]) -%}
    {%- set versions -%}
        partition by {{ record_id }}, {{ candidate }}
        order by {{ newest_first }}, loaded_at desc, load_id desc, row_number desc
    {%- endset -%}
    row_number() over ({{ versions }}) as version_rank,
    {%- for column, alias in carry %}
    first_value({{ column }}) over ({{ versions }}) as {{ alias }},
    {%- endfor %}
    first_value(load_id) over ({{ versions }}) as current_load_id
{%- endmacro %}

{# Copies of one record in one API fetch (or what stands for one): how many, and which copy a row
   is (the first is kept). #}
{% macro copies_in_fetch(record_id, fetch='loads.fetch_id') -%}
    count(*) over (partition by {{ fetch }}, events.{{ record_id }}) as copies_in_fetch,
    row_number() over (
        partition by {{ fetch }}, events.{{ record_id }} order by events.load_id, events.row_number
    ) as copy_in_fetch
{%- endmacro %}

{% macro repeated_in_fetch(field_name) -%}
    case
        when copy_in_fetch > 1
            then '{{ field_name }} ' || event_id || ' appears ' || copies_in_fetch || ' times in fetch ' || fetch_id
    end
{%- endmacro %}
