-- Each pair of a UCDP event and an Airwars incident it cites (int_airwars_citations), with the
-- date and place evidence that may contradict the citation: the two date spans further apart
-- than the wider date window, or the two places further apart than var('named_place_max_km')
-- (by admin-1 when either lacks coordinates finer than a governorate). A code resolved only by
-- the nearest renumbering's offset is uncertain when the article names its place in Latin
-- letters and no word of it is spelled alike in the incident's place (Airwars' numbering drifts
-- by a code or two between the renumberings learned). A citation neither contradicted nor
-- uncertain is a link (int_report_links, decided_by = 'citation'); the others go to review.
with words_left_out as (
    select list(word) as words from (
        select word from {{ ref('place_noise_words') }}
        union all
        select word from {{ ref('major_cities') }}
    )
),

resolved as (
    select
        citations.report_id as citing_report_id,
        citations.airwars_report_id,
        citations.cited_code,
        citations.code_resolved_by,
        list_filter(
            regexp_split_to_array(lower(strip_accents(citations.cited_place)), '[^a-z]+'),
            word -> length(word) >= 4 and not list_contains(words_left_out.words, word)
        ) as cited_words,
        regexp_split_to_array(lower(strip_accents(airwars.place)), '[^a-z]+') as airwars_words
    from {{ ref('int_airwars_citations') }} as citations
    cross join words_left_out
    inner join {{ ref('fct_civilian_harm_reports') }} as airwars on citations.airwars_report_id = airwars.report_id
),

-- One row per pair: a UCDP event citing one incident twice (in two articles) cites it once.
citations as (
    select
        citing_report_id,
        airwars_report_id,
        min(cited_code) as cited_code,
        bool_and(
            code_resolved_by = 'nearest_offset'
            and not coalesce(list_bool_or(list_transform(
                cited_words,
                cited -> list_bool_or(list_transform(
                    airwars_words, word -> jaro_winkler_similarity(cited, word) >= {{ var('place_name_similarity') }}
                ))
            )), true)
        ) as code_uncertain
    from resolved
    group by citing_report_id, airwars_report_id
),

reports as (
    select
        reports.report_id,
        reports.event_date as date_from,
        coalesce(reports.event_date_end, reports.event_date) as date_to,
        date_levels.link_window as date_window_days,
        reports.admin1_code,
        case when geo_levels.link_window is not null then reports.latitude end as latitude,
        case when geo_levels.link_window is not null then reports.longitude end as longitude
    from {{ ref('fct_civilian_harm_reports') }} as reports
    left join {{ ref('precision_levels') }} as date_levels
        on reports.date_precision = date_levels.precision and date_levels.dimension = 'date'
    left join {{ ref('precision_levels') }} as geo_levels
        on reports.geo_precision = geo_levels.precision and geo_levels.dimension = 'geo'
    where reports.scope = 'incident'
),

evidence as (
    select
        least(citations.citing_report_id, citations.airwars_report_id) as report_id_a,
        greatest(citations.citing_report_id, citations.airwars_report_id) as report_id_b,
        citations.citing_report_id,
        citations.cited_code,
        citations.code_uncertain,
        greatest(0, cited.date_from - citing.date_to, citing.date_from - cited.date_to) as days_apart,
        greatest(coalesce(citing.date_window_days, 0), coalesce(cited.date_window_days, 0)) as date_window_days,
        round({{ km_between('citing.latitude', 'citing.longitude', 'cited.latitude', 'cited.longitude') }}, 2)
            as km_apart,
        citing.admin1_code = cited.admin1_code as same_admin1
    from citations
    inner join reports as citing on citations.citing_report_id = citing.report_id
    inner join reports as cited on citations.airwars_report_id = cited.report_id
)

select
    *,
    days_apart > date_window_days as date_contradicts,
    coalesce(km_apart > {{ var('named_place_max_km') }}, not same_admin1, false) as place_contradicts
from evidence
