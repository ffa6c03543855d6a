{#
    The status of a landed row (contract: docs/data_quality.md, "Triage"): `superseded` when a later
    fetch replaced it or a newer version of its record exists, `quarantined` for a problem of its
    own (`quarantine_reason`), `out_of_scope` when its only problem is being out of scope
    (`out_of_scope_reason`), else `current`. An API row that a later fetch replaced counts as
    superseded even when it also has problems.
#}
{% macro triage_status(quarantine_reason, version_rank, replaced='replaced_by_fetch', out_of_scope_reason='null') -%}
    case
        when {{ replaced }} is not null then 'superseded'
        when {{ quarantine_reason }} is not null then 'quarantined'
        when {{ out_of_scope_reason }} is not null then 'out_of_scope'
        when {{ version_rank }} > 1 then 'superseded'
        else 'current'
    end
{%- endmacro %}

{# What keeps a row out of the marts, as its reason says it: its problems, then why it is out of
   scope. #}
{% macro rejection_reason(quarantine_reason, out_of_scope_reason) -%}
    nullif(concat_ws('; ', {{ quarantine_reason }}, {{ out_of_scope_reason }}), '')
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

{# An API source's landed rows (CTE `events`) with the fetch their load belongs to (`fetch`: what
   stands for one), the month and release it asked for, the copies of the record that fetch holds
   and which copy a row is (the first is kept), and the country's ISO code. #}
{% macro api_rows_located(source_name, fetch='loads.fetch_id') -%}
    select
        events.*,
        loads.release,
        {{ fetch }} as fetch_id,
        loads.requested_month,
        count(*) over (partition by {{ fetch }}, events.event_id) as copies_in_fetch,
        row_number() over (
            partition by {{ fetch }}, events.event_id order by events.load_id, events.row_number
        ) as copy_in_fetch,
        countries.country_iso3
    from events
    left join {{ ref('stg_civcas__loads') }} as loads
        on events.load_id = loads.load_id and loads.source = '{{ source_name }}'
    left join {{ ref('countries') }} as countries
        on lower(trim(events.country)) = lower(countries.country_name)
{%- endmacro %}

{% macro repeated_in_fetch(field_name) -%}
    case
        when copy_in_fetch > 1
            then '{{ field_name }} ' || event_id || ' appears ' || copies_in_fetch || ' times in fetch ' || fetch_id
    end
{%- endmacro %}

{# A row's place among every landed row of its record, newest landing first (`newest_first`, then
   the latest load), whatever its status: what "a newer version" means for a rejected one. #}
{% macro landing_rank(record_id, newest_first) -%}
    row_number() over (
        partition by {{ record_id }}
        order by {{ newest_first }}, loaded_at desc, load_id desc, row_number desc
    ) as landing_rank
{%- endmacro %}

{# CTE `newest_rejected` (needs CTE `ranked` with landing_rank): per record, the newest row
   kept out for its key facts (`rejected`: quarantined, not out of scope or replaced) and why. #}
{% macro newest_rejected_version(record_id, rejected="rejection_reason is not null") -%}
newest_rejected as (
    select
        {{ record_id }} as rejected_record_id,
        min(landing_rank) as rejected_landing_rank,
        arg_min(load_id, landing_rank) as rejected_load_id,
        arg_min(rejection_reason, landing_rank) as rejected_reason
    from ranked
    where {{ rejected }}
    group by all
)
{%- endmacro %}

{# The newest rejected row of each row's record, when it is newer than the row. #}
{% macro join_newest_rejected_version(record_id) -%}
left join newest_rejected
    on
        ranked.{{ record_id }} = newest_rejected.rejected_record_id
        and newest_rejected.rejected_landing_rank < ranked.landing_rank
{%- endmacro %}

{# For a current row whose record has a newer version kept out (its key facts unusable): that
   version's load and reason; the current row stays what the marts show. #}
{% macro newer_version_rejected_reason(current="rejection_reason is null and version_rank = 1") -%}
    case
        when {{ current }} and newest_rejected.rejected_reason is not null
            then 'load ' || newest_rejected.rejected_load_id || ': ' || newest_rejected.rejected_reason
    end as newer_version_rejected_reason
{%- endmacro %}
