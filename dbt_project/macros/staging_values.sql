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
