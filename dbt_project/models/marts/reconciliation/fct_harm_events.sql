-- One event of civilian harm as all sources together report it: each source's figures side by
-- side, the envelope, the range every monitor's figure agrees on, and an agreement class.
-- A "voice" is one monitor's figure: Airwars, UCDP or ACLED (its reports in the event summed:
-- a source never counts the same deaths twice) or one ledger claimant. A claimant speaking for
-- an alleged belligerent (seeds/claimant_belligerents.csv) is the accused, not a monitor.
-- Only the columns read below: members and voiced are read more than once, so DuckDB holds them whole.
-- Incremental: the events with a member written or a member report built since its last build,
-- and the events that lost a member or are gone (harm_events_touched; incremental_by_key.sql).
{{ incremental_by_key_config('event_id', 'harm_events_touched') }}
-- depends_on: {{ ref('int_reports_unioned') }}

with members as (
    select
        event_members.event_id,
        event_members.is_anchor,
        reports.report_id,
        reports.source,
        reports.claimant_id,
        reports.event_date,
        reports.event_date_end,
        reports.country_iso3,
        reports.admin1_code,
        reports.place,
        reports.grading,
        reports.civilians_killed_min,
        reports.civilians_killed_max
    from {{ ref('int_event_members') }} as event_members
    inner join {{ ref('fct_civilian_harm_reports') }} as reports on event_members.report_id = reports.report_id
    where {{ only_touched('event_members.event_id') }}
),

alleged as (
    select
        members.event_id,
        list(distinct belligerents.belligerent_id order by belligerents.belligerent_id)
        filter (where belligerents.belligerent_id != 'unknown') as belligerent_ids
    from members
    inner join {{ ref('bridge_report_belligerents') }} as belligerents
        on members.report_id = belligerents.report_id
    group by members.event_id
),

voiced as (
    select
        members.*,
        coalesce(list_contains(alleged.belligerent_ids, accused.belligerent_id), false) as is_accused,
        -- ledger claims are compared, never summed: each claim is a voice of its own
        case when members.source = 'ledger' then members.report_id else members.source end
            as voice
    from members
    left join alleged on members.event_id = alleged.event_id
    left join {{ ref('claimant_belligerents') }} as accused on members.claimant_id = accused.claimant_id
),

-- Each voice's figure for the event (a monitoring source's reports of the event summed, each
-- ledger claim apart); an unknown maximum stays unknown (open above).
voice_figures as (
    select
        event_id,
        voice,
        is_accused,
        sum(civilians_killed_min)::bigint as civilians_killed_min,
        case when count(*) = count(civilians_killed_max) then sum(civilians_killed_max)::bigint end
            as civilians_killed_max
    from voiced
    where civilians_killed_min is not null
    group by event_id, voice, is_accused
),

-- The monitors' figures: every voice but the accused's own.
voices as (
    select * from voice_figures
    where not is_accused
),

-- Lowest minimum and highest maximum of any voice, the accused's included.
envelopes as (
    select
        event_id,
        min(civilians_killed_min) as envelope_min,
        case when count(*) = count(civilians_killed_max) then max(civilians_killed_max) end
            as envelope_max
    from voice_figures
    group by event_id
),

agreed as (
    select
        event_id,
        count(*) as monitor_figures,
        max(civilians_killed_min) as agreed_min,
        min(civilians_killed_max) as agreed_max,
        min(civilians_killed_min) as monitors_lowest_min,
        case when count(*) = count(civilians_killed_max) then max(civilians_killed_max) end
            as monitors_highest_max
    from voices
    group by event_id
),

-- Ordered and DISTINCT aggregates cost a sorted state per group: over a million one-report events
-- they took most of this model's time. The ordered list is built over ledger members only, and
-- the distinct counts as lists.
ledger as (
    select
        event_id,
        list(
            {
                'claimant_id': claimant_id,
                'civilians_killed_min': civilians_killed_min,
                'civilians_killed_max': civilians_killed_max,
                'speaks_for_accused': is_accused
            }
            order by claimant_id, report_id
        ) as ledger_claims
    from voiced
    where source = 'ledger'
    group by event_id
),

events as (
    select
        event_id,
        any_value(report_id) filter (where is_anchor) as anchor_report_id,
        min(event_date) as event_date,
        max(coalesce(event_date_end, event_date)) as event_date_end,
        any_value(country_iso3) filter (where is_anchor) as country_iso3,
        any_value(admin1_code) filter (where is_anchor) as admin1_code,
        any_value(place) filter (where is_anchor) as place,
        len(list_distinct(list(source))) as n_sources,
        count(*) as n_reports,
        count(*) filter (where source = 'airwars') as airwars_reports,
        count(*) filter (where source = 'ucdp') as ucdp_reports,
        count(*) filter (where source = 'acled') as acled_reports,
        count(*) filter (where source = 'ledger') as ledger_reports,
        sum(civilians_killed_min) filter (where source = 'airwars')::bigint as airwars_civilians_killed_min,
        sum(civilians_killed_max) filter (where source = 'airwars')::bigint as airwars_civilians_killed_max,
        nullif(array_to_string(list_sort(list_distinct(
            list(grading) filter (where source = 'airwars')
        )), ', '), '') as airwars_grading,
        sum(civilians_killed_min) filter (where source = 'ucdp')::bigint as ucdp_civilians_killed_min,
        sum(civilians_killed_max) filter (where source = 'ucdp')::bigint as ucdp_civilians_killed_max,
        sum(civilians_killed_min) filter (where source = 'acled')::bigint as acled_fatalities_min,
        sum(civilians_killed_max) filter (where source = 'acled')::bigint as acled_fatalities_max,
        min(civilians_killed_max) filter (where is_accused) as accused_civilians_killed_max
    from voiced
    group by event_id
)

select
    events.event_id,
    events.anchor_report_id,
    events.event_date,
    events.event_date_end,
    events.country_iso3,
    events.admin1_code,
    events.place,
    coalesce(alleged.belligerent_ids, []) as belligerent_ids,
    events.n_sources,
    events.n_reports,
    events.airwars_reports,
    events.ucdp_reports,
    events.acled_reports,
    events.ledger_reports,
    events.airwars_civilians_killed_min,
    events.airwars_civilians_killed_max,
    events.airwars_grading,
    events.ucdp_civilians_killed_min,
    events.ucdp_civilians_killed_max,
    events.acled_fatalities_min,
    events.acled_fatalities_max,
    ledger.ledger_claims,
    envelopes.envelope_min,
    envelopes.envelope_max,
    case when agreed.agreed_min <= coalesce(agreed.agreed_max, agreed.agreed_min) then agreed.agreed_min end
        as agreed_min,
    case when agreed.agreed_min <= coalesce(agreed.agreed_max, agreed.agreed_min) then agreed.agreed_max end
        as agreed_max,
    coalesce(agreed.monitor_figures, 0) as monitor_figures,
    case
        when
            events.accused_civilians_killed_max = 0
            or events.accused_civilians_killed_max < agreed.monitors_lowest_min
            then 'denied'
        when coalesce(agreed.monitor_figures, 0) <= 1 then 'single_source'
        when agreed.agreed_min > agreed.agreed_max then 'disjoint'
        when
            agreed.agreed_min = agreed.monitors_lowest_min
            and coalesce(agreed.agreed_max, -1) = coalesce(agreed.monitors_highest_max, -1)
            then 'agree'
        else 'overlap'
    end as agreement
from events
left join ledger on events.event_id = ledger.event_id
left join alleged on events.event_id = alleged.event_id
left join agreed on events.event_id = agreed.event_id
left join envelopes on events.event_id = envelopes.event_id
