{# Great-circle distance in km between two points given in degrees (haversine; no extension). #}
{% macro km_between(lat_a, lon_a, lat_b, lon_b) -%}
    2 * 6371.0 * asin(sqrt(
        power(sin(radians({{ lat_b }} - {{ lat_a }}) / 2), 2)
        + cos(radians({{ lat_a }})) * cos(radians({{ lat_b }}))
        * power(sin(radians({{ lon_b }} - {{ lon_a }}) / 2), 2)
    ))
{%- endmacro %}
