-- Incident-scope reports as the link rules see them: date span and window, coordinates and km
-- window (none when the place is a governorate or vaguer), alleged belligerents and the
-- distinctive words of the place name.
-- Incremental: the reports whose inputs changed since its last build, and those gone or no longer
-- linkable (link_reports_changed; incremental_by_key.sql).
{{ incremental_by_key_config('report_id', 'link_reports_changed') }}

with reports as (
    select * from ({{ link_report_inputs() }}) as inputs
    where {{ only_touched('report_id') }}
),

-- The seeds' words as lists, read by every report's row (a word per row, grouped back per
-- report, held a million reports' lists in memory at once).
vocabulary as (
    select
        (select list(word) from {{ ref('major_cities') }}) as city_words,
        (select list(word) from {{ ref('place_noise_words') }}) as noise_words,
        (select list(word) filter (where name_prefix) from {{ ref('place_noise_words') }}) as name_prefixes,
        -- "Kafranbel" is "Kafr Nabl": a prefix written fused to the name is split off.
        (
            select '\b(' || string_agg(word, '|' order by length(word) desc, word) || ')([a-z]{4,})'
            from {{ ref('place_noise_words') }}
            where fuses
        ) as fused_prefix_pattern,
        (
            select coalesce(list({ 'spelling': spelling, 'name': name, 'admin1_code': admin1_code }), [])
            from {{ ref('place_alternate_names') }}
        ) as alternate_names
),

-- The distinctive words of each place name, as transliteration keys. A place named only by a
-- major city ("Aleppo town", "Ar Raqqah") is city-wide: it says where, not which strike; one
-- whose name begins with a prefix ("Kafr Halab") is a village named after it. Only the first
-- var('link_place_max_chars') characters are read: a name says where in its first words, and a
-- pasted page must not cost the build (the reports and the audit keep it whole).
spelled as (
    select
        reports.report_id,
        reports.admin1_code,
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    lower(strip_accents(left(reports.place, {{ var('link_place_max_chars') }}))),
                    '[''`’‘ʿʾ]', '', 'g'
                ),
                '[^a-z0-9]+', ' ', 'g'
            ),
            vocabulary.fused_prefix_pattern, '\1 \2', 'g'
        ) as spelling
    from reports
    cross join vocabulary
),

-- A place's alternate names in the gazetteer seed ("Ayn al Arab" is Kobani, al-Thawrah is
-- Tabqa) add the name's words: two spellings of one place share a word.
all_words as (
    select
        spelled.report_id,
        list_concat(
            string_split(trim(spelled.spelling), ' '),
            flatten(list_transform(
                list_filter(
                    vocabulary.alternate_names,
                    alternate -> coalesce(alternate.admin1_code = spelled.admin1_code, alternate.admin1_code is null)
                    and regexp_matches(spelled.spelling, '\b' || alternate.spelling || '\b')
                ),
                alternate -> string_split(alternate.name, ' ')
            ))
        ) as words
    from spelled
    cross join vocabulary
),

distinctive_words as (
    select
        all_words.report_id,
        list_filter(
            all_words.words,
            word -> length(word) >= 3 and not list_contains(vocabulary.noise_words, word)
        ) as words,
        list_has_any(all_words.words, vocabulary.name_prefixes) as has_name_prefix,
        vocabulary.city_words
    from all_words
    cross join vocabulary
),

place_words as (
    select
        report_id,
        list_sort(list_distinct(list_transform(
            -- A village named only after a city ("Kafr Halab") keeps the city's word as its own.
            list_transform(
                case
                    when
                        has_name_prefix
                        and list_bool_and(list_transform(words, word -> list_contains(city_words, word)))
                        then words
                    else list_filter(words, word -> not list_contains(city_words, word))
                end,
                word -> {{ transliteration_letters('word') }}
            ),
            letters -> {{ transliteration_key('letters') }}
        ))) as place_words,
        not has_name_prefix
        and list_bool_and(list_transform(words, word -> list_contains(city_words, word))) as city_wide
    from distinctive_words
)

select
    reports.* exclude (input_hash),
    coalesce(place_words.place_words, []) as place_words,
    coalesce(place_words.city_wide, false) as city_wide,
    reports.input_hash,
    {{ built_at() }}
from reports
left join place_words on reports.report_id = place_words.report_id
