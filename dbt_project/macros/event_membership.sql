{#
    Every incident-scope report in exactly one event. Events are stars, never chains: each event
    has one anchor report, and every other member is directly linked to it (int_report_links).
    A report is an anchor when it has no link to a report earlier in var('link_source_priority')
    (then report_id). Matching is one-to-one between two voices (a source; each ledger claimant
    apart): a report joins the anchor it fits best, and an anchor takes the one report of each
    voice that fits it best; a report that is not the best fit of its best anchor tries the
    anchors that have no report of its voice yet, once more; any report left anchors an event of
    its own. The fit: an analyst's or a citation's link first, then figures that overlap, then
    figures not comparable (an unknown figure never beats a known, agreeing one), then the score.
    Read by int_event_members, and in its incremental builds also by event_members_changed.
#}
{% macro event_membership() -%}
    with reports as (
        select
            report_id,
            list_position({{ var('link_source_priority') }}, source) as source_rank,
            -- A voice: one monitoring source, or one ledger claimant.
            source || coalesce(':' || claimant_id, '') as voice
        from {{ ref('fct_civilian_harm_reports') }}
        where scope = 'incident'
    ),

    links as (
        -- Each link seen from both of its reports (the unnests pair up element by element).
        select
            unnest([report_id_a, report_id_b]) as report_id,
            unnest([report_id_b, report_id_a]) as other_id,
            score,
            -- Lower fits better: decided or cited, figures overlap, not comparable, disagree.
            case
                when decided_by != 'rule' then 0
                when figures_overlap then 1
                when figures_overlap is null then 2
                else 3
            end as evidence_rank
        from {{ ref('int_report_links') }}
    ),

    -- Each link seen from the later-ranked of its two reports.
    towards_earlier as (
        select
            links.report_id,
            links.other_id,
            links.score,
            links.evidence_rank,
            own.voice,
            others.source_rank as other_rank
        from links
        inner join reports as own on links.report_id = own.report_id
        inner join reports as others on links.other_id = others.report_id
        where (others.source_rank, others.report_id) < (own.source_rank, own.report_id)
    ),

    roots as (
        select report_id from reports
        anti join towards_earlier on reports.report_id = towards_earlier.report_id
    ),

    to_roots as (
        select towards_earlier.*
        from towards_earlier
        semi join roots on towards_earlier.other_id = roots.report_id
    ),

    -- First round: the pairs that are each other's best fit.
    {{ best_fits('to_roots', 'first_round') }},

    -- Second round: the reports left, with the anchors that have no report of their voice yet.
    {{ best_fits('to_roots', 'second_round', exclude='first_round') }},

    joined as (
        select report_id, anchor_report_id, link_score from first_round
        union all
        select report_id, anchor_report_id, link_score from second_round
    ),

    assigned as (
        select
            reports.report_id,
            coalesce(joined.anchor_report_id, reports.report_id) as anchor_report_id,
            joined.link_score
        from reports
        left join joined on reports.report_id = joined.report_id
    ),

    -- An analyst's "different" between two members of one star: the weaker-linked one leaves.
    decided_apart as (
        select
            report_id_a,
            report_id_b
        from {{ ref('int_decisions__link_decisions') }}
        where decision = 'different'
    ),

    -- distinct: one member may be decided apart from several others of its event.
    leaving as (
        select distinct
            case
                when (member_a.link_score, member_b.report_id) < (member_b.link_score, member_a.report_id)
                    then member_a.report_id
                else member_b.report_id
            end as report_id
        from decided_apart
        inner join assigned as member_a on decided_apart.report_id_a = member_a.report_id
        inner join assigned as member_b on decided_apart.report_id_b = member_b.report_id
        where
            member_a.anchor_report_id = member_b.anchor_report_id
            and member_a.link_score is not null
            and member_b.link_score is not null
    )

    select
        'event:' || case when leaving.report_id is null then assigned.anchor_report_id else assigned.report_id end
            as event_id,
        assigned.report_id,
        assigned.anchor_report_id = assigned.report_id or leaving.report_id is not null as is_anchor,
        case when leaving.report_id is null then assigned.link_score end as link_score
    from assigned
    left join leaving on assigned.report_id = leaving.report_id
{%- endmacro %}

{# The links of `links` (a report towards an anchor) that are both the report's best fit and
   the anchor's best fit among the reports of that voice; with `exclude`, leaving out the reports
   and the (anchor, voice) places another round already matched. A CTE named `name`. #}
{% macro best_fits(links, name, exclude=none) -%}
    {{ name }} as (
        select
            candidate.report_id,
            candidate.other_id as anchor_report_id,
            candidate.score as link_score
        from {{ links }} as candidate
        {%- if exclude %}
            anti join {{ exclude }} as matched_report on candidate.report_id = matched_report.report_id
            anti join (
                select {{ exclude }}.anchor_report_id, own.voice
                from {{ exclude }}
                inner join reports as own on {{ exclude }}.report_id = own.report_id
            ) as matched_place
                on candidate.other_id = matched_place.anchor_report_id and candidate.voice = matched_place.voice
        {%- endif %}
        qualify
            row_number() over (
                partition by candidate.report_id
                order by candidate.evidence_rank, candidate.score desc, candidate.other_rank, candidate.other_id
            ) = 1
            and row_number() over (
                partition by candidate.other_id, candidate.voice
                order by candidate.evidence_rank, candidate.score desc, candidate.report_id
            ) = 1
    )
{%- endmacro %}

{# Touched reports of int_event_members: those whose row (event, anchor flag, link score) is new,
   changed or gone. #}
{% macro event_members_changed() -%}
    {{ keys_whose_rows_changed(event_membership(), ['event_id', 'report_id', 'is_anchor', 'link_score']) }}
{%- endmacro %}
