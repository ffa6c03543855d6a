-- The links events are built from: each pair of an event's anchor and a member joined to it
-- (int_event_members), with its evidence and who decided (rules, a citation, an analyst). Every
-- other scored or cited pair, and why it is not here, is in fct_link_candidates.
with links as (
    select * from {{ ref('int_report_links') }}
),

members as (
    select
        event_id,
        report_id,
        is_anchor
    from {{ ref('int_event_members') }}
)

select links.*
from links
inner join members as member_a on links.report_id_a = member_a.report_id
inner join members as member_b on links.report_id_b = member_b.report_id
where member_a.event_id = member_b.event_id and (member_a.is_anchor or member_b.is_anchor)
