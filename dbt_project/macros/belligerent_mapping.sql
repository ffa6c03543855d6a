{#
    Belligerent names against seeds/belligerent_aliases.csv, shared by every source.
#}

{# Per record (load_id, row_number) of `rows`: the belligerent_names it gave that the seed does
   not know, quoted in one string (`aliases`) and as a list (`alias_list`). #}
{% macro unknown_belligerent_aliases(rows) -%}
    select
        names.load_id,
        names.row_number,
        string_agg(distinct '''' || names.alias || '''', ', ') as aliases,
        list_sort(list(distinct names.alias)) as alias_list
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

{# (event_id, belligerent_ids), a CTE of an int_<source>__reports model: one row per record of
   `rows`, keyed by `key`, from the names (the list expression `names`) it alleges, looked up in
   seeds/belligerent_aliases.csv or, for an API source (`api`), in its own actors
   (seeds/api_actor_belligerents.csv, where victims map to no belligerent); a name neither maps
   is alleged as `unmapped`. `also` adds
   (event_id, belligerent_id) pairs a source alleges otherwise. belligerent_ids is sorted and
   distinct; a record with no belligerent at all is alleged against "unknown". #}
{% macro belligerents_of(source_name, rows, key, names, api=false, also=none) -%}
    select
        mapped.event_id,
        coalesce(
            nullif(list_sort(list_distinct(list(mapped.belligerent_id))), []), ['unknown']
        ) as belligerent_ids
    from (
        select
            named.event_id,
            -- A name no seed maps is alleged as `unmapped` (audit.unmapped_names lists it); a
            -- known victim ("Civilians") maps to no belligerent.
            case
                when named.name is null then null
                when vocabulary.{{ 'actor' if api else 'alias' }} is null then 'unmapped'
                else nullif(vocabulary.belligerent_id, '')
            end as belligerent_id
        from (
            select
                {{ key }} as event_id,
                unnest({{ names }}) as name
            from {{ rows }}
        ) as named
        left join {{ ref('api_actor_belligerents' if api else 'belligerent_aliases') }} as vocabulary
            on
                lower(named.name) = lower(vocabulary.{{ 'actor' if api else 'alias' }})
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
    group by mapped.event_id
{%- endmacro %}

{# The actors of one API source (seeds/api_actor_belligerents.csv) keyed by lower-case name. #}
{% macro api_actors(source_name) -%}
    select
        lower(actor) as actor_key,
        belligerent_id
    from {{ ref('api_actor_belligerents') }}
    where source = '{{ source_name }}'
{%- endmacro %}
