{#
    Belligerent names against seeds/belligerent_aliases.csv, shared by every source.
#}

{# Per record (load_id, row_number) of `rows`: the belligerent_names it gave that the seed does
   not know. #}
{% macro unknown_belligerent_aliases(rows) -%}
    select
        names.load_id,
        names.row_number,
        string_agg(distinct '''' || names.alias || '''', ', ') as aliases
    from (
        select
            load_id,
            row_number,
            unnest(belligerent_names) as alias
        from {{ rows }}
    ) as names
    left join {{ ref('belligerent_aliases') }} as aliases
        on lower(names.alias) = lower(aliases.alias)
    where aliases.belligerent_id is null
    group by all
{%- endmacro %}

{# Report x belligerent, the final select of an int_<source>__report_belligerents model. `named`
   holds (event_id, name) pairs: the names a current record alleges, looked up in
   seeds/belligerent_aliases.csv or, for an API source (`api`), in its own actors
   (seeds/api_actor_belligerents.csv, where victims map to no belligerent). `also` adds
   (event_id, belligerent_id) pairs a source alleges otherwise. A record with no belligerent at
   all is alleged against "unknown". #}
{% macro belligerents_of(source_name, named, api=false, also=none) -%}
    select distinct
        '{{ source_name }}:' || mapped.event_id as report_id,
        coalesce(mapped.belligerent_id, 'unknown') as belligerent_id
    from (
        select
            {{ named }}.event_id,
            nullif(vocabulary.belligerent_id, '') as belligerent_id
        from {{ named }}
        left join {{ ref('api_actor_belligerents' if api else 'belligerent_aliases') }} as vocabulary
            on
                lower({{ named }}.name) = lower(vocabulary.{{ 'actor' if api else 'alias' }})
                {%- if api %}
                and vocabulary.source = '{{ source_name }}'
                {%- endif %}
        {%- if also %}
        union all
        select
            event_id,
            belligerent_id
        from {{ also }}
        {%- endif %}
    ) as mapped
    qualify
        mapped.belligerent_id is not null
        or count(mapped.belligerent_id) over (partition by mapped.event_id) = 0
{%- endmacro %}

{# The actors of one API source (seeds/api_actor_belligerents.csv) keyed by lower-case name. #}
{% macro api_actors(source_name) -%}
    select
        lower(actor) as actor_key,
        belligerent_id
    from {{ ref('api_actor_belligerents') }}
    where source = '{{ source_name }}'
{%- endmacro %}
