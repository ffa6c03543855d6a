-- Every incident-scope report in exactly one event (macro event_membership), with the build
-- that last wrote its row: what bridge_event_reports publishes and fct_harm_events builds from.
-- Incremental: the reports whose event, anchor flag or link score changed, the new ones and those
-- gone (event_members_changed; incremental_by_key.sql).
{{ incremental_by_key_config('report_id', 'event_members_changed') }}

select
    members.event_id,
    members.report_id,
    members.is_anchor,
    members.link_score,
    {{ built_at() }}
from ({{ event_membership() }}) as members
where {{ only_touched('members.report_id') }}
