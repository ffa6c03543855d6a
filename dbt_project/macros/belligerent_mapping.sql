{#
    Belligerent names against seeds/belligerent_aliases.csv, shared by every source.
#}

{# Per record (load_id, row_number): the names a source gave that the seed does not know. #}
{% macro unknown_belligerent_aliases(names) -%}
    select
        {{ names }}.load_id,
        {{ names }}.row_number,
        string_agg(distinct '''' || {{ names }}.alias || '''', ', ') as aliases
    from {{ names }}
    left join {{ ref('belligerent_aliases') }} as aliases
        on lower({{ names }}.alias) = lower(aliases.alias)
    where aliases.belligerent_id is null
    group by all
{%- endmacro %}

{# Report x belligerent from (event_id, belligerent_id) pairs whose belligerent_id is empty for
   actors that are not belligerents (victims): an event with no belligerent at all is alleged
   against "unknown". #}
{% macro belligerents_or_unknown(source_name, mapped) -%}
    select distinct
        '{{ source_name }}:' || event_id as report_id,
        coalesce(belligerent_id, 'unknown') as belligerent_id
    from {{ mapped }}
    qualify belligerent_id is not null or count(belligerent_id) over (partition by event_id) = 0
{%- endmacro %}

{# The actors of one API source (seeds/api_actor_belligerents.csv) keyed by lower-case name. #}
{% macro api_actors(source_name) -%}
    select
        lower(actor) as actor_key,
        belligerent_id
    from {{ ref('api_actor_belligerents') }}
    where source = '{{ source_name }}'
{%- endmacro %}
