{#
    Reasons a record is kept out of the marts, as SQL expressions that are null when the record is fine.
    Each reason names the field and the value, so that a person can act on it.
#}

{% macro whole_number_problems(column) -%}
    case
        when {{ column }}_raw is null then null
        when not regexp_full_match(trim({{ column }}_raw), '[0-9]+')
            and try_cast(trim({{ column }}_raw) as bigint) < 0
            then '{{ column }} is negative (' || {{ column }}_raw || ')'
        when not regexp_full_match(trim({{ column }}_raw), '[0-9]+')
            then '{{ column }} is not a whole number (''' || {{ column }}_raw || ''')'
        when try_cast(trim({{ column }}_raw) as double) > {{ var('max_plausible_count') }}
            then '{{ column }} ' || trim({{ column }}_raw) || ' is beyond any plausible count (more than {{ var("max_plausible_count") }})'
    end
{%- endmacro %}

{% macro min_above_max(measure) -%}
    case
        when {{ measure }}_min > {{ measure }}_max
            then '{{ measure }}_min ' || {{ measure }}_min || ' exceeds {{ measure }}_max ' || {{ measure }}_max
    end
{%- endmacro %}

{# A figure one incident cannot plausibly reach (vars max_incident_<measure>, the bounds the
   error-level expectations of expectations/suites/incident_plausibility.yml check on the marts):
   a typing error such as extra zeros, quarantined here with its reason rather than failing the
   whole build there. #}
{% macro above_incident_maximum(measure) -%}
    case
        when coalesce({{ measure }}_max, {{ measure }}_min) > {{ var('max_incident_' ~ measure) }}
            then '{{ measure }} ' || coalesce({{ measure }}_max, {{ measure }}_min)
                || ' is more than one incident plausibly counts ({{ var("max_incident_" ~ measure) }}):'
                || ' a typing error to correct at the source'
    end
{%- endmacro %}

{% macro event_date_problems(raw_column, date_column, field_name) -%}
    case
        when nullif(trim({{ raw_column }}), '') is null then '{{ field_name }} is empty'
        when {{ date_column }} is null
            then '{{ field_name }} ''' || {{ raw_column }} || ''' is not a date (YYYY-MM-DD)'
        when {{ date_column }} < date '{{ var("earliest_event_date") }}'
            then '{{ field_name }} ' || {{ date_column }} || ' is before {{ var("earliest_event_date") }}, impossible for this conflict'
        when {{ date_column }} > current_date
            then '{{ field_name }} ' || {{ date_column }} || ' is in the future'
    end
{%- endmacro %}

{# A secondary value (not the record's key or main date) that is given but cannot be read. #}
{% macro unreadable_value(column, expected) -%}
    case
        when nullif(trim({{ column }}_raw), '') is not null and {{ column }} is null
            then '{{ column }} ''' || {{ column }}_raw || ''' is not {{ expected }}'
    end
{%- endmacro %}

{# An API month's event dated in another month (the API returned it for an overlap, or the
   request was wrong): it belongs to the fetch of its own month. #}
{% macro outside_requested_month(column) -%}
    case
        when
            {{ column }} is not null
            and date_trunc('month', {{ column }}) != requested_month
            then
                '{{ column }} ' || {{ column }} || ' is outside the requested month '
                || strftime(requested_month, '%Y-%m') || ' (the event belongs to month '
                || strftime({{ column }}, '%Y-%m') || ')'
    end
{%- endmacro %}

{# Coordinates in decimal degrees: empty means unknown; anything else must be a finite number
   within +-bound ('NaN', 'inf', '33512349' and '33,51' are not). #}
{% macro coordinate_problems(column, bound) -%}
    case
        when
            nullif(trim({{ column }}_raw), '') is not null
            and not coalesce(isfinite({{ column }}) and abs({{ column }}) <= {{ bound }}, false)
            then '{{ column }} ''' || {{ column }}_raw || ''' is not a number between -{{ bound }} and {{ bound }}'
    end
{%- endmacro %}

{% macro measures() -%}
    {{ return(['civilians_killed', 'children_killed', 'women_killed', 'men_killed', 'civilians_injured']) }}
{%- endmacro %}

{% macro unknown_country(country_column, iso_column='country_iso3') -%}
    case
        when {{ iso_column }} is null
            then 'country ''' || coalesce({{ country_column }}, '') || ''' is not in seeds/countries.csv'
    end
{%- endmacro %}

{# An API actor missing from seeds/api_actor_belligerents.csv (`mapped`: its join to api_actors);
   an `optional` actor may be empty. #}
{% macro unknown_api_actor(column, mapped, optional=false) -%}
    case
        when {% if optional %}{{ column }} is not null and {% endif %}{{ mapped }}.actor_key is null
            then '{{ column }} ''' || coalesce({{ column }}, '') || ''' not in seeds/api_actor_belligerents.csv'
    end
{%- endmacro %}

{# A record key written more than once in one file (`copies` counts it). #}
{% macro repeated_in_file(label, key, copies, container='file') -%}
    case
        when {{ copies }} > 1
            then '{{ label }} ' || {{ key }} || ' appears ' || {{ copies }} || ' times in this {{ container }}'
    end
{%- endmacro %}

{# A UCDP event id is a positive whole number written as digits without a leading zero: '244276.0'
   (a spreadsheet re-save), '0244276' and 'abc' are not ids, so they never count as a second
   report of an event (docs/data_quality.md, "Identity"). #}
{% macro ucdp_id_problems(column) -%}
    case
        when {{ column }} is null or {{ column }} = '' then 'id is empty'
        when not regexp_full_match({{ column }}, '[1-9][0-9]*')
            then
                'id ''' || {{ column }} || ''' is not a UCDP event id (a positive whole number'
                || ' written without sign, leading zeros or decimals)'
    end
{%- endmacro %}

{# UCDP's estimates of total deaths out of order (low <= best <= high, and no more civilian deaths
   than best): the estimates are nulled, the civilian figure stands. #}
{% macro ucdp_estimate_problems() -%}
    nullif(concat_ws(
        '; ',
        case when low > best then 'low ' || low || ' exceeds best ' || best end,
        case when best > high then 'best ' || best || ' exceeds high ' || high end,
        case when deaths_civilians > best then 'deaths_civilians ' || deaths_civilians || ' exceeds best ' || best end
    ), '')
{%- endmacro %}

{# A ledger claim's problems (a list of {field, problem}) as its reason says them, in order and
   separated by '; '; a problem of a figure is said after the figure's name. Null when none. #}
{% macro ledger_problems_text(problems) -%}
    nullif(array_to_string(list_transform(
        {{ problems }},
        found -> case
            when found.field in ('civilians_killed', 'civilians_injured', 'children_killed', 'women_killed')
                then found.field || ': '
            else ''
        end || found.problem
    ), '; '), '')
{%- endmacro %}
