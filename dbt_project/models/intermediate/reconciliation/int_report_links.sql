-- One row per pair of reports judged to describe the same event, what events are built from
-- (macro event_membership): the rules' links (evidence in int_link_candidates) and the citations
-- nothing contradicts (int_citation_links), without the pairs an analyst decided are different,
-- plus every pair an analyst decided is the same (an analyst's decision always wins; a published
-- citation wins over the rules' score).
with candidates as (
    select * from {{ ref('int_link_candidates') }}
),

citations as (
    select * from {{ ref('int_citation_links') }}
    where not date_contradicts and not place_contradicts and not code_uncertain
),

-- One per pair, ids already ordered (report_id_a < report_id_b) like the candidates'.
decisions as (
    select
        report_id_a,
        report_id_b,
        decision,
        note,
        decided_by
    from {{ ref('int_decisions__link_decisions') }}
),

reports as (
    select
        report_id,
        source
    from {{ ref('fct_civilian_harm_reports') }}
),

linked as (
    select
        candidates.report_id_a,
        candidates.report_id_b,
        candidates.rule_linked,
        decisions.decision,
        decisions.note as decision_note,
        decisions.decided_by as analyst
    from candidates
    left join decisions
        on candidates.report_id_a = decisions.report_id_a and candidates.report_id_b = decisions.report_id_b
    where candidates.rule_linked or decisions.decision = 'same'
    union by name
    select
        citations.report_id_a,
        citations.report_id_b,
        false as rule_linked,
        decisions.decision,
        decisions.note as decision_note,
        decisions.decided_by as analyst
    from citations
    left join decisions
        on citations.report_id_a = decisions.report_id_a and citations.report_id_b = decisions.report_id_b
    union by name
    select
        decisions.report_id_a,
        decisions.report_id_b,
        false as rule_linked,
        decisions.decision,
        decisions.note as decision_note,
        decisions.decided_by as analyst
    from decisions
    anti join candidates
        on decisions.report_id_a = candidates.report_id_a and decisions.report_id_b = candidates.report_id_b
    where decisions.decision = 'same'
),

-- A pair both linked by the rules and cited is one link.
pairs as (
    select
        report_id_a,
        report_id_b,
        bool_or(rule_linked) as rule_linked,
        any_value(decision) as decision,
        any_value(decision_note) as decision_note,
        any_value(analyst) as analyst
    from linked
    group by report_id_a, report_id_b
)

select
    pairs.report_id_a,
    pairs.report_id_b,
    reports_a.source as source_a,
    reports_b.source as source_b,
    coalesce(candidates.days_apart, citations.days_apart) as days_apart,
    coalesce(candidates.date_window_days, citations.date_window_days) as date_window_days,
    coalesce(candidates.km_apart, citations.km_apart) as km_apart,
    candidates.geo_window_km,
    coalesce(candidates.same_admin1, citations.same_admin1) as same_admin1,
    candidates.belligerents_in_common,
    candidates.place_words_alike,
    candidates.figures_overlap,
    citations.cited_code,
    -- An analyst's "same" and an uncontradicted citation are certain; a rule link carries its score.
    case when pairs.decision = 'same' or citations.cited_code is not null then 1.0::double else candidates.score end
        as score,
    case
        when pairs.decision = 'same' then 'analyst'
        when citations.cited_code is not null then 'citation'
        else 'rule'
    end as decided_by,
    pairs.analyst,
    pairs.decision_note
from pairs
inner join reports as reports_a on pairs.report_id_a = reports_a.report_id
inner join reports as reports_b on pairs.report_id_b = reports_b.report_id
left join candidates
    on pairs.report_id_a = candidates.report_id_a and pairs.report_id_b = candidates.report_id_b
left join citations
    on pairs.report_id_a = citations.report_id_a and pairs.report_id_b = citations.report_id_b
where pairs.decision is distinct from 'different'
