{#
    How staging reads a text value as a typed one: null when it cannot be read, never a cast error.
    Every staged column read this way keeps its text as <column>_raw, so that triage can tell
    "empty" from "unreadable" (quarantine_reasons.sql) and nothing becomes a silent NULL.
#}

{# A date, alone or at the start of a timestamp: '2017-03-17', '2017-03-17T00:00:00'. Read as a
   timestamp because a date cast accepts trailing garbage ('2017-03-17 garbage'). #}
{% macro to_date(column) -%}
    try_cast(trim({{ column }}) as timestamp)::date
{%- endmacro %}

{# The columns every landed row carries (ingestion/landing.py): its load, file and record number,
   and when it was landed. `replaced` adds an API row's replacement (live_and_replaced_rows). #}
{% macro landing_columns(replaced=false) -%}
    _load_id as load_id,
    _source_file as source_file,
    _row_number as row_number,
    _loaded_at as loaded_at
    {%- if replaced %},
    _replaced_by_fetch as replaced_by_fetch,
    _replaced_at as replaced_at
    {%- endif %}
{%- endmacro %}

{# Coordinates read as numbers, their text kept for the quarantine checks (coordinate_problems). #}
{% macro coordinate_columns(latitude='latitude', longitude='longitude') -%}
    {{ latitude }} as latitude_raw,
    {{ longitude }} as longitude_raw,
    try_cast({{ latitude }} as double) as latitude,
    try_cast({{ longitude }} as double) as longitude
{%- endmacro %}

{# Whole numbers read, each keeping its text as <column>_raw (whole_number_problems). #}
{% macro whole_number_columns(columns) -%}
    {%- for column in columns %}
    {{ column }} as {{ column }}_raw,
    try_cast({{ column }} as bigint) as {{ column }}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
