{# The columns of a landed UCDP GED row, renamed and cast; shared by the API and the file drop.
   Fields the quarantine checks need keep their text as `<field>_raw`. `landed` names the row. #}
{% macro ucdp_event_columns() -%}
        {{ landing_columns(replaced=true) }},
        trim(id) as event_id,
        relid,
        try_cast(type_of_violence as integer) as type_of_violence,
        conflict_name,
        dyad_name,
        trim(side_a) as side_a,
        trim(side_b) as side_b,
        number_of_sources as number_of_sources_raw,
        try_cast(number_of_sources as integer) as number_of_sources,
        source_article,
        source_office,
        source_headline,
        try_cast(where_prec as integer) as where_prec,
        where_coordinates,
        where_description,
        nullif(trim(adm_1), '') as adm_1,
        nullif(trim(adm_2), '') as adm_2,
        {{ coordinate_columns() }},
        country,
        try_cast(country_id as integer) as country_id,
        event_clarity as event_clarity_raw,
        try_cast(event_clarity as integer) as event_clarity,
        try_cast(date_prec as integer) as date_prec,
        date_start as date_start_raw,
        {{ to_date('date_start') }} as date_start,
        date_end as date_end_raw,
        {{ to_date('date_end') }} as date_end,
        {{ whole_number_columns([
            'deaths_a', 'deaths_b', 'deaths_civilians', 'deaths_unknown', 'best', 'low', 'high'
        ]) }},
        to_json(landed)::varchar as raw_record
{%- endmacro %}
