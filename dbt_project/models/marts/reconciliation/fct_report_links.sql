-- One row per pair of reports judged to describe the same event: the rules' links (evidence in
-- int_link_candidates) without the pairs an analyst decided are different, plus every pair an
-- analyst decided is the same (seeds/link_decisions.csv always wins).
with candidates as (
    select * from {{ ref('int_link_candidates') }}
),

decisions as (
    select
        least(report_id_a, report_id_b) as report_id_a,
        greatest(report_id_a, report_id_b) as report_id_b,
        decision,
        note,
        decided_by
    from {{ ref('link_decisions') }}
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
    union all by name
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
)

select
    linked.report_id_a,
    linked.report_id_b,
    reports_a.source as source_a,
    reports_b.source as source_b,
    candidates.days_apart,
    candidates.date_window_days,
    candidates.km_apart,
    candidates.geo_window_km,
    candidates.same_admin1,
    candidates.belligerents_in_common,
    candidates.place_words_alike,
    candidates.figures_overlap,
    -- An analyst's "same" is certain; a rule link carries its score.
    case when linked.decision = 'same' then 1.0::double else candidates.score end as score,
    case when linked.decision = 'same' then 'analyst' else 'rule' end as decided_by,
    linked.analyst,
    linked.decision_note
from linked
inner join reports as reports_a on linked.report_id_a = reports_a.report_id
inner join reports as reports_b on linked.report_id_b = reports_b.report_id
left join candidates
    on linked.report_id_a = candidates.report_id_a and linked.report_id_b = candidates.report_id_b
where linked.decision is distinct from 'different'
