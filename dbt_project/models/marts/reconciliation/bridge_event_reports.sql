-- Every incident-scope report in exactly one event: stars around an anchor report, never chains
-- (the rule: macro event_membership; int_event_members holds it with its build stamps).
select
    event_id,
    report_id,
    is_anchor,
    link_score
from {{ ref('int_event_members') }}
