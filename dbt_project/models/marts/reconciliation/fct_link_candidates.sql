-- Every pair the rules scored (int_link_candidates) or a report cites (int_citation_links), with
-- the rules' flags, the citation's checks, an analyst's decision and why the pair is not a link
-- events are built from (empty when it is one: fct_report_links).
with candidates as (
    select * from {{ ref('int_link_candidates') }}
),

citations as (
    select * from {{ ref('int_citation_links') }}
),

-- One per pair, ids already ordered (report_id_a < report_id_b) like the candidates'.
decisions as (
    select
        report_id_a,
        report_id_b,
        decision
    from {{ ref('int_decisions__link_decisions') }}
),

used as (
    select
        report_id_a,
        report_id_b
    from {{ ref('fct_report_links') }}
),

reports as (
    select
        report_id,
        source
    from {{ ref('fct_civilian_harm_reports') }}
),

pairs as (
    select
        coalesce(candidates.report_id_a, citations.report_id_a) as report_id_a,
        coalesce(candidates.report_id_b, citations.report_id_b) as report_id_b,
        coalesce(candidates.days_apart, citations.days_apart) as days_apart,
        coalesce(candidates.date_window_days, citations.date_window_days) as date_window_days,
        coalesce(candidates.km_apart, citations.km_apart) as km_apart,
        candidates.geo_window_km,
        coalesce(candidates.same_admin1, citations.same_admin1) as same_admin1,
        candidates.city_wide,
        candidates.belligerents_in_common,
        candidates.place_words_alike,
        candidates.figures_overlap,
        candidates.place_within_window,
        candidates.belligerents_compatible,
        candidates.figures_compatible,
        candidates.score,
        coalesce(candidates.rule_linked, false) as rule_linked,
        citations.cited_code,
        citations.code_uncertain as citation_code_uncertain,
        citations.date_contradicts as citation_date_contradicts,
        citations.place_contradicts as citation_place_contradicts
    from candidates
    full join citations
        on candidates.report_id_a = citations.report_id_a and candidates.report_id_b = citations.report_id_b
)

select
    pairs.report_id_a,
    pairs.report_id_b,
    reports_a.source as source_a,
    reports_b.source as source_b,
    pairs.* exclude (report_id_a, report_id_b),
    decisions.decision,
    used.report_id_a is not null as used_in_event,
    case
        when used.report_id_a is not null then null
        when decisions.decision = 'different' then 'an analyst decided they are different'
        when
            pairs.rule_linked or decisions.decision = 'same'
            or (
                pairs.cited_code is not null
                and not (
                    pairs.citation_code_uncertain or pairs.citation_date_contradicts or pairs.citation_place_contradicts
                )
            )
            then 'linked, but each report fits another report of the event better (one-to-one matching)'
        when pairs.citation_date_contradicts or pairs.citation_place_contradicts
            then 'cited, but the dates or places contradict the citation (to review)'
        when pairs.citation_code_uncertain
            then 'cited, but the renumbered code is uncertain: the places are not alike (to review)'
        when not pairs.place_within_window then 'places too far apart, or two different places named'
        when not pairs.figures_compatible then 'figures incompatible'
        when not pairs.belligerents_compatible then 'no belligerent in common'
        when pairs.city_wide then 'a city-wide report: another day, or tolls that cannot hold each other'
        else 'score below var link_min_score'
    end as why_not_linked
from pairs
inner join reports as reports_a on pairs.report_id_a = reports_a.report_id
inner join reports as reports_b on pairs.report_id_b = reports_b.report_id
left join decisions on pairs.report_id_a = decisions.report_id_a and pairs.report_id_b = decisions.report_id_b
left join used on pairs.report_id_a = used.report_id_a and pairs.report_id_b = used.report_id_b
