{# A place-name word reduced to a key that Latin spellings of one Arabic name share:
   "Qaltah"/"Kaltah", "Msheirfa"/"Mushayrifah", "Jinah"/"Jina", "Huteen"/"Hutin". In two steps,
   because collapsing doubled letters needs the word's letters as a column:
   transliteration_letters: q -> k; vowel pairs, then e -> i and o -> u (Arabic has three
   vowels); as a list of letters. transliteration_key: doubled letters collapsed, final h dropped.
   `letters` must name a column or a lambda parameter, never an expression: it is read once per
   letter, so an expression would be evaluated again for every letter (quadratic: a 100,000
   character place name took minutes and gigabytes). #}
{% macro transliteration_letters(word) -%}
    str_split(
        replace(replace(
            regexp_replace(
                regexp_replace(replace({{ word }}, 'q', 'k'), '(ou|oo)', 'u', 'g'),
                '(ee|ei|ay|ai|ey)', 'i', 'g'
            ),
            'e', 'i'
        ), 'o', 'u'),
        ''
    )
{%- endmacro %}

{% macro transliteration_key(letters) -%}
    regexp_replace(
        array_to_string(
            list_filter({{ letters }}, (letter, position) -> position = 1 or letter != {{ letters }}[position - 1]),
            ''
        ),
        '([a-z]{3})h$', '\1'
    )
{%- endmacro %}
