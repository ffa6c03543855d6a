{# A place-name word reduced to a key that Latin spellings of one Arabic name share:
   "Qaltah"/"Kaltah", "Msheirfa"/"Mushayrifah", "Jinah"/"Jina", "Huteen"/"Hutin" (q -> k;
   vowel pairs, e -> i and o -> u as Arabic has three vowels; doubled letters collapsed; final
   h dropped). #}
{% macro transliteration_key(word) -%}
    {%- set letters = 'abcdefghijklmnopqrstuvwxyz' -%}
    {%- set ns = namespace(expression="regexp_replace(regexp_replace(replace(" ~ word
        ~ ", 'q', 'k'), '(ou|oo)', 'u', 'g'), '(ee|ei|ay|ai|ey)', 'i', 'g')") -%}
    {%- set ns.expression = "replace(replace(" ~ ns.expression ~ ", 'e', 'i'), 'o', 'u')" -%}
    {%- for letter in letters -%}
        {%- set ns.expression = "replace(" ~ ns.expression ~ ", '" ~ letter ~ letter ~ "', '" ~ letter ~ "')" -%}
    {%- endfor -%}
    regexp_replace({{ ns.expression }}, '([a-z]{3})h$', '\1')
{%- endmacro %}
