-- The pairs an analyst should look at, most doubtful first, with every reason (docs/
-- reconciliation.md, "The review loop"): a score near the threshold, rules' evidence that
-- disagrees, a citation contradicted by date or place (or whose renumbered code is uncertain), a
-- report that joined its event by a weaker link than this one, a city-wide tally linked to a
-- strike. A pair an analyst has decided leaves the list; `civcas review` shows them one by one.
with candidates as (
    select * from {{ ref('fct_link_candidates') }}
    where decision is null
),

members as (
    select
        report_id,
        link_score
    from {{ ref('int_event_members') }}
),

reasons as (
    select
        candidates.*,
        list_filter([
            case
                when candidates.citation_date_contradicts or candidates.citation_place_contradicts
                    then 'a citation the dates or places contradict'
            end,
            case when candidates.citation_code_uncertain then 'a cited code whose renumbering is uncertain' end,
            case
                -- Only where the score decides: every other rule holds.
                when
                    abs(candidates.score - {{ var('link_min_score') }}) <= {{ var('review_score_margin') }}
                    and candidates.place_within_window and candidates.belligerents_compatible
                    and candidates.figures_compatible
                    then 'a score near the threshold'
            end,
            case
                when candidates.rule_linked and candidates.figures_overlap = false
                    then 'linked, but the figures do not overlap'
            end,
            case
                when
                    not candidates.used_in_event and candidates.rule_linked
                    and candidates.score > least(coalesce(member_a.link_score, 1), coalesce(member_b.link_score, 1))
                    then 'a report joined its event by a weaker link than this one'
            end,
            case
                when candidates.city_wide and (candidates.rule_linked or candidates.used_in_event)
                    then 'a city-wide tally linked to a strike'
            end
        ], reason -> reason is not null) as review_reasons
    from candidates
    left join members as member_a on candidates.report_id_a = member_a.report_id
    left join members as member_b on candidates.report_id_b = member_b.report_id
)

select
    report_id_a,
    report_id_b,
    source_a,
    source_b,
    array_to_string(review_reasons, '; ') as review_reasons,
    len(review_reasons) as reasons_count,
    score,
    cited_code,
    used_in_event,
    why_not_linked,
    row_number() over (
        order by
            len(review_reasons) desc,
            abs(coalesce(score, 1) - {{ var('link_min_score') }}),
            report_id_a,
            report_id_b asc
    ) as review_order
from reasons
where len(review_reasons) > 0
