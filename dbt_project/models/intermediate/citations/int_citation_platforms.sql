-- Each distinct platform text ("Twitter\nArabic", "Facebook Arabic", "Arabic", "—") with the
-- platform and language it names: the text is split into words, and the first word found in the
-- seed platforms (resp. languages) decides.
with citations as (
    select * from {{ ref('int_citations__prepared') }}
),

platform_terms as (
    select
        lower(term) as term,
        platform
    from {{ ref('platforms') }}
),

language_terms as (
    select
        lower(term) as term,
        language
    from {{ ref('languages') }}
),

texts as (
    select distinct platform_raw as platform_text
    from citations
    where platform_raw is not null
),

word_lists as (
    select
        platform_text,
        regexp_split_to_array(lower(strip_accents(platform_text)), '[^\pL\pN]+') as words
    from texts
),

words as (
    select
        platform_text,
        unnest(words) as word,
        generate_subscripts(words, 1) as word_position
    from word_lists
),

named as (
    select
        words.platform_text,
        arg_min(platform_terms.platform, words.word_position)
        filter (where platform_terms.platform is not null) as platform,
        arg_min(language_terms.language, words.word_position)
        filter (where language_terms.language is not null) as language
    from words
    left join platform_terms on words.word = platform_terms.term
    left join language_terms on words.word = language_terms.term
    group by words.platform_text
)

select
    texts.platform_text,
    named.platform,
    named.language
from texts
left join named on texts.platform_text = named.platform_text
