{#
    Every incident-scope report in exactly one event. Events are stars, never chains: each event
    has one anchor report, and every other member is directly linked to it (fct_report_links).
    A report is an anchor when it has no link to a report earlier in var('link_source_priority')
    (then report_id); any other report joins the anchor it is linked to whose figures agree with
    its own (figures not comparable count as agreeing), best score first, or anchors an event of
    its own when none of its links leads to an anchor. Read by int_event_members, and in its
    incremental builds also by event_members_changed.
#}
{% macro event_membership() -%}
    with reports as (
        select
            report_id,
            list_position({{ var('link_source_priority') }}, source) as source_rank
        from {{ ref('fct_civilian_harm_reports') }}
        where scope = 'incident'
    ),

    links as (
        -- Each link seen from both of its reports (the unnests pair up element by element).
        select
            unnest([report_id_a, report_id_b]) as report_id,
            unnest([report_id_b, report_id_a]) as other_id,
            score,
            coalesce(figures_overlap, true) as figures_agree
        from {{ ref('fct_report_links') }}
    ),

    -- Each link seen from the later-ranked of its two reports.
    towards_earlier as (
        select
            links.report_id,
            links.other_id,
            links.score,
            links.figures_agree,
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

    joined as (
        select
            towards_earlier.report_id,
            towards_earlier.other_id as anchor_report_id,
            towards_earlier.score as link_score
        from towards_earlier
        semi join roots on towards_earlier.other_id = roots.report_id
        qualify row_number() over (
            partition by towards_earlier.report_id
            order by
                towards_earlier.figures_agree desc,
                towards_earlier.score desc,
                towards_earlier.other_rank asc, towards_earlier.other_id asc
        ) = 1
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
            least(report_id_a, report_id_b) as report_id_a,
            greatest(report_id_a, report_id_b) as report_id_b
        from {{ ref('link_decisions') }}
        where decision = 'different'
    ),

    leaving as (
        select
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

{# Touched reports of int_event_members: those whose row (event, anchor flag, link score) is new,
   changed or gone. #}
{% macro event_members_changed() -%}
    {{ keys_whose_rows_changed(event_membership(), ['event_id', 'report_id', 'is_anchor', 'link_score']) }}
{%- endmacro %}
