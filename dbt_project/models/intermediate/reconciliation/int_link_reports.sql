-- Incident-scope reports as the link rules see them: date span and window, coordinates and km
-- window (none when the place is a governorate or vaguer), alleged belligerents and the
-- distinctive words of the place name.
with reports as (
    select * from {{ ref('fct_civilian_harm_reports') }}
    where scope = 'incident'
),

levels as (
    select * from {{ ref('precision_levels') }}
),

belligerents as (
    select
        report_id,
        list(distinct belligerent_id order by belligerent_id)
        filter (where belligerent_id != 'unknown') as belligerent_ids
    from {{ ref('bridge_report_belligerents') }}
    group by report_id
),

-- The seeds' words as lists, read by every report's row (a word per row, grouped back per
-- report, held a million reports' lists in memory at once).
vocabulary as (
    select
        (select list(word) from {{ ref('major_cities') }}) as city_words,
        (select list(word) from {{ ref('place_noise_words') }}) as noise_words
),

-- The distinctive words of each place name, as transliteration keys. A place named only by a
-- major city ("Aleppo town", "Ar Raqqah") is city-wide: it says where, not which strike.
distinctive_words as (
    select
        reports.report_id,
        list_filter(
            regexp_split_to_array(
                regexp_replace(lower(strip_accents(reports.place)), '[''`’‘ʿʾ]', '', 'g'), '[^a-z0-9]+'
            ),
            word -> length(word) >= 3 and not list_contains(vocabulary.noise_words, word)
        ) as words,
        vocabulary.city_words
    from reports
    cross join vocabulary
),

place_words as (
    select
        report_id,
        list_sort(list_distinct(list_transform(
            list_filter(words, word -> not list_contains(city_words, word)),
            word -> {{ transliteration_key(transliteration_letters('word')) }}
        ))) as place_words,
        list_bool_and(list_transform(words, word -> list_contains(city_words, word))) as city_wide
    from distinctive_words
)

select
    reports.report_id,
    reports.source,
    reports.claimant_id,
    reports.country_iso3,
    reports.admin1_code,
    reports.place,
    reports.event_date as date_from,
    coalesce(reports.event_date_end, reports.event_date) as date_to,
    date_levels.link_window as date_window_days,
    -- Coordinates count only when they locate more than a governorate.
    case when geo_levels.link_window is not null then reports.latitude end as latitude,
    case when geo_levels.link_window is not null then reports.longitude end as longitude,
    geo_levels.link_window as geo_window_km,
    reports.geo_precision,
    coalesce(belligerents.belligerent_ids, []) as belligerent_ids,
    coalesce(place_words.place_words, []) as place_words,
    coalesce(place_words.city_wide, false) as city_wide,
    reports.civilians_killed_min,
    reports.civilians_killed_max
from reports
left join levels as date_levels
    on reports.date_precision = date_levels.precision and date_levels.dimension = 'date'
left join levels as geo_levels
    on reports.geo_precision = geo_levels.precision and geo_levels.dimension = 'geo'
left join belligerents on reports.report_id = belligerents.report_id
left join place_words on reports.report_id = place_words.report_id
-- A report too vague in date or place, or spanning more than a week, can be an event of its
-- own, never a link.
where
    date_levels.link_window is not null
    and reports.geo_precision != 'country'
    and coalesce(reports.event_date_end, reports.event_date) - reports.event_date <= {{ var('max_link_span_days') }}
