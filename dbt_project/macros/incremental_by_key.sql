{#
    Incremental by touched keys (docs/architecture.md, "Incremental builds"), for models below the
    triage. An incremental build rebuilds only the keys whose input rows changed since the model's
    own last build: it deletes every row of those keys and inserts them again from its inputs
    (incremental strategy `replace_touched`). The touched keys are found before the model's query
    runs (a pre-hook holds them in a temporary table), so that the delete also removes a key that
    has no rows any more. A build from scratch computes every key.

    A model's last build is recorded in intermediate.build_watermarks (one row per model, written
    after each successful build): a mart has no column of its own to record it in.
#}

{% macro build_watermarks() -%}
    {{ this.database }}.intermediate.build_watermarks
{%- endmacro %}

{# When this model was last built: -infinity if never recorded, so that every key is touched. #}
{% macro last_built() -%}
    coalesce(
        (select built_at from {{ build_watermarks() }} where model = '{{ this.identifier }}'),
        '-infinity'::timestamptz
    )
{%- endmacro %}

{# The start of this dbt invocation: the stamp of every row a build writes (built_at, and the
   triage's triaged_at) and of the model's build in build_watermarks; compared with each other. #}
{% macro build_started() -%}
    '{{ run_started_at }}'::timestamptz
{%- endmacro %}

{% macro built_at() -%}
    {{ build_started() }} as built_at
{%- endmacro %}

{# Delete, then insert, rather than `insert or replace`: a build copied from a lake has no primary
   key here (DuckLake keeps no constraints). #}
{% macro record_build() -%}
    create table if not exists {{ build_watermarks() }} (model varchar primary key, built_at timestamptz);
    delete from {{ build_watermarks() }} where model = '{{ this.identifier }}';
    insert into {{ build_watermarks() }}
    values ('{{ this.identifier }}', {{ build_started() }})
{%- endmacro %}

{% macro touched_keys() -%}
    {{ this.identifier }}__touched_keys
{%- endmacro %}

{# Pre-hook: hold the keys the query `touched` returns (incremental builds only). #}
{% macro hold_touched_keys(key, touched) -%}
    {%- if is_incremental() %}
        create or replace temporary table {{ touched_keys() }} as
        select distinct {{ key }} from ({{ touched }}) where {{ key }} is not null
    {%- else %}
        select 1
    {%- endif %}
{%- endmacro %}

{# The config of a model incremental by `key`; `touched` names the macro whose query returns the
   keys to rebuild (a macro, called when the hook runs: its refs and `this` are those of the
   build). `key_columns`: the model's columns holding such keys, when not the one column `key`
   (a pair of reports is rebuilt when either report is touched). #}
{% macro incremental_by_key_config(key, touched, key_columns=none) -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='replace_touched',
        on_schema_change='fail',
        unique_key=key,
        touched_key_columns=key_columns or [key],
        pre_hook="{{ hold_touched_keys('" ~ key ~ "', " ~ touched ~ "()) }}",
        post_hook="{{ record_build() }}",
    ) }}
{%- endmacro %}

{# The filter of a model's input to the touched keys (incremental builds; every row otherwise). #}
{% macro only_touched(column) -%}
    {%- if is_incremental() -%}
        {{ column }} in (select {{ config.get('unique_key') }} from {{ touched_keys() }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro get_incremental_replace_touched_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }} where
    {%- for column in config.get('touched_key_columns') %}
        {{ 'or ' if not loop.first }}{{ column }} in (select {{ key }} from {{ touched_keys() }})
    {%- endfor %};
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }};
    drop table {{ touched_keys() }}
{%- endmacro %}

{# `key` (an expression, named `name`) of the rows of the triage model `triaged` triaged again
   since this model's last build. A triage model never loses rows: no key disappears. #}
{% macro keys_triaged_since(triaged, key, name=key) -%}
    select {{ key }} as {{ name }} from {{ triaged }}
    where triaged_at > {{ last_built() }}
{%- endmacro %}

{# The keys (column `key`) whose row in the query `current`, compared on `columns`, is not the
   row this model holds: new or changed (no held row is the same), or gone (no current row has
   the key). For models whose inputs carry no build stamp: the current rows are computed whole
   and compared with the rows held. Anti joins, not EXCEPT: at 1M reports they cost less. #}
{% macro keys_whose_rows_changed(current, columns, key='report_id') -%}
    with current_rows as materialized (
        select {{ columns | join(', ') }} from ({{ current }}) as current_query
    )

    select current_rows.{{ key }} from current_rows
    anti join {{ this }} as held on
    {%- for column in columns %}
        {{ 'and ' if not loop.first }}current_rows.{{ column }} is not distinct from held.{{ column }}
    {%- endfor %}
    union all
    select held.{{ key }} from {{ this }} as held
    anti join current_rows on held.{{ key }} = current_rows.{{ key }}
{%- endmacro %}

{# Touched citations: the incident codes whose citation rows were triaged again. #}
{% macro citation_codes_triaged_since() -%}
    {{ keys_triaged_since(ref('int_airwars__citations_triaged'), 'incident_code') }}
{%- endmacro %}

{# The keys of rows `upstream` built since this model's last build, and the keys this model holds
   (`held`: a query of its keys; by default its column `key`) that `upstream` no longer has. #}
{% macro keys_built_since(upstream, key='report_id', held=none) -%}
    select {{ key }} from {{ upstream }}
    where built_at > {{ last_built() }}
    union all
    select held.{{ key }} from ({{ held or 'select ' ~ key ~ ' from ' ~ this }}) as held
    anti join {{ upstream }} as upstream on held.{{ key }} = upstream.{{ key }}
{%- endmacro %}

{# Touched reports of the models built per report from int_citations__prepared. #}
{% macro citation_reports_prepared_since() -%}
    {{ keys_built_since(ref('int_citations__prepared')) }}
{%- endmacro %}

{# Touched reports of int_link_candidates: either report of a pair. #}
{% macro link_reports_built_since() -%}
    {{ keys_built_since(
        ref('int_link_reports'),
        held='select report_id_a as report_id from ' ~ this
        ~ ' union select report_id_b as report_id from ' ~ this
    ) }}
{%- endmacro %}

{# Touched reports of int_airwars__reports: the airwars_ids triaged again since its last build. #}
{% macro airwars_reports_triaged_since() -%}
    {{ keys_triaged_since(
        ref('int_airwars__incidents_triaged'), "'airwars:' || airwars_id", 'report_id'
    ) }}
{%- endmacro %}

{# Touched reports of int_reports_unioned: every source's int_<source>__reports (a source whose
   reports are rebuilt whole stamps them all). #}
{% macro source_reports_built_since() -%}
    {{ keys_built_since('(' ~ union_report_source_models('reports') ~ ')') }}
{%- endmacro %}

{# Touched reports of the models built per report from int_reports_unioned. #}
{% macro unioned_reports_built_since() -%}
    {{ keys_built_since(ref('int_reports_unioned')) }}
{%- endmacro %}

{# Touched events of fct_harm_events: those with a member whose row int_event_members wrote since
   its last build, or whose report int_reports_unioned built since (its figures, place, grading
   and alleged belligerents: the per-report models rebuild the reports it built); and the events
   held whose member count differs (a member left) or that are gone. #}
{% macro harm_events_touched() -%}
    select members.event_id
    from {{ ref('int_event_members') }} as members
    left join {{ ref('int_reports_unioned') }} as reports on members.report_id = reports.report_id
    where members.built_at > {{ last_built() }} or reports.built_at > {{ last_built() }}
    union all
    select held.event_id
    from {{ this }} as held
    left join (
        select event_id, count(*) as n_reports from {{ ref('int_event_members') }} group by event_id
    ) as current_events on held.event_id = current_events.event_id
    where current_events.n_reports is distinct from held.n_reports
{%- endmacro %}
