{# Checks on the reconciliation marts (docs/reconciliation.md, "Checks"). #}

{# Error: every incident-scope report is in exactly one event (uniqueness is tested apart). #}
{% test every_incident_report_in_one_event(model) %}
select reports.report_id
from {{ ref('fct_civilian_harm_reports') }} as reports
anti join {{ model }} as bridge on reports.report_id = bridge.report_id
where reports.scope = 'incident'
{% endtest %}

{# Error: an analyst's "different" leaves its pair in different events; warning: a "same"
   puts its pair in one event (a chain of "same" decisions may not fit one star). #}
{% test link_decisions_respected(model, decision='different') %}
{{ config(severity='error' if decision == 'different' else 'warn') }}
select decisions.*
from {{ ref('int_decisions__link_decisions') }} as decisions
inner join {{ model }} as event_a on decisions.report_id_a = event_a.report_id
inner join {{ model }} as event_b on decisions.report_id_b = event_b.report_id
where
    decisions.decision = '{{ decision }}'
    and (event_a.event_id = event_b.event_id) = ({{ decision == 'different' }})
{% endtest %}

{# Error: each event's envelope contains every voice's figure for the event (fct_harm_event_voices:
   a source's reports of the event summed, each ledger claim apart, the accused's own included). #}
{% test envelope_holds_every_voice(model) %}
select voices.event_id, voices.voice
from {{ model }} as voices
inner join {{ ref('fct_harm_events') }} as events on voices.event_id = events.event_id
where
    voices.civilians_killed_min < events.envelope_min
    or voices.civilians_killed_max > events.envelope_max
{% endtest %}

{# Error: an event's voices hold its member reports, each once. #}
{% test voices_hold_every_member(model) %}
select events.event_id
from {{ ref('fct_harm_events') }} as events
left join (
    select event_id, sum(n_reports) as n_reports from {{ model }} group by event_id
) as voices on events.event_id = voices.event_id
where voices.n_reports is distinct from events.n_reports
{% endtest %}

{# Error: each period comparison equals the sums over fct_civilian_harm_reports, recomputed
   report by report through the belligerent bridge. #}
{% test period_sums_match_reports(model) %}
with claims as (
    select
        report_id,
        event_date,
        coalesce(event_date_end, event_date) as period_end,
        country_iso3,
        admin1_code,
        finest_areas.area_id
    from {{ ref('fct_civilian_harm_reports') }}
    left join {{ ref('bridge_report_areas') }} as finest_areas using (report_id)
    where scope = 'period' and finest_areas.is_finest is not false
),

claim_belligerents as (
    select bridge.report_id, bridge.belligerent_id
    from {{ ref('bridge_report_belligerents') }} as bridge
    semi join claims on bridge.report_id = claims.report_id
    where bridge.belligerent_id != 'unknown'
),

matched as (
    select distinct claims.report_id as claim_report_id, incidents.source, incidents.report_id,
        incidents.civilians_killed_min
    from claims
    inner join {{ ref('fct_civilian_harm_reports') }} as incidents
        on incidents.scope = 'incident'
        and incidents.country_iso3 = claims.country_iso3
        and incidents.event_date between claims.event_date and claims.period_end
        and (claims.admin1_code is null or incidents.admin1_code = claims.admin1_code)
    left join {{ ref('bridge_report_areas') }} as incident_areas
        on incidents.report_id = incident_areas.report_id
        and incident_areas.area_id = claims.area_id
    left join {{ ref('bridge_report_belligerents') }} as incident_belligerents
        on incidents.report_id = incident_belligerents.report_id
    left join claim_belligerents
        on claims.report_id = claim_belligerents.report_id
        and incident_belligerents.belligerent_id = claim_belligerents.belligerent_id
    where
        (claims.area_id is null or incident_areas.report_id is not null)
        and (
            claim_belligerents.report_id is not null
            or not exists (select 1 from claim_belligerents as any_b where any_b.report_id = claims.report_id)
        )
),

expected as (
    select claim_report_id, source, count(*) as reports, coalesce(sum(civilians_killed_min), 0) as min_sum
    from matched
    group by all
)

select comparisons.*
from {{ model }} as comparisons
left join expected
    on comparisons.claim_report_id = expected.claim_report_id
    and comparisons.compared_source = expected.source
where
    comparisons.reports_counted != coalesce(expected.reports, 0)
    or comparisons.civilians_killed_min_sum != coalesce(expected.min_sum, 0)
{% endtest %}
